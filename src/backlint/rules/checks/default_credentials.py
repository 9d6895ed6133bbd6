"""default-credentials: a well-known default password (`admin`, `root`, `postgres`, `changeme`,
`123456`, ...) given to something that holds a password.

Where a value counts as a password:
- bound to a password-like name: assignments, declarations, keyword arguments, default
  parameters, object / dict / hash / PHP array keys, Go struct fields, C# object initializers
  (`password = "admin"`, `{"password": "root"}`, `Password: "postgres"`, `'password' => 'secret'`);
- passed to a password setter (`setPassword("admin")`, `.password("root")`, `set_password(...)`);
- the value of a two-argument key/value write whose key names a password
  (`props.setProperty("hibernate.connection.password", "root")`, `define('DB_PASSWORD', 'root')`);
- a known positional password argument (knowledge `default_credentials_args`:
  `DriverManager.getConnection(url, user, "root")`, `new PDO($dsn, $user, 'root')`, ...);
- inside a connection string (`Password=admin;`, `password=postgres` libpq style, a URL
  `scheme://user:root@host`, a Go MySQL DSN `root:root@tcp(...)`);
- a `.env` line `DB_PASSWORD=postgres`.

Clean: comparisons (`password == "admin"` is a check, not a credential), env/secret-store reads
and their fallbacks (`os.getenv("DB_PASSWORD", "postgres")`, option `env-fallbacks`), empty
passwords, UI labels (`"Password"`), constants naming a key (`PASSWORD = "password"`),
placeholder URLs (`user:password@host`), names that are not the password itself
(`password_hash`, `password_field`, `password_label`), and test paths (option `exclude-paths`).

The value never appears in the output: the snippet is `redact(value)` and the fingerprint is
`value_hash(value)`.
"""

from __future__ import annotations

import re
from typing import Iterator

from ...languages.base import text
from ...model import Finding
from ...redact import redact, value_hash

KEY = "default_credentials_args"

# the word list, once (compared case-insensitively, see _default())
DEFAULT_PASSWORDS = frozenset({
    "admin", "admin1", "admin12", "admin123", "admin1234", "administrator", "adminadmin", "root", "toor",
    "rootroot", "password", "password1", "password12", "password123", "passw0rd", "p@ssw0rd", "p@ssword",
    "pass123", "pass1234", "changeme", "change_me", "changeit", "changethis", "secret", "secret123",
    "postgres", "mysql", "mariadb", "oracle", "tiger", "guest", "default", "letmein", "welcome",
    "welcome1", "qwerty", "qwerty123", "abc123", "1234", "12345", "123456", "1234567", "12345678",
    "123456789", "1234567890", "111111", "000000", "master", "manager", "rabbitmq", "redis", "mongo",
    "mongodb", "elastic", "changeme123", "raspberry", "ubnt", "pa55word", "pa$$word",
})
# values that are placeholders in examples when the user part is a placeholder too
_PLACEHOLDER_PW = frozenset({"password", "pass", "passwd", "pwd", "secret"})
_PLACEHOLDER_USER = frozenset({"user", "username", "usr", "name", "login", "myuser", "dbuser", "youruser", "user_name"})

_TOKEN_RE = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
_CORE = frozenset({"password", "passwd", "passwort", "pwd", "passphrase", "pswd", "passw", "pword"})
# tokens saying the name does not hold the password itself
_NOT_PW = frozenset({
    "hash", "hashed", "digest", "encrypted", "encoded", "enc", "crypted", "salt", "field", "fields", "label",
    "labels", "placeholder", "prompt", "hint", "title", "text", "message", "msg", "error", "errors", "help",
    "description", "desc", "policy", "regex", "regexp", "pattern", "rule", "rules", "min", "max", "length",
    "len", "size", "strength", "score", "reset", "forgot", "expires", "expiry", "expiration", "expired",
    "changed", "updated", "type", "mode", "key", "name", "names", "id", "input", "selector", "column", "col",
    "param", "env", "var", "variable", "file", "path", "url", "route", "link", "header", "property", "prop",
    "attr", "attribute", "translation", "i18n", "lang", "locale", "valid", "invalid", "visible", "show",
    "hidden", "enabled", "required", "required", "is", "has", "check", "verify", "matches", "match", "old",
    "previous", "history", "token", "otp", "code", "template", "form", "view", "icon", "button", "box",
    "css", "class", "style", "format", "validator", "validation", "strategy", "command", "cmd", "arg", "flag",
    "option", "spec", "schema", "column", "mask", "masked", "pwned", "leaked", "weak", "common", "example", "sample", "dummy", "fake", "mock", "stub", "test", "list", "lists", "dictionary",
    "wordlist", "blacklist", "denylist", "banned", "forbidden", "confirm", "confirmation", "repeat", "current",
})
_SETTER_PREFIX = frozenset({"set", "with", "use", "put"})
_KV_WRITERS = frozenset({"put", "Put", "set", "Set", "setProperty", "SetProperty", "define", "add", "Add",
                         "Setenv", "setenv", "SetEnvironmentVariable", "putenv", "addProperty", "setOption",
                         "with", "withProperty", "setParameter", "setConfig", "store", "offsetSet", "[]="})
