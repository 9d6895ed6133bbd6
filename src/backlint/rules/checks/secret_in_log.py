"""secret-in-log: a logging or print call whose arguments carry a password, token, secret, API
key, card number or CVV.

What is a secret is decided from names only (identifiers, fields, getters, request keys and
dictionary keys: `password`, `req.body.password`, `user.getToken()`, `params[:password]`,
`os.getenv("API_KEY")`, `{"token": t}`), followed into f-strings / templates / concatenation /
format calls and through local variables of the same function (the Evaluator's assignments).
Whole objects that carry credentials count too: request headers and cookies always, the whole
request body / form / params only in a function that handles a credential (its text names one).

Clean: masked or derived values (any call that is not a known string conversion: `mask(pw)`,
`len(pw)`, `sha256(tok)`, `token.slice(0, 4)`), slices and indexes (`token[:4]`), lengths
(`password.length`), names about a secret that do not hold it (`has_password`,
`password_reset_sent`, `token_expired`, `cancellationToken`, `next_page_token`), comparisons
and boolean tests, and message text that only mentions the words.

The rule reports names, never values: the message names the logged expression (source text,
which holds variable names), and no literal secret value is ever copied into the output.
Sinks and helpers per language: `languages/<lang>/knowledge.d/logging.yaml` (`secret_in_log`).
"""

from __future__ import annotations

import re
from typing import Iterator

from ...languages.base import text
from ...model import Finding
from ._common import short

KEY = "secret_in_log"
MAX_DEPTH = 6
MAX_LABELS = 3

# ----------------------------------------------------------------------------------------------
# names
# ----------------------------------------------------------------------------------------------
_TOKEN_RE = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")

# words that say a name is ABOUT a secret without holding it (a flag, a length, a date, a policy)
_MODIFIERS = frozenset({
    "length", "len", "count", "size", "min", "max", "expires", "expired", "expiry", "expiration", "exp", "ttl",
    "at", "time", "timestamp", "date", "type", "kind", "name", "names", "label", "id", "ids", "url", "uri",
    "endpoint", "path", "file", "field", "fields", "column", "policy", "rule", "rules", "regex", "regexp",
    "pattern", "strength", "score", "hint", "prompt", "placeholder", "changed", "updated", "created", "sent",
    "valid", "invalid", "validated", "validation", "verified", "required", "enabled", "disabled", "set", "is",
    "has", "should", "needs", "need", "must", "can", "hash", "hashed", "digest", "masked", "mask", "redacted",
    "encrypted", "status", "state", "error", "errors", "err", "message", "msg", "exception", "manager", "service",
    "provider", "store", "storage", "repository", "repo", "generator", "factory", "helper", "util", "utils",
    "validator", "parser", "lexer", "tokenizer", "prefix", "suffix", "last4", "preview", "fingerprint", "version",
    "index", "idx", "position", "pos", "page", "next", "prev", "previous", "continuation", "pagination", "cursor",
    "cancellation", "csrf", "xsrf", "sync", "input", "element", "el", "widget", "box", "visible", "show",
    "toggle", "header", "headers", "key", "domain", "options", "opts", "config", "settings", "format", "request",
    "response", "res", "resp", "req", "form", "schema", "dto", "model", "class", "source", "env", "var", "ref",
    "reference", "arn", "location", "uses", "used", "usage", "limit", "attempts", "attempt", "retries", "retry",
    "count", "present", "exists", "missing", "empty", "null", "none", "provided", "supplied", "changed", "match",
    "matches", "ok", "success", "failed", "failure", "audience", "issuer", "scope", "scopes", "claims", "payload",
    "header", "algorithm", "alg", "bits", "strategy", "handler", "middleware", "guard", "filter", "route",
    "event", "events", "listener", "callback", "fn", "func", "test", "mock", "fake", "dummy", "example", "sample",
    "lifetime", "age", "duration", "timeout", "interval", "version", "mode", "policy", "template", "text",
    "decoded", "info", "metadata", "meta", "details",
})
_PASS_OWNERS = frozenset({"user", "db", "admin", "root", "login", "account", "auth", "basic", "smtp", "ftp", "mail",
                          "redis", "mysql", "pg", "ldap", "proxy", "my", "new", "old", "current", "app", "api"})
