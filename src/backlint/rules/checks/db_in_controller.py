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

from ...model import Finding, Related
from ._controllers import elide_args, handler_db_calls, handler_label, is_layer_call, literal, rx, short


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
