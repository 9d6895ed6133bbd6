"""Java: methods, constructors and lambdas; calls (incl. `new`); loops (incl. stream callbacks);
local assignments; and string building: `+`, `+=`, text blocks, `String.format`, `.formatted`,
`MessageFormat.format`, `.concat`, `String.join`, `.replace`, StringBuilder/StringBuffer appends
(chained or in separate statements), string templates (`STR."..."`) and class constants.

Java facts differ from the Python reference in three ways, all handled here:
- a lambda sees the locals of its method (Java forbids shadowing them), so assignments are
  indexed per method and the lambdas of that method share the index;
- a query is often assembled over several statements (`sql += ...`, `sb.append(...)`): the
  string roots of such a variable are replaced by its declaration, whose value is the whole
  assembled text (so a `WHERE` appended later is seen, and the query is analysed once);
- declared types are looked up (parameters, locals, fields) to tell numeric holes and
  `static final` constants.
"""

from __future__ import annotations

import bisect
import re
from pathlib import Path

import tree_sitter as ts
import tree_sitter_java

from ..base import (HOLE_RE, Call, DbCall, Evaluator, Facts, Function, Hole, LanguageAdapter, Loop, MAX_EVAL_DEPTH,
                    RouteHandler, StringValue, hole_marker, squash, text)

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "s": " ", "\\": "\\", "'": "'",
            '"': '"', "\n": "", "\r\n": ""}
_ESCAPE_RE = re.compile(r"\\(u+[0-9a-fA-F]{4}|[0-3][0-7]{0,2}|[4-7][0-7]?|\r\n|[\s\S])")
_FORMAT_SPEC = re.compile(r"%(\d+\$|<)?([-#+ 0,(]*)(\d+)?(\.\d+)?([tT]?[a-zA-Z%])")
_NUMERIC_CONVERSIONS = set("doxXeEfgGaAbBhH")
_UPPER = re.compile(r"_?[A-Z][A-Z0-9_]*")
_PH = r"(?:\?|:\w+|\$\d*|%s|@\w+)"
_PLACEHOLDER = re.compile(rf"\s*,?\s*\(?\s*{_PH}(?:\s*,\s*{_PH})*\s*\)?\s*,?\s*")
_SEPARATOR = re.compile(r"[\s,()]*")
_BUILDERS = ("StringBuilder", "StringBuffer")
_FUNCTION_TYPES = frozenset({"method_declaration", "constructor_declaration", "compact_constructor_declaration",
                             "lambda_expression"})
_SINGLE_VALUE_TYPES = frozenset({"Optional", "Mono", "CompletableFuture", "CompletionStage", "Future", "Maybe",
                                 "Single"})
_CLASS_TYPES = frozenset({"class_declaration", "interface_declaration", "enum_declaration", "record_declaration",
                          "annotation_type_declaration"})
_BLOCKS = frozenset({"block", "constructor_body", "switch_block_statement_group"})
_LITERALS = frozenset({"decimal_integer_literal", "hex_integer_literal", "octal_integer_literal",
                       "binary_integer_literal", "decimal_floating_point_literal", "hex_floating_point_literal",
                       "true", "false", "null_literal"})
_STRING_METHODS_SAME = frozenset({"trim", "strip", "stripIndent", "stripLeading", "stripTrailing", "toUpperCase",
                                  "toLowerCase", "intern", "translateEscapes"})
# a builder passed to one of these is read, not extended
_BUILDER_READERS = frozenset({"append", "valueOf", "toString", "format", "println", "print", "printf", "info",
                              "debug", "warn", "error", "trace", "equals", "requireNonNull", "isEmpty", "isBlank",
                              "hasText", "hasLength", "length", "contentEquals"})
_MYBATIS = frozenset({"Select", "Update", "Delete", "Insert"})


def unescape(s: str) -> str:
    if "\\" not in s:
        return s

    def rep(m: re.Match) -> str:
        e = m.group(1)
        if e[0] == "u":
            return chr(int(e.lstrip("u"), 16))
        if e[0] in "01234567":
            return chr(int(e, 8))
        return _ESCAPES.get(e, e)

    return _ESCAPE_RE.sub(rep, s)


def _unknown(node: ts.Node, what: str) -> StringValue:
    """Text we cannot see (a builder extended by another method): a hole, but not evidence of
    injection here (numeric=True makes it safe for sql-string-concat; it still hides a WHERE)."""
    return StringValue(node, " \ue0000\ue001 ", [Hole(None, what, numeric=True)], "expression")