_NOT_TOKEN_BEFORE = frozenset({"cancellation", "page", "next", "continuation", "pagination", "csrf", "xsrf", "sync",
                               "lexer", "parse", "parser", "last", "current", "peek", "cur", "prev", "idempotency",
                               "push", "device", "registration", "anti", "forgery", "request"})


def _tokens(name: str) -> list[str]:
    out: list[str] = []
    for part in re.split(r"[^A-Za-z0-9]+", name):
        out.extend(t.lower() for t in _TOKEN_RE.findall(part))
    return out


def secret_kind(name: str, lexer_file: bool = False) -> str | None:
    """What secret a name holds ("a password", "an API key", ...), or None."""
    if not name or len(name) > 80:
        return None
    toks = _tokens(name.lstrip("$@:"))
    if not toks:
        return None
    kind = None
    used: set[int] = set()
    for i, t in enumerate(toks):
        nxt = toks[i + 1] if i + 1 < len(toks) else ""
        if t in ("password", "passwd", "pwd", "passphrase", "passcode", "pswd", "passwort") or \
                (t == "pass" and i == len(toks) - 1 and i > 0 and toks[i - 1] in _PASS_OWNERS):
            kind, used = "a password", used | {i}
        elif t == "secret" or t == "secrets":
            kind, used = kind or "a secret", used | {i} | ({i + 1} if nxt == "key" else set())
        elif t == "apikey" or (t == "api" and nxt == "key"):
            kind, used = "an API key", used | {i, i + 1}
        elif t in ("private", "signing", "encryption", "master") and nxt == "key":
            kind, used = "a private key", used | {i, i + 1}
        elif t == "token" or t == "jwt" or t == "bearer":
            prev = toks[i - 1] if i > 0 else ""
            if prev in _NOT_TOKEN_BEFORE or (lexer_file and t == "token"):
                return None
            kind, used = kind or "a token", used | {i}
        elif t == "authorization" or (t == "auth" and nxt == "header"):
            kind, used = kind or "an authorization header", used | {i, i + 1}
        elif t in ("credentials", "creds"):
            kind, used = kind or "credentials", used | {i}
        elif t in ("cookie", "cookies"):
            kind, used = kind or "session cookies", used | {i}
        elif t == "sessionid" or (t == "session" and nxt in ("id", "token", "key")):
            kind, used = kind or "a session id", used | {i, i + 1}
        elif t in ("cardnumber", "ccnum", "ccnumber", "pan") or (t in ("card", "cc") and nxt in ("number", "num", "no")):
            kind, used = kind or "a card number", used | {i, i + 1}
        elif t in ("cvv", "cvc", "cvv2", "cvc2", "csc"):
            kind, used = kind or "a card CVV", used | {i}
    if kind is None:
        return None
    if any(t in _MODIFIERS for j, t in enumerate(toks) if j not in used):
        return None
    if "pan" in toks and kind == "a card number" and len(toks) > 1 \
            and not any(t in ("card", "cc", "primary") for t in toks):
        return None
    return kind


# ----------------------------------------------------------------------------------------------
# tree helpers (node types of all eight grammars)
# ----------------------------------------------------------------------------------------------
_IDENT = frozenset({"identifier", "property_identifier", "field_identifier", "shorthand_property_identifier",
                    "variable_name", "instance_variable", "class_variable", "constant", "simple_identifier",
                    "name", "global_variable"})
_MEMBER = {"attribute": "attribute", "member_expression": "property", "selector_expression": "field",
           "field_access": "field", "member_access_expression": "name",
           "nullsafe_member_access_expression": "name", "scoped_property_access_expression": "name",
           "conditional_access_expression": None}
_SUBSCRIPT = frozenset({"subscript", "subscript_expression", "index_expression", "element_reference",
                        "element_access_expression"})
