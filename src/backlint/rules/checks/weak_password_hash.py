"""weak-password-hash: a password hashed with a fast digest (MD5, SHA-1, one SHA-2 round), or
written to storage in plain text.

What is a password is decided from names (identifiers, fields, getters, request keys such as
`request.form["password"]`, `params[:password]`, `$request->password`), followed through local
variables of the same function (`pw = request.POST["password"]`, `salted = salt + pw`,
`[]byte(pw)`, `pw.getBytes()`), or from the context: a function or class about passwords
(`hash_password(raw)`, `class Md5PasswordEncoder`) hashing its own parameter, or a digest
stored straight into a password field (`user.password = md5(x)`).

The API names per language live in `languages/<lang>/knowledge.d/password_hash.yaml` under
`weak_password_hash`. Precision first: an unknown algorithm, a digest of anything that is not
named like a password, a digest handed to bcrypt/scrypt/argon2/PBKDF2, and iterated SHA-2
(key stretching in a loop) are left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from ...languages.base import Call, Function, HOLE_RE, compile_query, text
from ...model import Finding
from ._common import short

KEY = "weak_password_hash"

# ----------------------------------------------------------------------------------------------
# names
# ----------------------------------------------------------------------------------------------
_PW_EXACT = frozenset({"password", "passwd", "passwort", "pwd", "pw", "pass", "passphrase", "passcode",
                       "pword", "pswd", "psw", "senha", "contrasena", "contraseña", "wachtwoord"})
_PW_SUB = ("password", "passwd", "passphrase", "passwort")
# a name holding the result of hashing, not the password itself
_OUTPUT = frozenset({"hash", "hashed", "hashes", "hasher", "hashing", "digest", "digests", "digested", "encrypted",
                     "enc", "crypted", "encoded", "encrypt", "crypt", "md5", "sha", "sha1", "sha256", "sha512",
                     "bcrypt", "scrypt", "argon2", "pbkdf2", "hmac", "cipher", "ciphertext", "encoder", "hasher"})
# a name about passwords that does not hold one
_NOT_PASSWORD = frozenset({
    "salt", "salts", "pepper", "token", "tokens", "reset", "policy", "policies", "length", "len", "min", "max",
    "size", "strength", "score", "regex", "regexp", "pattern", "rule", "rules", "field", "fields", "label",
    "placeholder", "prompt", "hint", "hints", "question", "expires", "expiry", "expiration", "expired",
    "expire", "changed", "updated", "created", "modified", "at", "date", "time", "timestamp", "count",
    "attempts", "attempt", "retries", "retry", "history", "manager", "service", "util", "utils", "helper",
    "helpers", "validator", "validation", "file", "path", "url", "uri", "link", "mode", "type", "enabled",
    "required", "visible", "is", "has", "needs", "should", "must", "show", "use", "allow", "check", "verify",
    "verified", "match", "matches", "ok", "valid", "invalid", "error", "errors", "message", "msg", "err",
    "request", "response", "dto", "form", "schema", "serializer", "column", "col", "key", "iv", "nonce", "id",
    "ids", "uuid", "stored", "saved", "mask", "masked", "otp", "code", "email", "mail", "status", "state",
    "flag", "settings", "config", "options", "opts", "env", "strategy", "params", "dialog", "view", "page",
    "template", "component", "button", "box", "input_type", "widget", "handler", "controller", "route",
    "router", "module", "model", "repository", "repo", "store", "cache", "event", "events", "pwned", "leaked",
    "breach", "breached", "compromised", "forgot", "forgotten", "recovery", "recover", "expiration",
    # credentials of services, not of users
    "db", "database", "mysql", "postgres", "pg", "redis", "smtp", "ftp", "sftp", "proxy", "wifi", "keystore",
    "truststore", "jks", "ssl", "tls", "cert", "certificate", "pfx", "p12", "vault", "ldap", "bind",
})
# after a bare `pass`, these say it is not a password (passThrough, pass_rate, first_pass)
_PASS_OK_AFTER = frozenset({"word", "str", "string", "input", "value", "val", "plain", "raw", "text", "txt",
                            "confirm", "confirmation", "again", "repeat", "new", "old", "1", "2"})
# function names: hashing/checking verbs are fine (hash_password), these are not about a password value
_FN_NOT_PASSWORD = frozenset({
    "salt", "token", "tokens", "reset", "policy", "strength", "length", "generate", "gen", "random",
    "forgot", "forgotten", "email", "mail", "link", "url", "expire", "expires", "expired", "expiry",
    "history", "changed", "hint", "question", "recovery", "recover", "otp", "code", "field", "label",
    "form", "page", "view", "template", "pwned", "breach", "breached", "leaked", "compromised", "score",
    "rule", "rules", "regex", "pattern", "mask", "masked", "test", "tests", "mock", "fake", "dummy",
    "cache", "key", "etag", "checksum", "gravatar", "avatar", "fingerprint",
})
_FN_CORE = frozenset({"password", "passwd", "passwort", "pwd", "pw", "passphrase", "passcode", "pswd"})
_TOKEN_RE = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")


def _tokens(name: str) -> list[str]:
    out: list[str] = []
    for part in re.split(r"[^A-Za-z0-9ñ]+", name):
        out.extend(t.lower() for t in _TOKEN_RE.findall(part))
    return out


def _is_pw_token(t: str) -> bool:
    return t in _PW_EXACT or any(s in t for s in _PW_SUB)


def _bare_pass_ok(toks: list[str]) -> bool:
    """`pass` alone is a password only as the last word or before a value word (user_pass, passInput)."""
    for i, t in enumerate(toks):
        if t == "pass" and any(u not in _PASS_OK_AFTER for u in toks[i + 1:]):
            return False
    return True


def _before_to(toks: list[str]) -> list[str]:
    """`password_to_hash`, `pw_for_digest`: what comes after `to`/`for` is the purpose, not the value."""
    for stop in ("to", "for"):
        if stop in toks[1:]:
            toks = toks[: toks.index(stop, 1)]
    return toks


def password_name(name: str, target: bool = False) -> bool:
    """A name that holds a password. `target`: a field that stores one (`password_hash` counts)."""
    if not name or len(name) > 80:
        return False
    toks = _before_to(_tokens(name))
    if not any(_is_pw_token(t) for t in toks):
        return False
    if "pass" in toks and not any(_is_pw_token(t) for t in toks if t != "pass") and not _bare_pass_ok(toks):
        return False
    if any(t in _NOT_PASSWORD for t in toks):
        return False
    if not target and any(t in _OUTPUT for t in toks):
        return False
    return True


def _password_function_name(name: str) -> bool:
    toks = _tokens(name)
    if not any(t in _FN_CORE or any(s in t for s in _PW_SUB) for t in toks):
        return False
    return not any(t in _FN_NOT_PASSWORD for t in toks)


# ----------------------------------------------------------------------------------------------
# algorithms
# ----------------------------------------------------------------------------------------------
_ALG_RE = re.compile(
    r"(?i)(md[245]|sha-?512[/_-]?(?:224|256)|sha3[-_]?(?:224|256|384|512)|sha-?(?:1|224|256|384|512)(?![0-9])"
    r"|sha2|sha(?-i:(?![a-z0-9]))|ripemd-?160|rmd160)")


def _algorithm_name(s: str) -> str | None:
    m = _ALG_RE.search(s or "")
    if m is None:
        return None
    a = m.group(1).lower().replace("_", "-")
    if a.startswith("md"):
        return a.upper()
    if a.startswith(("ripemd", "rmd")):
        return "RIPEMD-160"
    if a.startswith("sha3"):
        return "SHA3-" + re.sub(r"\D", "", a[4:])
    if a in ("sha", "sha1", "sha-1"):
        return "SHA-1"
    if a == "sha2":
        return "SHA-256"
    digits = re.findall(r"\d+", a)
    if len(digits) == 2:
        return f"SHA-{digits[0]}/{digits[1]}"
    return f"SHA-{digits[0]}" if digits else None


def _broken(alg: str) -> bool:
    """MD2/4/5, SHA-1 and RIPEMD are weak for any password, salted or iterated."""
    return alg.startswith(("MD", "RIPEMD")) or alg == "SHA-1"


# ----------------------------------------------------------------------------------------------
# tree helpers (node types of all eight grammars)
# ----------------------------------------------------------------------------------------------
_IDENT = frozenset({"identifier", "property_identifier", "field_identifier", "shorthand_property_identifier",
                    "shorthand_property_identifier_pattern", "variable_name", "instance_variable",
                    "class_variable", "constant", "simple_identifier", "name"})
_MEMBER = {"attribute": "attribute", "member_expression": "property", "selector_expression": "field",
           "field_access": "field", "member_access_expression": "name",
           "nullsafe_member_access_expression": "name", "scoped_property_access_expression": "name"}
_SUBSCRIPT = frozenset({"subscript", "subscript_expression", "index_expression", "element_reference",
                        "element_access_expression"})
_UNWRAP = frozenset({"parenthesized_expression", "as_expression", "non_null_expression", "await_expression",
                     "satisfies_expression", "type_conversion_expression", "cast_expression", "argument",
                     "variadic_argument", "spread_element", "splat_argument", "type_assertion",
                     "checked_expression", "postfix_unary_expression", "unary_op_expression",
                     "expression_list", "parenthesized_statements", "begin_block"})
_CALLS = frozenset({"call", "call_expression", "method_invocation", "function_call_expression",
                    "member_call_expression", "nullsafe_member_call_expression", "scoped_call_expression",
                    "invocation_expression", "object_creation_expression", "new_expression"})
_STRINGS = frozenset({"string", "string_literal", "interpreted_string_literal", "raw_string_literal",
                      "encapsed_string", "template_string", "interpolated_string_expression",
                      "verbatim_string_literal", "concatenated_string", "heredoc", "nowdoc", "simple_symbol",
                      "hash_key_symbol", "delimited_symbol", "text_block"})
_LITERALS = frozenset({"integer", "float", "number", "int_literal", "float_literal", "decimal_integer_literal",
                       "true", "false", "none", "null", "nil", "null_literal", "boolean", "boolean_literal",
                       "integer_literal", "real_literal", "undefined"})
_CONTAINERS = frozenset({"list", "tuple", "set", "array", "composite_literal", "literal_value", "literal_element",
                         "array_initializer", "array_creation_expression", "array_element_initializer",
                         "collection_expression", "initializer_expression", "implicit_array_creation_expression",
                         "element_binding_expression", "expression_statement"})
_VALUE_ATTRS = frozenset({"data", "value", "Value", "text", "Text", "raw", "plain", "cleaned"})
_LOCAL_TYPES = frozenset({"identifier", "variable_name", "selector_expression", "shorthand_property_identifier",
                          "member_access_expression"})
_BINARY = frozenset({"binary_operator", "binary_expression", "binary"})
_CONCAT_OPS = frozenset({"+", ".", "%", "<<", "||"})
_INTERP = frozenset({"interpolation", "template_substitution"})
_INTERP_SKIP = frozenset({"interpolation_brace", "interpolation_start", "format_specifier",
                          "interpolation_format_clause", "interpolation_alignment_clause", "string_content",
                          "escape_sequence", "string_fragment", "string_start", "string_end",
                          "string_literal_content", "heredoc_start", "heredoc_end", "heredoc_body"})


def _unwrap(node, limit: int = 8):
    steps = 0
    while node is not None and node.type in _UNWRAP and steps < limit:
        kids = [c for c in node.named_children if c.type not in ("comment", "slice_type", "predefined_type",
                                                                   "type_identifier", "qualified_type",
                                                                   "array_type", "generic_type", "type")]
        if not kids:
            return node
        if node.type in ("type_conversion_expression", "cast_expression", "await_expression", "argument",
                         "checked_expression"):
            node = kids[-1]
        else:
            node = kids[0]
        steps += 1
    return node


def _ident_text(node) -> str:
    t = text(node)
    return t.lstrip("$@:") if node.type in ("variable_name", "instance_variable", "class_variable") else t


def _member_name(node) -> str | None:
    """The last name of an identifier or member access: `password`, `req.body.password`,
    `$this->pwd`, `@password`, `u.Password`; a Ruby attribute call `user.password`."""
    t = node.type
    if t in _IDENT:
        return _ident_text(node)
    fld = _MEMBER.get(t)
    if fld is not None:
        n = node.child_by_field_name(fld)
        if n is None and node.named_children:
            n = node.named_children[-1]
        return _ident_text(n) if n is not None and n.type in _IDENT | {"property_identifier"} else None
    if t == "call" and node.child_by_field_name("receiver") is not None \
            and node.child_by_field_name("arguments") is None and node.child_by_field_name("block") is None:
        m = node.child_by_field_name("method")  # ruby: user.password
        return text(m) if m is not None else None
    return None


def _literal_key(node) -> str | None:
    """The text of a plain string or symbol literal (a hash key or request field name)."""
    if node is None:
        return None
    node = _unwrap(node)
    if node.type not in _STRINGS:
        return None
    if any(c.type in _INTERP or c.type in ("variable_name", "member_access_expression") for c in node.named_children):
        return None
    s = text(node).strip()
    s = re.sub(r"^[:@]?[A-Za-z]{0,2}(?=[\"'`])", "", s)
    s = s.lstrip(":").strip("\"'`")
    return s if re.fullmatch(r"[@:$]?[\w\-. \[\]]{1,60}", s) else None


def _subscript_parts(node):
    """(object, key node) of a subscript: `request.form["password"]`, `params[:password]`."""
    t = node.type
    if t == "subscript":
        return node.child_by_field_name("value"), node.child_by_field_name("subscript")
    if t == "subscript_expression":
        obj = node.child_by_field_name("object")
        idx = node.child_by_field_name("index")
        if obj is None or idx is None:  # php
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
        return node.child_by_field_name("expression"), arg
    return None, None


# ----------------------------------------------------------------------------------------------
# where a value comes from
# ----------------------------------------------------------------------------------------------
@dataclass
class Leaf:
    kind: str  # password | param | literal | other
    node: object
    label: str


# receivers whose .encode(x) converts the text x: new TextEncoder().encode(pw), str.encode(pw)
_TEXT_ENCODER = re.compile(r"(?i)(^|\.|new)\s*(text_?encoder|utf_?8_?encoder|encoder|utf8)(\(\))?$|^(str|bytes|String|Buffer)$")


class _Flow:
    """Follows an expression to the names it is built from, within one function."""

    def __init__(self, ctx, kb: dict, calls_by_id: dict):
        self.ctx = ctx
        self.kb = kb
        self.calls = calls_by_id
        self.getters = {g.lower() for g in kb.get("getters", ())} | {
            "get", "getparameter", "getparam", "param", "input", "post", "query", "fetch", "dig", "formvalue",
            "postformvalue", "postform", "defaultpostform", "getstring", "getvalue", "value", "field", "arg",
            "getfirst", "require", "getenv", "getproperty"}
        self.receiver_wrappers = set(kb.get("receiver_wrappers", ()))
        self.arg_wrappers = re.compile(kb["arg_wrappers"]) if kb.get("arg_wrappers") else None
        self.concat = set(kb.get("concat", ()))

    def leaves(self, node, fn: Function | None, plain: bool = False) -> list[Leaf]:
        out: list[Leaf] = []
        self._budget = 80
        self._walk(node, fn, plain, 0, out, set())
        return out

    def _walk(self, node, fn, plain: bool, depth: int, out: list, seen: set) -> None:
        self._budget -= 1
        if node is None or depth > 12 or self._budget < 0:
            return
        node = _unwrap(node)
        if node is None or node.has_error:
            return
        t = node.type
        name = _member_name(node)
        local = self.ctx.adapter.is_local_name(node) if t in _LOCAL_TYPES else None
        if local is not None and plain and self.ctx.facts.assignments_before(local, fn, node.start_byte):
            # plain text: the variable must still hold the raw value (not `pw = hash(pw)`)
            key = (local, node.start_byte)
            if key not in seen:
                seen.add(key)
                self._follow(node, local, fn, plain, depth, out, seen)
            return
        if name is not None and password_name(name) and not self._working_dir(node, local, fn):
            out.append(Leaf("password", node, text(node)))
            return
        if name in _VALUE_ATTRS and t in _MEMBER and node.named_children:
            # form.password.data (WTForms), passwordInput.value, txtPassword.Text
            inner = _member_name(node.named_children[0])
            if inner is not None and password_name(inner):
                out.append(Leaf("password", node, text(node)))
                return
        if t in _SUBSCRIPT:
            obj, key = _subscript_parts(node)
            k = _literal_key(key)
            if k is not None:
                out.append(Leaf("password" if password_name(k) else "other", node, text(node)))
                return
            out.append(Leaf("other", node, text(node)))
            return
        if local is not None:
            key = (local, node.start_byte)
            if key in seen:
                return
            seen.add(key)
            self._follow(node, local, fn, plain, depth, out, seen)
            return
        if t in _LITERALS:
            out.append(Leaf("literal", node, text(node)))
            return
        if t in _STRINGS:
            holes = [c for c in node.named_children if c.type in _INTERP
                     or c.type in ("variable_name", "member_access_expression", "subscript_expression")]
            if not holes:
                out.append(Leaf("literal", node, text(node)))
                return
            if plain:
                out.append(Leaf("other", node, text(node)))
                return
            for h in holes:
                if h.type in _INTERP:
                    for c in h.named_children:
                        if c.type not in _INTERP_SKIP:
                            self._walk(c, fn, plain, depth + 1, out, seen)
                else:
                    self._walk(h, fn, plain, depth + 1, out, seen)
            return
        if t in _CALLS:
            self._call(node, fn, plain, depth, out, seen)
            return
        if t in _BINARY and not plain:
            op = node.child_by_field_name("operator")
            op_text = text(op) if op is not None else next((text(c) for c in node.children if not c.is_named), "")
            if op_text in _CONCAT_OPS:
                for side in ("left", "right"):
                    self._walk(node.child_by_field_name(side), fn, plain, depth + 1, out, seen)
                return
        if t in _CONTAINERS and not plain:
            for c in node.named_children[:12]:
                self._walk(c, fn, plain, depth + 1, out, seen)
            return
        out.append(Leaf("other", node, text(node)))

    def _working_dir(self, node, local, fn) -> bool:
        """`pwd := os.Getwd()`: the working directory, not a password."""
        if local is None or local.lower() not in ("pwd", "cwd"):
            return False
        assigns = self.ctx.facts.assignments_before(local, fn, node.start_byte)
        return any(a.value is not None and re.search(r"(?i)getc?wd|cwd\(|\.pwd\b|PWD", text(a.value)) for a in assigns)

    def _follow(self, node, local, fn, plain, depth, out, seen) -> None:
        facts = self.ctx.facts
        assigns = facts.assignments_before(local, fn, node.start_byte)
        if not assigns:
            name = _member_name(node)
            if name is not None and password_name(name):
                out.append(Leaf("password", node, text(node)))
            elif fn is not None and local in fn.params:
                out.append(Leaf("param", node, text(node)))
            else:
                out.append(Leaf("other", node, text(node)))
            return
        start = len(assigns) - 1
        while start > 0 and assigns[start].op != "=":
            start -= 1
        for a in assigns[start:]:
            if a.node.type == "parameter_declaration":  # go: parameters are recorded as assignments
                name = _member_name(node)
                out.append(Leaf("password" if name is not None and password_name(name) else "param", node, text(node)))
                continue
            if a.value is None:  # destructured: const { password } = req.body
                name = _member_name(node)
                out.append(Leaf("password" if name is not None and password_name(name) else "other", node, text(node)))
                continue
            if a.value.start_byte <= node.start_byte <= a.value.end_byte:
                continue
            self._walk(a.value, fn, plain, depth + 1, out, seen)

    def _call(self, node, fn, plain, depth, out, seen) -> None:
        c: Call | None = self.calls.get(node.id)
        if c is None:
            out.append(Leaf("other", node, text(node)))
            return
        method = c.method
        # request.form.get("password"), params.fetch(:password), r.FormValue("password")
        if method.lower() in self.getters or method == "request":
            for a in c.args[:2]:
                k = _literal_key(a)
                if k is not None:
                    out.append(Leaf("password" if password_name(k) else "other", node, text(node)))
                    return
        # user.getPassword(), form.password()
        if not c.args and not c.kwargs and not c.is_new and password_name(method):
            out.append(Leaf("password", node, text(node)))
            return
        if method in self.receiver_wrappers and c.receiver_node is not None:
            if method == "encode" and c.args and _TEXT_ENCODER.search(c.receiver or ""):
                # new TextEncoder().encode(pw), Encoding.UTF8.GetBytes-like encoders
                self._walk(c.args[0], fn, plain, depth + 1, out, seen)
            else:
                self._walk(c.receiver_node, fn, plain, depth + 1, out, seen)
            return
        if self.arg_wrappers is not None and self.arg_wrappers.search(c.callee) and c.args:
            self._walk(c.args[0], fn, plain, depth + 1, out, seen)
            return
        if not plain and method in self.concat:
            if c.receiver_node is not None:
                self._walk(c.receiver_node, fn, plain, depth + 1, out, seen)
            for a in c.args[:8]:
                self._walk(a, fn, plain, depth + 1, out, seen)
            return
        out.append(Leaf("other", node, text(node)))


# ----------------------------------------------------------------------------------------------
# digests
# ----------------------------------------------------------------------------------------------
@dataclass
class Site:
    node: object  # where to report
    function: Function | None
    algorithm: str
    api: str
    data: object  # the hashed expression
    loop: bool  # inside a loop, or given an iteration count: key stretching
    helper: bool = False  # a project function named after its digest (md5(pw), MD5Util.encrypt(pw))


_HELPER_METHOD = re.compile(
    r"(?i)^(get|make|to|encrypt|encode|gen|generate|calc|calculate|compute|create|do|hash|string2?)?_?"
    r"(md5|sha1|sha256|sha512)(_?(hash|hex|hexdigest|digest|encrypt|encode|encoding|str|string|sum|password|pwd|pass|32|16))?$")
_HELPER_CLASS = re.compile(r"(?i)^_?(md5|sha1|sha256|sha512)\w*$")
_HELPER_VERB = re.compile(r"(?i)^(encrypt|encode|hash|digest|hex|hexdigest|sign|md5|get\w*|to\w*|encrypt\w*|encode\w*|hash\w*)$")


class _Digests:
    def __init__(self, ctx, kb: dict, calls_by_id: dict):
        self.ctx = ctx
        self.calls = calls_by_id
        self.oneshot = [self._entry(e) for e in kb.get("oneshot", ())]
        self.hashers = [self._entry(e) for e in kb.get("hashers", ())]
        self.updates: dict[str, list[dict]] = {}
        for e in kb.get("updates", ()):
            self.updates.setdefault(e["method"], []).append(self._entry(e))
        self.arg_updates = [self._entry(e) for e in kb.get("arg_updates", ())]
        self.passthrough = set(kb.get("passthrough", ()))
        self.encoders = [self._entry(e) for e in kb.get("encoders", ())]
        self.name_hashers = re.compile(kb["hasher_names"]) if kb.get("hasher_names") else None

    @staticmethod
    def _entry(e: dict) -> dict:
        e = dict(e)
        for k in ("callee", "text", "receiver"):
            if k in e:
                e[k + "_re"] = re.compile(e[k])
        return e

    def _algorithm(self, spec, c: Call, subject: str) -> str | None:
        if spec is None or spec == "callee":
            return _algorithm_name(subject)
        if spec == "receiver":
            return _algorithm_name(c.receiver or "")
        if isinstance(spec, str) and spec.startswith("arg:"):
            i = int(spec[4:])
            if len(c.args) <= i:
                return None
            a = c.args[i]
            k = _literal_key(a)
            if k is None:
                v = self.ctx.evaluator.value(a)
                if v is not None and not v.dynamic:
                    k = v.template
            if k is None:
                k = self._constant(a)
            return _algorithm_name(k if k is not None else text(a))
        return _algorithm_name(spec)

    def _constant(self, node) -> str | None:
        """A constant or field initialised with a string anywhere in the file:
        `private static final String ALGORITHM = "MD5"`, `algorithmName = "md5"`."""
        name = _member_name(_unwrap(node)) if node is not None else None
        if not name or len(name) > 60:
            return None
        m = re.search(r"(?<![\w$])\$?" + re.escape(name) + r"\s*(?::\s*[\w.]+\s*)?:?=\s*[\"']([\w\-/]{2,20})[\"']",
                      self.ctx.text)
        return m.group(1) if m else None

    @staticmethod
    def _matches(e: dict, c: Call) -> bool:
        if "new" in e and bool(e["new"]) != c.is_new:
            return False
        if "method" in e and e["method"] != c.method:
            return False
        if "callee_re" in e and not e["callee_re"].search(c.callee):
            return False
        if "receiver_re" in e and not e["receiver_re"].search(c.receiver or ""):
            return False
        return True

    @staticmethod
    def _data(e: dict, c: Call):
        i = e.get("data")
        if i is not None and len(c.args) > i:
            return c.args[i]
        for k in e.get("kwargs", ()):
            if k in c.kwargs:
                return c.kwargs[k]
        return None

    def sites(self, c: Call) -> Iterator[Site]:
        loop = any(lp.kind in ("for", "while") for lp in c.loops)
        for e in self.oneshot:
            if not self._matches(e, c):
                continue
            data = self._data(e, c)
            if data is None:
                continue
            # an iteration count given (Shiro new Sha256Hash(pw, salt, 1024)): stretched
            iterated = e.get("clean_min_args") is not None and len(c.args) >= e["clean_min_args"]
            alg = self._algorithm(e.get("algorithm"), c, c.callee)
            if alg is not None:
                yield Site(c.node, c.function, alg, c.callee, data, loop or iterated)
            return
        helper = self._helper(c)
        if helper is not None:
            for data in c.args[:2]:
                yield Site(c.node, c.function, helper, c.callee, data, loop, helper=True)
            return
        for e in self.updates.get(c.method, ()):
            if not self._matches(e, c):
                continue
            data = self._data(e, c)
            if data is None or c.receiver_node is None:
                continue
            alg, api = self.hasher(c.receiver_node, 0)
            if alg is not None:
                yield Site(c.node, c.function, alg, api, data, loop)
                return
        for e in self.arg_updates:
            if not self._matches(e, c):
                continue
            h, data = e.get("hasher", 0), self._data(e, c)
            if data is None or len(c.args) <= h:
                continue
            alg, api = self.hasher(c.args[h], 0)
            if alg is not None:
                yield Site(c.node, c.function, alg, api, data, loop)
                return

    def _helper(self, c: Call) -> str | None:
        """Project helpers named after their digest: `md5(password)`, `MD5Util.encrypt(pw)`,
        `SecureUtil.md5(pw)`, `utils.GetMD5Hash(pw)`, `sha256_hash(pw)`."""
        if not c.args or c.is_new or len(c.callee) > 80:
            return None
        if _HELPER_METHOD.match(c.method):
            return _algorithm_name(c.method)
        last_recv = re.split(r"\.|->|::", c.receiver or "")[-1]
        if last_recv and _HELPER_CLASS.match(last_recv) and _HELPER_VERB.match(c.method):
            return _algorithm_name(last_recv)
        return None

    def append_sites(self) -> Iterator[Site]:
        """Ruby `digest << password` (recorded by the adapter as an append to `digest`)."""
        for a in self.ctx.facts.assignments:
            if a.op != "+=" or a.node.type != "binary" or a.value is None or a.node.has_error:
                continue
            left = a.node.child_by_field_name("left")
            if left is None:
                continue
            alg, api = self.hasher(left, 0)
            if alg is not None:
                yield Site(a.node, a.function, alg, api, a.value, False)

    def encoder(self, c: Call) -> tuple[str, str] | None:
        for e in self.encoders:
            if self._matches(e, c):
                spec = e.get("algorithm")
                if spec == "plain":
                    return "plain text", c.callee
                alg = self._algorithm(spec, c, c.callee)
                return (alg, c.callee) if alg is not None else None
        return None

    def hasher(self, node, depth: int) -> tuple[str | None, str]:
        """The algorithm of a digest object expression (`hashlib.md5()`, a variable holding
        `MessageDigest.getInstance("MD5")`, `Digest::MD5`), or None."""
        node = _unwrap(node)
        if node is None or depth > 6:
            return None, ""
        c = self.calls.get(node.id)
        if c is not None:
            for e in self.hashers:
                if "callee_re" in e and self._matches(e, c):
                    return self._algorithm(e.get("algorithm"), c, c.callee), c.callee
            for e in self.oneshot:
                if self._matches(e, c) and self._data(e, c) is None and e.get("hasher", True):
                    return self._algorithm(e.get("algorithm"), c, c.callee), c.callee
            if c.method in self.passthrough and c.receiver_node is not None:
                return self.hasher(c.receiver_node, depth + 1)
            return None, ""
        t = text(node)
        for e in self.hashers:
            if "text_re" in e and e["text_re"].search(t):
                return _algorithm_name(t), t
        local = self.ctx.adapter.is_local_name(node)
        if local is not None:
            fn = self.ctx.evaluator.function_of(node)
            assigns = self.ctx.facts.assignments_before(local, fn, node.start_byte)
            if not assigns and fn is not None:
                assigns = [a for a in self.ctx.facts.assignments_before(local, None, 1 << 62)]
            if assigns and assigns[-1].value is not None and assigns[-1].op == "=":
                return self.hasher(assigns[-1].value, depth + 1)
            if not assigns and self.name_hashers is not None and self.name_hashers.fullmatch(local):
                return _algorithm_name(local), local
        return None, ""


# ----------------------------------------------------------------------------------------------
# the check
# ----------------------------------------------------------------------------------------------
def _knowledge(ctx) -> dict:
    kb = ctx.adapter.knowledge.get(KEY)
    if kb is None and ctx.language == "typescript":
        from ...languages import adapter_for

        kb = adapter_for("javascript").knowledge.get(KEY)
    return kb or {}


def _short(s: str, n: int = 50) -> str:
    return short(s, n)


def check(ctx, rule) -> Iterator[Finding]:
    if ctx.adapter is None or ctx.facts is None:
        return
    kb = _knowledge(ctx)
    if not kb:
        return
    facts = ctx.facts
    calls_by_id = {c.node.id: c for c in facts.calls}
    flow = _Flow(ctx, kb, calls_by_id)
    digests = _Digests(ctx, kb, calls_by_id)
    strong_re = re.compile(kb["strong"]) if kb.get("strong") else None
    pwned = bool(re.search(r"(?i)pwnedpasswords|haveibeenpwned", ctx.text))
    reported: set[int] = set()

    sites: list[Site] = []
    for c in facts.calls:
        if c.node.has_error:
            continue
        sites.extend(digests.sites(c))
        enc = digests.encoder(c) if digests.encoders else None
        if enc is not None:
            alg, api = enc
            what = "stores passwords in plain text" if alg == "plain text" else f"hashes passwords with {alg}"
            yield ctx.finding(
                rule, c.node,
                {"detail": f"the password encoder `{_short(api, 40)}` {what}",
                 "why": "stolen hashes fall to brute force" if alg != "plain text" else "anyone who reads the table gets every password"},
                properties={"algorithm": alg, "api": api})
    if ctx.language == "ruby":
        sites.extend(digests.append_sites())
    # SHA-2 applied in a loop of the same function is key stretching, not one round
    stretched = {(id(s.function), s.algorithm) for s in sites if s.loop and s.function is not None}
    strong_by_fn: dict[int, list[Call]] = {}
    if strong_re is not None:
        for c in facts.calls:
            if strong_re.search(c.callee):
                strong_by_fn.setdefault(id(c.function), []).append(c)

    # helpers defined and reported in this file are not reported again at their call sites
    sites.sort(key=lambda s: s.helper)
    flagged_fns: set[tuple[str, str]] = set()
    for s in sites:
        if s.node.id in reported:
            continue
        if s.helper:
            hc = calls_by_id[s.node.id]
            if (hc.method, hc.receiver or "") in flagged_fns:
                continue
        fn = s.function
        if not _broken(s.algorithm) and (s.loop or (id(fn), s.algorithm) in stretched):
            continue
        if pwned and s.algorithm == "SHA-1":
            continue  # Have I Been Pwned range queries send a SHA-1 prefix by design
        found = _password_evidence(ctx, flow, s, fn)
        if found is None:
            continue
        evidence, names = found
        strong = [c for c in strong_by_fn.get(id(fn), ()) if c.node.id != s.node.id]
        if _handed_to_kdf(s, names, strong, strong_re):
            continue
        reported.add(s.node.id)
        if fn is not None:
            # the helper's own calls: md5(pw), self.md5(pw), this.md5(pw), PasswordUtil.md5(pw)
            for recv in ("", "self", "this", "static", "cls", "$this", "self::", fn.class_name or ""):
                flagged_fns.add((fn.name, recv))
        hashed = _short(text(s.data))
        yield ctx.finding(
            rule, s.node,
            {"detail": f"{evidence} is hashed with {s.algorithm} (`{_short(s.api, 40)}`)",
             "why": _why(s.algorithm)},
            properties={"algorithm": s.algorithm, "api": s.api, "hashed": hashed})

    yield from _sql_digests(ctx, rule, flow)
    yield from _plaintext(ctx, rule, flow, kb)


def _why(alg: str) -> str:
    if _broken(alg):
        return f"{alg} is fast and broken, so stolen hashes fall to brute force"
    return f"one round of {alg} is fast, so stolen hashes fall to brute force"


def _password_evidence(ctx, flow: _Flow, s: Site, fn: Function | None) -> tuple[str, list[str]] | None:
    """Why the hashed data is a password (for the message) and the names it came through, or None."""
    leaves = flow.leaves(s.data, fn)
    if _PROTOCOL.search(text(s.data)) or any(_PROTOCOL.search(l.label) for l in leaves if l.kind != "password") \
            or _PROTOCOL_VAR.fullmatch(_enclosing_variable(s.node) or ""):
        return None  # HTTP Digest (HA1 = MD5(user:realm:password)), WS-Security, challenge-response
    if fn is not None and any(t in _FN_SKIP for t in _tokens(fn.name)):
        return None  # make_reset_token(user), session_hash(): a token or signature, not a stored password
    if any(l.kind == "other" and _TOKENISH.search(l.label) for l in leaves):
        return None  # md5(user.password + str(time.time())): a token built from the password hash
    names = [text(l.node) for l in leaves if l.kind in ("password", "param")]
    pw = [l for l in leaves if l.kind == "password"]
    hashed = _short(text(_unwrap(s.data) or s.data), 40)
    if pw:
        src = _short(pw[0].label, 40)
        if src == hashed or src in hashed:
            return f"the password `{src}`", names
        return f"`{hashed}`, built from the password `{src}`,", names
    nonconst = [l for l in leaves if l.kind != "literal"]
    if not nonconst:
        return None
    # a function or class about passwords hashing its own parameter
    params = [l for l in leaves if l.kind == "param" and _neutral_param(text(l.node))]
    if params and fn is not None and _password_context(fn):
        where = fn.name if _password_function_name(fn.name) else (fn.class_name or fn.name)
        return f"`{_short(text(params[0].node), 30)}` (the input of `{where}`)", names
    # a digest stored straight into a password field (unless what is hashed is named otherwise)
    target = _store_target(s.node)
    if target is not None and not any(_named_otherwise(l) for l in leaves):
        return f"the value stored in `{_short(target, 40)}`", names
    return None


_NOT_PARAM = frozenset({"self", "this", "cls", "user", "username", "email", "name", "login", "id", "uid",
                        "account", "userid", "user_id", "ctx", "context", "request", "req"})


def _neutral_param(name: str) -> bool:
    """A parameter that may carry the password (raw, plain, value, s) — not a salt, a user, a token."""
    toks = _tokens(name)
    return bool(toks) and not any(t in _NOT_PASSWORD or t in _NOT_PARAM or t in _OUTPUT for t in toks)


_FN_SKIP = frozenset({"token", "tokens", "session", "signature", "sign", "signed", "nonce", "etag", "cache",
                      "checksum", "gravatar", "avatar", "fingerprint", "otp", "csrf", "hmac", "cookie"})
# a time or a token mixed in: a derived token, not a stored password (a random salt does not count)
_TOKENISH = re.compile(r"(?i)(?<![a-z])(time|timestamp|now|expires?|expiry|expiration|datetime|ts|nonce|counter|"
                       r"uniqid|token)(?![a-z])|currentTimeMillis|nanoTime|Date\.now|time\.time|Time\.now|"
                       r"DateTime\.(Utc)?Now")
_PROTOCOL = re.compile(r"(?i)(?<![a-z])(realm|c?nonce|challenge|scramble|qop)(?![a-z])")
_PROTOCOL_VAR = re.compile(r"(?i)_?ha[12]")


def _named_otherwise(leaf: Leaf) -> bool:
    """A value whose name says it is not a password: token, email, file, key..."""
    if leaf.kind not in ("other", "param"):
        return False
    name = _member_name(_unwrap(leaf.node)) if leaf.node is not None else None
    if name is None and leaf.node is not None and leaf.node.type in _SUBSCRIPT:
        name = _literal_key(_subscript_parts(leaf.node)[1])
    return bool(name) and any(t in _NOT_PASSWORD or t in _NOT_PARAM for t in _tokens(name))


def _password_context(fn: Function) -> bool:
    toks = _tokens(fn.name)
    if any(t in _FN_NOT_PASSWORD for t in toks):
        return False
    if _password_function_name(fn.name):
        return True
    for cls in [fn.class_name or ""] + list(fn.class_bases):
        if cls and _password_function_name(cls):
            return True
    return False


_ASSIGN_TYPES = frozenset({"assignment", "assignment_expression", "assignment_statement", "short_var_declaration",
                           "variable_declarator", "pair", "keyword_argument", "keyed_element",
                           "array_element_initializer", "augmented_assignment"})
_PASS_THROUGH_PARENTS = frozenset({"call", "call_expression", "method_invocation", "function_call_expression",
                                   "member_call_expression", "invocation_expression", "argument_list", "arguments",
                                   "argument", "attribute", "member_expression", "selector_expression",
                                   "field_access", "member_access_expression", "parenthesized_expression",
                                   "expression_list", "literal_element", "await_expression", "binary_expression",
                                   "binary_operator", "conditional_access_expression", "scoped_call_expression"})


def _store_target(node) -> str | None:
    """`user.password = md5(x).hexdigest()`, `{"password_hash": sha1(x)}`, `setPassword(md5Hex(x))`:
    the password-named field the digest lands in."""
    cur, steps = node, 0
    while cur.parent is not None and steps < 10:
        p = cur.parent
        steps += 1
        if p.type in _ASSIGN_TYPES:
            tgt = _assign_target(p, cur)
            return tgt if tgt is not None and password_name(_last_segment(tgt), target=True) else None
        if p.type in ("argument_list", "arguments"):
            call = p.parent
            if call is not None:
                name = call.child_by_field_name("name") or call.child_by_field_name("method")
                fn = call.child_by_field_name("function")
                m = text(name) if name is not None else (_member_name(fn) if fn is not None else None)
                if m and re.match(r"(?i)set_?pass", m) and m != "set_password":
                    return m  # java setter: user.setPassword(DigestUtils.md5Hex(x))
        if p.type not in _PASS_THROUGH_PARENTS:
            return None
        cur = p
    return None


def _last_segment(s: str) -> str:
    s = re.sub(r"\[.*?\]$", "", s)
    return re.split(r"\.|->|::", s)[-1].strip("$@:'\"")


def _assign_target(p, child) -> str | None:
    t = p.type
    if t in ("pair", "keyed_element", "array_element_initializer"):
        kids = p.named_children
        if not kids or kids[0] == child:
            return None
        k = kids[0]
        if k.type == "literal_element" and k.named_children:
            k = k.named_children[0]
        return _literal_key(k) or (text(k) if k.type in _IDENT else None)
    if t == "keyword_argument":
        n = p.child_by_field_name("name")
        return text(n) if n is not None else None
    if t == "variable_declarator":
        n = p.child_by_field_name("name")
        return text(n) if n is not None and n.type == "identifier" else None
    left = p.child_by_field_name("left")
    if left is None or left == child:
        return None
    if left.type == "expression_list" and left.named_children:
        left = left.named_children[0]
    name = _member_name(left)
    if name is None and left.type in _SUBSCRIPT:
        name = _literal_key(_subscript_parts(left)[1])
    return name


def _handed_to_kdf(s: Site, names: list[str], strong: list, strong_re) -> bool:
    """bcrypt(sha256(pw)), `pre = sha256(pw)` later given to bcrypt (a pre-hash, not the storage
    hash), or the same password also given to a KDF in this function (a legacy check that
    upgrades the hash)."""
    if strong_re is None:
        return False
    cur, steps = s.node.parent, 0
    while cur is not None and steps < 12:
        if cur.type in _CALLS:
            fn = cur.child_by_field_name("function") or cur.child_by_field_name("name") \
                or cur.child_by_field_name("method")
            if fn is not None and strong_re.search(text(fn)) and cur.id != s.node.id:
                return True
        if cur.type in ("block", "statement_block", "body_statement", "compound_statement", "module", "program"):
            break
        cur, steps = cur.parent, steps + 1
    if not strong:
        return False
    target = _enclosing_variable(s.node)
    wanted = [n for n in [target] + names if n]
    if not wanted:
        return False
    pat = re.compile("|".join(r"(?<![\w$])" + re.escape(n) + r"(?!\w)" for n in wanted))
    return any(pat.search(text(a)) for c in strong for a in list(c.args) + list(c.kwargs.values()) if a is not None)


def _enclosing_variable(node) -> str | None:
    cur, steps = node, 0
    while cur.parent is not None and steps < 8:
        p = cur.parent
        if p.type in ("assignment", "assignment_expression", "variable_declarator", "short_var_declaration",
                      "assignment_statement"):
            left = p.child_by_field_name("left") or p.child_by_field_name("name")
            if left is not None and left.type == "expression_list" and left.named_children:
                left = left.named_children[0]
            return text(left) if left is not None and left.type in _IDENT else None
        if p.type not in _PASS_THROUGH_PARENTS:
            return None
        cur, steps = p, steps + 1
    return None


# ----------------------------------------------------------------------------------------------
# MD5()/SHA1()/SHA2() inside SQL text
# ----------------------------------------------------------------------------------------------
_SQL_FN = re.compile(r"(?i)\b(md5|sha1|sha2|sha)\s*\(")
_SQL_NAMED = re.compile(r"^\s*[:@$]([A-Za-z_]\w*)\s*$|^\s*%\(([A-Za-z_]\w*)\)s\s*$")


def _sql_digests(ctx, rule, flow: _Flow) -> Iterator[Finding]:
    from ...sql import looks_like_sql

    ev = ctx.evaluator
    for node in ctx.facts.strings:
        if node.has_error:
            continue
        raw = text(node)
        if not _SQL_FN.search(raw) and "\ue000" not in raw and not re.search(r"(?i)\b(md5|sha)", raw):
            continue
        v = ev.value(node)
        if v is None or not _SQL_FN.search(v.template) or not looks_like_sql(v.template):
            continue
        fn = ev.function_of(node)
        hit = _sql_password_digest(v, flow, fn)
        if hit is None:
            continue
        alg, what, sql_fn = hit
        yield ctx.finding(rule, node, {"detail": f"{what} is hashed with {alg} by the SQL function `{sql_fn}()`",
                                       "why": _why(alg)},
                          properties={"algorithm": alg, "api": f"sql {sql_fn}()"})


def _sql_password_digest(v, flow: _Flow, fn) -> tuple[str, str, str] | None:
    tmpl = v.template
    for m in _SQL_FN.finditer(tmpl):
        fname = m.group(1).lower()
        sql_fn = m.group(1).upper()
        inner = _balanced(tmpl, m.end())
        if inner is None:
            continue
        alg = "MD5" if fname == "md5" else "SHA-1" if fname in ("sha1", "sha") else _sha2_bits(inner)
        first = _split_top(inner)[0] if fname == "sha2" else inner
        # the hashed value: a hole holding a password, a password-named bind parameter or column
        for hm in HOLE_RE.finditer(first):
            h = v.holes[int(hm.group(1))]
            if h.node is not None and any(l.kind == "password" for l in flow.leaves(h.node, fn)):
                return alg, f"the password `{_short(h.text, 40)}`", sql_fn
        nm = _SQL_NAMED.match(HOLE_RE.sub("", first).strip("'\" ")) if not HOLE_RE.search(first) else None
        if nm is not None and password_name(nm.group(1) or nm.group(2)):
            return alg, f"the password parameter `{first.strip()}`", sql_fn
        plain = HOLE_RE.sub("", first).strip("'\"` ")
        if re.fullmatch(r"[\w.]+", plain or "-") and password_name(plain.split(".")[-1]) and not HOLE_RE.search(first):
            return alg, f"the password column `{plain}`", sql_fn
        # `password = MD5(?)` / INSERT (.., password) VALUES (.., MD5(?))
        col = _column_for(tmpl, m.start())
        if col is not None and password_name(col, target=True) and not _constant_sql(first):
            return alg, f"the value written to `{col}`", sql_fn
    return None


def _constant_sql(s: str) -> bool:
    s = s.strip()
    return bool(re.fullmatch(r"'[^'\ue000]*'|\d+", s))


def _sha2_bits(inner: str) -> str:
    parts = _split_top(inner)
    bits = parts[1].strip() if len(parts) > 1 else "256"
    return f"SHA-{bits if bits in ('224', '256', '384', '512') else '256'}"


def _balanced(s: str, start: int) -> str | None:
    depth, i = 1, start
    while i < len(s) and i - start < 400:
        if s[i] == "(":
            depth += 1
        elif s[i] == ")":
            depth -= 1
            if depth == 0:
                return s[start:i]
        i += 1
    return None


def _split_top(s: str) -> list[str]:
    out, depth, cur, quote = [], 0, [], None
    for ch in s:
        if quote:
            cur.append(ch)
            if ch == quote:
                quote = None
            continue
        if ch in "'\"":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "," and depth == 0:
            out.append("".join(cur))
            cur = []
            continue
        cur.append(ch)
    out.append("".join(cur))
    return out


def _column_for(tmpl: str, pos: int) -> str | None:
    """The column a value at `pos` is compared with or written to."""
    before = tmpl[:pos]
    m = re.search(r"([\w`\"\[\].]+)\s*(=|<>|!=)\s*$", before)
    if m:
        return _last_segment(m.group(1).strip("`\"[]"))
    ins = re.search(r"(?is)\binsert\s+(?:ignore\s+)?into\s+[\w`\"\[\].]+\s*\(([^()]*)\)\s*values\s*\((.*)$", tmpl)
    if ins and ins.start(2) <= pos:
        cols = [c.strip().strip("`\"[]") for c in ins.group(1).split(",")]
        vals_text = tmpl[ins.start(2):pos]
        idx = len(_split_top(vals_text)) - 1
        if 0 <= idx < len(cols):
            return cols[idx]
    return None


# ----------------------------------------------------------------------------------------------
# plain text: a password-named field written with the raw password and saved
# ----------------------------------------------------------------------------------------------
_KEY_PRED = '(#match? @key "(?i)(pass|pwd|pw$|^pw|senha|contras)")'
_WRITE_PATTERNS = {
    "python": [
        "((assignment left: (attribute object: (_) @obj attribute: (identifier) @key) right: (_) @value) @member {p})",
        "((keyword_argument name: (identifier) @key value: (_) @value) @kwarg {p})",
        "((pair key: (string) @key value: (_) @value) @pair {p})",
    ],
    "javascript": [
        "((assignment_expression left: (member_expression object: (_) @obj property: (property_identifier) @key)"
        " right: (_) @value) @member {p})",
        "((pair key: [(property_identifier) (string)] @key value: (_) @value) @pair {p})",
        "((shorthand_property_identifier) @key @value @pair {p})",
    ],
    "go": [
        "((keyed_element . (literal_element (interpreted_string_literal) @key) . (literal_element (_) @value)) @pair {p})",
    ],
    "java": [
        "((method_invocation object: (_) @obj name: (identifier) @key arguments: (argument_list . (_) @value .))"
        " @setter (#match? @key \"^set[A-Z_]\") {p})",
        "((method_invocation name: (identifier) @_put arguments: (argument_list . (string_literal) @key . (_) @value .))"
        " @pair (#any-of? @_put \"put\" \"append\" \"field\") {p})",
    ],
    "ruby": [
        "((pair key: [(hash_key_symbol) (simple_symbol) (string)] @key value: (_) @value) @pair {p})",
        "((call method: (identifier) @_m arguments: (argument_list . [(simple_symbol) (string)] @key . (_) @value .))"
        " @column (#eq? @_m \"update_column\") {p})",
    ],
    "php": [
        "((array_element_initializer . [(string) (encapsed_string)] @key . (_) @value .) @pair {p})",
    ],
    "csharp": [
        "((assignment_expression left: (member_access_expression expression: (_) @obj name: (identifier) @key)"
        " right: (_) @value) @member {p})",
        "((initializer_expression (assignment_expression left: (identifier) @key right: (_) @value) @init) {p})",
    ],
}
_WRITE_PATTERNS["typescript"] = _WRITE_PATTERNS["javascript"]
_WRITE_KINDS = ("member", "kwarg", "pair", "setter", "column", "init")
_CLIMB = frozenset({"dictionary", "object", "hash", "array", "list", "pair", "literal_value", "literal_element",
                    "composite_literal", "keyed_element", "array_creation_expression", "array_element_initializer",
                    "argument_list", "arguments", "argument", "parenthesized_expression", "tuple",
                    "initializer_expression", "object_creation_expression", "new_expression", "await_expression"})


def _write_query(ctx):
    pats = _WRITE_PATTERNS.get(ctx.language)
    if not pats or ctx.tree is None:
        return None
    return compile_query(ctx.tree.language, "\n".join(p.format(p=_KEY_PRED) for p in pats))


def _plaintext(ctx, rule, flow: _Flow, kb: dict) -> Iterator[Finding]:
    yield from _plain_writes(ctx, rule, flow, kb)
    yield from _sql_plaintext(ctx, rule, flow)


def _re(kb: dict, key: str):
    return re.compile(kb[key]) if kb.get(key) else None


def _plain_password(flow: _Flow, value, fn) -> Leaf | None:
    leaves = flow.leaves(value, fn, plain=True)
    if leaves and all(l.kind == "password" for l in leaves):
        return leaves[0]
    return None


def _plain_writes(ctx, rule, flow: _Flow, kb: dict) -> Iterator[Finding]:
    q = _write_query(ctx)
    if q is None:
        return
    import tree_sitter as ts

    raw_store = _re(kb, "store_calls")  # writes with no model hooks on the way (drivers, query builders)
    model_store = _re(kb, "model_store_calls")  # ORM writes: only when no hashing hook is visible
    add_calls = _re(kb, "add_calls")  # session.add(user), repo.save(user), _context.Users.Add(user)
    save_methods = set(kb.get("save_methods", ()))
    flush_calls = _re(kb, "flush_calls")  # EF SaveChanges(): tracked entities are written
    hooks = _re(kb, "hashing_hooks")
    models_here = _re(kb, "models_defined")
    orm_ok = not (hooks is not None and hooks.search(ctx.text)) and \
        (models_here is None or bool(models_here.search(ctx.text)))
    calls_by_id = flow.calls
    seen: set[int] = set()
    for _, caps in ts.QueryCursor(q).matches(ctx.tree.root_node):
        kind = next((k for k in _WRITE_KINDS if k in caps), None)
        if kind is None:
            continue
        write, key, value = caps[kind][0], caps["key"][0], caps["value"][0]
        if write.has_error or write.id in seen:
            continue
        if kind == "setter":
            kname = text(key)[3:]
        elif kind in ("pair", "column"):
            kname = _literal_key(key) or (text(key) if key.type in _IDENT else None)
        else:
            kname = text(key)
        if not kname or not password_name(_last_segment(kname), target=True):
            continue
        fn = ctx.evaluator.function_of(write)
        leaf = _plain_password(flow, value, fn)
        if leaf is None:
            continue
        how = None
        if kind == "column":
            how = f"`{text(write.child_by_field_name('method'))}`"
        elif kind in ("member", "setter"):
            obj = caps["obj"][0] if "obj" in caps else None
            if orm_ok and obj is not None:
                how = _saved_later(ctx, text(obj), write, fn, save_methods, add_calls, flush_calls)
        elif kind == "init":
            if orm_ok:
                how = _container_stored(ctx, write, fn, calls_by_id, add_calls, None)
        elif kind == "kwarg":
            call = write.parent.parent if write.parent is not None else None
            c = calls_by_id.get(call.id) if call is not None else None
            if c is not None and orm_ok:
                if model_store is not None and model_store.search(c.callee):
                    how = f"`{_short(c.callee, 40)}`"
                elif re.fullmatch(r"[A-Z]\w*", c.callee):  # User(username=..., password=...) then session.add(user)
                    how = _container_stored(ctx, write, fn, calls_by_id, add_calls, None, save_methods)
        else:  # pair
            how = _container_stored(ctx, write, fn, calls_by_id, raw_store, model_store if orm_ok else None,
                                    save_methods if orm_ok else None)
        if how is None:
            continue
        seen.add(write.id)
        yield ctx.finding(
            rule, write,
            {"detail": f"the password `{_short(leaf.label, 40)}` is stored in plain text in `{_short(kname, 30)}` ({how})",
             "why": "anyone who reads the table or a backup gets every password"},
            properties={"algorithm": "plain text", "api": how})


def _saved_later(ctx, obj: str, write, fn, save_methods: set, add_calls, flush_calls=None) -> str | None:
    """`user.save()` / `repo.save(user)` / `_context.SaveChanges()` after the write, in the same function."""
    for c in ctx.facts.calls:
        if c.function is not fn or c.node.start_byte < write.end_byte:
            continue
        if flush_calls is not None and flush_calls.search(c.callee):
            return f"saved by `{_short(c.callee, 40)}()`"
        if c.method in save_methods and c.receiver == obj:
            return f"saved by `{_short(c.callee, 40)}()`"
        if add_calls is not None and add_calls.search(c.callee) and any(text(a) == obj for a in c.args):
            return f"saved by `{_short(c.callee, 40)}({obj})`"
    return None


def _container_stored(ctx, write, fn, calls_by_id, store_re, model_re, save_methods=None) -> str | None:
    """Climb from a key/value to the call that receives the literal; a literal assigned to a
    variable is followed to the calls that receive that variable."""
    cur, steps = write, 0
    while cur.parent is not None and steps < 14:
        p = cur.parent
        steps += 1
        c = calls_by_id.get(p.id)
        if c is not None:
            if store_re is not None and store_re.search(c.callee):
                return f"`{_short(c.callee, 40)}`"
            if model_re is not None and model_re.search(c.callee):
                return f"`{_short(c.callee, 40)}`"
            if c.is_new or re.fullmatch(r"[A-Z]\w*", c.callee):
                cur = p  # new User({...}) / User(...): follow the object
                continue
            return None
        if p.type not in _CLIMB:
            break
        cur = p
    var = _enclosing_variable(cur) if cur is not None else None
    if var is None and cur is not None and cur.parent is not None and cur.parent.type in _ASSIGN_TYPES:
        var = _enclosing_variable(cur.parent.named_children[-1]) if cur.parent.named_children else None
    if var is None:
        return None
    for c in ctx.facts.calls:
        if c.function is not fn or c.node.start_byte < write.end_byte:
            continue
        if save_methods and c.method in save_methods and c.receiver == var:
            return f"saved by `{_short(c.callee, 40)}()`"
        if not any(text(_unwrap(a) or a) == var or text(a) in ("&" + var, "*" + var) for a in c.args):
            continue
        if store_re is not None and store_re.search(c.callee):
            return f"`{_short(c.callee, 40)}`"
        if model_re is not None and model_re.search(c.callee):
            return f"`{_short(c.callee, 40)}`"
    return None


# -- raw SQL: INSERT/UPDATE of a password column bound to the raw password ---------------------
_INSERT_RE = re.compile(r"(?is)\binsert\s+(?:ignore\s+|or\s+\w+\s+)?into\s+[\w`\"\[\].]+\s*\(([^()]*)\)\s*values\s*\(")
_INSERT_NOCOLS_RE = re.compile(r"(?is)\binsert\s+(?:ignore\s+|or\s+\w+\s+)?into\s+[`\"\[]?\w*(user|account|member|login|admin|customer|credential|auth)\w*[`\"\]]?\s+values\s*\(")
_UPDATE_RE = re.compile(r"(?is)\bupdate\s+[\w`\"\[\].]+\s+set\s+(.*?)(\bwhere\b|\breturning\b|$)")
_PLACEHOLDER = re.compile(r"^(\?|%s|\$\d+|[:@$][A-Za-z_]\w*|%\([A-Za-z_]\w*\)s|\{\w*\})$")
_HOLE_ONLY = re.compile("^['\"]?\ue000(\\d+)\ue001['\"]?$")


def _sql_columns(tmpl: str) -> list[tuple[str, str, int]]:
    """(column, value text, value offset) written by an INSERT ... VALUES or UPDATE ... SET."""
    out = []
    m = _INSERT_NOCOLS_RE.search(tmpl)
    if m:
        # INSERT INTO users VALUES (NULL, ?, ?): no column names, judge the bound values alone
        vals = _balanced(tmpl, m.end())
        if vals is not None:
            out.extend(("password", v, p) for v, p in _split_top_pos(vals, m.end()))
    m = _INSERT_RE.search(tmpl)
    if m:
        vals = _balanced(tmpl, m.end())
        if vals is not None:
            cols = [c.strip().strip("`\"[]") for c in m.group(1).split(",")]
            vs = _split_top_pos(vals, m.end())
            if len(cols) == len(vs):
                out.extend((c, v, p) for c, (v, p) in zip(cols, vs))
    m = _UPDATE_RE.search(tmpl)
    if m:
        for part, p in _split_top_pos(m.group(1), m.start(1)):
            eq = part.find("=")
            if eq > 0:
                col, val = part[:eq], part[eq + 1:]
                lead = len(val) - len(val.lstrip())
                out.append((col.strip().strip("`\"[]").split(".")[-1], val.strip(), p + eq + 1 + lead))
    return out


def _split_top_pos(s: str, base: int) -> list[tuple[str, int]]:
    out, pos = [], 0
    for part in _split_top(s):
        lead = len(part) - len(part.lstrip())
        out.append((part.strip(), base + pos + lead))
        pos += len(part) + 1
    return out


def _sql_plaintext(ctx, rule, flow: _Flow) -> Iterator[Finding]:
    from ...sql import looks_like_sql

    ev = ctx.evaluator
    for node in ctx.facts.strings:
        if node.has_error:
            continue
        if not re.search(r"(?i)(pass|pwd|pw\b|senha)", text(node)) and "\ue000" not in text(node):
            if not re.search(r"(?i)\b(insert|update)\b", text(node)):
                continue
        v = ev.value(node)
        if v is None or not looks_like_sql(v.template):
            continue
        cols = [(c, val, pos) for c, val, pos in _sql_columns(v.template) if password_name(c, target=True)]
        if not cols:
            continue
        fn = ev.function_of(node)
        for col, val, pos in cols:
            hm = _HOLE_ONLY.match(val)
            if hm is not None:
                h = v.holes[int(hm.group(1))]
                leaf = _plain_password(flow, h.node, fn) if h.node is not None else None
                if leaf is not None:
                    yield _plain_sql_finding(ctx, rule, node, leaf, col, "spliced into the SQL text")
                    break
                continue
            if not _PLACEHOLDER.match(val):
                continue
            hit = _bound_plain_password(ctx, flow, node, fn, _placeholder_slot(v.template, pos))
            if hit is not None:
                at, leaf = hit
                yield _plain_sql_finding(ctx, rule, at, leaf, col, "bound as a query parameter")
                break


def _plain_sql_finding(ctx, rule, at, leaf: Leaf, col: str, how: str) -> Finding:
    return ctx.finding(
        rule, at,
        {"detail": f"the password `{_short(leaf.label, 40)}` is written to column `{col}` in plain text ({how})",
         "why": "anyone who reads the table or a backup gets every password"},
        properties={"algorithm": "plain text", "api": "sql"})


_BIND_METHODS = re.compile(r"^(set[A-Z]\w*|bind_?[pP]aram|bindValue|bind|AddWithValue|execute|executeUpdate|"
                           r"Exec|ExecContext|exec|run|query|Query|QueryRow|QueryRowContext|all|get|"
                           r"executemany|update|insert|ExecuteNonQuery|ExecuteAsync|Execute|Add)$")
_PH_TOKEN = re.compile(r"'[^']*'|\?|%s|\$(\d+)|(?<![:\w]):([A-Za-z_]\w*)|@([A-Za-z_]\w*)|%\((\w+)\)s")


def _placeholder_slot(tmpl: str, value_pos: int) -> tuple[int | None, str | None, int]:
    """(positional index, name, number of positional placeholders) of the placeholder at value_pos."""
    index, name, count = None, None, 0
    for m in _PH_TOKEN.finditer(tmpl):
        tok = m.group(0)
        if tok.startswith("'"):
            continue
        at = m.start() == value_pos
        if tok in ("?", "%s"):
            if at:
                index = count
            count += 1
        elif m.group(1):
            if at:
                index = int(m.group(1)) - 1
            count = max(count, int(m.group(1)))
        elif at:
            name = m.group(2) or m.group(3) or m.group(4)
    return index, name, count


def _bound_plain_password(ctx, flow: _Flow, sql_node, fn, slot):
    """The call after the SQL that binds a plain password to the placeholder slot, with that value."""
    index, name, count = slot
    holder = _enclosing_variable(sql_node)
    exec_calls = []
    for c in ctx.facts.calls:
        if c.function is not fn or c.node.end_byte < sql_node.start_byte:
            continue
        for a in c.args:
            if a.start_byte <= sql_node.start_byte and sql_node.end_byte <= a.end_byte:
                exec_calls.append((c, a))
                break
            if holder is not None and text(_unwrap(a) or a) == holder and a.start_byte > sql_node.end_byte:
                exec_calls.append((c, a))
                break
    stmt_vars = set()
    for c, sql_arg in exec_calls:
        rest = [a for a in c.args if a is not sql_arg and a.start_byte > sql_arg.start_byte]
        leaf = _slot_value(flow, rest, fn, index, name, count, c)
        if leaf is not None:
            return c.node, leaf
        sv = _enclosing_variable(c.node)
        if sv is not None:
            stmt_vars.add(sv)
    if not stmt_vars:
        return None
    first = min(c.node.start_byte for c, _ in exec_calls)
    for c in ctx.facts.calls:
        if c.function is not fn or c.node.start_byte < first or not c.receiver:
            continue
        base = re.split(r"\.|->", c.receiver)[0]
        if c.receiver not in stmt_vars and base not in stmt_vars:
            continue
        if not _BIND_METHODS.match(c.method) or not c.args:
            continue
        k = _literal_key(c.args[0])
        if c.method.startswith("set") or c.method in ("bindValue", "bindParam", "bind_param", "AddWithValue", "Add"):
            first_arg = _unwrap(c.args[0])
            if first_arg is not None and re.fullmatch(r"\d+", text(first_arg)) and len(c.args) > 1:
                # ps.setString(2, pw) / $stmt->bindValue(2, $pw)
                if index is not None and int(text(first_arg)) != index + 1:
                    continue
                leaf = _plain_password(flow, c.args[1], fn)
            elif k is not None and re.fullmatch(r"[sidb]+", k) and c.method == "bind_param":
                # mysqli: $stmt->bind_param("ss", $email, $password)
                vals = c.args[1:]
                leaf = _slot_value(flow, [], fn, index, None, len(vals), c, items=vals)
            elif k is not None and len(c.args) > 1:
                # named: AddWithValue("@password", pw), bindValue(':password', $pw)
                if name is not None and k.lstrip(":@$") != name:
                    continue
                leaf = _plain_password(flow, c.args[1], fn)
            else:
                continue
        else:
            leaf = _slot_value(flow, list(c.args), fn, index, name, count, c)
        if leaf is not None:
            return c.node, leaf
    return None


def _slot_value(flow, rest, fn, index, name, count, call, items=None):
    """The plain password bound to the slot among a call's parameters: a list/tuple/array of
    values (aligned by position when the counts agree), a dict/array keyed by name, keyword
    arguments, or variadic values."""
    if items is None:
        if len(rest) == 1:
            one = _unwrap(rest[0])
            items = _items(one) if one is not None else []
        else:
            items = [(None, a) for a in rest]
    else:
        items = [(None, a) for a in items]
    if name is not None:
        keyed = [(k, v) for k, v in items if k is not None]
        if keyed:
            items = [(k, v) for k, v in keyed if k.lstrip(":@$") == name]
        kws = getattr(call, "kwargs", {}) or {}
        if name in kws:
            items = items + [(name, kws[name])]
    elif index is not None and count and len(items) == count:
        items = [items[index]]
    for _, v in items:
        leaf = _plain_password(flow, v, fn)
        if leaf is not None:
            return leaf
    return None


def _items(node) -> list:
    """(key or None, value) items of a literal list/tuple/array/dict; a single other value."""
    if node.type in _CONTAINERS or node.type in ("dictionary", "object", "hash", "anonymous_object_creation_expression"):
        out = []
        for c in node.named_children[:24]:
            if c.type in ("pair", "array_element_initializer", "keyed_element", "anonymous_object_member_declarator"):
                kids = c.named_children
                if len(kids) >= 2:
                    out.append((_literal_key(kids[0]) or text(kids[0]), kids[-1]))
                elif kids:
                    out.append((None, kids[-1]))
            elif c.type == "shorthand_property_identifier":
                out.append((text(c), c))
            elif c.type != "comment":
                out.append((None, c))
        return out
    return [(None, node)]
