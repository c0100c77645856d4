"""The `policy` command line: parse, call the core, render, exit. The only module that talks to the console."""

from __future__ import annotations

import enum
import os
import sys
from pathlib import Path
from typing import List, Optional

import typer

from . import __version__
from .errors import PolicyError

EXIT_OK, EXIT_FAIL, EXIT_ERROR = 0, 1, 2

# Typer re-exports click's exceptions under its own names in some releases and vendors click in
# others; find the usage-error base class through BadParameter, which every release exports.
_UsageError = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "UsageError")



class _PolicyGroup(typer.core.TyperGroup):
    """Runs the commands and turns every failure into one line on stderr and a documented exit code."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        try:
            code = super().main(args=args, prog_name=prog_name or "policy", complete_var=complete_var, standalone_mode=False, **extra)
        except typer.Exit as exc:
            code = exc.exit_code
        except _UsageError as exc:
            if exc.ctx is not None and not (args or sys.argv[1:]):
                sys.stdout.write(exc.ctx.get_help() + "\n")
            else:
                command = exc.ctx.command_path if exc.ctx is not None else "policy"
                _warn(f"{exc.format_message()} (see '{command} --help')")
            code = EXIT_ERROR
        except typer.Abort:
            _warn("interrupted")
            code = 130
        except PolicyError as exc:
            _warn(str(exc))
            code = EXIT_ERROR
        except BrokenPipeError:
            # The reader (head, jq) went away: not an error of ours. Silence the flush at exit too.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            code = EXIT_OK
        sys.exit(code or 0)


app = typer.Typer(
    cls=_PolicyGroup,
    name="policy",
    help="Find which privacy practices a policy (English, Chinese, Russian) discloses, with evidence.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class ScanFormat(str, enum.Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"


class EvalFormat(str, enum.Enum):
    table = "table"
    json = "json"


class Language(str, enum.Enum):
    en = "en"
    zh = "zh"
    ru = "ru"


def _stdout():
    """Results go to stdout as UTF-8 whatever the locale, so JSON never fails on a Chinese quote."""
    stream = sys.stdout
    if (getattr(stream, "encoding", None) or "").lower().replace("-", "") != "utf8" and hasattr(stream, "reconfigure"):
        stream.reconfigure(encoding="utf-8")
    return stream


def _warn(message: str) -> None:
    sys.stderr.write(f"policy: {message}\n")
    sys.stderr.flush()


def _console(stream):
    from rich.console import Console

    return Console(file=stream, no_color=bool(os.environ.get("NO_COLOR")) or None, highlight=False, soft_wrap=False)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"policy {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version and exit."),
) -> None:
    """Privacy-policy analyzer."""


@app.command()
def scan(
    paths: List[str] = typer.Argument(..., help="Files or directories to scan (directories recursively); - reads stdin."),
    output_format: ScanFormat = typer.Option(ScanFormat.table, "--format", "-f", help="table for people, json or jsonl for programs."),
    lang: Optional[Language] = typer.Option(None, "--lang", help="Read every input as this language instead of detecting it."),
) -> None:
    """Report the privacy practices each policy discloses, with quoted evidence."""
    from .loader import discover
    from .report import jsonout
    from .scan import scan_source

    language = lang.value if lang else None
    stream = _stdout()
    console = _console(stream) if output_format is ScanFormat.table else None
    results = []
    for source in discover(paths):
        result = scan_source(source, language)
        results.append(result)
        if result.error is not None:
            _warn(f"{result.path}: {result.error.message}")
        elif result.language is not None and result.language not in ("en", "zh", "ru"):
            _warn(f"{result.path}: language {result.language!r} is not analyzed")
        if output_format is ScanFormat.jsonl:
            jsonout.write_jsonl_line(result, stream)
        elif console is not None:
            from .report.table import write_table

            write_table(result, console)
    if output_format is ScanFormat.json:
        jsonout.write_json(results, stream)
    if not results:
        _warn("no policy files found in " + ", ".join(paths))
        raise typer.Exit(EXIT_ERROR)
    raise typer.Exit(EXIT_ERROR if any(r.error for r in results) else EXIT_OK)


@app.command("eval")
def evaluate_command(
    files: List[Path] = typer.Argument(..., help="Labeled JSON Lines files: id, text, labels, optional lang."),
    output_format: EvalFormat = typer.Option(EvalFormat.table, "--format", "-f", help="table or json."),
    predictions: Optional[Path] = typer.Option(None, "--predictions", help="Write {id, predicted} for every record to this JSON Lines file."),
    errors: Optional[str] = typer.Option(None, "--errors", help="List the false positives and negatives of this category."),
    limit: int = typer.Option(25, "--limit", help="How many errors of each kind --errors lists."),
) -> None:
    """Measure the taxonomy on labeled segments: precision, recall and F1 per category."""
    from .evaluate import evaluate
    from .report import evalout

    evaluations = [evaluate(path) for path in files]
    stream = _stdout()
    if predictions is not None:
        try:
            with predictions.open("w", encoding="utf-8") as handle:
                evalout.write_predictions(evaluations, handle)
        except OSError as exc:
            raise PolicyError(f"{predictions}: cannot write predictions ({exc.strerror})") from None
    if output_format is EvalFormat.json:
        evalout.write_json(evaluations, stream)
    else:
        console = _console(stream)
        for evaluation in evaluations:
            evalout.write_table(evaluation, console)
    if errors:
        evalout.write_errors(evaluations, errors, limit, _console(stream))


def main() -> None:
    """Console entry point."""
    app()
