"""hardcoded-secret: credentials written into source code and .env files.

Two detectors share one pass over each file's string literals:
- provider formats (data: ../secrets_providers.yaml): ONE combined case-insensitive keyword
  regex per process finds which providers can match a value; only their regexes then run;
- a generic detector for literals bound to secret-like names (assignment, declaration, field,
  object/dict/hash pair, keyword/named argument, annotation argument, .env `KEY=value`), gated by
  length, character classes, Shannon entropy and a placeholder list.
A secret value never leaves this module: messages and snippets use `redact()`, fingerprints
`value_hash()`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

import pathspec
import yaml

from ...languages.base import text
from ...redact import redact, value_hash

PROVIDERS_FILE = Path(__file__).resolve().parent.parent / "secrets_providers.yaml"
HOLE_SPLIT = re.compile("\ue000\\d+\ue001")
MAX_SCAN = 200_000


@dataclass(frozen=True)
class Provider:
    id: str
    name: str
    keywords: tuple[str, ...]
    regex: re.Pattern
    names: re.Pattern | None
    prefix: str
    entropy: float
    live: bool


@dataclass
class Catalog:
    providers: list[Provider]
    by_keyword: dict[str, list[Provider]]
    prefilter: re.Pattern | None
    named: list[Provider]


@lru_cache(maxsize=None)
def catalog(path: str = str(PROVIDERS_FILE)) -> Catalog:
    with open(path, encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    providers, by_kw, named = [], {}, []
    for e in data["providers"]:
        p = Provider(e["id"], e["name"], tuple(e.get("keywords") or ()), re.compile(e["regex"]),
                     re.compile(e["names"]) if e.get("names") else None, e.get("prefix", ""),
                     float(e.get("entropy", 2.5)), bool(e.get("live", False)))
        providers.append(p)
        if p.names is not None:
            named.append(p)
        for k in p.keywords:
            by_kw.setdefault(k.lower(), []).append(p)
    kws = sorted(by_kw, key=len, reverse=True)
    pre = re.compile("|".join(re.escape(k) for k in kws), re.IGNORECASE) if kws else None
    return Catalog(providers, by_kw, pre, named)


def entropy(s: str) -> float:
    if not s:
        return 0.0
    n = len(s)
    counts: dict[str, int] = {}
    for ch in s:
        counts[ch] = counts.get(ch, 0) + 1
    return -sum(c / n * math.log2(c / n) for c in counts.values())


# -- placeholders and documented example values ---------------------------------------------
DOC_EXAMPLES = frozenset({"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                          "sk_test_4eC39HqLyjWDarjtT1zdp7dc", "AKIAI44QH8DHBEXAMPLE",
                          "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY"})
PLACEHOLDER = re.compile(
    r"(?i)xxxx|\*\*\*|\.\.\.|<[^>]*>|\$\{|\{\{|%\(|%s|#\{|\{\d*\}|(?-i:\$[A-Z_]{3,}|EXAMPLE)|your[-_ ]?|placeholder|dummy|"
    r"sample|redacted|replace[-_ ]?me|insert[-_ ]|change[-_ ]?me|changeit|todo|fixme|not[-_]?a[-_]?(real|secret)|"
    r"0{8}|1234567|abcdefgh|secret[-_]?here|here$|^none$|^null$|^nil$|^undefined$|^true$|^false$")
# common default passwords belong to the `default-credentials` rule, not to this one
DEFAULT_PASSWORDS = frozenset("""password passw0rd p@ssw0rd p@ssword password1 password123 admin admin123 administrator
root toor secret secret123 letmein welcome qwerty qwerty123 123456 12345678 123456789 guest test test123 testing
pass passwd changeme changeit default postgres mysql oracle sa redis rabbitmq mongo mongodb user demo
""".split())


def placeholder(value: str) -> bool:
    return value in DOC_EXAMPLES or bool(PLACEHOLDER.search(value)) or value.lower() in DEFAULT_PASSWORDS


# -- names -----------------------------------------------------------------------------------
_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
SECRET_WORDS = frozenset({"password", "passwd", "pwd", "pass", "passphrase", "secret", "secrets", "token", "apikey",
                          "credential", "credentials", "privatekey", "clientsecret", "accesskey", "secretkey",
                          "authkey", "signingkey", "masterkey", "encryptionkey", "apitoken", "authtoken",
                          "accesstoken", "refreshtoken", "bearer", "webhooksecret", "sharedsecret"})
KEY_PAIRS = frozenset({("api", "key"), ("access", "key"), ("private", "key"), ("secret", "key"), ("auth", "key"),
                       ("signing", "key"), ("master", "key"), ("encryption", "key"), ("client", "secret"),
                       ("app", "secret"), ("consumer", "secret"), ("license", "key"), ("account", "key"),
                       ("subscription", "key"), ("shared", "key"), ("hmac", "key"), ("jwt", "key")})
NOT_SECRET_WORDS = frozenset("""name names id ids url urls uri endpoint path file filename dir field fields label type
kind header headers param params prefix suffix pattern regex length len min max policy hint placeholder message msg
text title error errors expires expiry expiration ttl timeout lifetime env var column col mode format hash hashed
digest count enabled required reset confirm confirmation validation validator strength rule rules question style
input route location version algorithm alg issuer audience scope scopes usage public publishable csrf xsrf page
next cursor continuation template key_id keyid arn ref reference provider store vault manager kms lookup source
attr attribute parameter option options setting settings config class icon display tooltip description doc docs
link help selector xpath css id_token_hint sha md5 checksum fingerprint keyspace identifier locator table start end
begin re rx char chars sep separator delimiter regexp spec kinds types list map
""".split())


def words(name: str) -> list[str]:
    return [w.lower() for w in _WORDS.findall(name)]


@lru_cache(maxsize=4096)
def secret_name(name: str) -> bool:
    ws = words(name)
    if not ws or ws[0] in ("is", "has", "should", "use", "enable", "allow", "no", "min", "max"):
        return False
    joined = "".join(ws)
    if joined in NOT_SECRET_WORDS:
        return False
    hit = any(w in SECRET_WORDS for w in ws) or any((a, b) in KEY_PAIRS for a, b in zip(ws, ws[1:])) \
        or any(s in joined for s in ("apikey", "clientsecret", "privatekey", "accesskey", "secretkey", "authtoken", "accesstoken"))
    if not hit:
        return False
    return not any(w in NOT_SECRET_WORDS for w in ws[1:] if w not in SECRET_WORDS) and ws[-1] not in NOT_SECRET_WORDS


_UUID = re.compile(r"(?i)^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_IDENTISH = re.compile(r"^(?:[a-z][a-z0-9]*(?:[_.\-:/][a-z0-9]+)*|[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*|[a-z]+(?:[A-Z][a-z0-9]*)+|"
                       r"[A-Z][a-z]+(?:[A-Z][a-z0-9]*)*|[A-Za-z]+(?:[:._\-/][A-Za-z]+)+)$")
_HASHED = re.compile(r"^(?:\$2[aby]?\$\d\d\$|\$argon2|\$pbkdf2|\$scrypt|\$[156]\$|pbkdf2_sha256\$|sha\d+[:$]|md5[:$]|bcrypt\$)", re.I)


def generic_secret(name: str, value: str) -> bool:
    if not 8 <= len(value) <= 200 or any(c.isspace() for c in value):
        return False
    if placeholder(value) or _UUID.match(value) or _IDENTISH.match(value) or _HASHED.match(value):
        return False
    if "://" in value or value.startswith(("/", "./", "../", "~/", "http", "file:", "env:", "vault:", "arn:", "ssm:",
                                           "secret:", "secretsmanager:", "projects/", "$", "%", "@", "{", "[")):
        return False
    if "\\" in value or value.startswith(("^", "(?")) or ("[" in value and "]" in value):
        return False  # a regular expression, not a credential
    squashed = re.sub(r"[^a-z0-9]", "", value.lower())
    if squashed and squashed in re.sub(r"[^a-z0-9]", "", name.lower()):
        return False
    classes = sum(bool(re.search(rx, value)) for rx in (r"[a-z]", r"[A-Z]", r"\d", r"[^A-Za-z0-9]"))
    if classes < 2 or (len(value) < 12 and classes < 3):
        return False
    return entropy(value) >= (3.0 if len(value) < 16 else 3.3)


# -- test paths ------------------------------------------------------------------------------
@lru_cache(maxsize=64)
def _spec(globs: tuple[str, ...]):
    return pathspec.GitIgnoreSpec.from_lines(list(globs))


def options(ctx, rule) -> dict[str, Any]:
    return {**rule.default_options(), **(ctx.options(rule) or {})}


def in_test_path(ctx, opts) -> bool:
    globs = opts.get("test-paths") or ()
    return bool(globs) and _spec(tuple(globs)).match_file(ctx.path)


# -- matching --------------------------------------------------------------------------------
@dataclass
class Hit:
    provider: Provider | None
    secret: str


def provider_hits(value: str, name: str | None = None) -> Iterator[Hit]:
    cat = catalog()
    value = value[:MAX_SCAN]
    if cat.prefilter is not None:
        cands: list[Provider] = []
        seen: set[str] = set()
        for m in cat.prefilter.finditer(value):
            k = m.group(0).lower()
            if k in seen:
                continue
            seen.add(k)
            for p in cat.by_keyword.get(k, ()):
                if p not in cands:
                    cands.append(p)
        cands.sort(key=cat.providers.index)
        for p in cands:
            for m in p.regex.finditer(value):
                secret = m.group(1) if p.regex.groups else m.group(0)
                if secret and _real(p, secret, m.group(0)):
                    yield Hit(p, secret)
                    break
    if name:
        for p in cat.named:
            if p.names.search(name):
                m = p.regex.search(value)
                if m and _real(p, m.group(0), m.group(0)):
                    yield Hit(p, m.group(0))


def _real(p: Provider, secret: str, whole: str) -> bool:
    if whole in DOC_EXAMPLES or secret in DOC_EXAMPLES or "EXAMPLE" in whole:
        return False
    if PLACEHOLDER.search(secret) and not p.id.startswith(("private-key", "openssh", "pgp")):
        return False
    if p.id in ("basic-auth-url", "database-url-password", "connection-string-password", "jdbc-url-password"):
        if secret.lower() in DEFAULT_PASSWORDS or re.search(r"(?i)sentry\.io|@sentry\.|ingest\.", whole):
            return False
    return entropy(secret) >= p.entropy


def scan_value(value: str, name: str | None, in_tests: bool, live_in_tests: bool) -> Hit | None:
    """The first credential in a literal value: a provider format, else a generic secret under a
    secret-like name."""
    pieces = HOLE_SPLIT.split(value) if "\ue000" in value else [value]
    for piece in pieces:
        for h in provider_hits(piece, name if len(pieces) == 1 else None):
            if in_tests and not (h.provider.live and live_in_tests):
                continue
            return h
    if name and len(pieces) == 1 and not in_tests and secret_name(name) and generic_secret(name, value):
        return Hit(None, value)
    return None


def _emit(ctx, rule, at, hit: Hit, name: str | None):
    if hit.provider is not None:
        shown = redact(hit.secret, keep_prefix=hit.provider.prefix)
        msg = (f"Hardcoded {hit.provider.name} ({shown}): move it to the environment or a secret store, "
               f"and rotate it — it is in the history now")
        props = {"redacted": True, "provider": hit.provider.id}
    else:
        shown = redact(hit.secret)
        msg = (f"String literal bound to `{name}` looks like a hardcoded secret ({shown}): read it from the "
               f"environment or a secret store, and rotate it")
        props = {"redacted": True, "provider": "generic"}
    return ctx.finding(rule, at, message=msg, snippet=shown, fingerprint_basis=value_hash(hit.secret), properties=props)


# -- where a literal goes: the name it is bound to --------------------------------------------
WRAPPERS = frozenset({"expression_list", "literal_element", "parenthesized_expression", "equals_value_clause",
                      "interpolated_string_expression"})
NAME_FIELDS = ("left", "name", "key", "property")
NAMED_CALLS = frozenset({"define", "setdefault", "setenv", "Setenv", "putenv", "setProperty", "SetEnvironmentVariable"})
_LAST_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*")


def _key_name(node) -> str | None:
    t = text(node)
    if len(t) > 200:
        return None
    ids = _LAST_IDENT.findall(t)
    return ids[-1] if ids else None


def bound_name(node) -> str | None:
    """The name a string literal is assigned or passed to, or None."""
    child = node
    p = node.parent
    index = None
    for _ in range(3):
        if p is None or p.type not in WRAPPERS:
            break
        if p.type == "expression_list":
            named = [c for c in p.children if c.is_named]
            index = next((i for i, c in enumerate(named) if c.id == child.id), None)
        child, p = p, p.parent
    if p is None or p.has_error:
        return None
    if p.type == "keyed_element":  # Go composite literal
        key = p.child_by_field_name("key") or (p.named_children[0] if p.named_children else None)
        return _key_name(key) if key is not None and key.id != child.id else None
    if p.type == "array_element_initializer":  # PHP 'key' => value
        named = p.named_children
        return _key_name(named[0]) if len(named) == 2 and named[1].id == child.id else None
    if p.type == "const_element":  # PHP const NAME = value
        named = p.named_children
        return _key_name(named[0]) if len(named) == 2 and named[1].id == child.id else None
    if p.type == "anonymous_object_creation_expression":  # C# new { Name = value }
        prev = child.prev_named_sibling
        return _key_name(prev) if prev is not None and prev.type == "identifier" else None
    if p.type == "variable_declarator" and p.child_by_field_name("value") is None:  # C#: name then value
        key = p.child_by_field_name("name")
        return _key_name(key) if key is not None and key.id != child.id else None
    if p.type in ("argument", "arguments", "argument_list"):
        if p.type == "argument":
            key = p.child_by_field_name("name")
            if key is not None:
                return _key_name(key)
            p, child = p.parent, p
            if p is None:
                return None
        call = p.parent
        args = [c for c in p.named_children if c.type != "comment"]
        if call is not None and len(args) == 2 and args[1].id == child.id:
            fn = call.child_by_field_name("function") or call.child_by_field_name("name") or call.child_by_field_name("method")
            if fn is not None and _key_name(fn) in NAMED_CALLS:
                first = args[0]
                if first.type == "argument" and first.named_children:
                    first = first.named_children[0]
                if "string" in first.type:
                    return _key_name(first)
        return None
    for f in ("value", "right", "default_value"):
        v = p.child_by_field_name(f)
        if v is not None and v.id == child.id:
            break
    else:
        return None
    for f in NAME_FIELDS:
        key = p.child_by_field_name(f)
        if key is not None and key.id != child.id:
            if index is not None and key.type == "expression_list":
                named = [c for c in key.children if c.is_named]
                key = named[index] if index < len(named) and len(named) > 1 else (named[0] if len(named) == 1 else None)
                if key is None:
                    return None
            return _key_name(key)
    return None


# -- entry point -----------------------------------------------------------------------------
def check(ctx, rule) -> Iterator:
    opts = options(ctx, rule)
    in_tests = in_test_path(ctx, opts)
    live_in_tests = bool(opts.get("live-keys-in-tests", True))
    if ctx.language == "dotenv":
        yield from _dotenv(ctx, rule, in_tests, live_in_tests)
        return
    if ctx.adapter is None or ctx.facts is None:
        return
    ev = ctx.evaluator
    for node in ctx.facts.strings:
        if node.has_error or node.end_byte - node.start_byte < 8:
            continue
        if node.parent is not None and node.parent.type == "expression_statement":
            continue  # a docstring or directive: documentation examples, not a bound value
        v = ev.value(node)
        if v is None or not v.template:
            continue
        name = bound_name(node) if not v.dynamic else None
        hit = scan_value(v.template, name, in_tests, live_in_tests)
        if hit is not None:
            yield _emit(ctx, rule, node, hit, name)


_ENV_LINE = re.compile(r"^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_.\-]*)[ \t]*[=:][ \t]*", re.M)


def _dotenv(ctx, rule, in_tests: bool, live_in_tests: bool) -> Iterator:
    src = ctx.text
    for m in _ENV_LINE.finditer(src):
        name, start = m.group(1), m.end()
        q = src[start:start + 1]
        if q in ("'", '"'):
            end = src.find(q, start + 1)
            if end < 0:
                continue
            vstart, vend = start + 1, end
        else:
            eol = src.find("\n", start)
            eol = len(src) if eol < 0 else eol
            line = src[start:eol]
            cut = re.search(r"[ \t]#", line)
            vstart, vend = start, start + (cut.start() if cut else len(line.rstrip()))
        value = src[vstart:vend]
        if len(value) < 8:
            continue
        hit = scan_value(value, name, in_tests, live_in_tests)
        if hit is not None:
            span = ctx.span(ctx.char_to_byte(vstart), ctx.char_to_byte(vend))
            yield _emit(ctx, rule, span, hit, name)