_ASSIGN_TAIL = re.compile(r"(\|\|=|\?\?=|:=|=>|(?<![=!<>+\-*/%&|^.?:])=(?!=)|:)\s*$")
_LEFT_OK = re.compile(r"""^[\w$@.\->\[\]'"`:\s*]*$""")
_RESERVED = frozenset({"const", "let", "var", "final", "static", "private", "public", "protected", "internal",
                       "readonly", "string", "String", "str", "char", "val", "this", "self", "my", "our",
                       "def", "export", "default", "new", "override", "volatile", "transient", "lazy"})

_CONN_KV = re.compile(r"""(?i)(?:^|[;\s?&])\s*(password|pwd|passwd|pass)\s*=\s*(["']?)([^;\s&"'\ue000\ue001]+)\2(?=$|[;\s&])""")
_CONN_USER = re.compile(r"""(?i)(?:^|[;\s?&])\s*(?:user(?:\s?id)?|uid|username|user_name)\s*=\s*["']?([^;\s&"']*)""")
_URL = re.compile(r"""(?i)^[a-z][a-z0-9+.\-]*://([^:/@\s\ue000\ue001]*):([^@/\s\ue000\ue001]+)@[^\s@]""")
_GO_DSN = re.compile(r"""^([^:/@\s\ue000\ue001]+):([^@/\s\ue000\ue001]+)@(?:tcp|unix|udp|tcp6)?\(""")


def _tokens(name: str) -> list[str]:
    out: list[str] = []
    for part in re.split(r"[^A-Za-z0-9]+", name):
        out.extend(t.lower() for t in _TOKEN_RE.findall(part))
    return out


def password_name(name: str) -> bool:
    """DB_PASSWORD, dbPass, POSTGRES_PASSWORD, spring.datasource.password, $config['db']['pass']."""
    if not name:
        return False
    toks = _tokens(name)
    if not toks or any(t in _NOT_PW for t in toks):
        return False
    if any(t in _CORE or (t.startswith("password") and t[8:].isdigit()) for t in toks):
        return True
    # a bare `pass` only at the end (db_pass, DB_PASS, smtpPass), not pass_through / passRate
    return toks[-1] == "pass" or (len(toks) >= 2 and toks[-2] == "pass" and toks[-1] == "word")


def _default(value: str) -> bool:
    if not value or len(value) > 24:
        return False
    if value[:1].isupper() and value[1:].islower() and value.isalpha():
        return False  # "Password", "Admin", "Secret": a UI label, not a credential
    return value.lower() in DEFAULT_PASSWORDS


def _last_segment(left: str) -> str:
    """The name a left-hand side binds: the last key / member / identifier, type annotations aside."""
    left = left.strip()
    # `password: string = ` (TS/Python annotation): keep what is before the annotation
    m = re.match(r"^([\w$@.\->\[\]'\"`]+)\s*:\s*[\w.\[\]<>,| ?]+$", left)
    if m:
        left = m.group(1)
    keys = re.findall(r"""\[\s*["'`:]?([\w.\-]+)["'`]?\s*\]""", left)
    if keys:
        return keys[-1]
    words = [w for w in re.findall(r"[\w$@.\-]+", left) if w not in _RESERVED]
    words = [w for w in words if not w.startswith("-")]
    if not words:
        return ""
    # `String password` / `password string` (Go) / `private string Password`: a password-like word wins
    for w in reversed(words):
        last = re.split(r"->|\.", w.strip("$@:"))[-1]
        if password_name(last):
            return last
    return re.split(r"->|\.", words[-1].strip("$@:"))[-1]


def _same_as_name(name: str, value: str) -> bool:
    return re.sub(r"[^a-z0-9]", "", name.lower()) == re.sub(r"[^a-z0-9]", "", value.lower())


