"""Go: functions, calls, loops, assignments and string building (`+`, `+=`, `fmt.Sprintf`,
`strings.Join`, `strings.Builder` / `bytes.Buffer` writes), and the database/sql, sqlx, pgx and
GORM call shapes (a context first, a destination first)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import tree_sitter as ts
import tree_sitter_go

from ..base import (HOLE_RE, Assignment, Call, DbCall, Evaluator, Facts, Function, Hole, LanguageAdapter, Loop,
                    RouteHandler, StringValue, hole_marker, squash, text)

_SIMPLE_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v",
                   "\\": "\\", "'": "'", '"': '"'}
_ESCAPE_RE = re.compile(r"\\(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|([0-7]{3})|(.))", re.S)
# %[flags][width][.precision][argument index]verb (explicit indexes may precede width/precision too)
_VERB_RE = re.compile(r"%([-+# 0]*)((?:\[\d+\])?(?:\*|\d+)?)(?:\.((?:\[\d+\])?(?:\*|\d+)?))?(\[\d+\])?([a-zA-Z%])")
_SAFE_VERBS = set("bdoOxXeEfFgGUtpT")  # a hole through these prints a number, bool, pointer or hex
_LITERALS = frozenset({"interpreted_string_literal", "raw_string_literal", "int_literal", "float_literal",
                       "imaginary_literal", "rune_literal", "true", "false", "nil", "iota"})
_NUMBER_LITERALS = frozenset({"int_literal", "float_literal", "imaginary_literal", "rune_literal", "true",
                              "false", "nil", "iota"})
_STRING_LITERALS = frozenset({"interpreted_string_literal", "raw_string_literal"})
_FUNCTION_NODES = frozenset({"function_declaration", "method_declaration", "func_literal"})
_NUMERIC_OPS = frozenset({"-", "*", "/", "%", "<<", ">>", "&", "|", "^", "&^", "==", "!=", "<", "<=", ">",
                          ">=", "&&", "||"})
_WRITE_METHODS = frozenset({"WriteString", "WriteByte", "WriteRune", "Write"})
_IDENTITY_FUNCS = frozenset({"strings.TrimSpace", "strings.TrimSuffix", "strings.TrimPrefix", "strings.TrimRight",
                             "strings.TrimLeft", "strings.Trim", "strings.ToUpper", "strings.ToLower",
                             "strings.ToTitle", "string", "template.HTML"})
_CTX_NAME = re.compile(r"^(?:c|ctx|context)$|(?:ctx|Ctx|CTX|context|Context)$")
_CTX_TYPES = frozenset({"context.Context", "*gin.Context", "echo.Context", "*fiber.Ctx", "*fasthttp.RequestCtx"})
_CONFIG_FIELD = re.compile(r"(?i)(table|schema|column|prefix|dialect)s?(name)?$")
_PLACEHOLDER_TEXT = re.compile(r"[\s,()]*(?:(?:\?|\$\d+|@p\d+|:\w+)[\s,()]*)+")
_UPPER = re.compile(r"_?[A-Z][A-Z0-9_]*")
# helpers named for what they build: placeholders(n), sqlPlaceholders(len(ids), 1), bindVars(n)
_PLACEHOLDER_HELPER = re.compile(r"(?i)(place_?holders?|bind_?vars?|q_?marks|question_?marks|bind_?params)$")
# strings that describe SQL (sqlmock expectations, regexps, errors, log lines) rather than run it
_NOT_RUN = frozenset({"ExpectExec", "ExpectQuery", "ExpectPrepare", "QuoteMeta", "MustCompile", "Compile",
                      "MatchString", "Errorf", "Wrap", "Wrapf", "Printf", "Println", "Print", "Infof", "Debugf",
                      "Warnf", "Warningf", "Fatalf", "Panicf", "Fatal", "Panic", "Logf", "Log", "Info", "Debug",
                      "Warn", "Error", "Skipf", "Fatalln"})
_NOT_RUN_CALLEES = frozenset({"errors.New", "errors.Errorf", "errors.Wrap", "errors.Wrapf"})
_FILE_QUERY = """
(const_spec name: (identifier) @const)
(source_file (var_declaration (var_spec name: (identifier) @var)))
(source_file (var_declaration (var_spec_list (var_spec name: (identifier) @var))))
(import_spec name: (package_identifier) @alias)
(import_spec path: (interpreted_string_literal) @path)
(type_spec name: (type_identifier) @type.name type: (_) @type.def)
(index_expression operand: (_) @guard.table index: (identifier) @guard.key)
(call_expression
  function: (selector_expression field: (field_identifier) @_contains)
  arguments: (argument_list . (_) @guard.table . (identifier) @guard.key .)
  (#any-of? @_contains "Contains" "ContainsString" "SearchStrings"))
"""
_FAR = 1 << 62
# loops that are not per item: retries, paging, chunks (one statement per chunk is the cure)
_RETRY_NAME = re.compile(r"(?i)retr(y|ies)|attempt|tries|backoff")
_CHUNK_VAR = re.compile(r"(?i)(page|offset|cursor|chunk|batch)\w*")
_CHUNKED = re.compile(r"(?i)chunks\b|batches\b|pages\b|chunk\w*\(|batch\w*\(")
# n-plus-one: SQL text (a literal argument without it is no query: gin's c.Query("id")), bulk SQL
_SQL_TEXT = re.compile(r"(?is)^[\s(]*(select|insert|update|delete|with|replace|merge|upsert|call|exec|execute|"
                       r"truncate|lock|copy|set|show|values|refresh|listen|notify|create|alter|drop|grant|revoke|"
                       r"vacuum|analyze|explain|pragma|begin|commit|rollback|savepoint|release|declare|fetch|do)\b|\bselect\b.+\bfrom\b|"
                       r"\binsert\s+into\b|\bdelete\s+from\b|\bupdate\s+\S+\s+set\b")
_SQL_BULK = re.compile(r"(?i)\bIN\s*\(\s*[?$%:@{\ue000]|\bANY\s*\(|\bunnest\s*\(")
_GORM_NAME = re.compile(r"(?i)\w*db|tx|txn|orm|gorm\w*")
_GORM_FUNC = re.compile(r"(?i)(?:^|\.)(?:get|new|open|must|with)?\w*(?:db|tx|orm|gorm)$")
_NOT_GORM_OPENER = re.compile(r"^(?:sql|sqlx|pgx|pgxpool|pgconn|mongo|redis|bun|pg|ent|xorm|sqlite3?|mysql|pq)\.")
_NOT_GORM_TYPE = re.compile(r"\bsql\.|sqlx\.|pgx|pgconn|mongo\.|redis\.|bun\.|\bent\.|xorm\.|pg\.DB")
_PREPARE = frozenset({"Prepare", "PrepareContext", "Preparex", "PreparexContext", "PrepareNamed",
                      "PrepareNamedContext", "Stmt", "StmtContext", "Stmtx", "StmtxContext", "NamedStmt"})
_PREPARED_NAME = re.compile(r"(?i)stmt$|statement$")
_CTX_FIRST = frozenset({"Query", "QueryRow", "Exec", "SendBatch", "CopyFrom"})
_GORM_BY_KEYS = frozenset({"Find", "First", "Take", "Last", "Delete"})
_EACH_PACKAGES = frozenset({"lo", "lop", "funk", "parallel", "pie", "fp"})


# route handlers: a handler named in a registration (`list`, `h.List`, `&h.List`)
_ROUTE_REF = re.compile(r"&?(?:[A-Za-z_]\w*\.){0,3}([A-Za-z_]\w*)")
_ROUTE_PATH = re.compile(r"^(?:[A-Z]+\s+)?[\w.:-]*/|^\*?$")
_METHOD_PATTERN = re.compile(r"^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|CONNECT|TRACE)\s+(\S.*)$")
_MIDDLEWARE_PARAMS = re.compile(r"^\(\w*(?:http\.Handler|http\.HandlerFunc|echo\.HandlerFunc|gin\.HandlerFunc|"
                                r"fiber\.Handler)\)$")
_HANDLER_FUNC_TYPES = re.compile(r"\*?(?:gin\.HandlerFunc|http\.HandlerFunc|http\.Handler|echo\.HandlerFunc|fiber\.Handler)")
_HTTP_VERBS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "CONNECT", "TRACE")
_EXPLICIT_METHOD_REGISTRATIONS = {"Handle": ["gin", "nethttp"], "Match": ["gin", "echo"], "Method": "chi",
                                  "MethodFunc": "chi", "Add": ["echo", "fiber"]}


def _go_string(node: ts.Node | None) -> str | None:
    if node is not None and node.type in _STRING_LITERALS:
        return unescape(text(node)[1:-1])
    return None


def _http_methods(node: ts.Node | None, depth: int = 0) -> tuple[str, ...]:
    """HTTP methods written as an argument: "GET", http.MethodGet, fiber.MethodPost, echo.PUT,
    []string{"GET", "POST"}."""
    if node is None or depth > 3:
        return ()
    s = _go_string(node)
    if s is not None:
        return (s.upper(),) if s.upper() in _HTTP_VERBS else ()
    if node.type == "selector_expression":
        f = text(node.child_by_field_name("field"))
        f = f[6:] if f.startswith("Method") else f
        return (f.upper(),) if f.upper() in _HTTP_VERBS else ()
    if node.type == "composite_literal":
        body = node.child_by_field_name("body")
        out: list[str] = []
        for e in (body.named_children if body is not None else []):
            if e.type in ("literal_element", "element") and e.named_children:
                e = e.named_children[0]
            out.extend(m for m in _http_methods(e, depth + 1) if m not in out)
        return tuple(out)
    return ()


def unescape(s: str) -> str:
    if "\\" not in s:
        return s

    def rep(m: re.Match) -> str:
        if m.group(1) or m.group(4):
            return chr(int(m.group(1), 16)) if m.group(1) else chr(int(m.group(4), 8))
        if m.group(2) or m.group(3):
            try:
                return chr(int(m.group(2) or m.group(3), 16))
            except ValueError:
                return "?"
        return _SIMPLE_ESCAPES.get(m.group(5), "\\" + m.group(5))

    return _ESCAPE_RE.sub(rep, s)


def _package_name(path: str) -> str:
    parts = [p for p in path.split("/") if p]
    while len(parts) > 1 and re.fullmatch(r"v\d+", parts[-1]):
        parts.pop()
    name = parts[-1] if parts else path
    name = re.sub(r"\.v\d+$", "", name)
    name = re.sub(r"^go-|-go$|\.go$", "", name)
    return name.replace("-", "").replace(".", "")


@dataclass
class _FileInfo:
    consts: set[str] = field(default_factory=set)
    package_vars: set[str] = field(default_factory=set)
    imports: set[str] = field(default_factory=set)
    import_paths: dict[str, str] = field(default_factory=dict)  # package name or alias -> import path
    facts: Facts | None = None
    functions: dict[int, Function] = field(default_factory=dict)
    types: dict[str, ts.Node] = field(default_factory=dict)  # type name -> its definition
    calls_by_function: dict[int, list[Call]] = field(default_factory=dict)
    guards: dict[str, list[tuple[ts.Node, ts.Node]]] = field(default_factory=dict)  # key name -> (table, key)
    evaluator: Evaluator | None = None  # for the SQL text of DbCalls (n-plus-one), built on first need


class Adapter(LanguageAdapter):
    name = "go"
    directory = Path(__file__).parent
    statement_containers = frozenset({"source_file", "block", "statement_list", "const_declaration", "var_spec_list"})
    function_types = _FUNCTION_NODES
    identifier_types = frozenset({"identifier"})

    def __init__(self) -> None:
        super().__init__()
        self._file_query = ts.Query(self.ts_language, _FILE_QUERY)
        self._files: dict[int, _FileInfo] = {}
        k = self.knowledge
        self._numeric_functions = frozenset(k.get("numeric_functions", ()))
        self._numeric_methods = frozenset(k.get("numeric_methods", ()))
        self._numeric_types = frozenset(k.get("numeric_types", ()))
        self._quoting = frozenset(k.get("quoting_functions", ()))
        self._fragment_receiver = re.compile(k.get("fragment_receiver", r"$^"))
        self._guard = 0

    def _load_language(self) -> ts.Language:
        return ts.Language(tree_sitter_go.language())

    def is_local_name(self, node: ts.Node) -> str | None:
        if node is None:
            return None
        if node.type == "identifier":
            return text(node)
        if node.type == "selector_expression":
            operand = node.child_by_field_name("operand")
            if operand is not None and operand.type == "identifier":
                return squash(text(node))
        return None

    # -- per-file knowledge (constants, package variables, imports) ------------------------------
    def facts(self, tree: ts.Tree) -> Facts:
        facts = super().facts(tree)
        info = _FileInfo(facts=facts, functions={f.node.id: f for f in facts.functions})
        for _, m in ts.QueryCursor(self._file_query).matches(tree.root_node):
            if "const" in m:
                info.consts.update(text(n) for n in m["const"])
            elif "var" in m:
                info.package_vars.update(text(n) for n in m["var"])
            elif "alias" in m:
                info.imports.update(text(n) for n in m["alias"])
            elif "path" in m:
                n = m["path"][0]
                path = text(n).strip('"')
                alias = n.parent.child_by_field_name("name") if n.parent is not None else None
                if n.parent is not None and alias is None:
                    info.imports.add(_package_name(path))
                info.import_paths[text(alias) if alias is not None else _package_name(path)] = path
            elif "type.def" in m and "type.name" in m:
                info.types[text(m["type.name"][0])] = m["type.def"][0]
            elif "guard.key" in m and "guard.table" in m:
                key = m["guard.key"][0]
                info.guards.setdefault(text(key), []).append((m["guard.table"][0], key))
        for c in facts.calls:
            info.calls_by_function.setdefault(c.function.node.id if c.function else 0, []).append(c)
        for lst in info.calls_by_function.values():
            lst.sort(key=lambda c: c.node.start_byte)
        facts._go_info = info  # type: ignore[attr-defined]
        root = tree.root_node
        self._files.pop(root.id, None)
        self._files[root.id] = info
        while len(self._files) > 8:
            self._files.pop(next(iter(self._files)))
        return facts

    def _info(self, node: ts.Node) -> _FileInfo:
        n, steps = node, 0
        while n.parent is not None and steps < 10000:
            n = n.parent
            steps += 1
        return self._files.get(n.id) or _FileInfo()

    @staticmethod
    def _function_node(node: ts.Node) -> ts.Node | None:
        p = node.parent
        while p is not None:
            if p.type in _FUNCTION_NODES:
                return p
            p = p.parent
        return None

    def _local_binding(self, node: ts.Node, info: _FileInfo) -> bool:
        """True if the identifier names a parameter or local variable (of this or an enclosing function)."""
        if info.facts is None:
            return False
        name = text(node)
        fnode = self._function_node(node)
        while fnode is not None:
            fn = info.functions.get(fnode.id)
            if fn is not None and info.facts.assignments_before(name, fn, node.start_byte):
                return True
            fnode = self._function_node(fnode)
        return False

    # -- functions ---------------------------------------------------------------------------
    def function_info(self, node: ts.Node) -> Function:
        params = self._param_names(node.child_by_field_name("parameters"))
        body = node.child_by_field_name("body")
        if node.type == "func_literal":
            return Function(node, "<func>", params, body=body, kind="lambda")
        fn = Function(node, text(node.child_by_field_name("name")), params, body=body)
        if node.type == "method_declaration":
            recv = node.child_by_field_name("receiver")
            fn.kind = "method"
            fn.params = self._param_names(recv) + params
            if recv is not None:
                for pd in recv.named_children:
                    t = pd.child_by_field_name("type")
                    while t is not None and t.type in ("pointer_type", "generic_type", "parenthesized_type"):
                        t = t.named_children[0] if t.named_children else None
                    if t is not None:
                        fn.class_name = text(t)
        return fn

    @staticmethod
    def _param_names(params: ts.Node | None) -> list[str]:
        out: list[str] = []
        if params is None:
            return out
        for p in params.named_children:
            out.extend(text(n) for n in p.children_by_field_name("name"))
        return out

    # -- route handlers (languages/routes.py; data in knowledge.d/routes.yaml) ---------------
    def route_handlers(self, facts: Facts, path: str) -> list[RouteHandler]:
        if facts.routes is None:
            self._refine_routes(facts, super().route_handlers(facts, path))
        return facts.routes or []

    def parameter_text(self, fn: Function) -> str:
        """`(params)result`, squashed: a gin handler returns nothing, an echo/fiber one `error`, so
        helpers that take the context and return a value are not handlers; middleware is none."""
        if fn.kind == "lambda":
            return ""
        facts = self._info(fn.node).facts
        if facts is not None and self._is_middleware(fn, facts):
            return ""
        return self._signature_text(fn)

    @staticmethod
    def _signature_text(fn: Function) -> str:
        p = fn.node.child_by_field_name("parameters")
        return squash(text(p)) + squash(text(fn.node.child_by_field_name("result"))) if p is not None else ""

    def handler_reference(self, node: ts.Node, depth: int = 0) -> str | None:
        """`listOrders`, `h.ListOrders`, `&h.List`, wrapped `http.HandlerFunc(h.List)` /
        `gin.WrapF(list)`; None for a function of this file that is middleware."""
        if node is None or depth > 3:
            return None
        if node.type in ("call_expression", "unary_expression", "parenthesized_expression"):
            inner = node.child_by_field_name("arguments") if node.type == "call_expression" else node
            args = [a for a in (inner.named_children if inner is not None else []) if a.type != "comment"]
            return self.handler_reference(args[0], depth + 1) if len(args) == 1 else None
        m = _ROUTE_REF.fullmatch(squash(text(node)))
        if m is None:
            return None
        name = m.group(1)
        facts = self._info(node).facts
        if facts is not None:
            fs = self._route_cache(facts)["by_name"].get(name, [])
            if len(fs) == 1 and self._is_middleware(fs[0], facts):
                return None
        return name

    def extra_route_handlers(self, facts: Facts, path: str) -> list[RouteHandler]:
        """The func literals returned by handler factories (`func listOrders(db *gorm.DB)
        gin.HandlerFunc { return func(c *gin.Context) {...} }`; the method comes from a
        registration `r.GET("/x", listOrders(db))` in the file), and registrations with the method
        as an argument: gin `r.Handle("GET", "/x", h)` / `r.Match([]string{"GET"}, ...)`, chi
        `r.Method("GET", "/x", h)` / `MethodFunc`, echo `e.Match(...)` / `e.Add("GET", ...)`, fiber
        `app.Add(fiber.MethodGet, ...)`."""
        from ..routes import registration_evidence

        rec = getattr(self, "_route_recognizer", None)
        if rec is None:
            return []
        out = []
        fn_by_node = self.function_index(facts)[0]
        # handler factories: func listOrders(db *gorm.DB) gin.HandlerFunc { return func(c *gin.Context) {...} }
        for name, made in self._route_cache(facts)["factories"].items():
            for factory, lit, fw in made:
                result = squash(text(factory.node.child_by_field_name("result")))
                out.append(RouteHandler(lit.node, lit, lit.body, name, rec.framework(fw), (), None,
                                        f"its factory `{name}()` (returns `{result}`)", factory.class_name))
        for c in facts.calls:
            fw = _EXPLICIT_METHOD_REGISTRATIONS.get(c.method)
            if fw is None or len(c.args) < 3 or c.node.has_error or c.receiver is None:
                continue
            methods = _http_methods(c.args[0])
            route = _go_string(c.args[1])
            if not methods or route is None or not _ROUTE_PATH.search(route):
                continue
            framework = rec.framework(fw)
            cands = c.args[2:] if framework == "echo" else list(reversed(c.args[2:]))
            for a in cands:
                f = self._route_function(a, fn_by_node, facts)
                if f is None:
                    continue
                out.append(RouteHandler.of(f, framework, methods, route, registration_evidence(c.callee, c.node)))
                break
        return out

    def function_argument(self, node: ts.Node, fn_by_node: dict) -> Function | None:
        """Besides a wrapped func literal: `orders.List` when several types of this file have a
        `List` method, by the type of `orders` (a parameter, a struct field, `&T{}`, `NewT(...)`)."""
        f = super().function_argument(node, fn_by_node)
        if f is not None or node is None:
            return f
        if node.type == "call_expression":  # listOrders(db) / h.list(): a handler factory
            facts = self._info(node).facts
            m = _ROUTE_REF.fullmatch(squash(text(node.child_by_field_name("function"))))
            made = self._route_cache(facts)["factories"].get(m.group(1), []) if facts is not None and m else []
            return made[0][1] if len(made) == 1 else None
        if node.type == "unary_expression" and node.named_children:
            node = node.named_children[-1]
        if node.type != "selector_expression":
            return None
        facts = self._info(node).facts
        operand = node.child_by_field_name("operand")
        if facts is None or operand is None:
            return None
        fs = [f for f in self._route_cache(facts)["by_name"].get(text(node.child_by_field_name("field")), [])
              if f.kind == "method"]
        if len(fs) < 2:
            return None
        typ = self._route_operand_type(operand, facts)
        found = [f for f in fs if typ is not None and f.class_name == typ]
        return found[0] if len(found) == 1 else None

    def _route_operand_type(self, operand: ts.Node, facts: Facts) -> str | None:
        t = self._declared_type(operand)
        value = None
        if t is None and operand.type == "identifier":
            fnode = self._function_node(operand)
            fn = self._info(operand).functions.get(fnode.id) if fnode is not None else None
            assigns = facts.assignments_before(text(operand), fn, operand.start_byte) if fn is not None else []
            value = assigns[-1].value if assigns else None
            if value is not None and value.type == "unary_expression" and value.named_children:
                value = value.named_children[-1]
            if value is not None and value.type == "composite_literal":
                t = value.child_by_field_name("type")
            elif value is not None and value.type == "call_expression":
                callee = squash(text(value.child_by_field_name("function"))).rsplit(".", 1)[-1]
                return callee[3:] if callee.startswith("New") and len(callee) > 3 else None
        while t is not None and t.type in ("pointer_type", "generic_type", "parenthesized_type"):
            t = t.named_children[0] if t.named_children else None
        return text(t) if t is not None else None

    def _route_function(self, a: ts.Node, fn_by_node: dict, facts: Facts) -> Function | None:
        f = fn_by_node.get(a.id) or self.function_argument(a, fn_by_node)
        if f is None:
            fs = self._route_cache(facts)["by_name"].get(self.handler_reference(a) or "", [])
            f = fs[0] if len(fs) == 1 else None
        return f

    def _refine_routes(self, facts: Facts, handlers: list[RouteHandler]) -> None:
        """Go 1.22 ServeMux patterns (`"GET /orders/{id}"`), gorilla/mux `.Methods("GET")`, and the
        name of a handler returned by a factory (`listOrders(db)`) is the factory's."""
        made = {lit.node.id: (name, factory) for name, lst in self._route_cache(facts)["factories"].items()
                for factory, lit, _ in lst}
        for h in handlers:
            if h.node.id in made:
                h.name, h.class_name = made[h.node.id][0], made[h.node.id][1].class_name
        for h in handlers:
            m = _METHOD_PATTERN.match(h.path or "")
            if m is not None:
                if h.function is not None and h.function.kind == "lambda" and h.name == h.path:
                    h.name = m.group(2)
                h.methods, h.path = (m.group(1),), m.group(2)
        gorilla = [c for c in facts.calls if c.method == "Methods" and c.args and c.receiver_node is not None
                   and c.receiver_node.type == "call_expression"]
        if not gorilla or not handlers:
            return
        by_node = {h.node.id: h for h in handlers}
        calls = {c.node.id: c for c in facts.calls}
        fn_by_node = self.function_index(facts)[0]
        for c in gorilla:
            inner = calls.get(c.receiver_node.id)
            if inner is None or inner.method not in ("HandleFunc", "Handle") or len(inner.args) < 2:
                continue
            f = self._route_function(inner.args[-1], fn_by_node, facts)
            h = by_node.get(f.node.id) if f is not None else None
            methods = tuple(dict.fromkeys(m for a in c.args for m in _http_methods(a)))
            if h is not None and methods:
                h.methods = methods

    def _route_cache(self, facts: Facts) -> dict:
        """Per file, built once: named functions by name, names passed to `.Use(...)`."""
        cache = getattr(facts, "_go_routes", None)
        if cache is None:
            by_name = self.function_index(facts)[1]
            used = set()
            for c in facts.calls:
                if c.method in ("Use", "Pre", "UseFunc") and c.receiver is not None:
                    for a in c.args:  # r.Use(logging) / r.Use(auth.Required(cfg))
                        if a.type == "call_expression":
                            a = a.child_by_field_name("function") or a
                        m = _ROUTE_REF.fullmatch(squash(text(a)))
                        if m is not None:
                            used.add(m.group(1))
            cache = {"by_name": by_name, "use": used, "factories": {}}
            facts._go_routes = cache  # type: ignore[attr-defined]
            cache["factories"] = self._handler_factories(facts, cache)
        return cache

    def _handler_factories(self, facts: Facts, cache: dict) -> dict[str, list]:
        """name -> [(factory, returned handler literal, framework)] for named functions that return
        a `gin.HandlerFunc` / `http.HandlerFunc` / `echo.HandlerFunc` / `fiber.Handler` /
        `http.Handler` built from a func literal with a handler's signature (not middleware)."""
        sigs = (self.knowledge.get("routes") or {}).get("signatures") or ()
        info = self._info(facts.functions[0].node) if facts.functions else None
        out: dict[str, list] = {}
        for lit in facts.functions:
            if lit.kind != "lambda" or info is None:
                continue
            p, steps = lit.node.parent, 0
            while p is not None and steps < 5 and p.type in ("argument_list", "call_expression", "expression_list",
                                                            "parenthesized_expression"):
                p, steps = p.parent, steps + 1
            if p is None or p.type != "return_statement":
                continue
            fnode = self._function_node(p)
            factory = info.functions.get(fnode.id) if fnode is not None else None
            if factory is None or factory.kind == "lambda":
                continue
            if not _HANDLER_FUNC_TYPES.fullmatch(squash(text(factory.node.child_by_field_name("result")))):
                continue
            if self._is_middleware(factory, facts) or self._is_middleware(lit, facts):
                continue
            sig = self._signature_text(lit)
            e = next((e for e in sigs if re.search(e["params"], sig)), None)
            if e is not None:
                out.setdefault(factory.name, []).append((factory, lit, e["framework"]))
        return out

    def _is_middleware(self, fn: Function, facts: Facts) -> bool:
        """Takes the next handler (`next http.Handler`), is passed to `.Use(...)` in this file, or
        calls `c.Next()` on its context parameter (gin, fiber)."""
        params = fn.node.child_by_field_name("parameters")
        if params is not None and _MIDDLEWARE_PARAMS.search(squash(text(params))):
            return True
        if fn.name in self._route_cache(facts)["use"]:
            return True
        names = set(self._param_names(params))
        info = self._info(fn.node)
        return any(c.method == "Next" and not c.args and c.receiver in names
                   for c in info.calls_by_function.get(fn.node.id, ()))

    # -- calls -------------------------------------------------------------------------------
    def call_info(self, node: ts.Node) -> Call | None:
        fn = node.child_by_field_name("function")
        if fn is None:
            return None
        al = node.child_by_field_name("arguments")
        args = [a for a in al.named_children if a.type != "comment"] if al is not None else []
        if fn.type == "selector_expression":
            recv = fn.child_by_field_name("operand")
            return Call(node, squash(text(fn)), text(fn.child_by_field_name("field")), squash(text(recv)), args,
                        receiver_node=recv)
        callee = squash(text(fn))
        method = "<func>" if fn.type == "func_literal" else callee.rsplit(".", 1)[-1]
        return Call(node, callee, method, None, args, is_new=callee == "new")

    # -- assignments -------------------------------------------------------------------------
    def assignment_info(self, node: ts.Node):
        t = node.type
        if t in ("short_var_declaration", "assignment_statement"):
            left = node.child_by_field_name("left")
            right = node.child_by_field_name("right")
            lefts = left.named_children if left is not None else []
            rights = [r for r in right.named_children if r.type != "comment"] if right is not None else []
            op = text(node.child_by_field_name("operator")) if t == "assignment_statement" else ":="
            out = []
            for i, lhs in enumerate(lefts):
                value = self._paired(i, lefts, rights)
                if lhs.type == "identifier":
                    name = text(lhs)
                    if name == "_":
                        continue
                    if op in ("=", ":="):
                        out.append((name, value, "="))
                    elif op == "+=":
                        out.append((name, value, "+="))
                    else:
                        out.append((name, None, "="))
                elif lhs.type == "selector_expression" and self.is_local_name(lhs) is not None:
                    # rq.sql = "...": a field of a local value, followed like a variable
                    out.append((squash(text(lhs)), value if op in ("=", "+=") else None, "+=" if op == "+=" else "="))
                elif lhs.type == "index_expression" and op == "=":
                    operand = lhs.child_by_field_name("operand")
                    if operand is not None and operand.type == "identifier":
                        out.append((text(operand) + "[]", value, "="))  # element writes: xs[i] = "?"
            return out
        if t in ("var_spec", "const_spec", "parameter_declaration"):
            names = [n for n in node.children_by_field_name("name") if text(n) != "_"]
            value = node.child_by_field_name("value")
            typ = node.child_by_field_name("type")
            values = [v for v in value.named_children if v.type != "comment"] if value is not None else []
            out = []
            for i, n in enumerate(names):
                v = self._paired(i, names, values) if values else None
                # a typed declaration without a value: the type stands in (it tells numbers apart)
                out.append((text(n), v if values else typ, "="))
            return out
        if t == "range_clause":
            left = node.child_by_field_name("left")
            if left is None:
                return []
            # the loop variable itself is the "value": numeric_expression reads its type from the iterable
            return [(text(n), n, "=") for n in left.named_children if n.type == "identifier" and text(n) != "_"]
        return []

    @staticmethod
    def _paired(i: int, lefts: list, rights: list) -> ts.Node | None:
        if len(lefts) == len(rights):
            return rights[i]
        if len(rights) == 1 and i == 0:
            return rights[0]  # v, err := f(): the first result comes from the call
        return None

    # -- loops -------------------------------------------------------------------------------
    def loop_info(self, node: ts.Node) -> Loop:
        """Loop.kind: `for _, x := range xs` and `for i := 0; i < len(xs); i++` are "for" (the
        iterable is xs; `i < 3` or `i < maxRetries` makes it a constant, so not a collection);
        `for rows.Next()` / `for cur.Next(ctx)` / `for scanner.Scan()` are "cursor" (row
        iteration); `for {}`, `for cond {}`, retry loops (`attempt`), pagination and chunk loops
        (`i += batchSize`, `range chunks`) are "while" (skipped by n-plus-one). The body of a
        func literal may be a loop too (facts.scm): an `lo.ForEach(xs, func(x T, _ int) {...})`
        callback, or a closure run once per iteration of the loop around it (`go func() {...}()`,
        `g.Go(func() error {...})`), which mirrors that loop."""
        if node.type == "block":
            return self._closure_loop(node)
        body = node.child_by_field_name("body")
        for c in node.named_children:
            if c.type == "for_clause":
                return self._for_clause_loop(node, c, body)
            if c.type == "range_clause":
                left = c.child_by_field_name("left")
                names = [text(n) for n in (left.named_children if left is not None else [])]
                right = c.child_by_field_name("right")
                kind = "for"
                if right is not None and (_CHUNKED.search(text(right)[:200]) or
                                          any(_CHUNK_VAR.fullmatch(n) for n in names)):
                    kind = "while"  # one statement per chunk or page is the cure, not the disease
                return Loop(node, kind, right, names, body)
        cond = next((c for c in node.named_children if c.id != (body.id if body is not None else -1)
                     and c.type != "comment"), None)
        if cond is not None and cond.type == "call_expression":
            fn = cond.child_by_field_name("function")
            al = cond.child_by_field_name("arguments")
            nargs = len([a for a in (al.named_children if al is not None else []) if a.type != "comment"])
            if fn is not None and fn.type == "selector_expression":
                field_name = text(fn.child_by_field_name("field"))
                if (field_name == "Next" and nargs <= 1) or (field_name == "Scan" and nargs == 0):
                    # rows.Next(), cur.Next(ctx), scanner.Scan(): one iteration per row / record
                    return Loop(node, "cursor", fn.child_by_field_name("operand"), [], body)
        return Loop(node, "while", cond, [], body)

    def _for_clause_loop(self, node: ts.Node, clause: ts.Node, body: ts.Node | None) -> Loop:
        init = clause.child_by_field_name("initializer")
        names: list[str] = []
        if init is not None and init.type == "short_var_declaration":
            left = init.child_by_field_name("left")
            names = [text(n) for n in (left.named_children if left is not None else [])]
        cond = clause.child_by_field_name("condition")
        update = clause.child_by_field_name("update")
        if cond is None or any(_RETRY_NAME.search(n) or _CHUNK_VAR.fullmatch(n) for n in names):
            return Loop(node, "while", cond, names, body)  # for i := 0; ; i++ / retry / paging
        if update is not None and update.type == "assignment_statement" and \
                text(update.child_by_field_name("operator")) in ("+=", "-="):
            step = update.child_by_field_name("right")
            if step is None or squash(text(step)) != "1":
                return Loop(node, "while", cond, names, body)  # i += batchSize: a chunk loop
        bound = None
        if cond.type == "binary_expression" and text(cond.child_by_field_name("operator")) in ("<", "<=", ">", ">=", "!="):
            left, right = cond.child_by_field_name("left"), cond.child_by_field_name("right")
            if left is not None and left.type == "identifier" and text(left) in names:
                bound = right
            elif right is not None and right.type == "identifier" and text(right) in names:
                bound = left
        if bound is None:
            return Loop(node, "while", cond, names, body)
        if _RETRY_NAME.search(text(bound)[:80]):
            return Loop(node, "while", bound, names, body)
        if self.constant_expression(bound) and init is not None and init.type == "short_var_declaration":
            # for i := len(xs) - 1; i >= 0; i--: counts down from the size of a collection
            right = init.child_by_field_name("right")
            start = right.named_children[0] if right is not None and right.named_children else None
            if start is not None and not self.constant_expression(start):
                bound = next((n for n in self._descendants(start, "call_expression")
                              if squash(text(n.child_by_field_name("function"))) == "len"), start)
        if bound.type == "call_expression" and squash(text(bound.child_by_field_name("function"))) == "len":
            al = bound.child_by_field_name("arguments")
            arg = next((a for a in (al.named_children if al is not None else []) if a.type != "comment"), None)
            if arg is not None:
                return Loop(node, "for", arg, names, body)  # for i := 0; i < len(items); i++
        return Loop(node, "for", bound, names, body)  # i < 3 / i < maxN: constant; i < n: a collection

    @staticmethod
    def _descendants(node: ts.Node, type_: str, limit: int = 200) -> list[ts.Node]:
        out, stack = [], [node]
        while stack and limit > 0:
            limit -= 1
            n = stack.pop()
            if n.type == type_:
                out.append(n)
            stack.extend(reversed(n.named_children))
        return out

    def _closure_loop(self, block: ts.Node) -> Loop:
        lit = block.parent
        params = self._param_names(lit.child_by_field_name("parameters")) if lit is not None else []
        al = lit.parent if lit is not None else None
        call = al.parent if al is not None and al.type == "argument_list" else None
        if call is not None and call.type == "call_expression":
            fn = call.child_by_field_name("function")
            if fn is not None and fn.type == "selector_expression" and \
                    text(fn.child_by_field_name("operand")) in _EACH_PACKAGES:
                args = [a for a in al.named_children if a.type != "comment"]
                method = text(fn.child_by_field_name("field"))
                item = params[1:2] if method == "Reduce" else params[:1]
                return Loop(block, "callback", args[0] if args and args[0].id != lit.id else None, item, block)
        # a closure run once per iteration of the loop around it (in the same function)
        p = lit.parent if lit is not None else None
        while p is not None and p.type not in _FUNCTION_NODES:
            if p.type == "for_statement":
                outer = self.loop_info(p)
                return Loop(block, outer.kind, outer.iterable, outer.variables + params, block)
            p = p.parent
        return Loop(block, "once", None, params, block)  # runs once: not a loop

    def _inside_loop_body(self, loop: Loop, node: ts.Node) -> bool:
        """Only the body runs per iteration (not the range expression, the init statement or
        the `rows.Next()` condition)."""
        body = loop.body
        if body is None:
            return super()._inside_loop_body(loop, node)
        return body.start_byte <= node.start_byte and node.end_byte <= body.end_byte

    # -- database calls and ORM models (n-plus-one) ---------------------------------------------
    member_access_query = "(selector_expression operand: (identifier) @obj field: (field_identifier) @attr) @access"

    def db_call(self, call: Call) -> DbCall | None:
        """As the base, plus: GORM entries (`handle: gorm`) need a receiver chain that starts at a
        GORM handle, and raw SQL sinks are refined: `sqlx.In`, `db.Rebind`, pgx `batch.Queue` are
        no round trips; a prepared statement's Exec is the batch idiom of database/sql (its Query /
        QueryRow are still one read per call); a literal that is not SQL or a cache / web-context
        receiver is no query; `IN (?)`, `ANY($1)` or SQL built by `sqlx.In` is a bulk statement."""
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
            if e.get("handle") == "gorm" and (call.receiver_node is None or not self._gorm_handle(call.receiver_node)):
                continue
            bulk = m in e.get("bulk", ())
            brx = e.get("bulk_arg")
            if brx and not bulk:
                texts = [text(a)[:300] for a in call.args] + [text(a)[:300] for a in self._chain_args(call.receiver_node)]
                bulk = any(re.search(brx, t) for t in texts)
            if not bulk and e.get("handle") == "gorm" and m in _GORM_BY_KEYS and len(call.args) == 2:
                bulk = self._slice_typed(call.args[1])  # db.Find(&users, ids): WHERE id IN (ids)
            return DbCall(call, e.get("library", "?"), "write" if m in e.get("write", ()) else "read",
                          bounded=m in e.get("bounded", ()), eager=m in e.get("eager", ()), bulk=bulk)
        hit = self.sql_sink(call)
        if hit is None:
            return None
        entry, arg = hit
        k = self.knowledge
        if entry.get("fragment") or m in k.get("n1_not_round_trips", ()):
            return None
        if re.search(k.get("n1_not_db_receiver", r"$^"), call.receiver or ""):
            return None
        recv = call.receiver_node
        if recv is not None and recv.type == "identifier" and self._is_context(recv, call):
            return None  # gin's c.Query("id"), echo's c.Get(key)
        idx = next((i for i, a in enumerate(call.args) if a.id == arg.id), 0)
        if entry.get("dest") and idx > 0 and self._is_context(call.args[idx - 1], call):
            return None  # rdb.Get(ctx, key): a context is no destination
        library = entry.get("library", "driver")
        if m in _CTX_FIRST and library == "database/sql" and call.args and self._is_context(call.args[0], call):
            library = "pgx"  # conn.Query(ctx, sql): database/sql spells it QueryContext
        if recv is not None and self._prepared(recv):
            if m.startswith("Exec") or m.startswith("MustExec"):
                return None  # stmt.Exec(...) per row of a prepared INSERT: the database/sql batch idiom
            return DbCall(call, library, "raw-sql", None)
        sql, from_in = self._sql_text(arg)
        if sql is not None:
            literal = HOLE_RE.sub(" ", sql).strip()
            if literal and not _SQL_TEXT.search(literal):
                return None
        bulk = from_in or bool(_SQL_BULK.search((sql or "") + " " + text(arg)[:2000]))
        if not bulk and m.startswith("NamedExec") and idx + 1 < len(call.args):
            bulk = self._slice_typed(call.args[idx + 1])  # db.NamedExec(insert, rows): one multi-row INSERT
        return DbCall(call, library, "raw-sql", arg, bulk=bulk)

    def _slice_typed(self, node: ts.Node) -> bool:
        """A slice value: a parameter `ids []uint`, a local `ids := []uint{...}` / make([]uint, n),
        or the element of a range over a `[][]uint` / `map[K][]uint` parameter."""
        if node.type == "composite_literal":
            typ = node.child_by_field_name("type")
            return typ is not None and typ.type in ("slice_type", "array_type")
        if node.type != "identifier":
            return False
        typ = self._param_type(node)
        if typ is not None:
            return typ.type in ("slice_type", "array_type")
        info = self._info(node)
        fnode = self._function_node(node)
        fn = info.functions.get(fnode.id) if fnode is not None else None
        if info.facts is None or fn is None:
            return False
        assigns = info.facts.assignments_before(text(node), fn, node.start_byte)
        if not assigns:
            return False
        last = assigns[-1]
        if last.node.type == "range_clause":
            left = last.node.child_by_field_name("left")
            right = last.node.child_by_field_name("right")
            idx = next((i for i, c in enumerate(left.named_children if left is not None else []) if text(c) == text(node)), 0)
            rtyp = self._param_type(right) if right is not None and right.type == "identifier" else None
            if rtyp is None or idx != 1:
                return False
            elem = rtyp.child_by_field_name("element" if rtyp.type in ("slice_type", "array_type") else "value")
            return elem is not None and elem.type in ("slice_type", "array_type")
        v = last.value
        if v is None:
            return False
        if v.type in ("slice_type", "array_type"):
            return True  # var ids []uint
        if v.type == "composite_literal":
            return self._slice_typed(v)
        if v.type == "call_expression" and text(v.child_by_field_name("function")) == "make":
            al = v.child_by_field_name("arguments")
            first = al.named_children[0] if al is not None and al.named_children else None
            return first is not None and first.type == "slice_type"
        return False

    def foreign_call(self, call: Call) -> bool:
        """`strconv.Itoa(n)`, `json.Marshal(v)`, `http.Get(u)`: a function of a standard library
        package (an import path without a domain), never a function of the project."""
        recv = call.receiver_node
        if recv is None or recv.type != "identifier":
            return False
        info = self._info(recv)
        path = info.import_paths.get(text(recv))
        if path is None or self._local_binding(recv, info):
            return False
        return "." not in path.split("/", 1)[0]

    def _evaluator(self, node: ts.Node) -> Evaluator | None:
        info = self._info(node)
        if info.facts is None:
            return None
        if info.evaluator is None:
            info.evaluator = Evaluator(self, info.facts)
        return info.evaluator

    def _sql_text(self, arg: ts.Node) -> tuple[str | None, bool]:
        """(the SQL template an argument holds, whether it was built by sqlx.In). Looks through
        db.Rebind(q) and a local assigned once from `sqlx.In(...)`."""
        ev = self._evaluator(arg)
        if ev is None:
            return None, False
        node = arg
        for _ in range(4):
            if node.type == "call_expression":
                fn = node.child_by_field_name("function")
                al = node.child_by_field_name("arguments")
                args = [a for a in (al.named_children if al is not None else []) if a.type != "comment"]
                name = text(fn.child_by_field_name("field")) if fn is not None and fn.type == "selector_expression" else squash(text(fn))
                if name == "Rebind" and args:
                    node = args[-1]
                    continue
                if name in ("In", "sqlx.In") and squash(text(fn)).endswith("In") and args:
                    return None, True
                break
            if node.type == "identifier":
                fn = ev.function_of(node)
                assigns = ev.facts.assignments_before(text(node), fn, node.start_byte)
                last = assigns[-1] if assigns else None
                if last is not None and last.value is not None and last.value.type == "call_expression":
                    callee = squash(text(last.value.child_by_field_name("function")))
                    if callee == "sqlx.In" or callee.endswith(".In") or callee.endswith("Rebind"):
                        node = last.value
                        continue
                break
            break
        try:
            v = ev.value(node)
        except RecursionError:
            return None, False
        return (v.template if v is not None else None), False

    def _prepared(self, recv: ts.Node) -> bool:
        """A prepared statement: `stmt, err := db.Prepare(...)`, a `*sql.Stmt` parameter, a name like stmt."""
        if recv.type == "selector_expression":
            typ = self._declared_type(recv)
            if typ is not None:
                return bool(re.search(r"\b(?:sql|sqlx)\.(?:Named)?Stmt\b", text(typ)))
            return bool(_PREPARED_NAME.search(text(recv.child_by_field_name("field"))))
        if recv.type != "identifier":
            return False
        typ = self._param_type(recv)
        if typ is not None:
            return bool(re.search(r"\b(?:sql|sqlx)\.(?:Named)?Stmt\b", text(typ)))
        info = self._info(recv)
        fnode = self._function_node(recv)
        fn = info.functions.get(fnode.id) if fnode is not None else None
        if info.facts is not None and fn is not None:
            assigns = info.facts.assignments_before(text(recv), fn, recv.start_byte)
            if assigns and assigns[-1].value is not None:
                v = assigns[-1].value
                if v.type == "call_expression":
                    f = v.child_by_field_name("function")
                    if f is not None and f.type == "selector_expression" and text(f.child_by_field_name("field")) in _PREPARE:
                        return True
                return False
        return bool(_PREPARED_NAME.search(text(recv)))

    def _strip_builders(self, node: ts.Node) -> ts.Node:
        builders = self._gorm_builders()
        steps = 0
        while steps < 60:
            steps += 1
            if node.type == "parenthesized_expression" and node.named_child_count == 1:
                node = node.named_children[0]
                continue
            if node.type != "call_expression":
                break
            fn = node.child_by_field_name("function")
            if fn is None or fn.type != "selector_expression" or text(fn.child_by_field_name("field")) not in builders:
                break
            node = fn.child_by_field_name("operand")
        return node

    def _gorm_builders(self) -> frozenset[str]:
        b = getattr(self, "_builders", None)
        if b is None:
            b = self._builders = frozenset(self.knowledge.get("gorm_builders", ()))
        return b

    def _chain_args(self, node: ts.Node | None) -> list[ts.Node]:
        """The arguments of the builder calls of a receiver chain (`Where("id IN ?", ids)`)."""
        out: list[ts.Node] = []
        builders = self._gorm_builders()
        steps = 0
        while node is not None and node.type == "call_expression" and steps < 60:
            steps += 1
            fn = node.child_by_field_name("function")
            if fn is None or fn.type != "selector_expression" or text(fn.child_by_field_name("field")) not in builders:
                break
            al = node.child_by_field_name("arguments")
            out.extend(a for a in (al.named_children if al is not None else []) if a.type != "comment")
            node = fn.child_by_field_name("operand")
        return out

    def _gorm_handle(self, node: ts.Node, depth: int = 0) -> bool:
        """The chain starts at a GORM handle (see knowledge.d/orm.yaml, `handle: gorm`)."""
        if depth > 4:
            return False
        node = self._strip_builders(node)
        t = node.type
        if t == "identifier":
            typ = self._param_type(node)
            if typ is not None:
                return self._gorm_type(typ, text(node))
            info = self._info(node)
            fnode = self._function_node(node)
            fn = info.functions.get(fnode.id) if fnode is not None else None
            if info.facts is not None and fn is not None:
                assigns = info.facts.assignments_before(text(node), fn, node.start_byte)
                if assigns:
                    last = assigns[-1]
                    v = last.value
                    if last.node.type == "range_clause" or v is None:
                        return False
                    if last.node.type == "var_spec" and last.node.child_by_field_name("value") is None:
                        return self._gorm_type(v, text(node))  # var tx *gorm.DB
                    if v.type == "call_expression":
                        inner = self._strip_builders(v)
                        if inner.type == "call_expression" and not self._gorm_handle(inner, depth + 1):
                            # db := database.Connect(): an opener we do not know; trust the name
                            # unless it is a known other driver (sql.Open, sqlx.Connect, pgxpool.New)
                            callee = squash(text(inner.child_by_field_name("function")))
                            return not _NOT_GORM_OPENER.search(callee) and bool(_GORM_NAME.fullmatch(text(node))) \
                                and not self._chain_result(v)
                        return self._gorm_handle(v, depth + 1)
                    if v.type in ("selector_expression", "identifier", "parenthesized_expression"):
                        return self._gorm_handle(v, depth + 1)
                    return False
            return bool(_GORM_NAME.fullmatch(text(node)))
        if t == "selector_expression":
            typ = self._declared_type(node)
            fld = text(node.child_by_field_name("field"))
            if typ is not None:
                return self._gorm_type(typ, fld)
            return bool(_GORM_NAME.fullmatch(fld))
        if t == "call_expression":  # r.db(ctx), getDB(), database.GetDB(), gorm.Open(...)
            callee = squash(text(node.child_by_field_name("function")))
            return callee.startswith("gorm.") or bool(_GORM_FUNC.search(callee))
        return False

    def _chain_result(self, v: ts.Node) -> bool:
        """`rows := db.Model(&User{}).Rows()`: a GORM chain that ends in a query, not a handle."""
        fn = v.child_by_field_name("function")
        return fn is not None and fn.type == "selector_expression" and \
            text(fn.child_by_field_name("field")) not in self._gorm_builders() and \
            self._gorm_handle(fn.child_by_field_name("operand"), 3)

    @staticmethod
    def _gorm_type(typ: ts.Node, name: str) -> bool:
        t = squash(text(typ))
        if "gorm" in t:
            return True
        if _NOT_GORM_TYPE.search(t):
            return False
        return bool(_GORM_NAME.fullmatch(name))  # a wrapper type of the project: trust the name

    def gorm_relations(self, facts: Facts) -> dict[str, dict[str, str]]:
        """GORM models declared in this file: {struct: {field: target struct}} for fields whose type
        is another struct of the file (or a slice / pointer of one) with a gorm tag, a
        `<Field>ID` foreign key beside it, or a many2many / foreignKey / references tag."""
        info = getattr(facts, "_go_info", None)
        if info is None:
            return {}
        structs = {n: d for n, d in info.types.items() if d.type == "struct_type"}
        out: dict[str, dict[str, str]] = {}
        for owner, defn in structs.items():
            fields = next((c for c in defn.named_children if c.type == "field_declaration_list"), None)
            decls = [fd for fd in (fields.named_children if fields is not None else []) if fd.type == "field_declaration"]
            names = {text(n) for fd in decls for n in fd.children_by_field_name("name")}
            for fd in decls:
                typ = fd.child_by_field_name("type")
                base = typ
                while base is not None and base.type in ("pointer_type", "slice_type", "array_type"):
                    base = base.child_by_field_name("element") if base.type != "pointer_type" else \
                        (base.named_children[0] if base.named_children else None)
                if base is None or base.type != "type_identifier" or text(base) not in structs:
                    continue
                tag = fd.child_by_field_name("tag")
                tag_text = text(tag) if tag is not None else ""
                for n in fd.children_by_field_name("name"):
                    fname = text(n)
                    if "gorm:" in tag_text or f"{fname}ID" in names or f"{fname}Id" in names or \
                            (typ is not None and typ.type == "slice_type" and f"{owner}ID" in self._struct_fields(structs[text(base)])):
                        out.setdefault(owner, {})[fname] = text(base)
        return out

    @staticmethod
    def _struct_fields(defn: ts.Node) -> set[str]:
        fields = next((c for c in defn.named_children if c.type == "field_declaration_list"), None)
        return {text(n) for fd in (fields.named_children if fields is not None else []) if fd.type == "field_declaration"
                for n in fd.children_by_field_name("name")}

    def model_relations(self, facts: Facts) -> dict[str, dict[str, str]]:
        """Empty on purpose: GORM has no lazy loading (an association that was not preloaded is
        just empty), so reading `u.Orders` in a loop never runs a query; the per-item query is an
        explicit call (`db.Model(&u).Association("Orders").Find(...)`), found as a DbCall. The
        project index keys models by bare name across languages, so publishing GORM structs would
        only make another language's model of the same name look related. See gorm_relations."""
        return {}

    def query_model(self, call: Call) -> str | None:
        return None  # no lazy relation access in GORM (see model_relations)

    def eager_loaded(self, call: Call) -> set[str]:
        """Associations a GORM query preloads or joins: Preload("Orders"), Preload("Orders.Items"),
        Joins("Customer") (a bare association name, not SQL)."""
        full = text(call.node)[:2000]
        out: set[str] = set()
        for m in re.finditer(r"\.(?:Preload|Joins|InnerJoins)\(\s*\"([A-Z]\w*)(?:\.(\w+))*\"", full):
            out.add(m.group(1))
        if re.search(r"\.Preload\(\s*clause\.Associations\b", full):
            out.add("*")
        return out

    # -- strings -----------------------------------------------------------------------------
    def string_root(self, node: ts.Node) -> ts.Node:
        cur = node
        while True:
            p = cur.parent
            if p is None:
                return cur
            if p.type == "parenthesized_expression":
                cur = p
            elif p.type == "binary_expression" and text(p.child_by_field_name("operator")) == "+":
                cur = p
            elif p.type == "argument_list" and p.parent is not None and p.parent.type == "call_expression":
                callee = squash(text(p.parent.child_by_field_name("function")))
                args = [a for a in p.named_children if a.type != "comment"]
                if (callee == "fmt.Sprintf" and args and args[0].id == cur.id) or \
                        (callee == "fmt.Fprintf" and len(args) > 1 and args[1].id == cur.id):
                    cur = p.parent
                else:
                    return cur
            else:
                return cur

    def string_value(self, node: ts.Node, ev: Evaluator, depth: int) -> StringValue | None:
        if depth == 1 and self._pattern_argument(node):
            return None
        v = self._value(node, ev, depth)
        if v is not None and depth == 1:
            # a root evaluated on its own (embedded SQL): fold what is appended to it later
            v = self._fold_later(node, v, ev, depth)
        return v

    @staticmethod
    def _pattern_argument(node: ts.Node) -> bool:
        """mock.ExpectExec("DELETE FROM users"), regexp.QuoteMeta(...), errors.New("update failed"):
        text that describes SQL rather than runs it."""
        p = node.parent
        if p is None or p.type != "argument_list" or p.parent is None or p.parent.type != "call_expression":
            return False
        fn = p.parent.child_by_field_name("function")
        if fn is None:
            return False
        name = text(fn.child_by_field_name("field")) if fn.type == "selector_expression" else text(fn)
        return name in _NOT_RUN or squash(text(fn)) in _NOT_RUN_CALLEES

    def _value(self, node: ts.Node, ev: Evaluator, depth: int) -> StringValue | None:
        t = node.type
        if t == "interpreted_string_literal":
            parts = []
            for c in node.named_children:
                if c.type == "interpreted_string_literal_content":
                    parts.append(text(c))
                elif c.type == "escape_sequence":
                    parts.append(unescape(text(c)))
            return StringValue(node, "".join(parts), [], "literal")
        if t == "raw_string_literal":
            return StringValue(node, "".join(text(c) for c in node.named_children).replace("\r", ""), [], "literal")
        if t == "parenthesized_expression" and node.named_child_count == 1:
            return ev.value(node.named_children[0], depth)
        if t == "binary_expression":
            if text(node.child_by_field_name("operator")) != "+":
                return None
            return self.concat_value(node, node.child_by_field_name("left"), node.child_by_field_name("right"), ev, depth)
        if t == "call_expression":
            return self._call_value(node, ev, depth)
        if t == "identifier":
            return self._identifier_value(node, ev, depth)
        if t == "selector_expression":
            return ev.variable(node, depth)
        if t == "slice_expression":
            # q[:len(q)-1] trims a trailing comma: keep the text (approximately)
            operand = node.child_by_field_name("operand")
            v = ev.value(operand, depth)
            if v is None:
                return None
            start = node.child_by_field_name("start")
            if start is None or text(start) == "0":
                return v
            return StringValue.opaque(node, text(node))
        return None

    # string-valued calls ------------------------------------------------------------------
    def _call_value(self, node: ts.Node, ev: Evaluator, depth: int) -> StringValue | None:
        fn = node.child_by_field_name("function")
        al = node.child_by_field_name("arguments")
        if fn is None or al is None:
            return None
        args = [a for a in al.named_children if a.type != "comment"]
        callee = squash(text(fn))
        if callee == "fmt.Sprintf":
            return self._sprintf(node, args, ev, depth)
        if callee == "fmt.Fprintf" and len(args) > 1:
            return self._sprintf(node, args[1:], ev, depth)
        if callee == "fmt.Sprint":
            parts = [ev.value(a, depth) or StringValue.opaque(a, text(a), self.numeric_expression(a)) for a in args]
            return StringValue.join(node, parts, "fmt.Sprint") if parts else None
        if callee in _IDENTITY_FUNCS and args:
            return ev.value(args[0], depth)
        if fn.type == "slice_type" and args:  # []byte("...")
            return ev.value(args[0], depth)
        if callee == "strings.Join" and len(args) == 2:
            return self._join_value(node, args, ev, depth)
        if callee == "strings.Repeat" and len(args) == 2:
            return StringValue.opaque(node, text(node))
        if fn.type == "selector_expression" and text(fn.child_by_field_name("field")) == "String" and not args:
            recv = fn.child_by_field_name("operand")
            if recv is not None and recv.type in ("identifier", "selector_expression"):
                return self._builder_value(node, recv, ev, depth)
        return None

    def _sprintf(self, node: ts.Node, args: list[ts.Node], ev: Evaluator, depth: int) -> StringValue | None:
        if not args:
            return None
        base = ev.value(args[0], depth)
        if base is None:
            return None
        values = args[1:]
        if any(a.type == "variadic_argument" for a in values):
            values = []  # fmt.Sprintf(q, args...): positions unknown, every verb is a hole of unknown origin
        tmpl = base.template
        parts: list[StringValue] = []
        pos, argi = 0, 0
        for m in _VERB_RE.finditer(tmpl):
            parts.append(self._chunk(node, base, tmpl[pos:m.start()]))
            pos = m.end()
            verb = m.group(5)
            if verb == "%":
                parts.append(StringValue(node, "%", [], "literal"))
                continue
            for star in (m.group(2), m.group(3)):
                if star and "*" in star:
                    idx = re.match(r"\[(\d+)\]", star)
                    argi = int(idx.group(1)) if idx else argi + 1
            if m.group(4):
                argi = int(m.group(4)[1:-1]) - 1
            val = values[argi] if 0 <= argi < len(values) else None
            argi += 1
            if val is None:
                if args[1:] and not values:  # spread arguments: unknown, not blamed
                    parts.append(StringValue(node, hole_marker(0), [Hole(None, m.group(0), True)], "fmt.Sprintf"))
                continue
            parts.append(StringValue(node, hole_marker(0), [Hole(val, text(val), verb in _SAFE_VERBS)], "fmt.Sprintf"))
        parts.append(self._chunk(node, base, tmpl[pos:]))
        return StringValue.join(node, parts, "fmt.Sprintf")

    @staticmethod
    def _chunk(node: ts.Node, base: StringValue, s: str) -> StringValue:
        """A slice of a template, its hole markers renumbered from 0."""
        holes: list[Hole] = []

        def renumber(m: re.Match) -> str:
            holes.append(base.holes[int(m.group(1))])
            return hole_marker(len(holes) - 1)

        return StringValue(node, HOLE_RE.sub(renumber, s), holes, "literal" if not holes else base.how)

    def _join_value(self, node: ts.Node, args: list[ts.Node], ev: Evaluator, depth: int) -> StringValue | None:
        sep = ev.value(args[1], depth)
        lst = args[0]
        if sep is not None and not sep.dynamic and lst.type == "composite_literal":
            body = lst.child_by_field_name("body")
            elems = [self._element(e) for e in (body.named_children if body is not None else []) if e.type != "comment"]
            parts: list[StringValue] = []
            for i, e in enumerate(elems):
                if i:
                    parts.append(StringValue(node, sep.template, [], "literal"))
                v = ev.value(e, depth) if e is not None else None
                parts.append(v or StringValue.opaque(e if e is not None else node, text(e)))
            return StringValue.join(node, parts, "strings.Join")
        v = StringValue.opaque(node, text(node))
        v.how = "strings.Join"
        return v

    @staticmethod
    def _element(e: ts.Node) -> ts.Node | None:
        if e.type == "literal_element":
            return e.named_children[0] if e.named_children else None
        if e.type == "keyed_element":
            v = e.child_by_field_name("value")
            if v is not None and v.type == "literal_element":
                return v.named_children[0] if v.named_children else None
            return v
        return e

    # variables ----------------------------------------------------------------------------
    def _identifier_value(self, node: ts.Node, ev: Evaluator, depth: int) -> StringValue | None:
        p = node.parent
        if p is not None and p.type == "expression_list" and p.parent is not None and p.parent.type == "range_clause":
            return None  # a range loop variable: no string we can know
        v = ev.variable(node, depth)
        if v is not None:
            return v
        name = text(node)
        fn = ev.function_of(node)
        if fn is not None and ev.facts.assignments_before(name, fn, node.start_byte):
            return None  # a local (or parameter) whose value we cannot evaluate
        outer = fn
        while outer is not None:  # a closure reads a variable of the function around it
            outer = ev.function_of(outer.node)
            if outer is None:
                break
            assigns = ev.facts.assignments_before(name, outer, node.start_byte)
            if assigns:
                return self._fold(node, assigns, ev, depth)
        assigns = ev.facts.assignments_before(name, None, _FAR)  # package level
        if assigns and assigns[-1].op == "=" and assigns[-1].value is not None:
            return ev.value(assigns[-1].value, depth)
        return None

    def _fold(self, node: ts.Node, assigns: list[Assignment], ev: Evaluator, depth: int) -> StringValue | None:
        start = len(assigns) - 1
        while start > 0 and assigns[start].op != "=":
            start -= 1
        parts = []
        for a in assigns[start:]:
            if a.value is None:
                return None
            v = ev.value(a.value, depth)
            if v is None:
                if a.op == "=":
                    return None
                v = StringValue.opaque(a.value, text(a.value))
            parts.append(v)
        return StringValue.join(node, parts) if parts else None

    def _fold_later(self, node: ts.Node, v: StringValue, ev: Evaluator, depth: int) -> StringValue:
        """`q := "UPDATE t SET a = 1"` followed by `q += " WHERE id = ?"` (or builder writes): the
        statement is the whole text, not its first piece."""
        p = node.parent
        if p is None:
            return v
        fn = ev.function_of(node)
        if fn is None:
            return v
        if p.type == "expression_list" and p.parent is not None and \
                p.parent.type in ("short_var_declaration", "assignment_statement", "var_spec"):
            decl = p.parent
            if decl.type == "assignment_statement" and text(decl.child_by_field_name("operator")) != "=":
                return v
            if decl.type == "var_spec":
                lefts = decl.children_by_field_name("name")
            else:
                left = decl.child_by_field_name("left")
                lefts = left.named_children if left is not None else []
            rights = [c for c in p.named_children if c.type != "comment"]
            idx = next((i for i, c in enumerate(rights) if c.id == node.id), None)
            if idx is None or idx >= len(lefts) or len(lefts) != len(rights) or lefts[idx].type != "identifier":
                return v
            name = text(lefts[idx])
            later = [a for a in ev.facts.assignments_before(name, fn, _FAR) if a.node.start_byte > decl.end_byte]
            parts = [v]
            for a in later:
                if a.op == "+=":
                    parts.append((ev.value(a.value, depth) if a.value is not None else None)
                                 or self._unseen(node, a.value))
                    continue
                if a.value is None or not re.search(r"\b%s\b" % re.escape(name), text(a.value)):
                    break  # a plain reassignment starts a new string
                ops = self._plus_operands(a.value)
                if ops and ops[0].type == "identifier" and text(ops[0]) == name:
                    for o in ops[1:]:
                        parts.append(ev.value(o, depth) or self._unseen(o, o))
                elif not self._trims(a.value, name):
                    parts.append(self._unseen(node, a.value))  # q = fmt.Sprintf("%s WHERE ...", q)
                # q = q[:len(q)-1], q = strings.TrimSuffix(q, ","): same text, keep going
            if len(parts) > 1:
                return StringValue.join(node, parts, v.how)
            return v
        if p.type == "argument_list" and p.parent is not None and p.parent.type == "call_expression":
            call = p.parent
            fnode = call.child_by_field_name("function")
            args = [c for c in p.named_children if c.type != "comment"]
            recv = None
            if fnode is not None and fnode.type == "selector_expression" and \
                    text(fnode.child_by_field_name("field")) == "WriteString" and args and args[0].id == node.id:
                recv = squash(text(fnode.child_by_field_name("operand")))
            if recv is None:
                return v
            more = self._builder_parts(recv, fn, ev, depth, call.end_byte, _FAR)
            if more:
                return StringValue.join(node, [v] + more, v.how)
        elif node.type == "call_expression" and squash(text(node.child_by_field_name("function"))) == "fmt.Fprintf":
            args = [c for c in node.child_by_field_name("arguments").named_children if c.type != "comment"]
            if args:
                target = args[0]
                recv = squash(text(target.child_by_field_name("operand") if target.type == "unary_expression" else target))
                more = self._builder_parts(recv, fn, ev, depth, node.end_byte, _FAR)
                if more:
                    return StringValue.join(node, [v] + more, v.how)
        return v

    @staticmethod
    def _trims(value: ts.Node, name: str) -> bool:
        """q[:len(q)-1], strings.TrimSuffix(q, ","), strings.TrimSpace(q): the same text, trimmed."""
        if value.type == "slice_expression":
            operand = value.child_by_field_name("operand")
            return operand is not None and text(operand) == name
        if value.type == "call_expression" and squash(text(value.child_by_field_name("function"))) in _IDENTITY_FUNCS:
            al = value.child_by_field_name("arguments")
            first = al.named_children[0] if al is not None and al.named_children else None
            return first is not None and text(first) == name
        return False

    @staticmethod
    def _unseen(at: ts.Node, node: ts.Node | None) -> StringValue:
        """Text appended by code we cannot follow: a hole that may hide a WHERE clause but is not
        blamed as an injection (numeric=True marks it safe for sql-string-concat)."""
        return StringValue(at, " " + hole_marker(0) + " ", [Hole(node, text(node), True)], "expression")

    @staticmethod
    def _plus_operands(node: ts.Node) -> list[ts.Node]:
        out: list[ts.Node] = []
        stack = [node]
        steps = 0
        while stack and steps < 200:
            steps += 1
            n = stack.pop()
            if n.type == "binary_expression" and text(n.child_by_field_name("operator")) == "+":
                stack.append(n.child_by_field_name("right"))
                stack.append(n.child_by_field_name("left"))
            else:
                out.append(n)
        return out

    # builders -----------------------------------------------------------------------------
    def _builder_value(self, node: ts.Node, recv: ts.Node, ev: Evaluator, depth: int) -> StringValue | None:
        fn = ev.function_of(node)
        if fn is None:
            return None
        rtext = squash(text(recv))
        parts = self._builder_parts(rtext, fn, ev, depth, fn.node.start_byte, node.start_byte)
        if not parts:
            return None
        if recv.type == "identifier":  # bytes.NewBufferString("SELECT ...") gives the first piece
            assigns = ev.facts.assignments_before(rtext, fn, node.start_byte)
            init = assigns[-1].value if assigns else None
            if init is not None and init.type == "call_expression" and \
                    squash(text(init.child_by_field_name("function"))) in ("bytes.NewBufferString", "strings.NewReader"):
                a = init.child_by_field_name("arguments").named_children
                first = ev.value(a[0], depth) if a else None
                if first is not None:
                    parts.insert(0, first)
        v = StringValue.join(node, parts)
        if v.dynamic:
            v.how = "a strings.Builder"
        return v

    def _builder_parts(self, rtext: str, fn: Function, ev: Evaluator, depth: int, lo: int, hi: int) -> list[StringValue]:
        """The pieces written to builder `rtext` in function fn between bytes lo and hi, in order.
        A call that receives the builder (`writeWhere(&sb, f)`) writes something we cannot see: it
        becomes a hole that is not blamed (numeric=True) but still hides a possible WHERE."""
        parts: list[StringValue] = []
        amp = "&" + rtext
        info = getattr(ev.facts, "_go_info", None)
        pool = info.calls_by_function.get(fn.node.id, []) if info is not None else \
            sorted((c for c in ev.facts.calls if c.function is fn), key=lambda c: c.node.start_byte)
        for c in pool:
            if c.node.start_byte < lo or c.node.end_byte > hi:
                continue
            if c.receiver == rtext and c.method in _WRITE_METHODS and c.args:
                a = c.args[0]
                if a.type == "rune_literal":
                    parts.append(StringValue(a, unescape(text(a)[1:-1]), [], "literal"))
                    continue
                pv = ev.value(a, depth)
                parts.append(pv or StringValue.opaque(a, text(a), self.numeric_expression(a)))
            elif c.receiver == rtext and c.method == "Reset":
                parts = []
            elif c.callee in ("fmt.Fprintf", "fmt.Fprint", "fmt.Fprintln") and c.args and squash(text(c.args[0])) in (rtext, amp):
                pv = self._sprintf(c.node, c.args[1:], ev, depth) if c.callee == "fmt.Fprintf" else None
                parts.append(pv or StringValue.opaque(c.node, text(c.node)))
            elif any(squash(text(a)) in (rtext, amp) for a in c.args):
                parts.append(self._unseen(c.node, c.node))
        return parts

    # -- SQL sinks: a context or a destination may come first ------------------------------------
    def sql_sink(self, call: Call):
        for s in self._sinks_by_method.get(call.method, ()):
            if not self.sink_entry_matches(s, call):
                continue
            crx = s.get("callee")
            if s.get("fragment") and not crx and not self._fragment_receiver.search(call.receiver or ""):
                continue
            args = call.args
            i = s.get("arg", 0)
            if s.get("ctx") and len(args) > i + 1:
                if self._is_context(args[i], call):
                    i = s.get("ctx_arg", i + 1)
                elif self._model_argument(args[i]):
                    i += 1  # go-pg: db.Query(&users, sql, params...), db.Query(pg.Scan(&n), sql)
            if len(args) <= i:
                continue
            if s.get("dest") and (i == 0 or not self._destination(args[i - 1])):
                continue
            arg = args[i]
            if s.get("string_first") and not self._stringish(arg):
                continue
            if arg.type == "variadic_argument":
                continue
            return s, arg
        return None

    def _is_context(self, node: ts.Node, call: Call) -> bool:
        t = node.type
        if t == "identifier":
            name = text(node)
            if _CTX_NAME.search(name):
                return True
            typ = self._param_type(node)
            return typ is not None and squash(text(typ)) in _CTX_TYPES
        if t == "call_expression":
            callee = squash(text(node.child_by_field_name("function")))
            return callee.startswith("context.") or bool(re.search(r"(?:^|\.)(?:Context|Ctx|UserContext|Background|TODO)$", callee))
        if t == "selector_expression":
            return bool(re.search(r"(?i)(?:ctx|context)$", text(node.child_by_field_name("field"))))
        return False

    @staticmethod
    def _model_argument(node: ts.Node) -> bool:
        if node.type == "unary_expression":
            return text(node.child_by_field_name("operator")) == "&"
        if node.type == "call_expression":
            return squash(text(node.child_by_field_name("function"))).endswith(".Scan")
        return False

    @staticmethod
    def _destination(node: ts.Node) -> bool:
        if node.type == "unary_expression":
            return text(node.child_by_field_name("operator")) == "&"
        return node.type in ("identifier", "selector_expression", "index_expression")

    @staticmethod
    def _stringish(node: ts.Node) -> bool:
        t = node.type
        if t in _STRING_LITERALS or t in ("identifier", "binary_expression", "parenthesized_expression", "selector_expression"):
            return t != "binary_expression" or text(node.child_by_field_name("operator")) == "+"
        if t == "call_expression":
            callee = squash(text(node.child_by_field_name("function")))
            return callee in ("fmt.Sprintf", "fmt.Sprint", "strings.Join", "string") or callee.startswith("strings.") \
                or callee.endswith(".String")
        return False

    def _param_type(self, node: ts.Node) -> ts.Node | None:
        """The declared type of a parameter (of the nearest function that declares the name)."""
        name = text(node)
        fnode = self._function_node(node)
        while fnode is not None:
            lists = [fnode.child_by_field_name("parameters")]
            if fnode.type == "method_declaration":
                lists.append(fnode.child_by_field_name("receiver"))
            for pl in lists:
                for pd in (pl.named_children if pl is not None else []):
                    if any(text(n) == name for n in pd.children_by_field_name("name")):
                        return pd.child_by_field_name("type")
            fnode = self._function_node(fnode)
        return None

    # -- expression classes ------------------------------------------------------------------
    def numeric_expression(self, node: ts.Node) -> bool:
        return self._numeric(node, 0)

    def _numeric(self, node: ts.Node | None, d: int) -> bool:
        if node is None or d > 40:
            return False
        t = node.type
        if t in _NUMBER_LITERALS:
            return True
        if t == "qualified_type":
            return squash(text(node)) in self._numeric_types
        if t == "type_identifier":
            return self._numeric_type_name(node, d)
        if t == "parenthesized_expression" and node.named_child_count == 1:
            return self._numeric(node.named_children[0], d + 1)
        if t == "unary_expression":
            return text(node.child_by_field_name("operator")) in ("-", "+", "^", "!")
        if t == "binary_expression":
            op = text(node.child_by_field_name("operator"))
            if op in _NUMERIC_OPS:
                return True
            if op == "+":
                return self._numeric(node.child_by_field_name("left"), d + 1) or \
                    self._numeric(node.child_by_field_name("right"), d + 1)
            return False
        if t == "call_expression":
            fn = node.child_by_field_name("function")
            callee = squash(text(fn))
            if callee in self._numeric_functions:
                return True
            if fn is not None and fn.type in ("type_identifier", "identifier"):  # UserID(x): a numeric conversion
                return self._numeric_type_name(fn, d)
            if fn is not None and fn.type == "selector_expression":
                if text(fn.child_by_field_name("field")) in self._numeric_methods:
                    return True
                # since.Format(time.RFC3339), id.String(), time.Now().UTC().Format(...): a method of a
                # time, number or UUID value
                operand = fn.child_by_field_name("operand")
                if operand is not None and operand.type == "call_expression":
                    return self._numeric(operand, d + 1)
                return self._numeric(self._declared_type(operand), d + 1)
            return False
        if t == "identifier":
            p = node.parent
            if p is not None and p.type == "expression_list" and p.parent is not None and p.parent.type == "range_clause":
                return self._range_variable_numeric(node, p)
            return self._numeric(self._param_type(node), d + 1)
        if t == "selector_expression":
            return self._numeric(self._declared_type(node), d + 1)
        return False

    def _numeric_type_name(self, node: ts.Node, d: int) -> bool:
        name = text(node)
        if name in self._numeric_types:
            return True
        defn = self._info(node).types.get(name)  # type UserID int64
        return defn is not None and defn.type in ("type_identifier", "qualified_type") and self._numeric(defn, d + 1)

    def _declared_type(self, node: ts.Node | None, d: int = 0) -> ts.Node | None:
        """The declared type of a parameter (`id int64`) or of a field reached from one
        (`r.limit`, `req.Page` when the struct is declared in this file)."""
        if node is None or d > 6:
            return None
        if node.type == "identifier":
            return self._param_type(node)
        if node.type != "selector_expression":
            return None
        base = self._declared_type(node.child_by_field_name("operand"), d + 1)
        while base is not None and base.type in ("pointer_type", "parenthesized_type"):
            base = base.named_children[0] if base.named_children else None
        if base is None or base.type != "type_identifier":
            return None
        defn = self._info(node).types.get(text(base))
        if defn is None or defn.type != "struct_type":
            return None
        want = text(node.child_by_field_name("field"))
        fields = next((c for c in defn.named_children if c.type == "field_declaration_list"), None)
        for fd in (fields.named_children if fields is not None else []):
            if fd.type == "field_declaration" and any(text(n) == want for n in fd.children_by_field_name("name")):
                return fd.child_by_field_name("type")
        return None

    def _range_variable_numeric(self, node: ts.Node, left: ts.Node) -> bool:
        idx = next((i for i, c in enumerate(left.named_children) if c.id == node.id), 0)
        right = left.parent.child_by_field_name("right")
        if right is None:
            return False
        if right.type == "int_literal" or (right.type == "call_expression" and self.numeric_expression(right)):
            return True  # for i := range 10 / range len(xs)
        typ = self._param_type(right) if right.type == "identifier" else None
        if typ is None:
            return False
        if typ.type in ("slice_type", "array_type"):
            return idx == 0 or self.numeric_expression(typ.child_by_field_name("element"))
        if typ.type == "map_type":
            part = typ.child_by_field_name("key" if idx == 0 else "value")
            return part is not None and self.numeric_expression(part)
        if typ.type == "type_identifier" and text(typ) == "string":
            return True  # byte offsets and runes
        return idx == 0 and self.numeric_expression(typ)

    def constant_expression(self, node: ts.Node) -> bool:
        return self._constant(node, 0)

    def _constant(self, node: ts.Node | None, d: int) -> bool:
        if node is None or d > 40:
            return False
        t = node.type
        if t in _LITERALS:
            return True
        if t == "parenthesized_expression" and node.named_child_count == 1:
            return self._constant(node.named_children[0], d + 1)
        if t == "identifier":
            name = text(node)
            if _UPPER.fullmatch(name):
                return True
            info = self._info(node)
            if name in info.consts or name in info.package_vars:
                if not self._local_binding(node, info) or self._declared_const(node, info):
                    return True
            return self._guarded(node, info, d) or self._range_over_constant(node, info, d)
        if t == "selector_expression":
            operand = node.child_by_field_name("operand")
            fld = text(node.child_by_field_name("field"))
            if operand is None:
                return False
            if operand.type == "identifier":
                info = self._info(node)
                name = text(operand)
                if name in info.imports or name in info.package_vars or name in info.consts:
                    return not self._local_binding(operand, info)
                if self._range_over_constant(operand, info, d):
                    return True  # for _, t := range auditedTables { ... t.name ... }
                fnode = self._function_node(node)
                if fnode is not None and fnode.type == "method_declaration" and _CONFIG_FIELD.search(fld):
                    recv = self._param_names(fnode.child_by_field_name("receiver"))
                    return name in recv  # r.tableName: set when the repository is built
                return False
            if operand.type == "selector_expression":  # r.cfg.Schema, config.DB.TablePrefix
                return self._constant(operand, d + 1) and bool(_CONFIG_FIELD.search(fld) or _UPPER.fullmatch(fld))
            return False
        if t == "composite_literal":
            # []string{"open", "closed"}: a literal table (a loop over it is not over data)
            body = node.child_by_field_name("body")
            elems = [self._element(e) for e in (body.named_children if body is not None else []) if e.type != "comment"]
            return bool(elems) and all(e is not None and self._constant(e, d + 1) for e in elems)
        if t == "binary_expression" and text(node.child_by_field_name("operator")) == "+":
            return self._constant(node.child_by_field_name("left"), d + 1) and \
                self._constant(node.child_by_field_name("right"), d + 1)
        if t == "call_expression":
            fn = node.child_by_field_name("function")
            callee = squash(text(fn))
            method = text(fn.child_by_field_name("field")) if fn is not None and fn.type == "selector_expression" else callee
            if callee in self._quoting or (method in self._quoting and not callee.startswith("strconv.")):
                return True
            al = node.child_by_field_name("arguments")
            args = al.named_children if al is not None else []
            if callee == "strings.Repeat" and args and self._constant(args[0], d + 1):
                return True
            if callee in _IDENTITY_FUNCS and args:
                return self._constant(args[0], d + 1)
            return False
        if t == "index_expression":
            # a lookup in a constant table: allowedSorts[key]
            operand = node.child_by_field_name("operand")
            if operand is None:
                return False
            if self._constant(operand, d + 1):
                return True
            if operand.type == "identifier":
                return self._local_constant_table(operand)
            return False
        return False

    def _range_over_constant(self, node: ts.Node, info: _FileInfo, d: int) -> bool:
        """A loop variable over a constant table: `for _, t := range knownTables`."""
        if info.facts is None:
            return False
        fnode = self._function_node(node)
        fn = info.functions.get(fnode.id) if fnode is not None else None
        if fn is None:
            return False
        assigns = info.facts.assignments_before(text(node), fn, node.start_byte)
        if not assigns or assigns[-1].node.type != "range_clause":
            return False
        right = assigns[-1].node.child_by_field_name("right")
        return right is not None and (self._constant(right, d + 1) or
                                      (right.type == "identifier" and self._local_constant_table(right)))

    def _guarded(self, node: ts.Node, info: _FileInfo, d: int) -> bool:
        """`if !allowedSort[col] { return }` / `slices.Contains(allowedCols, col)` earlier in the same
        function: col was checked against a constant allow-list."""
        entries = info.guards.get(text(node))
        if not entries:
            return False
        fnode = self._function_node(node)
        if fnode is None:
            return False
        for table, key in entries:
            if key.start_byte >= node.start_byte or not (fnode.start_byte <= key.start_byte < fnode.end_byte):
                continue
            if self._function_node(key) is None or self._function_node(key).id != fnode.id:
                continue
            if table.type == "identifier" and text(table) == text(node):
                continue
            if self._constant(table, d + 1) or (table.type == "identifier" and self._local_constant_table(table)):
                return True
        return False

    def _declared_const(self, node: ts.Node, info: _FileInfo) -> bool:
        fnode = self._function_node(node)
        fn = info.functions.get(fnode.id) if fnode is not None else None
        if fn is None or info.facts is None:
            return False
        assigns = info.facts.assignments_before(text(node), fn, node.start_byte)
        return bool(assigns) and assigns[-1].node.type == "const_spec"

    def _local_constant_table(self, operand: ts.Node) -> bool:
        info = self._info(operand)
        fnode = self._function_node(operand)
        fn = info.functions.get(fnode.id) if fnode is not None else None
        if fn is None or info.facts is None:
            return False
        assigns = info.facts.assignments_before(text(operand), fn, operand.start_byte)
        if len(assigns) != 1 or assigns[0].value is None or assigns[0].value.type != "composite_literal":
            return False
        body = assigns[0].value.child_by_field_name("body")
        elems = [self._element(e) for e in (body.named_children if body is not None else []) if e.type != "comment"]
        return bool(elems) and all(e is not None and e.type in _LITERALS for e in elems)

    def placeholder_expression(self, node: ts.Node, ev: Evaluator) -> bool:
        """strings.Repeat("?,", n), strings.TrimSuffix(..., ","), strings.Join(ph, ", ") where every
        element of ph is a placeholder ("$"+strconv.Itoa(i+1), fmt.Sprintf("$%d", i)) or a fragment
        whose holes are all safe ("status = ?")."""
        if self._guard > 3:
            return False
        self._guard += 1
        try:
            return self._placeholder(node, ev)
        finally:
            self._guard -= 1

    def _placeholder(self, node: ts.Node, ev: Evaluator) -> bool:
        t = node.type
        if t == "slice_expression":
            operand = node.child_by_field_name("operand")
            return operand is not None and self.placeholder_expression(operand, ev)
        if t == "parenthesized_expression" and node.named_child_count == 1:
            return self.placeholder_expression(node.named_children[0], ev)
        if t != "call_expression":
            return False
        callee = squash(text(node.child_by_field_name("function")))
        al = node.child_by_field_name("arguments")
        args = [a for a in (al.named_children if al is not None else []) if a.type != "comment"]
        if _PLACEHOLDER_HELPER.search(callee.rsplit(".", 1)[-1]):
            return True
        if not args:
            return False
        if callee == "strings.Repeat":
            v = ev.value(args[0])
            return v is not None and not v.dynamic and bool(_PLACEHOLDER_TEXT.fullmatch(v.template))
        if callee in _IDENTITY_FUNCS:
            return self.placeholder_expression(args[0], ev) or ev.hole_is_safe(Hole(args[0], text(args[0])), 4)
        if callee == "strings.Join" and len(args) == 2:
            sep = ev.value(args[1])
            if sep is None or sep.dynamic:
                return False
            if self.constant_expression(args[0]):
                return True  # strings.Join(userColumns, ", ") over a package-level list
            elems = self._slice_elements(args[0], ev)
            return elems is not None and all(self._element_safe(e, ev) for e in elems)
        return False

    def _slice_elements(self, lst: ts.Node, ev: Evaluator) -> list[ts.Node] | None:
        """Every expression that can end up in the slice, or None if we cannot tell."""
        if lst.type == "composite_literal":
            body = lst.child_by_field_name("body")
            return [e for e in (self._element(c) for c in (body.named_children if body is not None else [])
                                if c.type != "comment") if e is not None]
        if lst.type != "identifier":
            return None
        fn = ev.function_of(lst)
        name = text(lst)
        assigns = ev.facts.assignments_before(name, fn, lst.start_byte)
        if not assigns:
            return None
        out: list[ts.Node] = []
        for a in assigns:
            v = a.value
            if a.node.type != "var_spec" and a.node.type != "short_var_declaration" and a.node.type != "assignment_statement":
                return None  # a parameter or a loop variable: elements unknown
            if v is None:
                return None
            if a.node.type == "var_spec" and a.node.child_by_field_name("value") is None:
                continue  # var ph []string
            if v.type == "nil":
                continue
            if v.type == "composite_literal":
                out.extend(self._slice_elements(v, ev) or [])
                continue
            if v.type == "call_expression":
                callee = squash(text(v.child_by_field_name("function")))
                vargs = [x for x in v.child_by_field_name("arguments").named_children if x.type != "comment"]
                if callee == "make":
                    continue
                if callee == "append" and vargs and squash(text(vargs[0])) == name:
                    if any(x.type == "variadic_argument" for x in vargs[1:]):
                        return None
                    out.extend(vargs[1:])
                    continue
            return None
        for a in ev.facts.assignments_before(name + "[]", fn, lst.start_byte):
            if a.value is None:
                return None
            out.append(a.value)
        return out

    def _element_safe(self, e: ts.Node, ev: Evaluator) -> bool:
        v = ev.value(e)
        if v is None:
            return ev.hole_is_safe(Hole(e, text(e)), 4)
        return all(ev.hole_is_safe(h, 4) for h in v.holes)
