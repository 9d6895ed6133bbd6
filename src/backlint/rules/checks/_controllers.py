"""What the controller rules (db-in-controller, logic-in-controller, missing-pagination) share:
the calls and DB calls inside a route handler, a bounded walk of its body, words of
identifiers, and whether a value reaches the handler's response.

Language knowledge is read from `controllers:` (languages/<lang>/knowledge.d/controllers.yaml);
each key has a generic default here so a language without the file still works.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterator

from ...languages.base import Call, DbCall, RouteHandler, text
from ._common import elide_args, literal, outermost, short  # noqa: F401  (re-exported to the controller rules)

MAX_WALK = 30_000  # nodes visited per handler body (minified or generated handlers)

DEFAULTS = {
    # the receiver of a call into the repository / service layer (the sanctioned way)
    "layer-receivers": r"(?i)(repo|repos|repository|repositories|dao|daos|store|service|services|gateway|"
                       r"usecase|usecases|interactor)$",
    # DB call libraries that are themselves a repository layer (Spring Data interfaces)
    "layer-libraries": [],
    # calls that produce the response (a value passed to them is what the endpoint returns)
    "response": r"(?i)^(json|jsonify|send|render|render_template|JsonResponse|Response|HttpResponse|make_response|"
                r"ok|Ok|JSON|IndentedJSON|Json|Content|View|view|status|respond_with|ResponseEntity|"
                r"body|serialize|Serializer|\w+Serializer|\w+Schema|dump|dumps|to_json|as_json|"
                r"model_validate|from_orm|parse_obj|present|compact|toArray|collection|make|"
                r"Results\.Ok|TypedResults\.Ok|NewEncoder|Encode|Marshal)$",
    # wrapping calls that reduce a collection to one value
    "aggregates": r"(?i)^(len|count|sum|max|min|any|all|exists|size|length|Count|Sum|Max|Min|Any|All|"
                  r"LongCount|Average|avg|average|first|First|FirstOrDefault|last|Last|bool|isEmpty|is_empty|"
                  r"empty|blank|present|none)$",
    # evidence that the handler pages or bounds its result
    "pagination": r"(?i)(\bpage\b|\bpages\b|page_?size|per_?page|page_?number|\bpaginat\w*|paginate|paginator|"
                  r"pagination_class|paginate_by|Pageable|PageRequest|\bPage<|Slice<|\blimit\b|\boffset\b|"
                  r"\bcursor\b|\bskip\b|\btake\b|\btop\b|kaminari|pagy|will_paginate|cursorPaginate|"
                  r"simplePaginate|\.page\(|\.per\(|\bper\b|\bfirst\b\s*[:=]|\bafter\b\s*[:=])",
    # methods that return a collection of rows (unbounded unless limited)
    "collection-reads": ["all", "filter", "exclude", "where", "order_by", "orderBy", "values", "values_list",
                         "annotate", "distinct", "only", "defer", "find", "findAll", "findMany", "find_all",
                         "findAndCountAll", "list", "select", "scalars", "fetchall", "fetch_all", "fetchAll",
                         "get", "ToList", "ToListAsync", "ToArray", "ToArrayAsync", "AsEnumerable",
                         "Find", "Select", "Query", "query", "raw", "getResultList", "getResultStream",
                         "queryForList", "findBy", "findAllBy", "pluck", "execute", "exec", "lean",
                         "Scan", "QueryContext", "QueryxContext", "Queryx"],
    # calls that build SQL text without running it (Python: `sqlalchemy.text("...")`)
    "sql-builders": [],
    # an assignment target that is the response (JavaScript: Koa `ctx.body = rows`)
    "response-assignment": None,
    # an assignment target the view renders (Rails `@orders = ...`), in handlers matching view-handlers
    "view-assignment": None,
    "view-handlers": ".",
    # calls that change an object's state (JPA/Doctrine setters) and arithmetic done with methods
    "state-setters": r"^set[A-Z]\w*$",
    "arithmetic-methods": None,  # Java: BigDecimal add/subtract/multiply/divide
    # text in a query chain that bounds it
    "limits": r"(?i)(\.limit\(|\.Limit\(|\.take\(|\.Take\(|\.top\(|\.first\(|\.First\(|\[\s*:\s*\w+\s*\]|"
              r"\[\s*\w+\s*:\s*\w+\s*\]|\btake\s*:|\blimit\s*:|\bfirst\s*:|\bper_page\b|\.page\(|\.per\(|"
              r"\.paginate\(|\.simplePaginate\(|\.cursorPaginate\(|\.setMaxResults\(|PageRequest|Pageable|"
              r"\.slice\(|\bLIMIT\b|\bTOP\b|FETCH\s+(FIRST|NEXT))",
}


def knowledge(ctx, key: str):
    k = ctx.adapter.knowledge.get("controllers") or {}
    return k.get(key, DEFAULTS.get(key))


@lru_cache(maxsize=256)
def rx(pattern: str) -> re.Pattern:
    return re.compile(pattern)


def in_node(node, outer) -> bool:
    return outer.start_byte <= node.start_byte and node.end_byte <= outer.end_byte


def code_text(ctx, node, limit: int = 20_000) -> str:
    """The node's source with comments blanked (annotations and prose must not count as code)."""
    end = min(node.end_byte, node.start_byte + limit)
    t = ctx.source[node.start_byte:end]
    cuts = [(c.start_byte - node.start_byte, c.end_byte - node.start_byte) for c in ctx.facts.comments
            if node.start_byte <= c.start_byte < end]
    if cuts:
        b = bytearray(t)
        for a, z in cuts:
            b[a:z] = b" " * (min(z, len(b)) - a)
        t = bytes(b)
    return t.decode("utf-8", "replace")


