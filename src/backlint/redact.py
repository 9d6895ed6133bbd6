"""Never print a secret: redacted display forms and value hashes for secret findings.

A secret rule builds its finding with `snippet=redact(value, keep_prefix=...)`,
`fingerprint_basis=value_hash(value)` and `properties={"redacted": True}`. Reporters then show
that snippet instead of reading the source line back, baselines store only the hash-based
fingerprint, and the result cache stores the same redacted finding.
"""

from __future__ import annotations

import hashlib

MAX_PREFIX = 8


def redact(value: str, keep_prefix: str = "") -> str:
    """`sk_live_**** (32 chars)`: at most the provider's public prefix (<= 8 characters), never
    any other character of the value."""
    prefix = keep_prefix[:MAX_PREFIX] if keep_prefix and value.startswith(keep_prefix[:MAX_PREFIX]) else ""
    return f"{prefix}**** ({len(value)} chars)"


def value_hash(value: str) -> str:
    """Stable fingerprint basis: tells an old secret from a new one without storing either."""
    return "secret:" + hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()
