"""SQL inside string literals and .sql files: prefilter, parse with sqlglot, never raise."""

from .parse import (ParsedSql, SqlStatement, looks_like_sql, parse_sql, split_sql_script, hole_placeholder)

__all__ = ["ParsedSql", "SqlStatement", "looks_like_sql", "parse_sql", "split_sql_script", "hole_placeholder"]
