"""The `policy` command line: parse, call the core, render, exit. The only module that talks to the console."""

from __future__ import annotations

import dataclasses
import enum
import os
import signal
import sys
from pathlib import Path
from typing import List, Optional


def _interrupted(_signum, _frame) -> None:
    """Ctrl-C at any moment, start-up included: one line and the documented code, no traceback."""
    try:
        sys.stderr.write("policy: interrupted\n")
        sys.stderr.flush()
    finally:
        os._exit(130)


if signal.getsignal(signal.SIGINT) is signal.default_int_handler:  # not under a test runner that set its own
    signal.signal(signal.SIGINT, _interrupted)

import typer  # noqa: E402

from . import __version__  # noqa: E402
from .errors import PolicyError  # noqa: E402

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
        except OSError as exc:
            # stdout cannot take the results (a full disk, a closed descriptor): say so once, and do
            # not let the flush at exit try again.
            try:
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            except OSError:
                pass
            _warn(f"cannot write the output: {exc.strerror or exc}")
            code = EXIT_ERROR
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


class CheckFormat(str, enum.Enum):
    table = "table"
    json = "json"
    sarif = "sarif"
    github = "github"
    junit = "junit"
    compact = "compact"


class TextFormat(str, enum.Enum):
    text = "text"
    json = "json"


class FailLevel(str, enum.Enum):
    error = "error"
    warning = "warning"


class Language(str, enum.Enum):
    en = "en"
    zh = "zh"
    ru = "ru"


def _stdout():
    """Results go to stdout as UTF-8 whatever the locale, so JSON never fails on a Chinese quote.
    A closed stdout (the process started without one) is an output error, not a silent success."""
    stream = sys.stdout
    if stream is None:
        raise PolicyError("cannot write the output: standard output is closed")
    if (getattr(stream, "encoding", None) or "").lower().replace("-", "") != "utf8" and hasattr(stream, "reconfigure"):
        stream.reconfigure(encoding="utf-8")
    return stream


def _warn(message: str) -> None:
    sys.stderr.write(f"policy: {message}\n")
    sys.stderr.flush()


def _console(stream):
    from rich.console import Console

    # COLUMNS that is no positive number (0, -5, "wide") would give a table of no width: use 80.
    columns = os.environ.get("COLUMNS")
    width = None
    if columns is not None and not (columns.isdigit() and int(columns) > 0):
        width = 80
    return Console(file=stream, no_color=bool(os.environ.get("NO_COLOR")) or None, highlight=False, soft_wrap=False, width=width)


def _progress(items: list, show: bool):
    """Yield the items; with many of them and a person watching stderr, draw a progress bar there."""
    if not (show and len(items) > 1 and sys.stderr.isatty()):
        yield from items
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(file=sys.stderr), transient=True) as progress:
        task = progress.add_task("scanning", total=len(items))
        for item in items:
            yield item
            progress.advance(task)


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
    from .scan import coverage_warning, scan_source

    language = lang.value if lang else None
    stream = _stdout()  # before any work: a closed stdout fails at once
    console = _console(stream) if output_format is ScanFormat.table else None
    # Results are written as they come and not kept: memory stays flat in the number of files.
    document = jsonout.JsonStream(stream) if output_format is ScanFormat.json else None
    count = failed = 0
    sources = list(discover(paths))
    for source in _progress(sources, show=output_format is not ScanFormat.table):
        result = scan_source(source, language)
        count += 1
        failed += result.error is not None
        if result.error is not None:
            _warn(f"{result.path}: {result.error.message}")
        elif (warning := coverage_warning(result)) is not None:
            _warn(f"{result.path}: {warning}")
        if output_format is ScanFormat.jsonl:
            jsonout.write_jsonl_line(result, stream)
        elif document is not None:
            document.add(result)
        elif console is not None:
            from .report.table import write_table

            write_table(result, console)
    if document is not None:
        document.close()
    if not count:
        _warn("no policy files found in " + ", ".join(paths))
        raise typer.Exit(EXIT_ERROR)
    raise typer.Exit(EXIT_ERROR if failed else EXIT_OK)