def handler_calls(ctx, h: RouteHandler) -> list[Call]:
    return [c for c in ctx.facts.calls if in_node(c.node, h.node) and not c.node.has_error]


def handler_db_calls(ctx, h: RouteHandler) -> list[DbCall]:
    ctx.adapter.classify_db_calls(ctx.facts)
    builders = set(knowledge(ctx, "sql-builders") or ())
    return outermost([d for d in ctx.facts.db_calls if in_node(d.call.node, h.node) and not d.call.node.has_error
                      and not (d.kind == "raw-sql" and d.call.method in builders)])


def chain_root(call: Call) -> str:
    """The first name of a call chain's receiver: `Order` of `Order.objects.filter`, `this`
    of `this.repo.find`, `repo` of `repo.Find`."""
    r = (call.receiver or call.callee or "").lstrip("$@")
    return re.split(r"[.\->:(\[]+", r, maxsplit=1)[0]


def receiver_segments(call: Call) -> list[str]:
    """Names of the objects in a receiver chain; method calls in it (`getRepository(X)`) are
    not objects: `$em->getRepository(Order::class)` -> [em]."""
    r = (call.receiver or "").strip("$@ ")
    prev = None
    while prev != r:
        prev = r
        r = re.sub(r"\([^()]*\)", "\x00", r)
    return [s for s in re.split(r"[.\->:\[\]]+", r) if s and "\x00" not in s]


def is_layer_call(ctx, d: DbCall) -> bool:
    """A call into the project's repository/service layer rather than the database."""
    if d.library in (knowledge(ctx, "layer-libraries") or ()):
        return True
    pat = rx(knowledge(ctx, "layer-receivers"))
    return any(pat.search(s) for s in receiver_segments(d.call)[:3])


def walk(node, limit: int = MAX_WALK) -> Iterator:
    """Preorder walk of node's subtree, at most `limit` nodes."""
    if node is None:
        return
    cursor = node.walk()
    seen = 0
    while True:
        yield cursor.node
        seen += 1
        if seen >= limit:
            return
        if cursor.goto_first_child():
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent() or cursor.node.id == node.id:
                return


_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")


def words(s: str) -> list[str]:
    """`order.totalPrice_cents` -> [order, total, price, cents]."""
    return [w.lower() for w in _WORD.findall(s)]


def handler_label(h: RouteHandler) -> str:
    name = h.name if h.name and not h.name.startswith("/") else "<callback>"
    if h.class_name and h.function is not None and h.function.kind != "lambda":
        name = f"{h.class_name}.{name}"
    return f"route handler `{name}` ({h.describe()}; recognised by {h.how})"


