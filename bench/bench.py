#!/usr/bin/env python3
"""Benchmark backlint against a bare tree-sitter parse of the same files.

Run it with the Python that has backlint installed (it uses backlint's own discovery and the
tree-sitter grammar wheels backlint depends on; nothing else beyond the stdlib):

    python bench/bench.py [DIR] [--jobs N] [--repeat K]     # DIR defaults to bench/corpus
    python bench/bench.py --startup [--repeat K]            # pre-commit style start-up cost

Each measured phase runs in its own subprocess, started through a minimal launcher that
times it and reaps it with os.wait4(): its peak RSS is that of the largest single process among
it and the descendants it waited for (e.g. pool workers); on Linux the sum over the whole
process tree is also sampled from /proc every 50 ms. --repeat K keeps the best (fastest) of K.

Phases (interleaved: each round runs every phase once; --repeat K keeps each phase's best):
  backlint  `backlint check . --isolated --no-baseline --format json -o TMP --jobs N --no-cache`,
            run with cwd=DIR so that DIR is the scan root (a .gitignore above DIR cannot hide the
            corpus); then, when backlint has a result cache, the same command after emptying
            DIR/.backlint_cache (analyse + write) and once more with the cache warm.
  parse     this script with --phase parse: read and tree-sitter-parse exactly the files
            backlint's discovery lists (and its binary/minified skip rules keep), in a process
            pool of the same N workers, batched the way backlint batches them. It is the floor
            that backlint's "parse once, query in C" design aims to stay near.

Columns: wall seconds, rates, CPU seconds (user + sys of the command and the workers it reaped:
the number to compare on a busy machine), peak RSS. Measured commands may cache bytecode under
bench/.work/pycache (see bench_env; --keep-env to opt out); --snapshot runs a frozen copy of
backlint so that edits made during a run neither change the code measured nor empty the cache.

The output is markdown, ready to paste into bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_CORPUS = HERE / "corpus"

# mirror of backlint's skip rules for file contents (engine/analyse.py); read from backlint
# when it is importable so the two cannot drift apart
BINARY_SNIFF, MINIFIED_MIN_BYTES, MINIFIED_AVG_LINE = 8192, 4096, 400


# -- grammars ----------------------------------------------------------------------------------
def _grammar(language: str, path: str):
    """The tree-sitter Language for a backlint language name (and, for TypeScript, the extension)."""
    import tree_sitter as ts

    if language == "python":
        import tree_sitter_python as m
        return ts.Language(m.language())
    if language == "javascript":
        import tree_sitter_javascript as m
        return ts.Language(m.language())
    if language == "typescript":
        import tree_sitter_typescript as m
        return ts.Language(m.language_tsx() if path.endswith(".tsx") else m.language_typescript())
    if language == "go":
        import tree_sitter_go as m
        return ts.Language(m.language())
    if language == "java":
        import tree_sitter_java as m
        return ts.Language(m.language())
    if language == "ruby":
        import tree_sitter_ruby as m
        return ts.Language(m.language())
    if language == "php":
        import tree_sitter_php as m
        return ts.Language(m.language_php())
    if language == "csharp":
        import tree_sitter_c_sharp as m
        return ts.Language(m.language())
    return None  # sql: backlint has no tree-sitter grammar for it


_PARSERS: dict[str, object] = {}


def _parser(language: str, path: str):
    key = "tsx" if language == "typescript" and path.endswith(".tsx") else language
    p = _PARSERS.get(key)
    if p is None and key not in _PARSERS:
        import tree_sitter as ts

        lang = _grammar(language, path)
        p = ts.Parser(lang) if lang is not None else None
        _PARSERS[key] = p
    return p


def _line_count(data: bytes) -> int:
    # the same count as backlint's FileResult.lines (an empty file counts as one line)
    return data.count(b"\n") + (0 if data.endswith(b"\n") else 1)


def _parse_batch(batch: list[tuple[str, str]]) -> tuple[int, int, int]:
    """Parse (path, language) pairs; returns files parsed, lines, files whose tree has errors."""
    files = lines = errors = 0
    for path, language in batch:
        with open(path, "rb") as fh:
            data = fh.read()
        lines += _line_count(data)
        p = _parser(language, path)
        if p is None:
            continue
        tree = p.parse(data)
        files += 1
        errors += tree.root_node.has_error
    return files, lines, errors


def _batches(items: list[tuple[str, str, int]], jobs: int) -> list[list[tuple[str, str]]]:
    # as backlint's runner does: biggest first, round-robin into jobs * 8 batches
    order = sorted(items, key=lambda t: -t[2])
    n = max(1, min(len(order), jobs * 8))
    out: list[list[tuple[str, str]]] = [[] for _ in range(n)]
    for i, (p, lang, _) in enumerate(order):
        out[i % n].append((p, lang))
    return [b for b in out if b]


def phase_parse(list_file: str, jobs: int, result_file: str) -> None:
    """Child process: parse the listed files in a pool of `jobs` workers; write counts as JSON."""
    items = json.loads(Path(list_file).read_text())
    items = [tuple(x) for x in items]
    t0 = time.perf_counter()
    if jobs <= 1:
        totals = [_parse_batch([(p, lang) for p, lang, _ in items])]
    else:
        with ProcessPoolExecutor(max_workers=jobs) as ex:
            totals = list(ex.map(_parse_batch, _batches(items, jobs)))
    elapsed = time.perf_counter() - t0
    files = sum(t[0] for t in totals)
    lines = sum(t[1] for t in totals)
    errors = sum(t[2] for t in totals)
    Path(result_file).write_text(json.dumps({"files": files, "lines": lines, "files_with_errors": errors,
                                             "inner_seconds": elapsed}))


# -- measuring a subprocess ----------------------------------------------------------------------
_PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024 if hasattr(os, "sysconf") else 4


def _proc_tree_rss_kb(root_pid: int, include_root: bool = True) -> int:
    """Sum of RSS over a process (unless include_root is false) and its descendants (Linux
    /proc); 0 elsewhere."""
    try:
        children: dict[int, list[int]] = {}
        rss: dict[int, int] = {}
        for name in os.listdir("/proc"):
            if not name.isdigit():
                continue
            try:
                with open(f"/proc/{name}/stat", "rb") as fh:
                    stat = fh.read()
                ppid = int(stat[stat.rfind(b")") + 2:].split()[1])
                with open(f"/proc/{name}/statm", "rb") as fh:
                    pages = int(fh.read().split()[1])
            except (OSError, ValueError, IndexError):
                continue
            pid = int(name)
            children.setdefault(ppid, []).append(pid)
            rss[pid] = pages * _PAGE_KB
        total, todo = 0, [root_pid]
        while todo:
            pid = todo.pop()
            if pid != root_pid or include_root:
                total += rss.get(pid, 0)
            todo.extend(children.get(pid, ()))
        return total
    except OSError:
        return 0


# A minimal launcher, run as `python -S -c LAUNCHER OUT CWD CMD...`: it forks and execs CMD,
# times it and reaps it with wait4. Why not Popen from here: Linux keeps a process's peak RSS
# across fork and execve, so a command started by this process (which has imported backlint
# and read the corpus) would report at least our own peak. The launcher imports only os, sys
# and time, so the floor under any measured peak RSS is a bare interpreter's (about 9 MB).
LAUNCHER = r"""
import os, sys, time
out, cwd, so, se, *cmd = sys.argv[1:]
t0 = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.chdir(cwd)
        os.dup2(os.open(so, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), 1)
        os.dup2(os.open(se, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), 2)
        os.execvp(cmd[0], cmd)
    finally:
        os._exit(127)
