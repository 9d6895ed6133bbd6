"""PHP: functions, calls, loops, assignments and string building ('...', "...$x", heredoc/nowdoc,
`.` and `.=`, sprintf/vsprintf), over tree-sitter-php's `php` grammar (HTML around `<?php` is fine).

Local variables are `variable_name` nodes and keep their `$` (`$sql`), everywhere: assignments,
parameters, loop variables. Calls: `f()` has no receiver, `$a->m()` / `$a?->m()` have receiver `$a`,
`Scope::m()` has receiver `Scope` (`DB::select` -> receiver `DB`), `new X()` is a Call with is_new.
"""

from __future__ import annotations

import re
from pathlib import Path

import tree_sitter as ts
import tree_sitter_php

from ..base import enclosing_node, param_names, HOLE_RE, MAX_EVAL_DEPTH, Call, DbCall, Evaluator, Facts, Function, LanguageAdapter, Loop, StringValue, hole_marker, squash, text

_FUNCTION_TYPES = frozenset({"function_definition", "method_declaration", "anonymous_function", "arrow_function"})
_CLASS_TYPES = frozenset({"class_declaration", "trait_declaration", "interface_declaration", "enum_declaration",
                          "anonymous_class"})
_STRING_TYPES = frozenset({"string", "encapsed_string", "heredoc", "nowdoc"})
_MEMBER_CALLS = frozenset({"member_call_expression", "nullsafe_member_call_expression"})
_DOUBLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "v": "\v", "e": "\x1b", "f": "\f", "\\": "\\", "$": "$", '"': '"'}
_DOUBLE_ESCAPE_RE = re.compile(r"\\(x[0-9A-Fa-f]{1,2}|u\{[0-9A-Fa-f]+\}|[0-7]{1,3}|.)", re.S)
# %[argnum$][flags][width][.precision]specifier
_SPRINTF_SPEC = re.compile(r"%(?:(\d+)\$)?((?:[-+ 0]|'.)*)(\d*)(?:\.(\d+))?([bcdeEfFgGhHosuxX%])")
_SPRINTF_NUMERIC = set("bdeEfFgGhHouxX")
_ARITH_OPS = frozenset({"+", "-", "*", "/", "%", "**", "&", "|", "^", "<<", ">>", "==", "!=", "<>", "===", "!==",
                        "<", ">", "<=", ">=", "<=>", "&&", "||", "and", "or", "xor", "instanceof"})
_PH_SINGLE = re.compile(r"\s*(?:\?|%s|%d|[:@][A-Za-z_]\w*|\$\d+)\s*")
_PH_REPEAT = re.compile(r"[\s,]*(?:\?|%s|%d)(?:[\s,]+(?:\?|%s|%d))*[\s,]*")
_HOLE = "\ue000\\d+\ue001"
_PH_TEMPLATE = re.compile(rf"\s*(?:\?|%s|%d|[:@][A-Za-z_]\w*(?:{_HOLE})?|\$(?:\d+|{_HOLE}))\s*")
_TRIM_FUNCS = frozenset({"trim", "rtrim", "ltrim", "strval", "strtolower", "strtoupper", "mb_strtolower",
                         "mb_strtoupper", "ucfirst", "lcfirst"})
_TABLE_GETTER = re.compile(r"(?i)^(get_?)?(\w+_)?table(s|_?name)?$|tablename$")
_IDENTIFIER_PROP = re.compile(r"^(table|tableName|table_name|primaryKey|primary_key|pk|prefix|tablePrefix|table_prefix|schema|keyName|key_name)$|[a-z0-9]Table$|_table$")
# evaluations started from inside a safety check get a small budget of their own, so that checks
# nested in evaluations nested in checks cannot exhaust the stack
_NESTED_EVAL = MAX_EVAL_DEPTH - 12
_ALIAS_NAME = re.compile(r"^\$(alias|\w*Alias|\w*_alias)$")
_PREFIX_QUERY = """
((binary_expression left: (variable_name) @var operator: ".") @whole)
((encapsed_string . (variable_name) @var) @whole)
"""
_IN_ARRAY = frozenset({"in_array", "array_key_exists"})
_RELATION_METHODS = frozenset({"belongsTo", "hasMany", "hasOne", "belongsToMany", "morphTo", "morphMany",
                               "morphOne", "morphToMany", "morphedByMany", "hasManyThrough", "hasOneThrough"})
# `$post->comments()->count()`: a relation query per item
_RELATION_QUERY = frozenset({"get", "first", "count", "exists", "doesntExist", "pluck", "sum", "max", "min", "avg",
                             "value", "find", "paginate", "latest", "create", "save", "update", "delete",
                             "attach", "detach", "sync", "syncWithoutDetaching", "toggle", "createMany", "saveMany"})
_RELATION_WRITES = frozenset({"create", "save", "update", "delete", "attach", "detach", "sync",
                              "syncWithoutDetaching", "toggle", "createMany", "saveMany"})
_RELATION_CHAIN = re.compile(r"^\$(?!this\b)(\w+)->(\w+)\(\)(?:->\w+\([^;]*\))*$")
# n-plus-one: callbacks that run once per batch, row-fetching calls of cursor loops
_BATCH_CALLBACKS = frozenset({"chunk", "chunkById", "chunkMap"})
_FETCH_METHODS = frozenset({"fetch", "fetchObject", "fetch_assoc", "fetch_array", "fetch_object", "fetch_row",
                            "fetchArray", "fetchAssociative", "fetchNumeric", "mysqli_fetch_assoc",
                            "mysqli_fetch_array", "mysqli_fetch_object", "mysqli_fetch_row", "pg_fetch_assoc",
                            "pg_fetch_array", "pg_fetch_object", "pg_fetch_row", "sqlsrv_fetch_array",
                            "oci_fetch_assoc", "oci_fetch_array", "odbc_fetch_array", "fetchRow"})


def _unescape_double(s: str) -> str:
    if "\\" not in s:
        return s

    def rep(m: re.Match) -> str:
        g = m.group(1)
        if g in _DOUBLE_ESCAPES:
            return _DOUBLE_ESCAPES[g]
        if g[0] == "x" and len(g) > 1:
            return chr(int(g[1:], 16))
        if g[0] == "u" and g.startswith("u{"):
            try:
                return chr(int(g[2:-1], 16))
            except (ValueError, OverflowError):
                return "\\" + g
        if g[0] in "01234567":
            return chr(int(g, 8) & 0xFF)
        return "\\" + g

    return _DOUBLE_ESCAPE_RE.sub(rep, s)


def _unescape_single(s: str) -> str:
    if "\\" not in s:
        return s
    return re.sub(r"\\([\\'])", r"\1", s)


def _mark_aliases(v: StringValue) -> StringValue:
    """Doctrine `"$alias.status = :status"`: a variable named like a query alias that qualifies a
    column (a `.` and a name follow it) is an alias chosen in code, not a value."""
    for m in HOLE_RE.finditer(v.template):
        h = v.holes[int(m.group(1))]
        n = h.node
        if h.numeric or n is None or not re.match(r"\.[A-Za-z_]", v.template[m.end():m.end() + 2]):
            continue
        if n.type == "member_access_expression" and text(n.child_by_field_name("object")) == "$this":
            name = "$" + text(n.child_by_field_name("name"))
        elif n.type == "variable_name":
            name = text(n)
        else:
            continue
        if _ALIAS_NAME.search(name):
            h.numeric = True
    return v


def _last_segment(name: str) -> str:
    return name.rsplit("\\", 1)[-1]


def _inside(inner: ts.Node, outer: ts.Node | None) -> bool:
    return outer is not None and outer.start_byte <= inner.start_byte and inner.end_byte <= outer.end_byte


