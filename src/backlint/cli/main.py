from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from .. import __version__
from ..config import ConfigError, load_settings
from ..config.settings import validate_dialect
from ..model import SEVERITIES, SEVERITY_RANK
from ..reporters import FORMATS

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class UsageFail(click.ClickException):
    exit_code = EXIT_ERROR


def _csv(values: tuple[str, ...]) -> tuple[str, ...] | None:
    if not values:
        return None
    out = []
    for v in values:
        out.extend(x.strip() for x in v.split(",") if x.strip())
    return tuple(out)


def _outputs(fmt: str | None, outputs: tuple[str, ...]) -> list[tuple[str, str]]:
    """--output FILE (with --format), or --output FORMAT:FILE, repeatable; '-' is stdout."""
    pairs = []
    for o in outputs:
        head, sep, tail = o.partition(":")
        if sep and head in FORMATS and tail:
            pairs.append((head, tail))
        else:
            pairs.append((fmt or _guess_format(o), o))
    if not pairs:
        pairs.append((fmt or "text", "-"))
    return pairs


def _guess_format(path: str) -> str:
    if path.endswith((".sarif", ".sarif.json")):
        return "sarif"
    if path.endswith(".json"):
        return "json"
    return "text"


def _load(config: str | None, isolated: bool):
    from ..rules.catalog import CatalogError, load_catalog

    try:
        catalog = load_catalog()
    except CatalogError as e:
        raise UsageFail(f"rule catalog is broken: {e}")
    root = Path.cwd()
    try:
        settings = load_settings(Path(config) if config else None, root, catalog.rules, discover=not isolated)
    except ConfigError as e:
        raise UsageFail(str(e))
    return catalog, settings


def _validate_ids(catalog, ids, opt):
    from ..rules.catalog import CATEGORIES

    for i in ids or ():
        if i != "ALL" and i not in CATEGORIES and catalog.resolve(i) is None:
            raise UsageFail(f"{opt}: unknown rule or category {i!r} (see `backlint rule --all`)")


def _common_scan_options(f):
    opts = [
        click.argument("paths", nargs=-1, type=click.Path(path_type=Path)),
        click.option("--format", "fmt", type=click.Choice(FORMATS), help="Output format (default text)."),
        click.option("-o", "--output", "outputs", multiple=True, metavar="[FORMAT:]FILE",
                     help="Write a report to FILE ('-' for stdout); repeat for several formats, e.g. -o sarif:out.sarif -o text:-."),
        click.option("--select", multiple=True, help="Rules or categories to run (comma-separated), replacing the default set."),
        click.option("--extend-select", multiple=True, help="Rules or categories to add to the selection."),
        click.option("--ignore", multiple=True, help="Rules or categories to skip."),
        click.option("--fail-on", type=click.Choice(SEVERITIES), help="Lowest severity that makes the exit code 1 (default warning)."),
        click.option("--config", type=click.Path(dir_okay=False), help="Config file (default: nearest backlint.toml or pyproject.toml with [tool.backlint])."),
        click.option("--isolated", is_flag=True, help="Ignore configuration files."),
        click.option("--sql-dialect", help="sqlglot dialect for embedded SQL (postgres, mysql, tsql, sqlite, ...)."),
        click.option("--jobs", "-j", type=click.IntRange(1, 256), help="Worker processes (default: number of cores)."),
        click.option("--preview", is_flag=True, default=None, help="Also run preview rules."),
        click.option("--show-notices", is_flag=True, help="List every skipped or partly analysed file."),
        click.option("--color/--no-color", default=None, help="Colour text output (default: only on a terminal)."),
        click.option("--quiet", "-q", is_flag=True, help="Text output without code frames."),
        click.option("--no-cache", is_flag=True, help="Do not read or write .backlint_cache/."),
        click.option("--no-respect-gitignore", is_flag=True, help="Scan files that .gitignore excludes."),
        click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False),
                     help="Hide findings recorded in this baseline (default: .backlint-baseline.json if present)."),
        click.option("--no-baseline", is_flag=True, help="Ignore any baseline file."),
        click.option("--diff", "diff_ref", metavar="REF", help="Report only findings on lines added or changed since the merge base with REF."),
    ]
    for o in reversed(opts):
        f = o(f)
    return f


