"""jwt-unverified: a JWT decoded without verifying its signature, whose claims are then trusted.

Two strengths of evidence (the API names per language live in knowledge.d/jwt.yaml under
`jwt_unverified`):

- *disabled* verification (PyJWT `verify_signature: False` / `verify=False`, ruby-jwt
  `JWT.decode(t, nil, false)`, `none` in an algorithm list, jjwt `parseClaimsJwt`, .NET
  `RequireSignedTokens = false`, ...): reported unless every later use of the result is
  harmless (header, `kid`, `exp`, `iss` — reading them to pick a key or to schedule a refresh);
- *decode-only* helpers (jsonwebtoken `jwt.decode`, jose `decodeJwt`, golang-jwt
  `ParseUnverified`, java-jwt `JWT.decode`, .NET `ReadJwtToken`, a hand-made base64 decode of the
  payload, ...): reported only with positive evidence that the result is trusted: an identity
  claim is read (`.sub`, `["role"]`, `getSubject()`), the claims are returned, or stored in
  request/session state (`req.user = decoded`), or handed to an authentication call.

Either is cleared when the same function (or an enclosing one) also verifies a token (jwt.verify,
ParseWithClaims with a key function, JWT.require(...).verify, ValidateToken, ...), has just
created the token itself (jwt.sign before the decode), runs in test code (path, test function,
it()/test() callback), is behind an authentication guard (`[Authorize]`, `@UseGuards`, an auth
middleware before the handler), or is named for what it does (`unsafeClaims`, `unverified_...`).
Decode-only helpers in browser code (React, localStorage) are left alone, and a hand-made decode
counts only identity claims (sub, id, role, email, ...) as trust. Settings that switch the check
off for every token (`RequireSignedTokens = false`, a `SignatureValidator` that returns the
token, `UnsafeAllowNoneSignatureType`, jjwt `.unsecured()`) are reported wherever they are set.

The uses of the result are followed through local variables by reading the text of the
enclosing function (bounded), so it works the same in every language and in partial trees.
"""

from __future__ import annotations

import re
from typing import Iterator

from ...languages.base import compile_query, text
from ...model import Finding

MAX_ALIASES = 6
MAX_SITES = 60
MAX_SCAN = 20000  # characters of a function read after the decode

_TEST_PATH = re.compile(
    r"(^|/)(tests?|specs?|__tests__|__mocks__|testing|e2e|testdata|test_?utils?)/"
    r"|(_test\.go|\.(test|spec)\.[cm]?[jt]sx?|_spec\.rb|_test\.rb|Tests?\.(java|cs|kt)|(^|/)test_[^/]*\.py|_test\.py"
    r"|(^|/)conftest\.py|Test\.php|Spec\.php)$")
_TEST_DECORATOR = re.compile(r"^(Test|Fact|Theory|TestMethod|TestCase|ParameterizedTest|RepeatedTest|pytest\.)")
_TEST_CALLBACK = re.compile(r"^(it|test|describe|context|beforeEach|beforeAll|afterEach|afterAll|it\.\w+|test\.\w+|describe\.\w+)$")
_GUARD = re.compile(r"(?i)(authoriz|authenticat|useguards|jwt_required|login_required|token_required|auth_required"
                    r"|requires?_?auth|preauthorize|secured|rolesallowed|permission_classes|roles_required)")
_CLIENT_SIDE = re.compile(r"""from\s+['"](react|react-native|vue|svelte|@angular/core|next/router|next/navigation)['"]"""
                          r"""|require\(\s*['"]react['"]\s*\)|\blocalStorage\.|\bsessionStorage\.|\bAsyncStorage\b"""
                          r"""|^\s*['"]use client['"]""", re.M)
_IDENTITY = re.compile(r"^(sub|subject|id|uid|oid|user\w*|\w*id|\w*userid|\w*email\w*|\w*role\w*|scopes?|scp|perm\w*"
                       r"|\w*admin|isadmin|username|name|preferredusername|nickname|groups?|tenant\w*|org\w*|account\w*"
                       r"|customer\w*|auth\w*|claims?|upn|login|phone\w*|mobile|owner\w*|member\w*)$")
_AWARE_NAME = re.compile(r"(?i)unsafe|unverified|insecure|without_?verif|no_?verif|skip_?verif|untrusted")
_MIDDLEWARE_ARG = re.compile(r"(?i)(auth|jwt|verify|protect|guard|passport|ensure|logged|requireuser|checktoken|validatetoken)")

# claim names: normalised (lower case, no `_`/`-`, a `get` prefix dropped)
_TRANSPARENT = {"payload", "claims", "body", "data", "0", "first", "claimsset", "jwtclaimsset", "mapclaims",
                "tostring", "decode", "tos", "utf8", "string", "tostr", "readall",
                "registeredclaims", "standardclaims", "all", "toarray", "asmap", "tomap", "tojson", "decoded",
                "payloadclaims", "claimsmap", "content", "unverifiedclaims", "result"}
_HARMLESS = {"header", "headers", "kid", "keyid", "alg", "algorithm", "typ", "type", "cty", "contenttype",
             "exp", "expiresat", "expiration", "expirationtime", "expirationdate", "expiry", "expires", "expiresin",
             "validto", "iat", "issuedat", "issuetime", "issuedattime", "nbf", "notbefore", "notbeforetime",
             "validfrom", "iss", "issuer", "aud", "audience", "audiences", "jti", "jwtid", "tokenid", "signature",
             "signaturealgorithm", "rawheader", "encodedheader", "encodedpayload", "rawsignature", "rawdata",
             "token", "raw", "encodedtoken", "method", "signingmethod", "valid", "x5t", "x5c", "jku", "jwk",
             "1", "last", "headerclaims", "headerclaim", "protectedheader", "tid", "tenant", "tenantid"}