class Adapter(LanguageAdapter):
    member_separator = "->"
    name = "php"
    directory = Path(__file__).parent
    comment_types = frozenset({"comment"})
    statement_containers = frozenset({"program", "compound_statement", "declaration_list", "colon_block",
                                      "switch_block", "case_statement", "default_statement",
                                      "enum_declaration_list"})
    function_types = _FUNCTION_TYPES
    identifier_types = frozenset({"variable_name"})
    literal_collection_types = frozenset({"array_creation_expression"})
    member_access_query = ("[(member_access_expression object: (variable_name) @obj name: (name) @attr)"
                           " (nullsafe_member_access_expression object: (variable_name) @obj name: (name) @attr)"
                           " (member_call_expression object: (variable_name) @obj name: (name) @attr)] @access")

    def __init__(self) -> None:
        super().__init__()
        k = self.knowledge
        self._numeric_functions = {s.lower() for s in k.get("numeric_functions", ())}
        self._numeric_methods = set(k.get("numeric_methods", ()))
        self._numeric_casts = {s.lower() for s in k.get("numeric_casts", ())}
        self._quoting_functions = {s.lower() for s in k.get("quoting_functions", ())}
        self._quoting_methods = set(k.get("quoting_methods", ()))
        self._identifier_methods = set(k.get("identifier_methods", ()))
        self._class_cache: dict[tuple[int, int, int], dict] = {}
        self._root_memo: dict[int, ts.Node] = {}
        self._nesting = 0
        self._prefix_query: ts.Query | None = None

    def _load_language(self) -> ts.Language:
        return ts.Language(tree_sitter_php.language_php())

    # -- facts -------------------------------------------------------------------------------
    def facts(self, tree: ts.Tree) -> Facts:
        self._class_cache.clear()
        self._root_memo = {}
        try:
            facts = super().facts(tree)
            self._php_strings(facts, tree)
        finally:
            self._root_memo = {}
        # a callback matched by two patterns (two closures as arguments) is one loop
        seen: dict[int, Loop] = {}
        for lp in facts.loops:
            seen[lp.node.id] = lp
        facts.loops = [lp for lp in facts.loops if seen[lp.node.id] is lp]
        self._callback_loops(facts)
        return facts

    def _php_strings(self, facts: Facts, tree: ts.Tree) -> None:
        """Statement-level `$sql = "...";` whose text goes on later is analysed as a whole:
        - `$sql .= " WHERE id = ?"` appends: the root becomes the assignment, whose value folds them;
        - `$pdo->exec($sql . $where)` / `"$sql WHERE ..."`: if that continuation holds a literal it
          is a string root of its own, analysed with this text inlined, so this root is dropped;
          otherwise the root becomes the assignment, valued as this text plus an unknown rest."""
        by_node = {a.node.id: a for a in facts.assignments}
        root_ids = {r.id for r in facts.strings}
        extended: dict[int, ts.Node] = {}
        uses = None
        strings = []
        for root in facts.strings:
            p = root.parent
            if (p is not None and p.type == "assignment_expression" and p.parent is not None
                    and p.parent.type == "expression_statement"):
                right = p.child_by_field_name("right")
                a = by_node.get(p.id)
                if right is not None and right.id == root.id and a is not None:
                    if self._later_appends(facts, a):
                        root = p
                    else:
                        if uses is None:
                            uses = self._prefix_uses(tree)
                        rest = self._extended_later(facts, a, uses.get(a.name, ()))
                        if rest is not None:
                            if self.string_root(rest).id in root_ids:
                                continue
                            extended[p.id] = rest
                            root = p
            strings.append(root)
        facts.strings = strings
        facts.php_extended = extended

    def _prefix_uses(self, tree: ts.Tree) -> dict[str, list[tuple[ts.Node, ts.Node]]]:
        """Variables used as the start of a longer string: ($sql node, the rest) for `$sql . $x`
        and `"$sql ..."`. One small query, run in C."""
        if self._prefix_query is None:
            self._prefix_query = ts.Query(self.ts_language, _PREFIX_QUERY)
        out: dict[str, list[tuple[ts.Node, ts.Node]]] = {}
        for _, caps in ts.QueryCursor(self._prefix_query).matches(tree.root_node):
            v = caps.get("var")
            whole = caps.get("whole")
            if v and whole:
                out.setdefault(text(v[0]), []).append((v[0], whole[0]))
        return out

    def _extended_later(self, facts: Facts, a, uses) -> ts.Node | None:
        """The first `$sql . rest` after assignment a, before the variable is assigned again."""
        if not uses:
            return None
        nxt = next((b.node.start_byte for b in facts.assignments_before(a.name, a.function, 1 << 62)
                    if b.node.start_byte > a.node.start_byte), 1 << 62)
        for var, whole in uses:
            if a.node.end_byte <= var.start_byte < nxt and _inside(var, a.function.node if a.function else None) \
                    or (a.function is None and a.node.end_byte <= var.start_byte < nxt):
                return whole
        return None

    @staticmethod
    def _callback_loops(facts: Facts) -> None:
        """A call inside `$users->each(function ($u) { ... })` runs once per item: the base stops at
        the closure (a function), so add the callback loop and the loops around it."""
        by_body = {lp.body.id: lp for lp in facts.loops if lp.kind == "callback" and lp.body is not None}
        if not by_body:
            return
        call_by_node = {c.node.id: c for c in facts.calls}
        done: dict[int, list] = {}

        def full(c, guard=0):
            if c.node.id in done:
                return done[c.node.id]
            loops = list(c.loops)
            fn = c.function
            lp = by_body.get(fn.node.id) if fn is not None else None
            if lp is not None and guard < 50:
                outer = call_by_node.get(lp.node.id)
                loops.append(lp)
                if outer is not None:
                    loops.extend(full(outer, guard + 1))
            done[c.node.id] = loops
            return loops

        for c in facts.calls:
            c.loops = full(c)

    @staticmethod
    def _following(facts: Facts, a) -> list:
        """Assignments to a's variable after a in the same function, up to the next plain `=`."""
        allx = facts.assignments_before(a.name, a.function, 1 << 62)
        out = []
        for b in allx:
            if b.node.start_byte <= a.node.start_byte:
                continue
            if b.op == "=":
                break
            out.append(b)
        return out

    def _later_appends(self, facts: Facts, a) -> bool:
        return any(b.op == "+=" for b in self._following(facts, a))

    # -- ORM models and queries (n-plus-one) -------------------------------------------------
    def classify_db_calls(self, facts: Facts) -> None:
        """As the base, plus: `$stmt->execute()` of a statement prepared before the loop (one round
        trip per call), relation queries `$post->comments()->count()` of relations declared in this
        file; `execute` on anything that is not a prepared statement or given SQL is dropped."""
        if facts.db_calls:
            return
        super().classify_db_calls(facts)
        out = []
        by_node = {d.call.node.id: d for d in facts.db_calls}
        rel_names: set[str] | None = None
        for c in facts.calls:
            d = by_node.get(c.node.id)
            if c.node.has_error:
                continue
            if c.method in ("execute", "mysqli_stmt_execute") and (d is None or d.library == "cakephp"):
                prep = self._prepared_by(facts, c)
                if prep is not None:
                    lib, inside = prep
                    if not inside:
                        out.append(DbCall(c, lib, "raw-sql", bulk=False))
                    continue
                if d is not None and (not c.args or c.args[0].type not in _STRING_TYPES | {"binary_expression"}):
                    continue  # $job->execute($x): not SQL
            if d is None and c.receiver and c.receiver_node is not None and c.method in _RELATION_QUERY:
                if rel_names is None:
                    rel_names = {r for rels in self.model_relations(facts).values() for r in rels}
                m = _RELATION_CHAIN.match(c.receiver)
                if m and m.group(2) in rel_names:
                    d = DbCall(c, "eloquent", "write" if c.method in _RELATION_WRITES else "read",
                               bounded=c.method in ("first", "count", "exists", "find", "sum", "max", "min", "avg", "value"))
            if d is not None:
                out.append(d)
        facts.db_calls = out

    def _prepared_by(self, facts: Facts, c: Call) -> tuple[str, bool] | None:
        """(library, prepared inside the call's own loop) when the receiver of `execute` is a
        statement from `prepare()` (`$stmt = $pdo->prepare(...)`, `$pdo->prepare(...)->execute()`)."""
        node = c.receiver_node
        if c.method == "mysqli_stmt_execute":
            node = c.args[0] if c.args else None
        if node is None:
            return None
        src = node
        if node.type == "variable_name":
            fn = c.function
            assigns = facts.assignments_before(text(node), fn, c.node.start_byte)
            if not assigns or assigns[-1].value is None:
                return None
            src = assigns[-1].value
            inside = any(lp.body is not None and _inside(assigns[-1].node, lp.body) for lp in c.loops[:1])
        else:
            inside = True  # the chain prepares it right here: the prepare call is the query
        if src.type in _MEMBER_CALLS and text(src.child_by_field_name("name")) == "prepare":
            return "pdo", inside
        if src.type == "function_call_expression" and text(src.child_by_field_name("function")) in ("mysqli_prepare", "pg_prepare"):
            return "mysqli", inside
        return None

    def model_relations(self, facts: Facts) -> dict[str, dict[str, str]]:
        """Eloquent relation methods: `public function author() { return $this->belongsTo(User::class); }`
        (accessed as the property `$post->author`). Relations listed in the model's `$with`
        property are always eager-loaded and left out."""
        out: dict[str, dict[str, str]] = {}
        eager_by_class: dict[int, set[str]] = {}
        for c in facts.calls:
            if c.receiver != "$this" or c.method not in _RELATION_METHODS or c.function is None \
                    or c.function.kind != "method" or not c.function.class_name:
                continue
            p = c.node.parent
            if p is None or p.type != "return_statement":
                continue
            cls = self._enclosing_class(c.function.node)
            if cls is None:
                continue
            if cls.id not in eager_by_class:
                eager_by_class[cls.id] = self._with_property(cls)
            rel = c.function.name
            if rel in eager_by_class[cls.id]:
                continue
            target = ""
            if c.args:
                a = c.args[0]
                if a.type == "class_constant_access_expression":
                    target = _last_segment(squash(text(a.named_children[0]))) if a.named_children else ""
                elif a.type in ("string", "encapsed_string"):
                    target = _last_segment(text(a).strip("'\"").replace("\\\\", "\\"))
            if c.method.startswith("morph") and c.method in ("morphTo",):
                target = "model (polymorphic)"
            if target:
                out.setdefault(c.function.class_name, {})[rel] = target
        return out

    @staticmethod
    def _with_property(cls: ts.Node) -> set[str]:
        body = cls.child_by_field_name("body")
        for d in (body.named_children if body is not None else []):
            if d.type != "property_declaration":
                continue
            for el in d.named_children:
                if el.type == "property_element" and text(el.child_by_field_name("name")) == "$with":
                    v = el.child_by_field_name("default_value")
                    return {m.split(".")[0] for m in re.findall(r"['\"]([\w.]+)['\"]", text(v))} if v is not None else set()
        return set()

    def query_model(self, call: Call) -> str | None:
        m = re.match(r"^\\?(?:[A-Z]\w*\\)*([A-Z]\w*)::", call.callee)
        if m and m.group(1) not in ("DB", "Arr", "Str", "Cache", "Collection"):
            return m.group(1)
        return None

    def eager_loaded(self, call: Call) -> set[str]:
        full = text(call.node)[:2000]
        out: set[str] = set()
        for m in re.finditer(r"(?:->|::)(?:with|load|loadMissing)\(\s*(\[[^\]]*\]|[^)]*)\)", full):
            for name in re.findall(r"['\"]([\w.]+)(?::[\w,]*)?['\"]\s*(?:=>|,|\]|$)", m.group(1)):
                out.add(name.split(".")[0])
        # `$posts = Post::all(); $posts->load('author');` before the loop
        p = call.node.parent
        if p is not None and p.type == "assignment_expression" and p.child_by_field_name("left") is not None:
            var = text(p.child_by_field_name("left"))
            fn = p.parent
            while fn is not None and fn.type not in _FUNCTION_TYPES:
                fn = fn.parent
            body = text(fn)[:20000] if fn is not None else ""
            for m in re.finditer(re.escape(var) + r"->(?:load|loadMissing)\(\s*(\[[^\]]*\]|[^)]*)\)", body):
                for name in re.findall(r"['\"]([\w.]+)(?::[\w,]*)?['\"]", m.group(1)):
                    out.add(name.split(".")[0])
        return out

    def member_accesses(self, node: ts.Node, variables: list[str]) -> list[tuple[str, str, ts.Node]]:
        """`$post->author` (a relation read as a property) and `$post->comments()->...` (a relation
        query) on the loop variables; loop variables keep their `$`."""
        q = self._member_query()
        out = []
        names = set(variables)
        for _, caps in ts.QueryCursor(q).matches(node):
            obj, attr, acc = caps.get("obj"), caps.get("attr"), caps.get("access")
            if not obj or not attr or not acc:
                continue
            a = acc[0]
            if a.type in _MEMBER_CALLS:
                args = a.child_by_field_name("arguments")
                parent = a.parent
                if (args is not None and args.named_child_count) or parent is None or parent.type not in _MEMBER_CALLS \
                        or text(parent.child_by_field_name("name")) not in _RELATION_QUERY:
                    continue
            name = text(obj[0])
            if name in names:
                out.append((name, text(attr[0]), a))
        return out

    # -- functions ---------------------------------------------------------------------------
    def function_info(self, node: ts.Node) -> Function:
        params = self._params(node.child_by_field_name("parameters"))
        body = node.child_by_field_name("body")
        if node.type in ("anonymous_function", "arrow_function"):
            return Function(node, "<lambda>", params, body=body, kind="lambda")
        fn = Function(node, text(node.child_by_field_name("name")), params,
                      self._attributes(node), body=body)
        cls = self._enclosing_class(node)
        if cls is not None:
            fn.kind = "method"
            fn.class_name = text(cls.child_by_field_name("name")) or "class@anonymous"
            for c in cls.named_children:
                if c.type in ("base_clause", "class_interface_clause"):
                    fn.class_bases.extend(squash(text(n)) for n in c.named_children if n.type in ("name", "qualified_name"))
            fn.class_decorators = self._attributes(cls)
        return fn

    @staticmethod
    def _attributes(node: ts.Node) -> list[str]:
        out = []
        for c in node.named_children:
            if c.type == "attribute_list":
                for g in c.named_children:
                    out.extend(squash(text(a)) for a in g.named_children if a.type == "attribute")
        return out

    @staticmethod
    def _enclosing_class(node: ts.Node) -> ts.Node | None:
        return enclosing_node(node, _CLASS_TYPES, _FUNCTION_TYPES)

    @staticmethod
    def _params(params: ts.Node | None) -> list[str]:
        return param_names(params, bare=frozenset())

    # -- route handlers (languages/routes.py; data in knowledge.d/routes.yaml) -----------------
    def route_handlers(self, facts: Facts, path: str) -> list:
        """As the base, then: docblock annotations (`@Route`) win over class / location evidence;
        private, protected and abstract methods are never handlers, nor static ones found only by
        class or location; every verb of a `methods` list or `@Method(...)` is kept."""
        if facts.routes is not None:
            return facts.routes
        hs = super().route_handlers(facts, path)
        annotated = {h.node.id: h for h in self._annotation_routes(facts)}
        out = []
        for h in hs:
            a = annotated.get(h.node.id)
            if a is not None and h.how.startswith(("class ", "its location")):
                h = a
            if not self._route_visible(h):
                continue
            if h.how.startswith("`#[") and h.how.endswith(")`"):
                h.how = h.how[:-1] + "]`"
            self._route_verbs(h)
            if h.framework == "symfony" and h.how.startswith(("class ", "its location")):
                h.methods = ()  # routed by config: Laravel's resource actions say nothing here
            out.append(h)
        facts.routes = out
        return out

    def extra_route_handlers(self, facts: Facts, path: str) -> list:
        return self._annotation_routes(facts)

    def _annotation_routes(self, facts: Facts) -> list:
        """Methods with `@Route(...)` (or `@Rest\\Get(...)`) in their docblock, matched by the
        `decorators` knowledge as if they were attributes."""
        memo = getattr(facts, "php_annotation_routes", None)
        if memo is not None:
            return memo
        out = []
        rec = getattr(self, "_route_recognizer", None)
        if rec is not None and rec.decorators:
            import dataclasses
            for f in facts.functions:
                if f.kind != "method":
                    continue
                notes = self._doc_annotations(f.node)
                if not notes:
                    continue
                h = rec._by_decorator(dataclasses.replace(f, decorators=notes))
                if h is not None:
                    h.function = f
                    if h.how.startswith("`#["):
                        h.how = "`@" + h.how[3:]
                    out.append(h)
        facts.php_annotation_routes = out
        return out

    _ANNOTATION = re.compile(r"@((?:\\?[A-Za-z_]\w*\\)*[A-Za-z_]\w*)\s*\(")

    def _doc_annotations(self, node: ts.Node) -> list[str]:
        """`@Route("/x", methods={"GET"})` of the docblock right before a method, squashed,
        without `@` and the ` * ` line prefixes."""
        prev = node.prev_named_sibling
        if prev is None or prev.type != "comment":
            return []
        doc = text(prev)
        if not doc.startswith("/**") or "(" not in doc:
            return []
        doc = re.sub(r"(?m)^\s*\*+(?!/)", " ", doc[3:20000])
        out = []
        for m in self._ANNOTATION.finditer(doc):
            depth, i, end = 0, m.end() - 1, None
            while i < len(doc) and i < m.end() + 2000:
                ch = doc[i]
                if ch == "(":
                    depth += 1
                elif ch == ")":
                    depth -= 1
                    if depth == 0:
                        end = i + 1
                        break
                i += 1
            if end is not None:
                out.append(squash(m.group(1) + doc[m.end() - 1:end]))
        return out

    @staticmethod
    def _modifiers(node: ts.Node) -> set[str]:
        return {text(c).lower() for c in node.children
                if c.type in ("visibility_modifier", "static_modifier", "abstract_modifier")}

    def _route_visible(self, h) -> bool:
        f = h.function
        if f is None or f.kind != "method" or f.node.type != "method_declaration":
            return True
        mods = self._modifiers(f.node)
        if "private" in mods or "protected" in mods or "abstract" in mods or f.body is None:
            return False
        if not h.how.startswith(("class ", "its location")):
            return True
        if "static" in mods:
            return False
        rx = (self.knowledge.get("routes") or {}).get("not-handler-attributes")
        return not (rx and any(re.search(rx, d) for d in f.decorators))

    _VERBS = re.compile(r"""["']([A-Za-z]+)["']""")
    _METHODS_LIST = re.compile(r"""\bmethods\s*[:=]\s*(?:\[([^\]]*)\]|\{([^}]*)\}|(["'][A-Za-z]+["']))""")
    _METHOD_NOTE = re.compile(r"^(?:\\?\w+\\)*Method\((.*)\)$")

    def _route_verbs(self, h) -> None:
        """All verbs of `methods: ['GET', 'HEAD']`, `@Method({"GET", "POST"})`; `PUT,PATCH`
        (knowledge `actions`) as two."""
        verbs: list[str] = []
        f = h.function
        if f is not None and f.kind == "method" and h.framework == "symfony":
            notes = list(f.decorators) + self._doc_annotations(f.node)
            for d in notes:
                m = self._METHODS_LIST.search(d) if re.match(r"^(?:\\?\w+\\)*Route\(", d) else None
                if m is None:
                    m = self._METHOD_NOTE.match(d)
                if m is not None:
                    src = next(g for g in m.groups() if g is not None) if m.lastindex else ""
                    verbs = [v.upper() for v in self._VERBS.findall(src)]
                    break
        if not verbs:
            verbs = [v.strip().upper() for m in h.methods for v in m.split(",") if v.strip()]
        known = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "*")
        verbs = list(dict.fromkeys(v for v in verbs if v in known))
        if verbs or not h.methods:
            h.methods = tuple(verbs)
        if f is not None and h.how.startswith(("`#[", "`@")):
            for d in list(f.decorators) + self._doc_annotations(f.node):
                m = re.search(r"""[(,]path\s*[:=]\s*["']([^"']*)["']""", d)
                if m is not None:
                    h.path = m.group(1)
                    break

    def function_argument(self, node: ts.Node, fn_by_node: dict) -> Function | None:
        """The handler a Laravel registration names: `[OrderController::class, 'index']`,
        `'OrderController@index'`, `InvokableController::class` (its `__invoke`), Lumen's
        `['as' => 'x', 'uses' => 'C@m']` / `['middleware' => 'auth', function () {...}]`,
        when that class is in the same file."""
        f = super().function_argument(node, fn_by_node)
        if f is not None or node is None:
            return f
        return self._route_target(node, fn_by_node, 0)

    def _route_target(self, node: ts.Node, fn_by_node: dict, depth: int) -> Function | None:
        t = node.type
        if t == "argument" and node.named_children:
            return self._route_target(node.named_children[-1], fn_by_node, depth)
        if t == "class_constant_access_expression":
            kids = node.named_children
            if len(kids) == 2 and text(kids[1]) == "class":
                return self._method_of(fn_by_node, text(kids[0]), "__invoke")
            return None
        if t in ("string", "encapsed_string"):
            m = re.fullmatch(r"""["']([\w\\]+)@(\w+)["']""", text(node).strip())
            return self._method_of(fn_by_node, m.group(1), m.group(2)) if m else None
        if t != "array_creation_expression" or depth > 1:
            return None
        elems = [e for e in node.named_children if e.type == "array_element_initializer"]
        keyed = [e for e in elems if len([c for c in e.named_children if c.type != "comment"]) == 2]
        if len(elems) == 2 and not keyed:
            cls, meth = (self._element_value(e) for e in elems)
            if cls is not None and meth is not None and meth.type == "string":
                name = text(meth).strip()[1:-1]
                if cls.type == "class_constant_access_expression":
                    kids = cls.named_children
                    cname = text(kids[0]) if kids else ""
                elif cls.type == "string":
                    cname = text(cls).strip()[1:-1]
                else:
                    return None
                return self._method_of(fn_by_node, cname, name)
        for e in elems:
            v = self._element_value(e)
            if v is None:
                continue
            if v.id in fn_by_node:
                return fn_by_node[v.id]
            kids = [c for c in e.named_children if c.type != "comment"]
            if len(kids) == 2 and text(kids[0]).strip("'\"") == "uses":
                return self._route_target(v, fn_by_node, depth + 1)
        return None

    def _method_of(self, fn_by_node: dict, class_name: str, method: str) -> Function | None:
        memo = getattr(self, "_method_index", None)
        if memo is None or memo[0] is not fn_by_node:
            idx: dict[tuple[str, str], Function] = {}
            for f in fn_by_node.values():
                if f.kind == "method" and f.class_name:
                    idx.setdefault((f.class_name, f.name), f)
            memo = self._method_index = (fn_by_node, idx)
        return memo[1].get((_last_segment(class_name.replace("\\\\", "\\")).strip(), method))

    def handler_reference(self, node: ts.Node) -> str | None:
        """None: PHP names handlers by class and method (`[X::class, 'm']`, `'X@m'`, `X::class`),
        which function_argument resolves; a bare name is a constant, not a function."""
        return None

    # -- calls -------------------------------------------------------------------------------
    @staticmethod
    def _arguments(al: ts.Node | None) -> tuple[list[ts.Node], dict[str, ts.Node]]:
        args: list[ts.Node] = []
        kwargs: dict[str, ts.Node] = {}
        if al is None:
            return args, kwargs
        for a in al.named_children:
            if a.type != "argument":
                continue
            name = a.child_by_field_name("name")
            vals = [c for c in a.named_children if (name is None or c.id != name.id) and c.type != "comment"]
            if not vals:
                continue
            if name is not None:
                kwargs[text(name)] = vals[-1]
            else:
                args.append(vals[-1])
        return args, kwargs

    def call_info(self, node: ts.Node) -> Call | None:
        t = node.type
        if t == "object_creation_expression":
            cls = next((c for c in node.named_children if c.type in ("name", "qualified_name", "variable_name")), None)
            if cls is None:
                return None  # new class(...) { ... }
            al = next((c for c in node.named_children if c.type == "arguments"), None)
            args, kwargs = self._arguments(al)
            callee = squash(text(cls))
            return Call(node, callee, _last_segment(callee), None, args, kwargs, is_new=True)
        args, kwargs = self._arguments(node.child_by_field_name("arguments"))
        if t == "function_call_expression":
            fn = node.child_by_field_name("function")
            if fn is None:
                return None
            callee = squash(text(fn))
            return Call(node, callee, _last_segment(callee), None, args, kwargs)
        name = node.child_by_field_name("name")
        if name is None:
            return None
        if t in _MEMBER_CALLS:
            recv = node.child_by_field_name("object")
            arrow = "?->" if t == "nullsafe_member_call_expression" else "->"
        else:  # scoped_call_expression
            recv = node.child_by_field_name("scope")
            arrow = "::"
        r = squash(text(recv))
        return Call(node, f"{r}{arrow}{squash(text(name))}", text(name), r, args, kwargs, receiver_node=recv)

    def sql_sink(self, call: Call):
        """As the base, plus `nargs`: the entry applies only with that many positional arguments."""
        for s in self._sinks_by_method.get(call.method, ()):
            if "nargs" in s and len(call.args) != s["nargs"]:
                continue
            if not self.sink_entry_matches(s, call):
                continue
            arg = None
            if "kwarg" in s and s["kwarg"] in call.kwargs:
                arg = call.kwargs[s["kwarg"]]
            elif len(call.args) > s.get("arg", 0):
                arg = call.args[s.get("arg", 0)]
            if arg is None or arg.type == "variadic_unpacking":
                continue
            return s, arg
        return None

    # -- assignments -------------------------------------------------------------------------
    def _target_names(self, node: ts.Node | None, depth: int = 0) -> list[str]:
        """Variables written by a destructuring target / foreach variable spec."""
        if node is None or depth > 6:
            return []
        if node.type == "variable_name":
            return [text(node)]
        if node.type in ("list_literal", "array_creation_expression", "array_element_initializer", "pair", "by_ref"):
            out = []
            for c in node.named_children:
                out.extend(self._target_names(c, depth + 1))
            return out
        return []

    def assignment_info(self, node: ts.Node):
        t = node.type
        if t not in ("assignment_expression", "augmented_assignment_expression", "reference_assignment_expression"):
            # a foreach loop variable spec ($v, $k => $v, &$v, [$a, $b])
            return [(n, None, "=") for n in self._target_names(node)]
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        if left is None:
            return []
        name = self._lvalue_name(left)
        if t == "augmented_assignment_expression":
            op = text(node.child_by_field_name("operator"))
            if name is None:
                return []
            return [(name, right, "+=")] if op == ".=" else [(name, None, "=")]
        if t == "reference_assignment_expression":
            right = None
        while right is not None and right.type == "assignment_expression":  # $a = $b = "..."
            right = right.child_by_field_name("right")
        if left.type in ("list_literal", "array_creation_expression"):
            return [(n, None, "=") for n in self._target_names(left)]
        if left.type == "subscript_expression":
            base = left
            while base.type == "subscript_expression" and base.named_child_count:
                base = base.named_children[0]
            if base.type == "variable_name":
                return [(text(base), None, "[]=")]
            return []
        if name is None:
            return []
        return [(name, right, "=")]

    @staticmethod
    def _lvalue_name(left: ts.Node) -> str | None:
        if left.type == "variable_name":
            return text(left)
        if left.type == "member_access_expression":
            obj = left.child_by_field_name("object")
            if text(obj) == "$this":
                return "$this->" + text(left.child_by_field_name("name"))
        if left.type == "scoped_property_access_expression":
            return "::" + text(left.child_by_field_name("name"))
        return None

    # -- loops -------------------------------------------------------------------------------
    def loop_info(self, node: ts.Node) -> Loop:
        t = node.type
        if t == "foreach_statement":
            kids = [c for c in node.named_children if c.type != "comment"]
            body = node.child_by_field_name("body")
            it = kids[0] if kids else None
            spec = kids[1] if len(kids) > 1 and (body is None or kids[1].id != body.id) else None
            # `foreach (array_chunk($ids, 500) as $chunk)`: one iteration per batch, not per item
            kind = "while" if it is not None and self._batch_iterable(it) else "for"
            return Loop(node, kind, it, self._target_names(spec), body)
        if t == "for_statement":
            return Loop(node, "for", self._for_bound(node), [], node.child_by_field_name("body"))
        if t in ("while_statement", "do_statement"):
            cur = self._cursor_condition(node) if t == "while_statement" else None
            if cur is not None:
                # `while ($row = $stmt->fetch())`: one iteration per row of a result set
                var, source = cur
                return Loop(node, "cursor", source, [var], node.child_by_field_name("body"))
            return Loop(node, "while", node.child_by_field_name("condition"), [], node.child_by_field_name("body"))
        # loop-like callback: array_map(fn, $xs), $xs->each(fn)
        args, _ = self._arguments(node.child_by_field_name("arguments"))
        cb_i = next((i for i, a in enumerate(args) if a.type in ("anonymous_function", "arrow_function")), None)
        cb = args[cb_i] if cb_i is not None else None
        if t == "function_call_expression":
            others = [a for i, a in enumerate(args) if i != cb_i]
            it = others[0] if others else None
        else:
            it = node.child_by_field_name("object")
        params = self._params(cb.child_by_field_name("parameters")) if cb is not None else []
        name = node.child_by_field_name("name") if t != "function_call_expression" else None
        if name is not None and text(name) in _BATCH_CALLBACKS:
            # `$q->chunk(200, function ($posts) { ... })`: the callback runs once per batch
            return Loop(node, "while", it, params, cb)
        return Loop(node, "callback", it, params, cb)

    def _for_bound(self, node: ts.Node) -> ts.Node | None:
        """`for ($i = 0; $i < count($xs); $i++)`: the bound (`count($xs)`, or `3` for a small
        literal loop) stands for the collection."""
        cond = node.child_by_field_name("condition")
        if cond is not None and cond.type == "sequence_expression" and cond.named_children:
            cond = cond.named_children[-1]
        if cond is not None and cond.type == "binary_expression" and \
                text(cond.child_by_field_name("operator")) in ("<", "<=", "!=", "!=="):
            right = cond.child_by_field_name("right")
            if right is not None:
                return right
        return node.child_by_field_name("initialize") or cond

    @staticmethod
    def _cursor_condition(node: ts.Node) -> tuple[str, ts.Node] | None:
        """`while ($row = $stmt->fetch())` / `while ($row = mysqli_fetch_assoc($res))`: the row
        variable and the result-set expression."""
        cond = node.child_by_field_name("condition")
        while cond is not None and cond.type == "parenthesized_expression" and cond.named_child_count == 1:
            cond = cond.named_children[0]
        if cond is not None and cond.type == "binary_expression":
            cond = cond.child_by_field_name("left")  # while (($row = $s->fetch()) !== false)
            while cond is not None and cond.type == "parenthesized_expression" and cond.named_child_count == 1:
                cond = cond.named_children[0]
        if cond is None or cond.type != "assignment_expression":
            return None
        left, right = cond.child_by_field_name("left"), cond.child_by_field_name("right")
        if left is None or right is None or left.type not in ("variable_name", "list_literal"):
            return None
        if right.type in _MEMBER_CALLS:
            m = text(right.child_by_field_name("name"))
            src = right.child_by_field_name("object")
        elif right.type == "function_call_expression":
            m = text(right.child_by_field_name("function")).lstrip("\\")
            args = right.child_by_field_name("arguments")
            first = next((a for a in (args.named_children if args is not None else []) if a.type == "argument"), None)
            src = first.named_children[-1] if first is not None and first.named_children else None
        else:
            return None
        if m not in _FETCH_METHODS or src is None:
            return None
        return text(left), src

    @staticmethod
    def _batch_iterable(it: ts.Node) -> bool:
        if it.type == "function_call_expression":
            return text(it.child_by_field_name("function")).lstrip("\\") == "array_chunk"
        if it.type in _MEMBER_CALLS:
            return text(it.child_by_field_name("name")) in ("chunk", "lazyChunk", "chunkWhile", "split", "splitIn")
        return False

    def _inside_loop_body(self, loop: Loop, node: ts.Node) -> bool:
        if loop.kind == "callback" or (loop.kind == "while" and loop.node.type not in ("while_statement", "do_statement", "foreach_statement")):
            return _inside(node, loop.body)
        if loop.kind == "cursor":
            return _inside(node, loop.body)
        return super()._inside_loop_body(loop, node)

    # -- strings -----------------------------------------------------------------------------
    def string_root(self, node: ts.Node) -> ts.Node:
        memo = self._root_memo
        chain = []
        cur = node
        while True:  # iterative, memoised: a 3000-term concatenation is one root, found in O(n)
            hit = memo.get(cur.id)
            if hit is not None:
                root = hit
                break
            chain.append(cur)
            p = self._string_parent(cur)
            if p is None:
                root = cur
                break
            cur = p
        for n in chain:
            memo[n.id] = root
        return root

    @staticmethod
    def _string_parent(cur: ts.Node) -> ts.Node | None:
        """The enclosing expression that still builds the same string, if any."""
        p = cur.parent
        if p is None:
            return None
        if p.type == "parenthesized_expression":
            return p
        if p.type == "binary_expression" and text(p.child_by_field_name("operator")) == ".":
            return p
        if p.type == "argument" and p.parent is not None and p.parent.type == "arguments":
            call = p.parent.parent
            if (call is not None and call.type == "function_call_expression"
                    and _last_segment(text(call.child_by_field_name("function"))).lower() in ("sprintf", "vsprintf")
                    and p.parent.named_children and p.parent.named_children[0].id == p.id):
                return call
        return None

    def _single(self, node: ts.Node) -> StringValue:
        kids = node.children
        if len(kids) >= 2 and not kids[0].is_named and not kids[-1].is_named:
            raw = node.text[kids[0].end_byte - node.start_byte: kids[-1].start_byte - node.start_byte]
        else:
            raw = node.text
        return StringValue(node, _unescape_single(raw.decode("utf-8", "replace")), [], "literal")

    def _interpolated(self, node: ts.Node, container: ts.Node, start: int, end: int, ev: Evaluator, depth: int,
                      unescape=_unescape_double) -> StringValue:
        """Literal text comes from the source between embedded expressions (heredoc line breaks
        are not in any child node); `{` `}` around complex expressions are dropped."""
        src = container.text
        base = container.start_byte
        parts: list[StringValue] = []
        pos = start

        def flush(upto: int) -> None:
            if upto > pos:
                parts.append(StringValue(node, unescape(src[pos - base: upto - base].decode("utf-8", "replace")), [], "literal"))

        for c in container.children:
            if c.start_byte < start or c.end_byte > end:
                continue
            if c.type in ("string_content", "escape_sequence", "nowdoc_string", "comment"):
                continue
            if not c.is_named:
                if c.type in ("{", "}"):
                    flush(c.start_byte)
                    pos = c.end_byte
                continue
            flush(c.start_byte)
            pos = c.end_byte
            v = ev.value(c, depth) if c.type != "dynamic_variable_name" else None
            parts.append(v if v is not None else self._hole(c, ev, depth))
        flush(end)
        v = _mark_aliases(StringValue.join(node, parts))
        if v.dynamic:
            v.how = "string interpolation"
        return v

    def _heredoc(self, node: ts.Node, ev: Evaluator, depth: int) -> StringValue:
        body = node.child_by_field_name("value")
        if body is None:
            return StringValue(node, "", [], "literal")
        start = body.start_byte
        raw = body.text
        if raw.startswith(b"\r\n"):
            start += 2
        elif raw.startswith(b"\n"):
            start += 1
        if node.type == "nowdoc":
            s = body.text[start - body.start_byte:].decode("utf-8", "replace")
            v = StringValue(node, s, [], "literal")
        else:
            v = self._interpolated(node, body, start, body.end_byte, ev, depth)
            if v.dynamic:
                v.how = "heredoc interpolation"
        end = node.child_by_field_name("end_tag")
        indent = end.start_point[1] if end is not None else 0
        if indent:
            v.template = re.sub(rf"(?m)^[ \t]{{0,{indent}}}", "", v.template)
        return v

    def string_value(self, node: ts.Node, ev: Evaluator, depth: int) -> StringValue | None:
        t = node.type
        if t == "string":
            return self._single(node)
        if t == "encapsed_string":
            kids = node.children
            start = kids[0].end_byte if kids and not kids[0].is_named else node.start_byte
            end = kids[-1].start_byte if len(kids) > 1 and not kids[-1].is_named else node.end_byte
            return self._interpolated(node, node, start, end, ev, depth)
        if t in ("heredoc", "nowdoc"):
            return self._heredoc(node, ev, depth)
        if t == "parenthesized_expression":
            inner = [c for c in node.named_children if c.type != "comment"]
            return ev.value(inner[0], depth) if len(inner) == 1 else None
        if t == "binary_expression":
            if text(node.child_by_field_name("operator")) != ".":
                return self._safe_opaque(node, ev, depth)
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            if left is None or right is None:
                return None
            lv, rv = ev.value(left, depth), ev.value(right, depth)
            if lv is None and rv is None:
                return None
            lv = lv or self._hole(left, ev, depth)
            rv = rv or self._hole(right, ev, depth)
            return _mark_aliases(StringValue.join(node, [lv, rv], "concatenation"))
        if t == "variable_name":
            v = ev.variable(node, depth)
            if v is None:
                v = self._captured_value(node, ev, depth)
            return v
        if t == "assignment_expression":
            return self._assignment_value(node, ev, depth)
        if t == "function_call_expression":
            return self._call_value(node, ev, depth)
        if t == "class_constant_access_expression":
            v = self._class_constant(node, ev, depth)
            return v if v is not None else StringValue.opaque(node, text(node), True)
        if t == "member_access_expression" and self._wpdb_table(node):
            # $wpdb->prefix / $wpdb->posts: configured table names, spelled as WordPress defaults
            prop = text(node.child_by_field_name("name"))
            return StringValue(node, "wp_" if prop in ("prefix", "base_prefix") else "wp_" + prop, [], "literal")
        if t in ("member_access_expression", "scoped_property_access_expression"):
            lit = self._class_property_literal(node, ev)
            if lit is not None:
                return ev.value(lit, depth)
            return self._safe_opaque(node, ev, depth)
        if t == "cast_expression":
            ct = text(node.child_by_field_name("type")).lower()
            if ct == "string":
                return ev.value(node.child_by_field_name("value"), depth)
            return self._safe_opaque(node, ev, depth)
        if t in ("name", "qualified_name"):
            lit = self._global_constant(node)
            if lit is not None:
                return ev.value(lit, depth)
            return StringValue.opaque(node, text(node), True)
        return self._safe_opaque(node, ev, depth)

    def _safe_opaque(self, node: ts.Node, ev: Evaluator, depth: int) -> StringValue | None:
        """Expressions we cannot spell out but that can only hold safe text (a number, a quoted
        value, `$wpdb->prepare(...)`): one safe hole. Anything else is unknown (None)."""
        if node.type in _STRING_TYPES:
            return None
        if self._checked_safe(node, ev, depth):
            return StringValue.opaque(node, text(node), True)
        return None

    def _hole(self, node: ts.Node, ev: Evaluator, depth: int) -> StringValue:
        return StringValue.opaque(node, text(node), self._checked_safe(node, ev, depth))

    def _checked_safe(self, node: ts.Node, ev: Evaluator, depth: int) -> bool:
        """_safe_hole entered from an evaluation. Safety checks evaluate strings themselves; the
        nesting of evaluation -> check -> evaluation is bounded here (conservative: not safe)."""
        if self._nesting > 3:
            return False
        self._nesting += 1
        try:
            return self._safe_hole(node, ev, depth)
        finally:
            self._nesting -= 1

    def _assignment_value(self, node: ts.Node, ev: Evaluator, depth: int) -> StringValue | None:
        right = node.child_by_field_name("right")
        left = node.child_by_field_name("left")
        if right is None:
            return None
        v = ev.value(right, depth)
        if v is None or left is None or left.type != "variable_name" or node.parent is None or node.parent.type != "expression_statement":
            return v
        fn = ev.function_of(node)
        mine = next((a for a in ev.facts.assignments_before(text(left), fn, 1 << 62) if a.node.id == node.id), None)
        if mine is None:
            return v
        rest = getattr(ev.facts, "php_extended", {}).get(node.id)
        if rest is not None:
            return StringValue.join(node, [v, StringValue(node, " ", [], "literal"), StringValue.opaque(rest, text(rest))], v.how)
        parts = [v]
        for b in self._following(ev.facts, mine):
            if b.value is None:
                return v
            bv = ev.value(b.value, depth)
            parts.append(bv if bv is not None else self._hole(b.value, ev, depth))
        if len(parts) == 1:
            return v
        return StringValue.join(node, parts, next((p.how for p in parts if p.dynamic), "appending to a variable"))

    def _call_value(self, node: ts.Node, ev: Evaluator, depth: int) -> StringValue | None:
        fname = _last_segment(text(node.child_by_field_name("function"))).lower()
        args, _ = self._arguments(node.child_by_field_name("arguments"))
        if fname in ("sprintf", "vsprintf") and args:
            return self._sprintf(node, fname, args, ev, depth)
        if fname in _TRIM_FUNCS and args:
            return ev.value(args[0], depth)
        if fname in ("str_replace", "str_ireplace") and len(args) >= 3:
            return self._replace(node, args[2], self._replace_pairs(args[0], args[1], ev), ev, depth)
        if fname == "strtr" and len(args) == 2 and args[1].type == "array_creation_expression":
            pairs = []
            for el in args[1].named_children:
                if el.type == "array_element_initializer" and el.named_child_count == 2:
                    pairs.append((el.named_children[0], el.named_children[1]))
            return self._replace(node, args[0], [(self._literal_text(k, ev), v) for k, v in pairs], ev, depth)
        if fname in ("implode", "join") and args:
            sep = args[0] if args[0].type in _STRING_TYPES or len(args) == 1 else args[-1]
            sv = ev.value(sep, depth)
            if sv is not None and not sv.dynamic:
                return self._hole(node, ev, depth)
            return None
        return self._safe_opaque(node, ev, depth)

    def _literal_text(self, node: ts.Node | None, ev: Evaluator) -> str | None:
        if node is None or node.type not in _STRING_TYPES:
            return None
        v = ev.value(node, _NESTED_EVAL)
        return v.template if v is not None and not v.dynamic else None

    def _replace_pairs(self, search: ts.Node, replace: ts.Node, ev: Evaluator) -> list:
        """str_replace('{id}', $id, ...) / str_replace(['{a}', '{b}'], [$a, $b], ...)"""
        if search.type == "array_creation_expression":
            keys = [self._element_value(e) for e in search.named_children if e.type == "array_element_initializer"]
            if replace.type == "array_creation_expression":
                vals = [self._element_value(e) for e in replace.named_children if e.type == "array_element_initializer"]
            else:
                vals = [replace] * len(keys)
            return [(self._literal_text(k, ev), v) for k, v in zip(keys, vals)]
        return [(self._literal_text(search, ev), replace)]

    def _replace(self, node: ts.Node, subject: ts.Node, pairs: list, ev: Evaluator, depth: int) -> StringValue | None:
        """A template whose markers are replaced by values: each marker becomes the value."""
        base = ev.value(subject, depth)
        if base is None:
            return None
        tmpl, holes = base.template, list(base.holes)
        replaced = False
        for search, repl in pairs:
            if not search or repl is None or search not in tmpl:
                continue
            rv = ev.value(repl, depth) or self._hole(repl, ev, depth)
            pieces = tmpl.split(search)
            out = [pieces[0]]
            for p in pieces[1:]:
                offset = len(holes)
                out.append(HOLE_RE.sub(lambda m: hole_marker(int(m.group(1)) + offset), rv.template))
                holes.extend(rv.holes)
                out.append(p)
            tmpl = "".join(out)
            replaced = True
        if not replaced:
            return base
        return StringValue(node, tmpl, holes, "str_replace" if holes else "literal")

    def _sprintf(self, node: ts.Node, fname: str, args: list[ts.Node], ev: Evaluator, depth: int) -> StringValue | None:
        fmt = ev.value(args[0], depth)
        if fmt is None:
            return None
        values: list[ts.Node | None]
        whole: ts.Node | None = None
        if fname == "vsprintf":
            arr = args[1] if len(args) > 1 else None
            if arr is not None and arr.type == "array_creation_expression":
                values = [self._element_value(e) for e in arr.named_children if e.type == "array_element_initializer"]
            else:
                values, whole = [], arr
        else:
            values = list(args[1:])
        if fmt.dynamic:
            extra = [self._hole(a, ev, depth) for a in (values or ([whole] if whole is not None else [])) if a is not None]
            return StringValue.join(node, [fmt] + extra, "sprintf")
        tmpl = fmt.template
        parts: list[StringValue] = []
        pos, auto = 0, 0
        for m in _SPRINTF_SPEC.finditer(tmpl):
            parts.append(StringValue(node, tmpl[pos:m.start()], [], "literal"))
            pos = m.end()
            conv = m.group(5)
            if conv == "%":
                parts.append(StringValue(node, "%", [], "literal"))
                continue
            if m.group(1):
                idx = int(m.group(1)) - 1
            else:
                idx = auto
                auto += 1
            numeric = conv in _SPRINTF_NUMERIC
            val = values[idx] if 0 <= idx < len(values) else None
            if val is None:
                src = whole if whole is not None else node
                parts.append(StringValue.opaque(src, text(src), numeric))
                continue
            if numeric:
                parts.append(StringValue.opaque(val, text(val), True))
                continue
            v = ev.value(val, depth) if conv == "s" else None
            parts.append(v if v is not None else self._hole(val, ev, depth))
        parts.append(StringValue(node, tmpl[pos:], [], "literal"))
        v = StringValue.join(node, parts, "sprintf")
        return v

    @staticmethod
    def _element_value(el: ts.Node) -> ts.Node | None:
        kids = [c for c in el.named_children if c.type != "comment"]
        return kids[-1] if kids else None

    # -- class constants and properties ------------------------------------------------------
    def _class_of(self, node: ts.Node) -> ts.Node | None:
        p = node.parent
        for _ in range(400):
            if p is None:
                return None
            if p.type in _CLASS_TYPES:
                return p
            p = p.parent
        return None

    def _class_index(self, cls: ts.Node) -> dict:
        """Constants and properties declared in a class body, indexed once per class."""
        key = (cls.id, cls.start_byte, cls.end_byte)
        idx = self._class_cache.get(key)
        if idx is not None:
            return idx
        consts: dict[str, ts.Node] = {}
        props: dict[str, tuple[ts.Node, ts.Node | None]] = {}
        body = cls.child_by_field_name("body")
        for decl in (body.named_children if body is not None else []):
            if decl.type == "const_declaration":
                for el in decl.named_children:
                    if el.type == "const_element" and el.named_children:
                        consts.setdefault(text(el.named_children[0]), el.named_children[-1])
            elif decl.type == "property_declaration":
                typ = decl.child_by_field_name("type")
                for el in decl.named_children:
                    if el.type == "property_element":
                        props.setdefault(text(el.child_by_field_name("name")), (el, typ))
            elif decl.type == "method_declaration" and text(decl.child_by_field_name("name")) == "__construct":
                params = decl.child_by_field_name("parameters")
                for p in (params.named_children if params is not None else []):
                    if p.type == "property_promotion_parameter":
                        props.setdefault(text(p.child_by_field_name("name")), (p, p.child_by_field_name("type")))
        idx = {"name": text(cls.child_by_field_name("name")), "const": consts, "prop": props}
        if len(self._class_cache) > 2000:
            self._class_cache.clear()
        self._class_cache[key] = idx
        return idx

    def _class_constant(self, node: ts.Node, ev: Evaluator, depth: int) -> StringValue | None:
        """self::TABLE / static::TABLE / Enclosing::TABLE -> the constant's literal value."""
        kids = node.named_children
        if len(kids) < 2:
            return None
        scope, name = kids[0], kids[-1]
        cls = self._class_of(node)
        if cls is None:
            return None
        idx = self._class_index(cls)
        if scope.type == "relative_scope":
            if text(scope) == "parent":
                return None
        elif _last_segment(text(scope)) != idx["name"]:
            return None
        val = idx["const"].get(text(name))
        if val is not None and val.type in _STRING_TYPES:
            return ev.value(val, depth)
        return None

    def _global_constant(self, node: ts.Node) -> ts.Node | None:
        """`const TABLE = '...';` / `define('TABLE', '...');` at the top of the file -> the literal."""
        want = text(node).lstrip("\\")
        root = node
        for _ in range(400):
            if root.parent is None:
                break
            root = root.parent
        containers = [root]
        for c in root.named_children[:400]:
            if c.type == "namespace_definition":
                b = c.child_by_field_name("body")
                if b is not None:
                    containers.append(b)
        for cont in containers:
            for st in cont.named_children[:400]:
                if st.type == "const_declaration":
                    for el in st.named_children:
                        if el.type == "const_element" and el.named_children and text(el.named_children[0]) == want:
                            val = el.named_children[-1]
                            return val if val.type in ("string", "nowdoc") else None
                elif st.type == "expression_statement" and st.named_children:
                    call = st.named_children[0]
                    if call.type == "function_call_expression" and text(call.child_by_field_name("function")) == "define":
                        args, _ = self._arguments(call.child_by_field_name("arguments"))
                        if len(args) >= 2 and args[0].type == "string" and self._single(args[0]).template == want:
                            return args[1] if args[1].type in ("string", "nowdoc") else None
        return None

    def _property_decl(self, node: ts.Node) -> tuple[ts.Node | None, ts.Node | None, ts.Node | None]:
        """($this->x / self::$x / static::$x) -> (class, property_element or promoted param, declared type)."""
        if node.type == "member_access_expression":
            obj = node.child_by_field_name("object")
            if obj is None or text(obj) != "$this":
                return None, None, None
            want = "$" + text(node.child_by_field_name("name"))
        elif node.type == "scoped_property_access_expression":
            scope = node.child_by_field_name("scope")
            if scope is None or text(scope) not in ("self", "static"):
                return None, None, None
            want = text(node.child_by_field_name("name"))
        else:
            return None, None, None
        cls = self._class_of(node)
        if cls is None:
            return None, None, None
        el, typ = self._class_index(cls)["prop"].get(want, (None, None))
        return cls, el, typ

    def _class_property_literal(self, node: ts.Node, ev: Evaluator) -> ts.Node | None:
        """`protected $table = 'users';` read as $this->table, never assigned in the class."""
        cls, el, _ = self._property_decl(node)
        if el is None or el.type != "property_element":
            return None
        default = el.child_by_field_name("default_value")
        if default is None or default.type not in ("string", "nowdoc"):
            return None
        key = ("$this->" + text(node.child_by_field_name("name"))) if node.type == "member_access_expression" \
            else ("::" + text(node.child_by_field_name("name")))
        members = getattr(ev.facts, "php_member_assignments", None)
        if members is None:
            members = {}
            for a in ev.facts.assignments:
                if not a.name.startswith("$") or a.name.startswith("$this->"):
                    members.setdefault(a.name, []).append(a.node)
            ev.facts.php_member_assignments = members
        if any(_inside(n, cls) for n in members.get(key, ())):
            return None
        return default

    def _numeric_type(self, typ: ts.Node | None) -> bool:
        if typ is None:
            return False
        if typ.type == "primitive_type":
            return text(typ).lower() in ("int", "float", "bool", "false", "true", "null")
        if typ.type in ("optional_type", "union_type"):
            kids = typ.named_children
            return bool(kids) and all(self._numeric_type(k) for k in kids)
        return False

    def _typed_numeric_variable(self, node: ts.Node) -> bool:
        """A parameter declared `int $id` / `?float $x` (PHP enforces it at the call)."""
        want = text(node)
        p = node.parent
        for _ in range(400):
            if p is None:
                return False
            if p.type in _FUNCTION_TYPES:
                params = p.child_by_field_name("parameters")
                for prm in (params.named_children if params is not None else []):
                    if text(prm.child_by_field_name("name")) == want:
                        return prm.type in ("simple_parameter", "property_promotion_parameter") \
                            and self._numeric_type(prm.child_by_field_name("type"))
                if p.type == "arrow_function":
                    pass  # arrow functions see the enclosing scope
                elif p.type == "anonymous_function" and any(
                        text(v) == want for u in p.named_children if u.type == "anonymous_function_use_clause"
                        for v in u.named_children):
                    pass
                else:
                    return False
            p = p.parent
        return False

    # -- expression classes ------------------------------------------------------------------
    def _fn_name(self, node: ts.Node) -> str:
        return _last_segment(text(node.child_by_field_name("function"))).lower()

    def numeric_expression(self, node: ts.Node) -> bool:
        return self._numeric(node, 0)

    def _numeric(self, node: ts.Node | None, depth: int) -> bool:
        if node is None or depth > 12:
            return False
        t = node.type
        if t in ("integer", "float", "boolean", "null"):
            return True
        if t == "cast_expression":
            return text(node.child_by_field_name("type")).lower() in self._numeric_casts
        if t == "parenthesized_expression":
            kids = node.named_children
            return len(kids) == 1 and self._numeric(kids[0], depth + 1)
        if t == "binary_expression":
            return text(node.child_by_field_name("operator")).lower() in _ARITH_OPS
        if t in ("unary_op_expression", "update_expression"):
            return True
        if t == "conditional_expression":
            body = node.child_by_field_name("body") or node.child_by_field_name("condition")
            return self._numeric(body, depth + 1) and self._numeric(node.child_by_field_name("alternative"), depth + 1)
        if t == "function_call_expression":
            fname = self._fn_name(node)
            args, _ = self._arguments(node.child_by_field_name("arguments"))
            if fname in self._numeric_functions:
                return True
            if fname in ("max", "min"):
                return bool(args) and all(self._numeric(a, depth + 1) for a in args)
            if fname == "filter_var" and len(args) >= 2:
                return text(args[1]).lstrip("\\") in ("FILTER_VALIDATE_INT", "FILTER_VALIDATE_FLOAT", "FILTER_VALIDATE_BOOLEAN", "FILTER_VALIDATE_BOOL")
            if fname in ("implode", "join") and args:
                arr = args[-1] if args[0].type in _STRING_TYPES else args[0]
                return self._numeric_array(arr, depth + 1)
            return False
        if t in _MEMBER_CALLS:
            return text(node.child_by_field_name("name")) in self._numeric_methods
        if t == "variable_name":
            return self._typed_numeric_variable(node)
        if t in ("member_access_expression", "scoped_property_access_expression"):
            _, el, typ = self._property_decl(node)
            return el is not None and self._numeric_type(typ)
        return False

    def _numeric_array(self, arr: ts.Node, depth: int) -> bool:
        """array_map('intval', $ids), array_map(fn ($id) => (int) $id, $ids)"""
        if arr.type != "function_call_expression" or self._fn_name(arr) != "array_map":
            return False
        args, _ = self._arguments(arr.child_by_field_name("arguments"))
        if not args:
            return False
        cb = args[0]
        if cb.type == "string":
            return self._single(cb).template.lower() in self._numeric_functions
        if cb.type == "arrow_function":
            return self._numeric(cb.child_by_field_name("body"), depth + 1)
        if cb.type == "anonymous_function":
            rets = self._returns(cb)
            return bool(rets) and all(self._numeric(r, depth + 1) for r in rets)
        return False

    @staticmethod
    def _returns(fn: ts.Node) -> list[ts.Node]:
        body = fn.child_by_field_name("body")
        if body is None:
            return []
        out = []
        for st in body.named_children:
            if st.type == "return_statement":
                kids = [c for c in st.named_children if c.type != "comment"]
                if not kids:
                    return []
                out.append(kids[0])
        return out

    def constant_expression(self, node: ts.Node) -> bool:
        if node is not None and node.type == "array_element_initializer":
            # an element of a literal array (`['draft', 'published']`, `['a' => 1]`): n-plus-one
            # skips loops over small literal collections
            kids = [c for c in node.named_children if c.type != "comment"]
            return bool(kids) and all(self._constant(c, 0) for c in kids)
        return self._constant(node, 0)

    def _constant(self, node: ts.Node | None, depth: int) -> bool:
        if node is None or depth > 12:
            return False
        t = node.type
        if t in ("integer", "float", "boolean", "null", "string", "nowdoc"):
            return True
        if t == "encapsed_string":
            return all(c.type in ("string_content", "escape_sequence") or not c.is_named for c in node.children)
        if t == "heredoc":
            body = node.child_by_field_name("value")
            return body is None or all(c.type in ("string_content", "escape_sequence") for c in body.named_children)
        if t in ("name", "qualified_name"):
            return True  # a bare word in an expression is a constant (PHP_EOL, TABLE, \App\TABLE)
        if t == "class_constant_access_expression":
            return True  # self::TABLE, static::COLUMNS, Order::class
        if t == "parenthesized_expression":
            kids = node.named_children
            return len(kids) == 1 and self._constant(kids[0], depth + 1)
        if t == "binary_expression":
            op = text(node.child_by_field_name("operator"))
            if op in (".", "??"):
                return self._constant(node.child_by_field_name("left"), depth + 1) and \
                    self._constant(node.child_by_field_name("right"), depth + 1)
            return False
        if t == "conditional_expression":
            return self._guarded_conditional(node, depth)
        if t == "match_expression":
            body = node.child_by_field_name("body")
            arms = [a.child_by_field_name("return_expression") for a in (body.named_children if body is not None else [])
                    if a.type in ("match_conditional_expression", "match_default_expression")]
            return bool(arms) and all(self._constant(a, depth + 1) or self._numeric(a, depth + 1) for a in arms)
        if t == "subscript_expression":
            kids = node.named_children
            return bool(kids) and kids[0].type in ("class_constant_access_expression", "name", "qualified_name")
        if t == "cast_expression" and text(node.child_by_field_name("type")).lower() == "string":
            return self._constant(node.child_by_field_name("value"), depth + 1)
        if t == "member_access_expression":
            obj = node.child_by_field_name("object")
            if obj is not None and obj.type == "class_constant_access_expression" \
                    and text(node.child_by_field_name("name")) in ("value", "name"):
                return True  # Status::Active->value: a backed enum case
            return self._wpdb_table(node)
        if t == "function_call_expression":
            fname = self._fn_name(node)
            if fname == "str_replace":  # str_replace("'", "''", $x): quote doubling, hand-escaped
                args, _ = self._arguments(node.child_by_field_name("arguments"))
                if len(args) == 3 and args[0].type in ("string", "encapsed_string") and args[1].type in ("string", "encapsed_string"):
                    a, b = squash(text(args[0]))[1:-1], squash(text(args[1]))[1:-1]
                    return a in ("'", "\\'") and b in ("''", "\\'", "\\\\'")
            return fname in self._quoting_functions or self._table_name_getter(fname, node)
        if t in _MEMBER_CALLS or t == "scoped_call_expression":
            m = text(node.child_by_field_name("name"))
            recv = squash(text(node.child_by_field_name("object") or node.child_by_field_name("scope")))
            if m in self._quoting_methods or m in self._identifier_methods or self._table_name_getter(m, node):
                return True
            if m == "prepare" and re.search(r"wpdb$", recv):
                return True  # $wpdb->prepare() returns the escaped query
            if m in ("wrap", "wrapTable", "wrapArray") and "rammar" in recv:
                return True
            return False
        return False

    @staticmethod
    def _table_name_getter(name: str, call: ts.Node) -> bool:
        """`self::table()`, `static::get_table_name()`, `$this->getTableName()`: a call without
        arguments whose name says it returns a table name (configuration, not input)."""
        if not _TABLE_GETTER.search(name):
            return False
        al = call.child_by_field_name("arguments")
        return al is not None and not any(c.type == "argument" for c in al.named_children)

    @staticmethod
    def _wpdb_table(node: ts.Node) -> bool:
        """$wpdb->prefix, $wpdb->posts, $this->wpdb->users: table names from configuration."""
        obj = node.child_by_field_name("object")
        name = node.child_by_field_name("name")
        return obj is not None and name is not None and name.type == "name" \
            and re.search(r"(^|->)\$?wpdb$", squash(text(obj))) is not None

    def _guarded_conditional(self, node: ts.Node, depth: int) -> bool:
        """`$d ? 'ASC' : 'DESC'`, and allow-list guards `in_array($s, [...]) ? $s : 'id'`."""
        cond = node.child_by_field_name("condition")
        body = node.child_by_field_name("body")
        alt = node.child_by_field_name("alternative")
        if body is None:  # $x ?: 'default'
            return self._constant(cond, depth + 1) and self._constant(alt, depth + 1)

        def ok(n):
            return self._constant(n, depth + 1) or self._numeric(n, depth + 1)

        if ok(body) and ok(alt):
            return True
        guarded = self._allow_list_guard(cond)
        if guarded is not None:
            positive, var = guarded
            safe_branch, other = (body, alt) if positive else (alt, body)
            return squash(text(safe_branch)) == var and ok(other)
        return False

    def _allow_list_guard(self, cond: ts.Node | None) -> tuple[bool, str] | None:
        """in_array($x, <constant list>) -> (True, '$x'); !in_array(...) -> (False, '$x')."""
        positive = True
        for _ in range(4):
            if cond is None:
                return None
            if cond.type == "parenthesized_expression" and cond.named_child_count == 1:
                cond = cond.named_children[0]
            elif cond.type == "unary_op_expression" and text(cond).lstrip().startswith("!"):
                positive = not positive
                cond = cond.named_children[-1] if cond.named_children else None
            else:
                break
        if cond is None or cond.type != "function_call_expression" or self._fn_name(cond) not in _IN_ARRAY:
            return None
        args, _ = self._arguments(cond.child_by_field_name("arguments"))
        if len(args) < 2:
            return None
        if not self._constant_list(args[1]):
            return None
        return positive, squash(text(args[0]))

    def _constant_list(self, node: ts.Node) -> bool:
        if node.type == "array_creation_expression":
            vals = [self._element_value(e) for e in node.named_children if e.type == "array_element_initializer"]
            return bool(vals) and all(v is not None and (self._constant(v, 1) or self._numeric(v, 1)) for v in vals)
        return node.type in ("class_constant_access_expression", "name", "qualified_name")

    def _last_assignment(self, node: ts.Node, ev: Evaluator):
        name = self.is_local_name(node)
        if name is None:
            return None, []
        assigns = ev.facts.assignments_before(name, ev.function_of(node), node.start_byte)
        if not assigns:
            assigns = self._captured_assignments(node, ev)
        return (assigns[-1] if assigns else None), assigns

    def _captured_assignments(self, node: ts.Node, ev: Evaluator) -> list:
        """A variable a closure captures (`function () use ($table)`, or any variable of an arrow
        function) that the closure never assigns: the outer scope's assignments before the closure."""
        name = text(node)
        fn = ev.function_of(node)
        for _ in range(8):
            if fn is None or fn.kind != "lambda":
                return []
            if ev.facts.assignments_before(name, fn, node.start_byte) or name in fn.params:
                return []
            closure = fn.node
            if closure.type == "anonymous_function" and not any(
                    text(v) == name or (v.type == "by_ref" and text(v).lstrip("&").strip() == name)
                    for u in closure.named_children if u.type == "anonymous_function_use_clause"
                    for v in u.named_children):
                return []
            outer = ev.function_of(closure)
            found = ev.facts.assignments_before(name, outer, closure.start_byte)
            if found:
                return found
            node, fn = closure, outer
        return []

    def _captured_value(self, node: ts.Node, ev: Evaluator, depth: int) -> StringValue | None:
        if depth > MAX_EVAL_DEPTH:
            return None
        assigns = self._captured_assignments(node, ev)
        if not assigns or assigns[-1].op != "=" or assigns[-1].value is None:
            return None
        return ev.value(assigns[-1].value, depth)

    def _safe_hole(self, node: ts.Node | None, ev: Evaluator, depth: int = 0, budget: int = 16) -> bool:
        """Everything hole_is_safe knows, plus what needs the function's facts: local allow-list
        arrays (`$cols[$key]`), class properties never reassigned, `$x ?? 'id'` over those."""
        if node is None or depth > MAX_EVAL_DEPTH or budget <= 0:
            return False
        if self._constant(node, 0) or self._numeric(node, 0) or self.placeholder_expression(node, ev):
            return True
        t = node.type
        if t == "parenthesized_expression":
            kids = node.named_children
            return len(kids) == 1 and self._safe_hole(kids[0], ev, depth + 1, budget - 1)
        if t == "variable_name":
            last, _ = self._last_assignment(node, ev)
            if self._allow_listed(node, last.node.end_byte if last is not None else 0):
                return True
            if last is None or last.op != "=" or last.value is None:
                return False
            if last.value.type in _STRING_TYPES:
                v = ev.value(last.value, depth)
                return v is not None and all(h.numeric for h in v.holes)
            return self._safe_hole(last.value, ev, depth + 1, budget - 1)
        if t == "subscript_expression":
            kids = node.named_children
            if kids and kids[0].type == "variable_name":
                last, _ = self._last_assignment(kids[0], ev)
                return (last is not None and last.op == "=" and last.value is not None
                        and last.value.type == "array_creation_expression" and self._constant_list(last.value))
            return False
        if t == "binary_expression" and text(node.child_by_field_name("operator")) == "??":
            return self._safe_hole(node.child_by_field_name("left"), ev, depth + 1, budget - 1) and \
                self._safe_hole(node.child_by_field_name("right"), ev, depth + 1, budget - 1)
        if t == "conditional_expression":
            body = node.child_by_field_name("body") or node.child_by_field_name("condition")
            return self._safe_hole(body, ev, depth + 1, budget - 1) and \
                self._safe_hole(node.child_by_field_name("alternative"), ev, depth + 1, budget - 1)
        if t in ("member_access_expression", "scoped_property_access_expression"):
            return self._class_property_literal(node, ev) is not None or self._identifier_property(node)
        if t == "binary_expression" and text(node.child_by_field_name("operator")) == ".":
            return self._safe_hole(node.child_by_field_name("left"), ev, depth + 1, budget - 1) and \
                self._safe_hole(node.child_by_field_name("right"), ev, depth + 1, budget - 1)
        if t == "function_call_expression" and self._fn_name(node) in ("implode", "join"):
            args, _ = self._arguments(node.child_by_field_name("arguments"))
            if len(args) == 2:
                sep, arr = (args[0], args[1]) if args[0].type in _STRING_TYPES else (args[1], args[0])
                return self._constant(sep, 0) and self._safe_array(arr, ev, depth + 1)
        return False

    @staticmethod
    def _identifier_property(node: ts.Node) -> bool:
        """$this->table, $this->tableName, static::$primaryKey: a class's own table / key names."""
        if node.type == "member_access_expression":
            obj = node.child_by_field_name("object")
            if obj is None or text(obj) != "$this":
                return False
        else:
            scope = node.child_by_field_name("scope")
            if scope is None or text(scope) not in ("self", "static"):
                return False
        name = text(node.child_by_field_name("name")).lstrip("$")
        return _IDENTIFIER_PROP.search(name) is not None

    def _safe_array(self, arr: ts.Node | None, ev: Evaluator, depth: int) -> bool:
        """An array of SQL fragments that are all constant (or safe): `$where = []; if (...)
        { $where[] = 'status = ?'; }` joined into the query is not injection."""
        if arr is None or depth > 8:
            return False
        if arr.type == "array_creation_expression":
            vals = [self._element_value(e) for e in arr.named_children if e.type == "array_element_initializer"]
            return all(v is not None and self._safe_fragment(v, ev, depth + 1) for v in vals)
        if arr.type in ("class_constant_access_expression", "name", "qualified_name"):
            return True
        if arr.type != "variable_name":
            return False
        assigns = ev.facts.assignments_before(text(arr), ev.function_of(arr), arr.start_byte)
        start = len(assigns) - 1
        while start >= 0 and assigns[start].op == "[]=":
            start -= 1
        if start < 0 or assigns[start].op != "=" or assigns[start].value is None:
            return False
        if not self._safe_array(assigns[start].value, ev, depth + 1):
            return False
        for a in assigns[start + 1:]:
            left = a.node.child_by_field_name("left")
            if left is None or left.type != "subscript_expression" or left.named_child_count != 1:
                return False  # $arr[$k] = ... (keyed writes) or nested arrays: give up
            if not self._safe_fragment(a.node.child_by_field_name("right"), ev, depth + 1):
                return False
        return True

    def _safe_fragment(self, node: ts.Node | None, ev: Evaluator, depth: int) -> bool:
        if node is None:
            return False
        v = ev.value(node, depth)
        if v is None:
            return self._safe_hole(node, ev, depth + 1)
        return all(h.numeric or self._safe_hole(h.node, ev, depth + 1) for h in v.holes)

    _EXITS = frozenset({"return_statement", "exit_statement", "continue_statement", "break_statement"})

    def _exits(self, body: ts.Node | None) -> bool:
        """A branch that never falls through: throw / return / exit / continue / break."""
        if body is None:
            return False
        if body.type in ("compound_statement", "colon_block"):
            stmts = [c for c in body.named_children if c.type != "comment"]
            return bool(stmts) and self._exits(stmts[-1])
        if body.type in self._EXITS:
            return True
        if body.type == "expression_statement" and body.named_children:
            first = body.named_children[0]
            return first.type in ("throw_expression", "exit_statement") or (
                first.type == "function_call_expression" and self._fn_name(first) in ("abort", "wp_die", "die"))
        return False

    def _allow_listed(self, node: ts.Node, after_byte: int) -> bool:
        """`$sort` checked against a constant allow-list before this use, after its last assignment:
        `if (!in_array($sort, self::SORTABLE, true)) { throw ...; }` earlier in an enclosing block,
        or the use sits inside `if (in_array($sort, [...])) { ... }`."""
        want = text(node)
        child, p = node, node.parent
        for _ in range(200):
            if p is None or p.type in _FUNCTION_TYPES:
                return False
            if p.type == "if_statement":
                body = p.child_by_field_name("body")
                g = self._allow_list_guard(p.child_by_field_name("condition"))
                if g is not None and g == (True, want) and body is not None and body.id == child.id \
                        and p.start_byte >= after_byte:
                    return True
            if p.type in ("compound_statement", "colon_block", "program"):
                seen = 0
                sib = child.prev_named_sibling
                while sib is not None and seen < 200 and sib.start_byte >= after_byte:
                    seen += 1
                    if sib.type == "if_statement" and sib.child_by_field_name("alternative") is None:
                        g = self._allow_list_guard(sib.child_by_field_name("condition"))
                        if g == (False, want) and self._exits(sib.child_by_field_name("body")):
                            return True
                    sib = sib.prev_named_sibling
            child, p = p, p.parent
        return False

    # -- placeholder lists -------------------------------------------------------------------
    def placeholder_expression(self, node: ts.Node, ev: Evaluator) -> bool:
        return self._placeholders(node, ev, 0)

    def _placeholders(self, node: ts.Node | None, ev: Evaluator, depth: int) -> bool:
        """implode(',', array_fill(0, count($ids), '?')), str_repeat('?,', n - 1) . '?',
        rtrim(str_repeat('?,', n), ',') and a variable holding one of those."""
        if node is None or depth > 8:
            return False
        t = node.type
        if t == "parenthesized_expression":
            kids = node.named_children
            return len(kids) == 1 and self._placeholders(kids[0], ev, depth + 1)
        if t == "variable_name":
            last, _ = self._last_assignment(node, ev)
            return last is not None and last.op == "=" and self._placeholders(last.value, ev, depth + 1)
        if t == "binary_expression" and text(node.child_by_field_name("operator")) == ".":
            sides = [node.child_by_field_name("left"), node.child_by_field_name("right")]
            if any(s is None for s in sides):
                return False
            # literal sides first (cheap, and they decide most cases)
            sides.sort(key=lambda s: s.type not in _STRING_TYPES)
            return all(self._placeholder_literal(s, ev, repeat=True) if s.type in _STRING_TYPES
                       else self._placeholders(s, ev, depth + 1) for s in sides)
        if t != "function_call_expression":
            return False
        fname = self._fn_name(node)
        args, _ = self._arguments(node.child_by_field_name("arguments"))
        if fname in ("implode", "join") and len(args) == 2:
            sep, arr = (args[0], args[1]) if args[0].type in _STRING_TYPES else (args[1], args[0])
            sv = ev.value(sep, _NESTED_EVAL)
            if sv is None or sv.dynamic:
                return False
            return self._placeholder_array(arr, ev, depth + 1)
        if fname == "str_repeat" and args:
            return self._placeholder_literal(args[0], ev, repeat=True)
        if fname in ("rtrim", "trim", "ltrim", "substr", "mb_substr") and args:
            return self._placeholders(args[0], ev, depth + 1)
        return False

    def _placeholder_literal(self, node: ts.Node | None, ev: Evaluator, repeat: bool = False) -> bool:
        if node is None:
            return False
        v = ev.value(node, _NESTED_EVAL)
        if v is None:
            return False
        if v.dynamic:
            return not repeat and _PH_TEMPLATE.fullmatch(v.template) is not None
        return (_PH_REPEAT if repeat else _PH_SINGLE).fullmatch(v.template) is not None

    def _placeholder_array(self, arr: ts.Node | None, ev: Evaluator, depth: int) -> bool:
        if arr is None or depth > 8:
            return False
        t = arr.type
        if t == "array_creation_expression":
            vals = [self._element_value(e) for e in arr.named_children if e.type == "array_element_initializer"]
            return bool(vals) and all(self._placeholder_literal(v, ev) for v in vals)
        if t == "variable_name":
            name = text(arr)
            assigns = ev.facts.assignments_before(name, ev.function_of(arr), arr.start_byte)
            start = len(assigns) - 1
            while start >= 0 and assigns[start].op == "[]=":
                start -= 1
            if start < 0 or assigns[start].op != "=" or assigns[start].value is None:
                return False
            init = assigns[start].value
            appends = assigns[start + 1:]
            init_ok = (init.type == "array_creation_expression" and not init.named_children) or \
                self._placeholder_array(init, ev, depth + 1)
            if not init_ok or (not appends and init.type == "array_creation_expression" and not init.named_children):
                return False
            return all(self._placeholder_literal(a.node.child_by_field_name("right"), ev) for a in appends)
        if t != "function_call_expression":
            return False
        fname = self._fn_name(arr)
        args, _ = self._arguments(arr.child_by_field_name("arguments"))
        if fname == "array_fill" and len(args) == 3:
            return self._placeholder_literal(args[2], ev)
        if fname == "array_fill_keys" and len(args) == 2:
            return self._placeholder_literal(args[1], ev)
        if fname == "array_pad" and len(args) == 3:
            base = args[0]
            empty = base.type == "array_creation_expression" and not base.named_children
            return self._placeholder_literal(args[2], ev) and (empty or self._placeholder_array(base, ev, depth + 1))
        if fname == "array_map" and args:
            cb = args[0]
            if cb.type == "arrow_function":
                return self._placeholder_literal(cb.child_by_field_name("body"), ev)
            if cb.type == "anonymous_function":
                rets = self._returns(cb)
                return bool(rets) and all(self._placeholder_literal(r, ev) for r in rets)
        return False

