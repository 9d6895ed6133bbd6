"""FileContext: one file, parsed once, with lazily computed facts, SQL and comments."""

from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Iterable

from ..directives import Comment
from ..languages import adapter_for
from ..languages.base import Evaluator, Facts, StringValue, squash, text
from ..model import Finding, Related, Span
from ..rules.catalog import Rule


class _SafeDict(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@dataclass
class EmbeddedSql:
    """SQL found in a host-language string (or a whole statement of a .sql file)."""

    value: StringValue | None  # None for .sql files
    node: Any  # tree-sitter node of the string expression (None for .sql files)
    parsed: Any  # ParsedSql
    start_byte: int
    end_byte: int


class FileContext:
    def __init__(self, path: str, language: str, source: bytes, settings: Any, rule_options: dict[str, dict]):
        self.path = path
        self.language = language
        self.source = source
        self.settings = settings
        self.rule_options = rule_options
        self.adapter = adapter_for(language)
        self.text = source.decode("utf-8", "replace")
        self._line_starts = [0] + [m.end() for m in re.finditer(b"\n", source)]

    # -- parsing -----------------------------------------------------------------------------
    @cached_property
    def tree(self):
        return self.adapter.parse(self.source) if self.adapter is not None else None

    @cached_property
    def facts(self) -> Facts | None:
        if self.adapter is None:
            return None
        return self.adapter.facts(self.tree)

    @cached_property
    def routes(self) -> list:
        """The file's route handlers (RouteHandler facts); [] for non-code files."""
        if self.adapter is None or self.facts is None:
            return []
        return self.adapter.route_handlers(self.facts, self.path)

    @cached_property
    def evaluator(self) -> Evaluator:
        return Evaluator(self.adapter, self.facts)

    @property
    def dialect(self) -> str | None:
        return self.settings.sql_dialect

    # -- positions ---------------------------------------------------------------------------
    def line_col(self, byte: int) -> tuple[int, int]:
        i = bisect.bisect_right(self._line_starts, byte) - 1
        start = self._line_starts[i]
        col = len(self.source[start:byte].decode("utf-8", "replace")) + 1
        return i + 1, col

    def span(self, start_byte: int, end_byte: int) -> Span:
        sl, sc = self.line_col(start_byte)
        el, ec = self.line_col(end_byte)
        return Span(sl, sc, el, ec, start_byte, end_byte)

    def node_span(self, node: Any) -> Span:
        return self.span(node.start_byte, node.end_byte)

    def char_to_byte(self, char_offset: int) -> int:
        return len(self.text[:char_offset].encode("utf-8", "surrogatepass"))

    def line_text(self, line: int) -> str:
        start = self._line_starts[line - 1]
        end = self._line_starts[line] - 1 if line < len(self._line_starts) else len(self.source)
        return self.source[start:end].decode("utf-8", "replace")

    # -- statements and comments (directive placement) ---------------------------------------
    def statement_line(self, byte: int) -> int:
        """First line of the statement holding this byte."""
        if self.language == "dotenv":
            return self.line_col(byte)[0]
        if self.adapter is None:
            for start, end in self.sql_statement_ranges:
                if start <= byte <= end:  # the terminating `;` belongs to the statement
                    return self.line_col(start)[0]
            return self.line_col(byte)[0]
        node = self.adapter.statement_at(self.tree.root_node, byte)
        return node.start_point[0] + 1

    @cached_property
    def sql_statement_ranges(self) -> list[tuple[int, int]]:
        from ..sql import split_sql_script

        out = []
        for off, stmt in split_sql_script(self.text):
            b = self.char_to_byte(off)
            out.append((b, b + len(stmt.encode("utf-8", "surrogatepass"))))
        return out

    @cached_property
    def comments(self) -> list[Comment]:
        out = []
        if self.language == "dotenv":
            for start, end in _hash_comments(self.text):
                out.append(self._comment(self.char_to_byte(start), self.char_to_byte(end), self.text[start:end]))
            return out
        if self.adapter is None:
            for start, end in _sql_comments(self.text):
                out.append(self._comment(self.char_to_byte(start), self.char_to_byte(end), self.text[start:end]))
            return out
        for node in self.facts.comments:
            out.append(self._comment(node.start_byte, node.end_byte, text(node)))
        return out

    def _comment(self, start: int, end: int, body: str) -> Comment:
        line, col = self.line_col(start)
        end_line, _ = self.line_col(end)
        line_start = self._line_starts[line - 1]
        before = self.source[line_start:start]
        trailing = bool(before.strip())
        if trailing:
            # the last code byte before the comment decides the statement
            target = self.statement_line(line_start + len(before.rstrip()) - 1)
        else:
            target = self._next_code_line(end_line)
        return Comment(body, line, end_line, col, trailing, target, start, end)

    @cached_property
    def _comment_only_lines(self) -> set[int]:
        """Lines that hold nothing but comment text (blank lines are handled separately)."""
        out: set[int] = set()
        for c in (self.facts.comments if self.adapter is not None else []):
            first, last = c.start_point[0] + 1, c.end_point[0] + 1
            line_start = self._line_starts[first - 1]
            if not self.source[line_start:c.start_byte].strip():
                out.update(range(first, last + 1))
            else:
                out.update(range(first + 1, last + 1))
        return out

    def _next_code_line(self, after_line: int) -> int:
        only = self._comment_only_lines
        n = len(self._line_starts)
        ln = after_line + 1
        while ln <= n:
            t = self.line_text(ln).strip()
            if t and ln not in only and not (self.language == "sql" and t.startswith("--")) \
                    and not (self.language == "dotenv" and t.startswith("#")):
                return ln
            ln += 1
        return after_line + 1

    # -- embedded SQL ------------------------------------------------------------------------
    @cached_property
    def embedded_sql(self) -> list[EmbeddedSql]:
        from ..sql import looks_like_sql, parse_sql

        out: list[EmbeddedSql] = []
        if self.language == "dotenv":
            return out
        if self.adapter is None:
            for start, end in self.sql_statement_ranges:
                stmt = self.source[start:end].decode("utf-8", "replace")
                parsed = parse_sql(stmt, self.dialect, prefiltered=True)
                if parsed is not None:
                    out.append(EmbeddedSql(None, None, parsed, start, end))
            return out
        ev = self.evaluator
        facts = self.facts
        fn_key = lambda f: f.node.id if f is not None else 0
        # a literal assigned to a variable that is appended to later, or spliced into a longer
        # string, is not the query: the variable's final value is (analysed at its use)
        appended = {(fn_key(a.function), a.name) for a in facts.assignments if a.op == "+="}
        by_value = {a.value.id: a for a in facts.assignments if a.value is not None and a.op == "="}
        roots_by_fn: dict[int, list] = {}
        for node in facts.strings:
            roots_by_fn.setdefault(fn_key(ev.function_of(node)), []).append(node)
        deferred: dict[tuple[int, str], object] = {}  # -> the literal where the query text starts
        seen_nodes: set[int] = set()
        for node in facts.strings:
            if node.has_error:
                continue
            a = by_value.get(node.id)
            if a is not None:
                key = (fn_key(a.function), a.name)
                if key in appended or self._spliced_later(a, roots_by_fn.get(key[0], ())):
                    deferred.setdefault(key, node)
                    continue
            self._add_sql(out, ev.value(node), node, seen_nodes)
        if deferred:
            for report, _name, _entry, arg in self.adapter.sql_sink_args(facts):
                name = self.adapter.is_local_name(arg) if arg is not None else None
                if name is None or arg.has_error:
                    continue
                start = deferred.get((fn_key(ev.function_of(arg)), name))
                if start is not None:
                    # analyse the final value, report where the query text is written
                    self._add_sql(out, ev.value(arg), start, seen_nodes)
        return out

    @cached_property
    def sink_arg_nodes(self) -> set[int]:
        """Node ids of expressions that reach a query call: each SQL argument, and for a local
        variable argument the values assigned to it in that function."""
        out: set[int] = set()
        if self.adapter is None:
            return out
        ev = self.evaluator
        for _report, _name, _entry, arg in self.adapter.sql_sink_args(self.facts):
            if arg is None:
                continue
            out.add(arg.id)
            name = self.adapter.is_local_name(arg)
            if name is not None:
                for a in self.facts.assignments_before(name, ev.function_of(arg), arg.start_byte):
                    if a.value is not None:
                        out.add(a.value.id)
        return out

    def _spliced_later(self, a, roots) -> bool:
        """The variable is used inside another string expression of the same function after
        its assignment (`base + " WHERE ..."`, f"{base} LIMIT 10")."""
        from ..sql import looks_like_sql

        rx = re.compile(r"(?<![\w$@])[$@]?" + re.escape(a.name) + r"(?!\w)")
        for r in roots:
            if r.start_byte > a.node.end_byte and r.type != "string" and rx.search(text(r)[:2000]):
                v = self.evaluator.value(r)
                if v is not None and looks_like_sql(v.template):
                    return True  # "Your query was: " + query does not count
        return False

    def _add_sql(self, out: list, v, node, seen: set) -> None:
        from ..sql import looks_like_sql, parse_sql

        if v is None or node.id in seen or not looks_like_sql(v.template):
            return
        parsed = parse_sql(v.template, self.dialect)
        if parsed is not None:
            seen.add(node.id)
            out.append(EmbeddedSql(v, node, parsed, node.start_byte, node.end_byte))

    # -- findings ----------------------------------------------------------------------------
    def options(self, rule: Rule) -> dict[str, Any]:
        return self.rule_options.get(rule.id, rule.default_options())

    def finding(self, rule: Rule, at: Any, params: dict[str, Any] | None = None, *,
                message: str | None = None, snippet: str | None = None, fingerprint_basis: str | None = None,
                related: Iterable[Related] = (), properties: dict[str, Any] | None = None) -> Finding:
        span = at if isinstance(at, Span) else self.node_span(at)
        msg = (message or rule.message).format_map(_SafeDict(params or {}))
        if snippet is None:
            snippet = self.source[span.start_byte:span.end_byte].decode("utf-8", "replace")
            if len(snippet) > 400:
                snippet = snippet[:400] + "…"
        return Finding(
            rule_id=rule.id, path=self.path, span=span, message=msg, severity=rule.severity,
            confidence=rule.confidence, snippet=snippet,
            fingerprint_basis=fingerprint_basis if fingerprint_basis is not None else squash(snippet),
            anchor_line=self.statement_line(span.start_byte), related=tuple(related),
            properties=dict(properties or {}),
        )


def fingerprint(rule_id: str, path: str, basis: str) -> str:
    return hashlib.sha256(f"{rule_id}\0{path}\0{basis}".encode("utf-8", "surrogatepass")).hexdigest()[:20]


def _hash_comments(text: str) -> list[tuple[int, int]]:
    """`# ...` comments of .env files: a whole line, or after whitespace outside quotes."""
    out = []
    pos = 0
    for line in text.splitlines(keepends=True):
        quote = None
        for i, ch in enumerate(line):
            if quote:
                if ch == quote:
                    quote = None
            elif ch in ("'", '"'):
                quote = ch
            elif ch == "#" and (i == 0 or line[i - 1].isspace()):
                out.append((pos + i, pos + len(line.rstrip("\r\n"))))
                break
        pos += len(line)
    return out


def _sql_comments(script: str) -> list[tuple[int, int]]:
    out = []
    i, n = 0, len(script)
    while i < n:
        ch = script[i]
        if script.startswith("--", i):
            j = script.find("\n", i)
            j = n if j < 0 else j
            out.append((i, j))
            i = j
        elif script.startswith("/*", i):
            j = script.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append((i, j))
            i = j
        elif ch in ("'", '"'):
            j = script.find(ch, i + 1)
            i = n if j < 0 else j + 1
        else:
            i += 1
    return out
