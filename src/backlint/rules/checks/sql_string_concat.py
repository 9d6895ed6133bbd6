"""sql-string-concat: SQL text assembled from non-constant pieces that reaches a query call."""

from __future__ import annotations

from typing import Iterator

from ...languages.base import HOLE_RE, text
from ...model import Finding, Related
from ...sql import looks_like_sql, parse_sql


def _short(s: str, n: int = 40) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


def check(ctx, rule) -> Iterator[Finding]:
    if ctx.adapter is None:
        return
    ev = ctx.evaluator
    for report_node, sink_name, entry, arg in ctx.adapter.sql_sink_args(ctx.facts):
        if report_node.has_error or arg is None:
            continue
        v = ev.value(arg)
        if v is None or not v.dynamic:
            continue
        unsafe = [h for h in v.holes if not ev.hole_is_safe(h)]
        if not unsafe:
            continue
        if not entry.get("fragment"):
            # the sink is generic (execute, query): the text must be SQL
            if not looks_like_sql(v.template):
                continue
            if parse_sql(v.template, ctx.dialect) is None and not _sql_shaped(v.template):
                continue
        holes = ", ".join(f"`{_short(h.text)}`" for h in unsafe[:3]) + (" …" if len(unsafe) > 3 else "")
        how = v.how if v.how not in ("literal", "expression") else "concatenation"
        related = []
        via = ""
        if ctx.adapter.is_local_name(arg) is not None:
            via = f" through variable `{text(arg)}`"
            built = v.node if v.node is not arg else None
            assigns = ctx.facts.assignments_before(text(arg), ev.function_of(arg), arg.start_byte)
            if assigns:
                related.append(Related(ctx.node_span(assigns[-1].node), f"`{text(arg)}` is built here"))
        yield ctx.finding(rule, report_node, {"how": how, "sink": sink_name, "holes": holes, "via": via},
                          related=related, properties={"sink": sink_name, "built-with": how})


def _sql_shaped(template: str) -> bool:
    """When sqlglot cannot parse text around holes (e.g. `ORDER BY {col} {dir}`), a statement
    shape with a FROM/SET/INTO/VALUES clause still tells a query from prose."""
    import re

    t = HOLE_RE.sub(" x ", template)
    return bool(re.search(r"\b(from|set|into|values|where)\b", t, re.I)) and not t.rstrip().endswith((".", "!"))
