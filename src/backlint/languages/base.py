"""The adapter contract every language implements, and the shared facts it produces.

Cross-language rules are written against these facts (DESIGN §3), never against grammar node
names. An adapter = a tree-sitter grammar + facts.scm (one combined query, run in C) +
knowledge.yaml (DB APIs and other names of that language) + a few small methods that read the
parts of a captured node.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import tree_sitter as ts
import yaml

# the C-accelerated safe loader when libyaml is present (10x faster); never the unsafe ones
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

HOLE_OPEN, HOLE_CLOSE = "\ue000", "\ue001"
HOLE_RE = re.compile("\ue000(\\d+)\ue001")
MAX_EVAL_DEPTH = 60  # deeper string expressions are treated as opaque (no recursion blow-ups)


def hole_marker(i: int) -> str:
    return f"{HOLE_OPEN}{i}{HOLE_CLOSE}"


# ----------------------------------------------------------------------------------------------
# facts
# ----------------------------------------------------------------------------------------------
@dataclass(eq=False)
class Function:
    node: ts.Node
    name: str
    params: list[str] = field(default_factory=list)
    decorators: list[str] = field(default_factory=list)
    class_name: str | None = None
    class_bases: list[str] = field(default_factory=list)
    class_decorators: list[str] = field(default_factory=list)
    body: ts.Node | None = None
    kind: str = "function"  # function | method | lambda


@dataclass(eq=False)
class RouteHandler:
    """A function, method or inline callback that serves an HTTP route (see languages/routes.py)."""
    node: ts.Node  # the handler's function node (or the block of a Sinatra route)
    function: Function | None
    body: ts.Node | None
    name: str
    framework: str  # flask, fastapi, django, drf, express, nestjs, gin, spring, rails, laravel, aspnet, ...
    methods: tuple[str, ...] = ()  # HTTP methods when known ("GET", ...; "*" for any)
    path: str | None = None  # the route path when written as a literal
    how: str = ""  # the evidence, for messages: "`@app.get(\"/orders\")`", "class `X` extends `APIView`"
    class_name: str | None = None

    @classmethod
    def of(cls, f: "Function", framework: str, methods: tuple[str, ...], route: str | None, how: str) -> "RouteHandler":
        """The handler a Function serves; an inline callback is named after its route."""
        name = f.name if f.kind != "lambda" else (route or "<callback>")
        return cls(f.node, f, f.body, name, framework, methods, route, how, f.class_name)

    @property
    def method(self) -> str | None:
        return self.methods[0] if self.methods else None

    def describe(self) -> str:
        verb = "/".join(self.methods) if self.methods and self.methods != ("*",) else ""
        where = " ".join(x for x in (verb, self.path or "") if x)
        return f"{self.framework} {'route ' + where if where else 'route'}".strip()


@dataclass(eq=False)
class Loop:
    node: ts.Node
    kind: str  # for | while | comprehension | callback
    iterable: ts.Node | None = None
    variables: list[str] = field(default_factory=list)
    body: ts.Node | None = None


@dataclass(eq=False)
class Call:
    node: ts.Node
    callee: str  # normalised text of the called expression, e.g. prisma.user.findMany
    method: str  # last name of the callee
    receiver: str | None = None  # text of the receiver, e.g. cursor
    args: list[ts.Node] = field(default_factory=list)  # positional argument expressions
    kwargs: dict[str, ts.Node] = field(default_factory=dict)
    is_new: bool = False  # object creation (new SqlCommand(...))
    function: Function | None = None
    loops: list[Loop] = field(default_factory=list)
    receiver_node: ts.Node | None = None


@dataclass(eq=False)
class Assignment:
    name: str
    value: ts.Node | None
    op: str  # "=" or "+=" (append)
    node: ts.Node
    function: Function | None = None

    @property
    def start_byte(self) -> int:
        return self.node.start_byte


@dataclass(eq=False)
class DbCall:
    call: Call
    library: str
    kind: str  # read | write | raw-sql
    sql_arg: ts.Node | None = None
    bounded: bool = False  # returns one row / an aggregate (get, first, count)
    eager: bool = False  # eager-loads relations (select_related, includes, Preload, Include)
    bulk: bool = False  # one query for many keys (filter(id__in=...), whereIn, IN (...), bulk_create)


@dataclass
class Hole:
    node: ts.Node | None
    text: str
    numeric: bool = False  # a format verb that only admits numbers (%d)


@dataclass
class StringValue:
    node: ts.Node
    template: str  # literal text; each hole replaced by hole_marker(i)
    holes: list[Hole]
    how: str  # how the string was built, for messages ("an f-string", "concatenation", ...)

    @property
    def dynamic(self) -> bool:
        return bool(self.holes)

    @staticmethod
    def join(node: ts.Node, parts: Iterable["StringValue"], how: str | None = None) -> "StringValue":
        template, holes, hows = [], [], []
        for p in parts:
            offset = len(holes)
            template.append(HOLE_RE.sub(lambda m: hole_marker(int(m.group(1)) + offset), p.template))
            holes.extend(p.holes)
            if p.how != "literal":
                hows.append(p.how)
        if how is None:
            how = hows[0] if hows else "literal"
        return StringValue(node, "".join(template), holes, how if holes or how != "literal" else "literal")

    @staticmethod
    def opaque(node: ts.Node, text: str, numeric: bool = False) -> "StringValue":
        return StringValue(node, hole_marker(0), [Hole(node, text, numeric)], "expression")


@dataclass
class Facts:
    functions: list[Function]
    calls: list[Call]
    loops: list[Loop]
    assignments: list[Assignment]
    strings: list[ts.Node]  # maximal string expressions (roots)
    comments: list[ts.Node]
    db_calls: list[DbCall] = field(default_factory=list)
    routes: list[RouteHandler] | None = None  # computed on demand: LanguageAdapter.route_handlers
    _assign_index: dict = field(default_factory=dict)
    _function_index: tuple | None = None  # (by node id, named functions by name): route_function

    def index(self) -> None:
        idx: dict[tuple[int, str], list[Assignment]] = {}
        for a in self.assignments:
            key = (a.function.node.id if a.function else 0, a.name)
            idx.setdefault(key, []).append(a)
        for lst in idx.values():
            lst.sort(key=lambda a: a.start_byte)
        self._assign_index = idx

    def assignments_before(self, name: str, function: Function | None, before_byte: int) -> list[Assignment]:
        key = (function.node.id if function else 0, name)
        return [a for a in self._assign_index.get(key, ()) if a.node.end_byte <= before_byte]


# ----------------------------------------------------------------------------------------------
# adapter
# ----------------------------------------------------------------------------------------------
def text(node: ts.Node | None) -> str:
    if node is None:
        return ""
    return node.text.decode("utf-8", "replace") if node.text is not None else ""


def squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def enclosing_node(node: ts.Node, targets, stops=(), limit: int = 10_000) -> ts.Node | None:
    """Nearest ancestor whose type is in `targets`, or None when a `stops` type (a function,
    for "the class of this method") or the root comes first."""
    p, steps = node.parent, 0
    while p is not None and steps < limit:
        if p.type in targets:
            return p
        if p.type in stops:
            return None
        p, steps = p.parent, steps + 1
    return None


def param_names(params: ts.Node | None, bare=frozenset({"identifier"}), only=None, first_identifier: bool = False) -> list[str]:
    """Names of a parameter list: bare identifier children, else each child's `name` field
    (optionally the first identifier child); `only` restricts the child types considered."""
    out: list[str] = []
    if params is None:
        return out
    for p in params.named_children:
        if only is not None and p.type not in only:
            continue
        if p.type in bare:
            out.append(text(p))
            continue
        n = p.child_by_field_name("name")
        if n is None and first_identifier:
            n = next((c for c in p.named_children if c.type == "identifier"), None)
        if n is not None:
            out.append(text(n))
    return out


class LanguageAdapter:
    name: str = ""
    comment_types: frozenset[str] = frozenset({"comment"})
    statement_containers: frozenset[str] = frozenset()
    function_types: frozenset[str] = frozenset()
    identifier_types: frozenset[str] = frozenset({"identifier"})
    literal_collection_types: frozenset[str] = frozenset()  # list/tuple/array literal node types
    member_separator: str = "."  # how the language writes member access in messages (PHP: "->")
    directory: Path  # set by subclasses: the folder holding facts.scm and knowledge.yaml

    def __init__(self) -> None:
        self.ts_language = self._load_language()
        self.parser = ts.Parser(self.ts_language)
        self.facts_query = ts.Query(self.ts_language, (self.facts_file or self.directory / "facts.scm").read_text(encoding="utf-8"))
        self.knowledge = self._load_knowledge()
        self._sinks_by_method: dict[str, list[dict]] = {}
        for s in self.knowledge.get("sql_sinks", []):
            self._sinks_by_method.setdefault(s["method"], []).append(s)
        self._db_by_method: dict[str, list[dict]] = {}
        for e in self.knowledge.get("db_calls", []):
            methods = {m for kind in ("read", "write", "bounded", "bulk", "eager") for m in e.get(kind, ())}
            for m in methods:
                self._db_by_method.setdefault(m, []).append(e)

    # -- to implement -----------------------------------------------------------------------
    def _load_language(self) -> ts.Language:
        raise NotImplementedError

    def function_info(self, node: ts.Node) -> Function:
        raise NotImplementedError

    def call_info(self, node: ts.Node) -> Call | None:
        raise NotImplementedError

    def assignment_info(self, node: ts.Node) -> list[tuple[str, ts.Node | None, str]]:
        raise NotImplementedError

    def loop_info(self, node: ts.Node) -> Loop:
        return Loop(node, "for")

    def string_value(self, node: ts.Node, ev: "Evaluator", depth: int) -> StringValue | None:
        """Evaluate an expression as a string, or None if it is not string-valued."""
        raise NotImplementedError

    def concat_value(self, node: ts.Node, left: ts.Node | None, right: ts.Node | None, ev: "Evaluator",
                     depth: int) -> StringValue | None:
        """`left + right` where at least one side is string-valued; the other side becomes a
        hole (numeric when the adapter can tell it only holds a number)."""
        if left is None or right is None:
            return None
        lv, rv = ev.value(left, depth), ev.value(right, depth)
        if lv is None and rv is None:
            return None
        lv = lv or StringValue.opaque(left, text(left), self.numeric_expression(left))
        rv = rv or StringValue.opaque(right, text(right), self.numeric_expression(right))
        return StringValue.join(node, [lv, rv], "concatenation")

    def string_root(self, node: ts.Node) -> ts.Node:
        """Climb from a string literal to the largest expression that builds a string from it."""
        return node

    def numeric_expression(self, node: ts.Node) -> bool:
        """An expression that can only produce a number (int(x), parseInt(x), x.to_i, (int)x, len(x))."""
        return False

    def placeholder_expression(self, node: ts.Node, ev: "Evaluator") -> bool:
        """An expression that builds a list of bind placeholders (", ".join(["?"] * n))."""
        return False

    def constant_expression(self, node: ts.Node) -> bool:
        """A literal or a reference to a module/class-level constant (UPPER_CASE)."""
        return False

    # -- shared helpers ----------------------------------------------------------------------
    facts_file: Path | None = None  # defaults to directory / "facts.scm"

    def _load_knowledge(self) -> dict[str, Any]:
        """knowledge.yaml plus topic files in knowledge.d/*.yaml (one per concern: crypto, jwt,
        errors, ...), merged key by key; a key may be defined in one file only."""
        out: dict[str, Any] = {}
        files = [self.directory / "knowledge.yaml"] + sorted((self.directory / "knowledge.d").glob("*.yaml"))
        for path in files:
            if not path.is_file():
                continue
            with open(path, encoding="utf-8") as fh:
                data = yaml.load(fh, Loader=_SAFE_LOADER) or {}
            for k, v in data.items():
                if k in out:
                    raise ValueError(f"{self.name}: knowledge key {k!r} defined twice ({path.name})")
                out[k] = v
        return out

    def parse(self, source: bytes) -> ts.Tree:
        return self.parser.parse(source)

    def is_local_name(self, node: ts.Node) -> str | None:
        if node is not None and node.type in self.identifier_types:
            return text(node)
        return None

    @staticmethod
    def sink_entry_matches(s: dict, call: Call) -> bool:
        """The common conditions of a `sql_sinks` entry: new / receiver / callee / bare."""
        if s.get("new") is not None and bool(s["new"]) != call.is_new:
            return False
        rx = s.get("receiver")
        if rx and not re.search(rx, call.receiver or ""):
            return False
        crx = s.get("callee")
        if crx and not re.search(crx, call.callee):
            return False
        return not (s.get("bare") and call.receiver)

    def sql_sink(self, call: Call) -> tuple[dict, ts.Node | None] | None:
        """If the call runs SQL text (knowledge.yaml `sql_sinks`), the sink entry and its SQL argument."""
        for s in self._sinks_by_method.get(call.method, ()):
            if not self.sink_entry_matches(s, call):
                continue
            arg = None
            if "kwarg" in s and s["kwarg"] in call.kwargs:
                arg = call.kwargs[s["kwarg"]]
            elif len(call.args) > s.get("arg", 0):
                arg = call.args[s.get("arg", 0)]
            if arg is None:
                continue
            return s, arg
        return None

    def db_call(self, call: Call) -> DbCall | None:
        """Classify a call against knowledge `db_calls` (ORM and driver APIs) and `sql_sinks`.

        A `db_calls` entry: library, receiver / callee regexes (searched in the receiver text /
        whole callee), `bare: true` for plain function calls, and method lists read / write /
        bounded / bulk / eager, plus `bulk_arg`: a regex that, found in an argument's text (or a
        keyword name), makes the call a bulk query (`id__in`, `whereIn`, `IN (`, `ANY(`)."""
        m = call.method
        for e in self._db_by_method.get(m, ()):
            if e.get("bare") and call.receiver:
                continue
            rx = e.get("receiver")
            if rx and not re.search(rx, call.receiver or ""):
                continue
            crx = e.get("callee")
            if crx and not re.search(crx, call.callee):
                continue
            bulk = m in e.get("bulk", ())
            brx = e.get("bulk_arg")
            if brx and not bulk:
                # the whole chain counts: `filter(id__in=ids).update(...)` is one bulk statement
                texts = [text(a)[:300] for a in call.args] + [f"{k}={text(v)[:300]}" for k, v in call.kwargs.items()]
                texts.append((call.receiver or "")[:600])
                bulk = any(re.search(brx, t) for t in texts)
            return DbCall(call, e.get("library", "?"), "write" if m in e.get("write", ()) else "read",
                          bounded=m in e.get("bounded", ()), eager=m in e.get("eager", ()), bulk=bulk)
        hit = self.sql_sink(call)
        if hit is not None:
            entry, arg = hit
            if entry.get("fragment"):
                return None  # a query-builder fragment is not itself a round trip
            t = text(arg)[:2000]
            bulk = bool(re.search(r"(?i)\bIN\s*\(\s*[?$%:@{\ue000]|\bANY\s*\(|\bunnest\s*\(", t))
            return DbCall(call, entry.get("library", "driver"), "raw-sql", arg, bulk=bulk)
        return None

    def summary(self, facts: Facts) -> dict:
        """Per-function summaries for the project index (DESIGN §3): which functions query the
        database (and where), what they call, and the ORM relations declared in this file."""
        by_fn: dict[int, dict] = {}
        for f in facts.functions:
            if f.kind == "lambda":
                continue
            by_fn[f.node.id] = {"name": f.name, "class": f.class_name, "line": f.node.start_point[0] + 1,
                                "db": None, "calls": []}
        for c in facts.calls:
            if c.function is None or c.function.node.id not in by_fn:
                continue
            entry = by_fn[c.function.node.id]
            if entry["db"] is None:
                dbc = next((d for d in facts.db_calls if d.call is c), None)
                if dbc is not None:
                    entry["db"] = {"line": c.node.start_point[0] + 1, "callee": c.callee[:80], "kind": dbc.kind}
            if len(entry["calls"]) < 60 and c.method not in entry["calls"]:
                entry["calls"].append(c.method)
        return {"functions": list(by_fn.values()), "models": self.model_relations(facts)}

    def foreign_call(self, call: Call) -> bool:
        """A call into a library rather than the project (Go `strconv.Itoa(n)`: a standard
        package): the project index resolves it only when its receiver names a project class."""
        return False

    def model_relations(self, facts: Facts) -> dict[str, dict[str, str]]:
        """ORM models declared in this file: {class name: {relation attribute: target model}}.
        Eagerly loaded relations (SQLAlchemy lazy="joined", JPA FetchType.EAGER) are left out."""
        return {}

    def query_model(self, call: Call) -> str | None:
        """The model class a query call reads (`Order.objects.filter(...)` -> "Order")."""
        return None

    def eager_loaded(self, call: Call) -> set[str]:
        """Relation names the query eager-loads (select_related, includes, with, Include, Preload)."""
        return set()

    def member_accesses(self, node: ts.Node, variables: list[str]) -> list[tuple[str, str, ts.Node]]:
        """(variable, attribute, node) for `var.attr` accesses under node, for the given variables."""
        q = self._member_query()
        if q is None:
            return []
        out = []
        names = set(variables)
        for _, caps in ts.QueryCursor(q).matches(node):
            obj, attr, acc = caps.get("obj"), caps.get("attr"), caps.get("access")
            if not obj or not attr or not acc:
                continue
            name = text(obj[0]).lstrip("$@")
            if name in names:
                out.append((name, text(attr[0]), acc[0]))
        return out

    member_access_query: str | None = None  # (… object @obj … property @attr) @access

    def _member_query(self) -> ts.Query | None:
        if self.member_access_query is None:
            return None
        if not hasattr(self, "_mq"):
            self._mq = ts.Query(self.ts_language, self.member_access_query)
        return self._mq

    def sql_sink_args(self, facts: Facts):
        """(node to report, sink name, sink entry, SQL argument) for every place SQL text is run.
        Languages with non-call sinks (C# `cmd.CommandText = ...`) extend this."""
        for call in facts.calls:
            hit = self.sql_sink(call)
            if hit is not None:
                entry, arg = hit
                yield call.node, call.callee if len(call.callee) <= 60 else call.method, entry, arg

    # -- facts ----------------------------------------------------------------------------
    def facts(self, tree: ts.Tree) -> Facts:
        cursor = ts.QueryCursor(self.facts_query)
        caps = cursor.captures(tree.root_node)
        fn_nodes = caps.get("function", [])
        functions = [self.function_info(n) for n in fn_nodes]
        fn_by_id = {f.node.id: f for f in functions}
        loops = [self.loop_info(n) for n in caps.get("loop", [])]
        loop_by_id = {l.node.id: l for l in loops}

        memo: dict[int, tuple[Function | None, tuple[Loop, ...]]] = {}

        def enclosing(node: ts.Node) -> tuple[Function | None, list[Loop]]:
            """Innermost function and the loops (innermost first) whose body holds node.
            Memoised per ancestor so deep trees cost O(n), not O(n * depth)."""
            chain = []
            p = node.parent
            while p is not None and p.id not in memo:
                chain.append(p)
                p = p.parent
            fn, loops = memo[p.id] if p is not None else (None, ())
            for anc in reversed(chain):
                if anc.id in fn_by_id:
                    fn, loops = fn_by_id[anc.id], ()
                elif anc.id in loop_by_id:
                    loops = (loop_by_id[anc.id],) + loops
                memo[anc.id] = (fn, loops)
            # a loop's iterable is evaluated once: drop loops whose iterable holds the node
            return fn, [lp for lp in loops if self._inside_loop_body(lp, node)]

        calls = []
        for n in caps.get("call", []):
            c = self.call_info(n)
            if c is None:
                continue
            c.function, c.loops = enclosing(n)
            calls.append(c)
        assignments = []
        for n in caps.get("assign", []):
            fn, _ = enclosing(n)
            for name, value, op in self.assignment_info(n):
                assignments.append(Assignment(name, value, op, n, fn))
        seen: set[int] = set()
        strings = []
        last = None  # literals inside the last root are its pieces: climbing from each of them
        #              again is quadratic on long `+` chains (and tree-sitter's parent is O(depth))
        for n in sorted(caps.get("string", []), key=lambda x: (x.start_byte, -x.end_byte)):
            if last is not None and last.start_byte <= n.start_byte and n.end_byte <= last.end_byte:
                continue
            root = self.string_root(n)
            if root.id not in seen:
                seen.add(root.id)
                strings.append(root)
            if last is None or root.end_byte > last.end_byte:
                last = root
        strings.sort(key=lambda n: n.start_byte)
        facts = Facts(functions, calls, loops, assignments, strings, caps.get("comment", []))
        facts.index()
        return facts

    def classify_db_calls(self, facts: Facts) -> None:
        if not facts.db_calls:
            facts.db_calls = [d for d in (self.db_call(c) for c in facts.calls if not c.node.has_error) if d is not None]

    # -- route handlers (languages/routes.py) -----------------------------------------------
    def route_handlers(self, facts: Facts, path: str) -> list[RouteHandler]:
        """The route handlers of a file (memoised on the facts)."""
        if facts.routes is None:
            rec = getattr(self, "_route_recognizer", None)
            if rec is None:
                from .routes import RouteRecognizer

                rec = self._route_recognizer = RouteRecognizer(self)
            facts.routes = rec.handlers(facts, path)
        return facts.routes

    def extra_route_handlers(self, facts: Facts, path: str) -> list[RouteHandler]:
        """Handlers that the `routes:` knowledge cannot describe (Sinatra blocks, ...)."""
        return []

    def parameter_text(self, fn: Function) -> str:
        """The parameter list as written (with types), for `routes.signatures`."""
        p = fn.node.child_by_field_name("parameters")
        return squash(text(p)) if p is not None else ""

    def is_public(self, fn: Function) -> bool:
        """Callable from outside its class (not private/protected): only public methods of a
        controller class are actions."""
        return True

    def is_exported(self, fn: Function) -> bool:
        """Exported from its module (JS/TS `export function GET`)."""
        return False

    @staticmethod
    def function_index(facts: Facts) -> tuple[dict[int, Function], dict[str, list[Function]]]:
        """(functions by node id, named functions by name), built once per file."""
        if facts._function_index is None:
            by_name: dict[str, list[Function]] = {}
            for f in facts.functions:
                if f.kind != "lambda":
                    by_name.setdefault(f.name, []).append(f)
            facts._function_index = ({f.node.id: f for f in facts.functions}, by_name)
        return facts._function_index

    def route_function(self, facts: Facts, node: ts.Node | None) -> Function | None:
        """The function a registration argument stands for: the argument itself (a lambda), a
        function it wraps (`function_argument`), or the one function of the file it names
        (`handler_reference`)."""
        if node is None:
            return None
        fn_by_node, by_name = self.function_index(facts)
        f = fn_by_node.get(node.id) or self.function_argument(node, fn_by_node)
        if f is None:
            fs = by_name.get(self.handler_reference(node) or "", [])
            f = fs[0] if len(fs) == 1 else None
        return f

    def function_argument(self, node: ts.Node, fn_by_node: dict) -> Function | None:
        """The function an argument expression holds when it is not itself a function node
        (a parenthesised lambda, `asyncHandler(async (req, res) => ...)`)."""
        for child in node.named_children[:3]:
            f = fn_by_node.get(child.id)
            if f is not None:
                return f
            if child.type in ("arguments", "argument_list", "argument"):
                for g in child.named_children:
                    if g.id in fn_by_node:
                        return fn_by_node[g.id]
        return None

    def handler_reference(self, node: ts.Node) -> str | None:
        """The function name an argument refers to (`listOrders`, `h.ListOrders`,
        `[OrderController::class, 'index']`), to find the handler in the same file."""
        t = text(node)
        m = re.fullmatch(r"[\w$]+(?:\s*(?:\.|->|::)\s*([\w$]+))?", t.strip())
        if m is None:
            return None
        return m.group(1) or t.strip()

    def _inside_loop_body(self, loop: Loop, node: ts.Node) -> bool:
        """True if node runs once per iteration (in the body, not in the iterable)."""
        if loop.iterable is not None and loop.iterable.start_byte <= node.start_byte and node.end_byte <= loop.iterable.end_byte:
            return False
        return True

    # -- statements (for directive placement) -----------------------------------------------
    def statement_at(self, root: ts.Node, byte: int) -> ts.Node:
        node = root.descendant_for_byte_range(byte, byte + 1) or root
        while node.parent is not None and node.parent.type not in self.statement_containers:
            node = node.parent
        return node


class Evaluator:
    """Evaluates expressions to StringValues, following local variables within one function."""

    def __init__(self, adapter: LanguageAdapter, facts: Facts, functions_by_node=None):
        self.adapter = adapter
        self.facts = facts
        self._fn_ids = {f.node.id: f for f in facts.functions}
        self._loop_ids = {l.node.id: l for l in facts.loops}
        self._fn_memo: dict[int, Function | None] = {}

    def function_of(self, node: ts.Node) -> Function | None:
        """Innermost function holding node; memoised along the parent chain so that repeated
        questions about a deep tree stay linear."""
        memo = self._fn_memo
        chain = []
        p = node.parent
        found: Function | None = None
        while p is not None:
            if p.id in memo:
                found = memo[p.id]
                break
            f = self._fn_ids.get(p.id)
            if f is not None:
                found = f
                memo[p.id] = f
                break
            chain.append(p.id)
            p = p.parent
        for pid in chain:
            memo[pid] = found
        return found

    def value(self, node: ts.Node, depth: int = 0) -> StringValue | None:
        if node is None or depth > MAX_EVAL_DEPTH:
            return None
        return self.adapter.string_value(node, self, depth + 1)

    def variable(self, node: ts.Node, depth: int) -> StringValue | None:
        """The string a local variable holds at `node`: its last assignment in the same function,
        with `+=` appends folded in."""
        name = self.adapter.is_local_name(node)
        if name is None or depth > MAX_EVAL_DEPTH:
            return None
        fn = self.function_of(node)
        assigns = self.facts.assignments_before(name, fn, node.start_byte)
        if not assigns:
            return None
        # walk back to the last plain assignment, then fold the appends after it
        start = len(assigns) - 1
        while start > 0 and assigns[start].op != "=":
            start -= 1
        if start > 0 and conditional_between(assigns[start].node, node):
            # `x = input(); if x is None: x = ""`: both values reach the use; the dynamic one
            # is what matters for injection
            prev = self._fold(assigns[:start], node, depth)
            cur = self._fold(assigns[start:], node, depth)
            if cur is not None and not cur.dynamic and (prev is None or prev.dynamic):
                # the other reaching value is dynamic or unknown (a request value): keep it a hole
                return prev if prev is not None else StringValue.opaque(node, text(node))
            return cur
        return self._fold(assigns[start:], node, depth)

    def _fold(self, assigns: list[Assignment], node: ts.Node, depth: int) -> StringValue | None:
        start = len(assigns) - 1
        while start > 0 and assigns[start].op != "=":
            start -= 1
        parts = []
        for a in assigns[start:]:
            if a.value is None:
                return None
            if a.value.start_byte <= node.start_byte <= a.value.end_byte:
                return None  # self-reference (x = x + ...) handled by the binary expression
            v = self.value(a.value, depth + 1)
            if v is None:
                if a.op == "=":
                    return None
                v = StringValue.opaque(a.value, text(a.value))
            parts.append(v)
        if not parts:
            return None
        how = next((p.how for p in parts if p.dynamic), None)
        if len(parts) > 1 and how in (None, "literal", "expression"):
            how = "appending to a variable"
        return StringValue.join(node, parts, how)


    def hole_is_safe(self, hole: Hole, depth: int = 0) -> bool:
        """A hole is safe when it can only hold a constant, a number or a placeholder list."""
        n = hole.node
        if hole.numeric:
            return True
        if n is None or depth > 8:
            return False
        ad = self.adapter
        if ad.constant_expression(n) or ad.numeric_expression(n) or ad.placeholder_expression(n, self):
            return True
        name = ad.is_local_name(n)
        if name is not None and self._constant_loop_variable(n, name):
            return True
        if name is not None:
            fn = self.function_of(n)
            assigns = self.facts.assignments_before(name, fn, n.start_byte)
            if assigns and len(assigns) > 1 and assigns[-1].op == "=" and conditional_between(assigns[-1].node, n):
                # a branch-local reassignment: every reaching value must be safe
                return all(a.value is not None and self.hole_is_safe(Hole(a.value, text(a.value)), depth + 1)
                           for a in assigns[-2:])
            if assigns and all(a.value is not None for a in assigns[-1:]):
                last = assigns[-1]
                if last.op == "=":
                    v = ad.string_value(last.value, self, depth + 1)
                    if v is not None and not v.dynamic:
                        return True
                    if v is not None and v.dynamic:
                        return all(self.hole_is_safe(h, depth + 1) for h in v.holes)
                    return self.hole_is_safe(Hole(last.value, text(last.value)), depth + 1)
        return False


    def _constant_loop_variable(self, node: ts.Node, name: str) -> bool:
        """`for col in ("name", "email")` / `for col in ALLOWED_COLUMNS`: the variable can only
        hold one of the constants (an allow-list)."""
        p, steps = node.parent, 0
        while p is not None and steps < 200:
            lp = self._loop_ids.get(p.id)
            if lp is not None and name in lp.variables and lp.iterable is not None:
                it = lp.iterable
                if self.adapter.constant_expression(it):
                    return True
                local = self.adapter.is_local_name(it)
                if local is not None:
                    # `tables = ["a", "b"]` then `for t in tables`: bound once, never appended
                    fn = self.function_of(it)
                    assigns = self.facts.assignments_before(local, fn, it.start_byte)
                    if fn is not None and not assigns:
                        assigns = self.facts.assignments_before(local, None, it.start_byte)
                    if len(assigns) != 1 or assigns[0].op != "=" or assigns[0].value is None:
                        return False
                    if any(c.receiver == local and c.method in ("append", "extend", "insert", "push", "add")
                           for c in self.facts.calls):
                        return False
                    it = assigns[0].value
                kids = it.named_children
                return bool(kids) and it.type in self.adapter.literal_collection_types and \
                    all(self.adapter.constant_expression(k) for k in kids)
            if p.id in self._fn_ids:
                return False
            p, steps = p.parent, steps + 1
        return False


_BRANCH = re.compile(r"(^|_)(if|else|elif|elsif|unless|case|switch|when|catch|except|rescue|conditional|ternary)(_|$)")


def conditional_between(assign: ts.Node, use: ts.Node) -> bool:
    """The assignment sits in a branch (if/else/case/catch) that does not also hold the use:
    it may or may not have run when the use executes."""
    p, steps = assign.parent, 0
    while p is not None and steps < 64:
        if p.start_byte <= use.start_byte and use.end_byte <= p.end_byte:
            return False  # reached a common ancestor
        if _BRANCH.search(p.type):
            return True
        p, steps = p.parent, steps + 1
    return False


@functools.lru_cache(maxsize=None)
def _compiled(language: ts.Language, source: str) -> ts.Query:
    return ts.Query(language, source)


def compile_query(language: ts.Language, source: str) -> ts.Query:
    return _compiled(language, source)
