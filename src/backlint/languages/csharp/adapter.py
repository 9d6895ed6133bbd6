"""C#: methods, lambdas, calls (incl. `new X(...)`), loops, assignments and string building
(`+`, `$"..."`, `@"..."`, raw strings, string.Format / Concat / Join, StringBuilder), plus the
ADO.NET property sink `cmd.CommandText = sql` and EF Core's FormattableString APIs."""

from __future__ import annotations

import re
from pathlib import Path

import tree_sitter as ts
import tree_sitter_c_sharp

from ..base import (HOLE_RE, Assignment, Call, Evaluator, Facts, Function, Hole, LanguageAdapter, Loop, StringValue, hole_marker,
                    squash, text)

_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "\\": "\\", "'": "'", '"': '"',
                   "a": "\a", "b": "\b", "f": "\f", "v": "\v", "e": "\x1b"}
_ESCAPE_RE = re.compile(r"\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|x[0-9a-fA-F]{1,4}|.)", re.S)
# composite format item: {index[,alignment][:format]} and the {{ }} escapes
_FORMAT_ITEM = re.compile(r"\{\{|\}\}|\{\s*(\d+)\s*(?:,\s*-?\d+\s*)?(?::([^{}]*))?\}")
# format strings that only numbers honour: standard numeric (D, N2, X8...) and custom (0.00, #,##0)
_NUMERIC_FORMAT = re.compile(r"[DdNnFfXxEeCcPpGgRrBb]\d{0,2}|[0#.,%‰]+")
_UPPER_CONST = re.compile(r"_?[A-Z][A-Z0-9_]*")
_LITERAL_TYPES = frozenset({"string_literal", "verbatim_string_literal", "raw_string_literal", "character_literal"})
_NUMBER_LITERALS = frozenset({"integer_literal", "real_literal", "boolean_literal", "null_literal"})
_MEMBER_FUNCTIONS = frozenset({"method_declaration", "constructor_declaration", "destructor_declaration",
                               "operator_declaration", "conversion_operator_declaration", "accessor_declaration"})
_NESTED_FUNCTIONS = frozenset({"local_function_statement", "lambda_expression", "anonymous_method_expression"})
_TYPE_DECLS = frozenset({"class_declaration", "struct_declaration", "record_declaration",
                         "record_struct_declaration", "interface_declaration"})
_BUILDER_METHODS = frozenset({"Append", "AppendLine", "AppendFormat", "AppendJoin", "Insert", "Clear"})
_PASS_THROUGH = frozenset({"Trim", "TrimEnd", "TrimStart", "ToUpper", "ToLower", "ToUpperInvariant",
                           "ToLowerInvariant", "Normalize", "Substring", "Remove", "ToString"})
# SQL set through a property: `cmd.CommandText = sql;`, `new SqlCommand { CommandText = sql }`
_PROPERTY_SINKS = """
((assignment_expression left: (member_access_expression name: (identifier) @_name)) @sqlprop
 (#eq? @_name "CommandText"))
((initializer_expression (assignment_expression left: (identifier) @_name) @sqlprop)
 (#eq? @_name "CommandText"))
"""
# assignments in a constructor: `_table = ...;`, `this._table = ...;`, `(_a, _b) = (a, b);`
_CTOR_ASSIGNMENTS = """
(assignment_expression left: (identifier) @field right: (_) @value)
(assignment_expression left: (member_access_expression expression: "this" name: (identifier) @field) right: (_) @value)
(assignment_expression left: (tuple_expression) @tuple)
"""
_DECLARATIONS_QUERY = """
(variable_declaration type: (_) @type (variable_declarator name: (identifier) @name) @decl)
(parameter type: (_) @type name: (identifier) @name)
(foreach_statement type: (_) @type left: (identifier) @name)
(declaration_expression type: (_) @type name: (identifier) @name)
(declaration_pattern type: (_) @type name: (identifier) @name)
"""


def unescape(s: str) -> str:
    if "\\" not in s:
        return s

    def rep(m: re.Match) -> str:
        e = m.group(1)
        if e[0] in "uUx" and len(e) > 1:
            try:
                return chr(int(e[1:], 16))
            except ValueError:
                return e
        return _SIMPLE_ESCAPES.get(e, e)

    return _ESCAPE_RE.sub(rep, s)


def _strip_generics(s: str) -> str:
    """`conn.Query<User>` -> `conn.Query`, `Set<Order>().FromSqlRaw` -> `Set().FromSqlRaw`."""
    prev = None
    while prev != s:
        prev, s = s, re.sub(r"<[^<>()]*>", "", s)
    return s


def _unwrap(node: ts.Node | None) -> ts.Node | None:
    while node is not None and node.type in ("parenthesized_expression", "checked_expression") and node.named_child_count == 1:
        node = node.named_children[0]
    return node


