"""db-in-controller: a route handler talks to the database itself instead of through a
service or repository.

Per route handler (RouteHandler facts), the DbCalls in its body (one per call chain). Calls
whose receiver is the repository/service layer (`orderRepository.findAll()`,
`this.ordersService.list()`, knowledge `controllers.layer-receivers`) and libraries that are a
repository layer (Spring Data) are clean; declarative framework configuration (a DRF
`queryset = ...` attribute, `get_queryset`) is not a handler. One finding per handler, at its
first direct query, naming the others.
"""

from __future__ import annotations

import re
from typing import Iterator

from ...languages.base import DbCall, text
from ...model import Finding, Related
from ._controllers import elide_args, handler_calls, handler_db_calls, handler_label, is_layer_call, literal, rx, short


def check(ctx, rule) -> Iterator[Finding]:
    if ctx.adapter is None or not ctx.routes:
        return
    opts = ctx.options(rule)
    ignore_fw = set(opts.get("ignore-frameworks") or ())
    allow_single = bool(opts.get("allow-single-row-lookups"))
    allowed = [rx(p) for p in (opts.get("allow-callees") or ())]
    for h in ctx.routes:
        if h.framework in ignore_fw:
            continue
        direct = []
        for d in handler_db_calls(ctx, h):
            if is_layer_call(ctx, d):
                continue
            if allow_single and d.bounded and d.kind == "read":
                continue
            if any(p.search(d.call.callee) for p in allowed):
                continue
            direct.append(d)
        if not allow_single:
            direct.extend(_instance_writes(ctx, h, {d.call.node.id for d in direct}))
            direct.sort(key=lambda d: d.call.node.start_byte)
        if not direct:
            continue
        first = direct[0]
        what = {"write": "writes to", "raw-sql": "runs SQL on"}.get(first.kind, "queries")
        more = ""
        if len(direct) > 1:
            lines = sorted({d.call.node.start_point[0] + 1 for d in direct[1:]})
            more = f" (and {len(direct) - 1} more on line{'s' if len(lines) > 1 else ''} {', '.join(map(str, lines[:6]))})"
        msg = (f"{handler_label(h)} {what} the database directly with "
               f"`{short(elide_args(first.call.callee), 60)}`{more}: move data access into a repository or service "
               f"and call that from the handler")
        related = [Related(ctx.node_span(h.node), "the route handler")] if h.node.start_point[0] != first.call.node.start_point[0] else []
        yield ctx.finding(rule, first.call.node, message=literal(msg), related=related,
                          properties={"framework": h.framework, "library": first.library, "queries": len(direct)})


_NOT_MODEL = re.compile(r"(?i)(form|serializer|request|validator|dto|params|input|command|query|builder|file|image|"
                        r"upload|workbook|session|cache|response|view|model_?state|factory|service|repository|repo)$")


def _instance_writes(ctx, h, seen: set[int]) -> list[DbCall]:
    """`order.save()`, `@article.destroy`, `$comment->delete()` on a model instance the handler
    holds: loaded by a query or built from a model class in the handler, a Rails instance
    variable, or a parameter typed with a model class (route-model binding)."""
    writes = set(ctx.adapter.knowledge.get("instance_writes", ()))
    if not writes:
        return []
    fn = h.function
    ad = ctx.adapter
    db_by_start = {d.call.node.start_byte: d for d in ctx.facts.db_calls}
    params = ad.parameter_text(fn) if fn is not None else ""
    out = []
    for c in handler_calls(ctx, h):
        if c.method not in writes or not c.receiver or c.node.id in seen or c.node.start_byte in db_by_start:
            continue
        if c.args and c.args[0].type in ("string", "string_literal", "interpreted_string_literal", "encapsed_string",
                                         "template_string"):
            continue  # `report.save("/tmp/r.pdf")`, `img.save(path)`: a file, not a row
        recv = c.receiver.strip()
        name = recv.lstrip("$")
        if not re.fullmatch(r"@?[A-Za-z_]\w*", name) or _NOT_MODEL.search(name):
            continue
        why = None
        if name.startswith("@") and ctx.language == "ruby":
            why = "ivar"
        elif fn is not None:
            assigns = ctx.facts.assignments_before(name, fn, c.node.start_byte)
            if assigns and assigns[-1].value is not None:
                v = assigns[-1].value
                vt = text(v)[:200].lstrip()
                if any(d.call.node.start_byte >= v.start_byte and d.call.node.end_byte <= v.end_byte
                       for d in ctx.facts.db_calls) and not re.match(r"(?i)(await\s+)?\w*(service|repo)", vt):
                    why = "loaded"
                elif re.match(r"(new\s+)?(\w+\.)*[A-Z]\w*(\.new)?\s*[({]", vt) and not _NOT_MODEL.search(
                        re.split(r"[({]", re.sub(r"^new\s+", "", vt))[0].replace(".new", "")):
                    why = "built"
            elif re.search(rf"\b[A-Z]\w*\s+\$?{re.escape(name)}\b", params):
                typ = re.search(rf"\b([A-Z]\w*)\s+\$?{re.escape(name)}\b", params).group(1)
                if not _NOT_MODEL.search(typ):
                    why = "bound"
        if why is None:
            continue
        out.append(DbCall(c, "model", "write"))
    return out
