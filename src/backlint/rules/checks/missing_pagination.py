"""missing-pagination: a list endpoint returns an unbounded collection.

Phase 1 (`check`): in a route handler that can serve GET (or whose method is unknown) and shows
no pagination (knowledge `controllers.pagination`: page/limit/offset/cursor parameters,
`Pageable`, `paginate()`, DRF `pagination_class`, ...), an outermost read DbCall that returns
a collection (`controllers.collection-reads`) with no bound in its chain (`controllers.limits`:
`.limit()`, `take:`, slices, `LIMIT`) — or SQL whose SELECT has no LIMIT/TOP/FETCH and is not a
single aggregate or a lookup by id — whose value reaches the response (returned, passed to a
response/serializer/render call, directly or through one variable; Rails instance variables).

Phase 2 (`pending` + `resolve`, the project index): the same handlers' calls to project
functions (services, repositories) whose result reaches the response, resolved by name; a
function returns an unbounded collection when it returns such a read, or returns the result
of a call that does (at most 3 levels).
"""

from __future__ import annotations

import re
from typing import Iterator

from ...languages.base import DbCall, RouteHandler, text
from ...model import Finding, Related, Span, finding_from_dict, finding_to_dict
from ._controllers import (class_node, code_text, elide_args, flows_out, handler_calls, handler_db_calls, handler_label,
                           in_node, knowledge, literal, outermost, reaches_response, rx, short)

MAX_PENDING = 2000
_LIST_NAMES = rx(r"(?i)^(index|list|list_?\w*|get_?all\w*|all\w*|search\w*|find_?all\w*|browse|export\w*)$")


_NOT_LIST = re.compile(r"(?i)(^|_|(?<=[a-z]))(show|detail|details|retrieve|edit|new|create|add|store|update|"
                       r"delete|destroy|remove|place|confirm|checkout|login|logout|register|signup|pay|cancel|"
                       r"submit|save)($|_|(?=[A-Z]))")
_DETAIL_PATH = re.compile(r"(/new|/edit|/create|/form)/?$")


def list_endpoint(h: RouteHandler) -> bool:
    """A handler that can serve a collection: GET (or any / unknown method), not a detail, form
    or action endpoint (`show`, `retrieve`, `edit`, `place_order`, `/products/new`)."""
    if h.methods and "GET" not in h.methods and "*" not in h.methods:
        return False
    if h.name and _NOT_LIST.search(h.name) and not _LIST_NAMES.match(h.name):
        return False
    return not (h.path and _DETAIL_PATH.search(h.path))


def paginates(ctx, h: RouteHandler) -> bool:
    pat = rx(knowledge(ctx, "pagination"))
    if pat.search(code_text(ctx, h.node)):
        return True
    if h.class_name:
        cls = class_node(h)
        if cls is not None:
            head = code_text(ctx, cls)
            if rx(r"(pagination_class|paginate_by|paginator)\s*=\s*(?!None\b)|paginate_queryset|get_paginated_response").search(head):
                return True
    return False


def _chain_top(node):
    """The whole expression a call starts: `Order.objects.filter(x)` -> `...filter(x)[:10]`."""
    top, steps = node, 0
    p = node.parent
    while p is not None and steps < 12 and p.start_byte == node.start_byte and p.type not in (
            "expression_statement", "assignment", "return_statement", "block", "program", "module"):
        if "assignment" in p.type or "declar" in p.type or "statement" in p.type:
            break
        top, p, steps = p, p.parent, steps + 1
    return top


def unbounded_read(ctx, d: DbCall, ignore) -> str | None:
    """A description of the unbounded collection `d` returns, or None."""
    if d.kind == "write" or d.bounded:
        return None
    if any(p.search(d.call.callee) for p in ignore):
        return None
    chain = text(_chain_top(d.call.node))[:3000]
    if rx(knowledge(ctx, "limits")).search(chain):
        return None
    sql_arg = d.sql_arg
    if sql_arg is None and d.call.args:
        hit = ctx.adapter.sql_sink(d.call)
        sql_arg = hit[1] if hit is not None and not hit[0].get("fragment") else None
    if d.kind == "raw-sql" or sql_arg is not None:
        if sql_arg is None:
            return None
        v = ctx.evaluator.value(sql_arg)
        if v is None:
            return None
        from ...sql.analysis import unbounded_rows
        from ...sql.parse import parse_sql

        parsed = parse_sql(v.template, ctx.dialect)
        if parsed is None or not parsed.statements:
            return None
        table = unbounded_rows(parsed.statements[0].expression)
        if table is None:
            return None
        return f"SQL over `{table}` with no LIMIT"
    if not _collection_read(ctx, d.call.method) and not (
            _DERIVED.match(d.call.method) and _declared_collection(d.call.node)):
        return None
    return f"`{short(elide_args(d.call.callee), 60)}` returns every matching row"


