"""write-without-where: UPDATE/DELETE with no WHERE of its own (embedded SQL and .sql files).

ORM equivalents are `match:` queries in the rule's YAML.
"""

from __future__ import annotations

import re
from typing import Iterator

from ...model import Finding
from ...sql.analysis import writes_without_where


def _holes_outside_set(tree) -> bool:
    """A hole that is not a value in a SET list, nor the table name itself, may be a WHERE
    clause we cannot see (`"DELETE FROM users " + where`)."""
    from sqlglot import exp

    for ident in tree.find_all(exp.Identifier):
        if not ident.name.startswith("__bl_h"):
            continue
        if isinstance(ident.parent, exp.Table) and ident.parent.this is ident and re.fullmatch(r"__bl_h\d+", ident.name):
            continue  # `DELETE FROM {table}`: the hole names the table, it cannot hold a WHERE
        # `DELETE FROM ${table}${where}` glues holes into one identifier: may hold a WHERE
        p, in_set = ident.parent, False
        while p is not None:
            if isinstance(p, exp.EQ) and isinstance(p.parent, exp.Update) and p in p.parent.expressions:
                in_set = True
                break
            p = p.parent
        if not in_set:
            return True
    return False


def check(ctx, rule) -> Iterator[Finding]:
    for sql in ctx.embedded_sql:
        dynamic = sql.value is not None and sql.value.dynamic
        if dynamic and sql.node is not None and sql.node.id not in ctx.sink_arg_nodes:
            continue  # a dynamic fragment not run here (query compilers append the WHERE later)
        for stmt in sql.parsed.statements:
            if dynamic and _holes_outside_set(stmt.expression):
                continue
            for kind, table in writes_without_where(stmt.expression):
                at = sql.node if sql.node is not None else ctx.span(sql.start_byte, sql.end_byte)
                yield ctx.finding(rule, at, {"kind": kind, "table": table},
                                  fingerprint_basis=f"{kind}|{table}|{' '.join(stmt.text.split())[:300]}")
