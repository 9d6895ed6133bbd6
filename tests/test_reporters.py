"""Outputs: SARIF validated against the official 2.1.0 schema, JSON, GitHub annotations, text."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from helpers import BAD_PY, run_cli

SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text())


@pytest.fixture
def project(tmp_path):
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "repo.py").write_text(
        BAD_PY + "\n\ndef g(cur, x):\n    q = f\"SELECT * FROM orders WHERE id = '{x}'\"\n    cur.execute(q)\n"
        "\n\ndef h(cur):\n    cur.execute(\"DELETE FROM sessions\")\n")
    (tmp_path / "db").mkdir()
    (tmp_path / "db" / "report.sql").write_text("SELECT * FROM orders;\n")
    (tmp_path / "blob.py").write_bytes(b"\x00" * 10)
    return tmp_path


def test_sarif_validates_and_carries_what_code_scanning_needs(project):
    p = run_cli("check", ".", "--format", "sarif", cwd=project)
    assert p.returncode == 1, p.stderr
    doc = json.loads(p.stdout)
    jsonschema.validate(doc, SCHEMA)
    assert doc["version"] == "2.1.0" and len(doc["runs"]) == 1
    run = doc["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "backlint" and driver["version"] and driver["informationUri"].startswith("https://")
    rules = {r["id"]: r for r in driver["rules"]}
    assert set(rules) == {"sql-string-concat", "select-star", "write-without-where"}  # only rules that fired
    sc = rules["sql-string-concat"]
    assert "external/cwe/cwe-89" in sc["properties"]["tags"] and "security" in sc["properties"]["tags"]
    assert sc["properties"]["precision"] == "high" and float(sc["properties"]["security-severity"]) >= 7
    assert sc["help"]["markdown"] and sc["help"]["text"] and sc["helpUri"].startswith("https://")
    assert sc["defaultConfiguration"]["level"] == "error"
    assert "security-severity" not in rules["select-star"]["properties"]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"].startswith("file://")
    for res in run["results"]:
        assert driver["rules"][res["ruleIndex"]]["id"] == res["ruleId"]
        loc = res["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert not loc["artifactLocation"]["uri"].startswith("/")
        reg = loc["region"]
        assert reg["startLine"] >= 1 and reg["startColumn"] >= 1 and "snippet" in reg
        assert res["partialFingerprints"]["backlintFingerprint/v1"]
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]}
    assert uris == {"app/repo.py", "db/report.sql"}
    via = [r for r in run["results"] if r["ruleId"] == "sql-string-concat" and "through variable" in r["message"]["text"]]
    assert via and via[0]["relatedLocations"][0]["physicalLocation"]["region"]["startLine"] == 6
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert any(n["descriptor"]["id"] == "binary" for n in notes)


def test_fingerprints_survive_shifted_lines(project):
    first = json.loads(run_cli("check", ".", "--format", "json", cwd=project).stdout)
    src = project / "app" / "repo.py"
    src.write_text("import os\n\n\n" + src.read_text())
    second = json.loads(run_cli("check", ".", "--format", "json", cwd=project).stdout)
    fp = lambda d: sorted(f["fingerprint"] for f in d["findings"])
    assert fp(first) == fp(second)
    assert [f["line"] for f in first["findings"]] != [f["line"] for f in second["findings"]]


def test_second_copy_of_a_mistake_gets_its_own_fingerprint(tmp_path):
    (tmp_path / "a.py").write_text('def f(c):\n    c.execute("DELETE FROM t")\n\ndef g(c):\n    c.execute("DELETE FROM t")\n')
    d = json.loads(run_cli("check", ".", "--format", "json", "--select", "write-without-where", cwd=tmp_path).stdout)
    fps = [f["fingerprint"] for f in d["findings"]]
    assert len(fps) == 2 and len(set(fps)) == 2 and fps[0].split(":")[0] == fps[1].split(":")[0]


def test_github_annotations(project):
    p = run_cli("check", ".", "--format", "github", cwd=project)
    lines = [l for l in p.stdout.splitlines() if l.startswith("::error") or l.startswith("::warning")]
    assert any(l.startswith("::error file=app/repo.py,line=2,col=5,") and "title=backlint sql-string-concat::" in l for l in lines)
    assert all("\n" not in l for l in lines)


def test_text_output_has_location_frame_and_summary(project):
    p = run_cli("check", ".", cwd=project)
    out = p.stdout
    assert "app/repo.py:2:5  error  sql-string-concat  SQL built by concatenation" in out
    assert "  2 |     cur.execute(" in out and "^" in out
    assert "Found 5 findings (2 errors, 3 warnings)" in out or "Found" in out
    assert "\033[" not in out  # no colour when not a terminal
    assert "skipped or partly analysed: binary 1" in out


def test_several_outputs_in_one_run(project):
    p = run_cli("check", ".", "-o", "sarif:out/r.sarif", "-o", "json:r.json", "-o", "text:-", cwd=project)
    assert p.returncode == 1
    jsonschema.validate(json.loads((project / "out" / "r.sarif").read_text()), SCHEMA)
    assert json.loads((project / "r.json").read_text())["findings"]
    assert "sql-string-concat" in p.stdout


def test_sarif_result_cap_adds_notification():
    from backlint.model import Finding, Span
    from backlint.reporters import sarif
    from backlint.engine.runner import ScanResult
    from backlint.rules.catalog import load_catalog

    rule = load_catalog().get("select-star")
    res = ScanResult(Path("."), [rule])
    span = Span(1, 1, 1, 5)
    res.findings = [Finding("select-star", "a.sql", span, "m", "warning", "high", fingerprint=f"x:{i}") for i in range(sarif.MAX_RESULTS + 3)]
    doc = json.loads(sarif.render(res))
    assert len(doc["runs"][0]["results"]) == sarif.MAX_RESULTS
    assert any(n["descriptor"]["id"] == "results-truncated" for n in doc["runs"][0]["invocations"][0]["toolExecutionNotifications"])