_NEUTRAL = {"keys", "hasownproperty", "haskey", "has", "hasclaim", "isexpired", "length", "count",
            "size", "equals", "then", "catch", "isempty", "isnull", "nil?", "empty?", "present?", "blank?",
            "key?", "include?", "inspect", "tojsonstring", "printstacktrace"}

_STATE_LHS = re.compile(r"(?i)(user|principal|identity|auth|session|claims|account|current|locals|state|context|ctx"
                        r"|member|customer|subject|owner|viewer|actor|tenant|role|permission|scope|uid)")
_PARSERS = {"json_decode", "jsondecode", "parse", "loads", "readvalue", "readtree", "fromjson", "deserializeobject",
            "deserialize", "decode", "tostring", "to_s", "string", "jsonobject", "getstring", "decode64",
            "urlsafe_decode64", "strict_decode64", "base64_decode", "urlsafeb64decode", "b64decode",
            "urlsafe_b64decode", "from", "parse_json", "frombase64string", "decodestring", "jsonparser", "parsestring"}
_LOG = {"log", "info", "debug", "warn", "warning", "error", "trace", "print", "println", "printf", "puts", "p", "pp",
        "dump", "var_dump", "print_r", "error_log", "writeline", "write", "fatal", "json", "send", "status", "render",
        "jsonify", "ok", "badrequest", "unauthorized", "stringify", "inspect", "assert", "expect", "isinstance",
        "typeof", "len", "count", "empty", "isset", "is_array", "is_object", "isnil", "json_encode", "dumps",
        "tojson", "tojsonstring", "writevalueasstring", "serializeobject", "serialize", "marshal", "sprintf",
        "errorf", "format", "append"}
_AUTH_CALLS = {"done", "next", "cb", "callback", "resolve", "login", "log_in", "signin", "sign_in", "signinasync",
               "authenticate", "setuser", "set_user", "setcurrentuser", "set_current_user", "setauthentication",
               "setprincipal", "withvalue", "setattribute", "claimsidentity", "claimsprincipal", "genericprincipal",
               "usernamepasswordauthenticationtoken", "preauthenticatedauthenticationtoken", "jwtauthenticationtoken",
               "set", "put", "store", "remember", "login_user", "force_authenticate", "setex", "hset", "setitem"}
_CALL_TYPES = {"call", "call_expression", "method_invocation", "invocation_expression", "object_creation_expression",
               "new_expression", "function_call_expression", "member_call_expression", "scoped_call_expression",
               "nullsafe_member_call_expression", "implicit_object_creation_expression"}


def _strip_nested(s: str) -> str:
    """Drop bracketed parts so that commas inside them do not count."""
    prev = None
    for _ in range(8):
        if prev == s:
            break
        prev = s
        s = re.sub(r"\([^()]*\)|\[[^\[\]]*\]|\{[^{}]*\}", "", s)
    return s
_KEYWORDS = {"if", "while", "for", "switch", "catch", "elif", "unless", "until", "return", "not", "and", "or",
             "typeof", "isset", "empty", "foreach", "using", "lock", "when", "in", "assert", "require"}

_MEMBER = re.compile(r"\s*(?:\?\.|!\.|\.|->|\?->|::|&\.)\s*([A-Za-z_]\w*[?!]?)")
_INDEX = re.compile(r"\s*\[\s*(?:(?:[\"'`]|:)([\w:/.\-]+)[\"'`]?|(\d+))\s*\]")
_GO_ASSERT = re.compile(r"\s*\.\(\s*[\w.*\[\]{} ]+\)")
_NONNULL = re.compile(r"!(?!=)")
_ARG_LITERAL = re.compile(r"^\s*(?:[\"'`]|:)([\w:/.\-]+)[\"'`]?\s*(?:[,)]|$)")
_ARG_CLAIM_TYPE = re.compile(r"(?:[Tt]ype\s*==\s*[\"']([\w:/.\-]+)[\"']|ClaimTypes\.(\w+)|JwtRegisteredClaimNames\.(\w+)"
                             r"|[\"']([\w:/.\-]+)[\"']\s*==\s*\w+\.[Tt]ype)")
_GETTER = re.compile(r"^(get|getClaim|claim|getStringClaim|getClaimAsString|getAsString|getString|fetch|dig|Get|GetValue"
                     r"|value|getValue|getClaimValue|get_claim|FindFirst|FindFirstValue|HasClaim|hasClaim|has|opt|optString"
                     r"|getInt|getLong|getBoolean|getIntegerClaim|getBooleanClaim|getListClaim|getStringListClaim"
                     r"|getLongClaim|getDateClaim|getStringArrayClaim|claims|GetClaim|TryGetValue|TryGetPayloadValue"
                     r"|GetPayloadValue|getHeader|header|headers|key\?|has_key\?|include\?|getOrDefault|containsKey)$")


def _norm(name: str) -> str:
    n = name.replace("()", "").rstrip("?!")
    if re.match(r"^get[A-Z_]", n) and len(n) > 3:
        n = n[3:]
    n = n.split("/")[-1].split(":")[-1]  # URIs of .NET claim types, `:sub`
    return n.lower().replace("_", "").replace("-", "")


def _claim_kind(name: str) -> str:
    """transparent (payload, claims: look further), harmless (header, kid, exp, iss), neutral
    (keys(), length) or claim (anything else: sub, id, role, email, ...)."""
    n = _norm(name)
    if n in _TRANSPARENT:
        return "transparent"
    if n in _HARMLESS:
        return "harmless"
    if n in _NEUTRAL:
        return "neutral"
    return "claim"


# ----------------------------------------------------------------------------------------------
# small text helpers
# ----------------------------------------------------------------------------------------------
def _match_paren(s: str, i: int) -> int:
    """Index just after the bracket closing the one at s[i] (or -1)."""
    depth, quote = 0, None
    j, n = i, min(len(s), i + 2000)
    while j < n:
        ch = s[j]
        if quote:
            if ch == "\\":
                j += 1
            elif ch == quote:
                quote = None
        elif ch in "\"'`":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    return -1


