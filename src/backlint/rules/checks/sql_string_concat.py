"""sql-string-concat: SQL text assembled from non-constant pieces that reaches a query call."""

from __future__ import annotations

import re
from typing import Iterator

from ...languages.base import HOLE_RE, text
from ...model import Finding, Related
from ._common import short
from ...sql import looks_like_sql, parse_sql


def _short(s: str, n: int = 40) -> str:
    return short(s, n)


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
        quoted = _quoted_holes(v.template)
        unsafe = [h for i, h in enumerate(v.holes)
                  if not ev.hole_is_safe(h) or (i not in quoted and _escaped_only(ctx, ev, h))]
        if not unsafe:
            continue
        if not entry.get("fragment"):
            # the sink is generic (execute, query): the text must be SQL
            if looks_like_sql(v.template):
                if parse_sql(v.template, ctx.dialect) is None and not _sql_shaped(v.template):
                    continue
            elif not _call_shaped(v.template):
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


_ESCAPERS = re.compile(r"(?i)(real_escape_string|escape_string|escapeString|esc_sql|addslashes|esc_like|like_escape|"
                       r"sanitize_sql_like|escape_like|mysql_escape|sqlite_escape|pg_escape_string)$")


def _quoted_holes(template: str) -> set[int]:
    """Indexes of holes that sit inside a quoted SQL string literal ('...')."""
    out, quote, i = set(), None, 0
    while i < len(template):
        ch = template[i]
        if ch == "\ue000":
            j = template.find("\ue001", i)
            if j < 0:
                break
            if quote is not None:
                out.add(int(template[i + 1:j]))
            i = j + 1
            continue
        if quote is None and ch in ("'", '"'):
            quote = ch
        elif quote is not None and ch == quote:
            if template[i + 1:i + 2] == quote:
                i += 1  # doubled quote escape
            else:
                quote = None
        elif quote is not None and ch == "\\":
            i += 1
        i += 1
    return out


def _escaped_only(ctx, ev, hole) -> bool:
    """The hole is made safe only by a string-escaping function (mysqli_real_escape_string,
    esc_sql, addslashes): that protects a value inside quotes, not a bare `WHERE id = $id`."""
    n = hole.node
    for _ in range(3):
        if n is None:
            return False
        name = ctx.adapter.is_local_name(n)
        if name is None:
            break
        assigns = ctx.facts.assignments_before(name, ev.function_of(n), n.start_byte)
        if not assigns or assigns[-1].value is None:
            return False
        n = assigns[-1].value
    callee = _callee_name(n)
    return bool(callee and _ESCAPERS.search(callee))


def _callee_name(node) -> str | None:
    from ...languages.base import squash

    for field in ("function", "name", "method"):
        c = node.child_by_field_name(field) if node is not None else None
        if c is not None:
            return squash(text(c)).rsplit(".", 1)[-1].rsplit("->", 1)[-1].rsplit("::", 1)[-1]
    return None


def _call_shaped(template: str) -> bool:
    t = HOLE_RE.sub(" x ", template)
    return bool(re.match(r"\s*\{\s*(\?\s*=\s*)?call\s+\w", t, re.I)
                or re.match(r"\s*(call|exec|execute)\s+[\w.\[\]\"`]+\s*[(@]", t, re.I))


def _sql_shaped(template: str) -> bool:
    """When sqlglot cannot parse text around holes (e.g. `ORDER BY {col} {dir}`), a statement
    shape with a FROM/SET/INTO/VALUES clause still tells a query from prose."""
    import re

    t = HOLE_RE.sub(" x ", template)
    if re.match(r"\s*\{\s*(\?\s*=\s*)?call\s+\w", t, re.I) or re.match(r"\s*(call|exec|execute)\s+[\w.\[\]\"`]+\s*[(@]", t, re.I):
        return True  # JDBC escape `{call proc(?)}`, CALL proc(...), EXEC sp_name @p
    return bool(re.search(r"\b(from|set|into|values|where)\b", t, re.I)) and not t.rstrip().endswith((".", "!"))
