"""n-plus-one: a database query that runs once per item of a collection.

Phase 1 (`check`, per file): a DbCall in the body of a loop over a collection; a write on the
loop variable of a loop over query results (`obj.save()`).
Phase 1 (`pending`) + phase 2 (`resolve`, project index): a call in such a loop to a project
function whose summary says it queries the database (the query hidden in a helper or a
repository), and lazy relation access (`o.customer.name`) in a loop over query results that did
not eager-load that relation, where the relation is declared in a model of the project.
"""

from __future__ import annotations

import re
from typing import Iterator

from ...languages.base import DbCall, Loop, text
from ...model import Finding, Related, finding_from_dict, finding_to_dict
from ...engine.index import names_class
from ._common import elide_args, literal, outermost, short

_SMALL_RANGE = re.compile(r"^\s*(range\(\s*\d+\s*(,\s*\d+\s*)?\)|\d+\s*\.\s*times|\(?\s*\d+\s*\.\.\.?\s*\d+\s*\)?)\s*$")
MAX_PENDING = 3000


def collection_loop(ctx, loop: Loop) -> bool:
    """A loop that runs once per item of a data collection (not a retry, polling or
    pagination loop, and not a small literal collection)."""
    ad = ctx.adapter
    if loop.kind == "while":
        return False  # retry / pagination / polling loops: fetching the next page is the cure
    it = loop.iterable
    if it is None:
        return loop.kind in ("callback", "cursor")
    if it.has_error:
        return False
    if ad.constant_expression(it):
        return False
    kids = it.named_children
    if it.type in ad.literal_collection_types and (len(kids) <= 20 or all(ad.constant_expression(k) for k in kids)):
        return False  # a collection written out in the code is small and fixed
    if _SMALL_RANGE.match(text(it)[:80]):
        return False
    return True


def _hint(ctx, library: str) -> str:
    hints = ctx.adapter.knowledge.get("bulk_hints", {})
    return hints.get(library) or hints.get("driver") or "fetch all rows in one query before the loop"


def _loop_related(ctx, loop: Loop) -> Related:
    return Related(ctx.node_span(loop.node), "the loop")


def _loop_desc(loop: Loop) -> str:
    if loop.iterable is not None:
        first = text(loop.iterable).split("\n", 1)[0]
        first = re.split(r"\s+do\b|\s*\{\s*\|", first)[0]  # Ruby `xs.find_each do |x|` / `{ |x|`
        if len(re.sub(r"\W", "", first)) >= 2:
            return f"`{short(first, 40)}`"
    if loop.variables:
        return f"`{loop.variables[0]}`"
    return "the collection"


def _db_loop_vars(ctx, loop: Loop, db_nodes: dict[int, DbCall]) -> DbCall | None:
    """The DbCall that produced the loop's collection (directly or via a local variable)."""
    it = loop.iterable
    if it is None:
        return None
    node = it
    name = ctx.adapter.is_local_name(it)
    if name is not None:
        fn = ctx.evaluator.function_of(it)
        assigns = ctx.facts.assignments_before(name, fn, it.start_byte)
        if not assigns or assigns[-1].value is None:
            return None
        node = assigns[-1].value
    # the outermost call of the chain: find a DbCall that starts where the node starts
    for d in db_nodes.values():
        n = d.call.node
        if n.start_byte == node.start_byte and n.end_byte <= node.end_byte + 1:
            if d.kind != "write":
                return d
    return None


def check(ctx, rule) -> Iterator[Finding]:
    if ctx.adapter is None:
        return
    ctx.adapter.classify_db_calls(ctx.facts)
    dbs = [d for d in ctx.facts.db_calls if not d.call.node.has_error]
    by_start = {d.call.node.id: d for d in dbs}
    reported: set[int] = set()
    for d in outermost(dbs):
        loops = [l for l in d.call.loops if collection_loop(ctx, l)]
        if not loops or d.bulk:
            continue
        if d.eager and d.kind == "read" and not d.bounded:
            continue  # select_related(...) alone configures a query; the round trip is elsewhere
        loop = loops[0]
        what = "a write" if d.kind == "write" else "a query"
        msg = (f"`{short(elide_args(d.call.callee), 60)}` runs {what} for each item of {_loop_desc(loop)} "
               f"(loop on line {loop.node.start_point[0] + 1}): {_hint(ctx, d.library)}")
        reported.add(d.call.node.id)
        yield ctx.finding(rule, d.call.node, message=literal(msg), related=[_loop_related(ctx, loop)],
                          properties={"library": d.library, "kind": d.kind})
    # writes on the loop variable of a loop over query results: `for o in qs: o.save()`
    writes = set(ctx.adapter.knowledge.get("instance_writes", ()))
    if not writes:
        return
    for c in ctx.facts.calls:
        if c.method not in writes or not c.loops or c.node.id in reported or c.node.has_error:
            continue
        loop = c.loops[0]
        if c.receiver not in loop.variables or not collection_loop(ctx, loop):
            continue
        src = _db_loop_vars(ctx, loop, by_start)
        if src is None:
            continue
        msg = (f"`{c.receiver}{ctx.adapter.member_separator}{c.method}()` writes one row per item of {_loop_desc(loop)} "
               f"(loop on line {loop.node.start_point[0] + 1}): {_hint(ctx, src.library)}")
        yield ctx.finding(rule, c.node, message=literal(msg), related=[_loop_related(ctx, loop)],
                          properties={"library": src.library, "kind": "write"})


