"""Engine behaviours that fixtures cannot express (grammar fallback, rule path options)."""

from __future__ import annotations

from backlint.config.settings import Settings, parse_table
from backlint.engine import scan
from backlint.rules.catalog import load_catalog


def test_match_queries_run_on_tsx_grammar_fallback(tmp_path):
    (tmp_path / "page.tsx").write_text(
        "import { prisma } from './db';\n"
        "export async function Reset() {\n"
        "  await prisma.session.deleteMany();\n"
        "  return <div className=\"ok\">done</div>;\n"
        "}\n")
    r = scan([tmp_path], Settings(root=tmp_path, select=("write-without-where",)), jobs=1, use_cache=False)
    assert [(f.path, f.span.start_line) for f in r.findings] == [("page.tsx", 3)]


def test_exclude_paths_option_skips_migrations_and_can_be_cleared(tmp_path):
    mig = tmp_path / "app" / "migrations"
    mig.mkdir(parents=True)
    (mig / "0002_backfill.py").write_text('def forwards(c):\n    c.execute("UPDATE users SET active = true")\n')
    (tmp_path / "app" / "views.py").write_text('def wipe(c):\n    c.execute("DELETE FROM sessions")\n')
    r = scan([tmp_path], Settings(root=tmp_path, select=("write-without-where",)), jobs=1)
    assert [f.path for f in r.findings] == ["app/views.py"]
    cat = load_catalog()
    s = parse_table({"select": ["write-without-where"], "rules": {"write-without-where": {"exclude-paths": []}}},
                    "test", tmp_path, None, cat.rules)
    r = scan([tmp_path], s, jobs=1)
    assert sorted(f.path for f in r.findings) == ["app/migrations/0002_backfill.py", "app/views.py"]