def _settings_for_run(config, isolated, select, extend_select, ignore, fail_on, sql_dialect, preview):
    catalog, settings = _load(config, isolated)
    sel, ext, ign = _csv(select), _csv(extend_select), _csv(ignore)
    for ids, opt in ((sel, "--select"), (ext, "--extend-select"), (ign, "--ignore")):
        _validate_ids(catalog, ids, opt)
    try:
        dialect = validate_dialect(sql_dialect, "--sql-dialect") if sql_dialect else None
    except ConfigError as e:
        raise UsageFail(str(e))
    settings = settings.with_overrides(
        select=sel, extend_select=(settings.extend_select + ext) if ext else None,
        ignore=(settings.ignore + ign) if ign else None, fail_on=fail_on, sql_dialect=dialect, preview=preview)
    return catalog, settings


def _progress(enabled: bool):
    """A progress bar on an interactive terminal only (never in CI logs or when piped)."""
    if not enabled or not sys.stderr.isatty() or os.environ.get("CI"):
        return None, None, lambda: None
    state = {"bar": None}

    def on_files(n):
        state["bar"] = click.progressbar(length=n, label="scanning", file=sys.stderr, show_pos=True)
        state["bar"].__enter__()

    def progress(k):
        if state["bar"] is not None:
            state["bar"].update(k)

    def done():
        if state["bar"] is not None:
            state["bar"].__exit__(None, None, None)

    return on_files, progress, done


def _run(mode, paths, fmt, outputs, select, extend_select, ignore, fail_on, config, isolated, sql_dialect, jobs,
         preview, show_notices, color, quiet, no_cache=False, baseline_file=None, no_baseline=False, diff_ref=None,
         strict=False, html=None, no_respect_gitignore=False):
    from .. import baseline as bl
    from ..engine import scan
    from ..reporters import renderer

    catalog, settings = _settings_for_run(config, isolated, select, extend_select, ignore, fail_on, sql_dialect, preview)
    if no_respect_gitignore:
        settings = settings.with_overrides(respect_gitignore=False)
    targets = list(paths) or [Path(".")]
    known = None
    if not no_baseline:
        bfile = Path(baseline_file) if baseline_file else settings.root / bl.DEFAULT_NAME
        if baseline_file or bfile.is_file():
            try:
                known = bl.load(bfile)
            except bl.BaselineError as e:
                raise UsageFail(str(e))
    changed = None
    if diff_ref:
        from ..gitdiff import GitError, changed_lines

        try:
            changed = changed_lines(settings.root, diff_ref)
        except GitError as e:
            raise UsageFail(str(e))
    on_files, progress, done = _progress(mode == "audit")
    try:
        result = scan(targets, settings, mode=mode, jobs=jobs, use_cache=not no_cache, progress=progress, on_files=on_files)
    finally:
        done()
    if known is not None:
        result.findings, old = bl.split(result.findings, known)
        result.baselined = len(old)
    if changed is not None:
        from ..gitdiff import on_changed_lines

        keep = [f for f in result.findings if on_changed_lines(f, *changed)]
        result.outside_diff = len(result.findings) - len(keep)
        result.findings = keep
    if html:
        from ..reporters.html import render as render_html

        _write(html, render_html(result))
    pairs = _outputs(fmt, outputs)
    if mode == "audit" and not any(dest == "-" for _, dest in pairs):
        from ..reporters.summary import render_summary

        click.echo(f"{len(result.findings)} findings in {result.files} files" + (f"; HTML report: {html}" if html else ""))
        click.echo(render_summary(result), nl=False)
    for f, dest in pairs:
        use_color = (color if color is not None else (dest == "-" and sys.stdout.isatty() and "NO_COLOR" not in os.environ)) and f == "text"
        out = renderer(f)(result, color=use_color, show_notices=show_notices, frames=not quiet)
        if mode == "audit" and f == "text":
            from ..reporters.summary import render_summary

            out += render_summary(result)
        _write(dest, out)
    missing = [n for n in result.notices if n.kind == "missing-path"]
    internal = [n for n in result.notices if n.kind in ("internal-error", "rule-error") and n.level == "error"]
    if missing or internal:
        return EXIT_ERROR
    if mode == "audit" and not strict:
        return EXIT_OK
    threshold = SEVERITY_RANK[settings.fail_on]
    if any(SEVERITY_RANK[f.severity] >= threshold for f in result.findings):
        return EXIT_FINDINGS
    return EXIT_OK