def _chain(after: str) -> tuple[list[str], int]:
    """Member / index accesses that follow an expression: `.payload.sub`, `["role"]`,
    `.getClaim("role")`, `.Claims.First(c => c.Type == "sub")`, `.(jwt.MapClaims)`."""
    names: list[str] = []
    pos = 0
    for _ in range(12):
        m = _GO_ASSERT.match(after, pos)
        if m:
            pos = m.end()
            continue
        m = _NONNULL.match(after, pos)
        if m:
            pos = m.end()
            continue
        m = _INDEX.match(after, pos)
        if m:
            names.append(m.group(1) or m.group(2))
            pos = m.end()
            continue
        m = _MEMBER.match(after, pos)
        if not m:
            break
        name = m.group(1)
        pos = m.end()
        rest = after[pos:]
        ws = len(rest) - len(rest.lstrip())
        if rest[ws:ws + 1] == "(":
            close = _match_paren(after, pos + ws)
            args = after[pos + ws + 1: close - 1] if close > 0 else ""
            lit = _ARG_LITERAL.match(args)
            ct = _ARG_CLAIM_TYPE.search(args) if not lit else None
            if lit and _GETTER.match(name):
                if _norm(name) in ("header", "headers", "protectedheader"):
                    names.append(name)
                else:
                    names.append(lit.group(1))
            elif ct:
                names.append(next(g for g in ct.groups() if g))
            else:
                names.append(name + "()")
            if close < 0:
                break
            pos = close
            continue
        names.append(name)
    return names, pos


def _classify(names: list[str]) -> tuple[str, str | None]:
    for n in names:
        k = _claim_kind(n)
        if k == "transparent":
            continue
        if k in ("harmless", "neutral"):
            return "harmless", n
        return "claim", n
    return "whole", None