_UNWRAP = frozenset({"parenthesized_expression", "as_expression", "non_null_expression", "await_expression",
                     "satisfies_expression", "cast_expression", "argument", "spread_element", "splat_argument",
                     "hash_splat_argument", "dictionary_splat", "list_splat", "variadic_argument", "checked_expression",
                     "type_assertion_expression", "unary_op_expression", "expression_statement"})
_CALLS = frozenset({"call", "call_expression", "method_invocation", "function_call_expression",
                    "member_call_expression", "nullsafe_member_call_expression", "scoped_call_expression",
                    "invocation_expression"})
_STRINGS = frozenset({"string", "string_literal", "interpreted_string_literal", "raw_string_literal",
                      "encapsed_string", "template_string", "interpolated_string_expression",
                      "verbatim_string_literal", "concatenated_string", "heredoc", "simple_symbol",
                      "hash_key_symbol", "delimited_symbol", "text_block", "interpolated_verbatim_string_expression"})
_LITERALS = frozenset({"integer", "float", "number", "int_literal", "float_literal", "decimal_integer_literal",
                       "true", "false", "none", "null", "nil", "null_literal", "boolean", "boolean_literal",
                       "integer_literal", "real_literal", "undefined", "rune_literal", "character_literal"})
_BINARY = frozenset({"binary_operator", "binary_expression", "binary", "boolean_operator"})
_VALUE_OPS = frozenset({"+", ".", "%", "<<", "||", "??", "or", "?:"})
_TERNARY = frozenset({"conditional_expression", "ternary_expression"})
_PAIRS = frozenset({"pair", "keyed_element", "array_element_initializer", "anonymous_object_member_declarator",
                    "keyword_argument", "assignment_expression"})
_COLLECTIONS = frozenset({"dictionary", "object", "hash", "list", "tuple", "array", "composite_literal",
                          "literal_value", "array_creation_expression", "anonymous_object_creation_expression",
                          "initializer_expression", "collection_expression", "argument_list", "arguments",
                          "expression_list", "literal_element", "set"})
_SLICES = frozenset({"slice", "range", "slice_expression", "integer", "number", "int_literal",
                     "decimal_integer_literal", "integer_literal", "unary_operator", "unary_expression"})
_VALUE_ATTRS = frozenset({"data", "value", "Value"})


def _unwrap(node, limit: int = 8):
    steps = 0
    while node is not None and node.type in _UNWRAP and steps < limit:
        kids = [c for c in node.named_children if c.type not in ("comment", "type_identifier", "predefined_type",
                                                                   "generic_type", "qualified_type", "type")]
        if not kids:
            return node
        node = kids[-1] if node.type in ("cast_expression", "await_expression", "argument", "checked_expression") \
            else kids[0]
        steps += 1
    return node


def _member_name(node) -> str | None:
    t = node.type
    if t in _IDENT:
        return text(node).lstrip("$@:")
    if t in _MEMBER:
        fld = _MEMBER[t]
        n = node.child_by_field_name(fld) if fld else None
        if n is None and node.named_children:
            n = node.named_children[-1]
            if n.type == "member_binding_expression" and n.named_children:
                n = n.named_children[-1]
        return text(n).lstrip("$@:") if n is not None and n.type in _IDENT else None
    if t == "call" and node.child_by_field_name("receiver") is not None \
            and node.child_by_field_name("arguments") is None and node.child_by_field_name("block") is None:
        m = node.child_by_field_name("method")  # ruby: user.password
        return text(m) if m is not None else None
    return None


def _member_object(node):
    t = node.type
    if t == "attribute":
        return node.child_by_field_name("object")
    if t == "member_expression":
        return node.child_by_field_name("object")
    if t == "selector_expression":
        return node.child_by_field_name("operand")
    if t in ("field_access", "member_access_expression"):
        return node.child_by_field_name("object") or node.child_by_field_name("expression")
    if t == "call":
        return node.child_by_field_name("receiver")
    return node.named_children[0] if node.named_children else None