def pending(ctx, rule) -> list[dict]:
    """Calls in collection loops that may reach a query through the project, and relation
    accesses on loop variables over query results; resolved in phase 2."""
    out: list[dict] = []
    ad = ctx.adapter
    ad.classify_db_calls(ctx.facts)
    db_ids = {d.call.node.id for d in ctx.facts.db_calls}
    db_starts = {d.call.node.start_byte for d in ctx.facts.db_calls}
    # methods of the language's own collections (`items.find(...)`, `map.get(k)`): resolved
    # through the index only when the receiver names the project class
    builtin = frozenset(ad.knowledge.get("builtin_methods", ()))
    for c in ctx.facts.calls:
        if len(out) >= MAX_PENDING:
            break
        if not c.loops or c.node.id in db_ids or c.node.start_byte in db_starts or c.node.has_error:
            continue
        loops = [l for l in c.loops if collection_loop(ctx, l)]
        if not loops:
            continue
        loop = loops[0]
        f = ctx.finding(rule, c.node, message="")
        f.related = (_loop_related(ctx, loop),)
        f.fingerprint_basis = "p2|" + f.fingerprint_basis
        out.append({"type": "call", "method": c.method, "receiver": c.receiver, "sep": ad.member_separator,
                    # Ruby reads attributes with argument-less calls (`o.owner`): only a receiver that
                    # names the class resolves them, never the "only function of that name" fallback
                    "builtin": c.method in builtin or ad.foreign_call(c)
                               or (ad.name == "ruby" and not c.args and c.receiver is not None),
                    "caller": c.function.name if c.function else None,
                    "loop_line": loop.node.start_point[0] + 1, "loop": _loop_desc(loop),
                    "finding": finding_to_dict(f)})
    by_start = {d.call.node.id: d for d in ctx.facts.db_calls}
    for loop in ctx.facts.loops:
        if len(out) >= MAX_PENDING or not loop.variables or not collection_loop(ctx, loop):
            continue
        src = _db_loop_vars(ctx, loop, by_start)
        if src is None:
            continue
        model = ad.query_model(src.call)
        if not model:
            continue
        eager = ad.eager_loaded(src.call)
        for var, attr, node in ad.member_accesses(loop.body if loop.body is not None else loop.node, loop.variables):
            f = ctx.finding(rule, node, message="")
            f.related = (_loop_related(ctx, loop),)
            f.fingerprint_basis = "p2rel|" + f.fingerprint_basis
            out.append({"type": "relation", "model": model, "var": var, "attr": attr, "eager": sorted(eager),
                        "library": src.library, "eager_hint": _eager_hint(ctx, src.library),
                        "sep": ad.member_separator, "loop_line": loop.node.start_point[0] + 1,
                        "loop": _loop_desc(loop), "finding": finding_to_dict(f)})
    return out


def resolve(rule, index, pending_by_path: dict[str, list[dict]]) -> Iterator[Finding]:
    for path, items in sorted(pending_by_path.items()):
        seen_rel: set[tuple] = set()
        for it in items:
            if it["type"] == "call":
                fn = index.resolve(it["method"], it["receiver"], path)
                if fn is None or (fn.name == it.get("caller") and fn.path == path):
                    continue
                if it.get("builtin") and not names_class(it["receiver"], fn.cls):
                    continue
                q = index.query_of(fn)
                if q is None:
                    continue
                qfn, db = q
                f = finding_from_dict(it["finding"])
                where = f"{qfn.path}:{db['line']}"
                via = f" (via `{fn.name}()`)" if qfn is not fn else ""
                f.message = (f"`{_call_text(it)}` runs a query for each item of {it['loop']} (loop on line "
                             f"{it['loop_line']}): `{qfn.name}()`{via} queries the database with `{db['callee']}` "
                             f"at {where}; load the data for all items in one query before the loop")
                from ...model import Span

                f.related = tuple(f.related) + (Related(Span(db["line"], 1, db["line"], 1), f"the query in `{qfn.name}()`", qfn.path),)
                yield f
            elif it["type"] == "relation":
                rels = index.models.get(it["model"], {})
                target = rels.get(it["attr"])
                if target is None or it["attr"] in it["eager"]:
                    continue
                key = (it["loop_line"], it["var"], it["attr"])
                if key in seen_rel:
                    continue
                seen_rel.add(key)
                f = finding_from_dict(it["finding"])
                hint = it.get("eager_hint") or "the ORM's eager-load option"
                f.message = (f"`{it['var']}{it.get('sep', '.')}{it['attr']}` lazily loads `{target}` data for each item of {it['loop']} "
                             f"(loop on line {it['loop_line']}): the query over `{it['model']}` does not eager-load "
                             f"`{it['attr']}`; add it with {hint}")
                yield f


_EAGER_HINTS = {
    "django": "`select_related`/`prefetch_related`", "sqlalchemy": "`selectinload`/`joinedload`",
    "flask-sqlalchemy": "`selectinload`/`joinedload`", "peewee": "`prefetch()`/a join",
    "activerecord": "`includes`/`preload`", "sequel": "`eager`/`eager_graph`", "eloquent": "`with()`/`load()`",
    "typeorm": "`relations:`/`leftJoinAndSelect`", "sequelize": "`include:`", "prisma": "`include:`",
    "mongoose": "`populate()`", "ef": "`Include()`/`ThenInclude()`", "efcore": "`Include()`/`ThenInclude()`",
    "jpa": "a `JOIN FETCH` or `@EntityGraph`", "hibernate": "a `JOIN FETCH` or `@EntityGraph`",
    "spring-data": "a `JOIN FETCH` or `@EntityGraph`", "gorm": "`Preload`",
}


def _eager_hint(ctx, library: str) -> str:
    hints = ctx.adapter.knowledge.get("eager_hints", {})
    return hints.get(library) or _EAGER_HINTS.get(library, "the ORM's eager-load option")


def _call_text(it: dict) -> str:
    r = it.get("receiver")
    return f"{r}{it.get('sep', '.')}{it['method']}()" if r else f"{it['method']}()"