def _innermost_open(pre: str) -> int:
    """Index of the innermost bracket still open at the end of `pre` (-1 if none)."""
    stack: list[int] = []
    quote = None
    i = 0
    while i < len(pre):
        ch = pre[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = None
        elif ch in "\"'`":
            quote = ch
        elif ch in "([{":
            stack.append(i)
        elif ch in ")]}" and stack:
            stack.pop()
        i += 1
    return stack[-1] if stack else -1


_ASSIGN_TAIL = re.compile(r"(?<![=!<>])(?:\|\||\?\?|&&)?:?=\s*(?:await\s+)?(?:\((?:[\w.<>\[\]?, ]+)\)\s*)?$")
_RETURN_TAIL = re.compile(r"(?:^|[^\w$])(?:return|yield)\s*(?:await\s+)?(?:\([\w.<>\[\]?, ]+\)\s*)?$")
_ARROW_TAIL = re.compile(r"=>\s*(?:await\s+)?\(?\s*$")


class _Tracer:
    """Follows what happens to the value of one decode call within its function."""

    def __init__(self, ctx, kn: dict):
        self.ctx = ctx
        self.kn = kn
        self.src = ctx.source
        self.lang = ctx.language

    def txt(self, a: int, b: int) -> str:
        return self.src[max(0, a):max(0, b)].decode("utf-8", "replace")

    # -- the expression holding the value ------------------------------------------------------
    def climb(self, node):
        """Climb through wrappers that keep the value: (x), x as T, x!, await x, (T) x."""
        wrappers = {"parenthesized_expression", "as_expression", "non_null_expression", "await_expression",
                    "type_assertion", "satisfies_expression", "cast_expression", "await", "parenthesized_statements"}
        cur = node
        for _ in range(6):
            p = cur.parent
            if p is None or p.type not in wrappers:
                break
            cur = p
        return cur

    def site(self, start: int, end: int, depth: int, scope_end: int, out: list, seen: set, allow_alias=True):
        """Judge one use of the value: the expression [start, end) (the call or a variable)."""
        if len(out) >= MAX_SITES or depth > MAX_ALIASES * 2:
            return
        after = self.txt(end, min(end + 600, scope_end + 600))
        names, used = _chain(after)
        kind, name = _classify(names)
        if kind == "claim":
            out.append(("claim", name, start))
            return
        if kind == "harmless":
            out.append(("harmless", name, start))
            return
        end += len(after[:used].encode("utf-8"))
        if re.match(r"\s*(?:===?|!==?|<>|\bis\s+(?:not\s+)?(?:None|nil|null)\b|\binstanceof\b|\?(?![.?:]))", after[used:]):
            return  # only tested: `jwt.decode(t) !== null`, `payload is None`
        root = self.ctx.tree.root_node
        stmt = self.ctx.adapter.statement_at(root, start)
        stmt_start = min(stmt.start_byte, start)
        pre = self.txt(max(stmt_start, start - 400), start)
        pre_bytes = len(pre.encode("utf-8"))
        pre = re.sub(r"(?<![*&\w)\]])[*&]+\s*$", "", pre)  # Go/C deref / address-of: *tk.Claims, &claims
        ob = _innermost_open(pre)
        inner = pre[ob + 1:] if ob >= 0 else pre
        if _RETURN_TAIL.search(inner):
            out.append(("returned", None, start))
            return
        if self.lang != "php" and _ARROW_TAIL.search(inner):
            out.append(("returned", None, start))
            return
        if self.lang == "php" and re.search(r"\bfn\s*\([^)]*\)\s*=>\s*$", inner):
            out.append(("returned", None, start))
            return
        b_ob = start - (pre_bytes - len(pre[:ob].encode("utf-8"))) if ob >= 0 else -1
        if ob >= 0 and pre[ob] == "(":
            head = pre[:ob].rstrip()
            head = re.sub(r"<[^<>()]*(?:<[^<>()]*(?:<[^<>()]*>[^<>()]*)*>[^<>()]*)*>$", "", head)  # Deserialize<Dictionary<...>>(
            m = re.search(r"((?:new\s+)?[\w$@.:\->\\]+)$", head)
            callee = re.sub(r"\s+", " ", m.group(1)) if m else ""
            last = re.split(r"\.|->|::|\\| ", callee)[-1] if callee else ""
            if callee and last not in _KEYWORDS and re.search(r"\w", callee):
                self.argument(callee, last, inner, b_ob, start, end, depth, scope_end, out, seen)
                return
            if not callee and not inner.strip():
                group = self._node_at(b_ob, "(")
                if group is not None and group.end_byte >= end:
                    self.site(group.start_byte, group.end_byte, depth + 1, scope_end, out, seen, allow_alias)
            return
        if ob >= 0 and pre[ob] in "{[":
            if not inner.strip() or re.search(r"(?:,|\.\.\.|\*\*|(?<![=!<>])=|=>|[\w\"'\]]\s*:)\s*$", inner):
                container = self._node_at(b_ob, pre[ob])
                if container is not None and container.end_byte >= end and container.start_byte >= stmt_start:
                    out.append(("element", None, start))
                    self.site(container.start_byte, container.end_byte, depth + 1, scope_end, out, seen, False)
                return
        if self.lang == "ruby" and ob < 0:
            m = re.search(r"((?:[\w:]+\.)*[A-Za-z_]\w*[?!]?)\s+(?:[^\s=,][^=]*,\s*)?$", inner)
            if m and m.group(1) not in _KEYWORDS and not re.search(r"(?<![=!<>])=\s*$|\b(if|unless|return|and|or|not)\s+$", inner):
                # a call without parentheses: `sign_in user`, `Foo.new body`
                callee = m.group(1)
                self.argument(callee, re.split(r"\.|::", callee)[-1], "", -1, start, end, depth, scope_end, out, seen)
                return
        m = _ASSIGN_TAIL.search(inner)
        if m:
            self.assignment(inner[:m.start()], start, end, stmt, depth, scope_end, out, seen, allow_alias)
            return
        if self.lang == "ruby" and not inner.strip():
            if self._ruby_last_statement(stmt, start):
                out.append(("returned", None, start))
            return
        return

    def _node_at(self, byte: int, bracket: str):
        """The largest node that starts at the bracket at `byte` (an argument list's call, an
        object / array literal, a parenthesised group)."""
        node = self.ctx.tree.root_node.descendant_for_byte_range(byte, byte + 1)
        best = None
        steps = 0
        while node is not None and steps < 6:
            if node.start_byte == byte and node.type != bracket:
                best = node
            elif node.start_byte < byte:
                # C# `new X { ... }`: the creation expression holds the initializer
                if best is not None and node.type in ("object_creation_expression", "implicit_object_creation_expression",
                                                      "new_expression", "composite_literal", "anonymous_object_creation_expression"):
                    best = node
                break
            node = node.parent
            steps += 1
        return best

    def _ruby_last_statement(self, stmt, start: int) -> bool:
        fn = self.ctx.evaluator.function_of(stmt) if stmt is not None else None
        if fn is None or fn.body is None:
            return False
        kids = [c for c in fn.body.named_children if c.type != "comment"]
        return bool(kids) and kids[-1].start_byte <= start <= kids[-1].end_byte

    def argument(self, callee: str, last: str, inner: str, b_ob: int, start, end, depth, scope_end, out, seen):
        lc = re.sub(r"^new\s+", "", callee).replace(" ", "")
        low = last.lower()
        first_arg = not re.search(r",", _strip_nested(inner))
        call = self._call_at(b_ob) if b_ob >= 0 else self._call_around(start)
        if low in _PARSERS and first_arg:
            # a decoder/parser of the payload: its result carries the claims on
            if call is not None:
                outer = self.climb(call)
                self.site(outer.start_byte, outer.end_byte, depth + 1, scope_end, out, seen)
            return
        if low == "unmarshal" and first_arg and call is not None:
            # json.Unmarshal(payload, &claims): follow claims
            m = re.match(r"[\s\S]*?,\s*&?([A-Za-z_]\w*)\s*\)", self.txt(end, call.end_byte))
            if m:
                self.follow_name(m.group(1), call.end_byte, depth + 1, scope_end, out, seen)
            return
        if call is not None and re.search(r"(?i)claim|get|extract|read|value|lookup|field", last):
            # extractClaim(claims, "email"), getClaim(token, "role")
            for lit in re.findall(r"[\"']([A-Za-z_][\w:/.\-]*)[\"']", self.txt(call.start_byte, min(call.end_byte, call.start_byte + 300))):
                if _claim_kind(lit) == "claim":
                    out.append(("claim", lit, start))
                    return
                if _claim_kind(lit) in ("harmless", "neutral"):
                    out.append(("harmless", lit, start))
                    return
        if low in _LOG or re.match(r"(?i)(console|logger|log|logging|fmt|System\.out|System\.err|Console|_logger|this\.logger|self\.logger|Rails\.logger)\b", lc):
            out.append(("harmless", last, start))
            return
        if low in _AUTH_CALLS or re.match(r"(?i)(set_?)?(current_?user|principal|identity|session|user)", low) \
                or _STATE_LHS.search(last):
            out.append(("auth-call", callee, start))
            return
        out.append(("passed", callee, start))

    def _call_around(self, byte: int):
        node = self.ctx.tree.root_node.descendant_for_byte_range(byte, byte + 1)
        steps = 0
        while node is not None and steps < 6:
            if node.type in _CALL_TYPES and node.start_byte < byte:
                return node
            node = node.parent
            steps += 1
        return None

    def _call_at(self, b_ob: int):
        node = self.ctx.tree.root_node.descendant_for_byte_range(b_ob, b_ob + 1)
        steps = 0
        while node is not None and steps < 5:
            if node.type in _CALL_TYPES:
                return node
            node = node.parent
            steps += 1
        return None

    def assignment(self, lhs: str, start, end, stmt, depth, scope_end, out, seen, allow_alias=True):
        lhs = lhs.rstrip()
        if not lhs:
            return
        # destructuring: const { sub, role } = ..., const { payload: { sub } } = ...
        m = re.search(r"\{([^{}]*(?:\{[^{}]*\}[^{}]*)*)\}\s*(?::\s*[^=]+)?$", lhs)
        if m and self.lang in ("javascript", "typescript", "php"):
            keys = re.findall(r"([A-Za-z_$][\w$]*)\s*(?=[:,}=]|$)", m.group(1) + ",")
            keys = [k for k in keys if k not in ("const", "let", "var")]
            for k in keys:
                kind, _ = _classify([k])
                if kind == "claim":
                    out.append(("claim", k, start))
                    return
            for k in keys:
                if _classify([k])[0] == "whole":
                    # const { payload } = jwt.decode(t, { complete: true }): follow `payload`
                    self.follow_name(k, end, depth + 1, scope_end, out, seen)
            out.append(("harmless", keys[0] if keys else "header", start))
            return
        # type annotations / declarations: claims: dict = ..., const d: JwtPayload = ..., var c jwt.MapClaims = ...
        line = re.split(r"[;\n]", lhs)[-1].strip().rstrip(", ")
        line = re.sub(r"^(?:export\s+)?(?:const|let|var|final|val|readonly|auto|my|local|global|static|private|public|protected)\s+", "", line)
        if self.lang in ("python", "typescript", "javascript"):
            m = re.match(r"^([A-Za-z_$][\w$]*)\s*:\s*[^=]+$", line)
            if m:
                line = m.group(1)
        if self.lang == "go":
            m = re.match(r"^([A-Za-z_]\w*)\s+[\w.*\[\]]+$", line)
            if m:
                line = m.group(1)
        # a member or index target: req.user = decoded, @current_user ||= ..., $_SESSION['u'] = ...
        target = re.search(r"([@$\w]+(?:\s*(?:\.|->|\?\.|::)\s*[\w$]+|\s*\[[^\]]*\])*)\s*$", line)
        tgt = target.group(1) if target else ""
        if not tgt:
            return
        if not re.fullmatch(r"\$?[A-Za-z_]\w*", tgt):
            if tgt.startswith("@") or re.match(r"(this|self|\$this)\b", tgt) or _STATE_LHS.search(tgt) or \
                    re.match(r"(req|request|res|ctx|context|c|g|session|\$_SESSION|http_?context|flask\.g|locals)\b", tgt, re.I):
                out.append(("stored", tgt, start))
            else:
                out.append(("passed", tgt, start))
            return
        # a local variable (the first of several: token, _, err := ..., payload, header = ...)
        seq = re.search(r"(\$?[A-Za-z_]\w*)\s*((?:,\s*\$?[A-Za-z_*]\w*\s*)+)$", line)
        first = seq.group(1) if seq else tgt
        if allow_alias and first not in ("_", "err"):
            # from the end of the value: `if claims, ok := t.Claims.(jwt.MapClaims); ok { ... }`
            self.follow_name(first, end, depth + 1, scope_end, out, seen)

    def follow_name(self, name: str, from_byte: int, depth: int, scope_end: int, out: list, seen: set):
        if depth > MAX_ALIASES or (name, from_byte) in seen or name in _KEYWORDS:
            return
        seen.add((name, from_byte))
        region = self.txt(from_byte, min(scope_end, from_byte + MAX_SCAN))
        esc = re.escape(name)
        rx = re.compile((r"(?<![\w$@])" if name.startswith("$") else r"(?<![\w$@])") + esc + r"(?![\w$])")
        root = self.ctx.tree.root_node
        for m in rx.finditer(region):
            if len(out) >= MAX_SITES:
                return
            i = m.start()
            before = region[max(0, i - 3):i]
            if before.endswith((".", "->", "::")) and not before.endswith("..."):
                continue
            if re.match(r"\s*(?:\|\||\?\?)?=(?!=|>)", region[m.end():]):
                if self.lang != "php" or not re.match(r"\s*=>", region[m.end():]):
                    # reassigned: later uses are of another value
                    return
            b = from_byte + len(region[:i].encode("utf-8"))
            e = b + len(m.group(0).encode("utf-8"))
            node = root.descendant_for_byte_range(b, e)
            if node is not None and ("string" in node.type or "comment" in node.type or node.type in ("string_content", "heredoc_body")):
                continue
            self.site(b, e, depth, scope_end, out, seen)


# ----------------------------------------------------------------------------------------------
# API matching
# ----------------------------------------------------------------------------------------------
def _compile(kn: dict) -> dict:
    cache = kn.get("_compiled")
    if cache is not None:
        return cache
    by_method: dict[str, list[dict]] = {}
    for group in ("apis", "verifiers", "signers"):
        for e in kn.get(group, ()):
            e = dict(e)
            e["_group"] = group
            for key in ("receiver", "callee", "file", "args_text"):
                if e.get(key):
                    e["_" + key] = re.compile(e[key])
            methods = e["method"] if isinstance(e["method"], list) else [e["method"]]
            for m in methods:
                by_method.setdefault(m, []).append(e)
    cache = {
        "by_method": by_method,
        "prefilter": re.compile(kn.get("prefilter", "(?i)jwt|jose|token")),
        "b64": re.compile(kn["b64_decoders"]) if kn.get("b64_decoders") else None,
        "segment": re.compile(kn.get("payload_segment", r"\[\s*1\s*\]")),
        "queries": [dict(q) for q in kn.get("queries", ())],
    }
    kn["_compiled"] = cache
    return cache


def _entries(call, comp, ctx) -> list[dict]:
    out = []
    for e in comp["by_method"].get(call.method, ()):
        if e.get("new") is not None and bool(e["new"]) != call.is_new:
            continue
        if e.get("bare") and call.receiver:
            continue
        if "_receiver" in e and not e["_receiver"].search(call.receiver or ""):
            continue
        if "_callee" in e and not e["_callee"].search(call.callee):
            continue
        if "_file" in e and not e["_file"].search(ctx.text):
            continue
        if "min_args" in e and len(call.args) + len(call.kwargs) < e["min_args"]:
            continue
        if "max_args" in e and len(call.args) > e["max_args"]:
            continue
        if "_args_text" in e and not e["_args_text"].search(" ".join(text(a) for a in call.args)):
            continue
        out.append(e)
    return out


def _is_false(node, ctx) -> bool:
    t = text(node).strip()
    if t in ("False", "false", "FALSE", "0") or t.lower() == "false":
        return True
    name = ctx.adapter.is_local_name(node)
    if name:
        fn = ctx.evaluator.function_of(node)
        a = ctx.facts.assignments_before(name, fn, node.start_byte)
        if a and a[-1].value is not None and a[-1].value.type != node.type:
            return _is_false(a[-1].value, ctx)
    return False


def _value_text(node, ctx, depth: int = 0) -> str:
    """The text of an argument, through one local variable (options = {...})."""
    t = text(node)
    name = ctx.adapter.is_local_name(node)
    if name and depth < 2:
        fn = ctx.evaluator.function_of(node)
        a = ctx.facts.assignments_before(name, fn, node.start_byte)
        if a and a[-1].value is not None:
            return _value_text(a[-1].value, ctx, depth + 1)
    return t


_NONE_ALG = re.compile(r"""(?i)(?:["']none["']|:none\b|SignatureAlgorithm\.NONE|Algorithm\.none\(\))""")
_VERIFY_SIG_FALSE = re.compile(r"""["']?verify_signature["']?\s*[:=]\s*False|verify_signature\s*=\s*False""")


def _judge_call(call, entry, ctx) -> tuple[str, str] | None:
    """('disabled'|'decode'|'verifier'|'signer', how) for a call that matched an entry."""
    kind = entry.get("kind", "decode")
    group = entry["_group"]
    if group == "verifiers":
        return "verifier", ""
    if group == "signers":
        return "signer", ""
    if kind == "decode":
        return "decode", entry.get("how", "decodes the token without checking its signature")
    if kind == "unsigned":
        return "disabled", entry.get("how", "accepts a token that carries no signature")
    all_args = " ".join(_value_text(a, ctx) for a in call.args) + " " + \
        " ".join(f"{k}={_value_text(v, ctx)}" for k, v in call.kwargs.items())
    if kind == "pyjwt":
        opts = call.kwargs.get("options")
        if opts is not None and _VERIFY_SIG_FALSE.search(_value_text(opts, ctx)):
            return "disabled", "is called with `options={\"verify_signature\": False}`"
        if "verify" in call.kwargs and _is_false(call.kwargs["verify"], ctx):
            return "disabled", "is called with `verify=False`"
        if len(call.args) >= 3 and _is_false(call.args[2], ctx):
            return "disabled", "is called with verification turned off (third argument `False`)"
        algs = call.kwargs.get("algorithms")
        if algs is not None and _NONE_ALG.search(_value_text(algs, ctx)):
            return "disabled", "accepts the `none` algorithm (unsigned tokens)"
        if len(call.args) >= 2 or "key" in call.kwargs:
            return "verifier", ""
        return None
    if kind == "ruby-jwt":
        if len(call.args) >= 3 and _is_false(call.args[2], ctx):
            return "disabled", "is called with `verify = false` (third argument)"
        if _NONE_ALG.search(all_args):
            return "disabled", "accepts the `none` algorithm (unsigned tokens)"
        if len(call.args) >= 2 and text(call.args[1]).strip() not in ("nil",):
            return "verifier", ""
        return None
    if kind == "php-jwt":
        if _NONE_ALG.search(all_args):
            return "disabled", "accepts the `none` algorithm (unsigned tokens)"
        if len(call.args) >= 2:
            return "verifier", ""
        return None
    if kind == "verify-options":
        if _NONE_ALG.search(all_args) and re.search(r"(?i)algorithms?", all_args):
            return "disabled", "accepts the `none` algorithm (unsigned tokens)"
        return "verifier", ""
    if kind == "js-decode":
        # jsonwebtoken decode(token[, options]) vs jwt-simple decode(token, key[, noVerify])
        if len(call.args) >= 2 and re.search(r"jwt-simple|jwt_simple|jwtSimple", ctx.text):
            second = call.args[1]
            if second.type not in ("object",) and not re.search(r"(?i)opt|complete", text(second)):
                if len(call.args) >= 3 and text(call.args[2]).strip() == "true":
                    return "disabled", "is called with `noVerify = true` (jwt-simple)"
                return "verifier", ""
        return "decode", entry.get("how", "decodes the token without checking its signature")
    if kind == "go-jwx":
        if re.search(r"WithVerify\s*\(\s*false\s*\)", all_args):
            return "disabled", "is called with `jwt.WithVerify(false)`"
        return "verifier", ""
    return None


# ----------------------------------------------------------------------------------------------
# context: scope, tests, guards
# ----------------------------------------------------------------------------------------------
def _function_chain(ctx, fn) -> list:
    chain = []
    cur = fn
    steps = 0
    while cur is not None and steps < 30:
        chain.append(cur)
        cur = ctx.evaluator.function_of(cur.node)
        steps += 1
    return chain


def _in_test(ctx, chain) -> bool:
    for f in chain:
        if ctx.language == "python" and f.name.startswith("test"):
            return True
        if ctx.language == "go" and re.match(r"^(Test|Benchmark|Fuzz)[A-Z_]", f.name or ""):
            return True
        if any(_TEST_DECORATOR.match(d) for d in f.decorators):
            return True
        if f.kind == "lambda" or f.name in ("<lambda>", "", None) or ctx.language in ("javascript", "typescript"):
            p = f.node.parent
            if p is not None and p.type in ("arguments", "argument_list", "argument"):
                p = p.parent
                if p is not None and p.type == "argument_list":
                    p = p.parent
                if p is not None:
                    fnode = p.child_by_field_name("function")
                    if fnode is not None and _TEST_CALLBACK.match(text(fnode)):
                        return True
    return False


def _guarded(ctx, chain) -> bool:
    for f in chain:
        decos = list(f.decorators) + list(f.class_decorators)
        for d in decos:
            if re.match(r"(?i)allowanonymous|permitall", d):
                return False
        if any(_GUARD.search(d) and not re.search(r"(?i)allowanonymous", d) for d in decos):
            return True
        # app.get('/x', authMiddleware, (req, res) => { ... })
        p = f.node.parent
        if f.kind == "lambda" or ctx.language in ("javascript", "typescript", "php", "go"):
            if p is not None and p.type in ("arguments", "argument_list"):
                others = [c for c in p.named_children if c.id != f.node.id and c.type != "comment"]
                if len(others) >= 2 and any(_MIDDLEWARE_ARG.search(text(o)) and len(text(o)) < 80
                                            and not re.match(r"[\"'`]", text(o)) for o in others[1:]):
                    return True
    return False


def _within(node, fn) -> bool:
    return fn.node.start_byte <= node.start_byte and node.end_byte <= fn.node.end_byte


# ----------------------------------------------------------------------------------------------
# the check
# ----------------------------------------------------------------------------------------------
def check(ctx, rule) -> Iterator[Finding]:
    if ctx.adapter is None or ctx.tree is None:
        return
    kn = ctx.adapter.knowledge.get("jwt_unverified")
    if not kn:
        return
    comp = _compile(kn)
    if not comp["prefilter"].search(ctx.text):
        return
    if _TEST_PATH.search(ctx.path.replace("\\", "/")):
        return
    facts = ctx.facts
    candidates = []
    verifiers, signers = [], []
    for call in facts.calls:
        if call.node.has_error:
            continue
        for entry in _entries(call, comp, ctx):
            judged = _judge_call(call, entry, ctx)
            if judged is None:
                continue
            what, how = judged
            if what == "verifier":
                verifiers.append(call)
            elif what == "signer":
                signers.append(call)
            else:
                candidates.append((call.node, call.function, entry, what, how,
                                   entry.get("label") or _short_callee(call), call))
            break
    # a hand-made decode of the payload segment: json_decode(base64_decode(explode('.', $jwt)[1]))
    if comp["b64"] is not None:
        for call in facts.calls:
            if call.node.has_error or not comp["b64"].search(call.callee):
                continue
            if _manual_payload(call, comp, ctx):
                candidates.append((call.node, call.function, {"library": "hand-made decode", "kind": "decode", "identity_only": True}, "decode",
                                   "decodes the payload segment by hand, without checking the signature",
                                   _short_callee(call), call))
    for q in comp["queries"]:
        for node, fn, entry, what, how, label in _query_hits(ctx, q):
            candidates.append((node, fn, entry, what, how, label, None))
    if not candidates:
        return
    # report the outermost of nested candidates (Jwts.parser().unsecured()...parseUnsecuredClaims(t))
    spans = [(c[0].start_byte, c[0].end_byte, c[0].id) for c in candidates]
    candidates = [c for c in candidates
                  if not any(s <= c[0].start_byte and c[0].end_byte <= e and i != c[0].id and (e - s) > (c[0].end_byte - c[0].start_byte)
                             for s, e, i in spans)]
    tracer = _Tracer(ctx, kn)
    client_side = bool(_CLIENT_SIDE.search(ctx.text)) if ctx.language in ("javascript", "typescript") else False
    reported: set[int] = set()
    for node, fn, entry, what, how, label, call in candidates:
        if node.id in reported:
            continue
        chain = _function_chain(ctx, fn)
        if _in_test(ctx, chain):
            continue
        if chain and _AWARE_NAME.search(chain[0].name or ""):
            continue  # a helper that says what it does: unsafe_claims(), decodeWithoutVerification()
        if entry.get("always"):
            reported.add(node.id)
            yield _finding(ctx, rule, node, entry, label, how, entry.get("evidence", "every token it accepts is trusted"))
            continue
        if _guarded(ctx, chain):
            continue
        if what == "decode" and client_side:
            continue  # browser / app code reading its own session token: nothing server-side trusts it
        if _cleared_by(verifiers, fn, chain, node) or _cleared_by(signers, fn, chain, node, before_only=True):
            continue
        sites = _sites(ctx, tracer, node, fn, call, entry)
        if entry.get("identity_only"):
            # the weakest evidence (a hand-made decode): only identity claims count as trust
            sites = [s for s in sites if s[0] != "claim" or _IDENTITY.search(_norm(s[1] or ""))]
        evidence = _evidence(sites, what)
        if evidence is None:
            continue
        reported.add(node.id)
        yield _finding(ctx, rule, node, entry, label, how, evidence)


def _short_callee(call) -> str:
    c = call.callee
    if "(" in c or len(c) > 40:
        return call.method
    return c


def _cleared_by(calls, fn, chain, node, before_only: bool = False) -> bool:
    """A verification (or, before_only: a signing that precedes the decode) in the same function,
    an enclosing one or a callback inside it."""
    ids = {f.node.id for f in chain}
    for c in calls:
        if c.node.id == node.id or (before_only and c.node.start_byte >= node.start_byte):
            continue
        if fn is None:
            if c.function is None:
                return True
            continue
        if (c.function is not None and c.function.node.id in ids) or _within(c.node, fn):
            return True
    return False


def _sites(ctx, tracer: _Tracer, node, fn, call, entry) -> list:
    scope_end = fn.node.end_byte if fn is not None else min(len(ctx.source), node.end_byte + MAX_SCAN)
    out: list = []
    seen: set = set()
    if entry.get("claims_arg") is not None and call is not None and len(call.args) > entry["claims_arg"]:
        arg = call.args[entry["claims_arg"]]
        m = re.fullmatch(r"&?\s*([A-Za-z_]\w*)", text(arg).strip())
        if m:
            tracer.follow_name(m.group(1), call.node.end_byte, 1, scope_end, out, seen)
    if entry.get("track_result", True):
        outer = tracer.climb(node)
        tracer.site(outer.start_byte, outer.end_byte, 0, scope_end, out, seen)
    return out


def _line(ctx, byte: int) -> int:
    return ctx.line_col(byte)[0]


def _evidence(sites: list, what: str) -> str | None:
    trusted = [s for s in sites if s[0] in ("claim", "returned", "stored", "auth-call")]
    if trusted:
        # prefer the most telling evidence
        order = {"claim": 0, "stored": 1, "auth-call": 2, "returned": 3}
        trusted.sort(key=lambda s: (order[s[0]], s[2]))
        k, name, _ = trusted[0]
        if k == "claim":
            return f"the claim `{name}` is read from it"
        if k == "stored":
            return f"it is stored in `{name}`" if name else "it is stored in an object"
        if k == "auth-call":
            return f"it is handed to `{name}`"
        return "the claims are returned to the caller"
    if what == "disabled":
        passed = [s for s in sites if s[0] == "passed"]
        if passed:
            return f"it is passed to `{passed[0][1]}`"
        if not sites:
            return "its result is used with no check"
    return None


def _finding(ctx, rule, node, entry, label, how, evidence):
    lib = entry.get("library", "")
    api = label if len(label) <= 60 else label.split(".")[-1]
    return ctx.finding(rule, node, {"api": api, "library": lib, "how": how, "evidence": evidence},
                       properties={"library": lib, "api": api})


_SPLIT_DOT = re.compile(r"""(split|explode|Split|SplitN)\s*\((?:[^()]*,\s*)?\s*(?:["']\\*\.["']|'\\\\.'|/\\\.\/|'\\.')""")
_SEGMENT_NAME = re.compile(r"(?i)\b\$?(payload|body|claims)_?(b64|64|segment|seg|part|encoded|raw|str|base64|b64url)\b"
                           r"|\b\$?(encoded|raw|b64|base64)_?(payload|body|claims)\b|\$?bodyb64\b")


def _manual_payload(call, comp, ctx) -> bool:
    """base64-decoding the second segment of a dotted token: `parts[1]` of a split on '.',
    `explode('.', $t)[1]`, or a variable named like the payload segment (payload_b64, $bodyb64)."""
    if not call.args:
        return False
    arg = call.args[0]
    texts = [text(arg)]
    fn = call.function
    names = set(re.findall(r"\$?[A-Za-z_]\w*", text(arg)))
    seen = set()
    for _ in range(3):
        nxt = set()
        for name in names - seen:
            seen.add(name)
            for a in ctx.facts.assignments_before(name, fn, arg.start_byte)[-1:]:
                if a.value is not None:
                    t = text(a.value)
                    texts.append(t)
                    nxt.update(re.findall(r"\$?[A-Za-z_]\w*", t))
        names = nxt
        if not names - seen:
            break
    joined = "\n".join(texts)
    if _SEGMENT_NAME.search(text(arg)) or _SEGMENT_NAME.search(joined):
        return True
    # the second name of a destructured split: [$header, $body, $sig] = explode('.', $jwt),
    # header, payload, sig = token.split("."), const [, payload] = token.split('.')
    region = text(fn.node) if fn is not None else ctx.text[:MAX_SCAN]
    for name in sorted(seen | {n for n in re.findall(r"\$?[A-Za-z_]\w*", text(arg))}):
        rx = (r"(?:\[|list\s*\(|^|[\s;{])\s*(?:\$?\w+)?\s*,\s*" + re.escape(name) +
              r"\s*(?:,[^=\n;]*)?[\])]?\s*:?=\s*[^\n;]*?" + _SPLIT_DOT.pattern)
        if re.search(rx, region, re.M):
            return True
    return bool(comp["segment"].search(joined) and _SPLIT_DOT.search(joined))


def _query_hits(ctx, q: dict):
    """Configuration that turns verification off, found by a small tree-sitter query."""
    query = q.get("_q")
    if query is None:
        query = compile_query(ctx.adapter.ts_language, q["query"])
        q["_q"] = query
    import tree_sitter as ts

    for _, caps in ts.QueryCursor(query).matches(ctx.tree.root_node):
        nodes = caps.get("report")
        if not nodes:
            continue
        node = nodes[0]
        if any(n.has_error for ns in caps.values() for n in ns):
            continue
        fn = ctx.evaluator.function_of(node)
        entry = {"library": q.get("library", ""), "always": bool(q.get("always", True)),
                 "kind": "unsigned", "track_result": q.get("track_result", False),
                 "evidence": q.get("evidence", "every token it accepts is trusted")}
        names = {k: text(v[0]) for k, v in caps.items() if v}
        label = q.get("label", text(node)[:60])
        try:
            label = label.format(**names)
        except (KeyError, IndexError, ValueError):
            pass
        yield node, fn, entry, "disabled", q.get("how", "turns signature verification off"), label