def _literal_key(node) -> str | None:
    if node is None:
        return None
    node = _unwrap(node)
    if node.type not in _STRINGS and node.type not in ("simple_symbol", "hash_key_symbol"):
        return None
    if any(c.type in ("interpolation", "template_substitution", "variable_name", "member_access_expression")
           for c in node.named_children):
        return None
    s = text(node).strip()
    s = re.sub(r"^[:@]?[A-Za-z]{0,2}(?=[\"'`])", "", s).lstrip(":").rstrip(":").strip("\"'`")
    return s if re.fullmatch(r"[\w\-.]{1,60}", s) else None


def _subscript_parts(node):
    t = node.type
    if t == "subscript":
        return node.child_by_field_name("value"), node.child_by_field_name("subscript")
    if t == "subscript_expression":
        obj, idx = node.child_by_field_name("object"), node.child_by_field_name("index")
        if obj is None or idx is None:
            kids = node.named_children
            return (kids[0], kids[1]) if len(kids) >= 2 else (None, None)
        return obj, idx
    if t == "index_expression":
        return node.child_by_field_name("operand"), node.child_by_field_name("index")
    if t == "element_reference":
        kids = node.named_children
        return (kids[0], kids[-1]) if len(kids) >= 2 else (None, None)
    if t == "element_access_expression":
        sub = node.child_by_field_name("subscript")
        arg = sub.named_children[0] if sub is not None and sub.named_children else None
        if arg is not None and arg.type == "argument" and arg.named_children:
            arg = arg.named_children[0]
        return node.child_by_field_name("expression"), arg
    return None, None


def _pair_parts(node):
    t = node.type
    if t == "keyword_argument":
        return node.child_by_field_name("name"), node.child_by_field_name("value")
    if t == "pair":
        k, v = node.child_by_field_name("key"), node.child_by_field_name("value")
        if k is not None and v is not None:
            return k, v
    if t == "assignment_expression":  # C# object initializer member
        return node.child_by_field_name("left"), node.child_by_field_name("right")
    kids = [c for c in node.named_children if c.type != "comment"]
    if len(kids) >= 2:
        return kids[0], kids[-1]
    return None, None


def _renamed_from(decl, name: str):
    """A destructuring rename `{ password: pw }`: the secret-like key bound to `name`."""
    pat = decl.child_by_field_name("name") if decl is not None else None
    if pat is None or pat.type != "object_pattern":
        return None
    for c in pat.named_children[:32]:
        if c.type != "pair_pattern":
            continue
        k, v = c.child_by_field_name("key"), c.child_by_field_name("value")
        if v is not None and v.type == "assignment_pattern":
            v = v.child_by_field_name("left")
        if k is not None and v is not None and text(v) == name:
            kind = secret_kind(text(k).strip("\"'"))
            return (text(k), kind) if kind else None
    return None


def _short(s: str, n: int = 60) -> str:
    return short(s, n)