class Adapter(LanguageAdapter):
    name = "java"
    directory = Path(__file__).parent
    comment_types = frozenset({"line_comment", "block_comment"})
    statement_containers = frozenset({"program", "class_body", "interface_body", "enum_body",
                                      "enum_body_declarations", "annotation_type_body", "block", "constructor_body",
                                      "switch_block_statement_group", "switch_rule"})
    function_types = _FUNCTION_TYPES
    identifier_types = frozenset({"identifier"})

    def __init__(self) -> None:
        super().__init__()
        k = self.knowledge
        self._numeric_functions = frozenset(k.get("numeric_functions", ()))
        self._numeric_classes = frozenset(k.get("numeric_classes", ()))
        self._numeric_methods = frozenset(k.get("numeric_methods", ()))
        self._safe_types = frozenset(k.get("safe_types", ()))
        self._quoting = frozenset(k.get("quoting_functions", ()))
        self._message_rx = re.compile(k.get("message_receivers", r"^$"))
        self._non_sql_args = frozenset(k.get("non_sql_arguments", ()))
        self._safe_name_calls = re.compile(k.get("structural_name_calls", r"^$"))

    def _load_language(self) -> ts.Language:
        return ts.Language(tree_sitter_java.language())

    # -- ORM: Spring Data repositories, JPA models and queries (n-plus-one) ---------------------
    _REPO_FIXED = {
        "findById": "read", "findAll": "read", "findAllById": "read", "findOne": "read", "getById": "read",
        "getOne": "read", "getReferenceById": "read", "existsById": "read", "count": "read", "exists": "read",
        "findBy": "read", "save": "write", "saveAndFlush": "write", "saveAll": "write",
        "saveAllAndFlush": "write", "delete": "write", "deleteById": "write", "deleteAll": "write",
        "deleteAllById": "write", "deleteAllInBatch": "write", "deleteAllByIdInBatch": "write",
        "deleteInBatch": "write", "insert": "write"}
    _REPO_BOUNDED = frozenset({"findById", "findOne", "getById", "getOne", "getReferenceById", "existsById",
                               "count", "exists"})
    _REPO_BULK = frozenset({"findAllById", "saveAll", "saveAllAndFlush", "deleteAll", "deleteAllById",
                            "deleteAllInBatch", "deleteAllByIdInBatch", "deleteInBatch"})
    _DERIVED = re.compile(r"^(find|read|get|query|search|stream|count|exists|delete|remove)"
                          r"(All|First\d*|Top\d*|Distinct)*(\w*?)By([A-Z]\w*)$")
    _REPO_NAME = re.compile(r"(?i)(repository|repo)$")
    _REPO_BASE = re.compile(r"\b(Jpa|Crud|PagingAndSorting|ListCrud|ListPagingAndSorting|Mongo|Reactive\w*|"
                            r"Revision|QuerydslPredicateExecutor|JpaSpecificationExecutor)?Repository\b")

    def db_call(self, call: Call) -> DbCall | None:
        d = super().db_call(call)
        if d is not None or call.receiver is None or call.is_new:
            return d
        m = call.method
        kind = self._REPO_FIXED.get(m)
        dm = self._DERIVED.match(m) if kind is None else None
        if kind is None and dm is None:
            return None
        if not self._repository_receiver(call):
            return None
        if dm is not None:
            kind = "write" if dm.group(1) in ("delete", "remove") else "read"
            crit = dm.group(4)
            bulk = bool(re.search(r"(?<!Not)In(?=And|Or|OrderBy|$)|NotIn(?=And|Or|OrderBy|$)", crit))
            bounded = dm.group(1) in ("count", "exists") or bool(re.match(r"(First|Top)", dm.group(2) or ""))
            return DbCall(call, "spring-data", kind, bounded=bounded, bulk=bulk)
        return DbCall(call, "spring-data", kind, bounded=m in self._REPO_BOUNDED, bulk=m in self._REPO_BULK)

    def _repository_receiver(self, call: Call) -> bool:
        r = re.sub(r"^this\.", "", call.receiver or "")
        if not re.fullmatch(r"\w+", r):
            return False
        if self._REPO_NAME.search(r):
            return True
        node = call.receiver_node
        t = self._declared_type(node, r) if node is not None else None
        if not t:
            return False
        if re.search(r"(Repository|Repo)$", t):
            return True
        return self._extends_repository(node, t)

    def _declared_type(self, node: ts.Node, name: str) -> str | None:
        """Simple name of the declared type of local / parameter / field `name` seen at node."""
        p = node.parent
        while p is not None:
            cands: list[ts.Node] = []
            if p.type in ("method_declaration", "constructor_declaration"):
                ps = p.child_by_field_name("parameters")
                cands = [x for x in (ps.named_children if ps is not None else []) if x.type == "formal_parameter"]
            elif p.type in ("block", "constructor_body", "class_body", "interface_body"):
                cands = [x for x in p.named_children if x.type in ("local_variable_declaration", "field_declaration")]
            elif p.type == "lambda_expression":
                cands = []
            for d in cands:
                if d.type == "formal_parameter":
                    hit = text(d.child_by_field_name("name")) == name
                else:
                    hit = any(text(v.child_by_field_name("name")) == name for v in d.children_by_field_name("declarator"))
                if hit:
                    t = d.child_by_field_name("type")
                    return self._type_name(t).rsplit(".", 1)[-1] if t is not None else None
            p = p.parent
        return None

    def _root(self, node: ts.Node) -> ts.Node:
        while node.parent is not None:
            node = node.parent
        return node

    def _extends_repository(self, node: ts.Node, type_name: str) -> bool:
        """`interface OrderStore extends JpaRepository<Order, Long>` declared in this file."""
        decl = self._type_declaration(self._root(node), type_name)
        if decl is None:
            return False
        ext = next((c for c in decl.named_children if c.type in ("extends_interfaces", "super_interfaces")), None)
        return ext is not None and bool(self._REPO_BASE.search(text(ext)))

    def _type_declaration(self, root: ts.Node, name: str) -> ts.Node | None:
        stack = [root]
        while stack:
            n = stack.pop()
            if n.type in _CLASS_TYPES and text(n.child_by_field_name("name")) == name:
                return n
            if n.type in ("program", "class_body", "interface_body", "class_declaration", "interface_declaration",
                          "enum_body", "enum_declaration", "record_declaration"):
                stack.extend(n.named_children)
        return None

    _RELATION_ANN = re.compile(r"^(?:\w+\.)*(OneToMany|ManyToMany|ManyToOne|OneToOne)\b")

    def model_relations(self, facts: Facts) -> dict[str, dict[str, str]]:
        """JPA entities: relation fields, {class: {field: target entity}}. @OneToMany/@ManyToMany
        are LAZY unless `fetch = FetchType.EAGER`; @ManyToOne/@OneToOne are EAGER unless
        `fetch = FetchType.LAZY`. Eager, `@Fetch(FetchMode.JOIN/SUBSELECT)` and `@BatchSize`
        relations are left out."""
        root = getattr(facts, "java_root", None)
        out: dict[str, dict[str, str]] = {}
        if root is None:
            return out
        stack = [root]
        while stack:
            n = stack.pop()
            if n.type in ("program", "class_body", "class_declaration", "enum_body", "enum_declaration",
                          "interface_body", "interface_declaration", "record_declaration"):
                stack.extend(n.named_children)
            if n.type != "field_declaration":
                continue
            anns = self._annotations(n)
            kind = next((m.group(1) for a in anns for m in [self._RELATION_ANN.match(a)] if m), None)
            if kind is None:
                continue
            rel = next(a for a in anns if self._RELATION_ANN.match(a))
            fetch = re.search(r"fetch\s*=\s*(?:\w+\.)*(EAGER|LAZY)\b", rel)
            lazy = fetch.group(1) == "LAZY" if fetch else kind in ("OneToMany", "ManyToMany")
            if not lazy or any(re.match(r"(?:\w+\.)*(BatchSize|Fetch)\b", a) for a in anns):
                continue
            cls = self._enclosing_class(n)
            if cls is None or cls.type not in _CLASS_TYPES:
                continue
            owner = text(cls.child_by_field_name("name"))
            target = re.search(r"targetEntity\s*=\s*(?:\w+\.)*(\w+)\.class", rel)
            tgt = target.group(1) if target else self._element_type(n.child_by_field_name("type"))
            if not tgt:
                continue
            for d in n.children_by_field_name("declarator"):
                out.setdefault(owner, {})[text(d.child_by_field_name("name"))] = tgt
        return out

    def _element_type(self, t: ts.Node | None) -> str | None:
        """`List<OrderItem>` -> OrderItem, `Map<K, V>` -> V, `Customer` -> Customer."""
        if t is None:
            return None
        if t.type == "generic_type":
            args = next((c for c in t.named_children if c.type == "type_arguments"), None)
            if args is not None and args.named_children:
                return self._element_type(args.named_children[-1])
        return self._type_name(t).rsplit(".", 1)[-1] or None

    _EAGER_NAME = re.compile(r"(Fetch|Graph|Eager|Join|With)([A-Z_]|$)|^(fetch|with)")

    def query_model(self, call: Call) -> str | None:
        """The entity a query reads: `X.class` / JPQL `from X` of an EntityManager query, the
        entity of a Spring Data repository (`OrderRepository` -> Order, or the type argument of
        `extends JpaRepository<Order, Long>` declared in this file)."""
        full = self._query_text(call)
        if re.search(r"(?i)fetchgraph|loadgraph|EntityGraph", full):
            return None  # an entity graph: which relations it loads is not visible here
        if re.search(r"\.create(Named|Selection)?Query\(", full) or re.match(r"(em|entityManager|session)\.", full):
            m = re.search(r"\b([A-Z]\w*)\.class\b", full) or re.search(r"(?i)\bfrom\s+([A-Z]\w*)", full)
            return m.group(1) if m else None
        d = self.db_call(call)
        if d is None or d.library != "spring-data" or d.kind != "read" or d.bounded:
            return None
        if self._EAGER_NAME.search(call.method):
            return None  # findAllWithCustomers / findAllFetchItems: the name says it joins
        decl = self._repository_method(call)
        if decl is not None and re.search(r"(?i)EntityGraph|join\s+fetch|fetchgraph|loadgraph", text(decl)):
            return None if "EntityGraph" in text(decl) and "attributePaths" not in text(decl) else self._repo_entity(call)
        return self._repo_entity(call)

    def _repo_entity(self, call: Call) -> str | None:
        r = re.sub(r"^this\.", "", call.receiver or "")
        node = call.receiver_node
        t = self._declared_type(node, r) if node is not None else None
        if t:
            decl = self._type_declaration(self._root(node), t)
            if decl is not None:
                ext = next((c for c in decl.named_children if c.type in ("extends_interfaces", "super_interfaces")), None)
                m = re.search(r"Repository\s*<\s*(?:\w+\.)*(\w+)", text(ext)) if ext is not None else None
                if m:
                    return m.group(1)
            m = re.match(r"([A-Z]\w*?)(Repository|Repo)$", t)
            return m.group(1) if m else None
        m = re.match(r"(\w+?)(Repository|Repo)$", r)
        return (m.group(1)[0].upper() + m.group(1)[1:]) if m else None

    def _repository_method(self, call: Call) -> ts.Node | None:
        """The declaration of the called repository method when it is in this file."""
        if call.receiver_node is None:
            return None
        stack = [self._root(call.node)]
        while stack:
            n = stack.pop()
            if n.type == "method_declaration" and text(n.child_by_field_name("name")) == call.method:
                return n
            if n.type in ("program", "class_body", "interface_body", "class_declaration", "interface_declaration"):
                stack.extend(n.named_children)
        return None

    def _query_text(self, call: Call) -> str:
        """The call's text plus the values of identifiers passed to it (`em.createQuery(JPQL)`)."""
        full = text(call.node)[:2000]
        extra = []
        for ident in re.findall(r"\(\s*([A-Za-z_]\w*)\s*[,)]", full)[:4]:
            v = self._value_text(call.node, ident)
            if v:
                extra.append(v)
        return full + " " + " ".join(extra)

    def _value_text(self, node: ts.Node, name: str) -> str | None:
        p = node.parent
        while p is not None:
            if p.type in ("block", "class_body"):
                for d in p.named_children:
                    if d.type in ("local_variable_declaration", "field_declaration"):
                        for v in d.children_by_field_name("declarator"):
                            if text(v.child_by_field_name("name")) == name and v.child_by_field_name("value") is not None:
                                return text(v.child_by_field_name("value"))[:2000]
            p = p.parent
        return None

    def eager_loaded(self, call: Call) -> set[str]:
        """Relations a query fetch-joins (`JOIN FETCH o.customer`, in the query text or in the
        @Query / @EntityGraph(attributePaths) of a repository method declared in this file)."""
        full = self._query_text(call)
        decl = self._repository_method(call) if call.receiver else None
        if decl is not None:
            full += " " + " ".join(self._annotations(decl))
        out = {m.group(1) for m in re.finditer(r"(?i)\bjoin\s+fetch\s+\w+\.(\w+)", full)}
        for m in re.finditer(r"attributePaths\s*=\s*\{?([^})]*)", full):
            out.update(x.split(".")[0] for x in re.findall(r"\"([\w.]+)\"", m.group(1)))
        return out

    _MEMBER_Q = None

    def member_accesses(self, node: ts.Node, variables: list[str]) -> list[tuple[str, str, ts.Node]]:
        """`o.getCustomer()` (getter -> relation `customer`) and `o.customer` on loop variables.
        `o.getCustomer().getId()` reads the proxy's id and runs no query: left out."""
        if Adapter._MEMBER_Q is None:
            Adapter._MEMBER_Q = ts.Query(self.ts_language, """
              (method_invocation object: (identifier) @obj name: (identifier) @attr arguments: (argument_list) @args) @access
              (field_access object: (identifier) @obj field: (identifier) @attr) @access""")
        names = set(variables)
        out = []
        for _, caps in ts.QueryCursor(Adapter._MEMBER_Q).matches(node):
            obj, attr, acc = caps.get("obj"), caps.get("attr"), caps.get("access")
            if not obj or not attr or not acc or text(obj[0]) not in names:
                continue
            a = text(attr[0])
            if acc[0].type == "method_invocation":
                if caps.get("args") and caps["args"][0].named_child_count:
                    continue
                m = re.match(r"^(?:get|is)([A-Z]\w*)$", a)
                if not m:
                    continue
                a = m.group(1)[0].lower() + m.group(1)[1:]
            par = acc[0].parent
            if par is not None and par.type == "method_invocation" and par.child_by_field_name("object") == acc[0] \
                    and text(par.child_by_field_name("name")) == "getId":
                continue
            out.append((text(obj[0]), a, acc[0]))
        return out

    # -- routes ------------------------------------------------------------------------------
    def route_handlers(self, facts: Facts, path: str) -> list:
        """As recognised from knowledge.d/routes.yaml, without methods that have no body: an
        annotated interface method (Feign / Retrofit / MicroProfile REST clients, a JAX-RS or
        OpenAPI-generated interface) declares a route but serves nothing itself."""
        if facts.routes is None:
            handlers = super().route_handlers(facts, path)
            facts.routes = [h for h in handlers if h.body is not None]
        return facts.routes

    _FN_PREDICATE = re.compile(r"^(?:RequestPredicates\.)?(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)$")

    def extra_route_handlers(self, facts: Facts, path: str) -> list:
        """Spring functional endpoints written `route(GET("/orders"), handler::list)` and
        `.andRoute(DELETE("/orders/{id}"), this::delete)`: the verb is the predicate's name."""
        from ..routes import registration_evidence, route_path

        out = []
        for c in facts.calls:
            if c.method not in ("route", "andRoute") or len(c.args) != 2 or c.node.has_error:
                continue
            pred = c.args[0]
            if pred.type != "method_invocation":
                continue
            obj = pred.child_by_field_name("object")
            m = self._FN_PREDICATE.match((squash(text(obj)) + "." if obj is not None else "")
                                         + text(pred.child_by_field_name("name")))
            pargs = self._args(pred)
            if m is None or not pargs or pargs[0].type != "string_literal":
                continue
            f = self.route_function(facts, c.args[1])
            if f is None:
                continue
            route = route_path(text(pargs[0])[:200])
            out.append(RouteHandler.of(f, "spring", (m.group(1),), route,
                                       registration_evidence(c.method, c.node, f'{m.group(1)}("{route}"), …')))
        return out

    # -- functions ---------------------------------------------------------------------------
    def function_info(self, node: ts.Node) -> Function:
        if node.type == "lambda_expression":
            return Function(node, "<lambda>", self._lambda_params(node), body=node.child_by_field_name("body"),
                            kind="lambda")
        name = text(node.child_by_field_name("name"))
        params = []
        fp = node.child_by_field_name("parameters")
        if fp is not None:
            for p in fp.named_children:
                n = p.child_by_field_name("name") if p.type == "formal_parameter" else None
                if n is None and p.type == "spread_parameter":
                    d = next((c for c in p.named_children if c.type == "variable_declarator"), None)
                    n = d.child_by_field_name("name") if d is not None else None
                if n is not None:
                    params.append(text(n))
        fn = Function(node, name, params, self._annotations(node), body=node.child_by_field_name("body"),
                      kind="method")
        cls = self._enclosing_class(node)
        if cls is not None:
            if cls.type == "object_creation_expression":  # anonymous class
                fn.class_name = squash(text(cls.child_by_field_name("type")))
            else:
                fn.class_name = text(cls.child_by_field_name("name"))
                fn.class_decorators = self._annotations(cls)
                for c in cls.named_children:
                    if c.type == "superclass":
                        fn.class_bases.extend(squash(text(t)) for t in c.named_children)
                    elif c.type in ("super_interfaces", "extends_interfaces"):
                        for tl in c.named_children:
                            fn.class_bases.extend(squash(text(t)) for t in tl.named_children)
        return fn

    @staticmethod
    def _annotations(node: ts.Node) -> list[str]:
        mods = next((c for c in node.children if c.type == "modifiers"), None)
        if mods is None:
            return []
        return [squash(text(a))[1:] for a in mods.named_children if a.type in ("annotation", "marker_annotation")]

    @staticmethod
    def _enclosing_class(node: ts.Node) -> ts.Node | None:
        p = node.parent
        while p is not None:
            if p.type in _CLASS_TYPES:
                return p
            if p.type == "class_body" and p.parent is not None and p.parent.type == "object_creation_expression":
                return p.parent
            p = p.parent
        return None

    @staticmethod
    def _lambda_params(node: ts.Node) -> list[str]:
        ps = node.child_by_field_name("parameters")
        if ps is None:
            return []
        if ps.type == "identifier":
            return [text(ps)]
        out = []
        for p in ps.named_children:
            if p.type == "identifier":
                out.append(text(p))
            elif p.type == "formal_parameter" and p.child_by_field_name("name") is not None:
                out.append(text(p.child_by_field_name("name")))
        return out

    # -- calls -------------------------------------------------------------------------------
    @staticmethod
    def _args(node: ts.Node) -> list[ts.Node]:
        al = node.child_by_field_name("arguments")
        if al is None:
            return []
        return [a for a in al.named_children if a.type not in ("line_comment", "block_comment")]

    def call_info(self, node: ts.Node) -> Call | None:
        args = self._args(node)
        if node.type == "object_creation_expression":
            t = node.child_by_field_name("type")
            if t is None:
                return None
            callee = self._type_name(t)
            return Call(node, callee, callee.rsplit(".", 1)[-1], None, args, is_new=True)
        name = node.child_by_field_name("name")
        if name is None:
            return None
        obj = node.child_by_field_name("object")
        if obj is None:
            return Call(node, text(name), text(name), None, args)
        recv = squash(text(obj))
        return Call(node, f"{recv}.{text(name)}", text(name), recv, args, receiver_node=obj)

    @staticmethod
    def _type_name(t: ts.Node) -> str:
        """`java.lang.StringBuilder<X>` -> `java.lang.StringBuilder` (no type arguments)."""
        if t.type == "generic_type":
            t = next((c for c in t.named_children if c.type != "type_arguments"), t)
        return re.sub(r"<.*", "", squash(text(t)))

    # -- assignments -------------------------------------------------------------------------
    def assignment_info(self, node: ts.Node):
        if node.type in ("variable_declarator", "resource"):
            name = node.child_by_field_name("name")
            if name is None or name.type != "identifier":
                return []
            return [(text(name), node.child_by_field_name("value"), "=")]
        left = node.child_by_field_name("left")
        if left is None or left.type != "identifier":
            return []
        op = text(node.child_by_field_name("operator"))
        right = node.child_by_field_name("right")
        if op == "=":
            return [(text(left), right, "=")]
        if op == "+=":
            return [(text(left), right, "+=")]
        return [(text(left), None, "=")]

    # -- loops -------------------------------------------------------------------------------
    def loop_info(self, node: ts.Node) -> Loop:
        t = node.type
        if t == "enhanced_for_statement":
            return Loop(node, "for", self._literal_items(node.child_by_field_name("value")),
                        [text(node.child_by_field_name("name"))], node.child_by_field_name("body"))
        if t == "for_statement":
            init = node.child_by_field_name("init")
            names = []
            if init is not None and init.type == "local_variable_declaration":
                names = [text(d.child_by_field_name("name")) for d in init.children_by_field_name("declarator")]
            # `for (int i = 0; i < items.size(); i++)`: the bound is what the loop runs over
            # (a constant bound is a small fixed loop); no condition: not a collection loop
            cond = node.child_by_field_name("condition")
            bound = cond.child_by_field_name("right") if cond is not None and cond.type == "binary_expression" else None
            if cond is not None and re.search(r"(?i)retr(y|ies)|attempt|tries", text(cond)):
                return Loop(node, "while", None, names, node.child_by_field_name("body"))  # a retry loop
            return Loop(node, "for", bound if bound is not None else init, names, node.child_by_field_name("body"))
        if t in ("while_statement", "do_statement"):
            # `while (rs.next())` / `while (it.hasNext())`: row / element iteration
            cond = node.child_by_field_name("condition")
            if cond is not None and cond.type == "parenthesized_expression" and cond.named_child_count == 1:
                cond = cond.named_children[0]
            if (t == "while_statement" and cond is not None and cond.type == "method_invocation"
                    and cond.child_by_field_name("object") is not None
                    and text(cond.child_by_field_name("name")) in ("next", "hasNext", "hasMoreElements")
                    and not self._args(cond)):
                return Loop(node, "cursor", None, [text(cond.child_by_field_name("object"))],
                            node.child_by_field_name("body"))
            return Loop(node, "while", None, [], node.child_by_field_name("body"))
        # a stream / collection callback: items.forEach(x -> ...)
        lam = next((a for a in self._args(node) if a.type == "lambda_expression"), None)
        return Loop(node, "callback", self._literal_items(node.child_by_field_name("object")),
                    self._lambda_params(lam) if lam is not None else [],
                    lam.child_by_field_name("body") if lam is not None else None)

    # `List.of("a", "b")`, `new String[]{"a", "b"}`: the literal items (an argument_list /
    # array_initializer, both literal_collection_types), so small literal loops are recognised
    literal_collection_types = frozenset({"argument_list", "array_initializer"})
    _LITERAL_FACTORY = re.compile(r"^(List|Set|Stream|Arrays|EnumSet|ImmutableList|ImmutableSet)\.(of|asList|stream)$")

    def _literal_items(self, node: ts.Node | None) -> ts.Node | None:
        n = node
        if n is not None and n.type == "method_invocation" and text(n.child_by_field_name("name")) == "stream" \
                and n.child_by_field_name("object") is not None and not self._args(n):
            n = n.child_by_field_name("object")  # List.of(...).stream()
        if n is None:
            return node
        if n.type == "method_invocation" and n.child_by_field_name("object") is not None and \
                self._LITERAL_FACTORY.match(squash(text(n.child_by_field_name("object"))) + "." +
                                            text(n.child_by_field_name("name"))):
            al = n.child_by_field_name("arguments")
            if al is not None and al.named_child_count:
                return al
        if n.type == "array_creation_expression":
            init = n.child_by_field_name("value")
            if init is not None:
                return init
        return node

    # -- facts: method scopes, builder events, whole-variable string roots ----------------------
    _root_memo: dict[int, ts.Node] | None = None

    def facts(self, tree: ts.Tree) -> Facts:
        self._root_memo = {}
        self._decl_cache = {}  # per file: block ids are only unique within one tree
        try:
            facts = super().facts(tree)
        finally:
            self._root_memo = None
        fn_by_id = {f.node.id: f for f in facts.functions}
        scope: dict[int, Function] = {}
        for f in facts.functions:  # document order: an enclosing function comes first
            s = f
            if f.kind == "lambda":
                p = f.node.parent
                while p is not None and p.id not in fn_by_id:
                    p = p.parent
                if p is not None:
                    s = scope.get(p.id, fn_by_id[p.id])
            scope[f.node.id] = s
        facts.java_scope = scope  # type: ignore[attr-defined]
        # assignments indexed per method; its lambdas share the lists
        idx: dict[tuple[int, str], list] = {}
        for a in facts.assignments:
            sid = scope[a.function.node.id].node.id if a.function is not None else 0
            idx.setdefault((sid, a.name), []).append(a)
        for lst in idx.values():
            lst.sort(key=lambda a: a.start_byte)
        names_by_scope: dict[int, list[str]] = {}
        for sid, name in idx:
            names_by_scope.setdefault(sid, []).append(name)
        for f in facts.functions:
            sid = scope[f.node.id].node.id
            if sid != f.node.id:
                for name in names_by_scope.get(sid, ()):
                    idx[(f.node.id, name)] = idx[(sid, name)]
        facts._assign_index = idx
        self._drop_optional_callbacks(facts)
        self._loops_through_lambdas(facts, fn_by_id)
        facts.java_builder_events = self._builder_events(facts)  # type: ignore[attr-defined]
        facts.strings = self._string_roots(facts, fn_by_id)
        facts.java_root = tree.root_node  # type: ignore[attr-defined]
        return facts

    _OPTIONAL_SOURCE = re.compile(r"^(find(?!All)\w*|ofNullable|of|empty|\w*Optional|getSingleResult\w*|max|min|reduce|"
                                  r"findAny|findFirst)$")

    def _drop_optional_callbacks(self, facts: Facts) -> None:
        """`repo.findById(id).map(u -> ...)` / `opt.filter(...)`: Optional's map runs at most once,
        it is not a loop over a collection."""
        drop: set[int] = set()
        for lp in facts.loops:
            if lp.kind != "callback" or lp.iterable is None:
                continue
            name = text(lp.node.child_by_field_name("name"))
            if name not in ("map", "flatMap", "filter"):
                continue
            obj = lp.iterable
            if obj.type == "method_invocation":
                m = text(obj.child_by_field_name("name"))
                if self._OPTIONAL_SOURCE.match(m) and m not in ("stream", "parallelStream"):
                    drop.add(lp.node.id)
            elif obj.type == "identifier" and (re.search(r"(?i)^opt|optional|maybe", text(obj)) or
                                               self._declared_type(obj, text(obj)) in _SINGLE_VALUE_TYPES):
                drop.add(lp.node.id)
        if not drop:
            return
        facts.loops = [lp for lp in facts.loops if lp.node.id not in drop]
        for c in facts.calls:
            if c.loops and any(lp.node.id in drop for lp in c.loops):
                c.loops = [lp for lp in c.loops if lp.node.id not in drop]

    def _loops_through_lambdas(self, facts: Facts, fn_by_id: dict[int, Function]) -> None:
        """A lambda runs inside the loops around it (`for (...) { tx.execute(s -> repo.save(x)); }`)
        and per item of a loop-like callback (`items.forEach(i -> repo.save(i))`): calls in a
        lambda get those loops too (base stops at the function boundary)."""
        loop_by_id = {lp.node.id: lp for lp in facts.loops}
        outer: dict[int, list[Loop]] = {}
        for f in facts.functions:
            if f.kind != "lambda":
                continue
            found: list[Loop] = []
            p = f.node.parent
            while p is not None:
                if p.id in fn_by_id and fn_by_id[p.id].kind != "lambda":
                    break
                lp = loop_by_id.get(p.id)
                if lp is not None and self._inside_loop_body(lp, f.node):
                    found.append(lp)
                p = p.parent
            outer[f.node.id] = found
        if not any(outer.values()):
            return
        for c in facts.calls:
            if c.function is not None and c.function.kind == "lambda":
                extra = [lp for lp in outer.get(c.function.node.id, ()) if lp not in c.loops]
                if extra:
                    c.loops = list(c.loops) + extra

    def _scope_id(self, facts: Facts, fn: Function | None) -> int:
        if fn is None:
            return 0
        s = getattr(facts, "java_scope", {}).get(fn.node.id)
        return s.node.id if s is not None else fn.node.id

    def _builder_events(self, facts: Facts) -> dict[tuple[int, str], tuple[list[int], list[tuple[int, str, Call]]]]:
        """Per (method, variable): calls that extend or read-and-maybe-extend a builder variable."""
        out: dict[tuple[int, str], list[tuple[int, str, Call]]] = {}
        for c in facts.calls:
            sid = self._scope_id(facts, c.function)
            if c.receiver_node is not None and c.method in ("append", "insert", "setLength", "deleteCharAt",
                                                             "delete", "replace", "reverse", "add"):
                root = self._chain_root(c.receiver_node)
                if root is not None and root.type == "identifier":
                    pos = c.args[0].start_byte if c.args else c.node.end_byte
                    out.setdefault((sid, text(root)), []).append((pos, c.method, c))
            if c.method not in _BUILDER_READERS:
                for a in c.args:
                    if a.type == "identifier":
                        out.setdefault((sid, text(a)), []).append((a.start_byte, "escape", c))
        result = {}
        for key, lst in out.items():
            lst.sort(key=lambda e: e[0])
            result[key] = ([e[0] for e in lst], lst)
        return result

    @staticmethod
    def _chain_root(node: ts.Node) -> ts.Node | None:
        """sb.append(a).append(b) -> sb; new StringBuilder(x).append(a) -> the creation."""
        cur = node
        for _ in range(500):
            if cur.type == "method_invocation" and text(cur.child_by_field_name("name")) in ("append", "insert", "add"):
                obj = cur.child_by_field_name("object")
                if obj is None:
                    return None
                cur = obj
            elif cur.type == "parenthesized_expression" and cur.named_child_count == 1:
                cur = cur.named_children[0]
            else:
                return cur
        return None

    def _string_roots(self, facts: Facts, fn_by_id: dict[int, Function]) -> list[ts.Node]:
        def function_of(node: ts.Node) -> Function | None:
            p = node.parent
            while p is not None:
                f = fn_by_id.get(p.id)
                if f is not None:
                    return f
                p = p.parent
            return None

        roots: dict[int, ts.Node] = {}
        for r in facts.strings:
            if self._message_argument(r):
                continue
            h = self._holder(r, facts, function_of(r))
            node = h if h is not None else r
            roots.setdefault(node.id, node)
        self._drop_prefixes(roots, facts, function_of)
        return sorted(roots.values(), key=lambda n: n.start_byte)

    def _message_argument(self, node: ts.Node) -> bool:
        """A log message, an exception message or an asserted / compared text: not SQL that runs."""
        p = node.parent
        if p is None or p.type != "argument_list" or p.parent is None:
            return False
        call = p.parent
        if call.type == "object_creation_expression":
            t = self._type_name(call.child_by_field_name("type")) if call.child_by_field_name("type") else ""
            return t.endswith(("Exception", "Error"))
        if call.type == "method_invocation":
            if text(call.child_by_field_name("name")) in self._non_sql_args:
                return True
            obj = call.child_by_field_name("object")
            return obj is not None and bool(self._message_rx.match(squash(text(obj))))
        return False

    def _holder(self, r: ts.Node, facts: Facts, fn: Function | None) -> ts.Node | None:
        """The declaration of a variable assembled over several statements, for a string root that
        starts or extends it; None when the root stands alone."""
        # an append to a builder variable: sb.append("...")
        root = self._chain_root(r) if r.type == "method_invocation" else None
        if root is not None and root.id != r.id and root.type == "identifier":
            decl = self._fresh_assignment(text(root), fn, r.start_byte, facts, builder=True)
            if decl is not None and self._is_builder_expr(decl.value):
                return self._holder_node(decl.node)
            return None
        p = r.parent
        if p is None:
            return None
        if p.type == "variable_declarator" and p.parent is not None and p.parent.type == "local_variable_declaration":
            value = p.child_by_field_name("value")
            if value is not None and value.id == r.id:
                name = text(p.child_by_field_name("name"))
                if self._extended(name, fn, p, facts, self._is_builder_expr(r)):
                    return p
            return None
        if p.type == "assignment_expression" and p.parent is not None and p.parent.type == "expression_statement":
            left = p.child_by_field_name("left")
            right = p.child_by_field_name("right")
            if left is None or left.type != "identifier" or right is None or right.id != r.id:
                return None
            name, op = text(left), text(p.child_by_field_name("operator"))
            if op == "+=" or (op == "=" and self._self_extension(name, r)):
                decl = self._fresh_assignment(name, fn, p.start_byte, facts, builder=False)
                return self._holder_node(decl.node) if decl is not None else None
            if op == "=" and self._extended(name, fn, p, facts, self._is_builder_expr(r)):
                return p
        return None

    @staticmethod
    def _holder_node(node: ts.Node) -> ts.Node | None:
        if node.type == "variable_declarator":
            return node
        if node.type == "assignment_expression" and node.parent is not None and node.parent.type == "expression_statement":
            return node
        return None

    def _leftmost(self, node: ts.Node) -> ts.Node:
        cur = node
        for _ in range(2000):
            if cur.type == "binary_expression" and text(cur.child_by_field_name("operator")) == "+":
                cur = cur.child_by_field_name("left")
            elif cur.type == "parenthesized_expression" and cur.named_child_count == 1:
                cur = cur.named_children[0]
            else:
                break
        return cur

    def _self_extension(self, name: str, value: ts.Node | None) -> bool:
        """sql = sql + "..." (the variable extends itself)."""
        if value is None or value.type != "binary_expression":
            return False
        lm = self._leftmost(value)
        return lm.type == "identifier" and text(lm) == name

    def _fresh_assignment(self, name: str, fn: Function | None, before: int, facts: Facts, builder: bool):
        """The last assignment of `name` before `before` that starts a new value (not `+=`,
        not `x = x + ...`)."""
        for a in reversed(facts.assignments_before(name, fn, before)):
            if a.op != "=":
                continue
            if not builder and self._self_extension(name, a.value):
                continue
            return a
        return None

    def _run_end(self, name: str, fn: Function | None, holder: ts.Node, facts: Facts, builder: bool) -> int:
        """Byte where the value started at `holder` is replaced by a fresh assignment (or the end)."""
        end = fn.node.end_byte if fn is not None else holder.end_byte
        for a in facts.assignments_before(name, fn, end):
            if a.node.start_byte <= holder.start_byte or a.op != "=":
                continue
            if not builder and self._self_extension(name, a.value):
                continue
            return a.node.start_byte
        return end

    def _extended(self, name: str, fn: Function | None, holder: ts.Node, facts: Facts, builder: bool) -> bool:
        end = self._run_end(name, fn, holder, facts, builder)
        if builder:
            positions, _ = getattr(facts, "java_builder_events", {}).get((self._scope_id(facts, fn), name), ((), ()))
            i = bisect.bisect_left(positions, holder.end_byte)
            return i < len(positions) and positions[i] < end
        for a in facts.assignments_before(name, fn, end):
            if a.node.start_byte > holder.start_byte and (a.op == "+=" or self._self_extension(name, a.value)):
                return True
        return False

    def _drop_prefixes(self, roots: dict[int, ts.Node], facts: Facts, function_of) -> None:
        """`BASE + " WHERE id = ?"`: when a variable's SQL is only ever used as the start of longer
        strings (never passed on by itself), it is analysed there, not on its own."""
        prefix_of: dict[int, str] = {}
        for r in list(roots.values()):
            expr = r.child_by_field_name("value") if r.type == "variable_declarator" else (
                r.child_by_field_name("right") if r.type == "assignment_expression" else r)
            if expr is None or expr.type != "binary_expression":
                continue
            lm = self._leftmost(expr)
            target = None
            if lm.type == "identifier":
                fn = function_of(lm)
                a = self._fresh_assignment(text(lm), fn, lm.start_byte, facts, builder=False)
                if a is not None:
                    # the variable's text is a root of its own, or its declaration stands for it
                    target = a.node if a.node.id in roots else a.value
                else:
                    d = self._declaration(lm)
                    if d is not None and d[0] == "field":
                        target = d[1].child_by_field_name("value")
            elif lm.type == "field_access" and text(lm.child_by_field_name("object")) == "this":
                d = self._field_declaration(lm, text(lm.child_by_field_name("field")))
                target = d.child_by_field_name("value") if d is not None else None
            if target is not None and target.id in roots and target.id != r.id:
                prefix_of[target.id] = text(lm).rsplit(".", 1)[-1]
        if not prefix_of:
            return
        standalone = set()
        wanted = set(prefix_of.values())
        for c in facts.calls:
            if c.receiver in wanted:  # q.trim(), sb.toString(): the text is used by itself
                standalone.add(c.receiver)
            for a in c.args:
                if a.type == "identifier" and text(a) in wanted:
                    standalone.add(text(a))
                elif a.type == "field_access" and text(a.child_by_field_name("field")) in wanted:
                    standalone.add(text(a.child_by_field_name("field")))
        for nid, name in prefix_of.items():
            if name not in standalone:
                roots.pop(nid, None)

    # -- declarations (types of parameters, locals and fields) --------------------------------
    def _declaration(self, ident: ts.Node):
        """(kind, declarator-or-parameter node, type node, modifiers node) for the identifier's
        declaration in scope: a local, a parameter, a loop variable or a field of an enclosing class."""
        name = text(ident)
        pos = ident.start_byte
        cur = ident
        p = ident.parent
        steps = 0
        while p is not None and steps < 400:
            steps += 1
            t = p.type
            if t in _BLOCKS:
                found = None
                for start, decl in self._block_locals(p).get(name, ()):
                    if start >= pos:
                        break
                    found = decl
                if found:
                    return found
            elif t == "for_statement":
                init = p.child_by_field_name("init")
                if init is not None and init.type == "local_variable_declaration" and cur.id != init.id:
                    for d in init.children_by_field_name("declarator"):
                        if text(d.child_by_field_name("name")) == name:
                            return ("local", d, init.child_by_field_name("type"), self._mods(init))
            elif t == "enhanced_for_statement":
                if text(p.child_by_field_name("name")) == name and cur.id == (p.child_by_field_name("body") or p).id:
                    return ("local", p, p.child_by_field_name("type"), self._mods(p))
            elif t == "try_with_resources_statement":
                spec = p.child_by_field_name("resources")
                for r in (spec.named_children if spec is not None else []):
                    if r.type == "resource" and text(r.child_by_field_name("name")) == name:
                        return ("local", r, r.child_by_field_name("type"), self._mods(r))
            elif t == "catch_clause":
                cp = next((c for c in p.named_children if c.type == "catch_formal_parameter"), None)
                if cp is not None and text(cp.child_by_field_name("name")) == name:
                    return ("param", cp, None, None)
            elif t == "lambda_expression":
                if name in self._lambda_params(p):
                    ps = p.child_by_field_name("parameters")
                    for fp in (ps.named_children if ps is not None else []):
                        if fp.type == "formal_parameter" and text(fp.child_by_field_name("name")) == name:
                            return ("param", fp, fp.child_by_field_name("type"), self._mods(fp))
                    return ("param", p, None, None)
            elif t in ("method_declaration", "constructor_declaration", "compact_constructor_declaration"):
                ps = p.child_by_field_name("parameters")
                for fp in (ps.named_children if ps is not None else []):
                    if fp.type == "formal_parameter" and text(fp.child_by_field_name("name")) == name:
                        return ("param", fp, fp.child_by_field_name("type"), self._mods(fp))
                    if fp.type == "spread_parameter":
                        d = next((c for c in fp.named_children if c.type == "variable_declarator"), None)
                        if d is not None and text(d.child_by_field_name("name")) == name:
                            return ("param", fp, None, None)
            elif t in ("class_body", "interface_body", "enum_body_declarations"):
                for fd in p.named_children:
                    if fd.type in ("field_declaration", "constant_declaration"):
                        for d in fd.children_by_field_name("declarator"):
                            if text(d.child_by_field_name("name")) == name:
                                mods = self._mods(fd)
                                if t == "interface_body" or fd.type == "constant_declaration":
                                    mods = "static final"
                                return ("field", d, fd.child_by_field_name("type"), mods)
                if t == "enum_body_declarations" and p.parent is not None:
                    for ec in p.parent.named_children:
                        if ec.type == "enum_constant" and text(ec.child_by_field_name("name")) == name:
                            return ("field", ec, None, "static final")
            elif t == "enum_body":
                for ec in p.named_children:
                    if ec.type == "enum_constant" and text(ec.child_by_field_name("name")) == name:
                        return ("field", ec, None, "static final")
            elif t == "program":
                return None
            cur = p
            p = p.parent
        return None

    _decl_cache: dict | None = None

    def _block_locals(self, block: ts.Node) -> dict[str, list]:
        """name -> [(statement start, declaration)] of a block's local declarations, built once
        per block (a lookup per identifier would rescan long method bodies)."""
        cache = self._decl_cache
        key = (block.id, block.start_byte, block.end_byte)
        if cache is not None and key in cache:
            return cache[key]
        out: dict[str, list] = {}
        for st in block.named_children:
            if st.type == "local_variable_declaration":
                ty, mods = st.child_by_field_name("type"), self._mods(st)
                for d in st.children_by_field_name("declarator"):
                    out.setdefault(text(d.child_by_field_name("name")), []).append(
                        (st.start_byte, ("local", d, ty, mods)))
        if cache is not None:
            if len(cache) > 20000:
                cache.clear()
            cache[key] = out
        return out

    @staticmethod
    def _mods(node: ts.Node) -> str:
        m = next((c for c in node.children if c.type == "modifiers"), None)
        return " ".join(c.type for c in m.children) if m is not None else ""

    def _field_declaration(self, node: ts.Node, name: str) -> ts.Node | None:
        """The declarator of field `name` in the class enclosing `node` (for `this.name`)."""
        cls = self._enclosing_class(node)
        body = cls.child_by_field_name("body") if cls is not None and cls.type in _CLASS_TYPES else None
        if body is None:
            return None
        for fd in body.named_children:
            if fd.type in ("field_declaration", "constant_declaration"):
                for d in fd.children_by_field_name("declarator"):
                    if text(d.child_by_field_name("name")) == name:
                        return d
        return None

    def _type_is_safe(self, type_node: ts.Node | None) -> bool:
        if type_node is None:
            return False
        t = type_node.type
        if t == "integral_type":
            return text(type_node) != "char"
        if t in ("floating_point_type", "boolean_type"):
            return True
        if t in ("type_identifier", "scoped_type_identifier"):
            return squash(text(type_node)).rsplit(".", 1)[-1] in self._safe_types
        if t == "annotated_type":
            inner = next((c for c in type_node.named_children if c.type not in ("annotation", "marker_annotation")), None)
            return self._type_is_safe(inner)
        return False

    def _is_builder_type(self, type_node: ts.Node | None) -> bool:
        return type_node is not None and self._type_name(type_node).rsplit(".", 1)[-1] in _BUILDERS

    def _is_builder_expr(self, node: ts.Node | None) -> bool:
        if node is None:
            return False
        root = self._chain_root(node)
        return (root is not None and root.type == "object_creation_expression"
                and self._is_builder_type(root.child_by_field_name("type")))

    # -- strings -----------------------------------------------------------------------------
    def string_root(self, node: ts.Node) -> ts.Node:
        """Memoised per facts() run: the literals of one long concatenation share their climb."""
        memo = self._root_memo
        if memo is None:
            return self._climb(node, {})
        return self._climb(node, memo)

    def _climb(self, node: ts.Node, memo: dict[int, ts.Node]) -> ts.Node:
        path = []
        cur = node
        root = None
        while True:
            hit = memo.get(cur.id)
            if hit is not None:
                root = hit
                break
            path.append(cur)
            nxt = self._root_step(cur)
            if nxt is None or len(path) > 20000:
                root = cur
                break
            cur = nxt
        for n in path:
            memo[n.id] = root
        return root

    def _root_step(self, cur: ts.Node) -> ts.Node | None:
        """The parent expression that still builds the same string, or None."""
        p = cur.parent
        if p is None:
            return None
        t = p.type
        if t == "parenthesized_expression" or t == "template_expression":
            return p
        if t == "binary_expression":
            return p if p.child_by_field_name("operator").type == "+" else None
        if t == "method_invocation":
            # "...".formatted(x), "...".concat(x), "...".trim(), "...".replace(a, b), sb.append(..).append(..)
            obj = p.child_by_field_name("object")
            if obj is None or obj.id != cur.id:
                return None
            m = text(p.child_by_field_name("name"))
            if m in ("formatted", "concat", "replace", "replaceAll", "replaceFirst", "toString", "append", "insert") \
                    or m in _STRING_METHODS_SAME:
                return p
            return None
        if t != "argument_list" or p.parent is None:
            return None
        call = p.parent
        if call.type == "object_creation_expression":
            ty = call.child_by_field_name("type")
            return call if ty is not None and self._is_builder_type(ty) else None
        if call.type != "method_invocation":
            return None
        m = text(call.child_by_field_name("name"))
        if m not in ("append", "concat", "insert", "format", "join"):
            return None
        obj = call.child_by_field_name("object")
        o = squash(text(obj)) if obj is not None else ""
        args = self._args(call)
        if m in ("append", "concat") or (m == "insert" and len(args) == 2 and args[1].id == cur.id):
            return call
        if m == "format" and o in ("String", "java.lang.String", "MessageFormat", "java.text.MessageFormat") \
                and args and (args[0].id == cur.id or (len(args) > 1 and args[1].id == cur.id)):
            return call
        if m == "join" and o in ("String", "java.lang.String") and len(args) >= 3:
            return call
        return None

    def _literal(self, node: ts.Node, ev: Evaluator, depth: int) -> StringValue:
        parts: list[StringValue] = []
        for c in node.children:
            if c.type in ("string_fragment", "multiline_string_fragment"):
                parts.append(StringValue(c, text(c), [], "literal"))
            elif c.type == "escape_sequence":
                parts.append(StringValue(c, unescape(text(c)), [], "literal"))
            elif c.type == "string_interpolation":
                expr = next((x for x in c.named_children), None)
                v = StringValue.opaque(expr if expr is not None else c, text(expr) if expr is not None else text(c))
                if expr is None:
                    v.holes[0].node = None
                parts.append(v)
        v = StringValue.join(node, parts)
        if not v.dynamic:
            tmpl = v.template
            # JPQL positional parameters (?1) are binds, like ?
            tmpl = re.sub(r"\?\d+\b", "?", tmpl)
            if "{" in tmpl and self._mybatis_annotation(node):
                tmpl = re.sub(r"[#$]\{[^}]*\}", "?", tmpl)
            v.template = tmpl
        return v

    @staticmethod
    def _mybatis_annotation(node: ts.Node) -> bool:
        p = node.parent
        for _ in range(6):
            if p is None:
                return False
            if p.type == "annotation":
                return text(p.child_by_field_name("name")).rsplit(".", 1)[-1] in _MYBATIS
            p = p.parent
        return False

    def string_value(self, node: ts.Node, ev: Evaluator, depth: int) -> StringValue | None:
        t = node.type
        if t == "string_literal":
            return self._literal(node, ev, depth)
        if t == "character_literal":
            return StringValue(node, unescape(text(node)[1:-1]), [], "literal")
        if t == "parenthesized_expression" and node.named_child_count == 1:
            return ev.value(node.named_children[0], depth)
        if t == "binary_expression":
            if text(node.child_by_field_name("operator")) != "+":
                return None
            return self.concat_value(node, node.child_by_field_name("left"), node.child_by_field_name("right"), ev, depth)
        if t == "identifier":
            return self._identifier_value(node, ev, depth)
        if t == "field_access":
            obj = node.child_by_field_name("object")
            if obj is not None and obj.type == "this":
                d = self._field_declaration(node, text(node.child_by_field_name("field")))
                if d is not None and d.parent is not None and "final" in self._mods(d.parent):
                    value = d.child_by_field_name("value")
                    return ev.value(value, depth) if value is not None else None
            return None
        if t == "method_invocation":
            return self._invocation_value(node, ev, depth)
        if t == "object_creation_expression":
            if self._is_builder_type(node.child_by_field_name("type")):
                return self._builder_init(node, ev, depth)
            return None
        if t == "template_expression":
            proc = squash(text(node.child_by_field_name("template_processor")))
            arg = node.child_by_field_name("template_argument")
            v = ev.value(arg, depth) if arg is not None else None
            if v is None:
                return None
            if proc.rsplit(".", 1)[-1] in ("STR", "FMT", "RAW"):
                v.how = "a string template"
            else:  # a custom processor binds its values
                for h in v.holes:
                    h.numeric = True
                v.how = "a template processor"
            return v
        if t == "ternary_expression":
            return StringValue.opaque(node, text(node))
        if t == "cast_expression":
            value = node.child_by_field_name("value")
            ty = node.child_by_field_name("type")
            if value is not None and ty is not None and text(ty) in ("String", "CharSequence", "Object"):
                return ev.value(value, depth)
            return None
        if t == "assignment_expression":
            right = node.child_by_field_name("right")
            if node.parent is not None and node.parent.type == "expression_statement":
                return self._holder_value(node, ev, depth)
            return ev.value(right, depth) if right is not None else None
        if t == "variable_declarator":
            return self._holder_value(node, ev, depth)
        return None

    # identifiers ---------------------------------------------------------------------------
    def _identifier_value(self, node: ts.Node, ev: Evaluator, depth: int) -> StringValue | None:
        name = text(node)
        fn = ev.function_of(node)
        assigns = ev.facts.assignments_before(name, fn, node.start_byte)
        decl = None
        if assigns:
            fresh = self._fresh_assignment(name, fn, node.start_byte, ev.facts, builder=True)
            if fresh is not None and self._is_builder_expr(fresh.value):
                return self._builder_var_value(node, name, fn, fresh, ev, depth)
            joiner = self._joiner_creation(fresh.value) if fresh is not None else None
            if joiner is not None:
                return self._joined_adds(node, name, fn, fresh, ev, depth, self._args(joiner))
            return ev.variable(node, depth)
        decl = self._declaration(node)
        if decl is None:
            return None
        kind, dnode, ty, mods = decl
        if self._is_builder_type(ty):
            return self._builder_var_value(node, name, fn, None, ev, depth)
        if kind == "field" and "final" in (mods or "") and dnode.type == "variable_declarator":
            value = dnode.child_by_field_name("value")
            if value is not None and not self._is_builder_expr(value):
                return ev.value(value, depth)
        return None

    # joined collections ----------------------------------------------------------------------
    _COLLECTIONS = ("ArrayList", "LinkedList", "HashSet", "LinkedHashSet", "TreeSet", "Vector")

    def _joiner_creation(self, node: ts.Node | None) -> ts.Node | None:
        """new StringJoiner(sep, prefix, suffix), possibly followed by .setEmptyValue(...)."""
        while node is not None and node.type == "method_invocation" and \
                text(node.child_by_field_name("name")) == "setEmptyValue":
            node = node.child_by_field_name("object")
        return node if self._creates(node, ("StringJoiner",)) else None

    def _creates(self, node: ts.Node | None, types: tuple[str, ...]) -> bool:
        if node is None or node.type != "object_creation_expression":
            return False
        t = node.child_by_field_name("type")
        return t is not None and self._type_name(t).rsplit(".", 1)[-1] in types

    def _joined_adds(self, use: ts.Node, name: str, fn: Function | None, fresh, ev: Evaluator, depth: int,
                     joiner_args: list[ts.Node], sep: StringValue | None = None) -> StringValue | None:
        """`where.add("a = ?"); where.add("b = ?"); ... String.join(" AND ", where)` or a
        StringJoiner: the added texts joined (every add is kept: conditions are all seen)."""
        if depth > MAX_EVAL_DEPTH:
            return None
        vals = [ev.value(a, depth) for a in joiner_args]
        if any(v is None for v in vals) or not vals and sep is None:
            return None
        if sep is None:
            sep = vals[0]
        prefix = vals[1] if len(vals) > 1 else StringValue(use, "", [], "literal")
        suffix = vals[2] if len(vals) > 2 else StringValue(use, "", [], "literal")
        positions, events = getattr(ev.facts, "java_builder_events", {}).get((self._scope_id(ev.facts, fn), name),
                                                                             ((), ()))
        parts = [prefix]
        n = 0
        for i in range(bisect.bisect_left(positions, fresh.node.end_byte), bisect.bisect_left(positions, use.start_byte)):
            _, kind, call = events[i]
            if kind == "add" and len(call.args) == 1:
                if n:
                    parts.append(sep)
                a = call.args[0]
                parts.append(ev.value(a, depth + 1) or StringValue.opaque(a, text(a), self.numeric_expression(a)))
                n += 1
            elif kind == "escape" or kind == "add":
                parts.append(_unknown(call.node, f"{name} passed to {call.callee}"))
        parts.append(suffix)
        return StringValue.join(use, parts, "joining a list")

    def _collection_join(self, node: ts.Node, coll: ts.Node, sep: ts.Node, ev: Evaluator, depth: int) -> StringValue | None:
        if coll.type != "identifier":
            return None
        sv = ev.value(sep, depth)
        if sv is None or sv.dynamic:
            return None
        name = text(coll)
        fn = ev.function_of(coll)
        fresh = self._fresh_assignment(name, fn, coll.start_byte, ev.facts, builder=True)
        if fresh is None or not self._creates(fresh.value, self._COLLECTIONS):
            return None
        return self._joined_adds(coll, name, fn, fresh, ev, depth, [], sv)

    # builders ------------------------------------------------------------------------------
    def _builder_init(self, creation: ts.Node, ev: Evaluator, depth: int) -> StringValue:
        args = self._args(creation)
        if not args:
            return StringValue(creation, "", [], "literal")
        a = args[0]
        v = ev.value(a, depth)
        if v is not None:
            return v
        if self.numeric_expression(a):  # new StringBuilder(256): a capacity
            return StringValue(creation, "", [], "literal")
        return StringValue.opaque(a, text(a))

    def _builder_expr_value(self, node: ts.Node, ev: Evaluator, depth: int, upto: int) -> StringValue | None:
        """Value of a builder expression: a creation, an append chain, or a builder variable."""
        if depth > MAX_EVAL_DEPTH:
            return None
        if node.type == "parenthesized_expression" and node.named_child_count == 1:
            return self._builder_expr_value(node.named_children[0], ev, depth + 1, upto)
        if node.type == "object_creation_expression":
            if self._is_builder_type(node.child_by_field_name("type")):
                return self._builder_init(node, ev, depth + 1)
            return None
        if node.type == "method_invocation" and text(node.child_by_field_name("name")) == "append":
            obj = node.child_by_field_name("object")
            base = self._builder_expr_value(obj, ev, depth + 1, upto) if obj is not None else None
            if base is None:
                return None
            return StringValue.join(node, [base, self._append_value(node, ev, depth)], "a StringBuilder")
        if node.type == "method_invocation" and text(node.child_by_field_name("name")) == "insert":
            obj = node.child_by_field_name("object")
            base = self._builder_expr_value(obj, ev, depth + 1, upto) if obj is not None else None
            args = self._args(node)
            if base is None or len(args) != 2:
                return None
            v = ev.value(args[1], depth) or StringValue.opaque(args[1], text(args[1]), self.numeric_expression(args[1]))
            if text(args[0]) == "0":
                return StringValue.join(node, [v, base], "a StringBuilder")
            return StringValue.join(node, [base, _unknown(node, "insert")], "a StringBuilder")
        if node.type == "identifier":
            name = text(node)
            fn = ev.function_of(node)
            fresh = self._fresh_assignment(name, fn, node.start_byte, ev.facts, builder=True)
            if fresh is not None:
                if self._is_builder_expr(fresh.value):
                    return self._builder_var_value(node, name, fn, fresh, ev, depth, upto)
                return None
            d = self._declaration(node)
            if d is not None and self._is_builder_type(d[2]):
                return self._builder_var_value(node, name, fn, None, ev, depth, upto)
        return None

    def _append_value(self, call: ts.Node, ev: Evaluator, depth: int) -> StringValue:
        args = self._args(call)
        if len(args) != 1:  # append(char[], off, len) / append(cs, start, end)
            return StringValue.opaque(call, text(call))
        a = args[0]
        v = ev.value(a, depth)
        return v if v is not None else StringValue.opaque(a, text(a), self.numeric_expression(a))

    def _builder_var_value(self, use: ts.Node, name: str, fn: Function | None, fresh, ev: Evaluator, depth: int,
                           upto: int | None = None) -> StringValue | None:
        """The text of builder variable `name` at `use`: its creation, then every append (and
        insert / setLength trim) on it in the same method before the use."""
        if depth > MAX_EVAL_DEPTH:
            return None
        upto = use.start_byte if upto is None else upto
        if fresh is not None:
            base = self._builder_expr_value(fresh.value, ev, depth + 1, upto)
            start = fresh.node.end_byte
        else:  # a parameter or field: what it held before is not ours to see
            base, start = None, (fn.node.start_byte if fn is not None else 0)
        if base is None:
            base = _unknown(use, f"{name} (built elsewhere)")
        positions, events = getattr(ev.facts, "java_builder_events", {}).get((self._scope_id(ev.facts, fn), name),
                                                                             ((), ()))
        parts = [base]
        for i in range(bisect.bisect_left(positions, start), bisect.bisect_left(positions, upto)):
            _, kind, call = events[i]
            if kind == "append":
                # chained appends are separate calls; each contributes its own argument
                parts.append(self._append_value(call.node, ev, depth + 1))
            elif kind == "insert":
                args = call.args
                if len(args) == 2 and text(args[0]) == "0":
                    v = ev.value(args[1], depth + 1) or StringValue.opaque(args[1], text(args[1]),
                                                                           self.numeric_expression(args[1]))
                    parts.insert(0, v)
                else:
                    parts.append(_unknown(call.node, "insert"))
            elif kind in ("setLength", "deleteCharAt"):
                parts = [self._trim(use, StringValue.join(use, parts), call, name)]
            elif kind == "escape":
                parts.append(_unknown(call.node, f"{name} passed to {call.callee}"))
            else:
                parts.append(_unknown(call.node, kind))
        cur = StringValue.join(use, parts, "a StringBuilder")
        if not cur.dynamic and len(parts) == 1:
            cur.how = base.how
        return cur

    @staticmethod
    def _trim(use: ts.Node, cur: StringValue, call: Call, name: str) -> StringValue:
        """sb.setLength(sb.length() - 2) / sb.deleteCharAt(sb.length() - 1): drop a trailing separator."""
        if not call.args:
            return cur
        a = squash(text(call.args[0]))
        if call.method == "setLength" and a == "0":
            return StringValue(use, "", [], "literal")
        m = re.fullmatch(re.escape(name) + r"\.length\(\)-(\d+)", a)
        if not m:
            return cur
        k = int(m.group(1))
        tail = cur.template[-k:] if k else ""
        if k and len(cur.template) >= k and "\ue000" not in tail and "\ue001" not in tail:
            return StringValue(use, cur.template[:-k], cur.holes, cur.how)
        return cur

    # whole variables (string roots replaced by their declaration) ----------------------------
    def _holder_value(self, holder: ts.Node, ev: Evaluator, depth: int) -> StringValue | None:
        if holder.type == "variable_declarator":
            name_node, value = holder.child_by_field_name("name"), holder.child_by_field_name("value")
        else:
            name_node, value = holder.child_by_field_name("left"), holder.child_by_field_name("right")
        if name_node is None or value is None:
            return None
        name = text(name_node)
        fn = ev.function_of(holder)
        builder = self._is_builder_expr(value)
        end = self._run_end(name, fn, holder, ev.facts, builder)
        if builder:
            fresh = next((a for a in ev.facts.assignments_before(name, fn, holder.end_byte + 1)
                          if a.node.id == holder.id), None)
            if fresh is None:
                return None
            return self._builder_var_value(holder, name, fn, fresh, ev, depth, end)
        last = None
        for a in ev.facts.assignments_before(name, fn, end):
            if a.node.start_byte >= holder.start_byte:
                last = a
        if last is None:
            return None
        return self._variable_at(holder, name, fn, last.node.end_byte, ev, depth)

    def _variable_at(self, node: ts.Node, name: str, fn: Function | None, at: int, ev: Evaluator,
                     depth: int) -> StringValue | None:
        """Evaluator.variable for a byte position instead of a use node."""
        assigns = ev.facts.assignments_before(name, fn, at)
        if not assigns or depth > MAX_EVAL_DEPTH:
            return None
        start = len(assigns) - 1
        while start > 0 and assigns[start].op != "=":
            start -= 1
        parts = []
        for a in assigns[start:]:
            if a.value is None:
                return None
            v = ev.value(a.value, depth + 1)
            if v is None:
                if a.op == "=":
                    return None
                v = StringValue.opaque(a.value, text(a.value))
            parts.append(v)
        how = next((p.how for p in parts if p.dynamic), None)
        if len(parts) > 1 and how in (None, "literal", "expression"):
            how = "appending to a variable"
        return StringValue.join(node, parts, how)

    # method calls that build strings ------------------------------------------------------------
    def _invocation_value(self, node: ts.Node, ev: Evaluator, depth: int) -> StringValue | None:
        name = text(node.child_by_field_name("name"))
        obj = node.child_by_field_name("object")
        o = squash(text(obj)) if obj is not None else ""
        args = self._args(node)
        if name == "toString" and not args and obj is not None:
            b = self._builder_expr_value(obj, ev, depth, node.start_byte)
            if b is not None:
                return b
            return ev.value(obj, depth)  # a String, or a StringJoiner variable
        if name in ("append", "insert") and obj is not None:
            b = self._builder_expr_value(node, ev, depth, node.start_byte)
            if b is None and name == "append" and len(args) == 1:  # a Writer or another Appendable
                return ev.value(args[0], depth)
            return b
        if name == "format" and o in ("String", "java.lang.String") and args:
            i = 1 if len(args) > 1 and re.search(r"(^|\.)(Locale(\.\w+)?|locale|\w+Locale)$", squash(text(args[0]))) else 0
            fmt = ev.value(args[i], depth)
            return self._format(node, fmt, args[i + 1:], "String.format()") if fmt is not None else None
        if name == "formatted" and obj is not None:
            fmt = ev.value(obj, depth)
            return self._format(node, fmt, args, ".formatted()") if fmt is not None else None
        if name == "format" and o in ("MessageFormat", "java.text.MessageFormat") and args:
            fmt = ev.value(args[0], depth)
            return self._message_format(node, fmt, args[1:]) if fmt is not None and not fmt.dynamic else None
        if name == "concat" and obj is not None and len(args) == 1:
            lv, rv = ev.value(obj, depth), ev.value(args[0], depth)
            if lv is None and rv is None:
                return None
            lv = lv or StringValue.opaque(obj, text(obj))
            rv = rv or StringValue.opaque(args[0], text(args[0]), self.numeric_expression(args[0]))
            return StringValue.join(node, [lv, rv], ".concat()")
        if name == "join" and o in ("String", "java.lang.String") and len(args) == 2 and args[1].type == "identifier":
            v = self._collection_join(node, args[1], args[0], ev, depth)
            if v is not None:
                return v
        if name == "join" and o in ("StringUtils", "org.apache.commons.lang3.StringUtils") and len(args) == 2:
            v = self._collection_join(node, args[0], args[1], ev, depth)
            if v is not None:
                return v
        if name == "join" and o in ("String", "java.lang.String") and len(args) >= 2:
            sep = ev.value(args[0], depth)
            if sep is None or sep.dynamic:
                return StringValue.opaque(node, text(node))
            if len(args) == 2:
                v = ev.value(args[1], depth)
                return v if v is not None and args[1].type == "string_literal" else StringValue.opaque(node, text(node))
            parts = []
            for i, a in enumerate(args[1:]):
                if i:
                    parts.append(StringValue(node, sep.template, [], "literal"))
                parts.append(ev.value(a, depth) or StringValue.opaque(a, text(a), self.numeric_expression(a)))
            return StringValue.join(node, parts, "String.join()")
        if name == "valueOf" and o in ("String", "java.lang.String") and len(args) == 1:
            v = ev.value(args[0], depth)
            return v if v is not None else StringValue.opaque(args[0], text(args[0]), self.numeric_expression(args[0]))
        if name in _STRING_METHODS_SAME and obj is not None and not args:
            return ev.value(obj, depth)
        if name in ("replace", "replaceAll", "replaceFirst") and obj is not None and len(args) == 2:
            base = ev.value(obj, depth)
            if base is None:
                return None
            target = ev.value(args[0], depth)
            if target is None or target.dynamic or not target.template:
                return base
            tgt = target.template
            if name != "replace":
                if re.search(r"[\\^$.|?*+()\[\]{}]", tgt):
                    return base  # a regular expression (whitespace normalising and the like)
            if tgt not in base.template:
                return base
            repl = ev.value(args[1], depth) or StringValue.opaque(args[1], text(args[1]),
                                                                   self.numeric_expression(args[1]))
            pieces = base.template.split(tgt) if name != "replaceFirst" else base.template.split(tgt, 1)
            parts = []
            for i, piece in enumerate(pieces):
                if i:
                    parts.append(repl)
                parts.append(_piece(node, piece, base.holes))
            return StringValue.join(node, parts, ".replace()")
        return None

    def _format(self, node: ts.Node, fmt: StringValue, values: list[ts.Node], how: str) -> StringValue:
        parts: list[StringValue] = []
        tmpl = fmt.template
        pos, auto, last = 0, 0, -1
        def literal(s: str) -> StringValue:
            # a format built by concatenation keeps its own holes
            return _piece(node, s, fmt.holes)

        for m in _FORMAT_SPEC.finditer(tmpl):
            parts.append(literal(tmpl[pos:m.start()]))
            pos = m.end()
            conv = m.group(5)
            if conv == "%":
                parts.append(StringValue(node, "%", [], "literal"))
                continue
            if conv == "n":
                parts.append(StringValue(node, "\n", [], "literal"))
                continue
            idx_spec = m.group(1)
            if idx_spec == "<":
                idx = last
            elif idx_spec:
                idx = int(idx_spec[:-1]) - 1
            else:
                idx = auto
                auto += 1
            last = idx
            numeric = conv[-1] in _NUMERIC_CONVERSIONS or conv[0] in "tT"
            val = values[idx] if 0 <= idx < len(values) else None
            if val is None:
                h = StringValue.opaque(node, m.group(0), numeric)
                h.holes[0].node = None
                parts.append(h)
                continue
            v = None if numeric else self._string_arg(val, conv)
            parts.append(v if v is not None else StringValue.opaque(val, text(val), numeric))
        parts.append(literal(tmpl[pos:]))
        return StringValue.join(node, parts, how)

    def _string_arg(self, val: ts.Node, conv: str) -> StringValue | None:
        """A literal argument of %s is inlined (so constant pieces stay visible)."""
        if conv in ("s", "S") and val.type == "string_literal" and not any(
                c.type == "string_interpolation" for c in val.children):
            return StringValue(val, "".join(unescape(text(c)) for c in val.children
                                            if c.type in ("string_fragment", "multiline_string_fragment",
                                                          "escape_sequence")), [], "literal")
        return None

    def _message_format(self, node: ts.Node, fmt: StringValue, values: list[ts.Node]) -> StringValue:
        """MessageFormat: {0}, {1,number}; '' is a quote, '...' quotes text."""
        tmpl = fmt.template
        parts: list[StringValue] = []
        buf = []
        i, n = 0, len(tmpl)
        while i < n:
            ch = tmpl[i]
            if ch == "'":
                if i + 1 < n and tmpl[i + 1] == "'":
                    buf.append("'")
                    i += 2
                    continue
                j = tmpl.find("'", i + 1)
                j = n if j < 0 else j
                buf.append(tmpl[i + 1:j])
                i = j + 1
                continue
            if ch == "{":
                j = tmpl.find("}", i)
                m = re.fullmatch(r"\s*(\d+)\s*(?:,\s*(\w+)[^}]*)?", tmpl[i + 1:j]) if j > 0 else None
                if m:
                    parts.append(StringValue(node, "".join(buf), [], "literal"))
                    buf = []
                    idx = int(m.group(1))
                    numeric = (m.group(2) or "") in ("number", "date", "time", "choice")
                    val = values[idx] if idx < len(values) else None
                    if val is None:
                        h = StringValue.opaque(node, m.group(0), numeric)
                        h.holes[0].node = None
                        parts.append(h)
                    else:
                        parts.append(StringValue.opaque(val, text(val), numeric))
                    i = j + 1
                    continue
            buf.append(ch)
            i += 1
        parts.append(StringValue(node, "".join(buf), [], "literal"))
        return StringValue.join(node, parts, "MessageFormat.format()")

    # -- expression classes ------------------------------------------------------------------
    def numeric_expression(self, node: ts.Node, _d: int = 0) -> bool:
        if node is None or _d > 40:
            return False
        t = node.type
        if t in _LITERALS:
            return True
        if t in ("unary_expression", "update_expression", "instanceof_expression", "class_literal"):
            return True
        if t == "parenthesized_expression" and node.named_child_count == 1:
            return self.numeric_expression(node.named_children[0], _d + 1)
        if t == "cast_expression":
            return self._type_is_safe(node.child_by_field_name("type"))
        if t == "binary_expression":
            op = text(node.child_by_field_name("operator"))
            if op != "+":
                return True  # arithmetic, comparison, logic: numbers and booleans
            return self.numeric_expression(node.child_by_field_name("left"), _d + 1) and \
                self.numeric_expression(node.child_by_field_name("right"), _d + 1)
        if t == "ternary_expression":
            c, a = node.child_by_field_name("consequence"), node.child_by_field_name("alternative")
            return c is not None and a is not None and self.numeric_expression(c, _d + 1) and self.numeric_expression(a, _d + 1)
        if t == "identifier":
            d = self._declaration(node)
            return d is not None and self._type_is_safe(d[2])
        if t == "field_access":
            f = text(node.child_by_field_name("field"))
            if f == "length":
                return True
            obj = node.child_by_field_name("object")
            if obj is not None and obj.type == "this":
                d = self._field_declaration(node, f)
                return d is not None and d.parent is not None and self._type_is_safe(d.parent.child_by_field_name("type"))
            return False
        if t == "method_invocation":
            name = text(node.child_by_field_name("name"))
            obj = node.child_by_field_name("object")
            o = squash(text(obj)) if obj is not None else ""
            callee = f"{o}.{name}" if o else name
            if callee in self._numeric_functions or o in self._numeric_classes:
                return True
            if name in self._numeric_methods and obj is not None:
                return True
            if name == "valueOf" and o in ("String", "java.lang.String"):
                args = self._args(node)
                return len(args) == 1 and self.numeric_expression(args[0], _d + 1)
            return self._number_list(node, name, o)
        if t == "object_creation_expression":
            return self._type_is_safe(node.child_by_field_name("type"))
        return False

    _TO_STRING_REFS = frozenset({"String::valueOf", "Object::toString", "Long::toString", "Integer::toString",
                                 "UUID::toString", "BigDecimal::toPlainString", "BigDecimal::toString"})
    _JOINERS = frozenset({"StringUtils.join", "StringUtils.collectionToCommaDelimitedString",
                          "StringUtils.collectionToDelimitedString", "StringUtils.arrayToCommaDelimitedString",
                          "StringUtils.arrayToDelimitedString", "Arrays.toString"})

    def _number_list(self, node: ts.Node, name: str, o: str) -> bool:
        """ids joined into text, where ids is declared as numbers: ids.stream().map(String::valueOf)
        .collect(Collectors.joining(",")), StringUtils.join(ids, ","), Joiner.on(",").join(ids)."""
        args = self._args(node)
        if name == "collect" and len(args) == 1 and args[0].type == "method_invocation" \
                and text(args[0].child_by_field_name("name")) == "joining":
            cur = node.child_by_field_name("object")
            for _ in range(20):
                if cur is None:
                    return False
                if cur.type == "identifier":
                    return self._numbers_declared(cur)
                if cur.type != "method_invocation":
                    return False
                m = text(cur.child_by_field_name("name"))
                a = self._args(cur)
                if m in ("map", "mapToObj"):
                    if len(a) != 1 or not (a[0].type == "method_reference" and squash(text(a[0])) in self._TO_STRING_REFS):
                        return False
                elif m == "stream" and text(cur.child_by_field_name("object")) in ("Arrays", "Stream") and len(a) == 1:
                    cur = a[0]
                    continue
                elif m not in ("stream", "distinct", "sorted", "filter", "boxed", "limit", "skip", "parallelStream"):
                    return False
                cur = cur.child_by_field_name("object")
            return False
        callee = f"{o}.{name}" if o else name
        if callee in self._JOINERS or (name == "join" and o.startswith("Joiner.on(")):
            return bool(args) and args[0].type == "identifier" and self._numbers_declared(args[0])
        return False

    def _numbers_declared(self, ident: ts.Node) -> bool:
        d = self._declaration(ident)
        ty = d[2] if d is not None else None
        if ty is None:
            return False
        if ty.type == "array_type":
            return self._type_is_safe(ty.child_by_field_name("element"))
        if ty.type == "generic_type":
            targs = next((c for c in ty.named_children if c.type == "type_arguments"), None)
            inner = targs.named_children if targs is not None else []
            return len(inner) == 1 and self._type_is_safe(inner[0])
        return False

    def constant_expression(self, node: ts.Node, _d: int = 0) -> bool:
        if node is None or _d > 40:
            return False
        t = node.type
        if t in _LITERALS or t in ("character_literal", "class_literal"):
            return True
        if t == "string_literal":
            return not any(c.type == "string_interpolation" for c in node.children)
        if t == "parenthesized_expression" and node.named_child_count == 1:
            return self.constant_expression(node.named_children[0], _d + 1)
        if t == "identifier":
            d = self._declaration(node)
            if d is not None and d[0] != "field":
                return False  # a local or parameter: followed through its assignments instead
            if d is not None and self._config_field(d):
                return True
            return bool(_UPPER.fullmatch(text(node)))
        if t == "field_access":
            f = text(node.child_by_field_name("field"))
            obj = node.child_by_field_name("object")
            if obj is not None and obj.type == "this":
                d = self._field_declaration(node, f)
                if d is not None and d.parent is not None and self._config_field(("field", d, None, self._mods(d.parent))):
                    return True
            return bool(_UPPER.fullmatch(f))
        if t == "ternary_expression":
            c, a = node.child_by_field_name("consequence"), node.child_by_field_name("alternative")
            return c is not None and a is not None and self.constant_expression(c, _d + 1) and self.constant_expression(a, _d + 1)
        if t == "binary_expression" and text(node.child_by_field_name("operator")) == "+":
            return self.constant_expression(node.child_by_field_name("left"), _d + 1) and \
                self.constant_expression(node.child_by_field_name("right"), _d + 1)
        if t == "switch_expression":
            body = node.child_by_field_name("body")
            rules = [c for c in body.named_children] if body is not None else []
            values = []
            for r in rules:
                if r.type != "switch_rule":
                    return False
                last = r.named_children[-1] if r.named_children else None
                if last is None or last.type == "throw_statement":
                    continue
                if last.type != "expression_statement" or not last.named_children:
                    return False
                values.append(last.named_children[0])
            return bool(values) and all(self.constant_expression(v, _d + 1) for v in values)
        if t == "method_invocation":
            name = text(node.child_by_field_name("name"))
            obj = node.child_by_field_name("object")
            o = squash(text(obj)) if obj is not None else ""
            if f"{o}.{name}" in self._quoting or name in ("encodeForSQL", "quoteIdentifier", "enquoteIdentifier",
                                                           "enquoteLiteral"):
                return True
            # a lookup in a constant map: SORT_COLUMNS.getOrDefault(key, "name")
            if name in ("get", "getOrDefault") and obj is not None and obj.type in ("identifier", "field_access") \
                    and self.constant_expression(obj, _d + 1):
                args = self._args(node)
                return all(self.constant_expression(a, _d + 1) for a in args[1:])
            # this.getTableName(): a structural name defined by the class
            if (obj is None or obj.type == "this") and not self._args(node) and self._safe_name_calls.match(name):
                return True
            # Status.ACTIVE.name(), SortDir.ASC.toString()
            if name in ("name", "toString") and obj is not None and obj.type == "field_access":
                return self.constant_expression(obj, _d + 1)
        return False

    def _config_field(self, decl) -> bool:
        """A `final` field (a constant, or set once from configuration when the bean is built) or
        an injected `@Value` field: not request data."""
        if decl[0] != "field":
            return False
        if "final" in (decl[3] or "").split():
            return True
        fd = decl[1].parent
        return fd is not None and fd.type == "field_declaration" and any(
            a.startswith("Value(") for a in self._annotations(fd))

    def placeholder_expression(self, node: ts.Node, ev: Evaluator) -> bool:
        """String.join(",", Collections.nCopies(n, "?")), ids.stream().map(x -> "?")
        .collect(Collectors.joining(",")), "?,".repeat(n), StringUtils.repeat("?", ",", n)."""
        if node.type != "method_invocation":
            return False
        name = text(node.child_by_field_name("name"))
        obj = node.child_by_field_name("object")
        args = self._args(node)
        if name == "join":
            # String.join(sep, X) / Joiner.on(sep).join(X)
            coll = args[-1] if args else None
            return coll is not None and self._placeholder_source(coll) and all(
                self._separator(a) for a in args[:-1])
        if name == "collect" and len(args) == 1:
            j = args[0]
            if j.type != "method_invocation" or text(j.child_by_field_name("name")) != "joining":
                return False
            return all(self._separator(a) for a in self._args(j)) and obj is not None and self._placeholder_source(obj)
        if name == "repeat":
            if obj is not None and obj.type == "string_literal":
                return bool(_PLACEHOLDER.fullmatch(self._lit(obj)))
            if args and args[0].type == "string_literal":
                return bool(_PLACEHOLDER.fullmatch(self._lit(args[0]))) and all(
                    self._separator(a) or self.numeric_expression(a) for a in args[1:])
        return False

    @staticmethod
    def _lit(node: ts.Node) -> str:
        return "".join(unescape(text(c)) for c in node.children
                       if c.type in ("string_fragment", "escape_sequence", "multiline_string_fragment"))

    def _separator(self, node: ts.Node) -> bool:
        return node.type == "string_literal" and bool(_SEPARATOR.fullmatch(self._lit(node))) or \
            node.type == "character_literal" and text(node) in ("','", "' '")

    def _placeholder_source(self, node: ts.Node) -> bool:
        """A collection or stream whose every element is a bind placeholder."""
        for _ in range(50):
            if node.type != "method_invocation":
                return False
            name = text(node.child_by_field_name("name"))
            args = self._args(node)
            obj = node.child_by_field_name("object")
            if name == "nCopies":
                return len(args) == 2 and args[1].type == "string_literal" and bool(
                    _PLACEHOLDER.fullmatch(self._lit(args[1])))
            if name in ("map", "mapToObj") and len(args) == 1:
                return self._placeholder_lambda(args[0])
            if name == "generate" and len(args) == 1:
                return self._placeholder_lambda(args[0])
            if name in ("stream", "limit", "boxed", "sequential", "parallel", "distinct", "filter", "sorted") and obj is not None:
                node = obj
                continue
            return False
        return False

    def _placeholder_lambda(self, lam: ts.Node) -> bool:
        if lam.type != "lambda_expression":
            return False
        body = lam.child_by_field_name("body")
        if body is not None and body.type == "block":
            rets = [c for c in body.named_children if c.type == "return_statement"]
            if len(rets) != 1 or len(body.named_children) != 1 or not rets[0].named_children:
                return False
            body = rets[0].named_children[0]
        if body is None:
            return False
        if body.type == "string_literal":
            return bool(_PLACEHOLDER.fullmatch(self._lit(body)))
        # i -> "$" + (i + 1), i -> ":p" + i
        params = set(self._lambda_params(lam))
        if body.type == "binary_expression" and text(body.child_by_field_name("operator")) == "+":
            left, right = body.child_by_field_name("left"), body.child_by_field_name("right")
            if left is not None and left.type == "string_literal" and re.fullmatch(r"[$:@?]\w*", self._lit(left)):
                idents = [right] if right.type == "identifier" else []
                if right.type in ("parenthesized_expression", "binary_expression"):
                    return self.numeric_expression(right) or all(
                        c.type in ("identifier", "decimal_integer_literal", "binary_expression")
                        and (c.type != "identifier" or text(c) in params)
                        for c in _descendants(right) if c.is_named and c.type not in ("binary_expression", "parenthesized_expression"))
                return bool(idents) and text(right) in params
        return False


def _piece(node: ts.Node, s: str, holes: list[Hole]) -> StringValue:
    """A slice of a template: its markers renumbered from 0, with the holes they stand for."""
    ids = [int(m.group(1)) for m in HOLE_RE.finditer(s)]
    if not ids:
        return StringValue(node, s, [], "literal")
    remap = {i: k for k, i in enumerate(ids)}
    return StringValue(node, HOLE_RE.sub(lambda m: hole_marker(remap[int(m.group(1))]), s),
                       [holes[i] for i in ids], "expression")


def _descendants(node: ts.Node, limit: int = 200):
    stack, n = [node], 0
    while stack and n < limit:
        cur = stack.pop()
        n += 1
        yield cur
        stack.extend(cur.named_children)
