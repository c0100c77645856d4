"""`policy explain` for a person (rich text) and for programs (JSON)."""

from __future__ import annotations

from typing import IO

from rich.console import Console
from rich.text import Text

from ..explain import SentenceTrace
from .jsonout import dumps


def write_json(traces: list[SentenceTrace], stream: IO[str]) -> None:
    stream.write(dumps({"sentences": [t.to_dict() for t in traces]}) + "\n")


def write_text(traces: list[SentenceTrace], console: Console) -> None:
    if not traces:
        console.print(Text("no sentence in an analyzed language (en, zh, ru) there", style="yellow"))
    for trace in traces:
        _write_one(trace, console)


def _write_one(trace: SentenceTrace, console: Console) -> None:
    head = Text()
    head.append(f"line {trace.line} ({trace.language}): ", style="bold")
    head.append(trace.text)
    console.print(head)
    if trace.skipped:
        console.print(Text(f"  not read for practices: {trace.skipped}", style="yellow"))
    if not trace.matches:
        console.print(Text("  no rule's pattern matches", style="dim"))
    for match in trace.matches:
        line = Text("  matched  ")
        line.append(match.rule_id, style="bold cyan")
        line.append(f"  {match.kind}[{match.number}]  ", style="dim")
        line.append(repr(match.text))
        console.print(line)
        console.print(Text(f"      pattern {match.written}", style="dim"))
        for entry, said in match.vocabulary:
            console.print(Text(f"      vocabulary {entry}: {said!r}", style="green"))
    for hit in trace.vetoes:
        line = Text("  veto     ")
        line.append(hit.veto_id, style="bold magenta")
        line.append(" silenced " + ", ".join(hit.silenced))
        line.append(f"  on {hit.text!r}", style="dim")
        console.print(line)
        console.print(Text(f"      {hit.description}", style="dim"))
    for rule_id, negation in trace.negations.items():
        cue = f"cue {negation.cue!r} in" if negation.cue else "no negation cue in"
        console.print(Text(f"  stance   {rule_id}: {negation.stance} ({cue} the window {negation.window!r})"))
    if trace.values:
        said = ", ".join(f"{hit.attribute}={hit.value} ({text!r})" for hit, text in trace.values)
        console.print(Text(f"  values   {said}", style="green"))
    findings = ", ".join(f"{f.rule_id} ({f.stance})" for f in trace.findings) or "none"
    console.print(Text(f"  findings {findings}", style="bold"))
    console.print()