_DERIVED = re.compile(r"^(find|read|get|query|search|stream|list)\w*By\w*$")
_COLLECTION_TYPE = re.compile(r"^(?:final\s+)?(?:[\w.]*\.)?(List|Collection|Iterable|Set|Stream|Flux|IEnumerable|IList|"
                              r"ICollection|IReadOnlyList|IReadOnlyCollection|IQueryable|ArrayList)\b|\[\]\s*$")


def _declared_collection(node) -> bool:
    """`Collection<Owner> results = repo.findByLastName(x)`: a derived query whose declared
    result is a collection (Spring Data / typed repositories)."""
    p, steps = node.parent, 0
    while p is not None and steps < 5:
        t = p.child_by_field_name("type")
        if t is not None and p.type in ("local_variable_declaration", "variable_declaration", "field_declaration"):
            return bool(_COLLECTION_TYPE.search(text(t).strip()))
        p, steps = p.parent, steps + 1
    return False


def _collection_read(ctx, method: str) -> bool:
    """knowledge `collection-reads`: method names, or regexes when they start with `^`
    (`^findAll\\w*By` for Spring Data derived queries)."""
    for r in knowledge(ctx, "collection-reads") or ():
        if r == method or (r.startswith("^") and rx(r).search(method)):
            return True
    return False


def _ignore(rule, ctx) -> list:
    return [rx(p) for p in (ctx.options(rule).get("ignore-callees") or ())]


def _direct(ctx, h: RouteHandler, ignore) -> tuple[DbCall, str] | None:
    """The handler's own unbounded read that reaches its response."""
    for d in handler_db_calls(ctx, h):
        if d.call.loops and any(in_node(lp.node, h.node) for lp in d.call.loops):
            continue  # per-item queries are n-plus-one's business
        what = unbounded_read(ctx, d, ignore)
        if what is not None and reaches_response(ctx, d.call.node, h) is not None:
            return d, what
    return None


def check(ctx, rule) -> Iterator[Finding]:
    if ctx.adapter is None or not ctx.routes:
        return
    ignore = _ignore(rule, ctx)
    for h in ctx.routes:
        if not list_endpoint(h) or paginates(ctx, h):
            continue
        hit = _direct(ctx, h, ignore)
        if hit is not None:
            d, what = hit
            msg = (f"{handler_label(h)} returns an unbounded collection: {what}, and the handler takes no "
                   f"page/limit/cursor parameter. Paginate (page or cursor + a maximum page size) or apply a hard limit")
            yield ctx.finding(rule, d.call.node, message=literal(msg),
                              properties={"framework": h.framework, "library": d.library})


# -- phase 2 ------------------------------------------------------------------------------------
def _function_results(ctx, ignore) -> list[dict]:
    """Functions of this file that return an unbounded collection, or the result of a call."""
    out: list[dict] = []
    handlers = {h.node.id for h in ctx.routes}
    ad = ctx.adapter
    ad.classify_db_calls(ctx.facts)
    db_ids = {d.call.node.id for d in ctx.facts.db_calls}
    pat = rx(knowledge(ctx, "pagination"))
    by_fn: dict[int, list] = {}
    for d in outermost([d for d in ctx.facts.db_calls if not d.call.node.has_error]):
        if d.call.function is not None:
            by_fn.setdefault(d.call.function.node.id, []).append(d)
    calls_by_fn: dict[int, list] = {}
    for c in ctx.facts.calls:
        if c.function is not None and c.node.id not in db_ids and not c.loops:
            calls_by_fn.setdefault(c.function.node.id, []).append(c)
    for f in ctx.facts.functions:
        if f.kind == "lambda" or f.node.id in handlers or f.body is None:
            continue
        if f.node.id not in by_fn and f.node.id not in calls_by_fn:
            continue
        key = {"name": f.name, "line": f.node.start_point[0] + 1}
        found: list[dict] = []
        for d in by_fn.get(f.node.id, ()):
            what = unbounded_read(ctx, d, ignore)
            if what is not None and _returned(ctx, d.call.node, f):
                found.append({"type": "fn", **key, "what": what, "query_line": d.call.node.start_point[0] + 1,
                              "callee": short(elide_args(d.call.callee), 60)})
                break
        if not found:
            body = f.body if f.body is not None else f.node
            for c in calls_by_fn.get(f.node.id, ())[:20]:
                # only calls returned as they are (`return repo.all()`): following every call's value
                # through variables in every function of the project costs more than it finds
                if flows_out(ctx, c.node, body) == "return" or _expression_body(c.node, f):
                    found.append({"type": "fnret", **key, "method": c.method, "receiver": c.receiver})
        # checked last, on the few candidates: the function can page (limit / offset / page / cursor)
        if found and not pat.search(code_text(ctx, f.node)):
            out.extend(found)
        if len(out) >= MAX_PENDING:
            break
    return out


