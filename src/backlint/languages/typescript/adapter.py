"""TypeScript (.ts, .tsx): the JavaScript adapter over the TypeScript grammars.

The adapter is not told the file name, so `parse` tries the `typescript` grammar first (it
knows `<T>x` type assertions) and falls back to the `tsx` grammar when that leaves fewer
syntax errors (JSX in .tsx files). Facts are read with the query compiled for the grammar that
produced the tree.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import tree_sitter as ts
import tree_sitter_typescript
import yaml

from ..javascript.adapter import _FUNCTION_TYPES, Adapter as JavaScriptAdapter, unwrap
from ..base import Facts, text

_ERRORS = "(ERROR) @e"
# parameters declared with these types hold numbers or booleans (TypeScript callers cannot
# pass SQL text there without a cast)
_NUMERIC_TYPES = frozenset({"number", "bigint", "boolean"})
_NUMERIC_ARRAY = re.compile(r"(readonly)?(number|bigint)\[\]|(Readonly)?Array<(number|bigint)>")


class Adapter(JavaScriptAdapter):
    name = "typescript"
    directory = Path(__file__).parent
    # the typescript and tsx grammars share JavaScript's node types for every fact captured
    facts_file = Path(__file__).parent.parent / "javascript" / "facts.scm"

    def __init__(self) -> None:
        super().__init__()
        self.tsx_language = ts.Language(tree_sitter_typescript.language_tsx())
        self.tsx_parser = ts.Parser(self.tsx_language)
        self.tsx_facts_query = ts.Query(self.tsx_language, self.facts_file.read_text(encoding="utf-8"))
        self._alias_tables: dict = {}
        self._error_queries = {id(self.ts_language): ts.Query(self.ts_language, _ERRORS),
                               id(self.tsx_language): ts.Query(self.tsx_language, _ERRORS)}

    def _load_language(self) -> ts.Language:
        return ts.Language(tree_sitter_typescript.language_typescript())

    def _load_knowledge(self) -> dict[str, Any]:
        # the JavaScript knowledge.yaml and its knowledge.d/*.yaml topic files, then our own
        js = Path(__file__).parent.parent / "javascript"
        base: dict[str, Any] = {}
        for path in [js / "knowledge.yaml"] + sorted((js / "knowledge.d").glob("*.yaml")):
            if path.is_file():
                with open(path, encoding="utf-8") as fh:
                    base.update(yaml.safe_load(fh) or {})
        own = super()._load_knowledge()
        for k, v in own.items():
            if isinstance(v, list) and isinstance(base.get(k), list):
                base[k] = base[k] + v
            else:
                base[k] = v
        return base

    def _errors(self, tree: ts.Tree, language: ts.Language) -> int:
        if not tree.root_node.has_error:
            return 0
        caps = ts.QueryCursor(self._error_queries[id(language)]).captures(tree.root_node)
        return max(1, len(caps.get("e", [])))

    def parse(self, source: bytes) -> ts.Tree:
        tree = self.parser.parse(source)
        if not tree.root_node.has_error:
            return tree
        tsx = self.tsx_parser.parse(source)
        if self._errors(tsx, self.tsx_language) < self._errors(tree, self.ts_language):
            return tsx
        return tree

    def facts(self, tree: ts.Tree) -> Facts:
        self._alias_tables = {}
        if tree.language != self.tsx_language:
            return super().facts(tree)
        saved = self.facts_query
        self.facts_query = self.tsx_facts_query
        try:
            return super().facts(tree)
        finally:
            self.facts_query = saved

    # -- typed parameters ---------------------------------------------------------------------
    def _numeric(self, node, depth: int) -> bool:
        n = unwrap(node)
        if n is not None and n.type == "identifier" and self._parameter_type(n) in _NUMERIC_TYPES:
            return True
        if n is not None and n.type == "call_expression":
            # ids.join(',') where ids: number[]
            m, recv = self._method_of(n)
            recv = unwrap(recv)
            if m == "join" and recv is not None and recv.type == "identifier" and \
                    _NUMERIC_ARRAY.fullmatch(self._parameter_type(recv) or ""):
                return True
        return super()._numeric(node, depth)

    def _constant(self, node, depth: int) -> bool:
        n = unwrap(node)
        if n is not None and n.type == "identifier":
            declared = self._parameter_type(n, literal_unions=True)
            if declared == "<literal>":
                return True
        if n is not None and n.type == "call_expression" and n.child_by_field_name("function") is not None \
                and text(n.child_by_field_name("function")) == "String":
            al = n.child_by_field_name("arguments")
            args = [a for a in al.named_children if a.type != "comment"] if al is not None else []
            if len(args) == 1:
                return self._constant(args[0], depth + 1)
        return super()._constant(node, depth)

    def _parameter_type(self, ident, literal_unions: bool = False) -> str | None:
        """The declared type of the parameter an identifier names (`id: number` -> "number",
        `ids: number[]` -> "number[]"); with literal_unions, "<literal>" for `'ASC' | 'DESC'` and
        `keyof T` (values the type checker restricts to names chosen in code)."""
        name = text(ident)
        p, steps = ident.parent, 0
        while p is not None and steps < 400:
            if p.type in _FUNCTION_TYPES:
                params = p.child_by_field_name("parameters")
                for prm in (params.named_children if params is not None else []):
                    if prm.type not in ("required_parameter", "optional_parameter"):
                        continue
                    pat = prm.child_by_field_name("pattern")
                    if pat is None or pat.type != "identifier" or text(pat) != name:
                        continue
                    ann = prm.child_by_field_name("type")
                    if ann is None:
                        default = unwrap(prm.child_by_field_name("value"))
                        if default is not None and (default.type == "number" or (
                                default.type == "unary_expression" and text(default).lstrip("-+").isdigit())):
                            return "number"  # limit = -1: inferred as number
                        return None
                    kids = list(ann.named_children)
                    if len(kids) != 1:
                        return None
                    t = kids[0]
                    if t.type == "predefined_type":
                        return text(t)
                    if literal_unions and (self._literal_type(t, 0) or self._literal_alias(t, p)):
                        return "<literal>"
                    return "".join(text(t).split())
                if p.type not in ("arrow_function", "function_expression"):
                    return None  # only closures see the parameters of the function around them
            p = p.parent
            steps += 1
        return None

    def _literal_alias(self, t, anchor) -> bool:
        """A parameter typed with a type alias of literals (`type Table = 'a' | 'b'`) or a string
        or number enum declared at the top of the same file."""
        if t.type != "type_identifier":
            return False
        root = anchor
        steps = 0
        while root.parent is not None and steps < 1000:
            root = root.parent
            steps += 1
        table = self._alias_tables.get(root.id)
        if table is None:
            table = {}
            for st in root.named_children:
                decl = st.child_by_field_name("declaration") if st.type == "export_statement" else st
                if decl is None:
                    continue
                name = text(decl.child_by_field_name("name"))
                if decl.type == "type_alias_declaration":
                    value = decl.child_by_field_name("value")
                    table[name] = value is not None and self._literal_type(value, 0)
                elif decl.type == "enum_declaration":
                    table[name] = True
            self._alias_tables[root.id] = table
        return table.get(text(t), False)

    def _literal_type(self, t, depth: int) -> bool:
        if depth > 20:
            return False
        if t.type == "literal_type":
            return True
        if t.type == "union_type":
            return all(self._literal_type(c, depth + 1) for c in t.named_children)
        if t.type == "index_type_query":  # keyof T
            return True
        if t.type == "parenthesized_type":
            return all(self._literal_type(c, depth + 1) for c in t.named_children)
        return False
