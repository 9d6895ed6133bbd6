"""Helpers every check shares: message text (shortening, eliding arguments, keeping code
literal for `ctx.finding`'s formatting) and one DbCall per call chain."""

from __future__ import annotations

import re

from ...languages.base import DbCall


def outermost(dbs: list[DbCall]) -> list[DbCall]:
    """One DbCall per call chain (`Order.objects.filter(...).order_by(...)` is one query)."""
    starts: dict[int, DbCall] = {}
    for d in dbs:
        n = d.call.node
        cur = starts.get(n.start_byte)
        if cur is None or n.end_byte > cur.call.node.end_byte:
            starts[n.start_byte] = d
    return sorted(starts.values(), key=lambda d: d.call.node.start_byte)


def short(s: str, n: int = 60) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


def literal(msg: str) -> str:
    """ctx.finding formats its message: keep code in it literal."""
    return msg.replace("{", "{{").replace("}", "}}")


_COMMENTS = re.compile(r"//[^\n]*|/\*.*?\*/|#(?![\[{])[^\n]*", re.S)


def elide_args(callee: str) -> str:
    """`db.Raw("SELECT…").Scan` -> `db.Raw(…).Scan`; comments inside a multi-line chain dropped."""
    if "\n" in callee:
        callee = re.sub(r"\s+", " ", _COMMENTS.sub(" ", callee))
    prev = None
    while prev != callee:
        prev = callee
        callee = re.sub(r"\((?:[^()]|\(…\))+\)", "(…)", callee)
    return callee