# ----------------------------------------------------------------------------------------------
# the walker
# ----------------------------------------------------------------------------------------------
class _Walker:
    def __init__(self, ctx, kn: dict):
        self.ctx = ctx
        self.kn = kn
        self.ev = ctx.evaluator
        self.facts = ctx.facts
        self.getters = set(kn.get("getters", ()))
        self.getter_callee = re.compile(kn.get("getter_callee") or "^$")
        self.conversions = re.compile(kn.get("conversions") or "^$")
        self.recv_pass = set(kn.get("receiver_passthrough", ()))
        self.fields = re.compile(kn.get("field_constructors") or "^$")
        self.headers = re.compile(kn.get("headers") or "^$")
        self.body = re.compile(kn.get("body") or "^$")
        self.environment = re.compile(kn.get("environment") or "^$")
        self.lexer = bool(_LEXER.search(ctx.text))
        self.calls_by_node = {c.node.id: c for c in ctx.facts.calls}

    def kind(self, name: str | None) -> str | None:
        return secret_kind(name or "", self.lexer) if name else None

    # returns (label, kind) or None
    def sensitive(self, node, depth: int = 0):
        node = _unwrap(node)
        if node is None or depth > MAX_DEPTH or node.has_error:
            return None
        t = node.type
        if t in _LITERALS:
            return None
        squashed = re.sub(r"\s+", "", text(node)[:200])
        if self.headers.search(squashed):
            return f"`{_short(squashed)}`", "all request headers, the Authorization header and cookies included"
        if self.environment.search(squashed):
            return f"`{_short(squashed)}`", "the whole process environment (every secret passed in by environment variable)"
        if self.body.search(squashed):
            fn = self.ev.function_of(node)
            if fn is not None and _CREDENTIAL_CONTEXT.search(text(fn.node)[:20000].replace("secret-in-log", "")):
                return f"`{_short(squashed)}`", "the whole request body in a handler that receives credentials"
            return None
        if t in _STRINGS or t in ("string_content",):
            return self._holes(node, depth)
        name = _member_name(node)
        if name is not None and t in _CALLS and not self.kind(name):
            name = None  # ruby `params.inspect`: a method call, judged below
        if name is not None:
            k = self.kind(name)
            if k:
                return f"`{_short(text(node))}`", k
            if t in _IDENT:
                return self._follow(node, name, depth)
            if name in _VALUE_ATTRS:  # form.password.data, cookie.Value (not a lexer's token.value)
                obj = _unwrap(_member_object(node))
                hit = self.sensitive(obj, depth + 1) if obj is not None and obj.type in _IDENT | set(_MEMBER) else None
                return hit if hit and hit[1] != "a token" else None
            return None
        if t in _SUBSCRIPT:
            obj, key = _subscript_parts(node)
            if key is None or key.type in _SLICES:
                return None
            lk = _literal_key(key)
            k = self.kind(lk) if lk else None
            if k:
                return f"`{_short(text(obj), 40)}[{lk!r}]`" if obj is not None else f"`{lk}`", k
            return None
        if t in _CALLS:
            return self._call(node, depth)
        if t in _BINARY:
            op = node.child_by_field_name("operator")
            op_text = text(op) if op is not None else next(
                (text(c) for c in node.children if not c.is_named), "")
            if op_text not in _VALUE_OPS:
                return None
            for c in node.named_children[:2]:
                if c is not None and c.type != "comment":
                    hit = self.sensitive(c, depth + 1)
                    if hit:
                        return hit
            return None
        if t in _TERNARY:
            cond = node.child_by_field_name("condition")
            kids = [c for c in node.named_children if c.type != "comment"]
            if cond is None and t == "conditional_expression" and len(kids) == 3 and self.ctx.language == "python":
                cond = kids[1]
            if cond is None and kids:
                cond = kids[0]
            for c in kids:
                if cond is not None and c.id == cond.id:
                    continue
                hit = self.sensitive(c, depth + 1)
                if hit:
                    return hit
            return None
        if t in _COLLECTIONS or t in _PAIRS:
            return self._collection(node, depth)
        return None

    def _holes(self, node, depth):
        if not any(c.type in ("interpolation", "template_substitution", "variable_name", "member_access_expression",
                              "subscript_expression", "simple_variable", "dynamic_variable_name")
                   or (c.is_named and c.type in _IDENT) for c in node.named_children):
            return None
        try:
            v = self.ev.value(node)
        except RecursionError:
            return None
        if v is None:
            return None
        for h in v.holes[:20]:
            if h.node is None or h.numeric or h.node.id == node.id:
                continue
            hit = self.sensitive(h.node, depth + 1)
            if hit:
                return hit
        return None

    def _follow(self, node, name: str, depth: int):
        """A local variable: what its last assignment in the same function holds."""
        fn = self.ev.function_of(node)
        if fn is None:
            return None
        assigns = self.facts.assignments_before(name, fn, node.start_byte)
        if not assigns:
            return None
        last = assigns[-1]
        parts = [last]
        if last.op != "=":  # appends: fold back to the plain assignment
            i = len(assigns) - 1
            while i > 0 and assigns[i].op != "=":
                i -= 1
            parts = assigns[i:]
        for a in parts[-4:]:
            if a.value is None:
                k = _renamed_from(a.node, name)  # const { password: pw } = req.body
                if k:
                    return f"`{name}` (from `{k[0]}`)", k[1]
                continue
            if a.value.start_byte <= node.start_byte <= a.value.end_byte:
                continue
            hit = self.sensitive(a.value, depth + 1)
            if hit:
                label, kind = hit
                return f"`{name}` (from {label})", kind
        return None

    def _call(self, node, depth):
        call = self.calls_by_node.get(node.id)
        if call is None:
            return None
        m = call.method
        callee = call.callee
        # getters with a literal key: request.POST.get("password"), os.getenv("API_KEY")
        if (m in self.getters or self.getter_callee.search(callee)) and call.args:
            lk = _literal_key(call.args[0])
            k = self.kind(lk) if lk else None
            if k:
                return f"`{_short(callee, 50)}({lk!r})`", k  # the key only: never a default value
            return None
        # zero-argument getters: user.getPassword(), getApiKey()
        if not call.args and not call.kwargs:
            g = re.match(r"^(get|Get|get_)(\w+)$", m)
            if g:
                k = self.kind(g.group(2))
                if k:
                    return f"`{_short(text(node))}`", k
                return None
            if call.receiver_node is not None and m in self.recv_pass:
                return self.sensitive(call.receiver_node, depth + 1)
            toks = _tokens(m)
            if call.receiver and toks and toks[0] not in _VERBS:
                k = self.kind(m)  # creds.secretKey(), user.api_key (ruby)
                if k:
                    return f"`{_short(text(node))}`", k
            return None
        if self.fields.search(callee):
            return self._kv(call.args, depth)
        if self.conversions.search(callee) or (m == "format" and call.receiver_node is not None
                                                and _unwrap(call.receiver_node).type in _STRINGS):
            for a in list(call.args)[:12] + list(call.kwargs.values())[:12]:
                hit = self.sensitive(a, depth + 1)
                if hit:
                    return hit
            if self.ctx.language == "python":
                for k_, v_ in list(call.kwargs.items())[:12]:
                    hit = self._pair(k_, v_, depth)
                    if hit:
                        return hit
            return None
        if call.receiver_node is not None and m in self.recv_pass:
            return self.sensitive(call.receiver_node, depth + 1)
        return None

    def _pair(self, key: str | None, value, depth):
        """A key/value logged together: a secret key with a value that is not masked."""
        k = self.kind(key) if key else None
        v = _unwrap(value)
        if v is None:
            return None
        hit = self.sensitive(v, depth + 1)
        if hit:
            return hit
        if k and v.type not in _LITERALS and v.type not in _STRINGS and v.type not in _CALLS \
                and v.type not in _COLLECTIONS and v.type not in _BINARY and v.type not in _TERNARY:
            vn = _member_name(v)
            if v.type in _SUBSCRIPT or (vn is not None and not any(t in _MODIFIERS for t in _tokens(vn))):
                return f"`{key}` = `{_short(text(v), 40)}`", k
        return None

    def _kv(self, args, depth):
        """Go structured logging: "key", value, "key", value ..."""
        args = [_unwrap(a) for a in args[:24]]
        for i, a in enumerate(args):
            if a is None:
                continue
            lk = _literal_key(a)
            if lk is not None and i + 1 < len(args):
                hit = self._pair(lk, args[i + 1], depth)
                if hit:
                    return hit
            elif lk is None and (i == 0 or _literal_key(args[i - 1]) is None):
                hit = self.sensitive(a, depth + 1)
                if hit:
                    return hit
        return None

    def _collection(self, node, depth):
        for c in node.named_children[:32]:
            if c.type == "comment":
                continue
            if c.type in _PAIRS:
                kn, vn = _pair_parts(c)
                if kn is None or vn is None:
                    continue
                key = _literal_key(kn) or (_member_name(kn) if kn.type in _IDENT or kn.type in _MEMBER else None)
                hit = self._pair(key, vn, depth)
            elif c.type in ("shorthand_property_identifier",):
                k = self.kind(text(c))
                hit = (f"`{text(c)}`", k) if k else None
            else:
                hit = self.sensitive(c, depth + 1)
            if hit:
                return hit
        return None


