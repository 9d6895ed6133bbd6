#!/usr/bin/env python3
"""Score backlint's SQL rules against the hand-labelled real-world set in bench/eval/.

Runs `backlint check <set> --format json --no-cache --isolated --no-respect-gitignore --select <rules>`
from the repository root, matches findings to <set>/labels.json (same path, same rule,
|line difference| <= 3, one finding per label, nearest first) and prints TP / FP / FN,
precision and recall per rule, per language and per (language, rule), followed by every
false positive and false negative.

Standard library only. Usage (from anywhere):

    python3 bench/eval/score.py                 # uses $BACKLINT, else `backlint` on PATH,
                                                # else /tmp/venv/bin/backlint
    python3 bench/eval/score.py --findings F.json   # score an existing JSON report
    python3 bench/eval/score.py --markdown      # tables as Markdown (for README.md)
    python3 bench/eval/score.py --set bench/eval-controllers   # another labelled set
                                                # (default rules: the three controller rules)
    python3 bench/eval/score.py --rules a,b,c   # score these rules instead of the defaults
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SET = HERE  # the labelled set being scored; --set changes it
RULES = ["sql-string-concat", "select-star", "write-without-where"]
CONTROLLER_RULES = ["db-in-controller", "logic-in-controller", "missing-pagination"]
# Default rules per labelled set (directory name under bench/); anything else: RULES.
DEFAULT_RULES = {"eval": RULES, "eval-controllers": CONTROLLER_RULES, "eval-controllers-holdout": CONTROLLER_RULES}
LANGUAGES = ["python", "javascript", "typescript", "go", "java", "ruby", "php", "csharp"]
WINDOW = 3


def find_backlint() -> str:
    env = os.environ.get("BACKLINT")
    if env:
        return env
    on_path = shutil.which("backlint")
    if on_path:
        return on_path
    return "/tmp/venv/bin/backlint"


def run_backlint(exe: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "findings.json"
        target = SET.relative_to(ROOT).as_posix() if SET.is_relative_to(ROOT) else str(SET)
        cmd = [
            exe, "check", target, "--format", "json", "-o", str(out),
            "--no-cache", "--isolated", "--no-respect-gitignore", "--select", ",".join(RULES),
        ]  # the sets' sources are .gitignored on purpose, so gitignore must not hide them
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
        if proc.returncode not in (0, 1) or not out.exists():
            sys.stderr.write(f"backlint failed (exit {proc.returncode}):\n{proc.stdout}\n{proc.stderr}\n")
            sys.exit(2)
        return json.loads(out.read_text(encoding="utf-8"))


def rel(path: str) -> str:
    """Normalise a reported path to be relative to the labelled set (bench/eval/ by default)."""
    p = Path(path)
    if not p.is_absolute():
        p = (ROOT / p)
    try:
        return p.resolve().relative_to(SET).as_posix()
    except ValueError:
        prefix = SET.relative_to(ROOT).as_posix() if SET.is_relative_to(ROOT) else SET.name
        return path.replace("\\", "/").split(prefix + "/", 1)[-1]


def source_line(path: str, line: int) -> str:
    try:
        return (SET / path).read_text(encoding="utf-8", errors="replace").splitlines()[line - 1].strip()
    except (OSError, IndexError):
        return ""


def match(labels: list[dict], findings: list[dict]):
    """One-to-one matching per (path, rule); nearest line first."""
    by_key_l: dict[tuple, list[int]] = defaultdict(list)
    by_key_f: dict[tuple, list[int]] = defaultdict(list)
    for i, lab in enumerate(labels):
        by_key_l[(lab["path"], lab["rule"])].append(i)
    for j, f in enumerate(findings):
        by_key_f[(f["path"], f["rule"])].append(j)
    label_hit: dict[int, int] = {}
    finding_hit: dict[int, int] = {}
    for key, li in by_key_l.items():
        fj = by_key_f.get(key, [])
        pairs = sorted(
            (abs(labels[i]["line"] - findings[j]["line"]), i, j)
            for i in li for j in fj
            if abs(labels[i]["line"] - findings[j]["line"]) <= WINDOW
        )
        for _, i, j in pairs:
            if i in label_hit or j in finding_hit:
                continue
            label_hit[i] = j
            finding_hit[j] = i
    return label_hit, finding_hit


def ratio(a: int, b: int) -> str:
    return f"{a / b:.2f}" if b else "  - "


def main() -> None:
    global SET, RULES
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--findings", help="score this backlint JSON report instead of running backlint")
    ap.add_argument("--markdown", action="store_true", help="print tables as Markdown")
    ap.add_argument("--set", default="bench/eval", metavar="DIR",
                    help="labelled set to score (a directory holding labels.json; default bench/eval)")
    ap.add_argument("--rules", metavar="A,B,C",
                    help="comma-separated rule ids to score (default: the set's own rules)")
    args = ap.parse_args()

    set_dir = Path(args.set)
    if not set_dir.is_absolute():
        set_dir = set_dir.resolve() if set_dir.exists() else (ROOT / set_dir)
    SET = set_dir.resolve()
    if not (SET / "labels.json").is_file():
        sys.stderr.write(f"no labels.json in {SET}\n")
        sys.exit(2)
    if args.rules:
        RULES = [r.strip() for r in args.rules.split(",") if r.strip()]
    else:
        RULES = DEFAULT_RULES.get(SET.name, RULES)

    labels = json.loads((SET / "labels.json").read_text(encoding="utf-8"))
    labels = [lab for lab in labels if lab["rule"] in RULES]
    report = json.loads(Path(args.findings).read_text()) if args.findings else run_backlint(find_backlint())
    findings = []
    for f in report.get("findings", []):
        if f.get("rule") not in RULES:
            continue
        f = dict(f)
        f["path"] = rel(f["path"])
        findings.append(f)

    label_hit, finding_hit = match(labels, findings)

    lang_of = lambda path: path.split("/", 1)[0]
    counts: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0])  # (lang, rule) -> tp, fp, fn
    for i, lab in enumerate(labels):
        counts[(lang_of(lab["path"]), lab["rule"])][0 if i in label_hit else 2] += 1
    for j, f in enumerate(findings):
        if j not in finding_hit:
            counts[(lang_of(f["path"]), f["rule"])][1] += 1

    files_per_lang = defaultdict(int)
    for p in SET.iterdir():
        if p.is_dir() and p.name in LANGUAGES:
            files_per_lang[p.name] = sum(1 for q in p.rglob("*") if q.is_file())

    def agg(pred) -> list[int]:
        t = [0, 0, 0]
        for k, v in counts.items():
            if pred(k):
                t = [a + b for a, b in zip(t, v)]
        return t

    def table(title: str, rows: list[tuple[str, list[int]]], extra: dict | None = None) -> None:
        if args.markdown:
            print(f"\n**{title}**\n")
            hdr = "| | TP | FP | FN | precision | recall |" + (" files |" if extra else "")
            print(hdr)
            print("|---" * (hdr.count("|") - 1) + "|")
            for name, (tp, fp, fn) in rows:
                line = f"| {name} | {tp} | {fp} | {fn} | {ratio(tp, tp + fp)} | {ratio(tp, tp + fn)} |"
                if extra:
                    line += f" {extra.get(name, '')} |"
                print(line)
        else:
            print(f"\n{title}")
            print(f"  {'':22} {'TP':>4} {'FP':>4} {'FN':>4} {'prec':>6} {'recall':>6}" + ("  files" if extra else ""))
            for name, (tp, fp, fn) in rows:
                line = f"  {name:22} {tp:4} {fp:4} {fn:4} {ratio(tp, tp + fp):>6} {ratio(tp, tp + fn):>6}"
                if extra:
                    line += f"  {extra.get(name, '')}"
                print(line)

    total = agg(lambda k: True)
    table("Per rule", [(r, agg(lambda k, r=r: k[1] == r)) for r in RULES] + [("ALL", total)])
    table("Per language", [(lg, agg(lambda k, lg=lg: k[0] == lg)) for lg in LANGUAGES] + [("ALL", total)],
          extra={**files_per_lang, "ALL": sum(files_per_lang.values())})
    table("Per language x rule", [
        (f"{lg} / {r}", counts[(lg, r)]) for lg in LANGUAGES for r in RULES if any(counts[(lg, r)])
    ])

    fps = [findings[j] for j in range(len(findings)) if j not in finding_hit]
    fns = [labels[i] for i in range(len(labels)) if i not in label_hit]
    print(f"\nFalse positives ({len(fps)}):")
    for f in sorted(fps, key=lambda f: (f["path"], f["line"], f["rule"])):
        dup = any(
            lab["path"] == f["path"] and lab["rule"] == f["rule"] and abs(lab["line"] - f["line"]) <= WINDOW
            for lab in labels
        )
        tag = " [duplicate of a matched label]" if dup else ""
        print(f"  FP {f['rule']:20} {f['path']}:{f['line']}{tag}\n       {f.get('message', '')}")
    print(f"\nFalse negatives ({len(fns)}):")
    for lab in sorted(fns, key=lambda d: (d["path"], d["line"], d["rule"])):
        print(f"  FN {lab['rule']:20} {lab['path']}:{lab['line']}\n       | {source_line(lab['path'], lab['line'])[:150]}")

    notices = report.get("notices", [])
    if notices:
        print(f"\nbacklint notices ({len(notices)}):")
        for n in notices:
            print(f"  {n if isinstance(n, str) else json.dumps(n)[:200]}")


if __name__ == "__main__":
    main()
