"""Never print a secret: every output of a scan over the secret fixtures is free of the values.

The values are taken from the source at each hardcoded-secret finding (the quoted literal or the
.env value), so the test follows the fixtures as they grow.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from helpers import run_cli

ROOT = Path(__file__).resolve().parent.parent
SECRET_RULES = ("hardcoded-secret", "default-credentials")


def _project(tmp_path: Path) -> Path:
    proj = tmp_path / "proj"
    for rule in SECRET_RULES:
        d = ROOT / "fixtures" / rule
        if not d.is_dir():
            continue
        for f in d.rglob("*"):
            if f.is_file() and f.name.startswith(("bad", "good")):
                # not under a test-looking path: every detector is active
                dest = proj / "app" / rule / f.parent.name / f.name
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(f, dest)
                if f.parent.name == "dotenv":
                    shutil.copy(f, dest.parent / ".env")
    return proj


def _secret_values(proj: Path, findings: list[dict]) -> set[str]:
    values = set()
    for f in findings:
        if f["rule"] != "hardcoded-secret":
            continue
        lines = (proj / f["path"]).read_text(encoding="utf-8", errors="replace").splitlines()
        text = "\n".join(lines[f["line"] - 1:f["end_line"]])
        for lit in re.findall(r"""["'`]([^"'`\n]{12,})["'`]""", text) + re.findall(r"""=\s*([^\s#"']{12,})""", text):
            core = re.sub(r"^(?:[a-z]+://)?", "", lit)
            for piece in re.split(r"[\s\"'`]", core):
                if len(piece) >= 12 and re.search(r"[0-9]", piece) and re.search(r"[A-Za-z]", piece):
                    values.add(piece[-12:])  # any 12-character tail of the value must not leak
    return values


def test_no_output_contains_a_secret(tmp_path):
    proj = _project(tmp_path)
    assert (proj / "app").is_dir(), "secret fixtures are missing"
    outs = {"sarif": "o/r.sarif", "json": "o/r.json", "github": "o/r.gh", "gitlab": "o/r.gl", "text": "o/r.txt"}
    args = ["check", ".", "--select", "ALL", "--color"] + [x for k, v in outs.items() for x in ("-o", f"{k}:{v}")]
    p = run_cli(*args, cwd=proj)
    assert p.returncode == 1, p.stderr
    findings = json.loads((proj / "o/r.json").read_text())["findings"]
    secrets = _secret_values(proj, findings)
    assert len(secrets) >= 20, f"expected the fixtures to yield many secret values, got {len(secrets)}"
    run_cli("audit", ".", "--html", "o/r.html", cwd=proj)
    run_cli("baseline", "create", cwd=proj)
    blobs = {name: (proj / rel).read_bytes() for name, rel in outs.items()}
    blobs["html"] = (proj / "o/r.html").read_bytes()
    blobs["baseline"] = (proj / ".backlint-baseline.json").read_bytes()
    blobs["stdout+stderr"] = (p.stdout + p.stderr).encode()
    for c in (proj / ".backlint_cache").rglob("*.json"):
        blobs[f"cache {c.name}"] = c.read_bytes()
    leaks = [(name, s) for name, b in blobs.items() for s in secrets if s.encode() in b]
    assert not leaks, f"secret values in outputs: {leaks[:5]}"