_VERBS = frozenset({"generate", "gen", "create", "refresh", "validate", "verify", "check", "reset", "rotate", "revoke",
                    "issue", "sign", "hash", "encrypt", "decrypt", "parse", "decode", "encode", "new", "make", "build",
                    "set", "update", "clear", "delete", "remove", "save", "store", "request", "send", "compare",
                    "match", "mask", "redact", "is", "has", "require", "expire", "invalidate", "change", "forgot",
                    "random", "exchange", "introspect", "renew", "regenerate", "ensure", "handle", "on", "can"})
# a file about lexical tokens (lexers, parsers, NLP): a bare `token` is not a credential there
_LEXER = re.compile(r"\b(lexer|Lexer|tokenizer|Tokenizer|TokenType|token_type|tokenize|ttype|TokenKind|token\.kind)\b"
                    r"|\bfor\s*\(?\s*(const|let|var|final\s+\w+|\w+)?\s*token\s+(in|of|:)\s")
_CREDENTIAL_CONTEXT = re.compile(r"(?i)(password|passwd|passphrase|secret|api_?key|cvv|card_?number|credential"
                                 r"|\b(login|signin|sign_in|signup|sign_up|register|authenticate)\b)")
_LOGGER_RECEIVER_TOKENS = frozenset({"log", "logger", "logging", "console", "slog", "syslog", "sugar", "zap", "logrus",
                                     "zerolog", "klog", "glog", "log4j", "logs", "pino", "winston",
                                     "bunyan", "signale", "monolog", "serilog", "nlog", "log4net"})


