"""Table-driven test of the hardcoded-secret provider catalog (src/backlint/rules/secrets_providers.yaml):
every `bad` example is detected by its own provider, no `good` example is detected at all, and
no secret ever reaches the redacted form."""

from __future__ import annotations

import re

import pytest
import yaml

from backlint.rules.checks import hardcoded_secret as hs

with open(hs.PROVIDERS_FILE, encoding="utf-8") as fh:
    ENTRIES = yaml.safe_load(fh)["providers"]


def _name(e: dict) -> str | None:
    # name-gated providers are only looked for under a matching name
    if not e.get("names"):
        return None
    for cand in ("aws_secret_access_key", "cloudflare_api_token", "discord_bot_token", "heroku_api_key",
                 "twilio_auth_token", "mailjet_api_secret", "postmark_server_token", "datadog_api_key",
                 "cohere_api_key"):
        if re.search(e["names"], cand):
            return cand
    raise AssertionError(f"no test name for {e['id']}")


def test_catalog_size_and_shape():
    assert len(ENTRIES) >= 60
    ids = [e["id"] for e in ENTRIES]
    assert len(ids) == len(set(ids))
    for e in ENTRIES:
        assert e["examples"]["bad"] and e["examples"]["good"], e["id"]
        assert len(e.get("prefix", "")) <= 8, e["id"]
        assert e.get("keywords") or e.get("names"), e["id"]


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["id"] for e in ENTRIES])
def test_bad_examples_detected(entry):
    for value in entry["examples"]["bad"]:
        hit = hs.scan_value(value, _name(entry), in_tests=False, live_in_tests=True)
        assert hit is not None and hit.provider is not None, f"{entry['id']}: missed example #{entry['examples']['bad'].index(value)}"
        assert hit.provider.id == entry["id"], f"{entry['id']}: detected as {hit.provider.id}"
        shown = hs.redact(hit.secret, keep_prefix=hit.provider.prefix)
        assert hit.secret not in shown and len(shown.split("****")[0]) <= 8


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["id"] for e in ENTRIES])
def test_good_examples_clean(entry):
    for value in entry["examples"]["good"]:
        hit = hs.scan_value(value, _name(entry), in_tests=False, live_in_tests=True)
        if entry.get("names") and hit is not None and hit.provider is None:
            continue  # a secret-looking value under a secret name is still a generic finding
        assert hit is None, f"{entry['id']}: good example #{entry['examples']['good'].index(value)} detected as {hit.provider.id if hit.provider else 'generic'}"


@pytest.mark.parametrize("entry", [e for e in ENTRIES if e["live"]][:5], ids=lambda e: e["id"])
def test_live_keys_reported_in_tests_unless_disabled(entry):
    v = entry["examples"]["bad"][0]
    assert hs.scan_value(v, _name(entry), in_tests=True, live_in_tests=True) is not None
    assert hs.scan_value(v, _name(entry), in_tests=True, live_in_tests=False) is None


def test_one_combined_prefilter():
    cat = hs.catalog()
    assert cat.prefilter is not None
    assert all(k.lower() in cat.by_keyword for e in ENTRIES for k in e.get("keywords") or ())


@pytest.mark.parametrize("name,value,expected", [
    ("password", "Tr0ub4dor&3xK9", True),
    ("client_secret", "9f8e7d6c5b4a39281706f5e4d3c2b1a0", True),
    ("apiKey", "q8ZbN3vR7tLw2XyP5mKc", True),
    ("password", "changeme", False),
    ("password", "password123", False),
    ("password", "<your-password>", False),
    ("token", "${API_TOKEN}", False),
    ("password_field", "Tr0ub4dor&3xK9", False),
    ("token_url", "https://auth.internal/oauth/token", False),
    ("password_hash", "$2b$12$KIXQJ3o6Q5l0a9b8c7d6eO5f4g3h2i1j0k9l8m7n6o5p4q3r2s1t0", False),
    ("api_key", "123e4567-e89b-12d3-a456-426614174000", False),
    ("secret_name", "prod/orders/db", False),
    ("token", "user_access_token", False),
    ("SECRET_KEY", "SECRET_KEY", False),
])
def test_generic(name, value, expected):
    hit = hs.scan_value(value, name, in_tests=False, live_in_tests=True)
    assert (hit is not None) == expected
