"""`policy rules`: the taxonomy's rules and vetoes, listed or one in full (as `ruff rule` does)."""

from __future__ import annotations

from typing import IO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..taxonomy import PATTERN_KINDS, Rule, Taxonomy, Veto
from .jsonout import dumps


def rule_record(rule: Rule, taxonomy: Taxonomy, full: bool = False) -> dict:
    record = {
        "id": rule.id,
        "category": rule.category,
        "description": rule.description,
        "languages": sorted(rule.languages()),
        "attributes": rule.attributes,
        "aliases": list(rule.aliases),
        "vetoes": [veto.id for veto in taxonomy.vetoes_of(rule)],
    }
    if full:
        record["patterns"] = {kind: list(items) for kind, items in rule.written.items()}
        record["examples"] = {lang: {k: list(v) for k, v in table.items() if v} for lang, table in rule.examples.items()}
    return record


def veto_record(veto: Veto) -> dict:
    return {
        "id": veto.id,
        "description": veto.description,
        "silences": list(veto.rules) or list(veto.categories),
        "patterns": {kind.removesuffix("_not"): list(items) for kind, items in veto.written.items()},
        "examples": {lang: list(items) for lang, items in veto.examples.items()},
    }


def write_json(rules: list[Rule], vetoes: list[Veto], taxonomy: Taxonomy, full: bool, stream: IO[str]) -> None:
    document = {"rules": [rule_record(r, taxonomy, full) for r in rules]}
    if vetoes:
        document["vetoes"] = [veto_record(v) for v in vetoes]
    stream.write(dumps(document) + "\n")


def write_list(rules: list[Rule], taxonomy: Taxonomy, console: Console) -> None:
    table = Table(title=f"{len(rules)} rules, {len(taxonomy.vetoes)} vetoes (policy rules ID shows one)", title_justify="left")
    table.add_column("rule", no_wrap=True)
    table.add_column("languages", no_wrap=True)
    table.add_column("description", overflow="fold")
    for rule in rules:
        table.add_row(rule.id, " ".join(sorted(rule.languages())), rule.description)
    console.print(table)


def write_rule(rule: Rule, taxonomy: Taxonomy, console: Console) -> None:
    console.print(Text(rule.id, style="bold"))
    console.print(Text(f"category {rule.category}; languages {', '.join(sorted(rule.languages()))}"))
    if rule.aliases:
        console.print(Text(f"formerly {', '.join(rule.aliases)}", style="dim"))
    console.print(rule.description, markup=False)
    if rule.attributes:
        console.print(Text("attributes " + ", ".join(f"{k}={v}" for k, v in rule.attributes.items())))
    console.print()
    for kind, items in rule.written.items():
        for number, pattern in enumerate(items, 1):
            console.print(Text(f"pattern {kind}[{number}] ({PATTERN_KINDS[kind][1]}): {pattern}"))
    vetoes = taxonomy.vetoes_of(rule)
    if vetoes:
        console.print()
        for veto in vetoes:
            console.print(Text(f"veto {veto.id}: {veto.description}"))
    console.print()
    for lang, table in rule.examples.items():
        for kind, sentences in table.items():
            for sentence in sentences:
                console.print(Text(f"{lang} {kind:8} {sentence}"))


def write_veto(veto: Veto, console: Console) -> None:
    console.print(Text(veto.id, style="bold"))
    console.print(veto.description, markup=False)
    console.print(Text("silences " + ", ".join(veto.rules or veto.categories)))
    for kind, items in veto.written.items():
        for pattern in items:
            console.print(Text(f"pattern {kind.removesuffix('_not')}: {pattern}"))
    for lang, sentences in veto.examples.items():
        for sentence in sentences:
            console.print(Text(f"{lang} example {sentence}"))
