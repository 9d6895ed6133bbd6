"""Configuration: read, validate strictly, and freeze.

Every key is checked: an unknown key or a value of the wrong type is a ConfigError whose text
is one line naming the file and the key. The CLI turns it into exit code 2.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

from ..model import SEVERITIES

SQL_DIALECTS = (
    "athena", "bigquery", "clickhouse", "databricks", "doris", "drill", "duckdb", "hive", "materialize",
    "mysql", "oracle", "postgres", "presto", "prql", "redshift", "risingwave", "snowflake", "spark",
    "spark2", "sqlite", "starrocks", "tableau", "teradata", "trino", "tsql",
)
DEFAULT_MAX_FILE_SIZE_KB = 2048
DEFAULT_EXCLUDES = (
    ".git/", ".hg/", ".svn/", "node_modules/", "vendor/", "bower_components/", ".venv/", "venv/", "env/",
    "virtualenv/", ".tox/", ".nox/", "__pycache__/", ".mypy_cache/", ".pytest_cache/", ".ruff_cache/",
    "build/", "dist/", "out/", "target/", "bin/Debug/", "bin/Release/", "obj/", ".next/", ".nuxt/",
    "coverage/", "site-packages/", ".gradle/", ".idea/", ".vscode/", ".backlint_cache/", "*.egg-info/",
    "*.min.js", "*.min.mjs", "*.bundle.js",
)


class ConfigError(Exception):
    """A bad configuration value or file: the message is one line."""


@dataclass(frozen=True)
class RuleSettings:
    severity: str | None = None
    options: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class Settings:
    root: Path = field(default_factory=Path.cwd)
    config_file: Path | None = None
    select: tuple[str, ...] | None = None  # None: the default set (stable rules, or all in audit)
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    extend_exclude: tuple[str, ...] = ()
    per_file_ignores: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    fail_on: str = "warning"
    preview: bool = False
    sql_dialect: str | None = None
    max_file_size_kb: int = DEFAULT_MAX_FILE_SIZE_KB
    respect_gitignore: bool = True
    rules: Mapping[str, RuleSettings] = field(default_factory=lambda: MappingProxyType({}))

    def with_overrides(self, **kw: Any) -> "Settings":
        kw = {k: v for k, v in kw.items() if v is not None}
        return replace(self, **kw) if kw else self

    def fingerprint(self) -> str:
        """A stable text of everything that changes results (for caches)."""
        parts = [repr(self.select), repr(self.extend_select), repr(self.ignore), repr(sorted(self.per_file_ignores.items())),
                 str(self.preview), str(self.sql_dialect),
                 repr(sorted((k, v.severity, sorted(v.options.items())) for k, v in self.rules.items()))]
        return "|".join(parts)


def find_config_file(start: Path) -> Path | None:
    start = start.resolve()
    for d in (start, *start.parents):
        bt = d / "backlint.toml"
        if bt.is_file():
            return bt
        pp = d / "pyproject.toml"
        if pp.is_file():
            try:
                with open(pp, "rb") as fh:
                    data = tomllib.load(fh)
            except OSError:
                continue
            except tomllib.TOMLDecodeError as e:
                raise ConfigError(f"{pp}: invalid TOML: {str(e).splitlines()[0]}") from None
            if "backlint" in data.get("tool", {}):
                return pp
        if (d / ".git").exists():
            break
    return None


def _str_list(value: Any, key: str, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: `{key}` must be a list of strings")
    return tuple(value)


def parse_table(table: Mapping[str, Any], where: str, root: Path, config_file: Path | None,
                known_rules: Mapping[str, Any] | None = None) -> Settings:
    """Validate a [tool.backlint] table. known_rules maps rule id -> Rule (for per-rule keys)."""
    s: dict[str, Any] = {"root": root, "config_file": config_file}
    for key, value in table.items():
        if key in ("select", "extend-select", "ignore", "exclude", "extend-exclude"):
            ids = _str_list(value, key, where)
            if key in ("select", "extend-select", "ignore") and known_rules is not None:
                for i in ids:
                    _check_selector(i, key, where, known_rules)
            s[key.replace("-", "_")] = ids
        elif key == "per-file-ignores":
            if not isinstance(value, dict):
                raise ConfigError(f"{where}: `per-file-ignores` must be a table of glob = [rule ids]")
            pfi = {}
            for glob, ids in value.items():
                ids_t = _str_list(ids, f"per-file-ignores.{glob}", where)
                if known_rules is not None:
                    for i in ids_t:
                        _check_selector(i, f"per-file-ignores.{glob}", where, known_rules)
                pfi[glob] = ids_t
            s["per_file_ignores"] = MappingProxyType(pfi)
        elif key == "fail-on":
            if value not in SEVERITIES:
                raise ConfigError(f"{where}: `fail-on` must be one of {', '.join(SEVERITIES)}, not {value!r}")
            s["fail_on"] = value
        elif key == "preview":
            if not isinstance(value, bool):
                raise ConfigError(f"{where}: `preview` must be true or false")
            s["preview"] = value
        elif key == "respect-gitignore":
            if not isinstance(value, bool):
                raise ConfigError(f"{where}: `respect-gitignore` must be true or false")
            s["respect_gitignore"] = value
        elif key == "sql-dialect":
            s["sql_dialect"] = validate_dialect(value, where)
        elif key == "max-file-size-kb":
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                raise ConfigError(f"{where}: `max-file-size-kb` must be a positive integer")
            s["max_file_size_kb"] = value
        elif key == "rules":
            if not isinstance(value, dict):
                raise ConfigError(f"{where}: `rules` must be a table of [tool.backlint.rules.<id>] tables")
            s["rules"] = MappingProxyType({rid: _rule_settings(rid, spec, where, known_rules) for rid, spec in value.items()})
        else:
            raise ConfigError(f"{where}: unknown key `{key}`")
    return Settings(**s)


def validate_dialect(value: Any, where: str) -> str:
    if not isinstance(value, str) or value.lower() not in SQL_DIALECTS:
        raise ConfigError(f"{where}: `sql-dialect` {value!r} is not one of {', '.join(SQL_DIALECTS)}")
    return value.lower()


def _check_selector(sel: str, key: str, where: str, known_rules: Mapping[str, Any]) -> None:
    from ..rules.catalog import CATEGORIES

    if sel == "ALL" or sel in CATEGORIES or sel in known_rules:
        return
    aliases = {a for r in known_rules.values() for a in getattr(r, "aliases", ())}
    if sel in aliases:
        return
    raise ConfigError(f"{where}: `{key}` names unknown rule or category {sel!r}")


def _rule_settings(rid: str, spec: Any, where: str, known_rules: Mapping[str, Any] | None) -> RuleSettings:
    if not isinstance(spec, dict):
        raise ConfigError(f"{where}: `rules.{rid}` must be a table")
    rule = None
    if known_rules is not None:
        rule = known_rules.get(rid) or next((r for r in known_rules.values() if rid in getattr(r, "aliases", ())), None)
        if rule is None:
            raise ConfigError(f"{where}: `rules.{rid}` names an unknown rule")
    severity = None
    opts = {}
    for k, v in spec.items():
        if k == "severity":
            if v not in SEVERITIES:
                raise ConfigError(f"{where}: `rules.{rid}.severity` must be one of {', '.join(SEVERITIES)}, not {v!r}")
            severity = v
        else:
            if rule is not None:
                from ..rules.catalog import OPTION_TYPES

                decl = rule.options.get(k)
                if decl is None:
                    raise ConfigError(f"{where}: rule {rid} has no option `{k}`")
                typ = OPTION_TYPES[decl["type"]]
                if isinstance(v, bool) and decl["type"] != "bool" or not isinstance(v, typ):
                    raise ConfigError(f"{where}: `rules.{rid}.{k}` must be of type {decl['type']}")
            opts[k] = v
    return RuleSettings(severity, MappingProxyType(opts))


def load_settings(config_path: Path | None, root: Path, known_rules: Mapping[str, Any] | None = None,
                  discover: bool = True) -> Settings:
    path = config_path
    if path is None and discover:
        path = find_config_file(root)
    if path is None:
        return Settings(root=root)
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"config file {path} not found") from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: invalid TOML: {str(e).splitlines()[0]}") from None
    except OSError as e:
        raise ConfigError(f"{path}: cannot read: {e.strerror}") from None
    if path.name == "pyproject.toml":
        table = data.get("tool", {}).get("backlint", {})
        where = f"{path} [tool.backlint]"
    else:
        table = data.get("tool", {}).get("backlint", data)
        where = str(path)
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: must be a table")
    return parse_table(table, where, root, Path(path), known_rules)