def class_node(h: RouteHandler):
    p, steps = h.node.parent, 0
    while p is not None and steps < 12:
        if "class" in p.type and "body" not in p.type:
            return p
        p, steps = p.parent, steps + 1
    return None


# -- does a value reach the response? -----------------------------------------------------------
_STOP = ("block", "body", "statement_block", "compound_statement", "program", "module", "source_file",
         "class_body", "declaration_list", "method", "do_block", "then", "else")


def _call_method(node) -> str | None:
    """Method name of a call node (any grammar): the last identifier of its function part."""
    fn = node.child_by_field_name("function") or node.child_by_field_name("method") or node.child_by_field_name("name")
    if fn is None and node.named_child_count:
        fn = node.named_children[0]
    if fn is None:
        return None
    t = text(fn)[-80:]
    m = re.search(r"([A-Za-z_]\w*)\s*(?:<[^<>]*>)?\s*$", t)
    return m.group(1) if m else None


def _is_call(node) -> bool:
    t = node.type
    return t in ("call", "call_expression", "method_invocation", "invocation_expression", "function_call_expression",
                 "member_call_expression", "scoped_call_expression", "object_creation_expression",
                 "new_expression", "nullsafe_member_call_expression")


def flows_out(ctx, node, top) -> str | None:
    """How the value of `node` leaves the handler whose body is `top`: 'return', 'response'
    (passed to a response/serializer/render call), or None (an aggregate, a condition, ...)."""
    resp = rx(knowledge(ctx, "response"))
    agg = rx(knowledge(ctx, "aggregates"))
    if node.id == top.id:
        return None if _is_block(top) else "return"
    p, child, steps = node.parent, node, 0
    while p is not None and steps < 40 and p.id != top.id:
        t = p.type
        if _is_call(p) and p.id != node.id:
            m = _call_method(p)
            if m and agg.match(m) and child.id != (p.child_by_field_name("function") or p).id:
                return None
            if m and resp.match(m):
                return "response"
        if "return" in t or t in ("arrow_function",) or t.startswith("yield"):
            return "return"
        if "condition" in t or t in ("if_statement", "while_statement", "unless", "if", "elsif") and child.id == (p.child_by_field_name("condition") or p).id:
            return None
        if t in _STOP:
            return None
        p, child, steps = p.parent, p, steps + 1
    if p is not None and p.id == top.id and not _is_block(top):
        return "return"  # an expression-bodied handler (`=> db.Orders.ToListAsync()`, a lambda)
    return None


def _is_block(n) -> bool:
    t = n.type
    return "block" in t or "body" in t or t in ("compound_statement", "statement_block", "do_block", "begin",
                                               "constructor_body", "declaration_list", "class_body")


def assigned_name(node, top) -> str | None:
    """The variable (or instance variable / property) that receives the value of `node`."""
    p, child, steps = node.parent, node, 0
    while p is not None and steps < 8 and p.id != top.id:
        t = p.type
        if "assignment" in t or t in ("variable_declarator", "short_var_declaration", "var_spec", "let_declaration",
                                      "lexical_declaration", "local_variable_declaration", "property_declaration"):
            left = p.child_by_field_name("left") or p.child_by_field_name("name") or (p.named_children[0] if p.named_child_count else None)
            if left is not None and left.id != child.id:
                return _first_name(text(left))
        if _is_call(p) and steps > 0:
            fn = p.child_by_field_name("function") or p.child_by_field_name("object") or p.child_by_field_name("receiver")
            m = _call_method(p)
            if not (fn is not None and in_node(node, fn)) and m not in (None, "list", "List", "await", "to_a", "ToList",
                                                                          "ToListAsync", "Array", "from"):
                return None  # an argument of another call: not the value assigned
        if t in _STOP:
            return None
        p, child, steps = p.parent, p, steps + 1
    return None


def _first_name(t: str) -> str | None:
    """The first variable a left-hand side binds: `rows, err` -> rows, `{ rows }` -> rows,
    `{ rows: data }` -> data, `[first]` -> first."""
    t = t.strip()
    if t[:1] in "{[(":
        t = t.strip("{}[]() \n")
        first = t.split(",")[0]
        if ":" in first:
            first = first.split(":", 1)[1]
        m = re.search(r"[A-Za-z_$@][\w$]*", first)
        return m.group(0) if m else None
    if re.match(r"^[\w$@][\w$@.>\-]*\s*,", t):
        t = t.split(",")[0]
    return t.strip() or None


