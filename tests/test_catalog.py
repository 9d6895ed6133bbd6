"""The rules about rules (DESIGN §5)."""

from __future__ import annotations

import importlib
import json
import re
from pathlib import Path

import jsonschema
import pytest
import tree_sitter as ts
import yaml

from backlint.languages import adapter_for
from backlint.rules.catalog import catalog_dir, load_catalog

from fixture_support import EXT, FIXTURES, ROOT, all_fixtures

SCHEMA = json.loads((ROOT / "src/backlint/rules/rule-schema.json").read_text())
RULE_FILES = sorted((ROOT / "rules").glob("*/*.yaml"))
CATALOG = load_catalog()


def test_catalog_is_the_checkout_rules():
    assert catalog_dir().resolve() in ((ROOT / "rules").resolve(),) or (catalog_dir() / "security").is_dir()
    assert len(CATALOG) == len(RULE_FILES) > 0


@pytest.mark.parametrize("path", RULE_FILES, ids=[p.stem for p in RULE_FILES])
def test_rule_file_matches_schema(path: Path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    jsonschema.validate(data, SCHEMA)
    assert path.stem == data["id"]
    assert path.parent.name == data["category"]


def test_ids_and_aliases_unique():
    ids = [r.id for r in CATALOG]
    aliases = [a for r in CATALOG for a in r.aliases]
    assert len(set(ids + aliases)) == len(ids) + len(aliases)


@pytest.mark.parametrize("rule", list(CATALOG), ids=[r.id for r in CATALOG])
def test_rule_has_fixtures_for_every_language(rule):
    missing = []
    for lang in rule.languages:
        d = FIXTURES / rule.id / lang
        bad = list(d.glob(f"bad*{EXT[lang]}"))
        good = list(d.glob(f"good*{EXT[lang]}"))
        if not bad:
            missing.append(f"{rule.id}/{lang}/bad{EXT[lang]}")
        if not good:
            missing.append(f"{rule.id}/{lang}/good{EXT[lang]}")
    assert not missing, "missing fixtures: " + ", ".join(missing)


@pytest.mark.parametrize("rule", list(CATALOG), ids=[r.id for r in CATALOG])
def test_rule_docs_and_message(rule):
    for key in ("what", "why", "fix"):
        assert len(str(rule.docs.get(key, "")).split()) >= 8, f"{rule.id}: docs.{key} too thin"
    if rule.category == "security":
        assert rule.cwes, f"{rule.id}: security rules carry a cwe-N tag"
    # every {placeholder} of the message is a plain name
    for name in re.findall(r"\{([^}]*)\}", rule.message):
        assert re.fullmatch(r"[a-z_]+", name), f"{rule.id}: odd placeholder {{{name}}}"


@pytest.mark.parametrize("rule", [r for r in CATALOG if r.check and r.check != "engine"], ids=lambda r: r.id)
def test_check_module_exists(rule):
    mod = importlib.import_module(f"backlint.rules.checks.{rule.check}")
    assert callable(getattr(mod, "check", None))


MATCHES = [(r, m) for r in CATALOG for m in r.match]


@pytest.mark.parametrize("rule,mq", MATCHES, ids=[f"{r.id}-{m.language}-{i}" for i, (r, m) in enumerate(MATCHES)])
def test_match_query_compiles_with_report_capture(rule, mq):
    ad = adapter_for(mq.language)
    q = ts.Query(ad.ts_language, mq.query)
    names = {q.capture_name(i) for i in range(q.capture_count)}
    assert mq.report_at in names, f"{rule.id}/{mq.language}: no @{mq.report_at} capture"
    # every pattern must carry the report capture: a predicate written outside the pattern's
    # parentheses becomes a pattern of its own that matches everything
    src = mq.query.encode()
    for i in range(q.pattern_count):
        body = src[q.start_byte_for_pattern(i):q.end_byte_for_pattern(i)].decode()
        assert f"@{mq.report_at}" in body, f"{rule.id}/{mq.language}: pattern {i} lacks @{mq.report_at}: {body.strip()[:80]}"


def test_fixture_dirs_name_real_rules_and_languages():
    for d in FIXTURES.iterdir():
        if d.is_dir():
            assert CATALOG.get(d.name) is not None, f"fixtures/{d.name}: no such rule"
            for ld in d.iterdir():
                if ld.is_dir():
                    assert ld.name in EXT, f"fixtures/{d.name}/{ld.name}: not a language"
                    assert ld.name in CATALOG.get(d.name).languages, f"fixtures/{d.name}/{ld.name}: rule does not claim it"


def test_fixture_files_use_their_language_extension():
    for fx in all_fixtures():
        assert fx.path.suffix == EXT[fx.language], f"{fx.id}: expected {EXT[fx.language]}"


@pytest.mark.parametrize("lang", [l for l in EXT if l not in ("sql", "dotenv")])
def test_facts_queries_compile(lang):
    ad = adapter_for(lang)
    names = {ad.facts_query.capture_name(i) for i in range(ad.facts_query.capture_count)}
    assert {"call", "function", "string", "comment", "assign", "loop"} <= names, f"{lang}: facts.scm misses captures"


def test_yaml_is_only_loaded_with_safe_loaders():
    """The scanner never constructs arbitrary objects from YAML (rules, knowledge, config)."""
    src = ROOT / "src" / "backlint"
    offenders = []
    for p in src.rglob("*.py"):
        t = p.read_text(encoding="utf-8")
        for m in re.finditer(r"yaml\.(\w+)\(([^)]*)", t):
            fn, args = m.group(1), m.group(2)
            if fn in ("unsafe_load", "full_load", "load_all", "unsafe_load_all", "full_load_all"):
                offenders.append(f"{p.name}: yaml.{fn}")
            if fn == "load" and "_SAFE_LOADER" not in args and "SafeLoader" not in args:
                offenders.append(f"{p.name}: yaml.load without a safe loader")
    assert not offenders, offenders
