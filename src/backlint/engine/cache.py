"""Result cache: a file's phase-1 output keyed by its content hash, the backlint code, the rule
catalog and the effective configuration (DESIGN §8). A re-run on an unchanged tree reads the
file, hashes it and skips parsing entirely. Entries are JSON; writes are atomic."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from .. import __version__
from ..model import finding_from_dict, finding_to_dict, notice_from_dict, notice_to_dict

CACHE_DIR_NAME = ".backlint_cache"
_CACHEDIR_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# backlint result cache; safe to delete.\n"
SCHEMA = 2


def code_stamp() -> str:
    """Identifies the analyser itself: version plus the size/mtime of every source, query and
    rule file, so a changed check, query or rule YAML never serves stale results."""
    from ..rules.catalog import catalog_dir

    h = hashlib.sha256(f"{__version__}|{SCHEMA}".encode())
    pkg = Path(__file__).resolve().parent.parent
    for base in (pkg, catalog_dir()):
        for p in sorted(base.rglob("*")):
            if p.suffix in (".py", ".scm", ".yaml", ".json") and "__pycache__" not in p.parts:
                try:
                    st = p.stat()
                except OSError:
                    continue
                h.update(f"{p.relative_to(base)}|{st.st_size}|{st.st_mtime_ns}\n".encode())
    return h.hexdigest()[:24]


def ensure_dir(root: Path) -> Path | None:
    d = root / CACHE_DIR_NAME
    try:
        d.mkdir(exist_ok=True)
        gi = d / ".gitignore"
        if not gi.exists():
            gi.write_text("# created by backlint\n*\n")
            (d / "CACHEDIR.TAG").write_text(_CACHEDIR_TAG)
    except OSError:
        return None
    return d


def entry_path(cache_dir: str, plan_key: str, rel: str, content: bytes) -> Path:
    k = hashlib.sha256(plan_key.encode() + b"\0" + rel.encode("utf-8", "surrogatepass") + b"\0" + content).hexdigest()
    return Path(cache_dir) / k[:2] / f"{k[2:]}.json"


def load(path: Path):
    from .analyse import FileResult

    try:
        with open(path, encoding="utf-8") as fh:
            d = json.load(fh)
        r = FileResult(d["path"], d["language"])
        r.findings = [finding_from_dict(x) for x in d["findings"]]
        r.notices = [notice_from_dict(x) for x in d["notices"]]
        r.suppressed, r.lines, r.analysed = d["suppressed"], d["lines"], d["analysed"]
        r.summary, r.pending, r.suppressions = d.get("summary"), d.get("pending") or {}, d.get("suppressions") or []
        r.cached = True
        return r
    except (OSError, ValueError, KeyError, TypeError):
        return None  # a missing or damaged entry is just a miss


def store(path: Path, result) -> None:
    doc = {"path": result.path, "language": result.language, "suppressed": result.suppressed,
           "lines": result.lines, "analysed": result.analysed,
           "findings": [finding_to_dict(f) for f in result.findings],
           "notices": [notice_to_dict(n) for n in result.notices],
           "summary": result.summary, "pending": result.pending, "suppressions": result.suppressions}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(doc, fh, separators=(",", ":"))
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only tree still scans, just without a cache