def check(ctx, rule) -> Iterator[Finding]:
    if ctx.language == "dotenv":
        yield from _check_dotenv(ctx, rule)
        return
    facts = ctx.facts
    if facts is None:
        return
    opts = ctx.options(rule)
    env_fallbacks = bool(opts.get("env-fallbacks", False))
    knowledge = ctx.adapter.knowledge.get(KEY) or {}
    by_arg: dict[int, tuple] = {}
    for call in facts.calls:
        if call.node.has_error:
            continue
        for i, a in enumerate(call.args):
            by_arg[a.id] = (call, i)
        for k, v in call.kwargs.items():
            by_arg[v.id] = (call, k)
    ev = ctx.evaluator
    seen: set[int] = set()
    for node in facts.strings:
        if node.has_error or node.id in seen:
            continue
        try:
            sv = ev.value(node)
        except RecursionError:
            continue
        if sv is None:
            continue
        if not sv.dynamic:
            hit = _bound_value(ctx, node, sv.template, by_arg, knowledge, env_fallbacks)
            if hit is not None:
                seen.add(node.id)
                yield _finding(ctx, rule, node, sv.template, hit)
                continue
        conn = _connection_string(sv.template)
        if conn is not None:
            seen.add(node.id)
            yield _finding(ctx, rule, node, conn, "the password in this connection string")


def _finding(ctx, rule, at, value: str, where: str) -> Finding:
    shown = redact(value)
    return ctx.finding(rule, at, {"where": where, "redacted": shown}, snippet=f"{where}: {shown}",
                       fingerprint_basis=value_hash(value), properties={"redacted": True})


def _unwrap(node):
    """Climb over wrappers that add no text before the value (expression_list, literal_element,
    PHP argument, parenthesised expressions); at most a few levels."""
    cur = node
    for _ in range(4):
        p = cur.parent
        if p is None or p.start_byte != cur.start_byte or p.end_byte - cur.end_byte > 1:
            break
        if "call" in p.type or "invocation" in p.type or "binary" in p.type or "comparison" in p.type:
            break
        cur = p
    return cur


_EXAMPLE_KEY = re.compile(r"""(?i)(?:^|[^\w])(?:json_schema_extra|schema_extra|openapi_examples?|examples?|samples?|"""
                          r"""demo|placeholders?|mock|fake|dummy|swagger)["'`]?\s*(?:[:=]|=>)\s*[\[{(]?\s*$""")


def _in_example(ctx, node) -> bool:
    """Inside an API-doc example payload (`"example": {"password": "secret"}`, pydantic
    `json_schema_extra`, `@Schema(example = ...)`): documentation, not a credential."""
    cur = node
    for _ in range(8):
        p = cur.parent
        if p is None:
            return False
        pre = ctx.source[max(p.start_byte, cur.start_byte - 80):cur.start_byte].decode("utf-8", "replace")
        if _EXAMPLE_KEY.search(pre):
            return True
        cur = p
    return False


def _bound_value(ctx, node, value: str, by_arg, knowledge, env_fallbacks) -> str | None:
    if not _default(value) or _in_example(ctx, node):
        return None
    cur = _unwrap(node)
    for n in (node, cur):
        if n.id in by_arg:
            return _call_arg(by_arg[n.id], value, knowledge, env_fallbacks)
    parent = cur.parent
    if parent is None:
        return None
    if parent.type in ("arguments", "argument_list", "arguments_list") and parent.parent is not None:
        return None  # an argument of a call the facts did not describe
    if cur.start_byte - parent.start_byte > 300:
        return None  # an element deep in a long list or call: not a `name = value` binding
    prefix = ctx.source[parent.start_byte:cur.start_byte].decode("utf-8", "replace")
    if "\n" in prefix.strip() and not re.search(r"[=:>]\s*$", prefix):
        return None
    m = _ASSIGN_TAIL.search(prefix)
    if m is None:
        return None
    left = prefix[:m.start()]
    # the left side of the last line only (a declaration may span lines: annotations above)
    left = left.splitlines()[-1] if left.strip() else ""
    if not left.strip() or not _LEFT_OK.match(left) or "==" in left:
        return None
    if re.search(r"\b(if|elif|while|return|case|when|unless|and|or|not)\b", left):
        return None
    name = _last_segment(left)
    if not password_name(name) or _same_as_name(name, value):
        return None
    return f"`{name}`"