@app.command()
def check(
    paths: List[str] = typer.Argument(..., help="Policy files or directories to check; - reads stdin."),
    profile: List[str] = typer.Option([], "--profile", "-p", help="A built-in profile (gdpr, ccpa, pipl, fz152) or a .toml profile; repeatable. Overrides the config's profiles."),
    output_format: Optional[CheckFormat] = typer.Option(None, "--format", "-f", help="table (default), json, sarif, github, junit or compact (path:line: level id message)."),
    fail_level: Optional[FailLevel] = typer.Option(None, "--fail-level", help="Fail on missing requirements of this level and above (default error)."),
    no_fail: Optional[bool] = typer.Option(None, "--no-fail/--fail", help="Exit 0 whenever the check ran, for rollouts."),
    lang: Optional[Language] = typer.Option(None, "--lang", help="Read every input as this language instead of detecting it."),
    baseline: Optional[Path] = typer.Option(None, "--baseline", help="Known gaps (from --write-baseline): fail only on requirements missing anew."),
    write_baseline: Optional[Path] = typer.Option(None, "--write-baseline", help="Record today's missing requirements in this file, and pass."),
    all_evidence: bool = typer.Option(False, "--all-evidence", help="Table: show every finding that meets a requirement, not only the best."),
) -> None:
    """Fail (exit 1) when a policy misses a disclosure its law requires. Settings may come from
    [tool.policy] in pyproject.toml or a .policy.toml (profiles per file: [[tool.policy.files]]);
    flags override them."""
    from .check import check_result, combine, find_settings, load_profile, read_baseline
    from .check import write_baseline as save_baseline
    from .loader import discover
    from .model import FileError
    from .report import checkout
    from .scan import coverage_warning, require_analyzed, scan_source

    _stdout()  # before any work: a closed stdout fails at once
    settings = find_settings(Path.cwd())
    default_names = list(profile) or list(settings.profiles)
    if not default_names and not any(rule.profiles for rule in settings.files):
        raise PolicyError("no profile: pass --profile NAME (gdpr, ccpa, pipl, fz152) or set profiles in [tool.policy]")
    loaded: dict[str, object] = {}

    def profiles_named(names):
        for name in names:
            if name not in loaded:
                loaded[name] = load_profile(name)
        return combine([loaded[name] for name in names])

    profiles_named(default_names)  # a bad profile is an error before any file is read
    for rule in settings.files:
        profiles_named(rule.profiles)
    level = fail_level.value if fail_level else settings.fail_level or "error"
    chosen = output_format.value if output_format else settings.output_format or "table"
    if chosen not in {f.value for f in CheckFormat}:
        raise PolicyError(f"{settings.source}: key 'format': one of {', '.join(f.value for f in CheckFormat)}")
    rollout = no_fail if no_fail is not None else bool(settings.no_fail)
    baseline_path = baseline or (Path(settings.baseline) if settings.baseline and write_baseline is None else None)
    known_gaps = read_baseline(baseline_path) if baseline_path is not None else {}

    language = lang.value if lang else None
    results = []
    used: dict[str, object] = {}
    for source in discover(paths):
        scanned = require_analyzed(scan_source(source, language))
        rule = settings.rule_for(scanned.path, scanned.language)
        names = list(profile) or (list(rule.profiles) if rule is not None and rule.profiles else list(settings.profiles))
        candidates = profiles_named(names)
        # A profile's languages choose among several listed profiles; one named alone always applies.
        applicable = [p for p in candidates if p.applies_to(scanned.language)] if len(candidates) > 1 else candidates
        if scanned.error is None and not applicable:
            wanted = ", ".join(f"{p.name} ({'/'.join(p.languages)})" for p in candidates) or "none"
            scanned = dataclasses.replace(
                scanned, error=FileError("no_profile", f"no profile for a policy in {scanned.language}: {wanted}; map files to profiles in [[tool.policy.files]]")
            )
        if scanned.error is not None:
            _warn(f"{scanned.path}: {scanned.error.message}")
        elif (warning := coverage_warning(scanned)) is not None:
            _warn(f"{scanned.path}: {warning}")
        for p in applicable:
            used.setdefault(p.name, p)
        ignored = frozenset(rule.ignore) if rule is not None else frozenset()
        results.append(check_result(scanned, applicable, ignored, known_gaps.get(scanned.path, frozenset())))
    if not results:
        _warn("no policy files found in " + ", ".join(paths))
        raise typer.Exit(EXIT_ERROR)
    profiles_used = list(used.values())
    if write_baseline is not None:
        count = save_baseline(results, write_baseline)
        _warn(f"wrote {count} known gaps in {sum(1 for r in results if r.error is None)} files to {write_baseline}")
    stream = _stdout()
    if chosen == "table":
        checkout.write_table(results, profiles_used, level, _console(stream), all_evidence=all_evidence)
    else:
        checkout.WRITERS[chosen](results, profiles_used, level, stream)
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if chosen == "github" and summary:
        try:
            with open(summary, "a", encoding="utf-8") as handle:
                checkout.write_step_summary(results, level, handle)
        except OSError as exc:
            _warn(f"{summary}: cannot write the step summary ({exc.strerror})")
    if any(r.error is not None for r in results):
        raise typer.Exit(EXIT_ERROR)
    if write_baseline is not None:
        raise typer.Exit(EXIT_OK)
    failed = [r for r in results if not r.passed(level)]
    if failed and chosen not in ("table", "compact"):
        for result in failed:
            missing = ", ".join(o.requirement.id for o in result.missing(level))
            _warn(f"{result.path}: missing {missing}")
    raise typer.Exit(EXIT_OK if rollout or not failed else EXIT_FAIL)