_, status, ru = os.wait4(pid, 0)
wall = time.perf_counter() - t0
with open(out, "w") as fh:
    fh.write("%r %d %d %r" % (wall, os.waitstatus_to_exitcode(status), ru.ru_maxrss, ru.ru_utime + ru.ru_stime))
"""


KEEP_ENV = False  # --keep-env: run the measured commands with this process's environment as is


def bench_env() -> dict[str, str]:
    """The environment for measured commands. A normal install runs from cached bytecode, but
    sandboxes and CI often set PYTHONDONTWRITEBYTECODE, and an editable install may have no
    __pycache__: then every start (and every pool worker's first lazy import) compiles
    backlint from source, which inflates start-up by about a third. So let Python cache
    bytecode, under bench/.work/pycache (PYTHONPYCACHEPREFIX), not in the source tree."""
    env = dict(os.environ)
    if SNAPSHOT is not None:
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(SNAPSHOT), env.get("PYTHONPATH")) if p)
    if KEEP_ENV:
        return env
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(HERE / ".work" / "pycache")
    return env


def warm_up(parse_cmd_for) -> None:
    """One unmeasured run on a tiny file of every language, so that bytecode is cached (see
    bench_env) and the measured runs all start alike."""
    from backlint.discovery import EXTENSIONS

    tmp = Path(tempfile.mkdtemp(prefix="bench-warm-"))
    try:
        for ext in sorted(set(EXTENSIONS)):
            (tmp / f"warm{ext}").write_text("\n")
        subprocess.run(backlint_command() + ["check", ".", "--isolated", "--format", "json", "-o", str(tmp / "r.json"), "--jobs", "1"],
                       cwd=tmp, env=bench_env(), capture_output=True)
        items = [(str(tmp / f"warm{ext}"), lang, 1) for ext, lang in EXTENSIONS.items()]
        (tmp / "list.json").write_text(json.dumps(items))
        subprocess.run(parse_cmd_for(tmp / "list.json", tmp / "parse.json"), env=bench_env(), capture_output=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def run_measured(cmd: list[str], cwd: str | None = None, sample: bool = True) -> dict:
    """Run cmd; return wall seconds, exit code, its peak RSS as the largest single process
    (KB: from wait4, so the command and the descendants it waited for, e.g. pool workers) and
    the sampled peak of the sum of RSS over its whole process tree (KB, every 50 ms, Linux)."""
    tmp = Path(tempfile.mkdtemp(prefix="bench-measure-"))
    try:
        out, so, se = tmp / "result", tmp / "stdout", tmp / "stderr"
        proc = subprocess.Popen([sys.executable, "-S", "-c", LAUNCHER, str(out), cwd or os.getcwd(), str(so), str(se), *cmd],
                                env=bench_env())
        peak = 0
        if sample and sys.platform.startswith("linux"):
            while proc.poll() is None:
                peak = max(peak, _proc_tree_rss_kb(proc.pid, include_root=False))
                time.sleep(0.05)
        if proc.wait() != 0 or not out.exists():
            raise RuntimeError(f"measuring {cmd} failed: launcher exit {proc.returncode}")
        wall, rc, maxrss, cpu = out.read_text().split()
        return {"seconds": float(wall), "rc": int(rc), "maxrss_kb": int(maxrss), "tree_rss_kb": peak, "cpu": float(cpu),
                "stdout": so.read_text(errors="replace") if so.exists() else "",
                "stderr": se.read_text(errors="replace") if se.exists() else ""}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def best_of(k: int, fn) -> tuple[dict, list[float]]:
    runs = [fn() for _ in range(k)]
    best = min(runs, key=lambda r: r["seconds"])
    return best, [r["seconds"] for r in runs]


# -- file list -------------------------------------------------------------------------------------
def discover(root: Path) -> tuple[list[tuple[str, str, int]], Counter, dict]:
    """backlint's own discovery of root (as the scan root, default settings), less the files its
    workers would skip for their content (binary, minified)."""
    global BINARY_SNIFF, MINIFIED_MIN_BYTES, MINIFIED_AVG_LINE
    from backlint.config.settings import Settings
    from backlint.discovery import Discovery

    try:
        from backlint.engine import analyse as _a

        BINARY_SNIFF, MINIFIED_MIN_BYTES, MINIFIED_AVG_LINE = _a.BINARY_SNIFF, _a.MINIFIED_MIN_BYTES, _a.MINIFIED_AVG_LINE
    except (ImportError, AttributeError):
        pass
    disc = Discovery(Settings(root=root))
    files = disc.discover([root])
    kept: list[tuple[str, str, int]] = []
    skipped: Counter = Counter()
    per_lang: dict[str, list[int]] = {}
    for f in files:
        data = f.path.read_bytes()
        if b"\0" in data[:BINARY_SNIFF]:
            skipped["binary"] += 1
            continue
        if len(data) >= MINIFIED_MIN_BYTES and len(data) / (data.count(b"\n") + 1) > MINIFIED_AVG_LINE:
            skipped["minified"] += 1
            continue
        kept.append((str(f.path), f.language, f.size))
        pl = per_lang.setdefault(f.language, [0, 0, 0])
        pl[0] += 1
        pl[1] += _line_count(data)
        pl[2] += f.size
    for n in disc.notices:
        skipped[f"discovery:{n.kind}"] += 1
    return kept, skipped, per_lang


# -- formatting ------------------------------------------------------------------------------------
def _loadavg() -> str:
    try:
        return Path("/proc/loadavg").read_text().split()[0]
    except OSError:
        return "n/a"


def _env_note() -> str:
    note = "environment as is" if KEEP_ENV else "bytecode cached under bench/.work/pycache"
    return note + ("; backlint run from a frozen copy (--snapshot)" if SNAPSHOT is not None else "")


def _mb(kb: int) -> str:
    return f"{kb / 1024:.0f} MB" if kb else "n/a"


def _rate(n: float, s: float) -> str:
    return f"{n / s:,.0f}" if s > 0 else "n/a"


SNAPSHOT: Path | None = None  # --snapshot: run a frozen copy of backlint (see make_snapshot)


def make_snapshot() -> Path:
    """Copy the installed backlint package, and its rule catalog as backlint/_catalog (the wheel
    layout), to bench/.work/snapshot, and run that copy (PYTHONPATH) for the measured commands.
    For measuring while backlint is being edited: the result cache is keyed on the size and
    mtime of every backlint source, so any edit during a run empties it (and the code
    measured would differ from phase to phase)."""
    import backlint
    from backlint.rules.catalog import catalog_dir

    snap = HERE / ".work" / "snapshot"
    shutil.rmtree(snap, ignore_errors=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(Path(backlint.__file__).resolve().parent, snap / "backlint", ignore=ignore)
    if not (snap / "backlint" / "_catalog").is_dir():
        shutil.copytree(catalog_dir(), snap / "backlint" / "_catalog", ignore=ignore)
    return snap


def backlint_command() -> list[str]:
    if SNAPSHOT is not None:
        return [sys.executable, "-c", "import sys; from backlint.cli import main; sys.argv[0] = 'backlint'; main()"]
    exe = Path(sys.executable).with_name("backlint")
    if exe.exists():
        return [str(exe)]
    found = shutil.which("backlint")
    if found:
        return [found]
    return [sys.executable, "-c", "from backlint.cli import main; main()"]


def corpus_bench(args) -> int:
    root = Path(args.dir).resolve()
    if not root.is_dir():
        print(f"bench: {root} is not a directory (run bench/fetch_corpus.sh first?)", file=sys.stderr)
        return 2
    jobs = args.jobs or os.cpu_count() or 1
    work = Path(tempfile.mkdtemp(prefix="backlint-bench-"))
    try:
        t0 = time.perf_counter()
        items, skipped, per_lang = discover(root)
        disc_s = time.perf_counter() - t0
        list_file = work / "files.json"
        list_file.write_text(json.dumps(items))
        report = work / "report.json"
        bl_cmd = backlint_command() + ["check", ".", "--isolated", "--format", "json", "-o", str(report), "--jobs", str(jobs)]
        if args.extra:
            bl_cmd += args.extra
        parse_result = work / "parse.json"

        def parse_cmd_for(lst: Path, result: Path) -> list[str]:
            return [sys.executable, str(Path(__file__).resolve()), "--phase", "parse", "--list", str(lst),
                    "--jobs", str(jobs), "--result", str(result)]

        parse_cmd = parse_cmd_for(list_file, parse_result)
        warm_up(parse_cmd_for)

        help_text = subprocess.run(backlint_command() + ["check", "--help"], capture_output=True, text=True).stdout
        has_cache = "--no-cache" in help_text
        if "--no-baseline" in help_text:
            bl_cmd.append("--no-baseline")
        cache_dir = root / ".backlint_cache"
        cache_existed = cache_dir.exists()

        def wipe_cache() -> None:
            shutil.rmtree(cache_dir, ignore_errors=True)

        # phases: (label, command, hook run before each measured run)
        phases: list[tuple[str, list[str], object]] = []
        if has_cache:
            phases.append(("backlint check --no-cache", bl_cmd + ["--no-cache"], None))
        else:
            phases.append(("backlint check", bl_cmd, None))
        phases.append(("bare tree-sitter parse", parse_cmd, None))
        if has_cache:
            phases.append(("backlint check, empty cache (analyse + write cache)", bl_cmd, wipe_cache))
            phases.append(("backlint check, warm cache (unchanged tree)", bl_cmd, None))

        # interleave the phases (round 1: every phase once, round 2: ...) so that a burst of load
        # from elsewhere on the machine does not fall on one phase only; keep each phase's best
        loads = [_loadavg()]
        runs: dict[str, list[dict]] = {name: [] for name, _, _ in phases}
        docs: dict[str, dict] = {}
        try:
            for _ in range(args.repeat):
                for name, cmd, hook in phases:
                    if hook is not None:
                        hook()
                    report.unlink(missing_ok=True)
                    r = run_measured(cmd, cwd=None if cmd is parse_cmd else str(root))
                    if cmd is parse_cmd:
                        if r["rc"] != 0:
                            print(f"bench: parse phase failed: {r['stderr'][-2000:]}", file=sys.stderr)
                            return 2
                        r["doc"] = json.loads(parse_result.read_text())
                    else:
                        if r["rc"] not in (0, 1):
                            print(f"bench: {name} exited {r['rc']}; its numbers include whatever it did\n"
                                  f"stderr: {r['stderr'].strip()[-2000:]}", file=sys.stderr)
                        r["doc"] = json.loads(report.read_text()) if report.exists() else {"summary": {}, "findings": [], "notices": []}
                    runs[name].append(r)
                loads.append(_loadavg())
        finally:
            if has_cache and not cache_existed:
                wipe_cache()

        rows = []
        for name, cmd, _ in phases:
            best = min(runs[name], key=lambda r: r["seconds"])
            d = best["doc"]
            files, lines = (d["files"], d["lines"]) if cmd is parse_cmd else (d["summary"].get("files", 0), d["summary"].get("lines", 0))
            rows.append((name, files, lines, best, [r["seconds"] for r in runs[name]]))
            docs[name] = d
        bl_name, parse_name = phases[0][0], phases[1][0]
        bl, pr = rows[0][3], rows[1][3]
        doc, pdoc = docs[bl_name], docs[parse_name]
        summ = doc.get("summary", {})

        out = []
        out.append(f"Directory `{root}`, jobs {jobs}, best of {args.repeat} (phases interleaved); {_env_note()}; "
                   f"load average (1 min) {', '.join(loads)} at the start and after each round.\n")
        out.append("| phase | files | lines | seconds | files/s | lines/s | CPU s (all processes) | peak RSS, largest process | peak RSS, all processes (sampled) | all runs (s) |")
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
        for name, files, lines, r, times in rows:
            out.append(f"| {name} | {files:,} | {lines:,} | {r['seconds']:.2f} | {_rate(files, r['seconds'])} | "
                       f"{_rate(lines, r['seconds'])} | {r['cpu']:.1f} | {_mb(r['maxrss_kb'])} | {_mb(r['tree_rss_kb'])} | "
                       f"{', '.join(f'{t:.2f}' for t in times)} |")
        out.append("")
        for name, files, lines, r, times in rows:
            if name == parse_name:
                continue
            s_ = r["doc"].get("summary", {})
            ratio = r["seconds"] / pr["seconds"] if pr["seconds"] else float("nan")
            extra = f", {s_['cached_files']:,} files from the cache" if "cached_files" in s_ else ""
            cratio = r["cpu"] / pr["cpu"] if pr["cpu"] else float("nan")
            out.append(f"- {name} / bare parse: **{ratio:.1f}x** wall time, {cratio:.1f}x CPU time (backlint's own in-process "
                       f"`elapsed_seconds` of that run {s_.get('elapsed_seconds', 'n/a')}{extra})")
        warm = next((r for name, _, _, r, _ in rows if name.startswith("backlint check, warm")), None)
        if warm is not None and warm["doc"].get("summary", {}).get("cached_files", 1) == 0:
            out.append("- **warning:** the warm-cache run served no file from the cache: were backlint's sources "
                       "edited during the run? (its cache key includes their mtimes; `--snapshot` avoids this)")
        out.append(f"- bare parse: in-process pool time {pdoc['inner_seconds']:.2f} s of that run; "
                   f"{pdoc['files_with_errors']} files parse with ERROR nodes")
        if summ.get("files", 0) != pdoc["files"]:
            out.append(f"- **Unequal work:** backlint analysed {summ.get('files', 0):,} files, the bare parse "
                       f"{pdoc['files']:,}: see the notices below (a language without an adapter yet is not "
                       f"analysed), and compare on a directory whose languages backlint supports.")
        out.append(f"- discovery (backlint.discovery, in this process, plus reading the files to mirror the "
                   f"content skips): {disc_s:.2f} s for {len(items):,} files\n")

        out.append("Files by language (what discovery found and backlint's content checks keep):\n")
        out.append("| language | files | lines | MB |")
        out.append("|---|---:|---:|---:|")
        for lang, (n, lines, size) in sorted(per_lang.items(), key=lambda kv: -kv[1][1]):
            out.append(f"| {lang} | {n:,} | {lines:,} | {size / 1e6:.1f} |")
        tot = [sum(v[i] for v in per_lang.values()) for i in range(3)]
        out.append(f"| **total** | {tot[0]:,} | {tot[1]:,} | {tot[2] / 1e6:.1f} |")
        if skipped:
            out.append("\nSkipped before parsing: " + ", ".join(f"{k} {v}" for k, v in sorted(skipped.items())) + ".")

        findings = doc.get("findings", [])
        by_rule = Counter(f["rule"] for f in findings)
        out.append(f"\nbacklint summary: {json.dumps({k: v for k, v in summ.items() if k != 'rules'})}; "
                   f"rules run: {', '.join(summ.get('rules', []))}.\n")
        out.append("| rule | findings |")
        out.append("|---|---:|")
        for rule, n in by_rule.most_common():
            out.append(f"| {rule} | {n:,} |")
        if not by_rule:
            out.append("| (none) | 0 |")
        notices = Counter((n["kind"], n["level"]) for n in doc.get("notices", []))
        out.append("\n| notice | level | count |")
        out.append("|---|---|---:|")
        for (kind, level), n in notices.most_common():
            out.append(f"| {kind} | {level} | {n:,} |")
        msgs = Counter(n["message"] for n in doc.get("notices", []) if n["level"] == "error")
        if msgs:
            out.append("\nMost common error notices:\n")
            for m, n in msgs.most_common(5):
                out.append(f"- {n:,} x `{m[:160]}`")
        print("\n".join(out))
        if args.keep_report:
            Path(args.keep_report).write_text(json.dumps(doc, indent=2, ensure_ascii=False))
            print(f"\n(JSON report of the best `{bl_name}` run kept at {args.keep_report})")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


SMALL_FILE = '''import sqlite3


def get_user(conn: sqlite3.Connection, user_id: int):
    cur = conn.execute("SELECT id, name FROM users WHERE id = ?", (user_id,))
    return cur.fetchone()
'''


def startup_bench(args) -> int:
    k = max(args.repeat, 5)
    work = Path(tempfile.mkdtemp(prefix="backlint-startup-"))
    try:
        (work / "small.py").write_text(SMALL_FILE)
        check = backlint_command() + ["check", "small.py", "--isolated"]
        has_cache = "--no-cache" in subprocess.run(check[:-2] + ["--help"], capture_output=True, text=True).stdout
        cases = [
            ("python -c pass", [sys.executable, "-c", "pass"]),
            ("python -c 'import backlint.cli'", [sys.executable, "-c", "import backlint.cli"]),
            ("backlint --version", backlint_command() + ["--version"]),
        ]
        if has_cache:
            cases += [("backlint check small.py --isolated --no-cache", check + ["--no-cache"]),
                      ("backlint check small.py --isolated (warm cache)", check)]
        else:
            cases += [("backlint check small.py --isolated", check)]
        out = [f"Start-up: best and median of {k} runs, one 6-line Python file (pre-commit style), cwd a temporary "
               f"directory; {_env_note()}.\n",
               "| command | best (ms) | median (ms) | peak RSS |", "|---|---:|---:|---:|"]
        for name, cmd in cases:
            run_measured(cmd, cwd=str(work), sample=False)  # warm the page cache
            best, times = best_of(k, lambda: run_measured(cmd, cwd=str(work), sample=False))
            if best["rc"] not in (0, 1):
                print(f"bench: {name} exited {best['rc']}: {best['stderr'][-500:]}", file=sys.stderr)
            out.append(f"| `{name}` | {best['seconds'] * 1000:.0f} | {statistics.median(times) * 1000:.0f} | {_mb(best['maxrss_kb'])} |")
        # where the start-up time goes: -X importtime of the same pre-commit style run
        script = backlint_command()
        it = [sys.executable, "-X", "importtime"] + (script[1:] if script[0] == sys.executable else script)
        r = subprocess.run(it + ["check", "small.py", "--isolated"]
                           + (["--no-cache"] if has_cache else []),
                           cwd=str(work), capture_output=True, text=True, env=bench_env())
        rows = []
        for line in r.stderr.splitlines():
            if not line.startswith("import time:") or "cumulative" in line:
                continue
            parts = line[len("import time:"):].split("|")  # self us | cumulative us | indented name
            if len(parts) != 3 or not parts[1].strip().isdigit():
                continue
            name = parts[2]
            if name.startswith(" ") and not name.startswith("   "):  # nesting level 0: top-level imports
                rows.append((int(parts[1]), name.strip()))
        rows.sort(reverse=True)
        out.append("\nTop-level imports by cumulative import time (`python -X importtime` of the first "
                   "`backlint check` above, one run):\n")
        out.append("| module | ms |")
        out.append("|---|---:|")
        for cum, name in rows[: args.top]:
            out.append(f"| {name} | {cum / 1000:.1f} |")
        print("\n".join(out))
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dir", nargs="?", default=str(DEFAULT_CORPUS), help="directory to scan (default bench/corpus)")
    ap.add_argument("--jobs", "-j", type=int, default=None, help="worker processes for both phases (default: cores)")
    ap.add_argument("--repeat", "-k", type=int, default=1, help="take the best of K runs of each phase")
    ap.add_argument("--startup", action="store_true", help="time start-up on one small file instead")
    ap.add_argument("--top", type=int, default=12, help="rows of the import-time table in --startup")
    ap.add_argument("--keep-env", action="store_true",
                    help="run the measured commands in this environment as is (default: allow cached bytecode, see bench_env)")
    ap.add_argument("--snapshot", action="store_true",
                    help="measure a frozen copy of backlint (bench/.work/snapshot), for when its sources are being edited")
    ap.add_argument("--keep-report", metavar="FILE", help="copy backlint's JSON report of the (last) run to FILE")
    ap.add_argument("--extra", nargs=argparse.REMAINDER, help="more arguments for `backlint check` (put last)")
    # internal: the parse phase's child process
    ap.add_argument("--phase", choices=["parse"], help=argparse.SUPPRESS)
    ap.add_argument("--list", help=argparse.SUPPRESS)
    ap.add_argument("--result", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    global KEEP_ENV, SNAPSHOT
    KEEP_ENV = args.keep_env
    if args.snapshot and args.phase is None:
        SNAPSHOT = make_snapshot()
    if args.phase == "parse":
        phase_parse(args.list, args.jobs or os.cpu_count() or 1, args.result)
        return 0
    if args.startup:
        return startup_bench(args)
    return corpus_bench(args)


if __name__ == "__main__":
    sys.exit(main())
