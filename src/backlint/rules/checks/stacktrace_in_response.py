"""stacktrace-in-response: a stack trace or raw exception text sent to the HTTP client, and debug
error pages switched on in production configuration (CWE-209).

Responses. The exception is the one bound by the enclosing handler: `except ... as e`,
`catch (e)`, `catch (Exception ex)`, `rescue => e`, a Go `err` (any value whose `.Error()` is
called, or an err-named variable), an error-handling function's exception parameter (Express
`(err, req, res, next)`, Fastify `setErrorHandler`, Hono `onError`, a NestJS `@Catch` filter,
Spring `@ExceptionHandler`, Flask `errorhandler`, Laravel `render(Throwable $e)`, ASP.NET
`ExceptionContext.Exception` / `IExceptionHandlerFeature.Error`, `rescue_from ... do |e|`).
A *leak* is the exception turned into text (`str(e)`, `e.message`, `e.getMessage()`,
`err.Error()`, `ex.ToString()`, interpolation, concatenation, a format verb), its stack trace
(`traceback.format_exc()`, `err.stack`, `e.backtrace`, `getTraceAsString()`, a `StringWriter`
filled by `printStackTrace`), or the exception object itself serialised into a response. Sinks
are the framework calls that write a response (knowledge.d/errors.yaml `stacktrace_in_response`,
`sinks:`), plus the return value of route handlers, Koa's `ctx.body =` and PHP's `echo`/`print`.
The payload of a sink is searched (bounded) through literals, string building, formatting,
DTO constructors and the local variables it was built from.

Clean (no finding):
- the exception is of a client / validation type (ValueError, ValidationError,
  IllegalArgumentException, ArgumentException, RecordInvalid, *NotFound*, BadRequest*, ...),
  by its catch clause, its handler's declared type or an enclosing `instanceof` / `isinstance` /
  `is_a?` / `errors.Is` / `errors.As` / `err == ErrX` test (Go sentinel errors);
- the try body only parses or validates client input (JSON.parse, schema.parse, ShouldBindJSON,
  strconv.Atoi, ...), or a Go error comes from such a call or is built from a constant message;
- the leak or the sink sits under a development / debug condition (`NODE_ENV !== 'production'`,
  `app.debug`, `env.IsDevelopment()`, `Rails.env.development?`, `config('app.debug')`, ...);
- logging (`logger.exception`, `console.error(err.stack)`, `log.Printf`) is not a sink.

Debug configuration: Flask / Dash `run(debug=True)`, FastAPI/Starlette `debug=True`,
`app.debug = True`; Django `DEBUG = True` in a settings module whose path is not dev/local/test;
ASP.NET `UseDeveloperExceptionPage()` / `UseDatabaseErrorPage()` outside an environment check;
Rails `consider_all_requests_local = true` in `config/environments/production.rb`; Laravel
`APP_DEBUG=true` (and DEBUG/FLASK_DEBUG) in a production dotenv file; `'debug' => true` in
Laravel's config/app.php; PHP `ini_set('display_errors', 1)`; Express `errorhandler()`; Echo
`e.Debug = true` — each unless under a development condition.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterator

import tree_sitter as ts

from ...languages.base import compile_query, squash, text
from ...model import Related
from ._common import short

MAX_VISIT = 600  # nodes visited per sink payload
MAX_VAR_DEPTH = 4  # local variables followed per leak search
MAX_CLIMB = 400  # ancestors examined when looking for gates
MAX_NEST = 80  # nested expressions followed in one leak search (no unbounded recursion)

# -- exception types that carry messages meant for the client -----------------------------------
_CLIENT_TYPE = re.compile(
    r"^(ValueError|KeyError|UnicodeDecodeError|JSONDecodeError|ValidationError|ValidationException|"
    r"\w*Validation(Error|Exception|Errors|Failed\w*)|\w*NotFound(Error|Exception|HttpException)?|NotFound|"
    r"DoesNotExist|ObjectDoesNotExist|MultipleObjectsReturned|Http404|Invalid\w*(Error|Exception)|"
    r"\w*Invalid(Error|Exception)|IllegalArgumentException|NumberFormatException|DateTimeParseException|"
    r"MethodArgumentNotValidException|MethodArgumentTypeMismatchException|MissingServletRequest\w*Exception|"
    r"MissingRequestHeaderException|HttpMessageNotReadableException|HttpRequestMethodNotSupportedException|"
    r"HttpMediaTypeNotSupportedException|BindException|ServletRequestBindingException|"
    r"TypeMismatchException|WebExchangeBindException|ServerWebInputException|"
    r"BadRequest\w*|\w*BadRequest(Error|Exception)|ArgumentException|ArgumentNullException|"
    r"ArgumentOutOfRangeException|FormatException|JsonException|JsonReaderException|JsonSerializationException|"
    r"JsonParseException|JsonMappingException|MismatchedInputException|RecordInvalid|RecordNotFound|"
    r"ParameterMissing|UnpermittedParameters|InvalidAuthenticityToken|Unauthorized\w*|\w*Unauthorized(Error|Exception)|"
    r"Forbidden\w*|\w*Forbidden(Error|Exception)|AccessDenied\w*|\w*AccessDenied(Error|Exception)|"
    r"PermissionDenied|NotAuthenticated|AuthenticationFailed|AuthenticationException|AuthorizationException|"
    r"\w*Auth(entication|orization)(Error|Exception)|Conflict\w*|\w*Conflict(Error|Exception)|"
    r"UnprocessableEntity\w*|\w*Client(Error|Exception)|UserInput\w*|\w*UserInput(Error|Exception)|"
    r"\w*Business(Error|Exception|RuleException)|\w*Domain(Error|Exception)|DomainException|CastError|SyntaxError|"
    r"ZodError|YupValidationError|\w*Http(Error|Exception)|HttpException|HTTPException|APIError|ApiError|AppError|"
    r"ApiException|AppException|ApplicationError|OperationalError|PublicError|UserError|UserFacing\w*|"
    r"ExpectedError|KnownError|\w*ValidationProblem\w*|ModelNotFoundException|TokenMismatchException|"
    r"ThrottleRequestsException|TooManyRequests\w*|RequestValidationError|WebApplicationException|"
    r"ResponseStatusException|ErrorResponseException|ProblemDetailsException|InputMismatchException|"
    r"EntityNotFoundException|NoSuchElementException|EmptyResultDataAccessException|KeyNotFoundException|"
    r"UsernameNotFoundException|BadCredentialsException|DuplicateKeyException?|Duplicate\w*(Error|Exception)|"
    r"\w*AlreadyExists(Error|Exception)?|\w*Exists(Error|Exception)|InvalidInput|InvalidRequest|"
    r"ParseError|ParseException|JSON::ParserError|ParserError|ArgumentError|RoutingError|UnknownFormat|"
    r"InvalidArgument|ActionController::\w+|Pundit::NotAuthorizedError|NotAuthorizedError|CanCan::AccessDenied)$")
# messages of these name the server's files, operations or state, whatever the name suggests
_NOT_CLIENT_TYPE = re.compile(
    r"^(InvalidOperation\w*|InvalidCast\w*|InvalidProgram\w*|InvalidKey\w*|InvalidPath\w*|InvalidClass\w*|"
    r"InvalidAlgorithm\w*|InvalidDataAccess\w*|InvalidState\w*|InvalidTransaction\w*|InvalidResultSetAccess\w*|"
    r"FileNotFound\w*|DirectoryNotFound\w*|ModuleNotFound\w*|ClassNotFound\w*|NoSuchFile\w*|NoSuchMethod\w*|"
    r"NoSuchField\w*|PermissionError|InvalidUseOfMatchers\w*|HttpRequestException|HttpClientErrorException|"
    r"HttpServerErrorException|RestClientException|ClientProtocolException|ClientResponseError|ClientError|"
    r"ClientException|GuzzleException|RequestException|ServiceException|DataIntegrityViolationException|"
    r"SqlException|SQLException|DbUpdateException|IntegrityError|OperationalError|DatabaseError)$")

# a condition about the environment / debug mode: what it guards is not production behaviour
_DEV_TOKEN = re.compile(
    r"^(?:(?:is|in)_?)?(?:dev|develop|development|devel|debug|debug_?mode|dev_?mode|local|prod|production|"
    r"non_?prod|development_?mode|debugging|staging)(?:_?(?:env|environment|mode|enabled|build))?$|"
    r"^(?:isdevelopment|isproduction|isstaging|is_?debug|isdebugmode|hasdebugmodeenabled|show_?errors?|"
    r"expose_?errors?|show_?exceptions?|expose_?stack\w*|include_?stack\w*|include_?(?:error_?)?details?|"
    r"verbose_?errors?|detailed_?errors?|__dev__|debugmode|isdevmode|isdev|inproduction|isprod|"
    r"isproductionenv|devmode|releasemode|debugmodeenabled|debug_?enabled|enable_?debug|app_debug|"
    r"flask_debug|django_debug)$", re.I)
# names of environment switches: a condition on them is about the environment when it is compared
# with an environment name (`NODE_ENV !== 'test'` is not)
_ENV_VAR = re.compile(r"^(?:node_env|app_env|rails_env|rack_env|flask_env|go_env|gin_mode|aspnetcore_environment|"
                      r"dotnet_environment|environmentname|environment|env)$", re.I)
_TOKEN = re.compile(
    r"^(?:(?:is|in)_?)?(?:dev|develop|development|devel|debug|debug_?mode|dev_?mode|local|prod|production|"
    r"non_?prod|development_?mode|debugging)(?:_?(?:env|environment|mode|enabled|build))?$|"
    r"^(?:node_env|app_env|rails_env|rack_env|flask_env|flask_debug|app_debug|django_debug|go_env|gin_mode|"
    r"aspnetcore_environment|dotnet_environment|isdevelopment|isproduction|isstaging|is_?debug|isdebugmode|"
    r"hasdebugmodeenabled|show_?errors?|expose_?errors?|show_?exceptions?|expose_?stack\w*|include_?stack\w*|"
    r"include_?(?:error_?)?details?|verbose_?errors?|detailed_?errors?|__dev__|debugmode|debugmode|"
    r"isdevmode|isdev|inproduction|isprod|isproductionenv|devmode|releasemode|debugmodeenabled|"
    r"istesting|environmentname|isenvironment|debug_?enabled|enable_?debug)$", re.I)
_TOKEN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# `err.status < 500`, `err.expose`, `err.isOperational`: the error declares its message public
_EXPOSED = re.compile(r"\.(validation|isJoi|isBoom)\b|\b(isOperational|is_operational|expose|exposed|isPublic|is_public|userFacing|isClientError|is_client_error|isUserError)\b|"
                      r"\b(status|statusCode|status_code|code|getStatus\(\)|StatusCode)\s*<\s*500\b")
_NEGATED = re.compile(r"^\s*(!|not\b|unless\b)|!\s*\(\s*\$?\w+\s+(instanceof|is)\b|\bnot\s+isinstance\b|!\s*errors\.(Is|As)\b|!\s*\w+\.is_a\?|!\s*\(?\s*\$?\w+\s+instanceof\b")

# Python Django/Flask settings modules: a path part that says dev / local / test keeps DEBUG off the hook
_DEV_PATH = re.compile(r"(?i)(^|[/_.\-])(dev|devel|develop|development|local|test|tests|testing|ci|debug|example|sample|demo)([/_.\-]|$)")
_LOGGING = re.compile(r"^(console|log|logger|logging|_logger|this\.logger|this\._logger|self\.logger|self\.log|Log|Logger|"
                      r"LOG|LOGGER|app\.logger|current_app\.logger|Rails\.logger|request\.log|req\.log|ctx\.log|fastify\.log|"
                      r"this\.log|slog|zap|logrus|Sentry|sentry_sdk)\.|^(print|println|puts|p|error_log|report|next|"
                      r"logger|log|console)$")
_TEST_PATH = re.compile(r"(?i)(^|/)(tests?|spec|specs|__tests__|testing)/|(^|/)(test_[^/]*|[^/]*_test|[^/]*_spec|conftest)\.\w+$")
_SETTINGS_PATH = re.compile(r"(?i)(^|/)([\w-]*settings[\w-]*\.py|settings/[\w-]+\.py|(config|conf)/(production|prod|staging|base|common)\.py)$")


@dataclass
class Scope:
    node: ts.Node  # the region where the exception is bound
    roots: frozenset  # normalised expressions that name the exception
    types: tuple  # declared exception types (last names); empty when unknown / any
    kind: str  # catch | handler
    try_body: ts.Node | None = None
    try_end: int | None = None  # Ruby: the protected code ends where the first rescue starts


@dataclass
class Leak:
    node: ts.Node
    kind: str  # "stack trace" | "exception message" | "exception"
    scope: Scope | None


@dataclass
class Sink:
    node: ts.Node
    label: str
    payload: list
    allow_bare: bool = True
    in_string: bool = False
    kind: str | None = None  # what the sink itself makes of the exception (printStackTrace: a stack trace)


# -- grammar profiles ---------------------------------------------------------------------------
_P: dict[str, dict[str, Any]] = {
    "python": dict(
        ident={"identifier"}, member={"attribute": ("object", "attribute")}, subscript={"subscript": "value"},
        calls={"call"}, funcs={"function_definition", "lambda"}, unwrap={"parenthesized_expression", "await"},
        stringy={"string", "concatenated_string", "interpolation"}, binary={"binary_operator", "boolean_operator"},
        stop={"comparison_operator", "not_operator", "lambda"}, ternary={"conditional_expression"},
        pair={"pair": "value", "keyword_argument": "value"},
    ),
    "javascript": dict(
        ident={"identifier", "shorthand_property_identifier"},
        member={"member_expression": ("object", "property")}, subscript={"subscript_expression": "object"},
        calls={"call_expression", "new_expression"},
        funcs={"arrow_function", "function_expression", "function_declaration", "method_definition",
               "generator_function", "generator_function_declaration", "class", "class_declaration"},
        unwrap={"parenthesized_expression", "await_expression", "as_expression", "non_null_expression",
                "satisfies_expression", "type_assertion"},
        stringy={"template_string", "template_substitution"}, binary={"binary_expression"},
        stop={"unary_expression", "update_expression"}, ternary={"ternary_expression"},
        pair={"pair": "value"},
    ),
    "go": dict(
        ident={"identifier"}, member={"selector_expression": ("operand", "field")},
        subscript={"index_expression": "operand", "slice_expression": "operand"},
        calls={"call_expression"}, funcs={"func_literal", "function_declaration", "method_declaration"},
        unwrap={"parenthesized_expression"}, stringy=set(), binary={"binary_expression"},
        stop={"unary_expression"}, ternary=set(), pair={},
    ),
    "java": dict(
        ident={"identifier"}, member={"field_access": ("object", "field")}, subscript={"array_access": "array"},
        calls={"method_invocation", "object_creation_expression"},
        funcs={"lambda_expression", "method_declaration", "constructor_declaration", "class_body"},
        unwrap={"parenthesized_expression", "cast_expression"}, stringy=set(), binary={"binary_expression"},
        stop={"instanceof_expression", "unary_expression"}, ternary={"ternary_expression"}, pair={},
    ),
    "ruby": dict(
        ident={"identifier", "global_variable"}, member={}, subscript={"element_reference": "object"},
        calls={"call"}, funcs={"method", "singleton_method", "lambda", "block", "do_block"},
        unwrap={"parenthesized_statements"}, stringy={"string", "interpolation", "heredoc_body"},
        binary={"binary"}, stop={"unary"}, ternary={"conditional"}, pair={"pair": "value"},
    ),
    "php": dict(
        ident={"variable_name"},
        member={"member_access_expression": ("object", "name"), "nullsafe_member_access_expression": ("object", "name")},
        subscript={"subscript_expression": None},
        calls={"function_call_expression", "member_call_expression", "nullsafe_member_call_expression",
               "scoped_call_expression", "object_creation_expression"},
        funcs={"anonymous_function", "arrow_function", "function_definition", "method_declaration"},
        unwrap={"parenthesized_expression", "cast_expression"}, stringy={"encapsed_string", "heredoc"},
        binary={"binary_expression"}, stop={"unary_op_expression"}, ternary={"conditional_expression"},
        pair={},
    ),
    "csharp": dict(
        ident={"identifier"}, member={"member_access_expression": ("expression", "name")},
        subscript={"element_access_expression": "expression"},
        calls={"invocation_expression", "object_creation_expression", "implicit_object_creation_expression"},
        funcs={"lambda_expression", "anonymous_method_expression", "method_declaration", "local_function_statement"},
        unwrap={"parenthesized_expression", "cast_expression", "await_expression", "postfix_unary_expression"},
        stringy={"interpolated_string_expression", "interpolation"}, binary={"binary_expression"},
        stop={"prefix_unary_expression", "is_pattern_expression", "is_expression"},
        ternary={"conditional_expression"}, pair={"assignment_expression": "right"},
    ),
}
_P["typescript"] = _P["javascript"]

_STRING_OPS = {"+", ".", "%", "<<", "||", "??", "&&", "or", "and", "?:"}
_COMPARE_OPS = {"==", "===", "!=", "!==", "<", ">", "<=", ">=", "instanceof", "in", "is", "not in", "is not",
                "<=>", "=~", "!~", "eq", "ne"}
_REDUCERS = {"length", "size", "count", "isEmpty", "empty?", "any?", "none?", "blank?", "present?", "nil?",
             "startsWith", "endsWith", "includes", "contains", "Contains", "StartsWith", "EndsWith", "include?",
             "start_with?", "end_with?", "match", "match?", "test", "equals", "Equals", "hashCode", "GetHashCode",
             "GetType", "getClass", "class", "is_a?", "kind_of?", "instance_of?", "Length", "Count", "isBlank",
             "indexOf", "IndexOf", "search", "localeCompare", "__class__", "__name__", "name", "Name", "getName",
             "getSimpleName", "constructor", "status", "statusCode", "code", "Code", "getStatus", "getStatusCode",
             "HResult", "errno", "getErrorCode", "ErrorCode", "Number", "SqlState", "getSQLState"}


def _norm(s: str) -> str:
    return squash(s).replace("?.", ".").replace("&.", ".").replace("!.", ".").replace("?->", "->")


def _last_name(s: str) -> str:
    s = s.strip().lstrip("\\").rstrip("?")
    s = re.sub(r"<.*>$", "", s)
    s = re.sub(r"\.class$", "", s)
    return re.split(r"[.\\:]+", s)[-1] if s else s


def _is_client_type(name: str) -> bool:
    n = _last_name(name)
    full = name.strip().lstrip("\\")
    if not n or _NOT_CLIENT_TYPE.match(n):
        return False
    return bool(_CLIENT_TYPE.match(n) or _CLIENT_TYPE.match(full))


def _short(s: str, n: int = 60) -> str:
    return short(s, n)


def _tokens(s: str) -> list[str]:
    return _TOKEN.findall(s)


def _dev_condition(s: str) -> bool:
    toks = _tokens(s)
    if any(_DEV_TOKEN.match(t) for t in toks):
        return True
    return any(_ENV_VAR.match(t) for t in toks) and \
        bool(re.search(r"['\"](development|dev|local|debug|production|prod|staging)['\"]", s, re.I))


# -- compiled per-language queries (once per grammar) --------------------------------------------
_SCOPE_QUERIES = {
    "python": "(except_clause) @scope",
    "javascript": "(catch_clause) @scope",
    "typescript": "(catch_clause) @scope",
    "java": "(catch_clause) @scope",
    "ruby": "(rescue) @scope",
    "php": "(catch_clause) @scope",
    "csharp": "(catch_clause) @scope",
}
_NONCALL_QUERIES = {
    "python": "(return_statement) @ret",
    "javascript": "(return_statement) @ret (assignment_expression left: (member_expression) @lhs) @assign",
    "typescript": "(return_statement) @ret (assignment_expression left: (member_expression) @lhs) @assign",
    "java": "(return_statement) @ret",
    "php": "(return_statement) @ret (echo_statement) @echo (print_intrinsic) @echo (exit_statement) @echo",
    "csharp": "(return_statement) @ret (arrow_expression_clause) @ret",
    "ruby": "(array) @rack",
}


def _query(ctx, src: str):
    return compile_query(ctx.tree.language, src)


def _captures(ctx, src: str, node=None) -> dict:
    q = _query(ctx, src)
    return ts.QueryCursor(q).captures(node if node is not None else ctx.tree.root_node)


def _contains(outer: ts.Node, inner: ts.Node) -> bool:
    return outer.start_byte <= inner.start_byte and inner.end_byte <= outer.end_byte


# ================================================================================================
class _Analysis:
    def __init__(self, ctx, rule):
        self.ctx = ctx
        self.rule = rule
        self.lang = ctx.language
        self.p = _P[self.lang]
        self.kn = ctx.adapter.knowledge.get("stacktrace_in_response", {})
        self.facts = ctx.facts
        self.ev = ctx.evaluator
        self.calls_by_id = {c.node.id: c for c in self.facts.calls}
        self.fn_by_id = {f.node.id: f for f in self.facts.functions}
        self.leak_members = self.kn.get("leak_members", {}) or {}
        self.leak_methods = self.kn.get("leak_methods", {}) or {}
        self.derived = set(self.kn.get("derived", []) or [])
        self.wrappers = self.kn.get("wrappers", {}) or {}
        self.globals = self.kn.get("globals", {}) or {}
        self.stringify = set(self.kn.get("stringify", []) or [])
        self.structure = set(self.kn.get("structure", []) or [])
        vc = self.kn.get("validation_calls")
        self.validation_re = re.compile(vc) if vc else None
        self.scopes: list[Scope] = []
        self._sink_ids: set[int] = set()
        self._valid_memo: dict[int, bool] = {}
        self._scope_by_node: dict[int, list[Scope]] = {}
        self._calls_by_fn_recv: dict | None = None
        self._nest = 0
        self._pst: list | None = None
        self._calls_sorted: list | None = None
        self._call_starts: list = []
        self._visits = 0

    # -- scopes ---------------------------------------------------------------------------------
    def find_scopes(self) -> None:
        lang = self.lang
        src = _SCOPE_QUERIES.get(lang)
        if src:
            for n in _captures(self.ctx, src).get("scope", []):
                if n.has_error:
                    continue
                s = getattr(self, f"_scope_{lang if lang != 'typescript' else 'javascript'}")(n)
                if s is not None:
                    self.scopes.append(s)
        for fn in self.facts.functions:
            if fn.node.has_error:
                continue
            s = self._function_scope(fn)
            if s is not None:
                self.scopes.append(s)
        if lang == "ruby":
            self._ruby_block_scopes()
        self.scopes.sort(key=lambda s: (s.node.start_byte, -s.node.end_byte))
        for sc in self.scopes:
            self._scope_by_node.setdefault(sc.node.id, []).append(sc)

    def _scope_python(self, n: ts.Node) -> Scope | None:
        pat = next((c for c in n.named_children if c.type == "as_pattern"), None)
        if pat is None:
            return None
        alias = pat.child_by_field_name("alias")
        var = None
        if alias is not None:
            var = next((c for c in alias.named_children if c.type == "identifier"), None)
        if var is None:
            return None
        typ = pat.named_children[0] if pat.named_children else None
        types = tuple(text(t) for t in (typ.named_children if typ is not None and typ.type == "tuple" else [typ]) if t is not None)
        try_body = n.parent.child_by_field_name("body") if n.parent is not None else None
        return Scope(n, frozenset({text(var)}), types, "catch", try_body)

    def _scope_javascript(self, n: ts.Node) -> Scope | None:
        par = n.child_by_field_name("parameter")
        if par is None:
            return None
        if par.type == "identifier":
            roots = {text(par)}
        elif par.type == "object_pattern":
            roots = {text(c) for c in par.named_children if c.type == "shorthand_property_identifier_pattern"}
        else:
            return None
        try_body = n.parent.child_by_field_name("body") if n.parent is not None else None
        return Scope(n, frozenset(roots), (), "catch", try_body)

    def _scope_java(self, n: ts.Node) -> Scope | None:
        par = next((c for c in n.named_children if c.type == "catch_formal_parameter"), None)
        if par is None:
            return None
        name = par.child_by_field_name("name")
        ct = next((c for c in par.named_children if c.type == "catch_type"), None)
        types = tuple(text(t) for t in ct.named_children) if ct is not None else ()
        try_body = n.parent.child_by_field_name("body") if n.parent is not None else None
        return Scope(n, frozenset({text(name)}), types, "catch", try_body) if name is not None else None

    def _scope_ruby(self, n: ts.Node) -> Scope | None:
        var = n.child_by_field_name("variable")
        ident = next((c for c in var.named_children if c.type == "identifier"), None) if var is not None else None
        exc = n.child_by_field_name("exceptions")
        types = tuple(text(t) for t in exc.named_children) if exc is not None else ()
        roots = {"$!"}
        if ident is not None:
            roots.add(text(ident))
        # the protected body: the statements of the begin / method body before the first rescue
        parent = n.parent
        first = next((c for c in parent.named_children if c.type == "rescue"), n) if parent is not None else n
        return Scope(n, frozenset(roots), types, "catch", parent, first.start_byte)

    def _scope_php(self, n: ts.Node) -> Scope | None:
        name = n.child_by_field_name("name")
        if name is None:
            return None
        tl = n.child_by_field_name("type")
        types = tuple(text(t) for t in tl.named_children) if tl is not None else ()
        try_body = n.parent.child_by_field_name("body") if n.parent is not None else None
        return Scope(n, frozenset({text(name)}), types, "catch", try_body)

    def _scope_csharp(self, n: ts.Node) -> Scope | None:
        decl = next((c for c in n.named_children if c.type == "catch_declaration"), None)
        if decl is None:
            return None
        name = decl.child_by_field_name("name")
        typ = decl.child_by_field_name("type")
        if name is None:
            return None
        types = (text(typ),) if typ is not None else ()
        flt = next((c for c in n.named_children if c.type == "catch_filter_clause"), None)
        if flt is not None:
            m = re.search(r"\bis\s+([\w.]+)", text(flt))
            if m:
                types = (m.group(1),)
        try_body = n.parent.child_by_field_name("body") if n.parent is not None else None
        return Scope(n, frozenset({text(name)}), types, "catch", try_body)

    def _function_scope(self, fn) -> Scope | None:
        """Functions whose parameter is the exception: error middleware / handlers / filters."""
        lang = self.lang
        node = fn.node
        typed = self._typed_params(node)
        roots: set[str] = set()
        types: list[str] = []
        for name, typ in typed:
            if typ and re.search(r"(Exception|Error|Throwable)\??$", typ.strip()) and \
                    not re.search(r"(ErrorHandler|Errors|ErrorResponse|ErrorDto)$", typ.strip()):
                roots.add(name)
                types.append(typ)
            elif lang == "csharp" and typ and re.search(r"^(ExceptionContext|ExceptionFilterContext)$", typ.strip()):
                roots.add(f"{name}.Exception")
        deco_types: list[str] = []
        if lang == "python":
            hd = self.kn.get("handler_decorators")
            for d in fn.decorators:
                if hd and re.search(hd, d):
                    m = re.search(r"\((.*)\)", d)
                    deco_types.extend(x.strip() for x in (m.group(1).split(",") if m else []))
                    for p in fn.params:
                        if p not in ("self", "cls", "request", "req", "context", "ctx"):
                            roots.add(p)
            if not roots and re.search(r"(?i)(exception_?handler|error_?handler|handle_?\w*(exception|error)s?|"
                                       r"on_?error|(server|internal|unhandled|generic|global|http|api)_?(error|exception))$",
                                       fn.name or ""):
                roots.update(p for p in fn.params if re.fullmatch(r"(e|exc|ex|err|error|exception)", p))
        elif lang in ("javascript", "typescript"):
            params = fn.params
            if len(params) >= 4 and re.fullmatch(r"(err|error|e|ex|exc|exception)", params[0] or ""):
                roots.add(params[0])
            elif params and self._callback_of(node, ("setErrorHandler", "onError", "catch", "errorHandler", "handleError")):
                roots.add(params[0])
            elif fn.name == "catch" and fn.kind == "method" and params and \
                    any(d.startswith("Catch") for d in fn.class_decorators):
                roots.add(params[0])
                for d in fn.class_decorators:
                    m = re.match(r"Catch\((.*)\)$", d)
                    if m and m.group(1).strip():
                        deco_types.extend(x.strip() for x in m.group(1).split(","))
            elif any(re.fullmatch(r"(res|response|reply|ctx)", p or "") for p in params):
                roots.update(p for p in params if re.fullmatch(r"(err|error|exception|exc)", p or ""))
            elif params and re.fullmatch(r"(err|error)", params[0] or ""):
                roots.add(params[0])  # node-style callback: (err, rows) => { if (err) ... }
        elif lang == "php":
            params = fn.params
            if params and not roots and self._callback_of(fn.node, ("set_exception_handler", "renderable", "render",
                                                                       "setErrorHandler", "setDefaultErrorHandler")):
                roots.add(params[0] if params[0].startswith("$") else "$" + params[0])
        elif lang == "java":
            if fn.kind == "lambda" and fn.params and self._callback_of(
                    fn.node, ("onErrorResume", "onErrorReturn", "onErrorMap", "exceptionally", "doOnError",
                              "exceptionHandler", "exception", "failureHandler")):
                roots.add(fn.params[0])
            for d in fn.decorators:
                m = re.match(r"ExceptionHandler\((.*)\)$", d)
                if m:
                    deco_types.extend(re.findall(r"([\w.]+)\.class", m.group(1)))
        if lang == "ruby":
            s = self._ruby_rescue_from_scope(fn)
            if s is not None:
                return s
        if not roots:
            return None
        all_types = tuple(deco_types) if deco_types else tuple(types)
        if lang == "python" and deco_types:
            all_types = tuple(("HTTP4xx" if re.fullmatch(r"4\d\d", t) else t) for t in deco_types)
        return Scope(node, frozenset(roots), all_types, "handler", None)

    def _ruby_rescue_from_scope(self, fn) -> Scope | None:
        """`rescue_from X, with: :name` makes method `name` a handler of X (its first parameter)."""
        handlers = self._rescue_from_handlers()
        if fn.name in handlers and fn.params:
            return Scope(fn.node, frozenset({fn.params[0], "$!"}), handlers[fn.name], "handler", None)
        return None

    def _rescue_from_handlers(self) -> dict[str, tuple]:
        memo = getattr(self, "_rf_memo", None)
        if memo is not None:
            return memo
        out: dict[str, tuple] = {}
        for c in self.facts.calls:
            if c.method == "rescue_from" and c.receiver is None and "with" in c.kwargs:
                name = text(c.kwargs["with"]).lstrip(":").strip("'\"")
                out[name] = tuple(text(a) for a in c.args)
        self._rf_memo = out
        return out

    def _ruby_block_scopes(self) -> None:
        """`rescue_from X do |e| ... end` and `rescue_from(X) { |e| ... }`."""
        for c in self.facts.calls:
            if c.method != "rescue_from" or c.receiver is not None or c.node.has_error:
                continue
            blk = c.node.child_by_field_name("block")
            if blk is None:
                continue
            params = blk.child_by_field_name("parameters")
            first = next((x for x in params.named_children if x.type == "identifier"), None) if params is not None else None
            if first is None:
                continue
            self.scopes.append(Scope(blk, frozenset({text(first), "$!"}), tuple(text(a) for a in c.args), "handler", None))

    def _callback_of(self, node: ts.Node, methods: tuple[str, ...]) -> bool:
        p = node.parent
        if p is not None and p.type == "argument":
            p = p.parent
        if p is None or p.type not in ("arguments", "argument_list"):
            return False
        call = self.calls_by_id.get(p.parent.id) if p.parent is not None else None
        if call is None or call.method not in methods:
            return False
        return any(_contains(a, node) for a in call.args)

    def _typed_params(self, node: ts.Node) -> list[tuple[str, str]]:
        params = node.child_by_field_name("parameters")
        if params is None:
            return []
        out = []
        for p in params.named_children:
            t = p.type
            if self.lang == "python" and t == "typed_parameter":
                name = next((c for c in p.named_children if c.type == "identifier"), None)
                typ = p.child_by_field_name("type")
                if name is not None and typ is not None:
                    out.append((text(name), text(typ)))
            elif self.lang in ("javascript", "typescript") and t in ("required_parameter", "optional_parameter"):
                name = p.child_by_field_name("pattern")
                typ = p.child_by_field_name("type")
                if name is not None and typ is not None and name.type == "identifier":
                    out.append((text(name), text(typ).lstrip(":").strip()))
            elif self.lang == "java" and t == "formal_parameter":
                name, typ = p.child_by_field_name("name"), p.child_by_field_name("type")
                if name is not None and typ is not None:
                    out.append((text(name), text(typ)))
            elif self.lang == "php" and t in ("simple_parameter", "property_promotion_parameter"):
                name, typ = p.child_by_field_name("name"), p.child_by_field_name("type")
                if name is not None and typ is not None:
                    out.append((text(name), text(typ)))
            elif self.lang == "csharp" and t == "parameter":
                name, typ = p.child_by_field_name("name"), p.child_by_field_name("type")
                if name is not None and typ is not None:
                    out.append((text(name), text(typ)))
        return out

    def scope_for(self, node: ts.Node, norm: str) -> Scope | None:
        """The innermost scope around node that binds `norm` (climbing the parents: O(depth))."""
        if not self.scopes:
            return None
        by_id = self._scope_by_node
        p, steps = node.parent, 0
        while p is not None and steps < 500:
            for s in by_id.get(p.id, ()):
                if norm in s.roots:
                    return s
            p, steps = p.parent, steps + 1
        return None

    # -- roots ------------------------------------------------------------------------------------
    def _unwrap(self, n: ts.Node) -> ts.Node:
        steps = 0
        while n is not None and n.type in self.p["unwrap"] and steps < 20:
            if n.type == "cast_expression":
                v = n.child_by_field_name("value")
                inner = v if v is not None else (n.named_children[-1] if n.named_children else None)
            elif n.type == "postfix_unary_expression":
                inner = n.named_children[0] if n.named_children else None
            else:
                inner = next((c for c in n.named_children if c.type not in ("comment",)), None)
            if inner is None:
                break
            n = inner
            steps += 1
        return n

    def root_of(self, node: ts.Node, depth: int = 0) -> tuple[Scope | None, bool] | None:
        """If node evaluates to the caught exception (or its cause): (its scope, True); None if not."""
        if node is None or depth > MAX_VAR_DEPTH:
            return None
        n = self._unwrap(node)
        if n is None:
            return None
        nt = _norm(text(n))
        s = self.scope_for(n, nt)
        if s is not None:
            return s, True
        extra = self._extra_root(n, nt, depth)
        if extra:
            return None, True
        t = n.type
        lang = self.lang
        if t in self.p["member"]:
            of, nf = self.p["member"][t]
            obj, name = n.child_by_field_name(of), n.child_by_field_name(nf)
            if name is not None and text(name) in self.derived:
                return self.root_of(obj, depth + 1)
            return None
        if lang == "csharp" and t == "conditional_access_expression":
            obj = n.child_by_field_name("condition")
            mb = next((c for c in n.named_children if c.type == "member_binding_expression"), None)
            nm = mb.child_by_field_name("name") if mb is not None else None
            if nm is not None and text(nm) in self.derived:
                return self.root_of(obj, depth + 1)
            return None
        if t in self.p["calls"]:
            c = self.calls_by_id.get(n.id)
            if c is None:
                return None
            if c.receiver_node is not None and c.method in self.derived and not c.args:
                return self.root_of(c.receiver_node, depth + 1)
            if _norm(c.callee) in self.derived and c.args:
                return self.root_of(c.args[0], depth + 1)
            return None
        if t in self.p["ternary"]:
            for br in self._branches(n):
                r = self.root_of(br, depth + 1)
                if r is not None:
                    return r
            return None
        if t in self.p["ident"]:
            return self._follow_root(n, depth)
        return None

    def _extra_root(self, n: ts.Node, nt: str, depth: int) -> bool:
        lang = self.lang
        if lang == "go":
            if n.type != "identifier":
                return False
            if re.fullmatch(r"(err|error|\w+Err|\w*Error|\w+err)", nt) and nt not in ("stderr",):
                return True
            # `e error` parameters, `r := recover()`
            fn = self.ev.function_of(n)
            assigns = self.facts.assignments_before(nt, fn, n.start_byte)
            if assigns and assigns[-1].value is not None and not _contains(assigns[-1].node, n):
                return squash(text(assigns[-1].value)) in ("error", "recover()")
            return False
        if lang == "csharp":
            if re.search(r"\.Error$", nt) and ("IExceptionHandler" in nt or self._assigned_from(n, "IExceptionHandler")):
                return True
            return False
        if lang == "ruby":
            return bool(re.fullmatch(r"(request\.)?env\[['\"]sinatra\.error['\"]\]|\$!", nt))
        return False

    def _assigned_from(self, n: ts.Node, needle: str) -> bool:
        """`X.Error` where X was assigned from an expression mentioning needle."""
        if n.type != "member_access_expression" and n.type != "conditional_access_expression":
            return False
        obj = n.child_by_field_name("expression") or n.child_by_field_name("condition")
        if obj is None or obj.type != "identifier":
            return False
        fn = self.ev.function_of(obj)
        assigns = self.facts.assignments_before(text(obj), fn, obj.start_byte)
        return bool(assigns) and assigns[-1].value is not None and needle in text(assigns[-1].value)

    def _follow_root(self, n: ts.Node, depth: int):
        name = self.ctx.adapter.is_local_name(n) if self.lang not in ("php",) else text(n)
        if not name:
            return None
        fn = self.ev.function_of(n)
        assigns = self.facts.assignments_before(name, fn, n.start_byte)
        if not assigns:
            return None
        last = assigns[-1]
        if last.value is None or last.op != "=" or _contains(last.node, n):
            return None
        r = self.root_of(last.value, depth + 1)
        return r

    def _branches(self, n: ts.Node) -> list[ts.Node]:
        if self.lang == "python":
            ch = n.named_children
            return [ch[0], ch[2]] if len(ch) >= 3 else []
        out = []
        for f in ("consequence", "body", "alternative"):
            c = n.child_by_field_name(f)
            if c is not None:
                out.append(c)
        return out

    def _condition_of_ternary(self, n: ts.Node) -> ts.Node | None:
        if self.lang == "python":
            ch = n.named_children
            return ch[1] if len(ch) >= 3 else None
        return n.child_by_field_name("condition")

    # -- leaks ------------------------------------------------------------------------------------
    def leak(self, node: ts.Node, allow_bare: bool, in_string: bool, depth: int = 0) -> Leak | None:
        if node is None or depth > MAX_VAR_DEPTH:
            return None
        self._visits += 1
        if self._visits > MAX_VISIT or self._nest > MAX_NEST:
            return None
        self._nest += 1
        try:
            return self._leak(node, allow_bare, in_string, depth)
        finally:
            self._nest -= 1

    def _leak(self, node: ts.Node, allow_bare: bool, in_string: bool, depth: int) -> Leak | None:
        n = self._unwrap(node)
        if n is None or n.has_error:
            return None
        t = n.type
        p = self.p
        if t in p["funcs"] or t in p["stop"] or t == "comment":
            return None
        # the exception itself
        r = self.root_of(n, depth) if (t in p["ident"] or t in p["member"] or t in p["calls"]
                                        or t in p["ternary"] or t == "conditional_access_expression") else None
        if r is not None:
            if in_string:
                # string conversion: Exception.ToString() / PHP __toString() include the stack trace
                return Leak(n, "stack trace" if self.lang in ("csharp", "php") else "exception message", r[0])
            if allow_bare:
                return Leak(n, "exception", r[0])
            return None
        if t in p["calls"]:
            return self._leak_call(n, allow_bare, in_string, depth)
        if t in p["member"] or t == "conditional_access_expression":
            if t == "conditional_access_expression":
                obj = n.child_by_field_name("condition")
                mb = next((c for c in n.named_children if c.type == "member_binding_expression"), None)
                name = mb.child_by_field_name("name") if mb is not None else None
            else:
                of, nf = p["member"][t]
                obj, name = n.child_by_field_name(of), n.child_by_field_name(nf)
            nm = text(name) if name is not None else ""
            if nm in self.leak_members:
                r = self.root_of(obj, depth)
                if r is not None:
                    return Leak(n, self._kind(self.leak_members[nm]), r[0])
            if _norm(text(n)) in self.globals:
                return Leak(n, self._kind(self.globals.get(_norm(text(n)), "stack")), None)
            if nm in _REDUCERS:
                return None
            # a property of a leak (err.stack.length is a reducer; e.message.upper -> call)
            if obj is not None and nm not in _REDUCERS:
                inner = self.leak(obj, False, False, depth)
                if inner is not None and inner.kind != "exception":
                    return inner
            return None
        if t in p["subscript"]:
            f = p["subscript"][t]
            obj = n.child_by_field_name(f) if f else (n.named_children[0] if n.named_children else None)
            inner = self.leak(obj, False, False, depth) if obj is not None else None
            return inner if inner is not None and inner.kind != "exception" else None
        if t in p["ident"]:
            return self._leak_variable(n, allow_bare, in_string, depth)
        if t in p["binary"]:
            op = self._operator(n)
            if op in _COMPARE_OPS or op not in _STRING_OPS:
                return None
            s = in_string or op in ("+", ".", "%", "<<")
            kids = [n.child_by_field_name("left"), n.child_by_field_name("right")]
            if op in ("&&", "and"):
                kids = kids[1:]  # `isDev && err.stack` evaluates to its right operand
            for k in kids:
                lk = self.leak(k, allow_bare, s, depth)
                if lk is not None:
                    return lk
            return None
        if t in p["ternary"]:
            for br in self._branches(n):
                lk = self.leak(br, allow_bare, in_string, depth)
                if lk is not None:
                    return lk
            return None
        if t in p["pair"]:
            v = n.child_by_field_name(p["pair"][t])
            return self.leak(v, allow_bare, in_string, depth) if v is not None else None
        stringy = in_string or t in p["stringy"]
        if self.lang == "ruby" and t == "string":
            stringy = True
        for c in n.named_children:
            if c.type == "comment":
                continue
            if self.lang in ("javascript", "typescript") and t in ("pair",):
                continue
            lk = self.leak(c, allow_bare, stringy, depth)
            if lk is not None:
                return lk
        return None

    def _operator(self, n: ts.Node) -> str:
        op = n.child_by_field_name("operator")
        if op is not None:
            return text(op)
        for c in n.children:
            if not c.is_named:
                return text(c)
        return ""

    @staticmethod
    def _kind(k: str) -> str:
        return "stack trace" if k == "stack" else "exception message"

    def _leak_call(self, n: ts.Node, allow_bare: bool, in_string: bool, depth: int) -> Leak | None:
        c = self.calls_by_id.get(n.id)
        if c is None:
            return None
        callee = _norm(c.callee)
        method = c.method
        # produces a stack trace by itself
        g = self.globals.get(callee) or (self.globals.get(method) if not c.receiver and method in self.globals else None)
        if g:
            return Leak(n, self._kind(g), None)
        # Go: any `x.Error()` is an error turned into text
        if self.lang == "go" and method == "Error" and not c.args and c.receiver_node is not None:
            return Leak(n, "exception message", None)
        # e.getMessage(), err.Error(), ex.ToString(), e.message (Ruby)
        if method in self.leak_methods and c.receiver_node is not None:
            r = self.root_of(c.receiver_node, depth)
            if r is not None:
                return Leak(n, self._kind(self.leak_methods[method]), r[0])
        if self.lang == "python" and callee == "getattr" and len(c.args) >= 2:
            attr = text(c.args[1]).strip("'\"")
            if attr in self.leak_members and self.root_of(c.args[0], depth) is not None:
                return Leak(n, self._kind(self.leak_members[attr]), self.root_of(c.args[0], depth)[0])
            if len(c.args) >= 3:
                return self.leak(c.args[2], allow_bare, in_string, depth)
            return None
        # str(e), String(err), ExceptionUtils.getStackTrace(e)
        w = self.wrappers.get(callee) or (self.wrappers.get(method) if not c.receiver else None)
        if w:
            for a in list(c.args) + list(c.kwargs.values()):
                r = self.root_of(a, depth)
                if r is not None:
                    return Leak(n, self._kind(w), r[0])
                lk = self.leak(a, False, True, depth)
                if lk is not None:
                    return lk
            return None
        if self.lang == "java":
            sw = self._java_string_writer(c)
            if sw is not None:
                return sw
        # a method on a leak: err.stack.split("\n"), e.getMessage().substring(0, 80), str(e).replace(...)
        if c.receiver_node is not None and method not in _REDUCERS:
            inner = self.leak(c.receiver_node, False, False, depth)
            if inner is not None and inner.kind != "exception":
                return inner
        if method in _REDUCERS:
            return None
        stringy = callee in self.stringify or method in self.stringify
        structural = callee in self.structure or method in self.structure or c.is_new or self._constructor_like(c, n)
        if self.lang == "go" and callee in ("string", "[]byte"):
            structural = True
        if stringy or structural:
            kids = list(c.args) + list(c.kwargs.values())
            if self.lang in ("javascript", "typescript"):
                kids = list(c.args)  # kwargs are the object argument's values, already inside args
            if stringy and c.receiver_node is not None:
                kids.append(c.receiver_node)
            if c.is_new:
                init = n.child_by_field_name("initializer")
                if init is not None:
                    kids.append(init)
            for a in kids:
                lk = self.leak(a, allow_bare, in_string or stringy, depth)
                if lk is not None:
                    return lk
            # Java / C# builders: ErrorDto.builder().message(e.getMessage()).build()
        if method in ("build", "Build", "build!") or re.search(r"[Bb]uilder\(\)", c.callee):
            rn = c.receiver_node
            steps = 0
            while rn is not None and steps < 12:
                rc = self.calls_by_id.get(rn.id)
                if rc is None:
                    break
                for a in rc.args:
                    lk = self.leak(a, allow_bare, in_string, depth)
                    if lk is not None:
                        return lk
                rn = rc.receiver_node
                steps += 1
        return None

    def _constructor_like(self, c, n: ts.Node) -> bool:
        lang = self.lang
        if lang == "python":
            return bool(re.fullmatch(r"[A-Z]\w*", c.method or "")) and c.method not in ("Exception",) or c.method == "dict"
        if lang == "ruby":
            return c.method == "new"
        if lang == "go":
            return False
        if lang in ("javascript", "typescript"):
            return c.method in ("Error",) and False
        return False

    def _java_string_writer(self, c) -> Leak | None:
        """`sw.toString()` where `e.printStackTrace(new PrintWriter(sw))` ran in the function."""
        if c.method not in ("toString", "getBuffer") or c.receiver_node is None or c.receiver_node.type != "identifier":
            return None
        name = text(c.receiver_node)
        fn = c.function
        if self._pst is None:
            self._pst = [o for o in self.facts.calls if o.method == "printStackTrace"]
        for other in self._pst:
            if other.function is fn and other.args and \
                    re.search(r"\b" + re.escape(name) + r"\b", text(other.args[0]) + self._pw_source(other.args[0], fn)):
                r = self.root_of(other.receiver_node, 0) if other.receiver_node is not None else None
                return Leak(c.node, "stack trace", r[0] if r else None)
        return None

    def _pw_source(self, arg: ts.Node, fn) -> str:
        if arg.type != "identifier":
            return ""
        assigns = self.facts.assignments_before(text(arg), fn, arg.start_byte)
        return text(assigns[-1].value) if assigns and assigns[-1].value is not None else ""

    def _leak_variable(self, n: ts.Node, allow_bare: bool, in_string: bool, depth: int) -> Leak | None:
        name = text(n)
        fn = self.ev.function_of(n)
        assigns = self.facts.assignments_before(name, fn, n.start_byte)
        if not assigns:
            return None
        start = len(assigns) - 1
        while start > 0 and assigns[start].op != "=":
            start -= 1
        for a in assigns[start:]:
            if a.value is None or _contains(a.node, n):
                continue
            lk = self.leak(a.value, allow_bare, in_string, depth + 1)
            if lk is not None:
                return lk
        # values stored in the variable after it was built: dto.setMessage(e.getMessage()),
        # body.put("error", ex.getMessage()), $data['error'] = ... (calls only)
        if self._calls_by_fn_recv is None:
            idx: dict = {}
            for c in self.facts.calls:
                if c.receiver:
                    idx.setdefault((id(c.function), c.receiver), []).append(c)
            self._calls_by_fn_recv = idx
        for c in self._calls_by_fn_recv.get((id(fn), name), ()):
            if c.node.start_byte > n.start_byte:
                continue
            if re.match(r"^(set[A-Z]\w*|put|putAll|add|addProperty|append|push|with[A-Z]\w*|Add|Append|Set[A-Z]\w*|merge!?|update|store|offsetSet)$", c.method):
                for a in c.args:
                    lk = self.leak(a, allow_bare, in_string, depth + 1)
                    if lk is not None:
                        return lk
        return None

    # -- sinks ------------------------------------------------------------------------------------
    def sinks(self) -> Iterator[Sink]:
        specs = self.kn.get("sinks", []) or []
        compiled = [self._compile_spec(s) for s in specs]
        for c in self.facts.calls:
            if c.node.has_error:
                continue
            for spec in compiled:
                sk = self._match_spec(spec, c)
                if sk is not None:
                    yield sk
                    break
        yield from self._noncall_sinks()

    @staticmethod
    def _compile_spec(s: dict) -> dict:
        out = dict(s)
        m = s.get("method")
        if isinstance(m, str) and m.startswith("^"):
            out["_method_re"] = re.compile(m)
            out["_methods"] = None
        elif isinstance(m, str):
            out["_methods"] = {m}
        elif isinstance(m, list):
            out["_methods"] = set(m)
        else:
            out["_methods"] = None
        for k in ("receiver", "callee", "first_arg", "file", "class_bases", "not_receiver"):
            if s.get(k):
                out["_" + k] = re.compile(s[k])
        return out

    def _match_spec(self, spec: dict, c) -> Sink | None:
        ms = spec.get("_methods")
        if ms is not None and c.method not in ms:
            return None
        if spec.get("_method_re") is not None and not spec["_method_re"].search(c.method or ""):
            return None
        if spec.get("new") is not None and bool(spec["new"]) != c.is_new:
            return None
        recv = _norm(c.receiver) if c.receiver else ""
        if spec.get("bare") and recv:
            return None
        if "_receiver" in spec and not spec["_receiver"].search(recv):
            return None
        if "_not_receiver" in spec and spec["_not_receiver"].search(recv):
            return None
        if "_callee" in spec and not spec["_callee"].search(_norm(c.callee)):
            return None
        if "_file" in spec and not spec["_file"].search(self.ctx.text):
            return None
        if "_class_bases" in spec:
            fn = c.function
            if fn is None or not any(spec["_class_bases"].search(b) for b in fn.class_bases):
                return None
        if "max_args" in spec and len(c.args) > spec["max_args"]:
            return None
        if "_first_arg" in spec:
            if not c.args or not spec["_first_arg"].search(_norm(text(c.args[0]))):
                return None
        args = list(c.args)
        if "arg" in spec:
            args = [args[i] for i in spec["arg"] if i < len(args)]
        elif "from" in spec:
            args = args[spec["from"]:]
        kw = spec.get("kwargs")
        if self.lang in ("javascript", "typescript"):
            kwvals = []  # the object literal is already among the positional arguments
        elif kw is None:
            kwvals = list(c.kwargs.values())
        else:
            kwvals = [v for k, v in c.kwargs.items() if k in kw]
        payload = args + kwvals
        if spec.get("payload") == "receiver":
            payload = [c.receiver_node] if c.receiver_node is not None else []
        if c.is_new:
            init = c.node.child_by_field_name("initializer")
            if init is not None:
                payload.append(init)
        if not payload:
            return None
        label = spec.get("label") or (c.callee if len(c.callee) <= 50 else c.method)
        if c.is_new and self.lang in ("javascript", "typescript", "java", "php", "csharp"):
            label = "new " + label
        label = f"`{label}`"
        return Sink(c.node, label, payload, allow_bare=not spec.get("helper"), in_string=bool(spec.get("format")),
                    kind=spec.get("kind"))

    def _noncall_sinks(self) -> Iterator[Sink]:
        lang = self.lang
        src = _NONCALL_QUERIES.get(lang)
        if not src:
            return
        caps = _captures(self.ctx, src)
        for n in caps.get("ret", []):
            if n.has_error:
                continue
            sk = self._return_sink(n)
            if sk is not None:
                yield sk
        for n in caps.get("assign", []):
            if n.has_error:
                continue
            lhs = n.child_by_field_name("left")
            if lhs is not None and re.fullmatch(r"(ctx|context|this)(\.response)?\.body", _norm(text(lhs))):
                right = n.child_by_field_name("right")
                if right is not None:
                    yield Sink(n, f"`{_norm(text(lhs))} =`", [right])
        for n in caps.get("echo", []):
            if n.has_error:
                continue
            kids = [c for c in n.named_children if c.type != "comment"]
            if kids:
                word = text(n).split("(")[0].split()[0] if text(n).strip() else "echo"
                yield Sink(n, f"`{word}`", kids)
        for n in caps.get("rack", []):
            if n.has_error:
                continue
            kids = [c for c in n.named_children if c.type != "comment"]
            if len(kids) == 3 and kids[0].type == "integer" and re.fullmatch(r"[45]\d\d", text(kids[0])) and \
                    kids[1].type == "hash" and kids[2].type == "array":
                yield Sink(n, "Rack response", [kids[2]])

    def _return_sink(self, n: ts.Node) -> Sink | None:
        lang = self.lang
        if n.type == "arrow_expression_clause":
            val = next((c for c in n.named_children if c.type != "comment"), None)
        else:
            val = next((c for c in n.named_children if c.type != "comment"), None)
        if val is None:
            return None
        fn = self.ev.function_of(n)
        if fn is None:
            return None
        if lang == "python":
            # Flask / Flask-RESTful: `return body, 500`
            if val.type in ("expression_list", "tuple") and len(val.named_children) in (2, 3):
                st = val.named_children[1]
                if re.fullmatch(r"[45]\d\d|(status\.HTTP_|HTTPStatus\.|http\.HTTPStatus\.)[45A-Z_0-9]\w*", _norm(text(st))):
                    return Sink(n, "a (body, status) response tuple", [val.named_children[0]])
            if self._python_handler(fn):
                return Sink(n, f"the return value of handler `{fn.name}`", [val])
            return None
        if lang in ("javascript", "typescript"):
            if any(re.match(r"(Get|Post|Put|Patch|Delete|All|Head|Options)\(", d) for d in fn.decorators):
                return Sink(n, f"the return value of route handler `{fn.name}`", [val])
            if self._fastify_handler(fn):
                return Sink(n, "the return value of the route handler", [val])
            return None
        if lang == "java":
            ha = self.kn.get("handler_annotations")
            ca = self.kn.get("controller_annotations")
            if ha and any(re.search(ha, d) for d in fn.decorators) and \
                    (not ca or any(re.search(ca, d) for d in fn.class_decorators) or
                     any(d.startswith("ExceptionHandler") for d in fn.decorators)):
                return Sink(n, f"the return value of handler `{fn.name}`", [val])
            return None
        if lang == "php":
            if fn.class_name and any(re.search(r"Controller$", b) for b in fn.class_bases) and \
                    fn.kind == "method" and not fn.name.startswith("__") and not self._non_public(fn.node):
                return Sink(n, f"the return value of controller action `{fn.name}`", [val])
            return None
        if lang == "csharp":
            aa = self.kn.get("action_attributes")
            cb = self.kn.get("controller_bases")
            if fn.kind == "method" and not self._non_public(fn.node) and \
                    ((aa and any(re.search(aa, d) for d in fn.decorators)) or
                     (cb and any(re.search(cb, b) for b in fn.class_bases) and not any(d.startswith("NonAction") for d in fn.decorators))):
                return Sink(n, f"the return value of action `{fn.name}`", [val])
            return None
        return None

    @staticmethod
    def _non_public(node: ts.Node) -> bool:
        for c in node.children:
            if c.type in ("visibility_modifier", "modifier", "modifiers") and \
                    re.search(r"\b(private|protected|internal)\b", text(c)):
                return True
        return False

    def _python_handler(self, fn) -> bool:
        rd = self.kn.get("route_decorators")
        if rd and any(re.search(rd, d) for d in fn.decorators):
            return True
        vb = self.kn.get("view_bases")
        if vb and fn.kind == "method" and fn.name in ("get", "post", "put", "patch", "delete", "head", "options",
                                                      "list", "create", "retrieve", "update", "partial_update",
                                                      "destroy", "dispatch") \
                and any(re.search(vb, b) for b in fn.class_bases):
            return True
        return False

    def _fastify_handler(self, fn) -> bool:
        if len(fn.params) < 2 or fn.params[1] not in ("reply", "rep"):
            return False
        p = fn.node.parent
        if p is None or p.type != "arguments" or p.parent is None:
            return False
        call = self.calls_by_id.get(p.parent.id)
        return call is not None and call.method in ("get", "post", "put", "patch", "delete", "all", "route", "head")

    # -- judgement --------------------------------------------------------------------------------
    def clean(self, sink: Sink, lk: Leak) -> bool:
        s = lk.scope
        if s is not None and s.types:
            types = [t for t in s.types if t]
            client = [t == "HTTP4xx" or _is_client_type(t) for t in types]
            if types and all(c or (any(client) and _last_name(t) in ("TypeError", "AttributeError", "IndexError"))
                             for c, t in zip(client, types)):
                return True
        if self._gated(lk.node, s) or self._gated(sink.node, s):
            return True
        if s is not None and s.kind == "catch" and self._validation_only(s):
            return True
        if self.lang == "go" and self._go_clean(lk):
            return True
        return False

    def _gated(self, node: ts.Node, scope: Scope | None) -> bool:
        """An enclosing condition about the environment (any branch), or a test that the error is a
        client error (its then-branch); a preceding guard that returns for unknown errors."""
        child, p = node, node.parent
        steps = 0
        in_scope = True
        while p is not None and steps < MAX_CLIMB:
            steps += 1
            cond, then = self._condition(p, child)
            if cond is not None:
                ct = text(cond)
                if _dev_condition(ct):
                    return True
                if in_scope and then and not _NEGATED.search(ct) and self._client_condition(ct):
                    return True
            if in_scope and p.type in self.ctx.adapter.statement_containers | {"block", "statement_block", "compound_statement",
                                                                               "statement_list", "body_statement", "then"}:
                if self._guarded_before(child, p):
                    return True
            if scope is not None and p.id == scope.node.id:
                in_scope = False
            if p.id in self.fn_by_id and scope is None:
                in_scope = False
            child, p = p, p.parent
        return False

    def _condition(self, p: ts.Node, child: ts.Node) -> tuple[ts.Node | None, bool]:
        """(condition node, child is in the then-branch) when p is a conditional holding child."""
        t = p.type
        lang = self.lang
        if t in self.p["ternary"]:
            cond = self._condition_of_ternary(p)
            if cond is None or child.id == cond.id:
                return None, False
            br = self._branches(p)
            return cond, bool(br) and br[0].id == child.id
        if t in ("if_statement", "elif_clause", "else_if_clause", "if", "unless", "if_modifier", "unless_modifier",
                 "while_statement", "elsif"):
            cond = p.child_by_field_name("condition")
            if cond is None or child.id == cond.id or _contains(cond, child):
                return None, False
            then = p.child_by_field_name("consequence") or p.child_by_field_name("body")
            is_then = then is not None and _contains(then, child)
            if t in ("unless", "unless_modifier"):
                is_then = False
            return cond, is_then
        if t in ("else_clause", "else") and p.parent is not None:
            cond = p.parent.child_by_field_name("condition")
            return (cond, False) if cond is not None else (None, False)
        if t in ("binary_expression", "boolean_operator", "binary") and self._operator(p) in ("&&", "and"):
            left, right = p.child_by_field_name("left"), p.child_by_field_name("right")
            if right is not None and left is not None and right.id == child.id:
                return left, True
            return None, False
        if t in ("expression_case", "switch_case", "case_statement", "when", "switch_section",
                 "switch_block_statement_group", "switch_expression_arm"):
            vals = [c for c in p.named_children if not _contains(c, child)][:3]
            parts = " ".join(text(v) for v in vals if v.type not in ("statement_list", "block", "then"))
            if not parts:
                return None, False
            subj = p.parent.parent if p.parent is not None else None
            if subj is not None:
                v = subj.child_by_field_name("value") or subj.child_by_field_name("condition")
                if v is not None:
                    parts = text(v) + " " + parts
            return _FakeNode(parts), True
        if t == "type_case":
            return _FakeNode("errors.As " + " ".join(text(c) for c in p.children_by_field_name("type"))), True
        if t == "preproc_if":
            cond = p.child_by_field_name("condition")
            return cond, True
        if t == "catch_filter_clause":
            return None, False
        if lang == "ruby" and t == "call" and p.child_by_field_name("method") is not None and \
                text(p.child_by_field_name("method")) == "configure":
            args = p.child_by_field_name("arguments")
            return (args, True) if args is not None else (None, False)
        return None, False

    def _client_condition(self, ct: str) -> bool:
        if self.lang == "go":
            if re.search(r"\berrors\.(Is|As)\s*\(", ct):
                return True
            if re.search(r"\b\w+\s*==\s*(?!nil\b)[\w.]+", ct):
                return True
        if _EXPOSED.search(ct):
            return True
        return any(_is_client_type(t) for t in re.findall(r"[A-Za-z_][\w.:\\]*", ct)
                   if not _DEV_TOKEN.match(t)) or bool(re.search(r"['\"](\w*(Validation|NotFound|Cast|BadRequest)\w*)['\"]", ct))

    def _guarded_before(self, child: ts.Node, block: ts.Node) -> bool:
        """A previous statement `if (!(err instanceof AppError)) return ...` / `if (isProd) return ...`
        in the same block: what follows runs only for client errors / outside production."""
        sib = child.prev_named_sibling
        n = 0
        while sib is not None and n < 30:
            n += 1
            if sib.type in ("if_statement", "if", "unless", "if_modifier", "unless_modifier"):
                cond = sib.child_by_field_name("condition")
                body = sib.child_by_field_name("consequence") or sib.child_by_field_name("body")
                bt = text(body) if body is not None else ""
                if cond is not None and re.search(r"\b(return|throw|raise|next|halt|abort)\b", bt or text(sib)):
                    ct = text(cond)
                    if re.search(r"(?i)\b(is_?prod\w*|production|prod)\b", ct) and not re.search(r"!==?\s*['\"]prod", ct):
                        return True
                    negated = bool(_NEGATED.search(ct)) or sib.type in ("unless", "unless_modifier")
                    if negated and self._client_condition(ct):
                        return True
            sib = sib.prev_named_sibling
        return False

    def _validation_only(self, s: Scope) -> bool:
        memo = self._valid_memo
        if s.node.id not in memo:
            memo[s.node.id] = self._validation_only_uncached(s)
        return memo[s.node.id]

    def _validation_only_uncached(self, s: Scope) -> bool:
        if self.validation_re is None or s.try_body is None:
            return False
        body = s.try_body
        calls = [c for c in self._calls_within(body)
                 if (s.try_end is None or c.node.end_byte <= s.try_end)
                 and not _LOGGING.search(_norm(c.callee)) and not self._inside_sink(c.node, body)]
        if not calls:
            return False
        for c in calls:
            if self.validation_re.search(_norm(c.callee)) or self.validation_re.search(c.method or ""):
                continue
            # calls nested inside a validation call's arguments (schema builders) are fine
            if any(_contains(o.node, c.node) and o is not c and
                   (self.validation_re.search(_norm(o.callee)) or self.validation_re.search(o.method or ""))
                   for o in calls):
                continue
            return False
        return True

    def _calls_within(self, node: ts.Node) -> list:
        """Calls whose node lies inside `node` (binary search over the calls sorted by position)."""
        if self._calls_sorted is None:
            self._calls_sorted = sorted(self.facts.calls, key=lambda c: c.node.start_byte)
            self._call_starts = [c.node.start_byte for c in self._calls_sorted]
        import bisect

        i = bisect.bisect_left(self._call_starts, node.start_byte)
        out = []
        while i < len(self._calls_sorted) and self._call_starts[i] < node.end_byte:
            c = self._calls_sorted[i]
            if c.node.end_byte <= node.end_byte:
                out.append(c)
            i += 1
        return out

    def _inside_sink(self, node: ts.Node, stop: ts.Node) -> bool:
        p, steps = node, 0
        while p is not None and p.id != stop.id and steps < 200:
            if p.id in self._sink_ids:
                return True
            p, steps = p.parent, steps + 1
        return False

    def _go_clean(self, lk: Leak) -> bool:
        """Go: the error comes from decoding / validating input, is built from a constant message,
        or is a declared client error type."""
        n = lk.node
        root = n
        if n.type == "call_expression":
            c = self.calls_by_id.get(n.id)
            if c is not None and c.receiver_node is not None:
                root = c.receiver_node
        root = self._unwrap(root)
        if root is None or root.type != "identifier":
            return False
        name = text(root)
        fn = self.ev.function_of(root)
        assigns = self.facts.assignments_before(name, fn, root.start_byte)
        if not assigns:
            return False
        a = assigns[-1]
        src = a.node
        rhs = src.child_by_field_name("right") or src.child_by_field_name("value")
        origin = text(rhs) if rhs is not None else text(src)
        if _contains(src, root):
            return False
        if self.validation_re is not None and re.match(r"^[\w.()\[\]&*\s,\"]*$", origin.split("(")[0]) and \
                self.validation_re.search(origin.split("(")[0]):
            return True
        if re.match(r'^\s*errors\.New\(\s*"[^"]*"\s*\)\s*$', origin) or \
                (re.match(r'^\s*fmt\.Errorf\(\s*"', origin) and "%w" not in origin):
            return True
        if any(_is_client_type(t) for t in re.findall(r"[A-Za-z_][\w.]*", text(src))):
            return True
        return False

    # -- findings ---------------------------------------------------------------------------------
    def responses(self) -> Iterator:
        self.find_scopes()
        cands = []
        sinks = list(self.sinks())
        self._sink_ids = {sk.node.id for sk in sinks}
        for sk in sinks:
            found = None
            for pl in sk.payload:
                self._visits = 0
                lk = self.leak(pl, sk.allow_bare, sk.in_string)
                if lk is not None and not self.clean(sk, lk):
                    found = lk
                    break
            if found is not None:
                if sk.kind and found.kind == "exception":
                    found = Leak(found.node, self._kind(sk.kind), found.scope)
                cands.append((sk, found))
        # one finding per leak: the innermost sink that carries it
        by_leak: dict[int, list] = {}
        for sk, lk in cands:
            by_leak.setdefault(lk.node.id, []).append(sk)
        out = []
        for sk, lk in cands:
            if any(o is not sk and _contains(sk.node, o.node) and o.node.id != sk.node.id for o in by_leak[lk.node.id]):
                continue
            out.append((sk, lk))
        seen = set()
        for sk, lk in out:
            if sk.node.id in seen:
                continue
            seen.add(sk.node.id)
            related = []
            if not _contains(sk.node, lk.node):
                related.append(Related(self.ctx.node_span(lk.node), "the exception text is taken here"))
            if lk.scope is not None:
                related.append(Related(self.ctx.node_span(lk.scope.node), "the exception is caught here"))
            yield self.ctx.finding(self.rule, sk.node, {"what": lk.kind, "expr": _short(text(lk.node)), "sink": sk.label},
                                   related=related, properties={"sink": sk.label, "leak": lk.kind})


class _FakeNode:
    """A stand-in condition for switch/case labels (only its text is read)."""

    def __init__(self, s: str):
        self.text = s.encode("utf-8")
        self.id = -1


# ================================================================================================
# debug configuration
def _debug_findings(ctx, rule, an: _Analysis) -> Iterator:
    lang = ctx.language
    fn = globals().get(f"_debug_{lang if lang != 'typescript' else 'javascript'}")
    if fn is not None:
        yield from fn(ctx, rule, an)


def _cfg(ctx, rule, node, message: str, what: str):
    return ctx.finding(rule, node, {"what": what, "expr": _short(text(node)), "sink": "the configuration"}, message=message,
                       properties={"leak": "debug configuration"})


def _true_literal(n: ts.Node | None) -> bool:
    return n is not None and text(n).strip().lower() in ("true", "1", "'1'", '"1"', "'on'", '"on"', "'true'", '"true"')


def _debug_python(ctx, rule, an: _Analysis) -> Iterator:
    for c in ctx.facts.calls:
        if c.node.has_error:
            continue
        dbg = c.kwargs.get("debug")
        if dbg is None or text(dbg) != "True":
            continue
        if (c.method in ("run", "run_server") and re.search(r"(?i)(app|application|server|socketio|sio|api|flask|dash|site|web)\w*(\(\))?$", c.receiver or "")
                and not re.search(r"(?i)test|suite|runner", c.receiver or "")) or \
                c.method in ("FastAPI", "Starlette", "Quart", "Sanic", "Flask"):
            if an._gated(c.node, None) or _TEST_PATH.search(ctx.path):
                continue
            what = f"`{c.callee}(debug=True)`"
            msg = (f"{what} turns on the interactive debugger / traceback pages: anyone who triggers an error sees "
                   "the stack trace (and with Werkzeug can run code); read the flag from the environment")
            yield _cfg(ctx, rule, c.node, msg, what)
    for c in ctx.facts.calls:
        dbg = c.kwargs.get("DEBUG")
        if c.method == "update" and re.search(r"(?i)app\w*\.config$", c.receiver or "") and dbg is not None \
                and text(dbg) == "True" and not an._gated(c.node, None):
            yield _cfg(ctx, rule, c.node, f"`{c.callee}(DEBUG=True)` turns on Flask's debug mode: errors are "
                                          "answered with the interactive debugger", "`DEBUG=True`")
    path = ctx.path.replace("\\", "/")
    settings_module = bool(_SETTINGS_PATH.search(path)) and not _DEV_PATH.search(path)
    for a in ctx.facts.assignments:
        if a.value is None or text(a.value) != "True" or a.node.has_error:
            continue
        if a.name == "DEBUG" and a.function is None:
            cls = _enclosing(a.node, ("class_definition",), 6)
            if cls is not None:
                cname = text(cls.child_by_field_name("name"))
                if not re.search(r"(?i)prod", cname):
                    continue
            elif not settings_module:
                continue
            if an._gated(a.node, None):
                continue
            msg = ("`DEBUG = True` in a production settings module: Django / Flask answer errors with the "
                   "debug page (stack trace, local variables, settings); read it from the environment")
            yield _cfg(ctx, rule, a.node, msg, "`DEBUG = True`")
    # app.debug = True / app.config["DEBUG"] = True
    for n in _captures(ctx, '(assignment left: [(attribute) (subscript)] @lhs right: (true)) @a').get("a", []):
        lhs = n.child_by_field_name("left")
        lt = _norm(text(lhs))
        if re.fullmatch(r"\w*app\w*\.debug|\w*app\w*\.config\[['\"]DEBUG['\"]\]", lt) and not an._gated(n, None):
            msg = f"`{lt} = True` turns on Flask's debug mode: errors are answered with the interactive debugger"
            yield _cfg(ctx, rule, n, msg, f"`{lt}`")


def _enclosing(node: ts.Node, types: tuple[str, ...], limit: int) -> ts.Node | None:
    p, n = node.parent, 0
    while p is not None and n < limit:
        if p.type in types:
            return p
        p, n = p.parent, n + 1
    return None


def _debug_csharp(ctx, rule, an: _Analysis) -> Iterator:
    for c in ctx.facts.calls:
        if c.node.has_error or c.method not in ("UseDeveloperExceptionPage", "UseDatabaseErrorPage"):
            continue
        if an._gated(c.node, None) or _in_debug_preproc(ctx, c.node):
            continue
        fn = c.function
        if fn is not None and re.search(r"Development", fn.name or ""):
            continue
        msg = (f"`{c.method}()` without an environment check: in production every unhandled exception is "
               "answered with the stack trace and request details; wrap it in `if (env.IsDevelopment())`")
        yield _cfg(ctx, rule, c.node, msg, f"`{c.method}()`")
    for n in _captures(ctx, "(assignment_expression left: (_) @lhs right: (member_access_expression) @rhs) @a").get("a", []):
        rhs = n.child_by_field_name("right")
        if rhs is not None and _norm(text(rhs)) == "IncludeErrorDetailPolicy.Always" and not an._gated(n, None):
            yield _cfg(ctx, rule, n, "`IncludeErrorDetailPolicy.Always` sends exception details and stack traces to every client",
                       "`IncludeErrorDetailPolicy.Always`")


def _in_debug_preproc(ctx, node: ts.Node) -> bool:
    """`#if DEBUG` ... `#endif` around the call, when the grammar does not nest the call in it."""
    before = ctx.source[:node.start_byte].decode("utf-8", "replace")
    depth = 0
    for line in reversed(before.splitlines()[-200:]):
        s = line.strip()
        if s.startswith("#endif"):
            depth += 1
        elif s.startswith("#if"):
            if depth == 0:
                return bool(re.search(r"\bDEBUG\b|DEVELOPMENT", s)) and not s.startswith("#if !")
            depth -= 1
    return False


def _debug_ruby(ctx, rule, an: _Analysis) -> Iterator:
    path = ctx.path.replace("\\", "/")
    prod = bool(re.search(r"(^|/)(production|prod)\.rb$", path))
    for n in _captures(ctx, "(assignment left: (call method: (identifier) @m) right: (true)) @a").get("a", []):
        lhs = n.child_by_field_name("left")
        m = lhs.child_by_field_name("method") if lhs is not None else None
        if m is None or text(m) != "consider_all_requests_local" or not prod:
            continue
        if an._gated(n, None):
            continue
        msg = ("`consider_all_requests_local = true` in production.rb: every visitor gets Rails' detailed error "
               "page with the stack trace and source; set it to false")
        yield _cfg(ctx, rule, n, msg, "`consider_all_requests_local = true`")
    for c in ctx.facts.calls:
        if c.method == "set" and c.receiver is None and len(c.args) >= 2 and text(c.args[0]) == ":show_exceptions" \
                and text(c.args[1]) == "true" and not an._gated(c.node, None):
            yield _cfg(ctx, rule, c.node, "`set :show_exceptions, true` shows Sinatra's exception page (backtrace, "
                                          "environment) to clients; limit it to `configure :development`",
                       "`set :show_exceptions, true`")


def _debug_php(ctx, rule, an: _Analysis) -> Iterator:
    path = ctx.path.replace("\\", "/")
    for c in ctx.facts.calls:
        if c.node.has_error:
            continue
        if c.method == "ini_set" and len(c.args) >= 2 and text(c.args[0]).strip("'\"") == "display_errors" \
                and _true_literal(c.args[1]) and not an._gated(c.node, None):
            yield _cfg(ctx, rule, c.node, "`ini_set('display_errors', ...)` on: PHP prints errors, file paths and stack "
                                          "traces into the response; log them instead", "`display_errors`")
        if _norm(c.callee) in ("Debug::enable", "\\Symfony\\Component\\ErrorHandler\\Debug::enable") and \
                not an._gated(c.node, None):
            yield _cfg(ctx, rule, c.node, "`Debug::enable()` outside an `APP_DEBUG` check shows Symfony's exception "
                                          "page with the stack trace to clients", "`Debug::enable()`")
    if re.search(r"(^|/)config/app\.php$", path):
        for n in _captures(ctx, "(array_element_initializer (_) @k (boolean) @v) @e").get("e", []):
            kids = n.named_children
            if len(kids) == 2 and text(kids[0]).strip("'\"") == "debug" and text(kids[1]).lower() == "true":
                yield _cfg(ctx, rule, n, "`'debug' => true` hard-coded in config/app.php: Laravel answers errors with "
                                         "the debug page (stack trace, environment); use `env('APP_DEBUG', false)`",
                           "`'debug' => true`")


def _debug_javascript(ctx, rule, an: _Analysis) -> Iterator:
    if not re.search(r"""(require\(\s*['"]errorhandler['"]\s*\)|from\s+['"]errorhandler['"])""", ctx.text):
        return
    for c in ctx.facts.calls:
        if c.method == "use" and c.args and re.fullmatch(r"errorhandler\(.*\)", _norm(text(c.args[0])), re.S) \
                and not an._gated(c.node, None):
            yield _cfg(ctx, rule, c.node, "`errorhandler()` outside a development check sends full stack traces to "
                                          "clients; only mount it when NODE_ENV is development", "`errorhandler()`")


def _debug_go(ctx, rule, an: _Analysis) -> Iterator:
    if "labstack/echo" not in ctx.text:
        return
    for n in _captures(ctx, "(assignment_statement left: (expression_list (selector_expression field: (field_identifier) @f)) right: (expression_list (true))) @a").get("a", []):
        lhs = n.child_by_field_name("left")
        if lhs is not None and _norm(text(lhs)).endswith(".Debug") and not an._gated(n, None):
            yield _cfg(ctx, rule, n, "Echo's `Debug = true` makes the default error handler send `err.Error()` to "
                                     "clients; leave it off in production", "`e.Debug = true`")


# ================================================================================================
# dotenv
_PROD_ENV_FILE = re.compile(r"(?i)(^|/)(\.env\.(production|prod)(\.local)?|(production|prod)\.env)$")
_NON_DEPLOYED_ENV = re.compile(r"(?i)(example|sample|template|dist|test|testing|local|dev|development|ci)")
_ENV_LINE = re.compile(r"^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_]*)[ \t]*=[ \t]*((?:\"[^\"]*\"|'[^']*'|[^#\r\n])*?)[ \t]*(?:[ \t]#.*)?$", re.M)
_DEBUG_KEYS = re.compile(r"^(APP_DEBUG|DEBUG|FLASK_DEBUG|DJANGO_DEBUG|RAILS_SHOW_EXCEPTIONS)$")


def _dotenv(ctx, rule) -> Iterator:
    path = ctx.path.replace("\\", "/")
    name = path.rsplit("/", 1)[-1]
    prod_file = bool(_PROD_ENV_FILE.search(path))
    values: dict[str, tuple[str, int, int]] = {}  # key -> (value, start char, end char of `KEY=value`)
    pos = 0
    for line in ctx.text.splitlines(keepends=True):
        m = _ENV_LINE.match(line)
        if m:
            val = m.group(2).strip().strip("'\"").strip()
            values[m.group(1)] = (val, pos + m.start(1), pos + m.end(2))
        pos += len(line)
    env = next((values[k][0].lower() for k in ("APP_ENV", "FLASK_ENV", "NODE_ENV", "RAILS_ENV", "DJANGO_ENV")
                if k in values), "")
    if prod_file:
        if env and env not in ("production", "prod"):
            return
    else:
        # a dotenv file that declares itself production (docker/app.env), unless it is an example / local copy
        stem = name[4:] if name.startswith(".env") else name
        if env not in ("production", "prod") or _NON_DEPLOYED_ENV.search(stem) or name == ".env":
            return
    for key, (val, start, end) in values.items():
        if not _DEBUG_KEYS.match(key) or val.lower() not in ("true", "1", "yes", "on"):
            continue
        where = f"`{name}`" if prod_file else f"`{name}` (APP_ENV={env})"
        msg = (f"`{key}={val}` in {where}: the production app answers errors with the debug page (stack trace, "
               "environment, sometimes secrets); set it to false")
        span = ctx.span(ctx.char_to_byte(start), ctx.char_to_byte(end))
        yield ctx.finding(rule, span, {"what": "debug mode", "expr": f"{key}={val}", "sink": "the configuration"},
                          message=msg, properties={"leak": "debug configuration"})


# ================================================================================================
def check(ctx, rule) -> Iterator:
    if ctx.language == "dotenv":
        yield from _dotenv(ctx, rule)
        return
    if ctx.adapter is None or ctx.language not in _P or ctx.tree is None:
        return
    an = _Analysis(ctx, rule)
    yield from an.responses()
    yield from _debug_findings(ctx, rule, an)
