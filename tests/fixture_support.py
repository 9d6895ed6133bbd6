"""Run the real engine on one fixture file and compare with its annotations (DESIGN §5)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from backlint.config.settings import Settings, parse_table
from backlint.directives import parse_annotations
from backlint.discovery import SourceFile
from backlint.engine.analyse import analyse_file
from backlint.engine.context import FileContext
from backlint.engine.runner import ScanResult, _phase2, make_plan, select_rules
from backlint.rules.catalog import load_catalog

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
EXT = {"python": ".py", "javascript": ".js", "typescript": ".ts", "go": ".go", "java": ".java",
       "ruby": ".rb", "php": ".php", "csharp": ".cs", "sql": ".sql", "dotenv": ".env"}
LANG_BY_DIR = {k: k for k in EXT}


@dataclass(frozen=True)
class Fixture:
    rule_id: str
    language: str
    path: Path

    @property
    def id(self) -> str:
        return self.path.relative_to(FIXTURES).as_posix()

    @property
    def kind(self) -> str:
        return "bad" if self.path.name.startswith("bad") else "good"


def all_fixtures() -> list[Fixture]:
    out = []
    for rule_dir in sorted(p for p in FIXTURES.iterdir() if p.is_dir()):
        for lang_dir in sorted(p for p in rule_dir.iterdir() if p.is_dir()):
            for f in sorted(lang_dir.iterdir()):
                if f.is_file() and f.name.startswith(("bad", "good")) and f.suffix != ".toml":
                    out.append(Fixture(rule_dir.name, lang_dir.name, f))
    return out


def _fixture_config(fx: Fixture) -> dict:
    cfg: dict = {}
    for p in (FIXTURES / fx.rule_id / "fixture.toml", fx.path.parent / "fixture.toml"):
        if p.is_file():
            with open(p, "rb") as fh:
                data = tomllib.load(fh)
            for k, v in data.items():
                if isinstance(v, dict) and isinstance(cfg.get(k), dict):
                    cfg[k] = {**cfg[k], **v}
                else:
                    cfg[k] = v
    return cfg


def virtual_path(fx: Fixture, cfg: dict) -> str:
    tmpl = cfg.get("path")
    if isinstance(tmpl, dict):
        tmpl = tmpl.get(fx.path.name) or tmpl.get("default")
    if not tmpl:
        return fx.id
    return tmpl.format(file=fx.path.name, stem=fx.path.stem, ext=fx.path.suffix, language=fx.language)


def run_fixture(fx: Fixture):
    """(findings, annotations) for one fixture, the rule under test selected alone plus fixture.toml."""
    catalog = load_catalog()
    cfg = _fixture_config(fx)
    table = dict(cfg.get("config", {}))
    table.setdefault("select", [fx.rule_id])
    settings = parse_table(table, f"fixture.toml of {fx.rule_id}", ROOT, None, catalog.rules)
    rules = select_rules(catalog, settings, mode="audit")
    plan = make_plan(None, rules, settings)
    rel = virtual_path(fx, cfg)
    src = SourceFile(fx.path, rel, fx.language, fx.path.stat().st_size)
    res = analyse_file(src, plan, catalog)
    if plan.project_rules:
        # phase 2 over this one file: the project index holds what the fixture declares
        out = ScanResult(ROOT, rules)
        res.findings = res.findings + _phase2([res], plan, catalog, out)
        res.notices.extend(out.notices)
        res.suppressed += out.suppressed
    ctx = FileContext(rel, fx.language, fx.path.read_bytes(), settings, {})
    annotations = parse_annotations(ctx.comments)
    return res, annotations, {r.id for r in rules}