def _logger_receiver(receiver: str | None) -> bool:
    if not receiver:
        return False
    r = receiver[:300]
    for _ in range(4):
        r2 = re.sub(r"\([^()]*\)", "", r)
        if r2 == r:
            break
        r = r2
    parts = [p for p in re.split(r"\?\.|\.|->|::", r) if p]
    if not parts:
        return False
    for seg in (parts[-1], parts[0]):
        toks = _tokens(seg)
        if toks and toks[-1] in _LOGGER_RECEIVER_TOKENS:
            return True
    return False


def _is_sink(call, kn, comp) -> bool:
    callee, m = call.callee, call.method
    if call.receiver is None or not call.receiver:
        return bool(comp["bare"].search(callee))
    if comp["bare"].search(callee):
        return True
    if m not in comp["methods"] and m.lower() not in comp["methods_lower"]:
        return False
    if m in ("Msg", "Msgf", "Send") and re.search(r"\.(Info|Debug|Warn|Error|Trace|Fatal|Panic|Err|Log)\(", call.receiver):
        return True  # zerolog: l.Info().Str(...).Msg(...)
    if comp["sinks"].search(re.sub(r"\s+", "", call.receiver)):
        return True
    return _logger_receiver(call.receiver)


_COMPILED: dict[int, dict] = {}


def _compile(kn: dict) -> dict:
    c = _COMPILED.get(id(kn))
    if c is None:
        methods = set(kn.get("logger_methods", ()))
        c = {"methods": methods, "methods_lower": {m.lower() for m in methods},
             "bare": re.compile(kn.get("bare") or "^$"), "sinks": re.compile(kn.get("sinks") or "^$"),
             "fprint": re.compile(kn.get("fprint") or "^$"),
             "chain_kv": set(kn.get("chain_kv", ())), "chain_fields": set(kn.get("chain_fields", ()))}
        _COMPILED[id(kn)] = c
    return c


