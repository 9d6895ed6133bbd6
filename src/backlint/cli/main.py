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
    ]
    for o in reversed(opts):
        f = o(f)
    return f


def _run(mode, paths, fmt, outputs, select, extend_select, ignore, fail_on, config, isolated, sql_dialect, jobs,
         preview, show_notices, color, quiet, strict=False):
    from ..engine import scan
    from ..reporters import renderer

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
    targets = list(paths) or [Path(".")]
    result = scan(targets, settings, mode=mode, jobs=jobs)
    for f, dest in _outputs(fmt, outputs):
        use_color = (color if color is not None else (dest == "-" and sys.stdout.isatty() and "NO_COLOR" not in os.environ)) and f == "text"
        out = renderer(f)(result, color=use_color, show_notices=show_notices, frames=not quiet)
        if mode == "audit" and f == "text":
            from ..reporters.summary import render_summary

            out += render_summary(result)
        if dest == "-":
            click.echo(out, nl=False)
        else:
            try:
                Path(dest).parent.mkdir(parents=True, exist_ok=True)
                Path(dest).write_text(out, encoding="utf-8")
            except OSError as e:
                raise UsageFail(f"cannot write {dest}: {e.strerror}")
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
def audit(strict, **kw):
    """One-off audit of a whole repository: every rule, preview ones included, with a summary."""
    sys.exit(_run("audit", strict=strict, **kw))


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
              "ruby": "Ruby", "php": "PHP", "csharp": "C#", "sql": "SQL"}


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
