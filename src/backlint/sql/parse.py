"""Turn a string template into sqlglot expressions.

Host-language strings reach here as templates whose interpolation holes are marked (see
languages.base.hole_marker). Holes become identifiers (`__bl_h0`) so that a hole standing for a
value, a column, a table or a whole clause still parses. Bind placeholders of every driver
(`?`, `%s`, `%(name)s`, `$1`, `:name`, `@p`) are normalised first. sqlglot is imported on first
use only, and only for strings that the cheap prefilter lets through.
"""

from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass
from typing import Any

HOLE_RE = re.compile("\ue000(\\d+)\ue001")
_PREFILTER = re.compile(
    r"""^[\s(]*(?:
        (?:with\s+(?:recursive\s+)?\w+[\s\S]*?\bas\s*\()|
        (?:select\b[\s\S]+?\bfrom\b)|
        (?:select\s+(?:\d|count|exists|now|current_|\w+\s*\())|
        (?:insert\s+(?:or\s+\w+\s+|ignore\s+)?into\b)|
        (?:replace\s+into\b)|
        (?:update\s+[\w"`\[\].\ue000-\ue001]+\s+(?:as\s+\w+\s+|\w+\s+)?set\b)|
        (?:delete\s+(?:from\b|\w+\s+from\b))|
        (?:merge\s+into\b)|
        (?:(?:drop|create(?:\s+or\s+replace)?|alter|truncate)\s+(?:temporary\s+|temp\s+|unique\s+)?(?:table|index|view|schema|database|sequence|function|trigger)\b)|
        (?:upsert\b)
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_PLACEHOLDERS = [
    (re.compile(r"%\((\w+)\)s"), r":\1"),
    (re.compile(r"%[sd]|(?<![\w?])\?\d+\b"), "?"),  # %s, %d, JPQL ?1
    (re.compile(r"(?<![\w:]):(\w+)"), r":\1"),
]
_ENGLISH = {"the", "a", "an", "your", "our", "my", "this", "that", "these", "those", "to", "of", "please",
            "you", "we", "it", "is", "are", "which", "list", "following", "one", "value", "option"}
_LOG_SILENCED = False


def hole_placeholder(i: int) -> str:
    return f"__bl_h{i}"


def looks_like_sql(template: str) -> bool:
    """Cheap prefilter: does the text open with an SQL statement shape?"""
    if len(template) < 10:
        return False
    return _PREFILTER.match(template) is not None


@dataclass(frozen=True)
class SqlStatement:
    expression: Any  # sqlglot Expression
    text: str  # the statement text as given (holes as placeholders)
    offset: int  # offset of the statement's first character in the parsed text


@dataclass(frozen=True)
class ParsedSql:
    statements: tuple[SqlStatement, ...]
    text: str


def _silence() -> None:
    global _LOG_SILENCED
    if not _LOG_SILENCED:
        logging.getLogger("sqlglot").setLevel(logging.CRITICAL)
        _LOG_SILENCED = True


def normalise(template: str) -> str:
    s = HOLE_RE.sub(lambda m: hole_placeholder(int(m.group(1))), template)
    s = s.replace("%%", "%")
    for rx, rep in _PLACEHOLDERS[:2]:
        s = rx.sub(rep, s)
    return s


@functools.lru_cache(maxsize=4096)
def parse_sql(template: str, dialect: str | None = None, prefiltered: bool = False) -> ParsedSql | None:
    """Parse SQL text (a host-string template or a script). None if it is not SQL."""
    if not prefiltered and not looks_like_sql(template):
        return None
    _silence()
    import sqlglot
    from sqlglot import exp

    text = normalise(template)
    try:
        trees = sqlglot.parse(text, read=dialect, error_level=sqlglot.ErrorLevel.RAISE)
    except RecursionError:
        return None
    except Exception:  # sqlglot raises ParseError/TokenError and, on odd input, others
        if dialect is None:
            return _parse_lenient(text)
        return None
    stmts = []
    for t in trees:
        if t is None or isinstance(t, exp.Command):
            continue
        if _is_prose(t):
            return None
        stmts.append(SqlStatement(t, text, _leading_ws(text)))
    if not stmts:
        return None
    return ParsedSql(tuple(stmts), text)


def _parse_lenient(text: str) -> ParsedSql | None:
    """Retry with the dialects whose syntax most often trips the default one."""
    import sqlglot
    from sqlglot import exp

    for d in ("postgres", "mysql", "tsql"):
        try:
            trees = sqlglot.parse(text, read=d)
        except Exception:
            continue
        stmts = [SqlStatement(t, text, _leading_ws(text)) for t in trees if t is not None and not isinstance(t, exp.Command)]
        if stmts and not any(_is_prose(s.expression) for s in stmts):
            return ParsedSql(tuple(stmts), text)
    return None


def _leading_ws(s: str) -> int:
    return len(s) - len(s.lstrip())


def _is_prose(tree: Any) -> bool:
    """'Select a value from the list' parses; no real query names a table `the`."""
    from sqlglot import exp

    for ident in tree.find_all(exp.Identifier):
        if not ident.quoted and ident.name.lower() in _ENGLISH and not isinstance(ident.parent, exp.Column):
            return True
    tables = list(tree.find_all(exp.Table))
    for t in tables:
        if t.name.lower() in _ENGLISH:
            return True
    return False


def split_sql_script(script: str) -> list[tuple[int, str]]:
    """Split a .sql script into (start offset, statement text) at top-level semicolons,
    skipping quoted strings, quoted identifiers, comments and dollar-quoted bodies."""
    out: list[tuple[int, str]] = []
    i, n, start = 0, len(script), 0
    while i < n:
        ch = script[i]
        if ch == "-" and script.startswith("--", i):
            j = script.find("\n", i)
            i = n if j < 0 else j
            continue
        if ch == "/" and script.startswith("/*", i):
            j = script.find("*/", i + 2)
            i = n if j < 0 else j + 2
            continue
        if ch in ("'", '"', "`"):
            j = i + 1
            while j < n:
                if script[j] == ch:
                    if j + 1 < n and script[j + 1] == ch:
                        j += 2
                        continue
                    break
                j += 1
            i = j + 1
            continue
        if ch == "$":
            m = re.match(r"\$(\w*)\$", script[i:i + 64])
            if m:
                tag = m.group(0)
                j = script.find(tag, i + len(tag))
                i = n if j < 0 else j + len(tag)
                continue
        if ch == ";":
            out.append((start, script[start:i]))
            start = i + 1
        i += 1
    if script[start:].strip():
        out.append((start, script[start:]))
    result = []
    for off, stmt in out:
        body = _strip_leading_comments(stmt)
        if body.strip():
            lead = len(stmt) - len(body)
            result.append((off + lead + _leading_ws(body), body.strip()))
    return result


def _strip_leading_comments(s: str) -> str:
    while True:
        t = s.lstrip()
        if t.startswith("--"):
            j = t.find("\n")
            s = "" if j < 0 else t[j + 1:]
        elif t.startswith("/*"):
            j = t.find("*/")
            s = "" if j < 0 else t[j + 2:]
        else:
            return s
