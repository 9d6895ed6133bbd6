"""select-star: SELECT * / t.* that fetches a table's columns, in host strings and .sql files."""

from __future__ import annotations

from typing import Iterator

from ...model import Finding
from ...sql.analysis import star_projections


def check(ctx, rule) -> Iterator[Finding]:
    for sql in ctx.embedded_sql:
        for stmt in sql.parsed.statements:
            seen = set()
            for proj, tables in star_projections(stmt.expression):
                star = proj.sql() if proj is not None else "*"
                key = (star, tables)
                if key in seen:
                    continue
                seen.add(key)
                if sql.node is not None:
                    at = sql.node
                else:
                    at = ctx.span(sql.start_byte, sql.end_byte)
                yield ctx.finding(rule, at, {"star": star, "table": tables},
                                  fingerprint_basis=f"{star}|{tables}|{' '.join(stmt.text.split())[:300]}")