def _returned(ctx, node, f) -> bool:
    fake = RouteHandler(f.node, f, f.body, f.name, "", ())
    how = reaches_response(ctx, node, fake)
    if how in ("return", "iterated"):
        return True  # returned, or its rows are looped over to build what is returned
    # an expression-bodied function or Ruby's implicit return of the last statement
    body = f.body
    if body is not None and body.named_child_count and ctx.language == "ruby":
        last = body.named_children[-1]
        return in_node(node, last)
    return body is not None and in_node(node, body) and body.type not in (
        "block", "statement_block", "compound_statement", "body_statement", "function_body", "constructor_body",
        "method_body") and flows_out(ctx, node, body) is None and node.parent is not None and node.parent.id == body.id


def _expression_body(node, f) -> bool:
    b = f.body
    return b is not None and node.parent is not None and node.parent.id == b.id and "block" not in b.type \
        and "body" not in b.type


def pending(ctx, rule) -> list[dict]:
    if ctx.adapter is None:
        return []
    ignore = _ignore(rule, ctx)
    out = _function_results(ctx, ignore)
    db_ids = {d.call.node.id for d in ctx.facts.db_calls}
    builtin = frozenset(ctx.adapter.knowledge.get("builtin_methods", ()))
    for h in ctx.routes:
        if not list_endpoint(h) or paginates(ctx, h) or _direct(ctx, h, ignore) is not None:
            continue
        for c in handler_calls(ctx, h):
            if c.node.id in db_ids or any(in_node(lp.node, h.node) for lp in c.loops):
                continue
            how = reaches_response(ctx, c.node, h)
            if how is None:
                continue
            f = ctx.finding(rule, c.node, message="")
            f.fingerprint_basis = "p2|" + f.fingerprint_basis
            recv = c.receiver
            if recv in ("self", "this", "$this", "@") and h.class_name:
                recv = h.class_name  # `self.get_queryset()`: the method of the handler's own class
            out.append({"type": "call", "method": c.method, "receiver": recv,
                        "builtin": c.method in builtin or ctx.adapter.foreign_call(c),
                        "handler": handler_label(h), "sep": ctx.adapter.member_separator,
                        "finding": finding_to_dict(f)})
            if len(out) >= MAX_PENDING:
                return out
    return out


def resolve(rule, index, pending_by_path: dict[str, list[dict]]) -> Iterator[Finding]:
    from ...engine.index import names_class

    direct: dict[tuple, dict] = {}
    via: dict[tuple, list[dict]] = {}
    for path, items in pending_by_path.items():
        for it in items:
            if it["type"] == "fn":
                direct[(path, it["name"], it["line"])] = it
            elif it["type"] == "fnret":
                via.setdefault((path, it["name"], it["line"]), []).append(it)
    memo: dict[tuple, tuple | None] = {}

    def unbounded(fn, depth: int = 0):
        key = (fn.path, fn.name, fn.line)
        if key in memo:
            return memo[key]
        memo[key] = None
        got = None
        if key in direct:
            got = (fn, direct[key])
        elif depth < 3:
            for it in via.get(key, ()):
                sub = index.resolve(it["method"], it["receiver"], fn.path)
                if sub is None or (sub.path, sub.name, sub.line) == key:
                    continue
                got = unbounded(sub, depth + 1)
                if got is not None:
                    break
        memo[key] = got
        return got

    for path, items in sorted(pending_by_path.items()):
        seen: set[int] = set()
        for it in items:
            if it["type"] != "call":
                continue
            fn = index.resolve(it["method"], it["receiver"], path)
            if fn is None:
                continue
            if it.get("builtin") and not names_class(it["receiver"], fn.cls):
                continue
            got = unbounded(fn)
            if got is None:
                continue
            qfn, info = got
            f = finding_from_dict(it["finding"])
            if f.span.start_line in seen:
                continue
            seen.add(f.span.start_line)
            r = it.get("receiver")
            call = f"{r}{it.get('sep', '.')}{it['method']}()" if r else f"{it['method']}()"
            same = (qfn.path, qfn.name, qfn.line) == (fn.path, fn.name, fn.line)
            chain = "" if same else f" (through `{qfn.name}()`)"
            f.message = (f"{it['handler']} returns an unbounded collection: `{call}`{chain} returns "
                         f"{info['what'].replace(' returns every matching row', '')} at {qfn.path}:{info['query_line']} "
                         f"with no limit, and the handler takes no page/limit/cursor parameter. Paginate (page or cursor + "
                         f"a maximum page size) or apply a hard limit")
            f.related = tuple(f.related) + (Related(Span(info["query_line"], 1, info["query_line"], 1),
                                                    f"the unbounded query in `{qfn.name}()`", qfn.path),)
            yield f
