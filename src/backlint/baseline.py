"""Baselines: remember today's findings so that CI fails only on new ones (DESIGN §6).

An entry is rule id + relative path + fingerprint (hash of the normalised matched code and the
occurrence index among equal hashes in that file). No line numbers, so shifting code does not
resurrect old findings; a second copy of the same mistake gets the next occurrence index and
is new. No messages or snippets are stored, so a baseline never holds a secret.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .model import Finding

DEFAULT_NAME = ".backlint-baseline.json"
FORMAT_VERSION = 1


class BaselineError(Exception):
    pass


@dataclass(frozen=True)
class Entry:
    rule: str
    path: str
    fingerprint: str


def entries_of(findings: list[Finding]) -> list[Entry]:
    return sorted({Entry(f.rule_id, f.path, f.fingerprint) for f in findings},
                  key=lambda e: (e.path, e.rule, e.fingerprint))


def dump(entries: list[Entry]) -> str:
    doc = {
        "tool": "backlint",
        "version": FORMAT_VERSION,
        "generated-by": f"backlint {__version__}",
        "findings": [{"path": e.path, "rule": e.rule, "fingerprint": e.fingerprint} for e in entries],
    }
    return json.dumps(doc, indent=1, sort_keys=False) + "\n"


def write(path: Path, findings: list[Finding]) -> int:
    entries = entries_of(findings)
    path.write_text(dump(entries), encoding="utf-8")
    return len(entries)


def load(path: Path) -> set[Entry]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BaselineError(f"baseline {path} not found") from None
    except (OSError, ValueError) as e:
        raise BaselineError(f"baseline {path} is not valid JSON: {str(e).splitlines()[0]}") from None
    if not isinstance(doc, dict) or doc.get("tool") != "backlint" or not isinstance(doc.get("findings"), list):
        raise BaselineError(f"baseline {path} is not a backlint baseline")
    if doc.get("version") != FORMAT_VERSION:
        raise BaselineError(f"baseline {path} has format version {doc.get('version')!r}; expected {FORMAT_VERSION} (re-create it)")
    out = set()
    for item in doc["findings"]:
        try:
            out.add(Entry(item["rule"], item["path"], item["fingerprint"]))
        except (KeyError, TypeError):
            raise BaselineError(f"baseline {path} has a malformed entry: {str(item)[:80]}") from None
    return out


def split(findings: list[Finding], known: set[Entry]) -> tuple[list[Finding], list[Finding]]:
    """(new, baselined)."""
    new, old = [], []
    for f in findings:
        (old if Entry(f.rule_id, f.path, f.fingerprint) in known else new).append(f)
    return new, old