def _call_arg(hit, value: str, knowledge, env_fallbacks) -> str | None:
    call, where = hit
    method = call.method or ""
    if isinstance(where, str):  # keyword argument
        if password_name(where) and not _same_as_name(where, value):
            return f"keyword argument `{where}=`"
        return None
    i = where
    # a password setter: setPassword("admin"), .password("root"), set_password("changeme")
    toks = _tokens(method)
    setter = bool(toks) and toks[0] in _SETTER_PREFIX
    if i == 0 and len(call.args) == 1 and len(toks) > int(setter) and password_name(method) \
            and (setter or toks[0] in _CORE or toks[0] == "pass") and (toks[-1] in _CORE or toks[-1] in ("pass", "word")):
        return f"the argument of `{method}()`"
    # key/value writes: props.setProperty("db.password", "root"), define('DB_PASSWORD', 'root')
    if i == 1 and len(call.args) == 2:
        key = call.args[0]
        kt = text(key).strip("'\"`")
        if re.fullmatch(r"[\w.\-:/\[\]]+", kt or "-") and text(key)[:1] in "'\"`":
            seg = re.split(r"[.:/\[\]]+", kt.strip("[]"))
            seg = [s for s in seg if s]
            if seg and password_name(seg[-1]) and not _same_as_name(seg[-1], value):
                if method in _KV_WRITERS:
                    return f"the value written to `{kt}`"
                if env_fallbacks and _is_env_read(call):
                    return f"`{kt}` (environment fallback)"
    # known positional password arguments
    for e in knowledge.get("args", ()) if isinstance(knowledge, dict) else ():
        if e.get("method") != method or e.get("arg") != i:
            continue
        if e.get("new") is not None and bool(e["new"]) != call.is_new:
            continue
        rx = e.get("receiver")
        if rx and not re.search(rx, call.receiver or ""):
            continue
        crx = e.get("callee")
        if crx and not re.search(crx, call.callee):
            continue
        if e.get("min_args") and len(call.args) < e["min_args"]:
            continue
        return f"the password argument of `{call.callee if len(call.callee) <= 50 else method}`"
    return None


def _is_env_read(call) -> bool:
    return call.method in ("getenv", "Getenv", "env", "fetch", "get", "getProperty", "GetEnvironmentVariable",
                           "getOrDefault", "setdefault")


def _connection_string(template: str) -> str | None:
    """The default password inside a connection string or URL, or None."""
    t = template.strip()
    if len(t) > 2000 or len(t) < 8:
        return None
    m = _URL.match(t) or _GO_DSN.match(t)
    if m is not None and not re.search(r"\s", t):
        user, pw = m.group(1), m.group(2)
        if _default(pw) and not _placeholder(user, pw) and "\ue000" not in pw:
            return pw
        return None
    kvs = re.findall(r"(?i)(?:^|[;\s?&])\s*[a-z][a-z _]*\s*=", t)
    if len(kvs) < 2:
        return None
    m = _CONN_KV.search(t)
    if m is None:
        return None
    pw = m.group(3)
    um = _CONN_USER.search(t)
    if _default(pw) and not _placeholder(um.group(1) if um else "", pw):
        return pw
    return None


def _placeholder(user: str, pw: str) -> bool:
    u = user.strip("<>{}[]").lower()
    return pw.lower() in _PLACEHOLDER_PW and (u in _PLACEHOLDER_USER or u.startswith("your") or u.startswith("my"))


# ----------------------------------------------------------------------------------------------
# .env files
# ----------------------------------------------------------------------------------------------
_ENV_LINE = re.compile(r"""^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_.\-]*)[ \t]*=[ \t]*(?:"([^"\n]*)"|'([^'\n]*)'|([^\s#'"][^\s#]*))?""")


def _check_dotenv(ctx, rule) -> Iterator[Finding]:
    pos = 0
    for line in ctx.text.splitlines(keepends=True):
        m = _ENV_LINE.match(line)
        start = pos
        pos += len(line)
        if m is None:
            continue
        name = m.group(1)
        gi = next((g for g in (2, 3, 4) if m.group(g) is not None), None)
        if gi is None:
            continue
        value = m.group(gi)
        ve = start + m.end(gi)
        span = ctx.span(ctx.char_to_byte(start + m.start(1)), ctx.char_to_byte(ve))
        if password_name(name) and _default(value) and not _same_as_name(name, value):
            yield _finding(ctx, rule, span, value, f"`{name}`")
            continue
        conn = _connection_string(value)
        if conn is not None:
            yield _finding(ctx, rule, span, conn, f"the connection string in `{name}`")