@app.command("eval")
def evaluate_command(
    files: List[Path] = typer.Argument(..., help="Labeled JSON Lines files: id, text, labels, optional lang."),
    output_format: EvalFormat = typer.Option(EvalFormat.table, "--format", "-f", help="table or json."),
    predictions: Optional[Path] = typer.Option(None, "--predictions", help="Write {id, predicted} for every record to this JSON Lines file."),
    errors: Optional[str] = typer.Option(None, "--errors", help="List the false positives and negatives of this category."),
    limit: int = typer.Option(25, "--limit", help="How many errors of each kind --errors lists."),
    explain_errors: bool = typer.Option(False, "--explain", help="With --errors: explain each error, sentence by sentence (as policy explain)."),
) -> None:
    """Measure the taxonomy on labeled segments: precision, recall and F1 per category."""
    from .evaluate import evaluate
    from .report import evalout

    if explain_errors and not errors:
        raise PolicyError("--explain goes with --errors CATEGORY")
    stream = _stdout()
    evaluations, failed = [], 0
    for path in files:  # a bad file is reported and the others still scored
        try:
            evaluations.append(evaluate(path))
        except PolicyError as exc:
            _warn(str(exc))
            failed += 1
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
        evalout.write_errors(evaluations, errors, limit, _console(stream), explain=explain_errors)
    if failed:
        raise typer.Exit(EXIT_ERROR)


@app.command()
def explain(
    target: str = typer.Argument(..., help="A sentence (or text) to explain; with --line, a file to read (- for stdin)."),
    line: Optional[int] = typer.Option(None, "--line", min=1, help="Explain the sentences on this line of the file TARGET."),
    lang: Optional[Language] = typer.Option(None, "--lang", help="Read the text as this language instead of detecting it."),
    output_format: TextFormat = typer.Option(TextFormat.text, "--format", "-f", help="text for people, json for programs."),
) -> None:
    """Say why a sentence gives the findings it gives: the rules and patterns that matched, the
    vocabulary entries they read, the vetoes that silenced them, the negation cue, the values."""
    from .explain import explain_text
    from .loader import Source, read_source
    from .report import explainout

    language = lang.value if lang else None
    if line is None:
        traces = explain_text(target, language)
    else:
        path = Path(target)
        if target != "-" and not path.is_file():
            raise PolicyError(f"{target}: no such file (without --line, TARGET is the text to explain)")
        text, _encoding, fmt = read_source(Source(target, None if target == "-" else path))
        total = text.count("\n") + (0 if text.endswith("\n") else 1)
        if line > total:
            raise PolicyError(f"{target}: --line {line}: the file has {total} lines")
        traces = explain_text(text, language, fmt=fmt, line=line)
    stream = _stdout()
    if output_format is TextFormat.json:
        explainout.write_json(traces, stream)
    else:
        explainout.write_text(traces, _console(stream))


@app.command("rules")
def rules_command(
    rule_id: Optional[str] = typer.Argument(None, help="A rule or veto id (or a rule's former id): show it in full."),
    output_format: TextFormat = typer.Option(TextFormat.text, "--format", "-f", help="text for people, json for programs."),
) -> None:
    """List the taxonomy's rules (id, category, languages, description), or show one with its
    patterns, vetoes and examples."""
    from .report import rulesout
    from .taxonomy import load_taxonomy

    taxonomy = load_taxonomy()
    stream = _stdout()
    if rule_id is None:
        if output_format is TextFormat.json:
            rulesout.write_json(list(taxonomy.rules), list(taxonomy.vetoes), taxonomy, False, stream)
        else:
            rulesout.write_list(list(taxonomy.rules), taxonomy, _console(stream))
        return
    try:
        rule = taxonomy.rule(rule_id)
    except KeyError:
        rule = None
    if rule is None:
        try:
            veto = taxonomy.veto(rule_id)
        except KeyError:
            raise PolicyError(f"no rule or veto {rule_id!r} (policy rules lists them)") from None
        if output_format is TextFormat.json:
            rulesout.write_json([], [veto], taxonomy, True, stream)
        else:
            rulesout.write_veto(veto, _console(stream))
        return
    if rule.id != rule_id:
        _warn(f"{rule_id} is now {rule.id}")
    if output_format is TextFormat.json:
        rulesout.write_json([rule], [], taxonomy, True, stream)
    else:
        rulesout.write_rule(rule, taxonomy, _console(stream))


def main() -> None:
    """Console entry point."""
    app()
