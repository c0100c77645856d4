"""Rich tables for a person at a terminal: languages, practices found and not found, evidence."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..model import ANALYZED_LANGUAGES, CATEGORIES, FileResult

_CONTEXT = 160  # characters of a long sentence shown on each side of the match


def write_table(result: FileResult, console: Console) -> None:
    """Render one file's result."""
    header = Text()
    header.append(result.path, style="bold")
    if result.error is not None:
        header.append(f"  error ({result.error.code}): {result.error.message}", style="bold red")
        console.print(header)
        console.print()
        return
    languages = ", ".join(f"{lang} {share:.0%}" for lang, share in result.languages.items())
    header.append(f"  language {result.language} ({languages})  {result.characters:,} characters  {result.segments} segments")
    if result.encoding and not result.encoding.startswith("utf-8"):
        header.append(f"  read as {result.encoding}")
    console.print(header)
    if result.language not in ANALYZED_LANGUAGES:
        console.print(Text(f"  language {result.language!r} is not analyzed (en, zh and ru are)", style="yellow"))

    practices = Table(title="Practices", title_justify="left", show_lines=False)
    practices.add_column("category")
    practices.add_column("status")
    practices.add_column("findings", justify="right")
    practices.add_column("rules", overflow="fold")
    found = result.categories
    for category in CATEGORIES:
        if category in found:
            entry = found[category]
            short = (rule.split(".", 1)[1] for rule in entry["rules"])
            practices.add_row(category, Text("found", style="green"), str(entry["findings"]), ", ".join(short))
        else:
            practices.add_row(Text(category, style="dim"), Text("not found", style="bold red"), "0", "")
    console.print(practices)

    if result.findings:
        evidence = Table(title="Evidence", title_justify="left", show_lines=True)
        evidence.add_column("rule", no_wrap=True)
        evidence.add_column("line", justify="right")
        evidence.add_column("stance")
        evidence.add_column("section", ratio=1, overflow="fold")
        evidence.add_column("sentence", ratio=3, overflow="fold")
        for finding in result.findings:
            evidence.add_row(
                finding.rule_id,
                str(finding.line),
                Text(finding.stance, style="yellow" if finding.stance == "denies" else ""),
                Text(finding.section[-1] if finding.section else "", style="dim"),
                _highlighted(finding.sentence, *finding.sentence_match),
            )
        console.print(evidence)
    console.print()


def _highlighted(sentence: str, offset: int, end: int) -> Text:
    """The sentence as plain text (never markup), the match [offset, end) in bold, long sentences cut around it."""
    offset = max(0, min(offset, len(sentence)))
    end = max(offset, min(end, len(sentence)))
    begin = max(0, offset - _CONTEXT)
    finish = min(len(sentence), end + _CONTEXT)
    text = Text()
    if begin:
        text.append("… ")
    text.append(sentence[begin:offset])
    text.append(sentence[offset:end], style="bold magenta")
    text.append(sentence[end:finish])
    if finish < len(sentence):
        text.append(" …")
    return text