def destination_names(node) -> list[str]:
    """Variables a call fills through pointer arguments (Go `db.Find(&orders)`,
    `sqlx.Select(&xs, ...)`)."""
    args = node.child_by_field_name("arguments")
    if args is None:
        return []
    out = []
    for a in args.named_children:
        t = text(a).strip()
        if t.startswith("&") and re.fullmatch(r"&[A-Za-z_]\w*", t):
            out.append(t[1:])
    return out


def uses_after(top, name: str, after: int) -> list:
    """Identifier-like nodes named `name` (or the string 'name', for `compact('orders')`) after a byte."""
    bare = name.lstrip("$@").split(".")[-1].split("->")[-1]
    out = []
    for n in walk(top):
        if n.start_byte < after or n.child_count:
            if n.start_byte >= after and n.type in ("string", "string_literal", "encapsed_string", "interpreted_string_literal") \
                    and text(n).strip("'\"") == bare:
                out.append(n)
            continue
        if text(n).lstrip("$@") == bare and n.type not in ("string_content", "string_fragment", "comment"):
            out.append(n)
    return out


def _argument_of(use, top):
    """The call `use` is an argument of (`Serializer(qs, many=True)`), if any."""
    p, steps = use.parent, 0
    while p is not None and steps < 4 and p.id != top.id:
        if _is_call(p):
            fn = p.child_by_field_name("function") or p.child_by_field_name("name") or p.child_by_field_name("method")
            return None if fn is not None and in_node(use, fn) else p
        if p.type not in ("argument_list", "arguments", "argument", "keyword_argument", "pair", "named_argument"):
            return None
        p, steps = p.parent, steps + 1
    return None


def reaches_response(ctx, node, h: RouteHandler, depth: int = 0) -> str | None:
    """'return'/'response'/'view'/'iterated' when the value of node is what the handler sends
    back: directly, through variables, or through a call that wraps it (`Serializer(qs)`)."""
    top = h.body if h.body is not None else h.node
    dest = destination_names(node) if _is_call(node) else []
    if dest:
        names = dest  # the rows land in `&orders`; the call's own value is an error / handle
    else:
        how = flows_out(ctx, node, top)
        if how:
            return how
        name = assigned_name(node, top)
        names = [name] if name else []
    resp_assign = knowledge(ctx, "response-assignment")
    view = knowledge(ctx, "view-assignment")
    # statement loops over the rows (`for row in rows`, `for rows.Next()`); callbacks (`map`, `Sum`)
    # are judged by where their own value goes
    loops = [lp for lp in ctx.facts.loops if lp.kind in ("for", "while", "cursor") and in_node(lp.node, top)]
    for name in names:
        if resp_assign and rx(resp_assign).search(name):
            return "response"  # Koa `ctx.body = rows`
        if view and rx(view).search(name) and rx(knowledge(ctx, "view-handlers") or ".").search(h.name or ""):
            return "view"  # Rails instance variables, Razor Pages properties: what the view renders
        for use in uses_after(top, name, node.end_byte):
            # the use itself or its member access (`orders.map(...)`)
            how = flows_out(ctx, use, top)
            if how:
                return how
            if _returns_last(use, top):
                return "return"
            if resp_assign:
                target = assigned_name(use, top)
                if target and rx(resp_assign).search(target):
                    return "response"
            if any(in_node(use, lp.node) and not (lp.body is not None and in_node(use, lp.body)) for lp in loops):
                return "iterated"  # `for row in rows` / `for rows.Next()`: the loop builds what is sent
            wrapper = _argument_of(use, top) if depth < 2 else None
            if wrapper is not None:
                m = _call_method(wrapper)
                if not (m and rx(knowledge(ctx, "aggregates")).match(m)):
                    how = reaches_response(ctx, wrapper, h, depth + 1)
                    if how:
                        return how
    return None


def _returns_last(use, top) -> bool:
    """Ruby/Rust-style implicit return: the use is the last statement of the body."""
    if top.named_child_count == 0:
        return False
    last = top.named_children[-1]
    return in_node(use, last) and last.type in ("identifier", "instance_variable")
