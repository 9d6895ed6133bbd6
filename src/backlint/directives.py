"""One parser for every directive found in comments.

Suppressions:      backlint: ignore[<id>, <id>] <reason>
                   backlint: file-ignore[<id>] <reason>
Fixture annotations (read by the tests only):
                   expect: <id>   ok: <id>   todo-expect: <id>   todo-ok: <id>

Placement (shared by both): a trailing comment targets the statement it trails (its first line);
a comment alone on its line targets the next code line. The caller resolves the target line;
this module only reads the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SUPPRESS_RE = re.compile(r"backlint:\s*(ignore|file-ignore)\s*(\[([^\]]*)\])?\s*([^\n]*)")
ANNOTATION_RE = re.compile(r"(?<![\w-])(todo-expect|todo-ok|expect|ok):\s*([a-z][a-z0-9-]*(?:\s*,\s*[a-z][a-z0-9-]*)*)")
ID_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Comment:
    text: str
    line: int  # 1-based first line of the comment
    end_line: int
    col: int  # 1-based column
    trailing: bool  # code precedes the comment on its first line
    target_line: int  # resolved by the language layer (see module doc)
    start_byte: int = 0
    end_byte: int = 0


@dataclass(frozen=True)
class Suppression:
    kind: str  # ignore | file-ignore
    rule_ids: tuple[str, ...]
    reason: str
    comment: Comment
    error: str | None = None  # malformed directive (e.g. missing ids)

    @property
    def target_line(self) -> int:
        return self.comment.target_line


@dataclass(frozen=True)
class Annotation:
    kind: str  # expect | ok | todo-expect | todo-ok
    rule_id: str
    line: int  # target line
    comment_line: int


def parse_suppressions(comments: list[Comment]) -> list[Suppression]:
    out = []
    for c in comments:
        for m in SUPPRESS_RE.finditer(c.text):
            kind, bracket, ids_text, reason = m.group(1), m.group(2), m.group(3), m.group(4)
            reason = _strip_comment_close(reason).strip()
            if bracket is None or not (ids_text or "").strip():
                out.append(Suppression(kind, (), reason, c, error=f"`backlint: {kind}` needs rule ids, e.g. {kind}[select-star]"))
                continue
            ids = tuple(i.strip() for i in ids_text.split(",") if i.strip())
            bad = [i for i in ids if not ID_RE.match(i)]
            if bad:
                out.append(Suppression(kind, ids, reason, c, error=f"malformed rule id {bad[0]!r} in suppression"))
                continue
            out.append(Suppression(kind, ids, reason, c))
    return out


def parse_annotations(comments: list[Comment]) -> list[Annotation]:
    out = []
    for c in comments:
        for m in ANNOTATION_RE.finditer(c.text):
            for rid in m.group(2).split(","):
                out.append(Annotation(m.group(1), rid.strip(), c.target_line, c.line))
    return out


def _strip_comment_close(text: str) -> str:
    for closer in ("*/", "-->", "%>", "?>"):
        if text.rstrip().endswith(closer):
            text = text.rstrip()[: -len(closer)]
    return text