def _write(dest: str, out: str) -> None:
    if dest == "-":
        click.echo(out, nl=False)
        return
    try:
        Path(dest).parent.mkdir(parents=True, exist_ok=True)
        Path(dest).write_text(out, encoding="utf-8")
    except OSError as e:
        raise UsageFail(f"cannot write {dest}: {e.strerror}")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="backlint")
def cli() -> None:
    """backlint: find backend anti-patterns (SQL injection by concatenation, SELECT *, UPDATE
    without WHERE, ...) in Python, JavaScript, TypeScript, Go, Java, Ruby, PHP, C# and SQL."""


@cli.command()
@_common_scan_options
def check(**kw):
    """Scan PATHS (default .) with the stable rules; exit 1 on findings at or above --fail-on."""
    sys.exit(_run("check", **kw))


@cli.command()
@_common_scan_options
@click.option("--strict", is_flag=True, help="Exit 1 when there are findings (default: always 0).")
@click.option("--html", type=click.Path(dir_okay=False), help="Write a self-contained HTML report to this file.")
def audit(strict, html, **kw):
    """One-off audit of a whole repository: every rule, preview ones included, with a summary
    by rule, category, language and directory, and an optional HTML report."""
    sys.exit(_run("audit", strict=strict, html=html, **kw))


@cli.group()
def baseline():
    """Record today's findings so that `check` reports only new ones."""


def _baseline_options(f):
    for o in reversed([
        click.argument("paths", nargs=-1, type=click.Path(path_type=Path)),
        click.option("--file", "bfile", type=click.Path(dir_okay=False), help="Baseline file (default .backlint-baseline.json)."),
        click.option("--config", type=click.Path(dir_okay=False)),
        click.option("--isolated", is_flag=True),
        click.option("--jobs", "-j", type=click.IntRange(1, 256)),
        click.option("--no-cache", is_flag=True),
    ]):
        f = o(f)
    return f


@baseline.command("create")
@_baseline_options
@click.option("--force", is_flag=True, help="Overwrite an existing baseline.")
def baseline_create(paths, bfile, config, isolated, jobs, no_cache, force):
    """Write every current finding of `check` to the baseline."""
    from .. import baseline as bl
    from ..engine import scan

    _, settings = _settings_for_run(config, isolated, (), (), (), None, None, None)
    path = Path(bfile) if bfile else settings.root / bl.DEFAULT_NAME
    if path.exists() and not force:
        raise UsageFail(f"{path} exists; use `backlint baseline update` or --force")
    result = scan(list(paths) or [Path(".")], settings, jobs=jobs, use_cache=not no_cache)
    n = bl.write(path, result.findings)
    click.echo(f"wrote {n} finding{'s' if n != 1 else ''} to {path}")


@baseline.command("update")
@_baseline_options
def baseline_update(paths, bfile, config, isolated, jobs, no_cache):
    """Drop baseline entries that are fixed; never adds new findings."""
    from .. import baseline as bl
    from ..engine import scan

    _, settings = _settings_for_run(config, isolated, (), (), (), None, None, None)
    path = Path(bfile) if bfile else settings.root / bl.DEFAULT_NAME
    try:
        known = bl.load(path)
    except bl.BaselineError as e:
        raise UsageFail(str(e))
    result = scan(list(paths) or [Path(".")], settings, jobs=jobs, use_cache=not no_cache)
    current = set(bl.entries_of(result.findings))
    kept = sorted(known & current, key=lambda e: (e.path, e.rule, e.fingerprint))
    path.write_text(bl.dump(kept), encoding="utf-8")
    click.echo(f"kept {len(kept)}, dropped {len(known) - len(kept)} fixed finding{'s' if len(known) - len(kept) != 1 else ''} in {path}")


@cli.command()
@click.option("--force", is_flag=True, help="Overwrite files that exist.")
@click.option("--toml", "use_toml", is_flag=True, help="Write backlint.toml instead of a [tool.backlint] section in pyproject.toml.")
def init(force, use_toml):
    """Write a commented configuration, a pre-commit entry and a CI workflow that uploads SARIF."""
    from .init import run_init

    try:
        for line in run_init(Path.cwd(), force=force, use_toml=use_toml):
            click.echo(line)
    except FileExistsError as e:
        raise UsageFail(str(e))


