"""C#: methods, lambdas, calls (incl. `new X(...)`), loops, assignments and string building
(`+`, `$"..."`, `@"..."`, raw strings, string.Format / Concat / Join, StringBuilder), plus the
ADO.NET property sink `cmd.CommandText = sql` and EF Core's FormattableString APIs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import tree_sitter as ts
import tree_sitter_c_sharp

from ..base import (enclosing_node, param_names, HOLE_RE, Assignment, Call, DbCall, Evaluator, Facts, Function, Hole, LanguageAdapter, Loop,
                    RouteHandler, StringValue, hole_marker, squash, text)

_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "\\": "\\", "'": "'", '"': '"',
                   "a": "\a", "b": "\b", "f": "\f", "v": "\v", "e": "\x1b"}
_ESCAPE_RE = re.compile(r"\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|x[0-9a-fA-F]{1,4}|.)", re.S)
# composite format item: {index[,alignment][:format]} and the {{ }} escapes
_FORMAT_ITEM = re.compile(r"\{\{|\}\}|\{\s*(\d+)\s*(?:,\s*-?\d+\s*)?(?::([^{}]*))?\}")
# format strings that only numbers honour: standard numeric (D, N2, X8...) and custom (0.00, #,##0)
_NUMERIC_FORMAT = re.compile(r"[DdNnFfXxEeCcPpGgRrBb]\d{0,2}|[0#.,%‰]+")
_UPPER_CONST = re.compile(r"_?[A-Z][A-Z0-9_]*")
_LITERAL_TYPES = frozenset({"string_literal", "verbatim_string_literal", "raw_string_literal", "character_literal"})
_NUMBER_LITERALS = frozenset({"integer_literal", "real_literal", "boolean_literal", "null_literal"})
_MEMBER_FUNCTIONS = frozenset({"method_declaration", "constructor_declaration", "destructor_declaration",
                               "operator_declaration", "conversion_operator_declaration", "accessor_declaration"})
_NESTED_FUNCTIONS = frozenset({"local_function_statement", "lambda_expression", "anonymous_method_expression"})
_TYPE_DECLS = frozenset({"class_declaration", "struct_declaration", "record_declaration",
                         "record_struct_declaration", "interface_declaration"})
_BUILDER_METHODS = frozenset({"Append", "AppendLine", "AppendFormat", "AppendJoin", "Insert", "Clear"})
_PASS_THROUGH = frozenset({"Trim", "TrimEnd", "TrimStart", "ToUpper", "ToLower", "ToUpperInvariant",
                           "ToLowerInvariant", "Normalize", "Substring", "Remove", "ToString"})
# SQL set through a property: `cmd.CommandText = sql;`, `new SqlCommand { CommandText = sql }`
_PROPERTY_SINKS = """
((assignment_expression left: (member_access_expression name: (identifier) @_name)) @sqlprop
 (#eq? @_name "CommandText"))
((initializer_expression (assignment_expression left: (identifier) @_name) @sqlprop)
 (#eq? @_name "CommandText"))
"""
# assignments in a constructor: `_table = ...;`, `this._table = ...;`, `(_a, _b) = (a, b);`
_CTOR_ASSIGNMENTS = """
(assignment_expression left: (identifier) @field right: (_) @value)
(assignment_expression left: (member_access_expression expression: "this" name: (identifier) @field) right: (_) @value)
(assignment_expression left: (tuple_expression) @tuple)
"""
_DECLARATIONS_QUERY = """
(variable_declaration type: (_) @type (variable_declarator name: (identifier) @name) @decl)
(parameter type: (_) @type name: (identifier) @name)
(foreach_statement type: (_) @type left: (identifier) @name)
(declaration_expression type: (_) @type name: (identifier) @name)
(declaration_pattern type: (_) @type name: (identifier) @name)
"""


# -- ORM models and queries (n-plus-one) ----------------------------------------------------
# LINQ operators that keep an IQueryable an IQueryable: their lambdas are translated to SQL
_QUERY_OPERATORS = frozenset({
    "Where", "Select", "SelectMany", "OrderBy", "OrderByDescending", "ThenBy", "ThenByDescending", "Include",
    "ThenInclude", "AsNoTracking", "AsNoTrackingWithIdentityResolution", "AsTracking", "AsSplitQuery",
    "AsSingleQuery", "IgnoreQueryFilters", "IgnoreAutoIncludes", "TagWith", "TagWithCallSite", "Skip", "Take",
    "SkipWhile", "TakeWhile", "Distinct", "DistinctBy", "OfType", "Cast", "GroupBy", "Join", "GroupJoin",
    "LeftJoin", "RightJoin", "Concat", "Union", "UnionBy", "Except", "ExceptBy", "Intersect", "IntersectBy",
    "Reverse", "AsQueryable", "FromSqlRaw", "FromSql", "FromSqlInterpolated", "TemporalAll", "TemporalAsOf",
    "TemporalBetween", "TemporalFromTo", "TemporalContainedIn", "DefaultIfEmpty", "Zip", "Append", "Prepend"})
# operators after which the rows are no longer the entity (the loop variable is a projection)
_PROJECTIONS = frozenset({"Select", "SelectMany", "GroupBy", "Join", "GroupJoin", "LeftJoin", "RightJoin", "Cast",
                          "Zip"})
# calls that run the query and return its rows as an in-memory sequence
_MATERIALIZERS = frozenset({"ToList", "ToListAsync", "ToArray", "ToArrayAsync", "ToHashSet", "ToHashSetAsync",
                            "AsEnumerable", "AsAsyncEnumerable", "ConfigureAwait"})
# loop-like calls that run their lambda per element even on an IQueryable (EF's ForEachAsync
# enumerates the results); other LINQ operators on an IQueryable are translated (kind "query")
_ALWAYS_LOOPS = frozenset({"ForEach", "ForEachAsync", "ConvertAll", "FindAll", "RemoveAll", "TrueForAll", "Exists"})
_QUERYABLE_TYPES = frozenset({"DbSet", "IDbSet", "IQueryable", "IOrderedQueryable", "IIncludableQueryable"})
_CONNECTION_TYPE = re.compile(r"^I?(?:Db|Sql|Npgsql|MySql|Sqlite|SQLite|Oracle|OleDb|Odbc|Fb|DB2|SqlCe)Connection$")
_COMMAND_TYPE = re.compile(r"^I?(?:Db|Sql|Npgsql|MySql|Sqlite|SQLite|Oracle|OleDb|Odbc|Fb|DB2|SqlCe)(?:Command|DataAdapter)$")
_CONTEXT_TYPE = re.compile(r"(?:Context|Entities|Db|DB)$")
# `...Context` types that are not a DbContext (ASP.NET, SignalR, gRPC, MassTransit, Roslyn, test frameworks)
_NOT_EF_CONTEXTS = frozenset({
    "HttpContext", "ActionContext", "ActionExecutingContext", "ActionExecutedContext", "ResultExecutingContext",
    "ResultExecutedContext", "ResourceExecutingContext", "ResourceExecutedContext", "ExceptionContext",
    "AuthorizationFilterContext", "AuthorizationHandlerContext", "FilterContext", "PageHandlerExecutingContext",
    "PageHandlerExecutedContext", "PageContext", "ViewContext", "ControllerContext", "ModelBindingContext",
    "ModelBinderProviderContext", "ValidationContext", "ModelValidationContext", "ClientModelValidationContext",
    "RouteContext", "EndpointFilterInvocationContext", "HubCallerContext", "HubInvocationContext",
    "HubLifetimeContext", "OperationContext", "SynchronizationContext", "ExecutionContext", "SecurityContext",
    "StreamingContext", "TestContext", "ScenarioContext", "FeatureContext", "ConsumeContext", "SendContext",
    "PublishContext", "JobExecutionContext", "PerformContext", "PerformingContext", "FunctionContext",
    "TurnContext", "ResolveFieldContext", "ResolverContext", "MiddlewareContext", "CommandContext",
    "SocketCommandContext", "InteractionContext", "InvocationContext", "MessageContext", "RequestContext",
    "RenderContext", "TemplateContext", "ScriptContext", "BuildContext", "GeneratorExecutionContext",
    "GeneratorSyntaxContext", "SyntaxNodeAnalysisContext", "CompilationAnalysisContext",
    "SemanticModelAnalysisContext", "OperationAnalysisContext", "SymbolAnalysisContext", "CodeFixContext",
    "CodeRefactoringContext", "AssemblyLoadContext", "ActivityContext", "PropagationContext", "SpanContext",
    "DurableOrchestrationContext", "DurableActivityContext", "TaskOrchestrationContext", "CallContext",
    "ServerCallContext", "ClientInterceptorContext", "WebSocketContext", "ListenerContext", "JsonSerializerContext",
    "SerializationContext", "DeserializationContext", "BindingContext", "ParseContext", "EvaluationContext"})
_NAV_COLLECTIONS = frozenset({"ICollection", "IList", "List", "HashSet", "ISet", "IEnumerable", "IReadOnlyCollection",
                              "IReadOnlyList", "Collection", "ObservableCollection", "SortedSet", "LinkedList"})
# property types that are never an entity (a `virtual` one is a scalar / value column, not a navigation)
_NOT_ENTITY_TYPES = frozenset({
    "string", "String", "object", "Object", "dynamic", "bool", "byte", "sbyte", "char", "decimal", "double", "float",
    "int", "uint", "long", "ulong", "short", "ushort", "nint", "nuint", "Boolean", "Byte", "SByte", "Char", "Decimal",
    "Double", "Single", "Int16", "Int32", "Int64", "UInt16", "UInt32", "UInt64", "DateTime", "DateTimeOffset",
    "DateOnly", "TimeOnly", "TimeSpan", "Guid", "Uri", "Version", "BigInteger", "Type", "Exception", "Stream",
    "JsonDocument", "JsonElement", "JsonNode", "JsonObject", "JObject", "JToken", "JArray", "XElement", "XDocument",
    "Point", "Geometry", "Polygon", "LineString", "MultiPolygon", "MultiPoint", "IPAddress", "PhysicalAddress",
    "BitArray", "HierarchyId", "Dictionary", "IDictionary", "KeyValuePair", "Tuple", "ValueTuple", "Nullable",
    "CultureInfo", "TimeZoneInfo", "Encoding", "Task", "Action", "Func", "Expression", "ILazyLoader"})
_IRREGULAR_PLURALS = {"People": "Person", "Children": "Child", "Men": "Man", "Women": "Woman", "Mice": "Mouse",
                      "Geese": "Goose", "Feet": "Foot", "Teeth": "Tooth", "Indices": "Index", "Matrices": "Matrix",
                      "Vertices": "Vertex", "Criteria": "Criterion", "Analyses": "Analysis", "Statuses": "Status",
                      "Addresses": "Address", "Businesses": "Business", "Aliases": "Alias", "Buses": "Bus"}
# SQL text: a literal that starts with a statement keyword; a variable named like one
_SQL_START = re.compile(r'^\s*(?:\$@|@\$|\$+|@)?"{1,3}\s*(?:--[^\n]*\n\s*)*\(?\s*'
                        r'(?:SELECT|INSERT|UPDATE|DELETE|WITH|MERGE|EXEC|EXECUTE|CALL|UPSERT|REPLACE|TRUNCATE)\b', re.I)
_SQL_NAME = re.compile(r"(?i)(sql|query|stmt|statement)")
# one statement for many keys: `IN @ids` (Dapper expands the list), `IN (" + string.Join(...)`,
# `= ANY(@ids)`, unnest / OPENJSON / STRING_SPLIT of one parameter, a placeholder list
_RAW_BULK = re.compile(r"(?i)\bIN\s*@\w|\bIN\s*\(\s*[\"']\s*\+|\bIN\s*\(\s*[?$%:@{\ue000]|\bANY\s*\(|\bunnest\s*\("
                       r"|\bOPENJSON\s*\(|\bSTRING_SPLIT\s*\(")
# loops over chunks of a collection: one query per chunk is the cure, not the bug
_BATCH_METHODS = frozenset({"Chunk", "Batch", "Partition", "Buffer", "InBatches", "Paginate"})
_BATCH_NAME = re.compile(r"(?i)^_?(?:chunk|batch|slice)(?:e?s)?$|(?:Chunk|Batch|Slice)(?:e?s)?$")
_CURSOR_METHODS = frozenset({"Read", "ReadAsync", "MoveNext", "MoveNextAsync"})
# routes: attributes that make a public controller method no action; Razor Pages / Web API 2
_NON_ACTION = re.compile(r"^(?:Microsoft\.AspNetCore\.Mvc\.|System\.Web\.Http\.|System\.Web\.Mvc\.)?NonAction(?:Attribute)?$")
_PAGE_MODEL = re.compile(r"(?:^|\.)PageModel$")
_PAGE_HANDLER = re.compile(r"^On(Get|Post|Put|Patch|Delete|Head|Options)(?![a-z])")
_WEB_API2 = re.compile(r"^(?:System\.Web\.Http\.)?ApiController$")
_VERB_PREFIX = re.compile(r"^(Get|Post|Put|Patch|Delete|Head|Options)(?![a-z])")
_VERB_WORD = re.compile(r"\b(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\b", re.I)
_MAP_ENDPOINTS = frozenset({"Map", "MapMethods", "MapFallback"})
_REASSIGN_QUERY = """
(assignment_expression left: (identifier) @left right: (_) @right)
"""


def unescape(s: str) -> str:
    if "\\" not in s:
        return s

    def rep(m: re.Match) -> str:
        e = m.group(1)
        if e[0] in "uUx" and len(e) > 1:
            try:
                return chr(int(e[1:], 16))
            except ValueError:
                return e
        return _SIMPLE_ESCAPES.get(e, e)

    return _ESCAPE_RE.sub(rep, s)


def _strip_generics(s: str) -> str:
    """`conn.Query<User>` -> `conn.Query`, `Set<Order>().FromSqlRaw` -> `Set().FromSqlRaw`."""
    prev = None
    while prev != s:
        prev, s = s, re.sub(r"<[^<>()]*>", "", s)
    return s


def _unwrap(node: ts.Node | None) -> ts.Node | None:
    while node is not None and node.type in ("parenthesized_expression", "checked_expression") and node.named_child_count == 1:
        node = node.named_children[0]
    return node


def _unwrap_await(node: ts.Node | None) -> ts.Node | None:
    """`(await x)` -> x."""
    for _ in range(8):
        node = _unwrap(node)
        if node is None or node.type != "await_expression" or not node.named_children:
            return node
        node = node.named_children[-1]
    return node


@dataclass(frozen=True)
class _Q:
    """An EF query expression: its entity, eager-loaded navigations, whether rows were projected,
    and whether it starts at a DbSet (`ctx.Orders...`) rather than at a query variable."""
    query: bool
    entity: str | None = None
    includes: frozenset = frozenset()
    projected: bool = False
    direct: bool = False


_NOQ = _Q(False)


def _type_kind(name: str) -> str:
    if name in _QUERYABLE_TYPES:
        return "queryable"
    if _CONNECTION_TYPE.match(name):
        return "connection"
    if _COMMAND_TYPE.match(name):
        return "command"
    bare = name[1:] if len(name) > 1 and name[0] == "I" and name[1].isupper() else name
    if _CONTEXT_TYPE.search(name) and name not in _NOT_EF_CONTEXTS and bare not in _NOT_EF_CONTEXTS:
        return "context"
    return "other"


def _singular(name: str) -> str:
    """DbSet property name -> entity class name (`Orders` -> `Order`, `Categories` -> `Category`)."""
    if name in _IRREGULAR_PLURALS:
        return _IRREGULAR_PLURALS[name]
    if name.endswith("ies") and len(name) > 4:
        return name[:-3] + "y"
    if name.endswith(("sses", "xes", "ches", "shes", "zzes", "uses")):
        return name[:-2]
    if name.endswith("s") and not name.endswith(("ss", "us", "is")):
        return name[:-1]
    return name


_LAMBDA_PARAMS = re.compile(r"(?:\(([\w\s,]*)\)|(\w+))=>")
_CONTAINS = re.compile(r"(?<![\w.])@?(\w+)(?:\.\w+)*\.Contains\((\w+)\.\w+")
_ANY_EQ = re.compile(r"(?<![\w.])@?(\w+)(?:\.\w+)*\.Any\((\w+)=>(?:\2==(\w+)\.\w+|(\w+)\.\w+==\2)\)")


def _contains_bulk(t: str, loop_vars: set[str] = frozenset()) -> bool:
    """`Where(o => ids.Contains(o.Id))` / `Where(o => ids.Any(i => i == o.Id))` (whitespace removed):
    one query for many keys. `o.Name.Contains(term)` (the lambda parameter's own member) is not, nor
    is a query that also filters on the item of the enclosing loop (`o.CustomerId == c.Id &&
    statuses.Contains(o.Status)` in `foreach (var c ...)`), unless the keys are that item
    (`foreach (var chunk in ids.Chunk(500))` ... `chunk.Contains(o.Id)`)."""
    if "Contains(" not in t and "Any(" not in t:
        return False
    params: set[str] = set()
    for m in _LAMBDA_PARAMS.finditer(t):
        params.update(x for x in re.split(r"[\s,]+", m.group(1) or m.group(2) or "") if x)
    roots = {m.group(1) for m in _CONTAINS.finditer(t) if m.group(1) not in params and m.group(2) in params}
    roots |= {m.group(1) for m in _ANY_EQ.finditer(t) if m.group(1) not in params and (m.group(3) or m.group(4)) in params}
    if not roots:
        return False
    used = {v for v in loop_vars if re.search(rf"(?<![\w.]){re.escape(v)}\b", t)}
    return not used or bool(roots & used)



class Adapter(LanguageAdapter):
    name = "csharp"
    directory = Path(__file__).parent
    statement_containers = frozenset({"compilation_unit", "block", "declaration_list", "switch_section"})
    function_types = _MEMBER_FUNCTIONS | _NESTED_FUNCTIONS
    comment_types = frozenset({"comment"})

    def __init__(self) -> None:
        super().__init__()
        self._decl_query = ts.Query(self.ts_language, _DECLARATIONS_QUERY)
        self._prop_query = ts.Query(self.ts_language, _PROPERTY_SINKS)
        self._ctor_query = ts.Query(self.ts_language, _CTOR_ASSIGNMENTS)
        self._numeric_fn = [re.compile(p) for p in self.knowledge.get("numeric_functions", ())]
        self._quoting_fn = [re.compile(p) for p in self.knowledge.get("quoting_functions", ())]
        self._numeric_types = frozenset(self.knowledge.get("numeric_types", ()))
        self._numeric_members = frozenset(self.knowledge.get("numeric_members", ()))
        self._sql_props = {p["property"]: p for p in self.knowledge.get("sql_properties", ())}
        self._const_cache: tuple[ts.Node, dict] | None = None

    def _load_language(self) -> ts.Language:
        return ts.Language(tree_sitter_c_sharp.language())

    # -- ORM models and queries (n-plus-one) -------------------------------------------------
    # An entity class (model_relations): a class of the project that EF maps, i.e. one of
    #   - the T of a `DbSet<T>` / `modelBuilder.Entity<T>()` / `IEntityTypeConfiguration<T>` in the file,
    #   - a class with `[Table]`, or a property with `[Key]`, or a key property by convention
    #     (`Id`, `<Class>Id`), or a base type named like an entity base (`BaseEntity`, `Entity<Guid>`,
    #     `AggregateRoot`, `AuditableEntity`); never `[Owned]` / `[ComplexType]` / `[Keyless]` classes.
    # A lazy-loadable navigation (the only kind that queries when read): a property of an entity
    #   - declared `virtual` (lazy-loading proxies override it) in a class that is not sealed, or
    #     whose getter goes through ILazyLoader (`LazyLoader.Load(this, ref _customer)`),
    #   - whose type is a collection of a class (`ICollection<OrderLine>`), or a class with evidence
    #     that it is an entity: a foreign key `<Prop>Id` / `<Type>Id`, `[ForeignKey]` / `[InverseProperty]` /
    #     `[Required]`, or an entity class of this file — a `virtual Money Price` or an enum is a column,
    #   - not `[NotMapped]`, not owned (`OwnsOne(x => x.Prop)`), not `.Navigation(x => x.Prop).AutoInclude()`.
    # A non-virtual navigation is never lazy-loaded: reading it without Include yields null / an
    # empty collection (a bug, but no query), so it is not an N+1.
    member_access_query = "(member_access_expression expression: (identifier) @obj name: (identifier) @attr) @access"

    def model_relations(self, facts: Facts) -> dict[str, dict[str, str]]:
        root = getattr(facts, "root", None)
        if root is None:
            return {}
        idx = self._orm_index(root)
        out: dict[str, dict[str, str]] = {}
        entities: list[tuple[ts.Node, str, list[ts.Node], set[str]]] = []
        for cls in idx["classes"]:
            name = text(cls.child_by_field_name("name"))
            attrs = {a.split("(")[0].rsplit(".", 1)[-1] for a in self._attributes(cls)}
            if attrs & {"Owned", "ComplexType", "Keyless", "NotMapped"}:
                continue
            body = cls.child_by_field_name("body")
            props = [m for m in (body.named_children if body is not None else []) if m.type == "property_declaration"]
            prop_names = {text(p.child_by_field_name("name")) for p in props}
            if self._entity_class(cls, name, attrs, props, prop_names, idx):
                entities.append((cls, name, props, prop_names))
        file_entities = idx["entities"] | {e[1] for e in entities}
        for cls, name, props, prop_names in entities:
            fk_targets = set()
            for p in props:
                for a in self._attributes(p):
                    m = re.match(r"(?:\w+\.)*ForeignKey\((?:nameof\((?:\w+\.)*(\w+)\)|\"(\w+)\")", a)
                    if m:
                        fk_targets.add(m.group(1) or m.group(2))
            sealed = "sealed" in self._modifiers(cls)
            rels: dict[str, str] = {}
            for p in props:
                pname = text(p.child_by_field_name("name"))
                mods = self._modifiers(p)
                if "static" in mods or pname in idx["not_lazy"]:
                    continue
                pattrs = {a.split("(")[0].rsplit(".", 1)[-1] for a in self._attributes(p)}
                if "NotMapped" in pattrs:
                    continue
                lazy_loader = bool(re.search(r"\bLoad\(\s*this\b|(?i:lazyloader)\s*[.(]", text(p)))
                if not lazy_loader and (sealed or not ({"virtual", "override"} & mods)):
                    continue
                typ = p.child_by_field_name("type")
                target, many = self._nav_type(typ)
                if target is None or target in idx["not_entities"] or target in _NOT_ENTITY_TYPES:
                    continue
                if not many and not lazy_loader:
                    evidence = ({f"{pname}Id", f"{pname}ID", f"{target}Id", f"{target}ID"} & prop_names
                                or pattrs & {"ForeignKey", "InverseProperty", "Required"}
                                or pname in fk_targets or target in file_entities)
                    if not evidence:
                        continue
                rels[pname] = target
            if rels:
                out[name] = rels
        return out

    def _entity_class(self, cls: ts.Node, name: str, attrs: set[str], props: list[ts.Node], prop_names: set[str],
                      idx: dict) -> bool:
        if name in idx["entities"] or "Table" in attrs or "PrimaryKey" in attrs:
            return True
        if prop_names & {"Id", "ID", f"{name}Id", f"{name}ID"}:
            return True
        if any("Key" in {a.split("(")[0].rsplit(".", 1)[-1] for a in self._attributes(p)} for p in props):
            return True
        bases = next((c for c in cls.named_children if c.type == "base_list"), None)
        return bases is not None and bool(re.search(r"(?:^|[\s,:.])I?(?:\w*Entity(?:Base)?|AggregateRoot|\w*Model(?:Base)?)\b(?:<[^<>]*>)?",
                                                   text(bases)))

    def _nav_type(self, typ: ts.Node | None) -> tuple[str | None, bool]:
        """(target class, is a collection) of a navigation's declared type, or (None, False)."""
        if typ is None:
            return None, False
        if typ.type == "nullable_type":
            typ = typ.named_children[0] if typ.named_children else None
            if typ is None:
                return None, False
        if typ.type == "qualified_name":
            typ = typ.child_by_field_name("name")
        if typ is not None and typ.type == "generic_name":
            outer = self._name_of(typ)
            targs = next((c for c in typ.named_children if c.type == "type_argument_list"), None)
            if outer in _NAV_COLLECTIONS and targs is not None and targs.named_child_count == 1:
                inner = targs.named_children[0]
                if inner.type in ("identifier", "qualified_name"):
                    return self._name_of(inner), True
            return None, False
        if typ is not None and typ.type == "identifier":
            return text(typ), False
        return None, False

    def _orm_index(self, root: ts.Node) -> dict:
        """Per file: classes, DbSet<T> properties (name -> T), entity / owned / enum type names, and
        navigations that are never lazy (owned, AutoInclude)."""
        cached = getattr(self, "_orm_cache", None)
        if cached is not None and cached[0] == root:  # the cached Node keeps its tree alive: no id reuse
            return cached[1]
        classes: list[ts.Node] = []
        dbsets: dict[str, str] = {}
        entities: set[str] = set()
        not_entities: set[str] = set()
        stack, budget = [root], 20000
        containers = {"namespace_declaration", "file_scoped_namespace_declaration", "declaration_list", "compilation_unit"}
        while stack and budget > 0:
            cur = stack.pop()
            budget -= 1
            for c in cur.named_children:
                if c.type in containers:
                    stack.append(c)
                elif c.type in ("class_declaration", "record_declaration"):
                    classes.append(c)
                    body = c.child_by_field_name("body")
                    if body is not None:
                        stack.append(body)
                    if {a.split("(")[0].rsplit(".", 1)[-1] for a in self._attributes(c)} & {"Owned", "ComplexType"}:
                        not_entities.add(text(c.child_by_field_name("name")))
                elif c.type in ("enum_declaration", "struct_declaration", "record_struct_declaration", "interface_declaration"):
                    not_entities.add(text(c.child_by_field_name("name")))
                elif c.type == "property_declaration":
                    typ = c.child_by_field_name("type")
                    if typ is not None and typ.type == "generic_name" and self._name_of(typ) in ("DbSet", "IDbSet"):
                        targs = next((x for x in typ.named_children if x.type == "type_argument_list"), None)
                        if targs is not None and targs.named_child_count == 1:
                            t = self._name_of(targs.named_children[0])
                            dbsets[text(c.child_by_field_name("name"))] = t
                            entities.add(t)
        src = text(root)
        not_lazy: set[str] = set()
        if len(src) <= 1_000_000:
            for m in re.finditer(r"\b(?:Entity|IEntityTypeConfiguration|EntityTypeBuilder|EntityTypeConfiguration)<\s*(?:\w+\.)*(\w+)\s*>", src):
                entities.add(m.group(1))
            for m in re.finditer(r"\b(?:OwnsOne|OwnsMany|ComplexProperty)(?:<[^<>()]*>)?\(\s*(?:\w+|\(\s*\w+\s*\))\s*=>\s*\w+\.(\w+)", src):
                not_lazy.add(m.group(1))
            for m in re.finditer(r"\bNavigation\(\s*(?:\w+|\(\s*\w+\s*\))\s*=>\s*\w+\.(\w+)\s*\)\s*\.\s*AutoInclude\(\s*(?:true)?\s*\)", src):
                not_lazy.add(m.group(1))
        idx = {"classes": classes, "dbsets": dbsets, "entities": entities, "not_entities": not_entities, "not_lazy": not_lazy}
        self._orm_cache = (root, idx)
        return idx

    def query_model(self, call: Call) -> str | None:
        src = self._query_result(call.node)
        if src is None or src.projected:
            return None
        return src.entity

    def eager_loaded(self, call: Call) -> set[str]:
        src = self._query_result(call.node)
        return set(src.includes) if src is not None else set()

    def _query_result(self, node: ts.Node) -> "_Q | None":
        """The query whose rows a call returns: `ctx.Orders.Include(...).Where(...).ToListAsync()`
        (materializers peeled), `ctx.Orders` (enumerated by foreach)."""
        cur = self._chain_top(node)
        for _ in range(6):
            cur = _unwrap_await(cur)
            if cur is None or cur.type != "invocation_expression":
                break
            fn = cur.child_by_field_name("function")
            if fn is None or fn.type != "member_access_expression" or self._name_of(fn.child_by_field_name("name")) not in _MATERIALIZERS:
                break
            cur = fn.child_by_field_name("expression")
        src = self._source(cur)
        return src if src.query else None

    @staticmethod
    def _chain_top(node: ts.Node) -> ts.Node:
        """The outermost call of the chain node is part of (`a.B().C()` for `a.B()`)."""
        cur = node
        for _ in range(100):
            p = cur.parent
            if p is None or p.type != "member_access_expression" or p.child_by_field_name("expression") != cur:
                break
            g = p.parent
            if g is None or g.type != "invocation_expression" or g.child_by_field_name("function") != p:
                break
            cur = g
        return cur

    def _source(self, node: ts.Node | None, depth: int = 0) -> "_Q":
        """Follow an expression to the DbSet it queries: `ctx.Orders.Include(o => o.Customer).Where(...)`,
        `ctx.Set<Order>()`, a variable (`var q = ctx.Orders...`, `IQueryable<Order> q`, `DbSet<Order> _orders`)."""
        node = _unwrap_await(node)
        if node is None or depth > 8:
            return _NOQ
        t = node.type
        if t == "member_access_expression":
            recv = node.child_by_field_name("expression")
            name = self._name_of(node.child_by_field_name("name"))
            if text(recv) == "this":
                return self._source(node.child_by_field_name("name"), depth + 1)
            if name[:1].isupper() and self._is_context(recv):
                return _Q(True, self._dbset_entity(node, name), frozenset(), False, True)
            return _NOQ
        if t == "invocation_expression":
            fn = node.child_by_field_name("function")
            if fn is None or fn.type != "member_access_expression":
                return _NOQ
            name_node = fn.child_by_field_name("name")
            m = self._name_of(name_node)
            recv = fn.child_by_field_name("expression")
            if m == "Set" and self._is_context(recv):
                targs = next((c for c in name_node.named_children if c.type == "type_argument_list"), None) \
                    if name_node is not None and name_node.type == "generic_name" else None
                ent = self._name_of(targs.named_children[0]) if targs is not None and targs.named_child_count else None
                return _Q(True, ent, frozenset(), False, True)
            if m not in _QUERY_OPERATORS:
                return _NOQ
            src = self._source(recv, depth + 1)
            if not src.query:
                return _NOQ
            inc = src.includes | self._include_names(node) if m == "Include" else src.includes
            return _Q(True, src.entity, inc, src.projected or m in _PROJECTIONS, src.direct)
        if t == "query_expression":
            fc = next((c for c in node.named_children if c.type == "from_clause"), None)
            src = self._source(fc.named_children[-1], depth + 1) if fc is not None and fc.named_children else _NOQ
            if not src.query:
                return _NOQ
            var = fc.child_by_field_name("name")
            sel = next((c for c in node.named_children if c.type == "select_clause"), None)
            plain = sel is not None and var is not None and squash(text(sel)) == "select" + text(var) and not any(
                c.type in ("join_clause", "group_clause", "query_continuation", "from_clause", "let_clause") and c != fc
                for c in node.named_children)
            return _Q(True, src.entity, src.includes, src.projected or not plain, src.direct)
        if t == "identifier":
            types = self._declared_types(node)
            if len(types) != 1:
                return _NOQ
            typ, decl = types[0]
            if typ.type == "implicit_type":
                value = self._declarator_value(decl) if decl is not None and decl.type == "variable_declarator" else None
                src = self._source(value, depth + 1)
                if not src.query:
                    return _NOQ
                return _Q(True, src.entity, src.includes | self._reassigned_includes(node, depth), src.projected, False)
            gname = self._name_of(typ)
            if gname in _QUERYABLE_TYPES and typ.type == "generic_name":
                targs = next((c for c in typ.named_children if c.type == "type_argument_list"), None)
                ent = self._name_of(targs.named_children[0]) if targs is not None and targs.named_child_count else None
                return _Q(True, ent, self._reassigned_includes(node, depth), False, gname in ("DbSet", "IDbSet"))
        return _NOQ

    def _reassigned_includes(self, ident: ts.Node, depth: int) -> frozenset[str]:
        """Includes added to a query variable later in its function (`if (x) q = q.Include(...)`)."""
        scope = self._scope_of(ident)
        if scope is None or depth > 4:
            return frozenset()
        name = text(ident)
        out: set[str] = set()
        q = getattr(self, "_reassign_query", None)
        if q is None:
            q = self._reassign_query = ts.Query(self.ts_language, _REASSIGN_QUERY)
        cursor = ts.QueryCursor(q)
        cursor.set_byte_range(scope.start_byte, scope.end_byte)
        for _, caps in cursor.matches(scope):
            left, right = caps.get("left"), caps.get("right")
            if left and right and text(left[0]) == name and "Include" in text(right[0]):
                cur = right[0]
                for _ in range(40):
                    cur = _unwrap_await(cur)
                    if cur is None or cur.type != "invocation_expression":
                        break
                    fn = cur.child_by_field_name("function")
                    if fn is None or fn.type != "member_access_expression":
                        break
                    if self._name_of(fn.child_by_field_name("name")) == "Include":
                        out |= self._include_names(cur)
                    cur = fn.child_by_field_name("expression")
        return frozenset(out)

    def _include_names(self, inv: ts.Node) -> frozenset[str]:
        """First-level navigations an `Include(...)` loads: `o => o.Customer.Address`, `o => o.Lines.Where(...)`,
        `"Customer.Address"`, `nameof(Order.Customer)`."""
        args, _ = self._arguments(inv.child_by_field_name("arguments"))
        out: set[str] = set()
        for a in args:
            a = _unwrap(a)
            if a is None:
                continue
            if a.type == "lambda_expression":
                params = self._params(a.child_by_field_name("parameters"))
                body = a.child_by_field_name("body")
                m = re.match(r"\(?\s*(?:\(\s*\w+\s*\)\s*)?(\w+)\s*\.\s*(\w+)", text(body) if body is not None else "")
                if m and params and m.group(1) == params[0]:
                    out.add(m.group(2))
            elif a.type in _LITERAL_TYPES:
                lit = self._literal(a).template
                if lit:
                    out.add(lit.split(".")[0].strip())
            elif a.type == "invocation_expression" and text(a.child_by_field_name("function")) == "nameof":
                inner, _ = self._arguments(a.child_by_field_name("arguments"))
                if inner:
                    out.add(self._name_of(inner[0].child_by_field_name("name")) if inner[0].type == "member_access_expression"
                            else text(inner[0]))
        return frozenset(out)

    def _dbset_entity(self, node: ts.Node, prop: str) -> str:
        root = node
        while root.parent is not None:
            root = root.parent
        t = self._orm_index(root)["dbsets"].get(prop)
        return t if t else _singular(prop)

    def _is_context(self, node: ts.Node | None) -> bool:
        """A DbContext: named like one (`_context`, `db`, `ctx`, `dbContext`, `Context`) unless declared
        with another type (`HttpContext context`), or declared with a DbContext type (`ShopDb _store`)."""
        node = _unwrap(node)
        if node is None:
            return False
        if node.type == "member_access_expression":
            name = node.child_by_field_name("name")
            if text(node.child_by_field_name("expression")) == "this":
                return self._is_context(name)
            # a context-named property of another object: `_unitOfWork.Context`, `scope.Db`
            return name is not None and name.type == "identifier" and bool(self._context_rx().fullmatch(text(name)))
        if node.type != "identifier":
            return False
        kind = self._root_kind(node)
        if kind is not None:
            return kind == "context"
        return bool(self._context_rx().fullmatch(text(node)))

    def _context_rx(self) -> re.Pattern:
        rx = getattr(self, "_ctx_rx", None)
        if rx is None:
            rx = self._ctx_rx = re.compile(r"(?:this\.)?(?:_?(?:[a-z]\w*)?(?:Context|Ctx|Db|DB)|_?(?:context|ctx|db|dbcontext|dbContext)|Context|DbContext|Db)")
        return rx

    @staticmethod
    def _chain_root(node: ts.Node | None) -> ts.Node | None:
        """The variable at the bottom of `a.B.C(...).D` (the name node for `this.a`)."""
        cur = node
        for _ in range(100):
            cur = _unwrap_await(cur)
            if cur is None:
                return None
            t = cur.type
            if t == "member_access_expression":
                e = cur.child_by_field_name("expression")
                if e is not None and e.type in ("this_expression", "this") or text(e) == "this":
                    return cur.child_by_field_name("name")
                cur = e
            elif t == "invocation_expression":
                cur = cur.child_by_field_name("function")
            elif t == "conditional_access_expression":
                cur = cur.child_by_field_name("condition")
            elif t == "element_access_expression":
                cur = cur.child_by_field_name("expression")
            else:
                return cur if t == "identifier" else None
        return None

    def _root_kind(self, node: ts.Node | None) -> str | None:
        """What the variable at the root of an expression is declared as: "context" (a DbContext),
        "queryable" (DbSet / IQueryable / a query variable), "connection", "other", or None (unknown)."""
        root = self._chain_root(node)
        if root is None:
            return None
        kinds = set()
        for typ, decl in self._declared_types(root):
            if typ.type == "implicit_type":
                value = self._declarator_value(decl) if decl is not None and decl.type == "variable_declarator" else None
                value = _unwrap_await(value)
                if value is None:
                    kinds.add(None)
                elif value.type == "object_creation_expression":
                    kinds.add(_type_kind(self._name_of(value.child_by_field_name("type"))))
                elif value.type == "invocation_expression" and re.search(
                        r"(?:Create\w*(?:Context|Db)\w*|Get\w*Context)(?:Async)?$", _strip_generics(squash(text(value.child_by_field_name("function"))))):
                    kinds.add("context")
                elif value.type == "invocation_expression" and re.search(
                        r"(?:Open|Create|Get)\w*Connection\w*$", _strip_generics(squash(text(value.child_by_field_name("function"))))):
                    kinds.add("connection")
                elif self._source(value, 1).query:
                    kinds.add("queryable")
                else:
                    kinds.add(None)
            else:
                kinds.add(_type_kind(self._name_of(typ)))
        return kinds.pop() if len(kinds) == 1 else None

    # -- ORM calls ---------------------------------------------------------------------------
    _FOREIGN_RECEIVER = re.compile(
        r"^(?:global::)?(?:System(?:\.\w+)*|Microsoft(?:\.\w+)*|Console|Math|MathF|Convert|string|String|Path|File|"
        r"Directory|JsonSerializer|JsonConvert|Enumerable|Queryable|Task|Parallel|Guid|DateTime|DateTimeOffset|"
        r"TimeSpan|Encoding|Regex|Uri|Environment|Debug|Trace|Activator|Array|BitConverter|Interlocked|Thread|"
        r"Assert|CollectionAssert|StringAssert|ArgumentNullException|ArgumentException|ObjectDisposedException|"
        r"EF|Results|TypedResults|Enum|Nullable|Tuple|ValueTuple|KeyValuePair|StringComparer|Comparer|"
        r"EqualityComparer|CultureInfo|Activity|Stopwatch|Random|HttpUtility|WebUtility|Uri|Expression)$")

    def foreign_call(self, call: Call) -> bool:
        """A static call into the base class library (`Console.WriteLine`, `JsonSerializer.Serialize`,
        `Path.Combine`): resolved through the project index only when the receiver names a project class."""
        return bool(call.receiver) and bool(self._FOREIGN_RECEIVER.match(_strip_generics(call.receiver)))

    def db_call(self, call: Call):
        """knowledge `db_calls` (with the C# keys `handle` and `deferred`, see knowledge.d/orm.yaml)
        and `sql_sinks`; calls inside a lambda that EF translates to SQL are part of that query."""
        m = call.method
        for e in self._db_by_method.get(m, ()):
            if e.get("bare") and call.receiver:
                continue
            via = self._entry_applies(e, call)
            if via is None:
                continue
            if m in e.get("deferred", ()) and not (via == "direct" and self._deferred_runs(call)):
                continue
            if self._translated(call):
                return None
            if e.get("library") == "ado.net" and self._command_created_in_loop(call):
                return None  # `new SqlCommand(sql, conn)` in the loop is the reported round trip
            bulk = m in e.get("bulk", ())
            brx = e.get("bulk_arg")
            if brx and not bulk:
                texts = [text(a)[:300] for a in call.args] + [(call.receiver or "")[:600]]
                bulk = any(re.search(brx, t) for t in texts)
            if not bulk and e.get("library") == "ef":
                loop_vars = {v for lp in call.loops if lp.kind != "query" for v in lp.variables}
                bulk = _contains_bulk(squash(text(call.node))[:3000], loop_vars)
            if not bulk and e.get("library") == "dapper" and m in e.get("write", ()) and call.args:
                bulk = self._collection_expr(call.args[0])
            return DbCall(call, e.get("library", "?"), "write" if m in e.get("write", ()) else "read",
                          bounded=m in e.get("bounded", ()), eager=m in e.get("eager", ()), bulk=bulk)
        hit = self.sql_sink(call)
        if hit is None:
            return None
        entry, arg = hit
        lib = entry.get("library", "driver")
        if entry.get("fragment") or (call.is_new and lib == "dapper"):
            return None  # a SQL fragment / `new CommandDefinition(...)` is not a round trip
        arg = self._arg_expr(arg)
        if lib in ("dapper", "custom", "ormlite") and not self._runs_sql(call, arg):
            return None  # `cache.Query(x)`, `command.Execute(item)`: not a database call
        if self._translated(call):
            return None
        bulk = bool(_RAW_BULK.search(self._sql_text(arg)))
        if not bulk and m in ("Execute", "ExecuteAsync") and len(call.args) > 1:
            # Dapper runs `Execute(sql, items)` once per element of items, in one call: the batch form
            bulk = self._collection_expr(call.args[1])
        return DbCall(call, lib, "raw-sql", arg, bulk=bulk)

    def _deferred_runs(self, call: Call) -> bool:
        return self._enumerated_here(call.node)

    def _enumerated_here(self, node: ts.Node) -> bool:
        """A query built on a DbSet that ends with a deferred operator (`ctx.Orders.Where(...)`) runs
        where it is enumerated: directly by a foreach, by the caller it is returned to, or by a
        foreach over the variable it is stored in. (Materialized later — `q.Sum(...)` — the
        materializing call is the round trip, not this one.)"""
        top = node
        if self._chain_top(top) != top:
            return False
        p = top.parent
        while p is not None and p.type in ("parenthesized_expression", "await_expression"):
            top, p = p, p.parent
        if p is None:
            return False
        if p.type == "foreach_statement":
            return p.child_by_field_name("right") == top
        if p.type in ("return_statement", "arrow_expression_clause"):
            return True
        if p.type == "variable_declarator":
            name = text(p.child_by_field_name("name"))
            scope = self._scope_of(top)
            if scope is None:
                return False
            q = getattr(self, "_foreach_query", None)
            if q is None:
                q = self._foreach_query = ts.Query(self.ts_language, "(foreach_statement right: (identifier) @it)")
            cursor = ts.QueryCursor(q)
            cursor.set_byte_range(p.end_byte, scope.end_byte)
            return any(text(n) == name for n in cursor.captures(scope).get("it", []))
        return False

    def _entry_applies(self, e: dict, call: Call) -> str | None:
        """How the receiver matches a db_calls entry: "direct" (a DbSet of a context / a DbSet
        variable), "name" (the receiver regex), "handle" (a query / connection variable), or None."""
        recv = call.receiver or ""
        rx = e.get("receiver")
        handle = e.get("handle")
        lib = e.get("library")
        if handle == "queryable" and call.receiver_node is not None:
            src = self._source(call.receiver_node)
            if src.query:
                return "direct" if src.direct else "handle"
        kind = self._root_kind(call.receiver_node) if call.receiver_node is not None else None
        allowed = {"ef": ("context", "queryable"), "dapper": ("connection",), "ado.net": ("command",)}.get(lib, ())
        if rx and re.search(rx, recv):
            if kind is not None and allowed and kind not in allowed:
                return None
            return "direct" if handle == "queryable" else "name"
        if handle in ("context", "connection", "command") and kind == handle:
            root = self._chain_root(call.receiver_node)
            norm = re.sub(r"^(?:this\.)?" + re.escape(text(root)), {"context": "db", "connection": "conn"}.get(handle, "cmd"), recv) \
                if root is not None else recv
            if rx and re.search(rx, norm):
                return "name"
        return None

    def _command_created_in_loop(self, call: Call) -> bool:
        root = self._chain_root(call.receiver_node)
        loop = next((lp for lp in call.loops if lp.kind != "query"), None)
        if root is None or loop is None:
            return False
        for typ, decl in self._declared_types(root):
            value = _unwrap(self._declarator_value(decl)) if decl is not None and decl.type == "variable_declarator" else None
            if value is not None and value.type in ("object_creation_expression", "implicit_object_creation_expression") \
                    and loop.node.start_byte <= decl.start_byte < loop.node.end_byte:
                return True
        return False

    @staticmethod
    def _translated(call: Call) -> bool:
        """Inside a lambda of a LINQ operator on an IQueryable: EF translates it into the outer query."""
        return any(lp.kind == "query" for lp in call.loops)

    def _runs_sql(self, call: Call, arg: ts.Node | None) -> bool:
        """A Dapper-named call (`Query`, `Execute`, ...) that runs SQL: on a connection, or with SQL text."""
        rx = self.knowledge.get("connection_receiver")
        if rx and re.search(rx, call.receiver or ""):
            return True
        kind = self._root_kind(call.receiver_node) if call.receiver_node is not None else None
        if kind == "connection":
            return True
        a = _unwrap(arg)
        if a is None:
            return False
        if kind is None and a.type in ("identifier", "member_access_expression"):
            name = self._name_of(a.child_by_field_name("name") if a.type == "member_access_expression" else a)
            if _SQL_NAME.search(name):
                return True
        return bool(_SQL_START.match(self._sql_text(a)))

    def _sql_text(self, arg: ts.Node | None) -> str:
        """The text of a SQL argument, following a local / const / readonly field it names."""
        a = _unwrap(arg)
        if a is None:
            return ""
        if a.type == "identifier":
            for _typ, decl in self._declared_types(a):
                if decl is not None and decl.type == "variable_declarator":
                    v = self._declarator_value(decl)
                    if v is not None:
                        return text(v)[:2000]
            init = self._field_initializer(a)
            if init is not None:
                return text(init)[:2000]
        elif a.type == "member_access_expression":
            init = self._qualified_constant(a)
            if init is None and text(a.child_by_field_name("expression")) == "this":
                init = self._field_initializer(a.child_by_field_name("name"))
            if init is not None:
                return text(init)[:2000]
        return text(a)[:2000]

    def _collection_expr(self, node: ts.Node | None, depth: int = 0) -> bool:
        """A list of rows / parameter objects (not one object): `items`, `rows.Select(...)`, `new[] {...}`."""
        n = _unwrap(node)
        if n is None or depth > 4:
            return False
        t = n.type
        if t in ("array_creation_expression", "implicit_array_creation_expression", "collection_expression"):
            return True
        if t == "object_creation_expression":
            return self._name_of(n.child_by_field_name("type")) in _NAV_COLLECTIONS
        if t == "invocation_expression":
            fn = n.child_by_field_name("function")
            return fn is not None and fn.type == "member_access_expression" and self._name_of(fn.child_by_field_name("name")) in (
                "ToList", "ToArray", "AsList", "ToHashSet", "Select", "Where", "Distinct", "Take", "Skip", "OrderBy",
                "Concat", "Union", "AsEnumerable")
        if t == "identifier":
            for typ, decl in self._declared_types(n):
                if typ.type == "implicit_type":
                    if decl is not None and decl.type == "variable_declarator":
                        return self._collection_expr(self._declarator_value(decl), depth + 1)
                    p = typ.parent
                    if p is not None and p.type == "foreach_statement":  # foreach (var chunk in rows.Chunk(500))
                        it = _unwrap_await(p.child_by_field_name("right"))
                        fn = it.child_by_field_name("function") if it is not None and it.type == "invocation_expression" else None
                        return fn is not None and fn.type == "member_access_expression" and \
                            self._name_of(fn.child_by_field_name("name")) in _BATCH_METHODS
                    return False
                if typ.type == "array_type":
                    return True
                if typ.type == "generic_name" and self._name_of(typ) in _NAV_COLLECTIONS:
                    return True
            return False
        return False


    # -- facts -------------------------------------------------------------------------------
    def facts(self, tree: ts.Tree) -> Facts:
        self._root_memo: dict[int, ts.Node] = {}  # string_root climbs, shared by one file's literals
        try:
            facts = super().facts(tree)
        finally:
            self._root_memo = {}
        # property sinks (`cmd.CommandText = sql`), captured by the extra @sqlprop pattern
        cursor = ts.QueryCursor(self._prop_query)
        props = []
        pseudo = []
        for n in cursor.captures(tree.root_node).get("sqlprop", []):
            op = text(n.child_by_field_name("operator"))
            left = n.child_by_field_name("left")
            if left.type == "member_access_expression" and op in ("=", "+="):
                # `cmd.CommandText` is followed like a local variable (`=` then `+=` appends)
                pseudo.append(Assignment(self._property_name(left), n.child_by_field_name("right"), op, n,
                                         self._function_of(n, facts)))
                props.append(n)
            elif op == "=":
                props.append(n)
        props.sort(key=lambda n: n.start_byte)
        facts.sql_properties = props  # type: ignore[attr-defined]
        if pseudo:
            facts.assignments.extend(pseudo)
            facts.index()
        self._share_closure_assignments(facts)
        self._index_builders(facts)
        self._retarget_appended(facts)
        facts.root = tree.root_node  # type: ignore[attr-defined]
        self._enumerated_sets(facts)
        self._relink_loops(facts)
        return facts

    def _retarget_appended(self, facts: Facts) -> None:
        """`var sql = "DELETE FROM t"; if (id != null) sql += " WHERE id = @id"; db.Execute(sql);`
        The first literal is not the query: the variable at its use after the appends is. Move such
        roots to that use (a call argument or `CommandText = sql`), or drop them when unused."""
        by_value = {a.value.id: a for a in facts.assignments if a.value is not None and a.op == "="}
        if not by_value:
            return
        uses: dict[tuple[int, str], list[ts.Node]] = {}
        for c in facts.calls:
            fid = c.function.node.id if c.function else 0
            for a in list(c.args) + list(c.kwargs.values()):
                if a.type == "identifier":
                    uses.setdefault((fid, text(a)), []).append(a)
        for n in getattr(facts, "sql_properties", ()):
            right = n.child_by_field_name("right")
            if right is not None and right.type == "identifier":
                fn = self._function_of(right, facts)
                uses.setdefault((fn.node.id if fn else 0, text(right)), []).append(right)
        drop: set[int] = set()
        add: list[ts.Node] = []
        for root in facts.strings:
            a = by_value.get(root.id)
            if a is None:
                continue
            key = (a.function.node.id if a.function else 0, a.name)
            later = [b for b in facts._assign_index.get(key, []) if b.start_byte > a.start_byte]
            appends = []
            for b in later:
                # `sql += ...`, `sql = sql + ...`, `sql = AddFilters(sql, f)`: the same text, extended
                if b.value is not None and (b.op == "+=" or re.search(rf"(?<![\w.]){re.escape(a.name)}\b", text(b.value))):
                    appends.append(b)
                else:
                    break
            if not appends:
                continue
            drop.add(root.id)
            drop.update(b.value.id for b in appends)
            last = appends[-1]
            nxt = later[len(appends)] if len(later) > len(appends) else None
            use = next((u for u in sorted(uses.get(key, ()), key=lambda u: u.start_byte)
                        if u.start_byte >= last.node.end_byte and (nxt is None or u.start_byte < nxt.start_byte)), None)
            if use is not None:
                add.append(use)
            elif last.op == "+=" and last.node.type == "assignment_expression":
                add.append(last.node)  # `sql += "..."` evaluates to the whole text
            elif last.op == "=" and last.value.type == "binary_expression":
                add.append(last.value)  # sql = sql + "...": the last value is the whole text
        if not drop:
            return
        out = [n for n in facts.strings if n.id not in drop]
        have = {n.id for n in out}
        for n in add:
            if n.id not in have:
                have.add(n.id)
                out.append(n)
        out.sort(key=lambda n: n.start_byte)
        facts.strings = out

    def _share_closure_assignments(self, facts: Facts) -> None:
        """A lambda or local function sees the locals its enclosing function assigned before it."""
        fn_by_id = {f.node.id: f for f in facts.functions}
        idx = facts._assign_index
        by_fn: dict[int, list[str]] = {}
        for (fid, name) in list(idx):
            by_fn.setdefault(fid, []).append(name)
        for f in sorted(facts.functions, key=lambda f: f.node.start_byte):
            if f.node.type not in _NESTED_FUNCTIONS:
                continue
            p, outer = f.node.parent, None
            while p is not None:
                if p.id in fn_by_id:
                    outer = fn_by_id[p.id]
                    break
                p = p.parent
            if outer is None:
                continue
            params = set(f.params)
            for name in by_fn.get(outer.node.id, ()):
                if name in params:
                    continue
                visible = [a for a in idx[(outer.node.id, name)] if a.node.end_byte <= f.node.start_byte]
                if not visible:
                    continue
                key = (f.node.id, name)
                if key not in idx:
                    by_fn.setdefault(f.node.id, []).append(name)
                idx[key] = sorted(visible + [a for a in idx.get(key, ()) if a not in visible], key=lambda a: a.start_byte)

    def _index_builders(self, facts: Facts) -> None:
        """StringBuilder appends per (function, builder variable), and `sb.ToString()` as a string root."""
        builders: dict[tuple[int, str], list[Call]] = {}
        to_string: list[Call] = []
        for c in facts.calls:
            if c.method in _BUILDER_METHODS:
                root = self._builder_root(c.receiver_node)
                if root is not None:
                    # an append inside a lambda also extends the builder of the enclosing functions
                    for fid in self._function_chain(c.node, facts):
                        builders.setdefault((fid, text(root)), []).append(c)
            elif c.method == "ToString" and not c.args and c.receiver_node is not None and c.receiver_node.type == "identifier":
                to_string.append(c)
        for lst in builders.values():
            lst.sort(key=lambda c: self._call_args_start(c))
        facts.builders = builders  # type: ignore[attr-defined]
        # builders handed to other code (`AddFilters(sb, f)`) may get text we cannot see
        escapes: dict[tuple[int, str], list[ts.Node]] = {}
        names = {name for _, name in builders} | {text(c.receiver_node) for c in to_string}
        for c in facts.calls:
            for a in list(c.args) + list(c.kwargs.values()):
                if a.type == "identifier" and text(a) in names:
                    for fid in self._function_chain(a, facts):
                        escapes.setdefault((fid, text(a)), []).append(a)
        facts.builder_escapes = escapes  # type: ignore[attr-defined]
        # the last `sb.ToString()` of each StringBuilder holds the whole SQL text: make it the root
        last: dict[int, Call] = {}
        for c in to_string:
            assign = self._builder_assignment(c.receiver_node, facts)
            if assign is not None:
                prev = last.get(assign.node.id)
                if prev is None or prev.node.start_byte < c.node.start_byte:
                    last[assign.node.id] = c
        if not last:
            return
        drop: set[int] = set()
        for assign_id, c in last.items():
            name = text(c.receiver_node)
            key = (c.function.node.id if c.function else 0, name)
            pieces = [a for call in builders.get(key, ()) for a in call.args]
            assign = self._builder_assignment(c.receiver_node, facts)
            if assign is not None and assign.value is not None:
                args = assign.value.child_by_field_name("arguments")
                if args is not None:
                    pieces.extend(args.named_children)
            for piece in pieces:
                drop.add(piece.id)
                inner = piece.named_children[-1] if piece.type == "argument" and piece.named_children else None
                if inner is not None:
                    drop.add(inner.id)
        strings = [s for s in facts.strings if s.id not in drop]
        strings.extend(c.node for c in last.values())
        strings.sort(key=lambda n: n.start_byte)
        facts.strings = strings

    def _function_chain(self, node: ts.Node, facts: Facts) -> list[int]:
        """Ids of the functions enclosing node, innermost first (0 = file level)."""
        self._function_of(node, facts)
        ids = facts._fn_by_id  # type: ignore[attr-defined]
        out = []
        p = node.parent
        while p is not None:
            if p.id in ids:
                out.append(p.id)
            p = p.parent
        return out or [0]

    @staticmethod
    def _call_args_start(c: Call) -> int:
        al = c.node.child_by_field_name("arguments")
        return al.start_byte if al is not None else c.node.end_byte

    def _builder_root(self, recv: ts.Node | None) -> ts.Node | None:
        """The builder variable at the bottom of `sb.Append(a).Append(b)`."""
        steps = 0
        while recv is not None and recv.type == "invocation_expression" and steps < 200:
            fn = recv.child_by_field_name("function")
            if fn is None or fn.type != "member_access_expression" or self._name_of(fn.child_by_field_name("name")) not in _BUILDER_METHODS:
                return None
            recv = fn.child_by_field_name("expression")
            steps += 1
        if recv is not None and recv.type == "identifier":
            return recv
        return None

    def _builder_assignment(self, ident: ts.Node, facts: Facts, ev: Evaluator | None = None):
        fn = ev.function_of(ident) if ev is not None else self._function_of(ident, facts)
        assigns = facts.assignments_before(text(ident), fn, ident.start_byte)
        for a in reversed(assigns):
            if a.op != "=":
                continue
            v = _unwrap(a.value)
            if v is not None and v.type == "object_creation_expression" and \
                    self._name_of(v.child_by_field_name("type")) == "StringBuilder":
                return a
            return None
        return None

    def _is_parameter(self, ident: ts.Node) -> bool:
        name = text(ident)
        p = ident.parent
        while p is not None:
            if p.type in _MEMBER_FUNCTIONS or p.type in _NESTED_FUNCTIONS:
                if name in self._params(p.child_by_field_name("parameters")):
                    return True
            elif p.type in _TYPE_DECLS:
                return False
            p = p.parent
        return False

    @staticmethod
    def _function_of(node: ts.Node, facts: Facts) -> Function | None:
        ids = getattr(facts, "_fn_by_id", None)
        if ids is None:
            ids = {f.node.id: f for f in facts.functions}
            facts._fn_by_id = ids  # type: ignore[attr-defined]
        p = node.parent
        while p is not None:
            if p.id in ids:
                return ids[p.id]
            p = p.parent
        return None

    # -- sinks -------------------------------------------------------------------------------
    def sql_sink(self, call: Call):
        """base.sql_sink plus `arg_match: {index: regex}` conditions on other arguments."""
        for s in self._sinks_by_method.get(call.method, ()):
            if not self.sink_entry_matches(s, call):
                continue
            cond = s.get("arg_match") or {}
            if any(int(i) >= len(call.args) or not re.search(r, squash(text(call.args[int(i)]))) for i, r in cond.items()):
                continue
            arg = None
            if "kwarg" in s and s["kwarg"] in call.kwargs:
                arg = call.kwargs[s["kwarg"]]
            elif len(call.args) > s.get("arg", 0):
                arg = call.args[s.get("arg", 0)]
            if arg is None:
                continue
            return s, arg
        return None

    def sql_sink_args(self, facts: Facts):
        for call in facts.calls:
            hit = self.sql_sink(call)
            if hit is None:
                continue
            entry, arg = hit
            arg = self._arg_expr(arg)
            if entry.get("interpolation_safe") and self._formattable(arg):
                continue  # EF Core turns the interpolation holes into DbParameters
            name = call.callee if len(call.callee) <= 60 else call.method
            yield call.node, ("new " + name) if call.is_new else name, entry, arg
        props = list(getattr(facts, "sql_properties", ()))
        for i, node in enumerate(props):
            left = node.child_by_field_name("left")
            member = left.type == "member_access_expression"
            prop = self._name_of(left.child_by_field_name("name") if member else left)
            entry = self._sql_props.get(prop)
            if entry is None:
                continue
            if member:
                # report a chain `cmd.CommandText = ...; cmd.CommandText += ...` once, at its end
                name, fn = self._property_name(left), self._function_of(node, facts)
                nxt = next((q for q in props[i + 1:] if q.child_by_field_name("left").type == "member_access_expression"
                            and self._property_name(q.child_by_field_name("left")) == name
                            and self._function_of(q, facts) is fn), None)
                if nxt is not None and text(nxt.child_by_field_name("operator")) == "+=":
                    continue
            op = text(node.child_by_field_name("operator"))
            arg = node if op == "+=" else node.child_by_field_name("right")
            yield node, squash(text(left)) if len(text(left)) <= 60 else prop, entry, arg

    def _property_name(self, node: ts.Node) -> str:
        return squash(text(node))

    def is_local_name(self, node: ts.Node) -> str | None:
        if node is None:
            return None
        if node.type == "identifier":
            return text(node)
        if node.type == "member_access_expression" and self._name_of(node.child_by_field_name("name")) in self._sql_props:
            return self._property_name(node)
        return None

    def _arg_expr(self, arg: ts.Node | None) -> ts.Node | None:
        if arg is not None and arg.type == "argument":
            return arg.named_children[-1] if arg.named_children else None
        return arg

    def _formattable(self, arg: ts.Node | None) -> bool:
        """An interpolated string given straight to a FormattableString parameter, or a variable
        declared `FormattableString`."""
        arg = _unwrap(arg)
        if arg is None:
            return False
        if arg.type == "interpolated_string_expression":
            return True
        if arg.type == "identifier":
            types = self._declared_types(arg)
            return bool(types) and all(self._name_of(t) == "FormattableString" for t, _ in types)
        if arg.type == "invocation_expression":
            callee = _strip_generics(squash(text(arg.child_by_field_name("function"))))
            return callee.endswith("FormattableStringFactory.Create")
        return False

    # -- routes (knowledge.d/routes.yaml) -----------------------------------------------------
    def route_handlers(self, facts: Facts, path: str) -> list[RouteHandler]:
        """As recognised from knowledge.d/routes.yaml, keeping only real ASP.NET actions: public,
        not static, not `[NonAction]`, with a body, outside interfaces; Razor Pages handlers are
        `On<Verb>[Name][Async]`. An action without an HTTP attribute accepts any verb (`*`), but a
        legacy Web API 2 `ApiController` maps a verb prefix of the name (`GetOrders` -> GET)."""
        if facts.routes is None:
            handlers = super().route_handlers(facts, path)
            facts.routes = [h for h in handlers if self._aspnet_action(h)]
        return facts.routes

    def _aspnet_action(self, h: RouteHandler) -> bool:
        f = h.function
        if h.framework != "aspnet" or f is None:
            return True
        if f.node.type != "method_declaration":
            return False  # constructors, operators, property accessors
        mods = self._modifiers(f.node)
        if "public" not in mods or "static" in mods or "abstract" in mods or f.body is None:
            return False
        if any(_NON_ACTION.match(d) for d in f.decorators):
            return False
        cls = self._enclosing_type(f.node)
        if cls is None or cls.type == "interface_declaration":
            return False
        if any(_PAGE_MODEL.search(b) for b in f.class_bases):
            m = _PAGE_HANDLER.match(f.name)
            if m is None:
                return False
            h.methods = (m.group(1).upper(),)
            return True
        if not h.methods:
            verb = None
            if any(_WEB_API2.search(b) for b in f.class_bases) and self._uses_web_api2(f.node):
                m = _VERB_PREFIX.match(f.name)
                verb = m.group(1).upper() if m else None
            h.methods = (verb,) if verb else ("*",)
        return True

    @staticmethod
    def _uses_web_api2(node: ts.Node) -> bool:
        """The file imports ASP.NET Web API 2 (`using System.Web.Http;`), whose `ApiController`
        routes by verb prefix; an ASP.NET Core project's own `ApiController` base does not."""
        root = node
        while root.parent is not None:
            root = root.parent
        return b"System.Web.Http" in (root.text or b"")[:8000]

    def extra_route_handlers(self, facts: Facts, path: str) -> list[RouteHandler]:
        """Minimal APIs that data cannot tell apart: `app.Map("/x", handler)` (any verb; not the
        middleware branch `app.Map("/x", b => b.Run(...))`), `app.MapMethods("/x", new[] { "GET" },
        handler)` (the verbs of its second argument only) and `app.MapFallback([pattern,] handler)`."""
        from ..routes import registration_evidence

        out: list[RouteHandler] = []
        for c in facts.calls:
            if c.method not in _MAP_ENDPOINTS or c.receiver is None or c.node.has_error or not c.args:
                continue
            args = c.args
            route = None
            if c.method == "MapFallback":
                if len(args) > 2 or (len(args) == 2 and args[0].type not in _LITERAL_TYPES):
                    continue
                methods: tuple[str, ...] = ("*",)
                if len(args) == 2:
                    route = self._route_literal(args[0])
            else:
                if len(args) != (3 if c.method == "MapMethods" else 2) or args[0].type not in _LITERAL_TYPES:
                    continue
                route = self._route_literal(args[0])
                methods = ("*",)
                if c.method == "MapMethods":
                    found: list[str] = []
                    for w in _VERB_WORD.findall(text(args[1])[:300]):
                        if w.upper() not in found:
                            found.append(w.upper())
                    methods = tuple(found) or ("*",)
            f = self.route_function(facts, args[-1])
            if f is None or (c.method == "Map" and self._branch_lambda(f)):
                continue
            out.append(RouteHandler.of(f, "minimal-api", methods, route, registration_evidence(c.callee, c.node)))
        return out

    @staticmethod
    def _route_literal(node: ts.Node) -> str | None:
        m = re.search(r'"([^"]*)"', text(node)[:200])
        return m.group(1) if m else None

    def _branch_lambda(self, f: Function) -> bool:
        """`b => b.Run(...)` / `branch => { branch.UseX(); }`: an Action<IApplicationBuilder> (an
        untyped parameter used as the builder), i.e. `IApplicationBuilder.Map`, not an endpoint."""
        if f.kind != "lambda" or len(f.params) != 1:
            return False
        ps = f.node.child_by_field_name("parameters")
        if ps is not None and ps.type == "parameter_list":
            p = next((x for x in ps.named_children if x.type == "parameter"), None)
            if p is not None and p.child_by_field_name("type") is not None:
                return False
        body = text(f.body)[:2000]
        return re.search(rf"(?<![\w.]){re.escape(f.params[0])}\s*\.\s*(?:Run|Use\w*|Map\w*)\s*[(<]", body) is not None

    # -- functions ---------------------------------------------------------------------------
    def function_info(self, node: ts.Node) -> Function:
        t = node.type
        params = self._params(node.child_by_field_name("parameters"))
        body = node.child_by_field_name("body")
        if t in ("lambda_expression", "anonymous_method_expression"):
            if body is None:
                body = next((c for c in node.named_children if c.type == "block"), None)
            return Function(node, "<lambda>", params, body=body, kind="lambda")
        if t == "accessor_declaration":
            prop = node.parent.parent if node.parent is not None else None
            pname = text(prop.child_by_field_name("name")) if prop is not None else ""
            name = f"{pname}.{text(node.child_by_field_name('name'))}" if pname else text(node.child_by_field_name("name"))
        elif t == "operator_declaration":
            name = "operator" + text(node.child_by_field_name("operator"))
        else:
            name = text(node.child_by_field_name("name"))
        fn = Function(node, name, params, self._attributes(node), body=body,
                      kind="function" if t == "local_function_statement" else "method")
        if t == "local_function_statement":
            return fn
        cls = self._enclosing_type(node)
        if cls is not None:
            fn.class_name = text(cls.child_by_field_name("name"))
            bases = next((c for c in cls.named_children if c.type == "base_list"), None)
            if bases is not None:
                fn.class_bases = [squash(text(b)) for b in bases.named_children if b.type != "argument_list"]
            fn.class_decorators = self._attributes(cls)
        return fn

    @staticmethod
    def _attributes(node: ts.Node) -> list[str]:
        out = []
        for al in node.children:
            if al.type == "attribute_list":
                out.extend(squash(text(a)) for a in al.named_children if a.type == "attribute")
        return out

    @staticmethod
    def _enclosing_type(node: ts.Node) -> ts.Node | None:
        return enclosing_node(node, _TYPE_DECLS, _MEMBER_FUNCTIONS | _NESTED_FUNCTIONS)

    @staticmethod
    def _params(params: ts.Node | None) -> list[str]:
        if params is None:
            return []
        if params.type in ("identifier", "implicit_parameter"):
            return [text(params)]
        return param_names(params, bare=frozenset(), only=("parameter",))

    # -- calls -------------------------------------------------------------------------------
    @staticmethod
    def _name_of(node: ts.Node | None) -> str:
        """Last simple name of an identifier / generic_name / qualified_name / alias."""
        if node is None:
            return ""
        if node.type == "generic_name":
            node = next((c for c in node.named_children if c.type == "identifier"), node)
        elif node.type == "qualified_name":
            return Adapter._name_of(node.child_by_field_name("name"))
        elif node.type == "alias_qualified_name":
            return Adapter._name_of(node.named_children[-1])
        elif node.type == "nullable_type":
            return Adapter._name_of(node.named_children[0] if node.named_children else None)
        return text(node)

    def _arguments(self, al: ts.Node | None) -> tuple[list[ts.Node], dict[str, ts.Node]]:
        args: list[ts.Node] = []
        kwargs: dict[str, ts.Node] = {}
        if al is None:
            return args, kwargs
        for a in al.named_children:
            if a.type != "argument":
                continue
            name = a.child_by_field_name("name")
            value = next((c for c in reversed(a.named_children) if c != name), None)
            if value is None:
                continue
            if name is not None:
                kwargs[text(name)] = value
            else:
                args.append(value)
        return args, kwargs

    def call_info(self, node: ts.Node) -> Call | None:
        t = node.type
        if t == "object_creation_expression":
            typ = node.child_by_field_name("type")
            args, kwargs = self._arguments(node.child_by_field_name("arguments"))
            return Call(node, _strip_generics(squash(text(typ))), self._name_of(typ), None, args, kwargs, is_new=True)
        if t == "implicit_object_creation_expression":
            typ = self._target_type(node)
            al = next((c for c in node.named_children if c.type == "argument_list"), None)
            args, kwargs = self._arguments(al)
            name = self._name_of(typ)
            return Call(node, _strip_generics(squash(text(typ))) if typ is not None else "new", name, None, args, kwargs, is_new=True)
        fn = node.child_by_field_name("function")
        if fn is None:
            return None
        args, kwargs = self._arguments(node.child_by_field_name("arguments"))
        if fn.type == "member_access_expression":
            recv = fn.child_by_field_name("expression")
            method = self._name_of(fn.child_by_field_name("name"))
            receiver = squash(text(recv))
            return Call(node, f"{receiver}.{method}", method, receiver, args, kwargs, receiver_node=recv)
        if fn.type == "conditional_access_expression":
            recv = fn.child_by_field_name("condition")
            binding = next((c for c in fn.named_children if c.type == "member_binding_expression"), None)
            if binding is None:
                return None
            method = self._name_of(binding.child_by_field_name("name"))
            receiver = squash(text(recv))
            return Call(node, f"{receiver}?.{method}", method, receiver, args, kwargs, receiver_node=recv)
        if fn.type in ("identifier", "generic_name"):
            method = self._name_of(fn)
            return Call(node, method, method, None, args, kwargs)
        callee = _strip_generics(squash(text(fn)))
        return Call(node, callee, callee.rsplit(".", 1)[-1], None, args, kwargs)

    @staticmethod
    def _target_type(node: ts.Node) -> ts.Node | None:
        """The declared type that `new(...)` creates: `SqlCommand cmd = new(sql, conn);`."""
        p = node.parent
        if p is not None and p.type == "variable_declarator":
            decl = p.parent
            if decl is not None and decl.type == "variable_declaration":
                typ = decl.child_by_field_name("type")
                if typ is not None and typ.type != "implicit_type":
                    return typ
        return None

    # -- assignments -------------------------------------------------------------------------
    def assignment_info(self, node: ts.Node):
        if node.type == "variable_declarator":
            name = node.child_by_field_name("name")
            if name is None or name.type != "identifier":
                return []
            value = None
            seen_eq = False
            for c in node.children:
                if seen_eq and c.is_named:
                    value = c
                    break
                if c.type == "=":
                    seen_eq = True
            if value is not None and value.type == "await_expression":
                value = _unwrap_await(value)  # var orders = await q.ToListAsync(): the query call
            return [(text(name), value, "=")]
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        if left is None or left.type != "identifier":
            return []
        if node.parent is not None and node.parent.type in ("initializer_expression", "anonymous_object_creation_expression",
                                                            "with_initializer"):
            return []  # `new X { Name = ... }` sets a member, not a local
        op = text(node.child_by_field_name("operator"))
        if op == "+=":
            return [(text(left), right, "+=")]
        if op != "=":
            return [(text(left), None, "=")]
        while right is not None and right.type == "assignment_expression":  # a = b = "..."
            right = right.child_by_field_name("right")
        return [(text(left), right, "=")]

    # -- loops -------------------------------------------------------------------------------
    def loop_info(self, node: ts.Node) -> Loop:
        t = node.type
        if t == "foreach_statement":
            left = node.child_by_field_name("left")
            names = [text(left)] if left is not None and left.type == "identifier" else \
                [text(c) for c in (left.named_children if left is not None else []) if c.type == "identifier"]
            it = _unwrap_await(node.child_by_field_name("right"))
            return self._batch_loop(Loop(node, "for", it, names, node.child_by_field_name("body")))
        if t == "for_statement":
            names = []
            init = node.child_by_field_name("initializer")
            if init is not None and init.type == "variable_declaration":
                names = [text(d.child_by_field_name("name")) for d in init.named_children if d.type == "variable_declarator"]
            return Loop(node, "for", self._indexed_collection(node, names), names, node.child_by_field_name("body"))
        if t == "query_expression":
            # from x in xs ... select f(x): once per element of xs; translated to SQL when xs is a query
            fc = next((c for c in node.named_children if c.type == "from_clause"), None)
            src = fc.named_children[-1] if fc is not None and fc.named_children else None
            if src is not None and self._source(src).query:
                return Loop(node, "query", None, [], node)
            var = fc.child_by_field_name("name") if fc is not None else None
            return Loop(node, "comprehension", _unwrap_await(src), [text(var)] if var is not None else [], node)
        if t in ("while_statement", "do_statement"):
            cond = node.child_by_field_name("condition")
            c = _unwrap_await(cond)
            if c is not None and c.type == "invocation_expression":
                fn = c.child_by_field_name("function")
                if fn is not None and fn.type == "member_access_expression" and \
                        self._name_of(fn.child_by_field_name("name")) in _CURSOR_METHODS:
                    # while (reader.Read()) / while (await e.MoveNextAsync()): one pass per row
                    return Loop(node, "cursor", None, [], node.child_by_field_name("body"))
            return Loop(node, "while", cond, [], node.child_by_field_name("body"))
        # loop-like call: items.ForEach(x => ...), Parallel.ForEach(items, x => ...), items.Select(x => ...),
        # Task.WhenAll(items.Select(async x => ...)); on an IQueryable the lambda is translated to SQL
        fn = node.child_by_field_name("function")
        recv = fn.child_by_field_name("expression") if fn is not None else None
        method = self._name_of(fn.child_by_field_name("name")) if fn is not None else ""
        al = node.child_by_field_name("arguments")
        args, _ = self._arguments(al)
        lams = [a for a in args if a.type in ("lambda_expression", "anonymous_method_expression")]
        iterable = recv
        if recv is not None and text(recv) in ("Parallel", "System.Threading.Tasks.Parallel") and args:
            iterable = args[0]
        variables: list[str] = []
        for lam in lams:
            ps = self._params(lam.child_by_field_name("parameters"))
            if ps:
                variables.append(ps[-1] if method == "Aggregate" else ps[0])
        if len(lams) == 1:
            body = lams[0].child_by_field_name("body") or next((c for c in lams[0].named_children if c.type == "block"), None)
        else:
            body = al
        if method not in _ALWAYS_LOOPS and iterable is recv and (
                method.endswith("Async") or method in ("ExecuteUpdate",) or self._source(recv).query):
            return Loop(node, "query", None, [], body)
        return self._batch_loop(Loop(node, "callback", _unwrap_await(iterable), variables, body))

    def _indexed_collection(self, node: ts.Node, names: list[str]) -> ts.Node | None:
        """for (var i = 0; i < items.Count; i++): the collection `items`; None for counted, stepped
        (`i += 500`: batches) or open-ended loops (a retry loop `i < 3`, pages `p <= totalPages`)."""
        cond = node.child_by_field_name("condition")
        upd = node.child_by_field_name("update")
        if cond is None or cond.type != "binary_expression" or upd is None or len(names) != 1:
            return None
        i = names[0]
        if text(cond.child_by_field_name("operator")) not in ("<", "<=") or squash(text(cond.child_by_field_name("left"))) != i:
            return None
        if squash(text(upd)) not in (i + "++", "++" + i, i + "+=1", f"{i}={i}+1"):
            return None
        right = _unwrap(cond.child_by_field_name("right"))
        if right is not None and right.type == "invocation_expression":  # items.Count()
            fn = right.child_by_field_name("function")
            if fn is not None and fn.type == "member_access_expression" and not self._arguments(right.child_by_field_name("arguments"))[0]:
                right = fn
        if right is not None and right.type == "member_access_expression" and \
                self._name_of(right.child_by_field_name("name")) in ("Count", "Length", "LongLength", "LongCount"):
            return right.child_by_field_name("expression")
        return None

    def _batch_loop(self, loop: Loop) -> Loop:
        """A loop over chunks of a collection (`ids.Chunk(500)`, `foreach (var batch in batches)`) runs
        one query per chunk by design: not a loop over the items (no iterable: not a collection loop)."""
        it = _unwrap(loop.iterable)
        if it is None:
            return loop
        if it.type == "invocation_expression":
            fn = it.child_by_field_name("function")
            name = self._name_of(fn.child_by_field_name("name")) if fn is not None and fn.type == "member_access_expression" \
                else self._name_of(fn)
            if name in _BATCH_METHODS:
                return Loop(loop.node, "for", None, loop.variables, loop.body)
            return loop
        names = list(loop.variables)
        if it.type == "identifier":
            names.append(text(it))
        elif it.type == "member_access_expression":
            names.append(self._name_of(it.child_by_field_name("name")))
        if any(_BATCH_NAME.search(n) for n in names):
            return Loop(loop.node, "for", None, loop.variables, loop.body)
        return loop

    def _inside_loop_body(self, loop: Loop, node: ts.Node) -> bool:
        if loop.kind in ("callback", "query", "comprehension"):
            if loop.body is None:
                return False
            it = loop.iterable
            if it is not None and it.start_byte <= node.start_byte and node.end_byte <= it.end_byte:
                return False
            return loop.body.start_byte <= node.start_byte and node.end_byte <= loop.body.end_byte
        return super()._inside_loop_body(loop, node)

    def _relink_loops(self, facts: Facts) -> None:
        """The loops a call runs in, innermost first, crossing lambdas passed as arguments
        (`items.ForEach(x => ...)`, `ids.Select(async id => ...)`, a `Where` lambda in a foreach):
        base.facts stops at every function, so a callback's own loop would never be seen."""
        fn_by_id = {f.node.id: f for f in facts.functions}
        loop_by_id = {lp.node.id: lp for lp in facts.loops}
        memo: dict[int, tuple] = {}

        def chain(node: ts.Node) -> tuple:
            path = []
            p = node.parent
            while p is not None and p.id not in memo:
                path.append(p)
                p = p.parent
            acc = memo[p.id] if p is not None else ()
            for anc in reversed(path):
                if anc.id in fn_by_id:
                    callback = anc.type in ("lambda_expression", "anonymous_method_expression") and \
                        anc.parent is not None and anc.parent.type == "argument"
                    if not callback:
                        acc = ()
                elif anc.id in loop_by_id:
                    acc = (loop_by_id[anc.id],) + acc
                memo[anc.id] = acc
            return acc

        for c in facts.calls:
            c.loops = [lp for lp in chain(c.node) if self._inside_loop_body(lp, c.node)]

    def _enumerated_sets(self, facts: Facts) -> None:
        """`foreach (var o in ctx.Orders)`: enumerating a DbSet runs its query, though no method is
        called; add that call (`ctx.Orders.GetEnumerator()`, what foreach runs) to the facts."""
        for lp in facts.loops:
            if lp.node.type == "query_expression" and lp.kind == "query":
                # `from o in ctx.Orders where ... select o`, enumerated by a foreach / returned
                if not self._enumerated_here(lp.node):
                    continue
                fc = next((c for c in lp.node.named_children if c.type == "from_clause"), None)
                it, recv_node = lp.node, fc.named_children[-1]
            elif lp.node.type == "foreach_statement" and lp.iterable is not None:
                it = recv_node = _unwrap(lp.iterable)
                if it is None or it.type not in ("member_access_expression", "identifier"):
                    continue
                src = self._source(it)
                if not src.query or not src.direct:
                    continue
            else:
                continue
            recv = squash(text(recv_node))
            shown = recv if it == recv_node else f"from {text(fc.child_by_field_name('name'))} in {recv}"
            call = Call(it, shown, "GetEnumerator", recv, [], {}, receiver_node=recv_node)
            call.function = self._function_of(it, facts)
            facts.calls.append(call)

    # -- strings -----------------------------------------------------------------------------
    def string_root(self, node: ts.Node) -> ts.Node:
        memo = getattr(self, "_root_memo", None)
        if memo is None:
            return self._climb(node, [])
        visited: list[ts.Node] = []
        root = self._climb(node, visited, memo)
        for v in visited:
            memo[v.id] = root
        return root

    def _climb(self, node: ts.Node, visited: list[ts.Node], memo: dict | None = None) -> ts.Node:
        """Node.parent costs O(depth): a `+` chain of n literals would cost O(n * depth) per
        literal, so climbs stop at a node an earlier literal of the same file already climbed."""
        cur = node
        while True:
            if memo is not None and cur.id in memo:
                return memo[cur.id]
            visited.append(cur)
            p = cur.parent
            if p is None:
                return cur
            if p.type == "parenthesized_expression":
                cur = p
            elif p.type == "binary_expression" and text(p.child_by_field_name("operator")) == "+":
                cur = p
            elif p.type == "argument" and p.parent is not None and p.parent.parent is not None \
                    and p.parent.parent.type == "invocation_expression" and self._climbs_from_argument(p, p.parent.parent):
                cur = p.parent.parent
            elif p.type == "member_access_expression" and p.child_by_field_name("expression") == cur \
                    and p.parent is not None and p.parent.type == "invocation_expression" \
                    and self._name_of(p.child_by_field_name("name")) in (_PASS_THROUGH | {"Replace"}):
                cur = p.parent
            else:
                return cur

    def _climbs_from_argument(self, arg: ts.Node, call: ts.Node) -> bool:
        callee = _strip_generics(squash(text(call.child_by_field_name("function"))))
        if callee in ("string.Format", "String.Format", "System.String.Format"):
            args = [a for a in arg.parent.named_children if a.type == "argument"]
            return bool(args) and (arg == args[0] or (len(args) > 1 and arg == args[1]))
        if callee in ("string.Concat", "String.Concat", "FormattableString.Invariant"):
            return True
        return False

    def _literal(self, node: ts.Node) -> StringValue:
        t = node.type
        if t == "string_literal":
            parts = []
            for c in node.children:
                if c.type == "string_literal_content":
                    parts.append(text(c))
                elif c.type == "escape_sequence":
                    parts.append(unescape(text(c)))
            return StringValue(node, "".join(parts), [], "literal")
        if t == "verbatim_string_literal":
            s = text(node)
            s = s[s.find('"') + 1:]
            end = s.rfind('"')
            return StringValue(node, (s[:end] if end >= 0 else s).replace('""', '"'), [], "literal")
        if t == "raw_string_literal":
            content = [text(c) for c in node.children if c.type == "raw_string_content"]
            if content:
                return StringValue(node, "".join(content), [], "literal")
            return StringValue(node, text(node).strip('"'), [], "literal")
        if t == "character_literal":
            return StringValue(node, unescape(text(node)[1:-1]), [], "literal")
        return StringValue(node, "", [], "literal")

    def _interpolated(self, node: ts.Node, ev: Evaluator, depth: int) -> StringValue:
        start = next((c for c in node.children if c.type == "interpolation_start"), None)
        prefix = text(start) if start is not None else "$"
        raw = any(c.type == "interpolation_quote" for c in node.children)
        verbatim = "@" in prefix
        parts: list[StringValue] = []
        for c in node.children:
            if c.type == "string_content":
                s = text(c)
                if not raw:
                    s = s.replace("{{", "{").replace("}}", "}")
                    if verbatim:
                        s = s.replace('""', '"')
                parts.append(StringValue(c, s, [], "literal"))
            elif c.type == "escape_sequence":
                parts.append(StringValue(c, unescape(text(c)), [], "literal"))
            elif c.type == "interpolation":
                expr = next((x for x in c.named_children if x.type not in (
                    "interpolation_brace", "interpolation_alignment_clause", "interpolation_format_clause")), None)
                fmt = next((x for x in c.named_children if x.type == "interpolation_format_clause"), None)
                numeric = fmt is not None and bool(_NUMERIC_FORMAT.fullmatch(text(fmt)[1:].strip()))
                if expr is None:
                    continue
                v = ev.value(expr, depth) if not numeric else None
                parts.append(v if v is not None else StringValue.opaque(expr, text(expr), numeric))
        v = StringValue.join(node, parts)
        if v.dynamic:
            v.how = "string interpolation"
        return v

    def string_value(self, node: ts.Node, ev: Evaluator, depth: int) -> StringValue | None:
        t = node.type
        if t in _LITERAL_TYPES:
            return self._literal(node)
        if t == "interpolated_string_expression":
            return self._interpolated(node, ev, depth)
        if t in ("parenthesized_expression", "checked_expression") and node.named_child_count == 1:
            return ev.value(node.named_children[0], depth)
        if t == "binary_expression":
            if text(node.child_by_field_name("operator")) != "+":
                return None
            return self.concat_value(node, node.child_by_field_name("left"), node.child_by_field_name("right"), ev, depth)
        if t == "identifier":
            v = ev.variable(node, depth)
            if v is not None:
                return v
            if ev.facts.assignments_before(text(node), ev.function_of(node), node.start_byte) or self._is_parameter(node):
                return None
            init = self._field_initializer(node)
            if init is not None:
                v = ev.value(init, depth)
                if v is not None:
                    return StringValue(node, v.template, v.holes, v.how)
            return None
        if t == "assignment_expression" and text(node.child_by_field_name("operator")) == "+=":
            # the text after an append: `sql += "..."`, `cmd.CommandText += "..."`
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            base = ev.variable(left, depth) if self.is_local_name(left) is not None else None
            if base is None:
                return None
            rv = ev.value(right, depth) or StringValue.opaque(right, text(right), self.numeric_expression(right))
            return StringValue.join(node, [base, rv], None if base.dynamic or rv.dynamic else "literal")
        if t == "member_access_expression" and self.is_local_name(node) is not None:
            return ev.variable(node, depth)
        if t == "member_access_expression":
            recv = text(node.child_by_field_name("expression"))
            name = self._name_of(node.child_by_field_name("name"))
            if recv in ("string", "String", "System.String") and name == "Empty":
                return StringValue(node, "", [], "literal")
            if recv in ("Environment", "System.Environment") and name == "NewLine":
                return StringValue(node, "\n", [], "literal")
            if recv in ("this", "base") or recv == self._enclosing_type_name(node):
                init = self._field_initializer(node.child_by_field_name("name"))
                if init is not None:
                    return ev.value(init, depth)
                return None
            init = self._qualified_constant(node)
            if init is not None:
                return ev.value(init, depth)
            return None
        if t == "invocation_expression":
            return self._call_value(node, ev, depth)
        return None

    def _call_value(self, node: ts.Node, ev: Evaluator, depth: int) -> StringValue | None:
        fn = node.child_by_field_name("function")
        if fn is None:
            return None
        args, _ = self._arguments(node.child_by_field_name("arguments"))
        callee = _strip_generics(squash(text(fn)))
        if callee == "nameof" and args:
            return StringValue(node, self._name_of(args[0].child_by_field_name("name")) if args[0].type == "member_access_expression"
                               else text(args[0]), [], "literal")
        if callee in ("string.Format", "String.Format", "System.String.Format") and args:
            fmt_i = 0
            base = ev.value(args[0], depth)
            if base is None and len(args) > 1:
                base, fmt_i = ev.value(args[1], depth), 1  # string.Format(IFormatProvider, format, ...)
            if base is None:
                return None
            return self._format(node, base, args[fmt_i + 1:], "string.Format")
        if callee in ("string.Concat", "String.Concat", "System.String.Concat"):
            if len(args) == 1:
                return StringValue.opaque(node, text(node))
            parts = [ev.value(a, depth) or StringValue.opaque(a, text(a), self.numeric_expression(a)) for a in args]
            return StringValue.join(node, parts, "string.Concat")
        if callee in ("string.Join", "String.Join", "System.String.Join") and args:
            sep = ev.value(args[0], depth)
            if sep is not None and not sep.dynamic:
                v = StringValue.opaque(node, text(node))
                v.how = "string.Join"
                return v
            return None
        if callee in ("FormattableString.Invariant", "FormattableString.CurrentCulture") and args:
            return ev.value(args[0], depth)
        if fn.type != "member_access_expression":
            return None
        recv = fn.child_by_field_name("expression")
        method = self._name_of(fn.child_by_field_name("name"))
        if method == "ToString" and not args and recv is not None and recv.type == "identifier":
            assign = self._builder_assignment(recv, ev.facts, ev)
            if assign is not None:
                return self._builder_value(recv, assign, node, ev, depth)
        if method in _PASS_THROUGH:
            return ev.value(recv, depth)
        if method == "Replace" and len(args) == 2:
            base = ev.value(recv, depth)
            old = ev.value(args[0], depth)
            if base is None or old is None or old.dynamic or not old.template or old.template not in base.template:
                return base
            new = ev.value(args[1], depth) or StringValue.opaque(args[1], text(args[1]), self.numeric_expression(args[1]))
            out: list[StringValue] = []
            for seg in self._segments(node, base):
                if seg.dynamic:
                    out.append(seg)
                    continue
                for i, piece in enumerate(seg.template.split(old.template)):
                    if i:
                        out.append(new)
                    out.append(StringValue(node, piece, [], "literal"))
            return StringValue.join(node, out, "string.Replace")
        return None

    @staticmethod
    def _segments(node: ts.Node, v: StringValue) -> list[StringValue]:
        """A StringValue cut into literal pieces and one-hole pieces, in order."""
        out: list[StringValue] = []
        pos = 0
        for m in HOLE_RE.finditer(v.template):
            out.append(StringValue(node, v.template[pos:m.start()], [], "literal"))
            out.append(StringValue(node, hole_marker(0), [v.holes[int(m.group(1))]], "expression"))
            pos = m.end()
        out.append(StringValue(node, v.template[pos:], [], "literal"))
        return out

    def _format(self, node: ts.Node, base: StringValue, values: list[ts.Node], how: str) -> StringValue:
        parts: list[StringValue] = []
        pos = 0
        tmpl = base.template

        def literal(piece: str) -> None:
            # keep holes that were already in the template (an interpolated format string)
            parts.extend(self._segments(node, StringValue(node, piece, base.holes, "literal")))

        for m in _FORMAT_ITEM.finditer(tmpl):
            literal(tmpl[pos:m.start()])
            pos = m.end()
            tok = m.group(0)
            if tok in ("{{", "}}"):
                parts.append(StringValue(node, tok[0], [], "literal"))
                continue
            idx = int(m.group(1))
            numeric = m.group(2) is not None and bool(_NUMERIC_FORMAT.fullmatch(m.group(2).strip()))
            val = values[idx] if idx < len(values) else None
            if val is not None:
                parts.append(StringValue.opaque(val, text(val), numeric or self.numeric_expression(val)))
            else:
                v = StringValue.opaque(node, tok, numeric)
                v.holes[0].node = None
                parts.append(v)
        literal(tmpl[pos:])
        return StringValue.join(node, parts, how)

    def _builder_value(self, ident: ts.Node, assign, use: ts.Node, ev: Evaluator, depth: int) -> StringValue:
        name = text(ident)
        fn = ev.function_of(ident)
        parts: list[StringValue] = []
        ctor_args, _ = self._arguments(assign.value.child_by_field_name("arguments"))
        if ctor_args:
            v = ev.value(ctor_args[0], depth)
            if v is not None:
                parts.append(v)
        key = (fn.node.id if fn else 0, name)
        events: list[tuple[int, Call | ts.Node]] = [(self._call_args_start(c), c) for c in getattr(ev.facts, "builders", {}).get(key, ())]
        events.extend((n.start_byte, n) for n in getattr(ev.facts, "builder_escapes", {}).get(key, ()))
        events.sort(key=lambda e: e[0])
        for _, c in events:
            if isinstance(c, ts.Node):
                if assign.node.end_byte <= c.start_byte < use.start_byte:
                    # passed to code we cannot see: an unknown tail that we must not call unsafe
                    # (marked numeric so that it never counts as an injection) nor ignore (a
                    # helper may add the WHERE clause)
                    parts.append(StringValue(c, f" {hole_marker(0)} ", [Hole(c, f"<appended by a call taking {name}>", True)], "expression"))
                continue
            if c.node.start_byte < assign.node.end_byte or c.node.end_byte > use.start_byte:
                continue
            m, args = c.method, c.args
            if m == "Clear":
                parts = []
            elif m in ("Append", "AppendLine"):
                if args:
                    a = args[0]
                    parts.append(ev.value(a, depth) or StringValue.opaque(a, text(a), self.numeric_expression(a)))
                if m == "AppendLine":
                    parts.append(StringValue(c.node, "\n", [], "literal"))
            elif m == "AppendFormat" and args:
                fmt_i = 0
                base = ev.value(args[0], depth)
                if base is None and len(args) > 1:
                    base, fmt_i = ev.value(args[1], depth), 1
                parts.append(self._format(c.node, base, args[fmt_i + 1:], "StringBuilder.AppendFormat") if base is not None
                             else StringValue.opaque(c.node, text(c.node)))
            elif m == "AppendJoin":
                v = StringValue.opaque(c.node, text(c.node))
                parts.append(v)
            elif m == "Insert" and len(args) >= 2:
                v = ev.value(args[1], depth) or StringValue.opaque(args[1], text(args[1]), self.numeric_expression(args[1]))
                if text(args[0]) == "0":
                    parts.insert(0, v)
                else:
                    parts.append(v)
        if not parts:
            return StringValue(use, "", [], "literal")
        v = StringValue.join(use, parts)
        if v.dynamic:
            v.how = "a StringBuilder"
        return v

    # -- declarations, constants and numbers -------------------------------------------------
    def _scope_of(self, node: ts.Node) -> ts.Node | None:
        """The outermost member (method, constructor, accessor) holding node, else the nearest type."""
        p, scope = node.parent, None
        while p is not None:
            if p.type in _MEMBER_FUNCTIONS or p.type == "local_function_statement" or p.type == "global_statement":
                scope = p
            if p.type in _TYPE_DECLS:
                break
            p = p.parent
        return scope

    def _scope_declarations(self, scope: ts.Node) -> dict[str, list[tuple[ts.Node, ts.Node | None]]]:
        """name -> (type, declarator) of the declarations in a member, computed once per member
        (n-plus-one asks about many receivers of one method)."""
        root = scope
        while root.parent is not None:
            root = root.parent
        cached = getattr(self, "_decl_cache", None)
        if cached is None or cached[0] != root:  # the cached Node keeps its tree alive: no id reuse
            cached = self._decl_cache = (root, {})
        table = cached[1].get(scope.id)
        if table is not None:
            return table
        table = {}
        cursor = ts.QueryCursor(self._decl_query)
        cursor.set_byte_range(scope.start_byte, scope.end_byte)
        for _, caps in cursor.matches(scope):
            n, typ = caps.get("name"), caps.get("type")
            if n and typ:
                decl = caps.get("decl")
                table.setdefault(text(n[0]), []).append((typ[0], decl[0] if decl else None))
        cached[1][scope.id] = table
        return table

    def _declared_types(self, ident: ts.Node) -> list[tuple[ts.Node, ts.Node | None]]:
        """(type node, declarator) of every local/parameter declaration of ident's name in its member;
        falls back to the fields, properties and primary-constructor parameters of its type."""
        name = text(ident)
        scope = self._scope_of(ident)
        out: list[tuple[ts.Node, ts.Node | None]] = []
        if scope is not None:
            out = list(self._scope_declarations(scope).get(name, ()))
        if out:
            return out
        for member, typ, decl in self._members(ident):
            if member == name:
                out.append((typ, decl))
        return out

    def _members(self, node: ts.Node):
        """(name, type, declarator) of the fields, properties and record parameters of the types enclosing node."""
        p = node.parent
        while p is not None:
            if p.type in _TYPE_DECLS:
                for c in p.named_children:
                    if c.type == "parameter_list":
                        for prm in c.named_children:
                            if prm.type == "parameter" and prm.child_by_field_name("type") is not None:
                                yield text(prm.child_by_field_name("name")), prm.child_by_field_name("type"), None
                body = p.child_by_field_name("body")
                for m in (body.named_children if body is not None else []):
                    if m.type in ("field_declaration", "event_field_declaration"):
                        vd = next((c for c in m.named_children if c.type == "variable_declaration"), None)
                        if vd is None:
                            continue
                        typ = vd.child_by_field_name("type")
                        for d in vd.named_children:
                            if d.type == "variable_declarator":
                                yield text(d.child_by_field_name("name")), typ, d
                    elif m.type == "property_declaration":
                        yield text(m.child_by_field_name("name")), m.child_by_field_name("type"), m
            p = p.parent

    @staticmethod
    def _modifiers(node: ts.Node) -> set[str]:
        return {text(c) for c in node.children if c.type == "modifier"}

    def _enclosing_type_name(self, node: ts.Node) -> str | None:
        p = node.parent
        while p is not None:
            if p.type in _TYPE_DECLS:
                return text(p.child_by_field_name("name"))
            p = p.parent
        return None

    def _field_initializer(self, ident: ts.Node | None, depth: int = 0) -> ts.Node | None:
        """The constant value of a field or property of an enclosing type that ident names (and no
        parameter shadows): a `const`, a `readonly` field or get-only property initialised with a
        literal, or a `readonly` field that every constructor sets to a constant
        (`_table = typeof(T).Name;`)."""
        if ident is None or ident.type != "identifier" or depth > 4:
            return None
        name = text(ident)
        if self._is_parameter(ident):
            return None
        for member, _typ, decl in self._members(ident):
            if member != name or decl is None:
                continue
            if decl.type == "variable_declarator":
                field = decl.parent.parent if decl.parent is not None else None
                mods = self._modifiers(field) if field is not None else set()
                value = self._declarator_value(decl)
                if "const" in mods and value is not None:
                    return value
                if "readonly" not in mods:
                    return None
                if value is not None and not self._is_literalish(value):
                    return None
                return self._constructor_constant(field, name, value, depth)
            if decl.type == "property_declaration":
                return self._property_constant(decl)
        return None

    def _constructor_constant(self, field: ts.Node, name: str, initial: ts.Node | None, depth: int) -> ts.Node | None:
        """A readonly field's value when its initializer and every constructor assignment are constants."""
        cls = field.parent.parent if field.parent is not None else None
        body = field.parent
        values = [initial] if initial is not None else []
        for m in (body.named_children if body is not None else []):
            if m.type != "constructor_declaration":
                continue
            for _, caps in ts.QueryCursor(self._ctor_query).matches(m):
                if "tuple" in caps:
                    if re.search(rf"(?<![\w.]){re.escape(name)}\b", text(caps["tuple"][0])):
                        return None  # (_a, _b) = (a, b): not followed
                    continue
                f = caps.get("field")
                if f and text(f[0]) == name:
                    values.append(caps["value"][0])
        if not values or cls is None:
            return None
        for v in values:
            u = _unwrap(v)
            if u is not None and u.type == "identifier":
                if self._is_parameter(u) or self._field_initializer(u, depth + 1) is None and not _UPPER_CONST.fullmatch(text(u)):
                    return None
            elif not self.constant_expression(v, depth + 1):
                return None
        return values[0]

    @staticmethod
    def _declarator_value(decl: ts.Node) -> ts.Node | None:
        seen_eq = False
        for c in decl.children:
            if seen_eq and c.is_named:
                return c
            if c.type == "=":
                seen_eq = True
        return None

    def _property_constant(self, prop: ts.Node) -> ts.Node | None:
        """`string Table => "users";` or `string Table { get; } = "users";` (no setter)."""
        value = prop.child_by_field_name("value")
        if value is None:
            arrow = next((c for c in prop.named_children if c.type == "arrow_expression_clause"), None)
            if arrow is not None and arrow.named_children:
                value = arrow.named_children[-1]
        if value is None or not self._is_literalish(value):
            return None
        accessors = prop.child_by_field_name("accessors")
        if accessors is not None and any(text(a.child_by_field_name("name")) in ("set", "init")
                                         for a in accessors.named_children if a.type == "accessor_declaration"):
            return None
        return value

    def _is_literalish(self, node: ts.Node, depth: int = 0) -> bool:
        node = _unwrap(node)
        if node is None or depth > 20:
            return False
        if node.type in _LITERAL_TYPES or node.type in _NUMBER_LITERALS:
            return True
        if node.type == "binary_expression" and text(node.child_by_field_name("operator")) == "+":
            return all(self._is_literalish(c, depth + 1) for c in (node.child_by_field_name("left"), node.child_by_field_name("right")))
        return node.type == "identifier" and bool(_UPPER_CONST.fullmatch(text(node)))

    def _file_constants(self, node: ts.Node) -> dict[tuple[str, str], ts.Node | None]:
        """(type name, field name) -> initializer of every `const` field declared in this file
        (for `Tables.Users` style references)."""
        return self._file_index(node)[0]

    def _file_enums(self, node: ts.Node) -> set[str]:
        """Names of the enums declared in this file (their values print as member names)."""
        return self._file_index(node)[1]

    def _file_index(self, node: ts.Node) -> tuple[dict[tuple[str, str], ts.Node | None], set[str]]:
        root = node
        while root.parent is not None:
            root = root.parent
        cached = self._const_cache
        if cached is not None and cached[0] == root:  # the cached Node keeps its tree alive: no id reuse
            return cached[1]
        consts: dict[tuple[str, str], ts.Node | None] = {}
        enums: set[str] = set()
        stack, budget = [(root, "")], 5000
        containers = {"namespace_declaration", "file_scoped_namespace_declaration", "declaration_list"}
        while stack and budget > 0:
            cur, owner = stack.pop()
            budget -= 1
            for c in cur.named_children:
                if c.type in containers:
                    stack.append((c, owner))
                elif c.type in _TYPE_DECLS:
                    stack.append((c, text(c.child_by_field_name("name"))))
                elif c.type == "enum_declaration":
                    enums.add(text(c.child_by_field_name("name")))
                elif c.type == "field_declaration" and "const" in self._modifiers(c):
                    vd = next((x for x in c.named_children if x.type == "variable_declaration"), None)
                    for d in (vd.named_children if vd is not None else []):
                        if d.type == "variable_declarator":
                            consts[(owner, text(d.child_by_field_name("name")))] = self._declarator_value(d)
        self._const_cache = (root, (consts, enums))
        return consts, enums

    def _qualified_constant(self, node: ts.Node) -> ts.Node | None:
        """`Tables.Users` where `Tables` is a type of this file declaring `const string Users`."""
        recv = node.child_by_field_name("expression")
        if recv is None or recv.type not in ("identifier", "qualified_name", "member_access_expression"):
            return None
        key = (self._name_of(recv) if recv.type != "member_access_expression" else self._name_of(recv.child_by_field_name("name")),
               self._name_of(node.child_by_field_name("name")))
        return self._file_constants(node).get(key)

    def _numeric_type(self, typ: ts.Node | None) -> bool:
        if typ is None:
            return False
        if typ.type == "nullable_type":
            return self._numeric_type(typ.named_children[0] if typ.named_children else None)
        name = self._name_of(typ)
        return name in self._numeric_types or name in self._file_enums(typ)

    def _numeric_collection_type(self, typ: ts.Node | None) -> bool:
        """int[], List<int>, IEnumerable<long>, IReadOnlyCollection<Guid>, HashSet<int>..."""
        if typ is None:
            return False
        if typ.type == "array_type":
            return self._numeric_type(typ.child_by_field_name("type"))
        if typ.type == "generic_name":
            targs = next((c for c in typ.named_children if c.type == "type_argument_list"), None)
            if targs is not None and targs.named_child_count == 1:
                return self._numeric_type(targs.named_children[0])
        if typ.type in ("qualified_name", "nullable_type"):
            inner = typ.child_by_field_name("name") if typ.type == "qualified_name" else \
                (typ.named_children[0] if typ.named_children else None)
            return self._numeric_collection_type(inner)
        return False

    def numeric_expression(self, node: ts.Node, depth: int = 0, names: frozenset[str] = frozenset()) -> bool:
        """An expression that can only produce a number (or a date, Guid, bool, enum member);
        `names` are lambda parameters known to hold numbers."""
        node = _unwrap(node)
        if node is None or depth > 12:
            return False
        t = node.type
        d = depth + 1
        if t in _NUMBER_LITERALS:
            return True
        if t == "cast_expression":
            return self._numeric_type(node.child_by_field_name("type"))
        if t in ("prefix_unary_expression", "postfix_unary_expression"):
            kids = node.named_children
            return bool(kids) and self.numeric_expression(kids[-1] if t == "prefix_unary_expression" else kids[0], d, names)
        if t == "sizeof_expression":
            return True
        if t == "binary_expression":
            op = text(node.child_by_field_name("operator"))
            if op in ("==", "!=", "<", ">", "<=", ">=", "&&", "||"):
                return True
            if op in ("+", "-", "*", "/", "%", "??", "<<", ">>", "&", "|", "^"):
                return self.numeric_expression(node.child_by_field_name("left"), d, names) and \
                    self.numeric_expression(node.child_by_field_name("right"), d, names)
            return False
        if t == "conditional_expression":
            return self.numeric_expression(node.child_by_field_name("consequence"), d, names) and \
                self.numeric_expression(node.child_by_field_name("alternative"), d, names)
        if t == "member_access_expression":
            recv = node.child_by_field_name("expression")
            member = self._name_of(node.child_by_field_name("name"))
            if member in self._numeric_members or member == "HasValue":
                return True
            if member == "Value" and self.numeric_expression(recv, d, names):
                return True  # int? id -> id.Value
            return recv is not None and recv.type in ("predefined_type", "identifier", "qualified_name") and \
                text(recv) not in names and self._name_of(recv) in self._numeric_types
        if t == "invocation_expression":
            fn = node.child_by_field_name("function")
            callee = _strip_generics(squash(text(fn)))
            if any(rx.fullmatch(callee) for rx in self._numeric_fn):
                return True
            if fn is not None and fn.type == "member_access_expression":
                method = self._name_of(fn.child_by_field_name("name"))
                if method in ("ToString", "GetValueOrDefault") and self.numeric_expression(fn.child_by_field_name("expression"), d, names):
                    return True
            return False
        if t == "identifier":
            if text(node) in names:
                return True
            types = self._declared_types(node)
            if not types:
                return False
            for typ, decl in types:
                if typ.type == "implicit_type":
                    value = self._declarator_value(decl) if decl is not None else None
                    if value is None or not self.numeric_expression(value, d):
                        return False
                elif not self._numeric_type(typ):
                    return False
            return True
        return False

    def _numeric_collection(self, node: ts.Node | None, depth: int = 0) -> bool:
        """A collection whose elements are numbers: `List<int> ids`, `ids.Distinct().ToList()`,
        `Enumerable.Range(0, n)`, `guids.Select(g => g.ToString())`."""
        node = _unwrap(node)
        if node is None or depth > 8:
            return False
        if node.type == "identifier":
            types = self._declared_types(node)
            if not types:
                return False
            for typ, decl in types:
                if typ.type == "implicit_type":
                    value = self._declarator_value(decl) if decl is not None else None
                    if not self._numeric_collection(value, depth + 1):
                        return False
                elif not self._numeric_collection_type(typ):
                    return False
            return True
        if node.type == "member_access_expression":
            # a field or property of this type: `private readonly List<int> _ids;`
            recv = node.child_by_field_name("expression")
            return text(recv) == "this" and self._numeric_collection(node.child_by_field_name("name"), depth + 1)
        if node.type != "invocation_expression":
            return False
        fn = node.child_by_field_name("function")
        callee = _strip_generics(squash(text(fn)))
        if callee in ("Enumerable.Range", "System.Linq.Enumerable.Range"):
            return True
        if fn is None or fn.type != "member_access_expression":
            return False
        method = self._name_of(fn.child_by_field_name("name"))
        recv = fn.child_by_field_name("expression")
        if method in ("Distinct", "ToList", "ToArray", "ToHashSet", "AsEnumerable", "OrderBy", "OrderByDescending",
                      "Where", "Take", "Skip", "Reverse", "Concat", "Union"):
            return self._numeric_collection(recv, depth + 1)
        if method == "Select":
            args, _ = self._arguments(node.child_by_field_name("arguments"))
            lam = args[0] if len(args) == 1 and args[0].type == "lambda_expression" else None
            if lam is None:
                return False
            body = lam.child_by_field_name("body")
            if body is None or body.type == "block":
                return False
            return self.numeric_expression(body, 0, self._lambda_safe_names(lam, recv, depth))
        return False

    def _lambda_safe_names(self, lam: ts.Node, recv: ts.Node | None, depth: int) -> frozenset[str]:
        """Parameters of `xs.Select((x, i) => ...)` that hold numbers: the index i, and x when xs
        is a collection of numbers (or Enumerable.Range)."""
        params = self._params(lam.child_by_field_name("parameters"))
        out = set()
        if len(params) == 2:
            out.add(params[1])
        if params and self._numeric_collection(recv, depth + 1):
            out.add(params[0])
        return frozenset(out)

    def constant_expression(self, node: ts.Node, depth: int = 0) -> bool:
        node = _unwrap(node)
        if node is None or depth > 12:
            return False
        t = node.type
        if t in _LITERAL_TYPES or t in _NUMBER_LITERALS:
            return True
        if t == "interpolated_string_expression":
            return all(self.constant_expression(x, depth + 1)
                       for c in node.named_children if c.type == "interpolation"
                       for x in c.named_children if x.type not in ("interpolation_brace", "interpolation_alignment_clause",
                                                                   "interpolation_format_clause"))
        if t == "identifier":
            if _UPPER_CONST.fullmatch(text(node)):
                return True
            return self._field_initializer(node) is not None
        if t == "member_access_expression":
            name = self._name_of(node.child_by_field_name("name"))
            recv = node.child_by_field_name("expression")
            if _UPPER_CONST.fullmatch(name):
                return True
            if name in ("Name", "FullName") and self._is_type_object(recv):
                return True  # a CLR type name: typeof(T).Name, GetType().Name, type.Name
            if text(recv) in ("string", "String") and name == "Empty":
                return True
            if text(recv) in ("this", "base") or text(recv) == self._enclosing_type_name(node):
                return self._field_initializer(node.child_by_field_name("name")) is not None
            return self._qualified_constant(node) is not None
        if t == "invocation_expression":
            fn = node.child_by_field_name("function")
            callee = _strip_generics(squash(text(fn)))
            if callee == "nameof":
                return True
            if any(rx.fullmatch(callee) for rx in self._quoting_fn):
                return True
            return False
        if t == "conditional_expression":
            return self.constant_expression(node.child_by_field_name("consequence"), depth + 1) and \
                self.constant_expression(node.child_by_field_name("alternative"), depth + 1)
        if t == "cast_expression":
            return self.constant_expression(node.child_by_field_name("value"), depth + 1)
        if t in ("implicit_array_creation_expression", "array_creation_expression", "collection_expression",
                 "object_creation_expression"):
            # a literal collection of constants: new[] { "a", "b" }, ["a", "b"], new List<int> { 1, 2 }
            if t == "collection_expression":
                elems = [c for c in node.named_children if c.type != "comment"]
                elems = [e.named_children[0].named_children[0] if e.named_children and e.named_children[0].type == "expression_element"
                         and e.named_children[0].named_children else None for e in elems]
            else:
                if t == "object_creation_expression" and (self._name_of(node.child_by_field_name("type")) not in _NAV_COLLECTIONS
                                                          or self._arguments(node.child_by_field_name("arguments"))[0]):
                    return False
                init = next((c for c in node.named_children if c.type == "initializer_expression"), None)
                if init is None:
                    return False
                elems = [c for c in init.named_children if c.type != "comment"]
            return bool(elems) and all(e is not None and self.constant_expression(e, depth + 1) for e in elems)
        if t == "switch_expression":
            arms = [c for c in node.named_children if c.type == "switch_expression_arm"]
            return bool(arms) and all(a.named_children and self._arm_constant(a, depth) for a in arms)
        if t == "binary_expression" and text(node.child_by_field_name("operator")) in ("+", "??"):
            return self.constant_expression(node.child_by_field_name("left"), depth + 1) and \
                self.constant_expression(node.child_by_field_name("right"), depth + 1)
        return False

    def _is_type_object(self, node: ts.Node | None) -> bool:
        node = _unwrap(node)
        if node is None:
            return False
        if node.type == "typeof_expression":
            return True
        if node.type == "invocation_expression":
            fn = node.child_by_field_name("function")
            return fn is not None and (text(fn) == "GetType" or (fn.type == "member_access_expression"
                                       and self._name_of(fn.child_by_field_name("name")) == "GetType"))
        if node.type == "identifier":
            types = self._declared_types(node)
            if not types:
                return False
            for typ, decl in types:
                if typ.type == "implicit_type":
                    value = self._declarator_value(decl) if decl is not None else None
                    if value is None or _unwrap(value) is None or _unwrap(value).type != "typeof_expression":
                        return False
                elif self._name_of(typ) != "Type":
                    return False
            return True
        return False

    def _arm_constant(self, arm: ts.Node, depth: int) -> bool:
        value = arm.named_children[-1]
        if value.type == "throw_expression":
            return True
        return self.constant_expression(value, depth + 1)

    # -- placeholder lists -------------------------------------------------------------------
    def placeholder_expression(self, node: ts.Node, ev: Evaluator) -> bool:
        """A join whose items can only be placeholders, constants or numbers:
        string.Join(",", ids.Select((_, i) => $"@p{i}")), string.Join(",", ids.Select(x => "?")),
        string.Join(",", Enumerable.Repeat("?", n)), string.Join(",", intIds), sb.AppendJoin(",", ...)."""
        node = _unwrap(node)
        if node is None or node.type != "invocation_expression":
            return False
        fn = node.child_by_field_name("function")
        callee = _strip_generics(squash(text(fn)))
        method = callee.rsplit(".", 1)[-1]
        if callee not in ("string.Join", "String.Join", "System.String.Join") and method != "AppendJoin":
            return False
        args, _ = self._arguments(node.child_by_field_name("arguments"))
        if len(args) != 2:
            return False
        sep = ev.value(args[0])
        if sep is None or sep.dynamic:
            return False
        return self._safe_items(args[1], ev, 0)

    def _safe_items(self, items: ts.Node, ev: Evaluator, depth: int) -> bool:
        items = _unwrap(items)
        if items is None or depth > 4:
            return False
        if self._numeric_collection(items):
            return True
        if items.type == "identifier":
            fn = ev.function_of(items)
            assigns = ev.facts.assignments_before(text(items), fn, items.start_byte)
            if not assigns or assigns[-1].op != "=" or assigns[-1].value is None:
                return False
            return self._safe_items(assigns[-1].value, ev, depth + 1)
        if items.type in ("array_creation_expression", "implicit_array_creation_expression", "collection_expression"):
            init = next((c for c in items.named_children if c.type == "initializer_expression"), None) \
                if items.type != "collection_expression" else items
            elems = [c for c in (init.named_children if init is not None else []) if c.type != "comment"]
            return bool(elems) and all(self.constant_expression(e) for e in elems)
        if items.type != "invocation_expression":
            return False
        fn = items.child_by_field_name("function")
        if fn is None or fn.type != "member_access_expression":
            return False
        method = self._name_of(fn.child_by_field_name("name"))
        recv = fn.child_by_field_name("expression")
        args, _ = self._arguments(items.child_by_field_name("arguments"))
        if method in ("ToList", "ToArray", "AsEnumerable", "Distinct") and not args:
            return self._safe_items(recv, ev, depth + 1)
        if method == "Repeat" and text(recv) in ("Enumerable", "System.Linq.Enumerable") and args:
            return self.constant_expression(args[0])
        if method != "Select" or len(args) != 1 or args[0].type != "lambda_expression":
            return False
        lam = args[0]
        body = lam.child_by_field_name("body")
        if body is None or body.type == "block":
            return False
        if body.type == "member_access_expression" and self._name_of(body.child_by_field_name("name")) == "ParameterName":
            return True  # ps.Select(p => p.ParameterName): the names of bound parameters
        names = self._lambda_safe_names(lam, recv, 0)
        v = ev.value(body)
        if v is None:
            return self.numeric_expression(body, 0, names) or self.constant_expression(body)
        for h in v.holes:
            if h.numeric:
                continue
            if h.node is not None and (self.numeric_expression(h.node, 0, names) or self.constant_expression(h.node)):
                continue
            return False
        return True