_PREFILTER = re.compile(r"(?i)(pass|pwd|secret|token|jwt|bearer|api_?key|private_?key|signing_?key|auth|credential"
                        r"|creds|cookie|session|card|cc_?num|\bpan\b|cvv|cvc|csc|header|body|form|params|POST|all\(\)"
                        r"|_REQUEST|getenv|environ|ENV)")


def check(ctx, rule) -> Iterator[Finding]:
    if ctx.adapter is None or ctx.tree is None or ctx.facts is None:
        return
    kn = ctx.adapter.knowledge.get(KEY)
    if not kn or not _PREFILTER.search(ctx.text):
        return
    comp = _compile(kn)
    walker = _Walker(ctx, kn)
    by_start: dict[int, list] = {}
    for c in ctx.facts.calls:
        by_start.setdefault(c.node.start_byte, []).append(c)
    for call in ctx.facts.calls:
        if call.node.has_error:
            continue
        fprint = bool(comp["fprint"].search(call.callee))
        if not fprint and not _is_sink(call, kn, comp):
            continue
        args = list(call.args)
        if fprint:
            if not args or not re.fullmatch(r"os\.Std(out|err)", text(args[0])):
                continue
            args = args[1:]
        if ctx.language == "python" and call.method == "format":
            continue
        hit = None
        try:
            hit = _judge(ctx, walker, call, args, kn, comp, by_start)
        except RecursionError:
            hit = None
        if hit is None:
            continue
        label, kind = hit
        api = _api_name(call)
        yield ctx.finding(rule, call.node, {"api": api, "label": label, "kind": kind},
                          properties={"kind": kind})


def _judge(ctx, walker: _Walker, call, args, kn, comp, by_start):
    lang = ctx.language
    if kn.get("template_names") and args:
        # C# message templates: _logger.LogInformation("Login {Email} {Password}", email, pw)
        hit = _template_names(walker, args)
        if hit:
            return hit
    if kn.get("kv_args"):
        hit = walker._kv(args, 0)
        if hit:
            return hit
    else:
        for a in args[:16]:
            hit = walker.sensitive(a, 0)
            if hit:
                return hit
    if lang in ("python", "ruby", "php"):
        for k, v in list(call.kwargs.items())[:16]:
            hit = walker._pair(k, v, 0)
            if hit:
                return hit
    # chained builders: log.WithField("password", p).Info(...), log.Info().Str("token", t).Msg(...)
    for c in by_start.get(call.node.start_byte, ()):
        if c is call or c.node.end_byte >= call.node.end_byte or c.node.has_error:
            continue
        if c.method in comp["chain_kv"]:
            hit = walker._kv(list(c.args), 0)
        elif c.method in comp["chain_fields"]:
            hit = next((h for h in (walker.sensitive(a, 0) for a in c.args[:4]) if h), None)
        else:
            continue
        if hit:
            return hit
    return None


def _api_name(call) -> str:
    """`logrus.WithField(…).Info`: the called chain with argument lists elided (no values)."""
    c = call.callee[:300]
    for _ in range(6):
        c2 = re.sub(r"\((?!…\))[^()]*\)", "(…)", c)
        if c2 == c:
            break
        c = c2
    return c if len(c) <= 60 else call.method


_TEMPLATE_HOLE = re.compile(r"\{@?\$?([A-Za-z_]\w*)(?:[:,][^}]*)?\}")


def _template_names(walker: _Walker, args):
    first = _unwrap(args[0])
    if first is None or first.type not in ("string_literal", "verbatim_string_literal", "raw_string_literal"):
        return None
    names = _TEMPLATE_HOLE.findall(text(first))
    for name, value in zip(names, args[1:]):
        k = walker.kind(name)
        v = _unwrap(value)
        if k and v is not None and v.type not in _LITERALS and v.type not in _STRINGS and v.type not in _CALLS:
            vn = _member_name(v)
            if v.type in _SUBSCRIPT or vn is None or not any(t in _MODIFIERS for t in _tokens(vn)):
                return f"`{{{name}}}` = `{_short(text(v), 40)}`", k
    return None