@cli.command()
@click.argument("rule_id", required=False)
@click.option("--all", "show_all", is_flag=True, help="List every rule in the catalog.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text")
def rule(rule_id, show_all, fmt):
    """Show a rule's documentation, or list the catalog with --all."""
    import json

    from ..rules.catalog import load_catalog

    catalog = load_catalog()
    if show_all or not rule_id:
        rows = list(catalog)
        if fmt == "markdown":
            click.echo(markdown_table(rows), nl=False)
            return
        if fmt == "json":
            click.echo(json.dumps([{"id": r.id, "title": r.title, "category": r.category, "severity": r.severity,
                                    "status": r.status, "languages": list(r.languages)} for r in rows], indent=2))
            return
        w = max(len(r.id) for r in rows)
        for r in rows:
            click.echo(f"{r.id.ljust(w)}  {r.category:<15} {r.severity:<8} {r.status:<8} {r.title}")
        return
    r = catalog.get(rule_id)
    if r is None:
        raise UsageFail(f"unknown rule {rule_id!r} (see `backlint rule --all`)")
    if fmt == "json":
        click.echo(json.dumps({"id": r.id, "title": r.title, "category": r.category, "severity": r.severity,
                               "confidence": r.confidence, "status": r.status, "tags": list(r.tags),
                               "languages": list(r.languages), "docs": r.docs, "options": r.options}, indent=2))
        return
    import textwrap

    click.echo(f"{r.id}: {r.title}")
    click.echo(f"  category {r.category} · severity {r.severity} · confidence {r.confidence} · {r.status}")
    click.echo(f"  languages: {', '.join(r.languages)}")
    if r.tags:
        click.echo(f"  tags: {', '.join(r.tags)}")
    for key, head in (("what", "What it finds"), ("why", "Why it matters"), ("fix", "How to fix it")):
        if r.docs.get(key):
            click.echo(f"\n{head}\n" + textwrap.fill(" ".join(str(r.docs[key]).split()), 88, initial_indent="  ", subsequent_indent="  "))
    if r.options:
        click.echo("\nOptions ([tool.backlint.rules.%s])" % r.id)
        for k, v in r.options.items():
            click.echo(f"  {k} ({v['type']}, default {v.get('default')!r}): {v.get('description', '')}")
    if r.docs.get("references"):
        click.echo("\nReferences")
        for ref in r.docs["references"]:
            click.echo(f"  {ref}")
    if r.aliases:
        click.echo(f"\nFormerly: {', '.join(r.aliases)}")


LANG_NAMES = {"python": "Python", "javascript": "JavaScript", "typescript": "TypeScript", "go": "Go", "java": "Java",
              "ruby": "Ruby", "php": "PHP", "csharp": "C#", "sql": "SQL", "dotenv": ".env files"}


def markdown_table(rules) -> str:
    """The README rule table (kept current by tests/test_readme.py)."""
    lines = ["| rule | category | severity | status | languages | what it finds |", "| --- | --- | --- | --- | --- | --- |"]
    for r in rules:
        langs = ", ".join(LANG_NAMES[l] for l in r.languages)
        lines.append(f"| `{r.id}` | {r.category} | {r.severity} | {r.status} | {langs} | {r.title} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    try:
        rv = cli.main(args=argv, prog_name="backlint", standalone_mode=False)
    except click.exceptions.Exit as e:
        sys.exit(e.exit_code)
    except click.exceptions.Abort:
        click.echo("backlint: aborted", err=True)
        sys.exit(EXIT_ERROR)
    except click.UsageError as e:
        msg = e.format_message().splitlines()[0] if e.format_message() else "usage error"
        click.echo(f"backlint: error: {msg} (see `backlint --help`)", err=True)
        sys.exit(EXIT_ERROR)
    except click.ClickException as e:
        click.echo(f"backlint: error: {e.format_message().splitlines()[0]}", err=True)
        sys.exit(EXIT_ERROR)
    except KeyboardInterrupt:
        click.echo("backlint: interrupted", err=True)
        sys.exit(130)
    sys.exit(rv if isinstance(rv, int) else 0)
