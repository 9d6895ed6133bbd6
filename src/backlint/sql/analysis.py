"""Questions the SQL rules ask of a parsed statement."""

from __future__ import annotations

from typing import Any, Iterator


def star_projections(tree: Any) -> Iterator[tuple[Any, str]]:
    """Every `*` / `t.*` in a SELECT list that fetches a table's columns.

    Not counted: COUNT(*) and other function arguments, SELECT * inside EXISTS (...), a
    SELECT with no FROM, and the outer SELECT * of a query over a derived table or CTE whose
    own projection names its columns.
    """
    from sqlglot import exp

    for select in tree.find_all(exp.Select):
        if _inside_exists(select):
            continue
        from_ = select.args.get("from") or select.args.get("from_")
        if from_ is None:
            continue
        for proj in select.expressions:
            star = None
            if isinstance(proj, exp.Star):
                star = "*"
            elif isinstance(proj, exp.Column) and isinstance(proj.this, exp.Star):
                star = f"{proj.table}.*" if proj.table else "*"
            if star is None:
                continue
            tables = _fetched_tables(select, proj)
            if not tables:
                continue  # only derived tables / CTEs with explicit columns
            yield proj, ", ".join(tables)


def _inside_exists(node: Any) -> bool:
    from sqlglot import exp

    p = node.parent
    while p is not None:
        if isinstance(p, exp.Exists):
            return True
        if isinstance(p, (exp.Select,)) and p is not node:
            return False
        p = p.parent
    return False


def _cte_names(select: Any) -> dict[str, Any]:
    from sqlglot import exp

    names = {}
    p = select
    while p is not None:
        w = p.args.get("with") or p.args.get("with_") if hasattr(p, "args") else None
        if w is not None:
            for cte in w.expressions:
                names[cte.alias_or_name.lower()] = cte.this
        p = p.parent
    return names


def _fetched_tables(select: Any, proj: Any) -> list[str]:
    """Base tables whose columns the star expands to (CTEs and subqueries that themselves
    select * are followed; ones with named columns are not)."""
    from sqlglot import exp

    ctes = _cte_names(select)
    sources = []
    from_ = select.args.get("from") or select.args.get("from_")
    sources.append(from_.this)
    for j in select.args.get("joins") or []:
        sources.append(j.this)
    qualifier = proj.table.lower() if isinstance(proj, exp.Column) and proj.table else None
    out = []
    for src in sources:
        alias = (src.alias_or_name or "").lower()
        if qualifier and alias != qualifier and getattr(src, "name", "").lower() != qualifier:
            continue
        if isinstance(src, exp.Table):
            name = src.name
            if name.lower() in ctes:
                inner = ctes[name.lower()]
                if _selects_star(inner):
                    out.append(name)
                continue
            if name.startswith("__bl_h"):
                out.append("(dynamic table)")
            else:
                out.append(".".join(p for p in (src.db, name) if p) if src.db else name)
        elif isinstance(src, exp.Subquery):
            if _selects_star(src.this):
                out.append(src.alias_or_name or "subquery")
        else:
            # table functions, VALUES lists, UNNEST: no table columns fetched
            continue
    return out


def _selects_star(q: Any) -> bool:
    from sqlglot import exp

    if isinstance(q, exp.Union):
        return _selects_star(q.this) or _selects_star(q.expression)
    if isinstance(q, exp.Select):
        return any(isinstance(e, exp.Star) or (isinstance(e, exp.Column) and isinstance(e.this, exp.Star)) for e in q.expressions)
    return False


def writes_without_where(tree: Any) -> Iterator[tuple[str, str]]:
    """(kind, table) for each UPDATE/DELETE in the statement that has no WHERE of its own.
    A WHERE only inside a subquery does not count. DELETE ... USING / UPDATE ... FROM joins
    without a WHERE still touch every row and count; TRUNCATE is deliberate and does not."""
    from sqlglot import exp

    for node in tree.find_all(exp.Update, exp.Delete):
        if node.args.get("where") is not None:
            continue
        if isinstance(node, exp.Update) and not node.expressions:
            continue  # "UPDATE t SET" alone: a fragment completed elsewhere
        if node.args.get("limit") is not None and isinstance(node, exp.Delete):
            continue  # DELETE ... LIMIT n (MySQL batch deletes) is bounded
        kind = "UPDATE" if isinstance(node, exp.Update) else "DELETE"
        t = node.this
        table = t.name if isinstance(t, exp.Table) else (t.sql() if t is not None else "?")
        if table.startswith("__bl_h"):
            table = "(dynamic table)"
        yield kind, table


def unbounded_rows(tree: Any) -> str | None:
    """The table a top-level SELECT returns every matching row of (no LIMIT / TOP / FETCH /
    OFFSET ... FETCH, not a single aggregate row, not a lookup by `id`), else None."""
    from sqlglot import exp

    select = tree if isinstance(tree, exp.Select) else None
    if select is None and isinstance(tree, (exp.Union,)):
        select = tree.find(exp.Select)
    if select is None:
        return None
    if any(select.args.get(k) is not None for k in ("limit", "fetch")) or tree.args.get("limit") is not None:
        return None
    from_ = select.args.get("from") or select.args.get("from_")
    if from_ is None:
        return None
    aggs = [p for p in select.expressions if p.find(exp.AggFunc) is not None]
    if aggs and len(aggs) == len(select.expressions) and not select.args.get("group"):
        return None  # one aggregate row
    where = select.args.get("where")
    if where is not None:
        for eq in where.find_all(exp.EQ):
            col = eq.left if isinstance(eq.left, exp.Column) else eq.right if isinstance(eq.right, exp.Column) else None
            if col is not None and col.name.lower() in ("id", "uuid", "pk") and eq.parent is not None \
                    and not isinstance(eq.parent, exp.Or):
                return None  # a primary-key lookup
    t = from_.find(exp.Table)
    return t.name if t is not None and t.name else "?"