class Adapter(LanguageAdapter):
    name = "csharp"
    directory = Path(__file__).parent
    statement_containers = frozenset({"compilation_unit", "block", "declaration_list", "switch_section"})
    function_types = _MEMBER_FUNCTIONS | _NESTED_FUNCTIONS
    comment_types = frozenset({"comment"})

    def __init__(self) -> None:
        super().__init__()
        self._decl_query = ts.Query(self.ts_language, _DECLARATIONS_QUERY)
        self._prop_query = ts.Query(self.ts_language, _PROPERTY_SINKS)
        self._ctor_query = ts.Query(self.ts_language, _CTOR_ASSIGNMENTS)
        self._numeric_fn = [re.compile(p) for p in self.knowledge.get("numeric_functions", ())]
        self._quoting_fn = [re.compile(p) for p in self.knowledge.get("quoting_functions", ())]
        self._numeric_types = frozenset(self.knowledge.get("numeric_types", ()))
        self._numeric_members = frozenset(self.knowledge.get("numeric_members", ()))
        self._sql_props = {p["property"]: p for p in self.knowledge.get("sql_properties", ())}
        self._const_cache: tuple[ts.Node, dict] | None = None

    def _load_language(self) -> ts.Language:
        return ts.Language(tree_sitter_c_sharp.language())

    # -- facts -------------------------------------------------------------------------------
    def facts(self, tree: ts.Tree) -> Facts:
        self._root_memo: dict[int, ts.Node] = {}  # string_root climbs, shared by one file's literals
        try:
            facts = super().facts(tree)
        finally:
            self._root_memo = {}
        # property sinks (`cmd.CommandText = sql`), captured by the extra @sqlprop pattern
        cursor = ts.QueryCursor(self._prop_query)
        props = []
        pseudo = []
        for n in cursor.captures(tree.root_node).get("sqlprop", []):
            op = text(n.child_by_field_name("operator"))
            left = n.child_by_field_name("left")
            if left.type == "member_access_expression" and op in ("=", "+="):
                # `cmd.CommandText` is followed like a local variable (`=` then `+=` appends)
                pseudo.append(Assignment(self._property_name(left), n.child_by_field_name("right"), op, n,
                                         self._function_of(n, facts)))
                props.append(n)
            elif op == "=":
                props.append(n)
        props.sort(key=lambda n: n.start_byte)
        facts.sql_properties = props  # type: ignore[attr-defined]
        if pseudo:
            facts.assignments.extend(pseudo)
            facts.index()
        self._share_closure_assignments(facts)
        self._index_builders(facts)
        self._retarget_appended(facts)
        return facts

    def _retarget_appended(self, facts: Facts) -> None:
        """`var sql = "DELETE FROM t"; if (id != null) sql += " WHERE id = @id"; db.Execute(sql);`
        The first literal is not the query: the variable at its use after the appends is. Move such
        roots to that use (a call argument or `CommandText = sql`), or drop them when unused."""
        by_value = {a.value.id: a for a in facts.assignments if a.value is not None and a.op == "="}
        if not by_value:
            return
        uses: dict[tuple[int, str], list[ts.Node]] = {}
        for c in facts.calls:
            fid = c.function.node.id if c.function else 0
            for a in list(c.args) + list(c.kwargs.values()):
                if a.type == "identifier":
                    uses.setdefault((fid, text(a)), []).append(a)
        for n in getattr(facts, "sql_properties", ()):
            right = n.child_by_field_name("right")
            if right is not None and right.type == "identifier":
                fn = self._function_of(right, facts)
                uses.setdefault((fn.node.id if fn else 0, text(right)), []).append(right)
        drop: set[int] = set()
        add: list[ts.Node] = []
        for root in facts.strings:
            a = by_value.get(root.id)
            if a is None:
                continue
            key = (a.function.node.id if a.function else 0, a.name)
            later = [b for b in facts._assign_index.get(key, []) if b.start_byte > a.start_byte]
            appends = []
            for b in later:
                # `sql += ...`, `sql = sql + ...`, `sql = AddFilters(sql, f)`: the same text, extended
                if b.value is not None and (b.op == "+=" or re.search(rf"(?<![\w.]){re.escape(a.name)}\b", text(b.value))):
                    appends.append(b)
                else:
                    break
            if not appends:
                continue
            drop.add(root.id)
            drop.update(b.value.id for b in appends)
            last = appends[-1]
            nxt = later[len(appends)] if len(later) > len(appends) else None
            use = next((u for u in sorted(uses.get(key, ()), key=lambda u: u.start_byte)
                        if u.start_byte >= last.node.end_byte and (nxt is None or u.start_byte < nxt.start_byte)), None)
            if use is not None:
                add.append(use)
            elif last.op == "+=" and last.node.type == "assignment_expression":
                add.append(last.node)  # `sql += "..."` evaluates to the whole text
            elif last.op == "=" and last.value.type == "binary_expression":
                add.append(last.value)  # sql = sql + "...": the last value is the whole text
        if not drop:
            return
        out = [n for n in facts.strings if n.id not in drop]
        have = {n.id for n in out}
        for n in add:
            if n.id not in have:
                have.add(n.id)
                out.append(n)
        out.sort(key=lambda n: n.start_byte)
        facts.strings = out

    def _share_closure_assignments(self, facts: Facts) -> None:
        """A lambda or local function sees the locals its enclosing function assigned before it."""
        fn_by_id = {f.node.id: f for f in facts.functions}
        idx = facts._assign_index
        by_fn: dict[int, list[str]] = {}
        for (fid, name) in list(idx):
            by_fn.setdefault(fid, []).append(name)
        for f in sorted(facts.functions, key=lambda f: f.node.start_byte):
            if f.node.type not in _NESTED_FUNCTIONS:
                continue
            p, outer = f.node.parent, None
            while p is not None:
                if p.id in fn_by_id:
                    outer = fn_by_id[p.id]
                    break
                p = p.parent
            if outer is None:
                continue
            params = set(f.params)
            for name in by_fn.get(outer.node.id, ()):
                if name in params:
                    continue
                visible = [a for a in idx[(outer.node.id, name)] if a.node.end_byte <= f.node.start_byte]
                if not visible:
                    continue
                key = (f.node.id, name)
                if key not in idx:
                    by_fn.setdefault(f.node.id, []).append(name)
                idx[key] = sorted(visible + [a for a in idx.get(key, ()) if a not in visible], key=lambda a: a.start_byte)

    def _index_builders(self, facts: Facts) -> None:
        """StringBuilder appends per (function, builder variable), and `sb.ToString()` as a string root."""
        builders: dict[tuple[int, str], list[Call]] = {}
        to_string: list[Call] = []
        for c in facts.calls:
            if c.method in _BUILDER_METHODS:
                root = self._builder_root(c.receiver_node)
                if root is not None:
                    # an append inside a lambda also extends the builder of the enclosing functions
                    for fid in self._function_chain(c.node, facts):
                        builders.setdefault((fid, text(root)), []).append(c)
            elif c.method == "ToString" and not c.args and c.receiver_node is not None and c.receiver_node.type == "identifier":
                to_string.append(c)
        for lst in builders.values():
            lst.sort(key=lambda c: self._call_args_start(c))
        facts.builders = builders  # type: ignore[attr-defined]
        # builders handed to other code (`AddFilters(sb, f)`) may get text we cannot see
        escapes: dict[tuple[int, str], list[ts.Node]] = {}
        names = {name for _, name in builders} | {text(c.receiver_node) for c in to_string}
        for c in facts.calls:
            for a in list(c.args) + list(c.kwargs.values()):
                if a.type == "identifier" and text(a) in names:
                    for fid in self._function_chain(a, facts):
                        escapes.setdefault((fid, text(a)), []).append(a)
        facts.builder_escapes = escapes  # type: ignore[attr-defined]
        # the last `sb.ToString()` of each StringBuilder holds the whole SQL text: make it the root
        last: dict[int, Call] = {}
        for c in to_string:
            assign = self._builder_assignment(c.receiver_node, facts)
            if assign is not None:
                prev = last.get(assign.node.id)
                if prev is None or prev.node.start_byte < c.node.start_byte:
                    last[assign.node.id] = c
        if not last:
            return
        drop: set[int] = set()
        for assign_id, c in last.items():
            name = text(c.receiver_node)
            key = (c.function.node.id if c.function else 0, name)
            pieces = [a for call in builders.get(key, ()) for a in call.args]
            assign = self._builder_assignment(c.receiver_node, facts)
            if assign is not None and assign.value is not None:
                args = assign.value.child_by_field_name("arguments")
                if args is not None:
                    pieces.extend(args.named_children)
            for piece in pieces:
                drop.add(piece.id)
                inner = piece.named_children[-1] if piece.type == "argument" and piece.named_children else None
                if inner is not None:
                    drop.add(inner.id)
        strings = [s for s in facts.strings if s.id not in drop]
        strings.extend(c.node for c in last.values())
        strings.sort(key=lambda n: n.start_byte)
        facts.strings = strings

    def _function_chain(self, node: ts.Node, facts: Facts) -> list[int]:
        """Ids of the functions enclosing node, innermost first (0 = file level)."""
        self._function_of(node, facts)
        ids = facts._fn_by_id  # type: ignore[attr-defined]
        out = []
        p = node.parent
        while p is not None:
            if p.id in ids:
                out.append(p.id)
            p = p.parent
        return out or [0]

    @staticmethod
    def _call_args_start(c: Call) -> int:
        al = c.node.child_by_field_name("arguments")
        return al.start_byte if al is not None else c.node.end_byte

    def _builder_root(self, recv: ts.Node | None) -> ts.Node | None:
        """The builder variable at the bottom of `sb.Append(a).Append(b)`."""
        steps = 0
        while recv is not None and recv.type == "invocation_expression" and steps < 200:
            fn = recv.child_by_field_name("function")
            if fn is None or fn.type != "member_access_expression" or self._name_of(fn.child_by_field_name("name")) not in _BUILDER_METHODS:
                return None
            recv = fn.child_by_field_name("expression")
            steps += 1
        if recv is not None and recv.type == "identifier":
            return recv
        return None

    def _builder_assignment(self, ident: ts.Node, facts: Facts, ev: Evaluator | None = None):
        fn = ev.function_of(ident) if ev is not None else self._function_of(ident, facts)
        assigns = facts.assignments_before(text(ident), fn, ident.start_byte)
        for a in reversed(assigns):
            if a.op != "=":
                continue
            v = _unwrap(a.value)
            if v is not None and v.type == "object_creation_expression" and \
                    self._name_of(v.child_by_field_name("type")) == "StringBuilder":
                return a
            return None
        return None

    def _is_parameter(self, ident: ts.Node) -> bool:
        name = text(ident)
        p = ident.parent
        while p is not None:
            if p.type in _MEMBER_FUNCTIONS or p.type in _NESTED_FUNCTIONS:
                if name in self._params(p.child_by_field_name("parameters")):
                    return True
            elif p.type in _TYPE_DECLS:
                return False
            p = p.parent
        return False

    @staticmethod
    def _function_of(node: ts.Node, facts: Facts) -> Function | None:
        ids = getattr(facts, "_fn_by_id", None)
        if ids is None:
            ids = {f.node.id: f for f in facts.functions}
            facts._fn_by_id = ids  # type: ignore[attr-defined]
        p = node.parent
        while p is not None:
            if p.id in ids:
                return ids[p.id]
            p = p.parent
        return None

    # -- sinks -------------------------------------------------------------------------------
    def sql_sink(self, call: Call):
        """base.sql_sink plus `arg_match: {index: regex}` conditions on other arguments."""
        for s in self._sinks_by_method.get(call.method, ()):
            if s.get("new") is not None and bool(s["new"]) != call.is_new:
                continue
            rx = s.get("receiver")
            if rx and not re.search(rx, call.receiver or ""):
                continue
            crx = s.get("callee")
            if crx and not re.search(crx, call.callee):
                continue
            if s.get("bare") and call.receiver:
                continue
            cond = s.get("arg_match") or {}
            if any(int(i) >= len(call.args) or not re.search(r, squash(text(call.args[int(i)]))) for i, r in cond.items()):
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

    def sql_sink_args(self, facts: Facts):
        for call in facts.calls:
            hit = self.sql_sink(call)
            if hit is None:
                continue
            entry, arg = hit
            arg = self._arg_expr(arg)
            if entry.get("interpolation_safe") and self._formattable(arg):
                continue  # EF Core turns the interpolation holes into DbParameters
            name = call.callee if len(call.callee) <= 60 else call.method
            yield call.node, ("new " + name) if call.is_new else name, entry, arg
        props = list(getattr(facts, "sql_properties", ()))
        for i, node in enumerate(props):
            left = node.child_by_field_name("left")
            member = left.type == "member_access_expression"
            prop = self._name_of(left.child_by_field_name("name") if member else left)
            entry = self._sql_props.get(prop)
            if entry is None:
                continue
            if member:
                # report a chain `cmd.CommandText = ...; cmd.CommandText += ...` once, at its end
                name, fn = self._property_name(left), self._function_of(node, facts)
                nxt = next((q for q in props[i + 1:] if q.child_by_field_name("left").type == "member_access_expression"
                            and self._property_name(q.child_by_field_name("left")) == name
                            and self._function_of(q, facts) is fn), None)
                if nxt is not None and text(nxt.child_by_field_name("operator")) == "+=":
                    continue
            op = text(node.child_by_field_name("operator"))
            arg = node if op == "+=" else node.child_by_field_name("right")
            yield node, squash(text(left)) if len(text(left)) <= 60 else prop, entry, arg

    def _property_name(self, node: ts.Node) -> str:
        return squash(text(node))

    def is_local_name(self, node: ts.Node) -> str | None:
        if node is None:
            return None
        if node.type == "identifier":
            return text(node)
        if node.type == "member_access_expression" and self._name_of(node.child_by_field_name("name")) in self._sql_props:
            return self._property_name(node)
        return None

    def _arg_expr(self, arg: ts.Node | None) -> ts.Node | None:
        if arg is not None and arg.type == "argument":
            return arg.named_children[-1] if arg.named_children else None
        return arg

    def _formattable(self, arg: ts.Node | None) -> bool:
        """An interpolated string given straight to a FormattableString parameter, or a variable
        declared `FormattableString`."""
        arg = _unwrap(arg)
        if arg is None:
            return False
        if arg.type == "interpolated_string_expression":
            return True
        if arg.type == "identifier":
            types = self._declared_types(arg)
            return bool(types) and all(self._name_of(t) == "FormattableString" for t, _ in types)
        if arg.type == "invocation_expression":
            callee = _strip_generics(squash(text(arg.child_by_field_name("function"))))
            return callee.endswith("FormattableStringFactory.Create")
        return False

    # -- functions ---------------------------------------------------------------------------
    def function_info(self, node: ts.Node) -> Function:
        t = node.type
        params = self._params(node.child_by_field_name("parameters"))
        body = node.child_by_field_name("body")
        if t in ("lambda_expression", "anonymous_method_expression"):
            if body is None:
                body = next((c for c in node.named_children if c.type == "block"), None)
            return Function(node, "<lambda>", params, body=body, kind="lambda")
        if t == "accessor_declaration":
            prop = node.parent.parent if node.parent is not None else None
            pname = text(prop.child_by_field_name("name")) if prop is not None else ""
            name = f"{pname}.{text(node.child_by_field_name('name'))}" if pname else text(node.child_by_field_name("name"))
        elif t == "operator_declaration":
            name = "operator" + text(node.child_by_field_name("operator"))
        else:
            name = text(node.child_by_field_name("name"))
        fn = Function(node, name, params, self._attributes(node), body=body,
                      kind="function" if t == "local_function_statement" else "method")
        if t == "local_function_statement":
            return fn
        cls = self._enclosing_type(node)
        if cls is not None:
            fn.class_name = text(cls.child_by_field_name("name"))
            bases = next((c for c in cls.named_children if c.type == "base_list"), None)
            if bases is not None:
                fn.class_bases = [squash(text(b)) for b in bases.named_children if b.type != "argument_list"]
            fn.class_decorators = self._attributes(cls)
        return fn

    @staticmethod
    def _attributes(node: ts.Node) -> list[str]:
        out = []
        for al in node.children:
            if al.type == "attribute_list":
                out.extend(squash(text(a)) for a in al.named_children if a.type == "attribute")
        return out

    @staticmethod
    def _enclosing_type(node: ts.Node) -> ts.Node | None:
        p = node.parent
        while p is not None:
            if p.type in _TYPE_DECLS:
                return p
            if p.type in _MEMBER_FUNCTIONS or p.type in _NESTED_FUNCTIONS:
                return None
            p = p.parent
        return None

    @staticmethod
    def _params(params: ts.Node | None) -> list[str]:
        if params is None:
            return []
        if params.type in ("identifier", "implicit_parameter"):
            return [text(params)]
        out = []
        for p in params.named_children:
            if p.type == "parameter":
                n = p.child_by_field_name("name")
                if n is not None:
                    out.append(text(n))
        return out

    # -- calls -------------------------------------------------------------------------------
    @staticmethod
    def _name_of(node: ts.Node | None) -> str:
        """Last simple name of an identifier / generic_name / qualified_name / alias."""
        if node is None:
            return ""
        if node.type == "generic_name":
            node = next((c for c in node.named_children if c.type == "identifier"), node)
        elif node.type == "qualified_name":
            return Adapter._name_of(node.child_by_field_name("name"))
        elif node.type == "alias_qualified_name":
            return Adapter._name_of(node.named_children[-1])
        elif node.type == "nullable_type":
            return Adapter._name_of(node.named_children[0] if node.named_children else None)
        return text(node)

    def _arguments(self, al: ts.Node | None) -> tuple[list[ts.Node], dict[str, ts.Node]]:
        args: list[ts.Node] = []
        kwargs: dict[str, ts.Node] = {}
        if al is None:
            return args, kwargs
        for a in al.named_children:
            if a.type != "argument":
                continue
            name = a.child_by_field_name("name")
            value = next((c for c in reversed(a.named_children) if c != name), None)
            if value is None:
                continue
            if name is not None:
                kwargs[text(name)] = value
            else:
                args.append(value)
        return args, kwargs

    def call_info(self, node: ts.Node) -> Call | None:
        t = node.type
        if t == "object_creation_expression":
            typ = node.child_by_field_name("type")
            args, kwargs = self._arguments(node.child_by_field_name("arguments"))
            return Call(node, _strip_generics(squash(text(typ))), self._name_of(typ), None, args, kwargs, is_new=True)
        if t == "implicit_object_creation_expression":
            typ = self._target_type(node)
            al = next((c for c in node.named_children if c.type == "argument_list"), None)
            args, kwargs = self._arguments(al)
            name = self._name_of(typ)
            return Call(node, _strip_generics(squash(text(typ))) if typ is not None else "new", name, None, args, kwargs, is_new=True)
        fn = node.child_by_field_name("function")
        if fn is None:
            return None
        args, kwargs = self._arguments(node.child_by_field_name("arguments"))
        if fn.type == "member_access_expression":
            recv = fn.child_by_field_name("expression")
            method = self._name_of(fn.child_by_field_name("name"))
            receiver = squash(text(recv))
            return Call(node, f"{receiver}.{method}", method, receiver, args, kwargs, receiver_node=recv)
        if fn.type == "conditional_access_expression":
            recv = fn.child_by_field_name("condition")
            binding = next((c for c in fn.named_children if c.type == "member_binding_expression"), None)
            if binding is None:
                return None
            method = self._name_of(binding.child_by_field_name("name"))
            receiver = squash(text(recv))
            return Call(node, f"{receiver}?.{method}", method, receiver, args, kwargs, receiver_node=recv)
        if fn.type in ("identifier", "generic_name"):
            method = self._name_of(fn)
            return Call(node, method, method, None, args, kwargs)
        callee = _strip_generics(squash(text(fn)))
        return Call(node, callee, callee.rsplit(".", 1)[-1], None, args, kwargs)

    @staticmethod
    def _target_type(node: ts.Node) -> ts.Node | None:
        """The declared type that `new(...)` creates: `SqlCommand cmd = new(sql, conn);`."""
        p = node.parent
        if p is not None and p.type == "variable_declarator":
            decl = p.parent
            if decl is not None and decl.type == "variable_declaration":
                typ = decl.child_by_field_name("type")
                if typ is not None and typ.type != "implicit_type":
                    return typ
        return None

    # -- assignments -------------------------------------------------------------------------
    def assignment_info(self, node: ts.Node):
        if node.type == "variable_declarator":
            name = node.child_by_field_name("name")
            if name is None or name.type != "identifier":
                return []
            value = None
            seen_eq = False
            for c in node.children:
                if seen_eq and c.is_named:
                    value = c
                    break
                if c.type == "=":
                    seen_eq = True
            return [(text(name), value, "=")]
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        if left is None or left.type != "identifier":
            return []
        if node.parent is not None and node.parent.type in ("initializer_expression", "anonymous_object_creation_expression",
                                                            "with_initializer"):
            return []  # `new X { Name = ... }` sets a member, not a local
        op = text(node.child_by_field_name("operator"))
        if op == "+=":
            return [(text(left), right, "+=")]
        if op != "=":
            return [(text(left), None, "=")]
        while right is not None and right.type == "assignment_expression":  # a = b = "..."
            right = right.child_by_field_name("right")
        return [(text(left), right, "=")]

    # -- loops -------------------------------------------------------------------------------
    def loop_info(self, node: ts.Node) -> Loop:
        t = node.type
        if t == "foreach_statement":
            left = node.child_by_field_name("left")
            names = [text(left)] if left is not None and left.type == "identifier" else \
                [text(c) for c in (left.named_children if left is not None else []) if c.type == "identifier"]
            return Loop(node, "for", node.child_by_field_name("right"), names, node.child_by_field_name("body"))
        if t == "for_statement":
            names = []
            init = node.child_by_field_name("initializer")
            if init is not None and init.type == "variable_declaration":
                names = [text(d.child_by_field_name("name")) for d in init.named_children if d.type == "variable_declarator"]
            return Loop(node, "for", None, names, node.child_by_field_name("body"))
        if t in ("while_statement", "do_statement"):
            return Loop(node, "while", node.child_by_field_name("condition"), [], node.child_by_field_name("body"))
        # loop-like call: items.ForEach(x => ...), Parallel.ForEach(items, x => ...), items.Select(x => ...)
        fn = node.child_by_field_name("function")
        recv = fn.child_by_field_name("expression") if fn is not None else None
        args, _ = self._arguments(node.child_by_field_name("arguments"))
        lam = next((a for a in args if a.type in ("lambda_expression", "anonymous_method_expression")), None)
        iterable = recv
        if recv is not None and text(recv) == "Parallel" and args:
            iterable = args[0]
        variables = self._params(lam.child_by_field_name("parameters")) if lam is not None else []
        body = lam.child_by_field_name("body") if lam is not None else None
        return Loop(node, "callback", iterable, variables, body)

    def _inside_loop_body(self, loop: Loop, node: ts.Node) -> bool:
        if loop.kind == "callback":
            if loop.body is None:
                return False
            return loop.body.start_byte <= node.start_byte and node.end_byte <= loop.body.end_byte
        return super()._inside_loop_body(loop, node)

    # -- strings -----------------------------------------------------------------------------
    def string_root(self, node: ts.Node) -> ts.Node:
        memo = getattr(self, "_root_memo", None)
        if memo is None:
            return self._climb(node, [])
        visited: list[ts.Node] = []
        root = self._climb(node, visited, memo)
        for v in visited:
            memo[v.id] = root
        return root

    def _climb(self, node: ts.Node, visited: list[ts.Node], memo: dict | None = None) -> ts.Node:
        """Node.parent costs O(depth): a `+` chain of n literals would cost O(n * depth) per
        literal, so climbs stop at a node an earlier literal of the same file already climbed."""
        cur = node
        while True:
            if memo is not None and cur.id in memo:
                return memo[cur.id]
            visited.append(cur)
            p = cur.parent
            if p is None:
                return cur
            if p.type == "parenthesized_expression":
                cur = p
            elif p.type == "binary_expression" and text(p.child_by_field_name("operator")) == "+":
                cur = p
            elif p.type == "argument" and p.parent is not None and p.parent.parent is not None \
                    and p.parent.parent.type == "invocation_expression" and self._climbs_from_argument(p, p.parent.parent):
                cur = p.parent.parent
            elif p.type == "member_access_expression" and p.child_by_field_name("expression") == cur \
                    and p.parent is not None and p.parent.type == "invocation_expression" \
                    and self._name_of(p.child_by_field_name("name")) in (_PASS_THROUGH | {"Replace"}):
                cur = p.parent
            else:
                return cur

    def _climbs_from_argument(self, arg: ts.Node, call: ts.Node) -> bool:
        callee = _strip_generics(squash(text(call.child_by_field_name("function"))))
        if callee in ("string.Format", "String.Format", "System.String.Format"):
            args = [a for a in arg.parent.named_children if a.type == "argument"]
            return bool(args) and (arg == args[0] or (len(args) > 1 and arg == args[1]))
        if callee in ("string.Concat", "String.Concat", "FormattableString.Invariant"):
            return True
        return False

    def _literal(self, node: ts.Node) -> StringValue:
        t = node.type
        if t == "string_literal":
            parts = []
            for c in node.children:
                if c.type == "string_literal_content":
                    parts.append(text(c))
                elif c.type == "escape_sequence":
                    parts.append(unescape(text(c)))
            return StringValue(node, "".join(parts), [], "literal")
        if t == "verbatim_string_literal":
            s = text(node)
            s = s[s.find('"') + 1:]
            end = s.rfind('"')
            return StringValue(node, (s[:end] if end >= 0 else s).replace('""', '"'), [], "literal")
        if t == "raw_string_literal":
            content = [text(c) for c in node.children if c.type == "raw_string_content"]
            if content:
                return StringValue(node, "".join(content), [], "literal")
            return StringValue(node, text(node).strip('"'), [], "literal")
        if t == "character_literal":
            return StringValue(node, unescape(text(node)[1:-1]), [], "literal")
        return StringValue(node, "", [], "literal")

    def _interpolated(self, node: ts.Node, ev: Evaluator, depth: int) -> StringValue:
        start = next((c for c in node.children if c.type == "interpolation_start"), None)
        prefix = text(start) if start is not None else "$"
        raw = any(c.type == "interpolation_quote" for c in node.children)
        verbatim = "@" in prefix
        parts: list[StringValue] = []
        for c in node.children:
            if c.type == "string_content":
                s = text(c)
                if not raw:
                    s = s.replace("{{", "{").replace("}}", "}")
                    if verbatim:
                        s = s.replace('""', '"')
                parts.append(StringValue(c, s, [], "literal"))
            elif c.type == "escape_sequence":
                parts.append(StringValue(c, unescape(text(c)), [], "literal"))
            elif c.type == "interpolation":
                expr = next((x for x in c.named_children if x.type not in (
                    "interpolation_brace", "interpolation_alignment_clause", "interpolation_format_clause")), None)
                fmt = next((x for x in c.named_children if x.type == "interpolation_format_clause"), None)
                numeric = fmt is not None and bool(_NUMERIC_FORMAT.fullmatch(text(fmt)[1:].strip()))
                if expr is None:
                    continue
                v = ev.value(expr, depth) if not numeric else None
                parts.append(v if v is not None else StringValue.opaque(expr, text(expr), numeric))
        v = StringValue.join(node, parts)
        if v.dynamic:
            v.how = "string interpolation"
        return v

    def string_value(self, node: ts.Node, ev: Evaluator, depth: int) -> StringValue | None:
        t = node.type
        if t in _LITERAL_TYPES:
            return self._literal(node)
        if t == "interpolated_string_expression":
            return self._interpolated(node, ev, depth)
        if t in ("parenthesized_expression", "checked_expression") and node.named_child_count == 1:
            return ev.value(node.named_children[0], depth)
        if t == "binary_expression":
            if text(node.child_by_field_name("operator")) != "+":
                return None
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            lv, rv = ev.value(left, depth), ev.value(right, depth)
            if lv is None and rv is None:
                return None
            lv = lv or StringValue.opaque(left, text(left), self.numeric_expression(left))
            rv = rv or StringValue.opaque(right, text(right), self.numeric_expression(right))
            return StringValue.join(node, [lv, rv], "concatenation")
        if t == "identifier":
            v = ev.variable(node, depth)
            if v is not None:
                return v
            if ev.facts.assignments_before(text(node), ev.function_of(node), node.start_byte) or self._is_parameter(node):
                return None
            init = self._field_initializer(node)
            if init is not None:
                v = ev.value(init, depth)
                if v is not None:
                    return StringValue(node, v.template, v.holes, v.how)
            return None
        if t == "assignment_expression" and text(node.child_by_field_name("operator")) == "+=":
            # the text after an append: `sql += "..."`, `cmd.CommandText += "..."`
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            base = ev.variable(left, depth) if self.is_local_name(left) is not None else None
            if base is None:
                return None
            rv = ev.value(right, depth) or StringValue.opaque(right, text(right), self.numeric_expression(right))
            return StringValue.join(node, [base, rv], None if base.dynamic or rv.dynamic else "literal")
        if t == "member_access_expression" and self.is_local_name(node) is not None:
            return ev.variable(node, depth)
        if t == "member_access_expression":
            recv = text(node.child_by_field_name("expression"))
            name = self._name_of(node.child_by_field_name("name"))
            if recv in ("string", "String", "System.String") and name == "Empty":
                return StringValue(node, "", [], "literal")
            if recv in ("Environment", "System.Environment") and name == "NewLine":
                return StringValue(node, "\n", [], "literal")
            if recv in ("this", "base") or recv == self._enclosing_type_name(node):
                init = self._field_initializer(node.child_by_field_name("name"))
                if init is not None:
                    return ev.value(init, depth)
                return None
            init = self._qualified_constant(node)
            if init is not None:
                return ev.value(init, depth)
            return None
        if t == "invocation_expression":
            return self._call_value(node, ev, depth)
        return None

    def _call_value(self, node: ts.Node, ev: Evaluator, depth: int) -> StringValue | None:
        fn = node.child_by_field_name("function")
        if fn is None:
            return None
        args, _ = self._arguments(node.child_by_field_name("arguments"))
        callee = _strip_generics(squash(text(fn)))
        if callee == "nameof" and args:
            return StringValue(node, self._name_of(args[0].child_by_field_name("name")) if args[0].type == "member_access_expression"
                               else text(args[0]), [], "literal")
        if callee in ("string.Format", "String.Format", "System.String.Format") and args:
            fmt_i = 0
            base = ev.value(args[0], depth)
            if base is None and len(args) > 1:
                base, fmt_i = ev.value(args[1], depth), 1  # string.Format(IFormatProvider, format, ...)
            if base is None:
                return None
            return self._format(node, base, args[fmt_i + 1:], "string.Format")
        if callee in ("string.Concat", "String.Concat", "System.String.Concat"):
            if len(args) == 1:
                return StringValue.opaque(node, text(node))
            parts = [ev.value(a, depth) or StringValue.opaque(a, text(a), self.numeric_expression(a)) for a in args]
            return StringValue.join(node, parts, "string.Concat")
        if callee in ("string.Join", "String.Join", "System.String.Join") and args:
            sep = ev.value(args[0], depth)
            if sep is not None and not sep.dynamic:
                v = StringValue.opaque(node, text(node))
                v.how = "string.Join"
                return v
            return None
        if callee in ("FormattableString.Invariant", "FormattableString.CurrentCulture") and args:
            return ev.value(args[0], depth)
        if fn.type != "member_access_expression":
            return None
        recv = fn.child_by_field_name("expression")
        method = self._name_of(fn.child_by_field_name("name"))
        if method == "ToString" and not args and recv is not None and recv.type == "identifier":
            assign = self._builder_assignment(recv, ev.facts, ev)
            if assign is not None:
                return self._builder_value(recv, assign, node, ev, depth)
        if method in _PASS_THROUGH:
            return ev.value(recv, depth)
        if method == "Replace" and len(args) == 2:
            base = ev.value(recv, depth)
            old = ev.value(args[0], depth)
            if base is None or old is None or old.dynamic or not old.template or old.template not in base.template:
                return base
            new = ev.value(args[1], depth) or StringValue.opaque(args[1], text(args[1]), self.numeric_expression(args[1]))
            out: list[StringValue] = []
            for seg in self._segments(node, base):
                if seg.dynamic:
                    out.append(seg)
                    continue
                for i, piece in enumerate(seg.template.split(old.template)):
                    if i:
                        out.append(new)
                    out.append(StringValue(node, piece, [], "literal"))
            return StringValue.join(node, out, "string.Replace")
        return None

    @staticmethod
    def _segments(node: ts.Node, v: StringValue) -> list[StringValue]:
        """A StringValue cut into literal pieces and one-hole pieces, in order."""
        out: list[StringValue] = []
        pos = 0
        for m in HOLE_RE.finditer(v.template):
            out.append(StringValue(node, v.template[pos:m.start()], [], "literal"))
            out.append(StringValue(node, hole_marker(0), [v.holes[int(m.group(1))]], "expression"))
            pos = m.end()
        out.append(StringValue(node, v.template[pos:], [], "literal"))
        return out

    def _format(self, node: ts.Node, base: StringValue, values: list[ts.Node], how: str) -> StringValue:
        parts: list[StringValue] = []
        pos = 0
        tmpl = base.template

        def literal(piece: str) -> None:
            # keep holes that were already in the template (an interpolated format string)
            parts.extend(self._segments(node, StringValue(node, piece, base.holes, "literal")))

        for m in _FORMAT_ITEM.finditer(tmpl):
            literal(tmpl[pos:m.start()])
            pos = m.end()
            tok = m.group(0)
            if tok in ("{{", "}}"):
                parts.append(StringValue(node, tok[0], [], "literal"))
                continue
            idx = int(m.group(1))
            numeric = m.group(2) is not None and bool(_NUMERIC_FORMAT.fullmatch(m.group(2).strip()))
            val = values[idx] if idx < len(values) else None
            if val is not None:
                parts.append(StringValue.opaque(val, text(val), numeric or self.numeric_expression(val)))
            else:
                v = StringValue.opaque(node, tok, numeric)
                v.holes[0].node = None
                parts.append(v)
        literal(tmpl[pos:])
        return StringValue.join(node, parts, how)

    def _builder_value(self, ident: ts.Node, assign, use: ts.Node, ev: Evaluator, depth: int) -> StringValue:
        name = text(ident)
        fn = ev.function_of(ident)
        parts: list[StringValue] = []
        ctor_args, _ = self._arguments(assign.value.child_by_field_name("arguments"))
        if ctor_args:
            v = ev.value(ctor_args[0], depth)
            if v is not None:
                parts.append(v)
        key = (fn.node.id if fn else 0, name)
        events: list[tuple[int, Call | ts.Node]] = [(self._call_args_start(c), c) for c in getattr(ev.facts, "builders", {}).get(key, ())]
        events.extend((n.start_byte, n) for n in getattr(ev.facts, "builder_escapes", {}).get(key, ()))
        events.sort(key=lambda e: e[0])
        for _, c in events:
            if isinstance(c, ts.Node):
                if assign.node.end_byte <= c.start_byte < use.start_byte:
                    # passed to code we cannot see: an unknown tail that we must not call unsafe
                    # (marked numeric so that it never counts as an injection) nor ignore (a
                    # helper may add the WHERE clause)
                    parts.append(StringValue(c, f" {hole_marker(0)} ", [Hole(c, f"<appended by a call taking {name}>", True)], "expression"))
                continue
            if c.node.start_byte < assign.node.end_byte or c.node.end_byte > use.start_byte:
                continue
            m, args = c.method, c.args
            if m == "Clear":
                parts = []
            elif m in ("Append", "AppendLine"):
                if args:
                    a = args[0]
                    parts.append(ev.value(a, depth) or StringValue.opaque(a, text(a), self.numeric_expression(a)))
                if m == "AppendLine":
                    parts.append(StringValue(c.node, "\n", [], "literal"))
            elif m == "AppendFormat" and args:
                fmt_i = 0
                base = ev.value(args[0], depth)
                if base is None and len(args) > 1:
                    base, fmt_i = ev.value(args[1], depth), 1
                parts.append(self._format(c.node, base, args[fmt_i + 1:], "StringBuilder.AppendFormat") if base is not None
                             else StringValue.opaque(c.node, text(c.node)))
            elif m == "AppendJoin":
                v = StringValue.opaque(c.node, text(c.node))
                parts.append(v)
            elif m == "Insert" and len(args) >= 2:
                v = ev.value(args[1], depth) or StringValue.opaque(args[1], text(args[1]), self.numeric_expression(args[1]))
                if text(args[0]) == "0":
                    parts.insert(0, v)
                else:
                    parts.append(v)
        if not parts:
            return StringValue(use, "", [], "literal")
        v = StringValue.join(use, parts)
        if v.dynamic:
            v.how = "a StringBuilder"
        return v

    # -- declarations, constants and numbers -------------------------------------------------
    def _scope_of(self, node: ts.Node) -> ts.Node | None:
        """The outermost member (method, constructor, accessor) holding node, else the nearest type."""
        p, scope = node.parent, None
        while p is not None:
            if p.type in _MEMBER_FUNCTIONS or p.type == "local_function_statement" or p.type == "global_statement":
                scope = p
            if p.type in _TYPE_DECLS:
                break
            p = p.parent
        return scope

    def _declared_types(self, ident: ts.Node) -> list[tuple[ts.Node, ts.Node | None]]:
        """(type node, declarator) of every local/parameter declaration of ident's name in its member;
        falls back to the fields, properties and primary-constructor parameters of its type."""
        name = text(ident)
        scope = self._scope_of(ident)
        out: list[tuple[ts.Node, ts.Node | None]] = []
        if scope is not None:
            cursor = ts.QueryCursor(self._decl_query)
            cursor.set_byte_range(scope.start_byte, scope.end_byte)
            for _, caps in cursor.matches(scope):
                n = caps.get("name")
                if not n or text(n[0]) != name:
                    continue
                typ = caps.get("type")
                if typ:
                    decl = caps.get("decl")
                    out.append((typ[0], decl[0] if decl else None))
        if out:
            return out
        for member, typ, decl in self._members(ident):
            if member == name:
                out.append((typ, decl))
        return out

    def _members(self, node: ts.Node):
        """(name, type, declarator) of the fields, properties and record parameters of the types enclosing node."""
        p = node.parent
        while p is not None:
            if p.type in _TYPE_DECLS:
                for c in p.named_children:
                    if c.type == "parameter_list":
                        for prm in c.named_children:
                            if prm.type == "parameter" and prm.child_by_field_name("type") is not None:
                                yield text(prm.child_by_field_name("name")), prm.child_by_field_name("type"), None
                body = p.child_by_field_name("body")
                for m in (body.named_children if body is not None else []):
                    if m.type in ("field_declaration", "event_field_declaration"):
                        vd = next((c for c in m.named_children if c.type == "variable_declaration"), None)
                        if vd is None:
                            continue
                        typ = vd.child_by_field_name("type")
                        for d in vd.named_children:
                            if d.type == "variable_declarator":
                                yield text(d.child_by_field_name("name")), typ, d
                    elif m.type == "property_declaration":
                        yield text(m.child_by_field_name("name")), m.child_by_field_name("type"), m
            p = p.parent

    @staticmethod
    def _modifiers(node: ts.Node) -> set[str]:
        return {text(c) for c in node.children if c.type == "modifier"}

    def _enclosing_type_name(self, node: ts.Node) -> str | None:
        p = node.parent
        while p is not None:
            if p.type in _TYPE_DECLS:
                return text(p.child_by_field_name("name"))
            p = p.parent
        return None

    def _field_initializer(self, ident: ts.Node | None, depth: int = 0) -> ts.Node | None:
        """The constant value of a field or property of an enclosing type that ident names (and no
        parameter shadows): a `const`, a `readonly` field or get-only property initialised with a
        literal, or a `readonly` field that every constructor sets to a constant
        (`_table = typeof(T).Name;`)."""
        if ident is None or ident.type != "identifier" or depth > 4:
            return None
        name = text(ident)
        if self._is_parameter(ident):
            return None
        for member, _typ, decl in self._members(ident):
            if member != name or decl is None:
                continue
            if decl.type == "variable_declarator":
                field = decl.parent.parent if decl.parent is not None else None
                mods = self._modifiers(field) if field is not None else set()
                value = self._declarator_value(decl)
                if "const" in mods and value is not None:
                    return value
                if "readonly" not in mods:
                    return None
                if value is not None and not self._is_literalish(value):
                    return None
                return self._constructor_constant(field, name, value, depth)
            if decl.type == "property_declaration":
                return self._property_constant(decl)
        return None

    def _constructor_constant(self, field: ts.Node, name: str, initial: ts.Node | None, depth: int) -> ts.Node | None:
        """A readonly field's value when its initializer and every constructor assignment are constants."""
        cls = field.parent.parent if field.parent is not None else None
        body = field.parent
        values = [initial] if initial is not None else []
        for m in (body.named_children if body is not None else []):
            if m.type != "constructor_declaration":
                continue
            for _, caps in ts.QueryCursor(self._ctor_query).matches(m):
                if "tuple" in caps:
                    if re.search(rf"(?<![\w.]){re.escape(name)}\b", text(caps["tuple"][0])):
                        return None  # (_a, _b) = (a, b): not followed
                    continue
                f = caps.get("field")
                if f and text(f[0]) == name:
                    values.append(caps["value"][0])
        if not values or cls is None:
            return None
        for v in values:
            u = _unwrap(v)
            if u is not None and u.type == "identifier":
                if self._is_parameter(u) or self._field_initializer(u, depth + 1) is None and not _UPPER_CONST.fullmatch(text(u)):
                    return None
            elif not self.constant_expression(v, depth + 1):
                return None
        return values[0]

    @staticmethod
    def _declarator_value(decl: ts.Node) -> ts.Node | None:
        seen_eq = False
        for c in decl.children:
            if seen_eq and c.is_named:
                return c
            if c.type == "=":
                seen_eq = True
        return None

    def _property_constant(self, prop: ts.Node) -> ts.Node | None:
        """`string Table => "users";` or `string Table { get; } = "users";` (no setter)."""
        value = prop.child_by_field_name("value")
        if value is None:
            arrow = next((c for c in prop.named_children if c.type == "arrow_expression_clause"), None)
            if arrow is not None and arrow.named_children:
                value = arrow.named_children[-1]
        if value is None or not self._is_literalish(value):
            return None
        accessors = prop.child_by_field_name("accessors")
        if accessors is not None and any(text(a.child_by_field_name("name")) in ("set", "init")
                                         for a in accessors.named_children if a.type == "accessor_declaration"):
            return None
        return value

    def _is_literalish(self, node: ts.Node, depth: int = 0) -> bool:
        node = _unwrap(node)
        if node is None or depth > 20:
            return False
        if node.type in _LITERAL_TYPES or node.type in _NUMBER_LITERALS:
            return True
        if node.type == "binary_expression" and text(node.child_by_field_name("operator")) == "+":
            return all(self._is_literalish(c, depth + 1) for c in (node.child_by_field_name("left"), node.child_by_field_name("right")))
        return node.type == "identifier" and bool(_UPPER_CONST.fullmatch(text(node)))

    def _file_constants(self, node: ts.Node) -> dict[tuple[str, str], ts.Node | None]:
        """(type name, field name) -> initializer of every `const` field declared in this file
        (for `Tables.Users` style references)."""
        return self._file_index(node)[0]

    def _file_enums(self, node: ts.Node) -> set[str]:
        """Names of the enums declared in this file (their values print as member names)."""
        return self._file_index(node)[1]

    def _file_index(self, node: ts.Node) -> tuple[dict[tuple[str, str], ts.Node | None], set[str]]:
        root = node
        while root.parent is not None:
            root = root.parent
        cached = self._const_cache
        if cached is not None and cached[0] == root:  # the cached Node keeps its tree alive: no id reuse
            return cached[1]
        consts: dict[tuple[str, str], ts.Node | None] = {}
        enums: set[str] = set()
        stack, budget = [(root, "")], 5000
        containers = {"namespace_declaration", "file_scoped_namespace_declaration", "declaration_list"}
        while stack and budget > 0:
            cur, owner = stack.pop()
            budget -= 1
            for c in cur.named_children:
                if c.type in containers:
                    stack.append((c, owner))
                elif c.type in _TYPE_DECLS:
                    stack.append((c, text(c.child_by_field_name("name"))))
                elif c.type == "enum_declaration":
                    enums.add(text(c.child_by_field_name("name")))
                elif c.type == "field_declaration" and "const" in self._modifiers(c):
                    vd = next((x for x in c.named_children if x.type == "variable_declaration"), None)
                    for d in (vd.named_children if vd is not None else []):
                        if d.type == "variable_declarator":
                            consts[(owner, text(d.child_by_field_name("name")))] = self._declarator_value(d)
        self._const_cache = (root, (consts, enums))
        return consts, enums

    def _qualified_constant(self, node: ts.Node) -> ts.Node | None:
        """`Tables.Users` where `Tables` is a type of this file declaring `const string Users`."""
        recv = node.child_by_field_name("expression")
        if recv is None or recv.type not in ("identifier", "qualified_name", "member_access_expression"):
            return None
        key = (self._name_of(recv) if recv.type != "member_access_expression" else self._name_of(recv.child_by_field_name("name")),
               self._name_of(node.child_by_field_name("name")))
        return self._file_constants(node).get(key)

    def _numeric_type(self, typ: ts.Node | None) -> bool:
        if typ is None:
            return False
        if typ.type == "nullable_type":
            return self._numeric_type(typ.named_children[0] if typ.named_children else None)
        name = self._name_of(typ)
        return name in self._numeric_types or name in self._file_enums(typ)

    def _numeric_collection_type(self, typ: ts.Node | None) -> bool:
        """int[], List<int>, IEnumerable<long>, IReadOnlyCollection<Guid>, HashSet<int>..."""
        if typ is None:
            return False
        if typ.type == "array_type":
            return self._numeric_type(typ.child_by_field_name("type"))
        if typ.type == "generic_name":
            targs = next((c for c in typ.named_children if c.type == "type_argument_list"), None)
            if targs is not None and targs.named_child_count == 1:
                return self._numeric_type(targs.named_children[0])
        if typ.type in ("qualified_name", "nullable_type"):
            inner = typ.child_by_field_name("name") if typ.type == "qualified_name" else \
                (typ.named_children[0] if typ.named_children else None)
            return self._numeric_collection_type(inner)
        return False

    def numeric_expression(self, node: ts.Node, depth: int = 0, names: frozenset[str] = frozenset()) -> bool:
        """An expression that can only produce a number (or a date, Guid, bool, enum member);
        `names` are lambda parameters known to hold numbers."""
        node = _unwrap(node)
        if node is None or depth > 12:
            return False
        t = node.type
        d = depth + 1
        if t in _NUMBER_LITERALS:
            return True
        if t == "cast_expression":
            return self._numeric_type(node.child_by_field_name("type"))
        if t in ("prefix_unary_expression", "postfix_unary_expression"):
            kids = node.named_children
            return bool(kids) and self.numeric_expression(kids[-1] if t == "prefix_unary_expression" else kids[0], d, names)
        if t == "sizeof_expression":
            return True
        if t == "binary_expression":
            op = text(node.child_by_field_name("operator"))
            if op in ("==", "!=", "<", ">", "<=", ">=", "&&", "||"):
                return True
            if op in ("+", "-", "*", "/", "%", "??", "<<", ">>", "&", "|", "^"):
                return self.numeric_expression(node.child_by_field_name("left"), d, names) and \
                    self.numeric_expression(node.child_by_field_name("right"), d, names)
            return False
        if t == "conditional_expression":
            return self.numeric_expression(node.child_by_field_name("consequence"), d, names) and \
                self.numeric_expression(node.child_by_field_name("alternative"), d, names)
        if t == "member_access_expression":
            recv = node.child_by_field_name("expression")
            member = self._name_of(node.child_by_field_name("name"))
            if member in self._numeric_members or member == "HasValue":
                return True
            if member == "Value" and self.numeric_expression(recv, d, names):
                return True  # int? id -> id.Value
            return recv is not None and recv.type in ("predefined_type", "identifier", "qualified_name") and \
                text(recv) not in names and self._name_of(recv) in self._numeric_types
        if t == "invocation_expression":
            fn = node.child_by_field_name("function")
            callee = _strip_generics(squash(text(fn)))
            if any(rx.fullmatch(callee) for rx in self._numeric_fn):
                return True
            if fn is not None and fn.type == "member_access_expression":
                method = self._name_of(fn.child_by_field_name("name"))
                if method in ("ToString", "GetValueOrDefault") and self.numeric_expression(fn.child_by_field_name("expression"), d, names):
                    return True
            return False
        if t == "identifier":
            if text(node) in names:
                return True
            types = self._declared_types(node)
            if not types:
                return False
            for typ, decl in types:
                if typ.type == "implicit_type":
                    value = self._declarator_value(decl) if decl is not None else None
                    if value is None or not self.numeric_expression(value, d):
                        return False
                elif not self._numeric_type(typ):
                    return False
            return True
        return False

    def _numeric_collection(self, node: ts.Node | None, depth: int = 0) -> bool:
        """A collection whose elements are numbers: `List<int> ids`, `ids.Distinct().ToList()`,
        `Enumerable.Range(0, n)`, `guids.Select(g => g.ToString())`."""
        node = _unwrap(node)
        if node is None or depth > 8:
            return False
        if node.type == "identifier":
            types = self._declared_types(node)
            if not types:
                return False
            for typ, decl in types:
                if typ.type == "implicit_type":
                    value = self._declarator_value(decl) if decl is not None else None
                    if not self._numeric_collection(value, depth + 1):
                        return False
                elif not self._numeric_collection_type(typ):
                    return False
            return True
        if node.type == "member_access_expression":
            # a field or property of this type: `private readonly List<int> _ids;`
            recv = node.child_by_field_name("expression")
            return text(recv) == "this" and self._numeric_collection(node.child_by_field_name("name"), depth + 1)
        if node.type != "invocation_expression":
            return False
        fn = node.child_by_field_name("function")
        callee = _strip_generics(squash(text(fn)))
        if callee in ("Enumerable.Range", "System.Linq.Enumerable.Range"):
            return True
        if fn is None or fn.type != "member_access_expression":
            return False
        method = self._name_of(fn.child_by_field_name("name"))
        recv = fn.child_by_field_name("expression")
        if method in ("Distinct", "ToList", "ToArray", "ToHashSet", "AsEnumerable", "OrderBy", "OrderByDescending",
                      "Where", "Take", "Skip", "Reverse", "Concat", "Union"):
            return self._numeric_collection(recv, depth + 1)
        if method == "Select":
            args, _ = self._arguments(node.child_by_field_name("arguments"))
            lam = args[0] if len(args) == 1 and args[0].type == "lambda_expression" else None
            if lam is None:
                return False
            body = lam.child_by_field_name("body")
            if body is None or body.type == "block":
                return False
            return self.numeric_expression(body, 0, self._lambda_safe_names(lam, recv, depth))
        return False

    def _lambda_safe_names(self, lam: ts.Node, recv: ts.Node | None, depth: int) -> frozenset[str]:
        """Parameters of `xs.Select((x, i) => ...)` that hold numbers: the index i, and x when xs
        is a collection of numbers (or Enumerable.Range)."""
        params = self._params(lam.child_by_field_name("parameters"))
        out = set()
        if len(params) == 2:
            out.add(params[1])
        if params and self._numeric_collection(recv, depth + 1):
            out.add(params[0])
        return frozenset(out)

    def constant_expression(self, node: ts.Node, depth: int = 0) -> bool:
        node = _unwrap(node)
        if node is None or depth > 12:
            return False
        t = node.type
        if t in _LITERAL_TYPES or t in _NUMBER_LITERALS:
            return True
        if t == "interpolated_string_expression":
            return all(self.constant_expression(x, depth + 1)
                       for c in node.named_children if c.type == "interpolation"
                       for x in c.named_children if x.type not in ("interpolation_brace", "interpolation_alignment_clause",
                                                                   "interpolation_format_clause"))
        if t == "identifier":
            if _UPPER_CONST.fullmatch(text(node)):
                return True
            return self._field_initializer(node) is not None
        if t == "member_access_expression":
            name = self._name_of(node.child_by_field_name("name"))
            recv = node.child_by_field_name("expression")
            if _UPPER_CONST.fullmatch(name):
                return True
            if name in ("Name", "FullName") and self._is_type_object(recv):
                return True  # a CLR type name: typeof(T).Name, GetType().Name, type.Name
            if text(recv) in ("string", "String") and name == "Empty":
                return True
            if text(recv) in ("this", "base") or text(recv) == self._enclosing_type_name(node):
                return self._field_initializer(node.child_by_field_name("name")) is not None
            return self._qualified_constant(node) is not None
        if t == "invocation_expression":
            fn = node.child_by_field_name("function")
            callee = _strip_generics(squash(text(fn)))
            if callee == "nameof":
                return True
            if any(rx.fullmatch(callee) for rx in self._quoting_fn):
                return True
            return False
        if t == "conditional_expression":
            return self.constant_expression(node.child_by_field_name("consequence"), depth + 1) and \
                self.constant_expression(node.child_by_field_name("alternative"), depth + 1)
        if t == "switch_expression":
            arms = [c for c in node.named_children if c.type == "switch_expression_arm"]
            return bool(arms) and all(a.named_children and self._arm_constant(a, depth) for a in arms)
        if t == "binary_expression" and text(node.child_by_field_name("operator")) in ("+", "??"):
            return self.constant_expression(node.child_by_field_name("left"), depth + 1) and \
                self.constant_expression(node.child_by_field_name("right"), depth + 1)
        return False

    def _is_type_object(self, node: ts.Node | None) -> bool:
        node = _unwrap(node)
        if node is None:
            return False
        if node.type == "typeof_expression":
            return True
        if node.type == "invocation_expression":
            fn = node.child_by_field_name("function")
            return fn is not None and (text(fn) == "GetType" or (fn.type == "member_access_expression"
                                       and self._name_of(fn.child_by_field_name("name")) == "GetType"))
        if node.type == "identifier":
            types = self._declared_types(node)
            if not types:
                return False
            for typ, decl in types:
                if typ.type == "implicit_type":
                    value = self._declarator_value(decl) if decl is not None else None
                    if value is None or _unwrap(value) is None or _unwrap(value).type != "typeof_expression":
                        return False
                elif self._name_of(typ) != "Type":
                    return False
            return True
        return False

    def _arm_constant(self, arm: ts.Node, depth: int) -> bool:
        value = arm.named_children[-1]
        if value.type == "throw_expression":
            return True
        return self.constant_expression(value, depth + 1)

    # -- placeholder lists -------------------------------------------------------------------
    def placeholder_expression(self, node: ts.Node, ev: Evaluator) -> bool:
        """A join whose items can only be placeholders, constants or numbers:
        string.Join(",", ids.Select((_, i) => $"@p{i}")), string.Join(",", ids.Select(x => "?")),
        string.Join(",", Enumerable.Repeat("?", n)), string.Join(",", intIds), sb.AppendJoin(",", ...)."""
        node = _unwrap(node)
        if node is None or node.type != "invocation_expression":
            return False
        fn = node.child_by_field_name("function")
        callee = _strip_generics(squash(text(fn)))
        method = callee.rsplit(".", 1)[-1]
        if callee not in ("string.Join", "String.Join", "System.String.Join") and method != "AppendJoin":
            return False
        args, _ = self._arguments(node.child_by_field_name("arguments"))
        if len(args) != 2:
            return False
        sep = ev.value(args[0])
        if sep is None or sep.dynamic:
            return False
        return self._safe_items(args[1], ev, 0)

    def _safe_items(self, items: ts.Node, ev: Evaluator, depth: int) -> bool:
        items = _unwrap(items)
        if items is None or depth > 4:
            return False
        if self._numeric_collection(items):
            return True
        if items.type == "identifier":
            fn = ev.function_of(items)
            assigns = ev.facts.assignments_before(text(items), fn, items.start_byte)
            if not assigns or assigns[-1].op != "=" or assigns[-1].value is None:
                return False
            return self._safe_items(assigns[-1].value, ev, depth + 1)
        if items.type in ("array_creation_expression", "implicit_array_creation_expression", "collection_expression"):
            init = next((c for c in items.named_children if c.type == "initializer_expression"), None) \
                if items.type != "collection_expression" else items
            elems = [c for c in (init.named_children if init is not None else []) if c.type != "comment"]
            return bool(elems) and all(self.constant_expression(e) for e in elems)
        if items.type != "invocation_expression":
            return False
        fn = items.child_by_field_name("function")
        if fn is None or fn.type != "member_access_expression":
            return False
        method = self._name_of(fn.child_by_field_name("name"))
        recv = fn.child_by_field_name("expression")
        args, _ = self._arguments(items.child_by_field_name("arguments"))
        if method in ("ToList", "ToArray", "AsEnumerable", "Distinct") and not args:
            return self._safe_items(recv, ev, depth + 1)
        if method == "Repeat" and text(recv) in ("Enumerable", "System.Linq.Enumerable") and args:
            return self.constant_expression(args[0])
        if method != "Select" or len(args) != 1 or args[0].type != "lambda_expression":
            return False
        lam = args[0]
        body = lam.child_by_field_name("body")
        if body is None or body.type == "block":
            return False
        if body.type == "member_access_expression" and self._name_of(body.child_by_field_name("name")) == "ParameterName":
            return True  # ps.Select(p => p.ParameterName): the names of bound parameters
        names = self._lambda_safe_names(lam, recv, 0)
        v = ev.value(body)
        if v is None:
            return self.numeric_expression(body, 0, names) or self.constant_expression(body)
        for h in v.holes:
            if h.numeric:
                continue
            if h.node is not None and (self.numeric_expression(h.node, 0, names) or self.constant_expression(h.node)):
                continue
            return False
        return True
