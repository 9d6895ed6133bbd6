"""Python: functions, calls, loops, assignments and string building (f-strings, +, %, .format)."""

from __future__ import annotations

import re
from pathlib import Path

import tree_sitter as ts
import tree_sitter_python

from ..base import enclosing_node, param_names, Call, Evaluator, Function, LanguageAdapter, Loop, StringValue, Hole, hole_marker, squash, text

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", "'": "'", '"': '"', "\n": ""}
_FORMAT_FIELD = re.compile(r"\{\{|\}\}|\{[^{}]*\}")
_PERCENT_SPEC = re.compile(r"%(?:\(([^)]*)\))?[-#0 +]*\d*(?:\.\d+)?([diouxXeEfFgGcrsa%])")
_NUMERIC_VERBS = set("diouxXeEfFgG")


def unescape(s: str) -> str:
    if "\\" not in s:
        return s
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), "\\" + m.group(1)), s, flags=re.S)


class Adapter(LanguageAdapter):
    name = "python"
    directory = Path(__file__).parent
    statement_containers = frozenset({"module", "block"})
    function_types = frozenset({"function_definition", "lambda"})
    literal_collection_types = frozenset({"list", "tuple", "set"})

    member_access_query = "(attribute object: (identifier) @obj attribute: (identifier) @attr) @access"

    def _load_language(self) -> ts.Language:
        return ts.Language(tree_sitter_python.language())

    # -- ORM models and queries (n-plus-one) -------------------------------------------------
    _RELATION = re.compile(r"^(?:models\.|db\.|orm\.|sa\.)?(ForeignKey|OneToOneField|ManyToManyField|relationship|ForeignKeyField|ManyToManyField)$")

    def model_relations(self, facts) -> dict[str, dict[str, str]]:
        out: dict[str, dict[str, str]] = {}
        for a in facts.assignments:
            if a.function is not None or a.value is None or a.value.type != "call":
                continue
            fn = a.value.child_by_field_name("function")
            m = self._RELATION.match(squash(text(fn))) if fn is not None else None
            if not m:
                continue
            cls = self._enclosing_class(a.node)
            if cls is None:
                continue
            owner = text(cls.child_by_field_name("name"))
            args = a.value.child_by_field_name("arguments")
            first = next((x for x in args.named_children if x.type != "keyword_argument"), None) if args else None
            kw = {text(x.child_by_field_name("name")): x.child_by_field_name("value")
                  for x in (args.named_children if args else []) if x.type == "keyword_argument"}
            target = text(first).strip("'\"") if first is not None else ""
            if "to" in kw:
                target = text(kw["to"]).strip("'\"")
            target = target.rsplit(".", 1)[-1]
            if target == "self":
                target = owner
            lazy = text(kw.get("lazy")).strip("'\"") if kw.get("lazy") is not None else ""
            if m.group(1) == "relationship" and lazy in ("joined", "selectin", "subquery", "immediate"):
                continue  # eager by mapping
            if not target:
                continue
            out.setdefault(owner, {})[a.name] = target
            if m.group(1) in ("ForeignKey", "OneToOneField", "ManyToManyField", "ForeignKeyField"):
                rel = kw.get("related_name") or kw.get("backref")
                rname = text(rel).strip("'\"") if rel is not None else (owner.lower() + ("" if m.group(1) == "OneToOneField" else "_set"))
                if rname and rname != "+" and not rname.endswith("+"):
                    out.setdefault(target, {})[rname] = owner
        return out

    def query_model(self, call) -> str | None:
        t = call.callee + "(" + (call.receiver or "")
        m = re.search(r"(?:^|[^\w.])([A-Z]\w*)\.(?:objects|_default_manager|query)\b", " " + call.callee)
        if m:
            return m.group(1)
        full = text(call.node)[:400]
        m = re.search(r"\b(?:query|select)\(\s*([A-Z]\w*)\s*[,)]", full)
        return m.group(1) if m else None

    def eager_loaded(self, call) -> set[str]:
        full = text(call.node)[:2000]
        out: set[str] = set()
        for m in re.finditer(r"(?:select_related|prefetch_related)\(([^)]*)\)", full):
            for lit in re.findall(r"[\'\"]([\w]+)", m.group(1)):
                out.add(lit)
        for m in re.finditer(r"(?:joinedload|selectinload|subqueryload|contains_eager|Prefetch)\(\s*(?:[A-Z]\w*\.)?[\'\"]?(\w+)", full):
            out.add(m.group(1))
        return out

    # -- functions ---------------------------------------------------------------------------
    def function_info(self, node: ts.Node) -> Function:
        if node.type == "lambda":
            params = self._params(node.child_by_field_name("parameters"))
            return Function(node, "<lambda>", params, body=node.child_by_field_name("body"), kind="lambda")
        name = text(node.child_by_field_name("name"))
        params = self._params(node.child_by_field_name("parameters"))
        decorators = []
        if node.parent is not None and node.parent.type == "decorated_definition":
            decorators = [squash(text(d))[1:] for d in node.parent.children if d.type == "decorator"]
        fn = Function(node, name, params, decorators, body=node.child_by_field_name("body"))
        cls = self._enclosing_class(node)
        if cls is not None:
            fn.kind = "method"
            fn.class_name = text(cls.child_by_field_name("name"))
            sup = cls.child_by_field_name("superclasses")
            if sup is not None:
                fn.class_bases = [squash(text(c)) for c in sup.named_children if c.type != "keyword_argument"]
            if cls.parent is not None and cls.parent.type == "decorated_definition":
                fn.class_decorators = [squash(text(d))[1:] for d in cls.parent.children if d.type == "decorator"]
        return fn

    @staticmethod
    def _enclosing_class(node: ts.Node) -> ts.Node | None:
        return enclosing_node(node, ("class_definition",), ("function_definition", "lambda"))

    @staticmethod
    def _params(params: ts.Node | None) -> list[str]:
        return param_names(params, first_identifier=True)

    # -- calls -------------------------------------------------------------------------------
    def call_info(self, node: ts.Node) -> Call | None:
        fn = node.child_by_field_name("function")
        if fn is None:
            return None
        args, kwargs = [], {}
        al = node.child_by_field_name("arguments")
        if al is not None:
            if al.type == "generator_expression":
                args.append(al)
            else:
                for a in al.named_children:
                    if a.type == "keyword_argument":
                        kwargs[text(a.child_by_field_name("name"))] = a.child_by_field_name("value")
                    elif a.type != "comment":
                        args.append(a)
        if fn.type == "attribute":
            recv = fn.child_by_field_name("object")
            return Call(node, squash(text(fn)), text(fn.child_by_field_name("attribute")),
                        squash(text(recv)), args, kwargs, receiver_node=recv)
        return Call(node, squash(text(fn)), squash(text(fn)).rsplit(".", 1)[-1], None, args, kwargs)

    # -- assignments -------------------------------------------------------------------------
    def assignment_info(self, node: ts.Node):
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        if left is None or left.type != "identifier":
            return []
        if node.type == "augmented_assignment":
            op = text(node.child_by_field_name("operator"))
            return [(text(left), right, "+=")] if op == "+=" else [(text(left), None, "=")]
        if right is not None and right.type in ("assignment",):  # a = b = "..."
            right = right.child_by_field_name("right")
        return [(text(left), right, "=")]

    # -- loops -------------------------------------------------------------------------------
    def loop_info(self, node: ts.Node) -> Loop:
        if node.type == "for_statement":
            left = node.child_by_field_name("left")
            return Loop(node, "for", node.child_by_field_name("right"),
                        [text(i) for i in self._names(left)], node.child_by_field_name("body"))
        if node.type == "while_statement":
            return Loop(node, "while", node.child_by_field_name("condition"), [], node.child_by_field_name("body"))
        clause = next((c for c in node.named_children if c.type == "for_in_clause"), None)
        it = clause.child_by_field_name("right") if clause is not None else None
        vars_ = [text(i) for i in self._names(clause.child_by_field_name("left"))] if clause is not None else []
        return Loop(node, "comprehension", it, vars_, node.child_by_field_name("body"))

    @staticmethod
    def _names(node: ts.Node | None) -> list[ts.Node]:
        if node is None:
            return []
        if node.type == "identifier":
            return [node]
        return [c for c in node.named_children if c.type == "identifier"]

    def _inside_loop_body(self, loop: Loop, node: ts.Node) -> bool:
        if loop.kind == "comprehension":
            # the first for_in_clause's iterable runs once; everything else runs per item
            return not (loop.iterable is not None and loop.iterable.start_byte <= node.start_byte < loop.iterable.end_byte)
        return super()._inside_loop_body(loop, node)

    # -- strings -----------------------------------------------------------------------------
    def string_root(self, node: ts.Node) -> ts.Node:
        cur = node
        while True:
            p = cur.parent
            if p is None:
                return cur
            if p.type == "concatenated_string" or p.type == "parenthesized_expression":
                cur = p
            elif p.type == "binary_operator" and text(p.child_by_field_name("operator")) in ("+", "%"):
                cur = p
            elif p.type == "attribute" and text(p.child_by_field_name("attribute")) == "format" and p.parent is not None and p.parent.type == "call":
                cur = p.parent
            else:
                return cur

    def _literal(self, node: ts.Node, ev: Evaluator, depth: int) -> StringValue:
        start = node.child(0)
        prefix = text(start).lower() if start is not None else ""
        raw = "r" in prefix
        is_f = "f" in prefix
        parts: list[StringValue] = []
        for c in node.children:
            if c.type == "string_content":
                t = text(c)
                parts.append(StringValue(c, t if raw else unescape(t), [], "literal"))
            elif c.type == "interpolation" and is_f:
                expr = c.child_by_field_name("expression")
                parts.append(StringValue.opaque(c, text(expr)) if expr is not None else StringValue(c, "", [], "literal"))
                parts[-1].holes[0].node = expr
            elif c.type == "escape_sequence":
                parts.append(StringValue(c, unescape(text(c)), [], "literal"))
        v = StringValue.join(node, parts)
        if v.dynamic:
            v.how = "an f-string"
        return v

    def string_value(self, node: ts.Node, ev: Evaluator, depth: int) -> StringValue | None:
        t = node.type
        if t == "string":
            return self._literal(node, ev, depth)
        if t == "concatenated_string":
            parts = [ev.value(c, depth) for c in node.named_children if c.type == "string"]
            if any(p is None for p in parts):
                return None
            return StringValue.join(node, parts)
        if t == "parenthesized_expression" and node.named_child_count == 1:
            return ev.value(node.named_children[0], depth)
        if t == "binary_operator":
            op = text(node.child_by_field_name("operator"))
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            if op == "+":
                return self.concat_value(node, left, right, ev, depth)
            if op == "%":
                lv = ev.value(left, depth)
                if lv is None or lv.dynamic:
                    return None if lv is None else StringValue.join(node, [lv, StringValue.opaque(right, text(right))], "%-formatting")
                return self._percent(node, lv.template, right)
            return None
        if t == "call":
            fn = node.child_by_field_name("function")
            if fn is not None and fn.type == "attribute" and text(fn.child_by_field_name("attribute")) == "format":
                base = ev.value(fn.child_by_field_name("object"), depth)
                if base is None:
                    return None
                args = node.child_by_field_name("arguments")
                return self._format(node, base, args)
            if fn is not None and fn.type == "attribute" and text(fn.child_by_field_name("attribute")) in ("strip", "lstrip", "rstrip", "upper", "lower"):
                return ev.value(fn.child_by_field_name("object"), depth)
            if fn is not None and text(fn) in ("str",) and node.child_by_field_name("arguments") is not None:
                a = node.child_by_field_name("arguments").named_children
                return ev.value(a[0], depth) if a else None
            if fn is not None and fn.type == "attribute" and text(fn.child_by_field_name("attribute")) == "join":
                sep = ev.value(fn.child_by_field_name("object"), depth)
                if sep is not None and not sep.dynamic:
                    return StringValue.opaque(node, text(node))
            return None
        if t == "identifier":
            return ev.variable(node, depth)
        return None

    def _percent(self, node: ts.Node, template: str, right: ts.Node) -> StringValue:
        values = right.named_children if right.type == "tuple" else [right]
        parts: list[StringValue] = []
        pos, i = 0, 0
        for m in _PERCENT_SPEC.finditer(template):
            parts.append(StringValue(node, template[pos:m.start()], [], "literal"))
            pos = m.end()
            if m.group(2) == "%":
                parts.append(StringValue(node, "%", [], "literal"))
                continue
            numeric = m.group(2) in _NUMERIC_VERBS
            val = values[i] if i < len(values) and right.type == "tuple" else right
            i += 1
            parts.append(StringValue.opaque(val, text(val), numeric))
        parts.append(StringValue(node, template[pos:], [], "literal"))
        return StringValue.join(node, parts, "%-formatting")

    def _format(self, node: ts.Node, base: StringValue, args: ts.Node | None) -> StringValue:
        pos_args = [a for a in (args.named_children if args is not None else []) if a.type != "keyword_argument"]
        kw_args = {text(a.child_by_field_name("name")): a.child_by_field_name("value")
                   for a in (args.named_children if args is not None else []) if a.type == "keyword_argument"}
        parts: list[StringValue] = []
        pos, auto = 0, 0
        tmpl = base.template
        for m in _FORMAT_FIELD.finditer(tmpl):
            parts.append(StringValue(node, tmpl[pos:m.start()], [], "literal"))
            pos = m.end()
            tok = m.group(0)
            if tok in ("{{", "}}"):
                parts.append(StringValue(node, tok[0], [], "literal"))
                continue
            field_name = re.split(r"[!:.\[]", tok[1:-1], maxsplit=1)[0]
            numeric = bool(re.search(r":[^}]*[dfeEgGn%]$", tok[:-1]))
            if field_name == "":
                val = pos_args[auto] if auto < len(pos_args) else None
                auto += 1
            elif field_name.isdigit():
                idx = int(field_name)
                val = pos_args[idx] if idx < len(pos_args) else None
            else:
                val = kw_args.get(field_name)
            parts.append(StringValue.opaque(val if val is not None else node, text(val) if val is not None else tok, numeric))
            if val is None:
                parts[-1].holes[0].node = None
        parts.append(StringValue(node, tmpl[pos:], [], "literal"))
        v = StringValue.join(node, parts, ".format()")
        # holes already in the base template (an f-string formatted again) stay holes
        return v

    # -- expression classes ------------------------------------------------------------------
    def numeric_expression(self, node: ts.Node) -> bool:
        if node.type in ("integer", "float", "true", "false", "none"):
            return True
        if node.type == "call":
            fn = squash(text(node.child_by_field_name("function")))
            return fn in self.knowledge.get("numeric_functions", ())
        if node.type == "unary_operator":
            return self.numeric_expression(node.named_children[-1])
        return False

    def constant_expression(self, node: ts.Node) -> bool:
        if node.type in ("integer", "float", "true", "false", "none"):
            return True
        if node.type == "string":
            return not any(c.type == "interpolation" for c in node.children)
        if node.type == "identifier":
            return bool(re.fullmatch(r"_?[A-Z][A-Z0-9_]*", text(node)))
        if node.type == "attribute":
            attr = text(node.child_by_field_name("attribute"))
            return bool(re.fullmatch(r"_?[A-Z][A-Z0-9_]*", attr)) or attr in ("db_table", "__tablename__", "model_name") \
                or squash(text(node)).endswith(("_meta.db_table", "_meta.pk.column", "__table__.name"))
        if node.type == "call":
            fn = squash(text(node.child_by_field_name("function")))
            return fn in self.knowledge.get("quoting_functions", ()) or fn.endswith(("quote_name", "quote_ident", "Identifier"))
        return False

    def placeholder_expression(self, node: ts.Node, ev: Evaluator) -> bool:
        """`SEP.join(parts)` where every part is SQL-safe: bind placeholders (", ".join(["%s"] * n)),
        or constant fragments such as a list of "col = %s" conditions built in the function."""
        if node.type != "call":
            return False
        fn = node.child_by_field_name("function")
        if fn is None or fn.type != "attribute" or text(fn.child_by_field_name("attribute")) != "join":
            return False
        sep = ev.value(fn.child_by_field_name("object"))
        if sep is None or sep.dynamic:
            return False
        args = node.child_by_field_name("arguments")
        if args is None:
            return False
        inner = args if args.type == "generator_expression" else (args.named_children[0] if args.named_children else None)
        return inner is not None and self._safe_parts(inner, ev, 0)

    def _safe_string(self, node: ts.Node, ev: Evaluator, depth: int) -> bool:
        v = ev.value(node, depth)
        return v is not None and all(ev.hole_is_safe(h, depth + 1) for h in v.holes)

    def _safe_parts(self, node: ts.Node, ev: Evaluator, depth: int) -> bool:
        """Every element the collection expression can yield is a safe string."""
        if depth > 6:
            return False
        t = node.type
        if t in ("list", "tuple", "set"):
            return all(self._safe_string(e, ev, depth + 1) for e in node.named_children)
        if t in ("generator_expression", "list_comprehension", "set_comprehension"):
            body = node.child_by_field_name("body")
            return body is not None and self._safe_string(body, ev, depth + 1)
        if t == "binary_operator" and text(node.child_by_field_name("operator")) == "*":
            # ["?"] * len(ids)
            return self._safe_parts(node.child_by_field_name("left"), ev, depth + 1)
        if t == "identifier":
            fn = ev.function_of(node)
            name = text(node)
            assigns = ev.facts.assignments_before(name, fn, node.start_byte)
            if not assigns or assigns[-1].value is None:
                return False
            if not all(a.value is not None and (self._safe_parts(a.value, ev, depth + 1) if a.op == "=" else
                                                 self._safe_parts(a.value, ev, depth + 1)) for a in assigns):
                return False
            # every .append(x) / .extend(xs) / .insert(i, x) on the list in this function, before the use
            for c in ev.facts.calls:
                if c.receiver != name or c.function is not fn or c.node.start_byte > node.start_byte:
                    continue
                if c.method == "append" and c.args:
                    if not self._safe_string(c.args[0], ev, depth + 1):
                        return False
                elif c.method == "insert" and len(c.args) > 1:
                    if not self._safe_string(c.args[1], ev, depth + 1):
                        return False
                elif c.method == "extend" and c.args:
                    if not self._safe_parts(c.args[0], ev, depth + 1):
                        return False
            return True
        return False


def _descendants(node: ts.Node, limit: int = 200):
    stack, n = [node], 0
    while stack and n < limit:
        cur = stack.pop()
        n += 1
        yield cur
        stack.extend(cur.named_children)
