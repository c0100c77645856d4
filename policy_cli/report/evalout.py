"""Tables and JSON for `policy eval`."""

from __future__ import annotations

from typing import IO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..evaluate import MIN_SUPPORT, Evaluation, errors_of, rules_for
from .jsonout import dumps


def write_json(evaluations: list[Evaluation], stream: IO[str]) -> None:
    documents = [e.to_dict() for e in evaluations]
    payload = documents[0] if len(documents) == 1 else documents
    stream.write(dumps(payload) + "\n")


def write_predictions(evaluations: list[Evaluation], stream: IO[str]) -> None:
    for evaluation in evaluations:
        for prediction in evaluation.predictions:
            record = {
                "id": prediction.record.id,
                "predicted": sorted(prediction.predicted),
                "values": {a: sorted(v) for a, v in sorted(prediction.values.items())},
            }
            stream.write(dumps(record, indent=False) + "\n")


def write_table(evaluation: Evaluation, console: Console) -> None:
    table = Table(
        title=f"{evaluation.file}: {len(evaluation.predictions)} segments, "
        f"micro-F1 {evaluation.micro_f1:.3f}, macro-F1 {evaluation.macro_f1:.3f}",
        title_justify="left",
    )
    for column in ("category", "precision", "recall", "F1", "support", "tp", "fp", "fn"):
        table.add_column(column, justify="left" if column == "category" else "right")
    for category, score in evaluation.scores.items():
        name = Text(category, style="" if score.support >= MIN_SUPPORT else "dim")
        table.add_row(
            name, f"{score.precision:.3f}", f"{score.recall:.3f}", f"{score.f1:.3f}",
            str(score.support), str(score.tp), str(score.fp), str(score.fn),
        )
    console.print(table)
    console.print(Text(f"macro-F1 counts categories with at least {MIN_SUPPORT} labeled segments (dim rows do not count)", style="dim"))
    console.print()
    if evaluation.attribute_scores:
        table = Table(title=f"{evaluation.file}: attribute values (micro over segment-value pairs)", title_justify="left")
        for column in ("attribute", "precision", "recall", "F1", "support", "tp", "fp", "fn"):
            table.add_column(column, justify="left" if column == "attribute" else "right")
        for attribute, score in evaluation.attribute_scores.items():
            table.add_row(
                attribute, f"{score.precision:.3f}", f"{score.recall:.3f}", f"{score.f1:.3f}",
                str(score.support), str(score.tp), str(score.fp), str(score.fn),
            )
        console.print(table)
        console.print()


def write_errors(evaluations: list[Evaluation], category: str, limit: int, console: Console, explain: bool = False) -> None:
    """The false positives and negatives of a category; `explain` adds each error's explanation,
    sentence by sentence."""
    for evaluation in evaluations:
        if category not in evaluation.scores:
            console.print(Text(f"{evaluation.file}: no category {category!r} in this file's scheme", style="yellow"))
            continue
        false_positives, false_negatives = errors_of(evaluation, category)
        for title, items in (("false positives", false_positives), ("false negatives", false_negatives)):
            console.print(Text(f"{evaluation.file}: {category}: {len(items)} {title}", style="bold"))
            for prediction in items[:limit]:
                line = Text()
                line.append(prediction.record.id, style="cyan")
                rules = rules_for(prediction, category)
                if rules:
                    line.append(" [" + ", ".join(rules) + "]", style="magenta")
                line.append(" labels=" + ",".join(sorted(prediction.record.labels)), style="dim")
                line.append("\n  " + prediction.record.text[:600].replace("\n", " "))
                console.print(line)
                if explain:
                    from ..explain import explain_text
                    from ..model import ANALYZED_LANGUAGES
                    from .explainout import write_text

                    language = prediction.record.lang if prediction.record.lang in ANALYZED_LANGUAGES else None
                    write_text(explain_text(prediction.record.text, language), console)
            console.print()
