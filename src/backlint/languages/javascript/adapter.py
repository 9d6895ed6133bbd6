"""JavaScript: functions, calls, loops, assignments and string building (`+`, `+=`, template
literals, tagged templates, `.concat()`, `[...].join()`, `util.format`, `.replace()`).

The TypeScript adapter subclasses this one: the two grammars share almost every node type.
"""

from __future__ import annotations

import bisect
import re
from pathlib import Path

import tree_sitter as ts
import tree_sitter_javascript

from ..base import (enclosing_node, HOLE_RE, MAX_EVAL_DEPTH, Call, DbCall, Evaluator, Facts, Function, Hole, LanguageAdapter, Loop,
                    RouteHandler,
                    StringValue, hole_marker, squash, text)

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0",
            "\n": "", "\r\n": "", "\r": "", "\u2028": "", "\u2029": ""}
_ESCAPE_RE = re.compile(r"\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|\r\n|.)", re.S)
_UPPER = re.compile(r"_?[A-Z][A-Z0-9_]*")
_PRINTF = re.compile(r"%([-+ #0]*\d*(?:\.\d+)?)([sdifjoOcIL%])")
# one item of a bind-placeholder list: ?, $1, $${i + 1}, :name, @p1, (?, ?), with separators
_PLACEHOLDER_ITEM = re.compile(r"[\s,()]*(?:(?:\?|\$\d+|\$\ue000\d+\ue001|[:@]\w+|\ue000\d+\ue001)[\s,()]*)+")
_SEPARATOR = re.compile(r"[\s,()]*(?:and|or)?[\s,()]*", re.I)
_CONDITION = re.compile(r"[=<>]|\b(like|ilike|in|is|between|not|and|or|exists|any|all)\b", re.I)

# a query-builder alias (`${alias}.id`) is chosen by the code, never by a user
_ALIAS = re.compile(r"(?i)\w*alias")
# instance configuration of a repository class: this.tableName, this.schema, this.alias
_INSTANCE_CONFIG = re.compile(r"_?(?:(?:[a-z]\w*_)?(?:table|schema)(?:_?[nN]ame)?|[a-z]\w*(?:Table|Schema)(?:Name)?|"
                             r"(?:[a-z]\w*)?[aA]lias)")
_FUNCTION_TYPES = frozenset({"function_declaration", "function_expression", "arrow_function", "method_definition",
                             "generator_function_declaration", "generator_function", "function"})
_CLASS_TYPES = frozenset({"class_declaration", "class", "abstract_class_declaration"})
# wrappers that do not change a value: (x), x as T, x!, <T>x, x satisfies T
_TRANSPARENT = frozenset({"parenthesized_expression", "as_expression", "satisfies_expression", "non_null_expression",
                          "type_assertion"})
_STRING_METHODS_SAME = frozenset({"trim", "trimStart", "trimEnd", "trimLeft", "trimRight", "toString", "valueOf",
                                  "toUpperCase", "toLowerCase", "normalize"})
_LOOP_METHODS = frozenset({"forEach", "map", "flatMap", "filter", "reduce", "some", "every", "find", "findIndex"})
# n-plus-one: ORM relation declarations, raw SQL that is a statement, bulk SQL, database handles
_TYPEORM_RELATIONS = frozenset({"ManyToOne", "OneToMany", "OneToOne", "ManyToMany"})
_SEQUELIZE_ASSOCIATIONS = frozenset({"belongsTo", "hasMany", "hasOne", "belongsToMany"})
_SQL_TEXT = re.compile(r"(?is)^[\s(]*(select|insert|update|delete|with|replace|merge|upsert|call|exec|execute|"
                       r"truncate|lock|copy|pragma)\b|\bselect\b.+\bfrom\b|\binsert\s+into\b|\bdelete\s+from\b|"
                       r"\bupdate\s+\S+\s+set\b")
_SQL_BULK = re.compile(r"(?i)\bIN\s*\(\s*[?$%:@{\ue000]|\bANY\s*\(|\bunnest\s*\(|\bVALUES\s+\?\s*($|;|\s+ON\b|['\"`])|"
                       r"\$\d+:(csv|list)\b|\bIN\s*\$\{\s*sql\(")
# receivers that are database handles: pool.query(sql), this.db.query(text), conn.execute(...)
_DB_RECEIVER = re.compile(r"(?i:(^|[._$])(db|database|pool|pg|client|conn|connection|cn|knex|trx|tx|t|task|sequelize|"
                          r"prisma|mysql|sqlite|sql|manager|entitymanager|em|datasource|queryrunner|runner|repo|"
                          r"repository)$)|[a-z](Db|DB|Pool|Conn|Connection|Database|Repository|Repo|Manager|Runner)$|"
                          r"\.promise\(\)$|getConnection\(\)$")
_MODS = r"(?:(?:private|public|protected|readonly)\s+)*"
_HANDLE_DECLARATIONS = (
    ("repository", re.compile(rf"@InjectRepository\([^)]*\)\s*{_MODS}([A-Za-z_$][\w$]*)")),
    ("repository", re.compile(r"\b([A-Za-z_$][\w$]*)\s*[?!]?\s*:\s*(?:Repository|TreeRepository|MongoRepository)\s*<")),
    ("repository", re.compile(r"\b([A-Za-z_$][\w$]*)\s*=\s*(?:[\w$.]+\.)?(?:getRepository|getTreeRepository)\(")),
    ("model", re.compile(rf"@InjectModel\([^)]*\)\s*{_MODS}([A-Za-z_$][\w$]*)")),
    ("model", re.compile(r"\b([A-Za-z_$][\w$]*)\s*[?!]?\s*:\s*(?:Model|ModelStatic|ModelCtor|PaginateModel)\s*<")),
    ("prisma", re.compile(r"\b([A-Za-z_$][\w$]*)\s*[?!]?\s*:\s*(?:PrismaClient|\w*PrismaService)\b")),
    ("prisma", re.compile(r"\b([A-Za-z_$][\w$]*)\s*=\s*new\s+PrismaClient\(")),
)
_MODEL_DECLARATIONS = (
    re.compile(r"\bclass\s+([A-Z][\w$]*)(?:<[^>{]*>)?\s+extends\s+(?:\w+\.)?(?:Model|BaseEntity|\w*Model)\b"),
    re.compile(r"\b([A-Z][\w$]*)\s*=\s*(?:\w+\.)*model\s*(?:<[^>]*>)?\s*\("),
    re.compile(r"\b([A-Z][\w$]*)\s*=\s*(?:\w+\.)*define\s*\(\s*['\"`]"),
    re.compile(r"\b([A-Z][\w$]*)\.init\s*\(\s*\{"),
    re.compile(r"@(?:Entity|Table|Schema)\([^)]*\)\s*(?:export\s+)?(?:default\s+)?(?:abstract\s+)?class\s+([A-Z][\w$]*)"),
)
# import { A, B as C } from '../models' / import User from './user.model' / const { A } = require('./db')
_IMPORT_NAMES = re.compile(
    r"\bimport\s+(?:type\s+)?(?:(?P<default>[A-Za-z_$][\w$]*)\s*,?\s*)?(?:\{(?P<names>[^}]*)\})?\s*from\s*['\"](?P<path>[^'\"]+)['\"]|"
    r"\b(?:const|let|var)\s+(?:(?P<rdefault>[A-Za-z_$][\w$]*)|\{(?P<rnames>[^}]*)\})\s*=\s*require\(\s*['\"](?P<rpath>[^'\"]+)['\"]\s*\)")
_MODEL_MODULE = re.compile(r"(?i)(^|[/.\-_@])(models?|entit(y|ies)|schemas?|db|database|orm|dal|dao)([/.\-_]|$)")
_FROM_MODELS_OBJECT = re.compile(r"\b(?:const|let|var)\s+\{([^}]*)\}\s*=\s*(?:this\.)?(?:db|models|sequelize\.models|mongoose\.models)\s*[;\n]")
_MODEL_RECEIVER = r"^[A-Z]\w+$|(^|\.)(models|db|sequelize\.models|connection\.models|mongoose\.models)\.[A-Z]\w*$"
# loops over chunks / batches of a collection (one query per chunk is the cure, not the bug)
_BATCH = re.compile(r"(?i)(?<![a-z])(chunk|batch)|[a-z](Chunk|Batch)")
_ARITH = frozenset({"-", "*", "/", "%", "**", "|", "&", "^", "<<", ">>", ">>>", "<", ">", "<=", ">=", "==", "!=",
                    "===", "!==", "instanceof", "in"})


# route handlers (extra_route_handlers)
_EXPORTS_TARGET = re.compile(r"^(?:module\.)?exports(?:\.[\w$]+)?$")
_ROUTE_VERB = re.compile(r"^(get|post|put|patch|delete|del|head|options|all)$")
_VERB = re.compile(r"\b(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|ALL)\b", re.I)
_APP_ROUTE = re.compile(r"(^|/)app/(.+/)?route\.(js|jsx|ts|tsx|mjs)$")
_HTTP_EXPORTS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"})
_PAGES_API = re.compile(r"(^|/)pages/api/.+\.(js|jsx|ts|tsx|mjs|cjs)$")
_FASTIFY_IMPORT = re.compile(r"""(\brequire\(\s*['"]fastify|\bfrom\s+['"]fastify)""")
_KOA_IMPORT = re.compile(r"""(\brequire\(\s*['"](@koa/router|koa-router|koa)['"]|\bfrom\s+['"](@koa/router|koa-router|koa)['"])""")
_EXPRESS_IMPORT = re.compile(r"""(\brequire\(\s*['"]express['"]|\bfrom\s+['"]express['"])""")
# receivers that are not routers (HTTP clients, caches, promises): as in knowledge.d/routes.yaml
_NOT_ROUTER = re.compile(r"^(?:this\.)?(?:Promise|Bluebird|BPromise|Reflect|Object|Array|Map|Set|WeakMap|JSON|Math|_|lodash|"
                         r"async|axios|request|superagent|supertest|got|ky|needle|http|https|http2|fetch|client|"
                         r"httpClient|\$http|\$|jQuery|cache|redis|store|map|memo|headers|params|query|searchParams|"
                         r"cookies|session|config|nconf|settings|storage|localStorage|sessionStorage)(?:\.|$)")
_STRING_LIT = re.compile(r"""^["'`]([^"'`]*)["'`]$""")


def _quoted(node: ts.Node | None) -> str | None:
    """The text of a string literal (a template literal's raw text, holes included)."""
    if node is None or node.type not in ("string", "template_string"):
        return None
    m = _STRING_LIT.match(text(node)[:300])
    return m.group(1) if m else None


def _head_text(node: ts.Node, limit: int = 20_000) -> str:
    """The start of the file (its imports)."""
    return (_root(node).text or b"")[:limit].decode("utf-8", "replace")


def unescape(s: str) -> str:
    if "\\" not in s:
        return s

    def rep(m: re.Match) -> str:
        e = m.group(1)
        if e[0] in "ux" and len(e) > 1:
            try:
                return chr(int(e[2:-1] if e.startswith("u{") else e[1:], 16))
            except (ValueError, OverflowError):
                return e
        return _ESCAPES.get(e, e)

    return _ESCAPE_RE.sub(rep, s)


def unwrap(node: ts.Node | None) -> ts.Node | None:
    """Strip parentheses and TypeScript-only wrappers (`as T`, `!`, `<T>x`, `satisfies T`)."""
    steps = 0
    while node is not None and node.type in _TRANSPARENT and steps < 50:
        kids = [c for c in node.named_children if c.type != "comment"]
        if not kids:
            return node
        node = kids[-1] if node.type == "type_assertion" else kids[0]
        steps += 1
    return node


def _strip_await(node: ts.Node | None) -> ts.Node | None:
    """`await x` -> x (also through parentheses and TypeScript wrappers)."""
    steps = 0
    node = unwrap(node)
    while node is not None and node.type == "await_expression" and node.named_child_count and steps < 10:
        node = unwrap(node.named_children[0])
        steps += 1
    return node


def _root(node: ts.Node) -> ts.Node:
    steps = 0
    while node.parent is not None and steps < 10000:
        node = node.parent
        steps += 1
    return node


def _chain_top(node: ts.Node) -> ts.Node:
    """The whole call chain a call starts: `Post.find(q)` -> `Post.find(q).populate('author').lean()`."""
    steps = 0
    while steps < 40:
        p = node.parent
        if p is not None and p.type in _TRANSPARENT:
            node, steps = p, steps + 1
            continue
        if p is None or p.type != "member_expression" or p.parent is None or p.parent.type != "call_expression":
            return node
        node, steps = p.parent, steps + 1
    return node


def _awaited(node: ts.Node) -> bool:
    """The call's promise is awaited, chained, returned or is a callback's result (a round trip),
    not an argument of another query (a fragment)."""
    p = node.parent
    steps = 0
    while p is not None and p.type in _TRANSPARENT and steps < 10:
        p, steps = p.parent, steps + 1
    if p is None:
        return False
    if p.type in ("await_expression", "return_statement", "arrow_function", "yield_expression"):
        return True
    return p.type == "member_expression" and text(p.child_by_field_name("property")) in ("then", "catch", "finally")


def _plural(word: str) -> str:
    if re.search(r"[^aeiou]y$", word):
        return word[:-1] + "ies"
    if re.search(r"(s|x|z|ch|sh)$", word):
        return word + "es"
    return word + "s"


def _code_text(node: ts.Node | None) -> str:
    """The node's text without the comments inside it (a call chain broken over lines)."""
    raw = node.text if node is not None else None
    if not raw or (b"//" not in raw and b"/*" not in raw):
        return text(node)
    cuts, stack, n = [], [node], 0
    while stack and n < 5000:
        cur = stack.pop()
        n += 1
        if cur.type == "comment":
            cuts.append((cur.start_byte - node.start_byte, cur.end_byte - node.start_byte))
        elif cur.type not in ("string", "template_string", "regex"):
            stack.extend(cur.children)
    if not cuts:
        return text(node)
    out, pos = [], 0
    for a, b in sorted(cuts):
        out.append(raw[pos:a])
        pos = b
    out.append(raw[pos:])
    return b" ".join(out).decode("utf-8", "replace")


def _normalise(s: str) -> str:
    return s.replace("?.", ".").replace("!.", ".")


class Adapter(LanguageAdapter):
    name = "javascript"
    directory = Path(__file__).parent
    statement_containers = frozenset({"program", "statement_block", "class_body", "switch_case", "switch_default"})
    function_types = _FUNCTION_TYPES
    identifier_types = frozenset({"identifier", "shorthand_property_identifier"})
    literal_collection_types = frozenset({"array"})
    member_access_query = "(member_expression object: (identifier) @obj property: (property_identifier) @attr) @access"

    def __init__(self) -> None:
        super().__init__()
        k = self.knowledge
        self._string_tags = frozenset(k.get("string_tags", ()))
        self._numeric_functions = frozenset(k.get("numeric_functions", ()))
        self._numeric_methods = frozenset(k.get("numeric_methods", ()))
        self._quoting_methods = frozenset(k.get("quoting_methods", ()))
        self._quoting_functions = frozenset(k.get("quoting_functions", ()))
        self._safe_depth = 0
        self._root_memo: dict = {}
        self._receiver_index = None  # (facts, {receiver text: [calls]})
        # per-file state of classify_db_calls (n-plus-one)
        self._orm_facts = self._orm_ev = self._facts_for_models = None
        self._imports: list[str] = []
        self._orm_imported = False
        self._generic_model_methods = frozenset(self.knowledge.get("generic_model_methods", ()))
        self._handles: dict[str, str] = {}
        self._models: set[str] | None = None
        self._exports_memo = None  # (root node, names): _module_exports

    def _load_language(self) -> ts.Language:
        return ts.Language(tree_sitter_javascript.language())

    # -- functions ---------------------------------------------------------------------------
    def function_info(self, node: ts.Node) -> Function:
        t = node.type
        name = text(node.child_by_field_name("name"))
        kind = "method" if t == "method_definition" else "function"
        if not name:
            name = self._binding_name(node)
            if not name:
                name, kind = "<lambda>", "lambda"
        params = self._param_names(node)
        decorators = self._decorators(node)
        fn = Function(node, name, params, decorators, body=node.child_by_field_name("body"), kind=kind)
        cls = self._enclosing_class(node)
        if cls is not None:
            if fn.kind == "function":
                fn.kind = "method"
            fn.class_name = text(cls.child_by_field_name("name")) or self._binding_name(cls) or None
            fn.class_bases = self._bases(cls)
            fn.class_decorators = [squash(text(d))[1:] for d in self._class_decorator_nodes(cls)]
        return fn

    @staticmethod
    def _binding_name(node: ts.Node) -> str:
        """The name a function expression / arrow / class expression is bound to."""
        p = node.parent
        if p is None:
            return ""
        if p.type == "variable_declarator" and p.child_by_field_name("name") is not None:
            n = p.child_by_field_name("name")
            return text(n) if n.type == "identifier" else ""
        if p.type == "pair":
            return text(p.child_by_field_name("key")).strip("'\"`")
        if p.type in ("assignment_expression",):
            return squash(text(p.child_by_field_name("left"))).rsplit(".", 1)[-1]
        if p.type in ("field_definition", "public_field_definition"):
            n = p.child_by_field_name("property") or p.child_by_field_name("name")
            return text(n)
        return ""

    def _decorators(self, node: ts.Node) -> list[str]:
        if node.type != "method_definition":
            return []
        out = [squash(text(c))[1:] for c in node.children if c.type == "decorator"]
        # TypeScript puts a method's decorators before it, as siblings in the class body
        prev = node.prev_named_sibling
        before = []
        while prev is not None and prev.type == "decorator":
            before.append(squash(text(prev))[1:])
            prev = prev.prev_named_sibling
        return list(reversed(before)) + out

    @staticmethod
    def _enclosing_class(node: ts.Node) -> ts.Node | None:
        return enclosing_node(node, _CLASS_TYPES, set(_FUNCTION_TYPES) | {"object", "program"}, limit=200)

    @staticmethod
    def _bases(cls: ts.Node) -> list[str]:
        out = []
        for h in cls.named_children:
            if h.type != "class_heritage":
                continue
            for c in h.named_children:
                if c.type in ("extends_clause", "implements_clause"):
                    out.extend(squash(text(x)) for x in c.named_children if x.type not in ("type_arguments", "comment"))
                elif c.type != "comment":
                    out.append(squash(text(c)))
        return out

    @staticmethod
    def _class_decorator_nodes(cls: ts.Node) -> list[ts.Node]:
        out = [c for c in cls.children if c.type == "decorator"]
        if cls.parent is not None and cls.parent.type == "export_statement":
            out = [c for c in cls.parent.children if c.type == "decorator"] + out
        return out

    def _param_names(self, fn: ts.Node) -> list[str]:
        single = fn.child_by_field_name("parameter")
        if single is not None:
            return self._pattern_names(single)
        params = fn.child_by_field_name("parameters")
        out: list[str] = []
        if params is not None:
            for p in params.named_children:
                out.extend(self._pattern_names(p))
        return out

    def _pattern_names(self, p: ts.Node | None, depth: int = 0) -> list[str]:
        """Names bound by a parameter or a destructuring pattern."""
        if p is None or depth > 12:
            return []
        t = p.type
        if t in ("identifier", "shorthand_property_identifier_pattern", "shorthand_property_identifier"):
            return [text(p)]
        if t in ("required_parameter", "optional_parameter"):
            return self._pattern_names(p.child_by_field_name("pattern"), depth + 1)
        if t in ("assignment_pattern", "object_assignment_pattern"):
            return self._pattern_names(p.child_by_field_name("left"), depth + 1)
        if t == "pair_pattern":
            return self._pattern_names(p.child_by_field_name("value"), depth + 1)
        if t in ("object_pattern", "array_pattern", "rest_pattern"):
            out = []
            for c in p.named_children:
                out.extend(self._pattern_names(c, depth + 1))
            return out
        return []

    # -- routes (see knowledge.d/routes.yaml; what the data cannot say) -----------------------
    def is_exported(self, fn: Function) -> bool:
        """`export function GET`, `export const list = ...`, `export default ...`,
        `exports.list = ...`, `module.exports = { list: ... }`, or a name listed in
        `export { list }` / `module.exports = { list }` / `export default list`."""
        node = fn.node
        if fn.class_name is not None and fn.kind == "method":
            return self._exported_method(fn)
        p = node.parent
        if p is None:
            return False
        if p.type == "export_statement":
            return True
        if p.type == "variable_declarator":
            decl = p.parent
            return decl is not None and decl.parent is not None and decl.parent.type == "export_statement" \
                or (fn.class_name is None and fn.name in self._module_exports(node))
        if p.type == "assignment_expression":
            left = squash(text(p.child_by_field_name("left")))
            return bool(_EXPORTS_TARGET.match(left))
        if p.type == "pair":
            obj = p.parent
            a = obj.parent if obj is not None else None
            return a is not None and a.type == "assignment_expression" and \
                squash(text(a.child_by_field_name("left"))) in ("module.exports", "exports")
        if node.type == "function_declaration" and fn.class_name is None:
            return fn.name in self._module_exports(node)
        return False

    def _exported_method(self, fn: Function) -> bool:
        """A public method (not `private`/`protected`/`#x`) of a class the module exports
        (`export class`, `export default class`, `module.exports = X`, `= new X()`)."""
        node = fn.node
        if node.type == "method_definition":
            for c in node.children:
                if c.type == "accessibility_modifier" and text(c) in ("private", "protected"):
                    return False
        elif node.parent is not None and node.parent.type in ("field_definition", "public_field_definition"):
            if any(c.type == "accessibility_modifier" and text(c) in ("private", "protected") for c in node.parent.children):
                return False
        cls = self._enclosing_class(node)
        if cls is None:
            return False
        p = cls.parent
        if p is not None and p.type == "export_statement":
            return True
        return bool(fn.class_name) and fn.class_name in self._module_exports(node)

    def _module_exports(self, node: ts.Node) -> frozenset:
        """Names a module exports by reference (`export { a, b as GET }`, `export default a`,
        `module.exports = { a, b: c }`, `module.exports = a`, `exports.x = a`); once per file."""
        root = _root(node)
        memo = self._exports_memo
        # the memo holds the root node, which keeps its tree alive: node ids cannot be reused
        if memo is not None and memo[0].id == root.id:
            return memo[1]
        names: set[str] = set()
        for st in root.named_children:
            if st.type == "export_statement":
                for c in st.named_children:
                    if c.type == "export_clause":
                        for spec in c.named_children:
                            n = spec.child_by_field_name("name")
                            if n is not None:
                                names.add(text(n))
                    elif c.type == "identifier":  # export default handler
                        names.add(text(c))
                    elif c.type == "new_expression":  # export default new OrderController()
                        names.add(text(c.child_by_field_name("constructor")))
            elif st.type == "expression_statement" and st.named_child_count:
                a = st.named_children[0]
                if a.type != "assignment_expression" or not _EXPORTS_TARGET.match(squash(text(a.child_by_field_name("left")))):
                    continue
                right = unwrap(a.child_by_field_name("right"))
                if right is None:
                    continue
                if right.type == "identifier":
                    names.add(text(right))
                elif right.type == "new_expression":
                    names.add(text(right.child_by_field_name("constructor")))
                elif right.type == "object":
                    for pair in right.named_children:
                        if pair.type == "shorthand_property_identifier":
                            names.add(text(pair))
                        elif pair.type == "pair":
                            v = unwrap(pair.child_by_field_name("value"))
                            if v is not None and v.type == "identifier":
                                names.add(text(v))
        out = frozenset(names)
        self._exports_memo = (root, out)
        return out

    def extra_route_handlers(self, facts: Facts, path: str) -> list[RouteHandler]:
        """Fastify `route({method, url, handler})` and `get('/x', {handler})`, Express
        `router.route('/x').get(h).post(h2)` chains, Next.js `pages/api/**` default exports."""
        from ..routes import registration_evidence

        out: list[RouteHandler] = []

        def resolve(a: ts.Node | None) -> Function | None:
            return self.route_function(facts, a)

        handler = RouteHandler.of
        fn_by_node, by_name = self.function_index(facts)

        head_memo: list[str] = []

        def head(node: ts.Node) -> str:
            if not head_memo:
                head_memo.append(_head_text(node))
            return head_memo[0]

        for c in facts.calls:
            if c.node.has_error or not c.args or c.receiver is None:
                continue
            if c.method == "route" and len(c.args) == 1 and c.args[0].type == "object" and \
                    "handler" in c.kwargs and ("url" in c.kwargs or "path" in c.kwargs) and "method" in c.kwargs:
                # fastify.route({ method: 'GET', url: '/orders', handler: async (req, reply) => ... })
                if "url" not in c.kwargs and not _FASTIFY_IMPORT.search(head(c.node)):
                    continue  # hapi-style server.route({ method, path, handler }) is not one of ours
                f = resolve(c.kwargs["handler"])
                if f is None:
                    continue
                methods = tuple(dict.fromkeys(w.upper() for w in _VERB.findall(text(c.kwargs["method"])[:200])))
                if methods and all(m in ("ALL", "*") for m in methods):
                    methods = ("*",)
                else:
                    methods = tuple(m for m in methods if m not in ("ALL", "*"))
                route = _quoted(c.kwargs.get("url") or c.kwargs.get("path"))
                out.append(handler(f, "fastify", methods, route,
                                   registration_evidence(c.callee, c.node, "{ method, url, handler }")))
                continue
            m = _ROUTE_VERB.match(c.method)
            if m is None:
                continue
            verb = "DELETE" if c.method == "del" else c.method.upper()
            if c.method == "del":
                # koa-router's alias router.del('/x', handler)
                route = _quoted(c.args[0])
                f = resolve(c.args[-1]) if len(c.args) > 1 else None
                if route is not None and route.startswith(("/", "*", "${")) and f is not None and \
                        re.search(r"(?i)router$", c.receiver):
                    framework = "express" if _EXPRESS_IMPORT.search(head(c.node)) else "koa"
                    out.append(handler(f, framework, ("DELETE",), route,
                                       registration_evidence(c.callee, c.node)))
                continue
            methods = ("*",) if verb == "ALL" else (verb,)
            fn_node = unwrap(c.node.child_by_field_name("function"))
            recv = unwrap(fn_node.child_by_field_name("object")) if fn_node is not None else None
            # router.route('/orders').get(list).post(create)
            steps, route_call = 0, None
            while recv is not None and recv.type == "call_expression" and steps < 20:
                callee = unwrap(recv.child_by_field_name("function"))
                if callee is None or callee.type != "member_expression":
                    break
                if text(callee.child_by_field_name("property")) == "route":
                    route_call = recv
                    break
                recv, steps = unwrap(callee.child_by_field_name("object")), steps + 1
            if route_call is not None:
                al = route_call.child_by_field_name("arguments")
                rargs = [x for x in al.named_children if x.type != "comment"] if al is not None else []
                route = _quoted(rargs[0]) if rargs else None
                if route is None or not route.startswith(("/", "*", "${")):
                    continue
                f = resolve(c.args[-1])
                if f is not None:
                    framework = "koa" if _KOA_IMPORT.search(head(c.node)) else "express"
                    out.append(handler(f, framework, methods, route,
                                       registration_evidence(f".route({route!r}).{c.method}", c.node)))
                continue
            # fastify.get('/orders', { schema, handler: async (req, reply) => ... }) and
            # fastify.get('/orders/:id', { schema }, async (req, reply) => ...): the options'
            # values follow the positional arguments, so the registration's `last` missed them
            opts = len(c.args) == 3 and c.args[1].type == "object"
            if (len(c.args) == 2 and c.args[1].type == "object" and "handler" in c.kwargs) or opts:
                route = _quoted(c.args[0])
                if route is None or not route.startswith(("/", "*", "${")):
                    continue
                if opts and _NOT_ROUTER.match(c.receiver):
                    continue
                f = resolve(c.args[2] if opts else c.kwargs["handler"])
                if f is not None:
                    out.append(handler(f, "fastify", methods, route,
                                       registration_evidence(c.callee, c.node, "path, options, handler" if opts else "path, { handler }")))
        if _APP_ROUTE.search(path.replace("\\", "/")):
            # export { handler as GET, handler as HEAD } in app/**/route.ts
            root = _root(facts.functions[0].node) if facts.functions else None
            for st in (root.named_children if root is not None else ()):
                if st.type != "export_statement":
                    continue
                for c in st.named_children:
                    if c.type != "export_clause":
                        continue
                    for spec in c.named_children:
                        alias = text(spec.child_by_field_name("alias"))
                        if alias not in _HTTP_EXPORTS:
                            continue
                        fs = by_name.get(text(spec.child_by_field_name("name")), [])
                        if len(fs) == 1 and fs[0].class_name is None:
                            out.append(handler(fs[0], "nextjs", (alias,), None,
                                               f"its export as `{alias}` from `{path}`"))
        if _PAGES_API.search(path.replace("\\", "/")):
            f, how = self._default_export(facts, fn_by_node, by_name)
            if f is not None:
                out.append(handler(f, "nextjs", ("*",), None, f"the default export of `{path}` ({how})"))
        return out

    def _default_export(self, facts: Facts, fn_by_node: dict, by_name: dict):
        """The function a module exports by default: `export default async function handler`,
        `export default withAuth(handler)`, `module.exports = handler`."""
        nodes = [f.node for f in facts.functions[:1]] + [c.node for c in facts.calls[:1]]
        if not nodes:
            return None, ""
        root = _root(nodes[0])
        for st in root.named_children:
            value = None
            if st.type == "export_statement" and any(c.type == "default" for c in st.children):
                value = st.child_by_field_name("declaration") or st.child_by_field_name("value")
                if value is None:
                    kids = [c for c in st.named_children if c.type not in ("comment", "decorator")]
                    value = kids[-1] if kids else None
            elif st.type == "expression_statement" and st.named_child_count:
                a = st.named_children[0]
                if a.type == "assignment_expression" and squash(text(a.child_by_field_name("left"))) == "module.exports":
                    value = a.child_by_field_name("right")
            value = unwrap(value)
            if value is None:
                continue
            f = fn_by_node.get(value.id)
            steps = 0
            while f is None and value is not None and value.type == "call_expression" and steps < 5:
                # export default withAuth(handler) / withMiddleware(async (req, res) => ...)
                al = value.child_by_field_name("arguments")
                args = [x for x in al.named_children if x.type != "comment"] if al is not None else []
                value = unwrap(args[0]) if args else None
                f = fn_by_node.get(value.id) if value is not None else None
                steps += 1
            if f is None and value is not None and value.type == "identifier":
                fs = by_name.get(text(value), [])
                f = fs[0] if len(fs) == 1 else None
            if f is not None:
                return f, "export default"
        return None, ""

    # -- calls -------------------------------------------------------------------------------
    def call_info(self, node: ts.Node) -> Call | None:
        is_new = node.type == "new_expression"
        fn = node.child_by_field_name("constructor" if is_new else "function")
        if fn is None:
            return None
        fn = unwrap(fn)
        while fn is not None and fn.type == "instantiation_expression" and fn.named_child_count:
            fn = unwrap(fn.named_children[0])  # TypeScript: prisma.$queryRaw<T>`...`
        if fn is None:
            return None
        args: list[ts.Node] = []
        kwargs: dict[str, ts.Node] = {}
        al = node.child_by_field_name("arguments")
        if al is not None:
            if al.type == "template_string":
                args = [al]  # a tagged template: the tag receives the template
            else:
                args = [c for c in al.named_children if c.type != "comment"]
            for a in args:
                if a.type == "object":
                    for pair in a.named_children:
                        if pair.type == "pair":
                            key = pair.child_by_field_name("key")
                            if key is not None and pair.child_by_field_name("value") is not None:
                                kwargs.setdefault(text(key).strip("'\"`"), pair.child_by_field_name("value"))
                        elif pair.type == "shorthand_property_identifier":
                            kwargs.setdefault(text(pair), pair)
        if fn.type == "member_expression":
            recv = fn.child_by_field_name("object")
            return Call(node, _normalise(squash(_code_text(fn))), text(fn.child_by_field_name("property")),
                        _normalise(squash(_code_text(recv))), args, kwargs, is_new=is_new, receiver_node=recv)
        if fn.type == "subscript_expression":
            recv = fn.child_by_field_name("object")
            idx = fn.child_by_field_name("index")
            method = text(idx).strip("'\"`") if idx is not None and idx.type == "string" else ""
            return Call(node, _normalise(squash(text(fn))), method, _normalise(squash(text(recv))), args, kwargs,
                        is_new=is_new, receiver_node=recv)
        callee = _normalise(squash(text(fn)))
        return Call(node, callee, callee.rsplit(".", 1)[-1], None, args, kwargs, is_new=is_new)

    def sql_sink(self, call: Call):
        """As the base, plus `kwargs:` (SQL passed in an options object) and `condition:`."""
        for s in self._sinks_by_method.get(call.method, ()):
            if not self.sink_entry_matches(s, call):
                continue
            arg = None
            first = unwrap(call.args[0]) if call.args else None
            if first is not None and first.type == "object":
                for k in s.get("kwargs", ()):
                    if k in call.kwargs:
                        arg = call.kwargs[k]
                        break
            elif len(call.args) > s.get("arg", 0):
                arg = call.args[s.get("arg", 0)]
            if arg is None:
                continue
            if s.get("condition") and not self._condition_text(arg):
                continue  # knex-style where(`${table}.col`, value): a column name, not SQL text
            return s, arg
        return None

    @staticmethod
    def _condition_text(arg: ts.Node) -> bool:
        """Does the literal text of a where()-argument hold an SQL operator? (identifiers: unknown, yes)"""
        arg = unwrap(arg)
        if arg is None or arg.type not in ("string", "template_string", "binary_expression"):
            return True
        pieces, stack, n = [], [arg], 0
        while stack and n < 200:
            cur = stack.pop()
            n += 1
            if cur.type == "string":
                pieces.append(text(cur))
            elif cur.type == "template_string":
                pieces.append(Adapter._raw_template(cur)[0])
            elif cur.type == "binary_expression":
                stack.extend(cur.named_children)
        return bool(_CONDITION.search(re.sub("\ue000\\d+\ue001", " ", " ".join(pieces))))

    # -- ORM queries and models (n-plus-one) -------------------------------------------------
    def classify_db_calls(self, facts: Facts) -> None:
        if facts.db_calls:
            return
        self._orm_facts = facts
        self._orm_ev = None
        self._imports = self._file_imports(facts)
        rx = self.knowledge.get("orm_packages")
        self._orm_imported = bool(rx) and any(re.search(rx, i) for i in self._imports)
        self._handles = self._declared_handles(facts)
        self._models = None  # names of model classes, computed on first need
        self._facts_for_models = facts
        try:
            super().classify_db_calls(facts)
        finally:
            self._orm_facts = self._orm_ev = self._facts_for_models = None
            self._handles, self._models = {}, None

    def _file_imports(self, facts: Facts) -> list[str]:
        """Module specifiers the file imports (`import ... from 'x'`, `require('x')`)."""
        out = []
        for c in facts.calls:
            if c.callee in ("require", "import") and c.args and c.args[0].type == "string":
                out.append(text(c.args[0]).strip("'\"`"))
        root = _root(facts.calls[0].node) if facts.calls else None
        for st in (root.named_children if root is not None else []):
            if st.type in ("import_statement", "export_statement"):
                src = st.child_by_field_name("source")
                if src is not None:
                    out.append(text(src).strip("'\"`"))
        return out

    def _declared_handles(self, facts: Facts) -> dict[str, str]:
        """Fields and variables declared as ORM handles, whatever their name:
        `@InjectRepository(Customer) private customers: Repository<Customer>` -> repository,
        `@InjectModel(User.name) private users: Model<UserDocument>` -> model,
        `constructor(private db: PrismaService)` / `const db = new PrismaClient()` -> prisma."""
        if not facts.calls:
            return {}
        src = text(_root(facts.calls[0].node))
        if len(src) > 400_000 or not re.search(r"Repository|Model|Prisma|InjectModel", src):
            return {}
        out: dict[str, str] = {}
        for kind, rx in _HANDLE_DECLARATIONS:
            for m in rx.finditer(src):
                out.setdefault(m.group(1), kind)
        return out

    def _model_names(self) -> set[str]:
        """Classes the file declares or imports as ORM models: `class User extends Model`,
        `const User = mongoose.model(...)`, `sequelize.define`, `X.init({...})`, `@Entity()`, and
        names imported from a models / entities / schemas / db module."""
        if self._models is not None:
            return self._models
        out: set[str] = set()
        facts = self._facts_for_models
        src = text(_root(facts.calls[0].node)) if facts is not None and facts.calls else ""
        if len(src) <= 400_000:
            for rx in _MODEL_DECLARATIONS:
                out.update(m.group(1) for m in rx.finditer(src))
            for m in _IMPORT_NAMES.finditer(src):
                names, path = m.group("names") or m.group("rnames") or "", m.group("path") or m.group("rpath") or ""
                default = m.group("default") or m.group("rdefault")
                if not _MODEL_MODULE.search(path):
                    continue
                if default:
                    out.add(default)
                for part in names.split(","):
                    bits = re.split(r"\s+as\s+|\s*:\s*", part.strip())
                    if bits and bits[-1]:
                        out.add(bits[-1].strip())
            for m in _FROM_MODELS_OBJECT.finditer(src):
                for part in m.group(1).split(","):
                    bits = re.split(r"\s*:\s*", part.strip())
                    if bits and bits[-1]:
                        out.add(bits[-1].strip())
        self._models = out
        return out

    def _handle_of(self, receiver: str | None) -> str | None:
        handles = self._handles
        if not handles or not receiver:
            return None
        m = re.fullmatch(r"(?:this\.)?([A-Za-z_$][\w$]*)(\.[a-z]\w*)?", receiver)
        if m is None:
            return None
        kind = handles.get(m.group(1))
        if kind == "prisma":
            return kind if m.group(2) else None
        return kind if kind and not m.group(2) else None

    def db_call(self, call: Call) -> DbCall | None:
        """As the base, plus: model-class entries gated by the file's imports (Sequelize,
        Mongoose and TypeORM share `User.findOne`), `awaited` methods, and raw SQL sinks kept
        only when the argument is SQL text or the receiver is a database handle (`re.exec(s)`,
        `cmd.execute(x)` and `apollo.query({ query: gql... })` are not queries)."""
        m = call.method
        for e in self._db_by_method.get(m, ()):
            if e.get("bare") and call.receiver:
                continue
            rx = e.get("receiver")
            if rx and not re.search(rx, call.receiver or "") and \
                    (not e.get("handle") or self._handle_of(call.receiver) != e["handle"]):
                continue
            crx = e.get("callee")
            if crx and not re.search(crx, call.callee):
                continue
            irx = e.get("imports")
            if irx and self._orm_imported and not any(re.search(irx, i) for i in self._imports):
                continue
            if irx and not self._orm_imported and m in self._generic_model_methods and \
                    re.fullmatch(r"[A-Z][\w$]*", call.receiver or "") and call.receiver not in self._model_names():
                continue  # `Table.create(meta)`: a factory, unless Table is a model of the project
            if m in e.get("awaited", ()) and not _awaited(call.node):
                return None
            bulk = m in e.get("bulk", ())
            brx = e.get("bulk_arg")
            if brx and not bulk:
                texts = [text(a)[:400] for a in call.args] + [f"{k}: {text(v)[:300]}" for k, v in call.kwargs.items()]
                texts.append(text(call.receiver_node)[:800] if call.receiver_node is not None else "")
                bulk = any(re.search(brx, t) for t in texts)
            return DbCall(call, e.get("library", "?"), "write" if m in e.get("write", ()) else "read",
                          bounded=m in e.get("bounded", ()), eager=m in e.get("eager", ()), bulk=bulk)
        hit = self.sql_sink(call)
        if hit is None:
            return None
        entry, arg = hit
        if entry.get("fragment"):
            return None
        sql = self._sql_of(arg)
        if sql is not None:
            literal = HOLE_RE.sub(" ", sql).strip()
            if not _SQL_TEXT.search(literal) and (literal or not _DB_RECEIVER.search(call.receiver or "")):
                return None
        elif not _DB_RECEIVER.search(call.receiver or ""):
            return None
        t = (sql or "") + " " + text(arg)[:2000]
        return DbCall(call, entry.get("library", "driver"), "raw-sql", arg, bulk=bool(_SQL_BULK.search(t)))

    def _sql_of(self, arg: ts.Node) -> str | None:
        """The template of the SQL argument (holes as markers), or None if unknown."""
        facts = self._orm_facts
        if facts is None:
            return None
        if self._orm_ev is None:
            self._orm_ev = Evaluator(self, facts)
        try:
            v = self._orm_ev.value(arg)
        except RecursionError:
            return None
        return v.template if v is not None else None

    def model_relations(self, facts: Facts) -> dict[str, dict[str, str]]:
        """TypeORM lazy relations (`@ManyToOne(() => Customer) customer: Promise<Customer>` or
        `{ lazy: true }`; eager ones and plain-typed ones, which never query on access, are
        left out) and Sequelize associations as their getters (`Order.belongsTo(Customer)` ->
        `order.getCustomer()`, which queries on every call). Prisma relations live in the schema
        and Mongoose refs are ids (`populate` or nothing): neither loads lazily."""
        out: dict[str, dict[str, str]] = {}
        for c in facts.calls:
            if c.receiver is None and c.method in _TYPEORM_RELATIONS:
                self._typeorm_relation(c, out)
            elif c.method in _SEQUELIZE_ASSOCIATIONS and c.args:
                self._sequelize_association(c, out)
        return out

    def _typeorm_relation(self, c: Call, out: dict) -> None:
        deco = c.node.parent
        field = deco.parent if deco is not None and deco.type == "decorator" else None
        if field is None or field.type not in ("public_field_definition", "field_definition"):
            return
        cls = self._enclosing_class(field)
        name = field.child_by_field_name("name") or field.child_by_field_name("property")
        if cls is None or name is None or not c.args:
            return
        owner = text(cls.child_by_field_name("name")) or self._binding_name(cls)
        target_node = unwrap(c.args[0])
        if target_node is not None and target_node.type in ("arrow_function", "function_expression"):
            target_node = unwrap(target_node.child_by_field_name("body"))
        target = text(target_node).strip("'\"`").rsplit(".", 1)[-1] if target_node is not None else ""
        opts = " ".join(squash(text(a)) for a in c.args[1:] if unwrap(a).type == "object")
        ann = field.child_by_field_name("type")
        lazy = "lazy:true" in opts or (ann is not None and bool(re.match(r":\s*Promise\s*<", text(ann))))
        if "eager:true" in opts or not lazy or not owner or not re.fullmatch(r"[A-Za-z_$][\w$]*", target):
            return
        out.setdefault(owner, {})[text(name)] = target

    def _sequelize_association(self, c: Call, out: dict) -> None:
        recv = c.receiver or ""
        if recv == "this" and c.function is not None and c.function.class_name:
            owner = c.function.class_name
        elif re.fullmatch(r"(?:(?:models|db|sequelize\.models)\.)?[A-Z]\w*", recv):
            owner = recv.rsplit(".", 1)[-1]
        else:
            return
        first = unwrap(c.args[0])
        if first is None or not re.fullmatch(r"(?:(?:models|db|sequelize\.models)\.)?[A-Z]\w*", squash(text(first))):
            return
        target = squash(text(first)).rsplit(".", 1)[-1]
        alias = None
        if len(c.args) > 1 and unwrap(c.args[1]).type == "object":
            for pair in unwrap(c.args[1]).named_children:
                if pair.type == "pair" and text(pair.child_by_field_name("key")).strip("'\"") == "as":
                    v = unwrap(pair.child_by_field_name("value"))
                    if v is not None and v.type == "string":
                        alias = text(v).strip("'\"`")
        many = c.method in ("hasMany", "belongsToMany")
        base = alias or (_plural(target) if many else target)
        out.setdefault(owner, {})["get" + base[:1].upper() + base[1:]] = target

    def query_model(self, call: Call) -> str | None:
        """The model a query reads: `Order.findAll` -> Order, `models.Order.find` -> Order,
        `manager.find(Order, ...)`, `getRepository(Order)`, and a repository / model field whose
        declaration names the entity (`@InjectRepository(Order) private orders: Repository<Order>`,
        `@InjectModel(Order.name) private orderModel: Model<OrderDocument>`)."""
        full = text(_chain_top(call.node))[:3000]
        if re.search(r"\b(relations|include)\s*(:(?!\s*[\[{'\"`])|[,}])", full):
            return None  # eager-loads relations chosen at run time: unknown
        for a in call.args:
            a = unwrap(a)
            if a is not None and (a.type == "member_expression" or (a.type == "identifier" and not text(a)[:1].isupper()) or
                                  (a.type == "object" and any(c.type == "spread_element" for c in a.named_children))):
                return None  # find(options) / find({ ...options }): what it eager-loads is unknown
        callee = call.callee
        m = re.search(r"(?:getRepository|getTreeRepository|createQueryBuilder)\(\s*([A-Z]\w*)\b", callee)
        if m:
            return m.group(1)
        recv = call.receiver or ""
        if recv and not recv.endswith(")") and re.search(_MODEL_RECEIVER, recv):
            last = recv.rsplit(".", 1)[-1]
            if last[:1].isupper():
                return last
        if re.search(r"(?i)(^|\.)(manager|entitymanager|em|transactionalentitymanager)$", recv) and call.args:
            first = unwrap(call.args[0])
            if first is not None and first.type == "identifier" and text(first)[:1].isupper():
                return text(first)
        m = re.match(r"(?:this\.)?([A-Za-z_$][\w$]*)(?:\.createQueryBuilder\(|$)", recv) or \
            re.match(r"(?:this\.)?([A-Za-z_$][\w$]*)\.createQueryBuilder\(", callee)
        if m:
            return self._declared_entity(call.node, m.group(1))
        return None

    def _declared_entity(self, node: ts.Node, name: str) -> str | None:
        src = text(_root(node))
        if len(src) > 400_000:
            return None
        n = re.escape(name)
        mods = r"(?:(?:private|public|protected|readonly)\s+)*"
        for rx in (rf"@InjectRepository\(\s*([A-Z]\w*)\s*\)\s*{mods}{n}\b",
                   rf"@InjectModel\(\s*([A-Z]\w*?)(?:\.name)?\s*\)\s*{mods}{n}\b",
                   rf"\b{n}\s*[?!]?\s*:\s*(?:Repository|TreeRepository|MongoRepository)\s*<\s*([A-Z]\w*)",
                   rf"\b{n}\s*[?!]?\s*:\s*typeof\s+([A-Z]\w*)",
                   rf"\b{n}\s*[?!]?\s*:\s*Model\s*<\s*([A-Z]\w*?)(?:Document|Doc)?\s*>",
                   rf"\b{n}\s*=\s*(?:[\w$.]+\.)?(?:getRepository|getTreeRepository)\(\s*([A-Z]\w*)"):
            m = re.search(rx, src)
            if m:
                return m.group(1)
        return None

    def eager_loaded(self, call: Call) -> set[str]:
        """Relations loaded with the query: TypeORM `relations: [...]` / `{ customer: true }` /
        `leftJoinAndSelect('o.customer', ...)`, Prisma / Sequelize `include`, Drizzle `with`,
        Mongoose `populate('customer')`."""
        full = text(_chain_top(call.node))[:4000]
        out: set[str] = set()
        for m in re.finditer(r"\b(?:relations|include|with)\s*:\s*\[([^\]]*)\]", full):
            out.update(x.split(".")[0] for x in re.findall(r"['\"`]([\w.]+)['\"`]", m.group(1)))
            out.update(re.findall(r"\bas\s*:\s*['\"`](\w+)", m.group(1)))
        for m in re.finditer(r"\b(?:relations|include|with|select)\s*:\s*\{", full):
            depth, i, start = 1, m.end(), m.end()
            while i < len(full) and depth:
                depth += {"{": 1, "}": -1}.get(full[i], 0)
                i += 1
            body = full[start:i - 1]
            # top-level keys only: `{ customer: { include: { address: true } } }` -> customer
            level, key_at = 0, []
            for km in re.finditer(r"[{}]|(\w+)\s*:", body):
                if km.group(0) == "{":
                    level += 1
                elif km.group(0) == "}":
                    level -= 1
                elif level == 0:
                    key_at.append(km.group(1))
            out.update(key_at)
        out.update(re.findall(r"(?:left|inner)Join(?:AndSelect|AndMapOne|AndMapMany)\(\s*['\"`]\w+\.(\w+)", full))
        for m in re.finditer(r"\.populate\(\s*(['\"`][^'\"`]*['\"`]|\{[^}]*\}|\[[^\]]*\])", full):
            for name in re.findall(r"(?:^['\"`]|path\s*:\s*['\"`]|[\[,]\s*['\"`])([\w. ]+)", m.group(1)):
                out.update(n.split(".")[0] for n in name.split())
        return out

    # -- assignments -------------------------------------------------------------------------
    def assignment_info(self, node: ts.Node):
        t = node.type
        if t == "variable_declarator":
            name = node.child_by_field_name("name")
            value = node.child_by_field_name("value")
            if value is not None and unwrap(value) is not None and unwrap(value).type == "await_expression":
                value = _strip_await(value)  # const orders = await Order.findAll(): the query's value
            if name is None:
                return []
            if name.type == "identifier":
                return [(text(name), value, "=")]
            return [(n, None, "=") for n in self._pattern_names(name)]
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        if left is None:
            return []
        left = unwrap(left)
        if t == "assignment_expression":
            if left.type == "identifier":
                steps = 0
                while right is not None and right.type == "assignment_expression" and steps < 20:
                    right = right.child_by_field_name("right")  # a = b = "..."
                    steps += 1
                if right is not None and right.type == "await_expression":
                    right = _strip_await(right)
                return [(text(left), right, "=")]
            if left.type in ("object_pattern", "array_pattern"):
                return [(n, None, "=") for n in self._pattern_names(left)]
            return []
        if t == "augmented_assignment_expression" and left.type == "identifier":
            op = text(node.child_by_field_name("operator"))
            return [(text(left), right, "+=")] if op == "+=" else [(text(left), None, "=")]
        return []

    # -- loops -------------------------------------------------------------------------------
    def loop_info(self, node: ts.Node) -> Loop:
        t = node.type
        if t == "for_in_statement":
            # for (const x of items) / for (const k in obj) / for await (const doc of cursor)
            it = _strip_await(node.child_by_field_name("right"))
            names = self._pattern_names(node.child_by_field_name("left"))
            kind = "cursor" if any(c.type == "await" for c in node.children) else "for"
            loop = Loop(node, kind, it, names, node.child_by_field_name("body"))
            return self._batch_loop(loop)
        if t == "for_statement":
            init = node.child_by_field_name("initializer")
            names = []
            if init is not None:
                for d in init.named_children:
                    if d.type == "variable_declarator":
                        names.extend(self._pattern_names(d.child_by_field_name("name")))
            return self._batch_loop(Loop(node, "for", self._indexed_collection(node, names), names,
                                         node.child_by_field_name("body")))
        if t in ("while_statement", "do_statement"):
            cond = squash(text(node.child_by_field_name("condition")))[:200]
            if re.search(r"\.hasNext\(\)", cond):
                return Loop(node, "cursor", None, [], node.child_by_field_name("body"))  # MongoDB cursor
            return Loop(node, "while", None, [], node.child_by_field_name("body"))
        # the body of a loop-like callback: items.forEach((item) => { ... }), _.map(items, fn),
        # Promise.all(items.map(async (item) => ...)), cursor.eachAsync((doc) => ...)
        fn = node.parent
        call = fn.parent.parent if fn is not None and fn.parent is not None else None
        iterable, method, kind = None, "", "callback"
        if call is not None and call.type == "call_expression":
            callee = call.child_by_field_name("function")
            al = call.child_by_field_name("arguments")
            args = [a for a in al.named_children if a.type != "comment"] if al is not None else []
            if callee is not None and callee.type == "member_expression":
                method = text(callee.child_by_field_name("property"))
            if args and args[0].id != fn.id:
                iterable = args[0]  # the collection is the first argument: _.map(items, fn)
            elif callee is not None and callee.type == "member_expression":
                iterable = callee.child_by_field_name("object")
            if method == "eachAsync":
                kind = "cursor"
        params = self._param_names(fn) if fn is not None else []
        variables = params[1:2] if method == "reduce" else params[:1]
        return self._batch_loop(Loop(node, kind, _strip_await(iterable), variables, node))

    def _indexed_collection(self, node: ts.Node, names: list[str]) -> ts.Node | None:
        """for (let i = 0; i < items.length; i++): the collection `items`; None for counted,
        stepped (`i += 500`: batches) or open-ended loops."""
        cond = node.child_by_field_name("condition")
        if cond is not None and cond.type == "expression_statement" and cond.named_children:
            cond = cond.named_children[0]
        inc = node.child_by_field_name("increment")
        if cond is None or cond.type != "binary_expression" or inc is None or len(names) != 1:
            return None
        if text(cond.child_by_field_name("operator")) not in ("<", "<=") or \
                squash(text(cond.child_by_field_name("left"))) != names[0]:
            return None
        inc_text = squash(text(inc))
        if inc_text not in (names[0] + "++", "++" + names[0], names[0] + "+=1", f"{names[0]}={names[0]}+1"):
            return None
        right = unwrap(cond.child_by_field_name("right"))
        if right is not None and right.type == "member_expression" and \
                text(right.child_by_field_name("property")) in ("length", "size"):
            return right.child_by_field_name("object")
        return None

    @staticmethod
    def _batch_loop(loop: Loop) -> Loop:
        """A loop over chunks of a collection runs one query per chunk by design: not a loop
        over the items (collection_loop needs an iterable, so it is dropped)."""
        it = loop.iterable
        if it is not None and it.type == "call_expression":
            it = it.child_by_field_name("function")  # _.chunk(ids, 500), chunkArray(rows)
        it_text = text(it)[:200] if it is not None and it.type in ("identifier", "member_expression") else ""
        names = " ".join(loop.variables) + " " + it_text
        if _BATCH.search(names):
            return Loop(loop.node, "for", None, loop.variables, loop.body)
        return loop

    # -- strings -----------------------------------------------------------------------------
    def facts(self, tree: ts.Tree) -> Facts:
        self._root_memo = {}
        self._receiver_index = None
        try:
            facts = super().facts(tree)
        finally:
            self._root_memo = {}
        # an expression-bodied callback `ids.map((id) => prisma.user.findUnique(...))`: the call
        # IS the loop body, so the ancestor walk did not see the loop
        bodies = {l.node.id: l for l in facts.loops if l.kind in ("callback", "cursor") and l.node.type in (
            "call_expression", "new_expression")}
        if bodies:
            for c in facts.calls:
                lp = bodies.get(c.node.id)
                if lp is not None and lp not in c.loops:
                    c.loops = [lp] + list(c.loops)
        return facts

    def string_root(self, node: ts.Node) -> ts.Node:
        # Node.parent walks down from the root (O(depth)): memoise the climb, so that a long
        # `'a' + 'b' + ...` chain is climbed once, not once per literal in it
        memo = self._root_memo
        path = []
        root = self._climb(node, memo, path)
        for n in path:
            memo[n.id] = root
        return root

    def _climb(self, node: ts.Node, memo: dict, path: list) -> ts.Node:
        cur = node
        for _ in range(MAX_EVAL_DEPTH):
            hit = memo.get(cur.id)
            if hit is not None:
                return hit
            path.append(cur)
            p = cur.parent
            if p is None:
                return cur
            t = p.type
            if t in _TRANSPARENT:
                cur = p
            elif t == "binary_expression" and text(p.child_by_field_name("operator")) == "+":
                cur = p
            elif t == "template_substitution" and p.parent is not None and p.parent.type == "template_string":
                cur = p.parent
            elif t == "member_expression" and p.child_by_field_name("object") is not None \
                    and p.child_by_field_name("object").id == cur.id and p.parent is not None \
                    and p.parent.type == "call_expression" and self._builds_from_receiver(p.parent):
                cur = p.parent
            elif t == "arguments" and p.parent is not None and p.parent.type == "call_expression" \
                    and self._builds_from_argument(p.parent, cur):
                cur = p.parent
            elif t == "array" and p.parent is not None and p.parent.type == "member_expression" \
                    and text(p.parent.child_by_field_name("property")) == "join" \
                    and p.parent.parent is not None and p.parent.parent.type == "call_expression":
                cur = p.parent.parent
            else:
                return cur
        return cur

    @staticmethod
    def _method_of(call: ts.Node) -> tuple[str, ts.Node | None]:
        fn = call.child_by_field_name("function")
        if fn is not None and fn.type == "member_expression":
            return text(fn.child_by_field_name("property")), fn.child_by_field_name("object")
        return "", None

    def _builds_from_receiver(self, call: ts.Node) -> bool:
        m, _ = self._method_of(call)
        return m in _STRING_METHODS_SAME or m in ("concat", "replace", "replaceAll")

    def _builds_from_argument(self, call: ts.Node, arg: ts.Node) -> bool:
        m, recv = self._method_of(call)
        args = call.child_by_field_name("arguments")
        if m == "concat":
            return recv is not None and unwrap(recv).type in ("string", "template_string", "binary_expression")
        fn = squash(text(call.child_by_field_name("function")))
        if self._printf_callee(fn) or self._escaping_format(call):
            return args is not None and args.named_children and args.named_children[0].id == arg.id
        return False

    @staticmethod
    def _printf_callee(callee: str) -> bool:
        return callee in ("util.format", "format", "sprintf", "pgFormat", "pgformat", "sqlFormat")

    @staticmethod
    def _escaping_format(call: ts.Node) -> bool:
        """mysql.format(sql, values) / SqlString.format: `?` placeholders filled with escaped values."""
        fn = call.child_by_field_name("function")
        if fn is None or fn.type != "member_expression" or text(fn.child_by_field_name("property")) != "format":
            return False
        return bool(re.search(r"(?i)(mysql|sqlstring|conn|connection|pool|db)$", squash(text(fn.child_by_field_name("object")))))

    def _literal(self, node: ts.Node) -> StringValue:
        raw = text(node)
        body = raw[1:-1] if len(raw) >= 2 else ""
        return StringValue(node, unescape(body), [], "literal")

    def _tag_kind(self, node: ts.Node) -> str | None:
        """For a template literal: None if untagged, "string" for string-building tags
        (String.raw, dedent), "bound" for tags that bind the substitutions (sql`...`)."""
        p = node.parent
        if p is None or p.type != "call_expression":
            return None
        al = p.child_by_field_name("arguments")
        if al is None or al.id != node.id:
            return None
        fn = unwrap(p.child_by_field_name("function"))
        while fn is not None and fn.type == "instantiation_expression" and fn.named_child_count:
            fn = unwrap(fn.named_children[0])
        tag = _normalise(squash(text(fn)))
        return "string" if tag in self._string_tags else "bound"

    def _template(self, node: ts.Node, ev: Evaluator, depth: int) -> StringValue:
        tag = self._tag_kind(node)
        raw_text = node.text or b""
        base = node.start_byte
        parts: list[StringValue] = []
        pos = base + 1
        unesc = (lambda s: s) if tag == "string" and "raw" in text(node.parent.child_by_field_name("function")) else unescape
        for c in node.named_children:
            if c.type != "template_substitution":
                continue
            lit = raw_text[pos - base:c.start_byte - base].decode("utf-8", "replace")
            parts.append(StringValue(node, unesc(lit), [], "literal"))
            pos = c.end_byte
            expr = next((x for x in c.named_children if x.type != "comment"), None)
            if expr is None:
                continue
            if tag == "bound":
                parts.append(StringValue(c, hole_marker(0), [Hole(expr, text(expr), numeric=True)], "a tagged template"))
                continue
            inner = unwrap(expr)
            if inner is not None and inner.type in ("string", "template_string"):
                v = ev.value(inner, depth)
                if v is not None:
                    parts.append(v)
                    continue
            parts.append(StringValue(c, hole_marker(0), [Hole(expr, text(expr), self.numeric_expression(expr))],
                                     "a template literal"))
        end = node.end_byte - 1
        if end >= pos:
            parts.append(StringValue(node, unesc(raw_text[pos - base:end - base].decode("utf-8", "replace")), [], "literal"))
        v = StringValue.join(node, parts)
        if v.dynamic and tag is None:
            v.how = "a template literal"
        return v

    def string_value(self, node: ts.Node, ev: Evaluator, depth: int) -> StringValue | None:
        node = unwrap(node)
        if node is None:
            return None
        t = node.type
        if t == "string":
            return self._literal(node)
        if t == "template_string":
            return self._template(node, ev, depth)
        if t == "binary_expression":
            if text(node.child_by_field_name("operator")) != "+":
                return None
            return self.concat_value(node, node.child_by_field_name("left"), node.child_by_field_name("right"), ev, depth)
        if t == "call_expression":
            return self._call_value(node, ev, depth)
        if t == "ternary_expression":
            # either branch may run: the one that splices in the most pieces speaks for both
            branches = [node.child_by_field_name(f) for f in ("consequence", "alternative")]
            if self._allow_list_guard(node.child_by_field_name("condition"), branches[0], branches[1], 0):
                return StringValue.opaque(node, text(node), True)  # ALLOWED.includes(x) ? x : 'id'
            values = [ev.value(b, depth) for b in branches]
            if all(v is None for v in values):
                return None
            values = [v if v is not None else StringValue.opaque(b, text(b), self.numeric_expression(b))
                      for v, b in zip(values, branches)]
            best = max(values, key=lambda v: len(v.holes))
            return StringValue(node, best.template, best.holes, best.how)
        if t == "member_expression" and text(node.child_by_field_name("object")) == "this":
            value = self._field_value(node, text(node.child_by_field_name("property")))
            if value is not None and value.type in ("string", "template_string", "binary_expression"):
                v = ev.value(value, depth)
                if v is not None and not v.dynamic:
                    return StringValue(node, v.template, [], "literal")
            return None
        if t in self.identifier_types:
            v = ev.variable(node, depth)
            if v is None:
                v = self._outer_variable(node, ev, depth)
            return v
        return None

    def _call_value(self, node: ts.Node, ev: Evaluator, depth: int) -> StringValue | None:
        fn = node.child_by_field_name("function")
        al = node.child_by_field_name("arguments")
        if fn is None or al is None:
            return None
        if al.type == "template_string":
            return self._template(al, ev, depth)
        args = [a for a in al.named_children if a.type != "comment"]
        if fn.type == "member_expression":
            m = text(fn.child_by_field_name("property"))
            recv = fn.child_by_field_name("object")
            if m in _STRING_METHODS_SAME:
                return ev.value(recv, depth)
            if m == "concat":
                base = ev.value(recv, depth)
                if base is None:
                    return None
                parts = [base]
                for a in args:
                    parts.append(ev.value(a, depth) or StringValue.opaque(a, text(a), self.numeric_expression(a)))
                return StringValue.join(node, parts, ".concat()")
            if m in ("replace", "replaceAll") and len(args) == 2:
                return self._replace(node, recv, args, m == "replaceAll", ev, depth)
            if m == "join":
                return self._join_value(node, recv, args, ev, depth)
            if m == "format" and self._escaping_format(node) and args:
                return ev.value(args[0], depth)  # `?` stay placeholders: the values are escaped
        callee = _normalise(squash(text(fn)))
        if callee == "String" and args:
            return ev.value(args[0], depth)
        if self._printf_callee(callee) and args:
            fmt = ev.value(args[0], depth)
            if fmt is None or fmt.dynamic:
                return None
            return self._printf(node, fmt.template, args[1:])
        return None

    def _replace(self, node, recv, args, every, ev, depth) -> StringValue | None:
        base = ev.value(recv, depth)
        if base is None:
            return None
        pat, rep = unwrap(args[0]), args[1]
        rv = ev.value(rep, depth) if rep.type not in ("arrow_function", "function_expression") else None
        if rv is not None and not rv.dynamic:
            if pat is not None and pat.type == "string":
                p = self._literal(pat).template
                tmpl = base.template.replace(p, rv.template) if every else base.template.replace(p, rv.template, 1)
                return StringValue(node, tmpl, base.holes, base.how)
            return base
        if pat is not None and pat.type == "string":
            p = self._literal(pat).template
            if p and p in base.template:
                marker = hole_marker(len(base.holes))
                tmpl = base.template.replace(p, marker) if every else base.template.replace(p, marker, 1)
                n = tmpl.count(marker)
                holes = list(base.holes)
                tmpl_parts = tmpl.split(marker)
                out = tmpl_parts[0]
                for piece in tmpl_parts[1:]:
                    out += hole_marker(len(holes)) + piece
                    holes.append(Hole(rep, text(rep), self.numeric_expression(rep)))
                if n:
                    return StringValue(node, out, holes, ".replace()")
        return StringValue.join(node, [base, StringValue.opaque(rep, text(rep), self.numeric_expression(rep))], ".replace()")

    def _join_value(self, node, recv, args, ev, depth) -> StringValue | None:
        if args:
            sep = ev.value(args[0], depth)
            if sep is None or sep.dynamic:
                return None
            sep_text = sep.template
        else:
            sep_text = ","
        recv = unwrap(recv)
        elements = None
        if recv is not None and recv.type == "identifier":
            elements = self._local_array(recv, ev)
        elif recv is not None and recv.type == "array":
            elements = [x for x in recv.named_children if x.type != "comment"]
        if elements is not None:
            parts: list[StringValue] = []
            for i, el in enumerate(elements):
                if i:
                    parts.append(StringValue(node, sep_text, [], "literal"))
                if el.type == "spread_element":
                    parts.append(StringValue.opaque(el, text(el)))
                    continue
                parts.append(ev.value(el, depth) or StringValue.opaque(el, text(el), self.numeric_expression(el)))
            v = StringValue.join(node, parts)
            if v.dynamic:
                v.how = "Array.join()"
            return v
        # some array joined into a string: its content is unknown
        return StringValue.opaque(node, text(node))

    def _calls_on(self, name: str, ev: Evaluator, lo: int, hi: int) -> list[Call]:
        """The calls whose receiver is exactly `name`, starting in [lo, hi) (indexed once per file)."""
        idx = self._receiver_index
        if idx is None or idx[0] is not ev.facts:
            by: dict[str, tuple[list[int], list[Call]]] = {}
            for c in ev.facts.calls:
                if c.receiver is not None:
                    by.setdefault(c.receiver, ([], []))[1].append(c)
            for starts, calls in by.values():
                calls.sort(key=lambda c: c.node.start_byte)
                starts.extend(c.node.start_byte for c in calls)
            idx = self._receiver_index = (ev.facts, by)
        starts, calls = idx[1].get(name, ((), ()))
        return calls[bisect.bisect_left(starts, lo):bisect.bisect_left(starts, hi)] if calls else []

    def _local_array(self, name_node: ts.Node, ev: Evaluator) -> list[ts.Node] | None:
        """The elements a local array holds where it is used: its array literal plus everything
        pushed onto it before (in source order, like `+=` appends), or None if unknown."""
        name = text(name_node)
        fn = ev.function_of(name_node)
        assigns = ev.facts.assignments_before(name, fn, name_node.start_byte)
        if not assigns or assigns[-1].op != "=" or assigns[-1].value is None:
            return None
        value = unwrap(assigns[-1].value)
        if value is None or value.type != "array":
            return None
        elements = [x for x in value.named_children if x.type != "comment"]
        for c in self._calls_on(name, ev, value.end_byte, name_node.start_byte):
            if c.method == "push":
                elements.extend(c.args)
            elif c.method in ("unshift", "splice", "fill", "reverse", "sort", "pop", "shift", "concat"):
                return None
        return elements

    def _printf(self, node: ts.Node, template: str, values: list[ts.Node]) -> StringValue:
        parts: list[StringValue] = []
        pos, i = 0, 0
        for m in _PRINTF.finditer(template):
            parts.append(StringValue(node, template[pos:m.start()], [], "literal"))
            pos = m.end()
            verb = m.group(2)
            if verb == "%":
                parts.append(StringValue(node, "%", [], "literal"))
                continue
            val = values[i] if i < len(values) else None
            i += 1
            if val is None:
                parts.append(StringValue(node, m.group(0), [], "literal"))
                continue
            safe = verb in "difIL"  # numbers, pg-format %I identifiers and %L literals
            parts.append(StringValue.opaque(val, text(val), safe or self.numeric_expression(val)))
        parts.append(StringValue(node, template[pos:], [], "literal"))
        return StringValue.join(node, parts, "util.format()")

    # -- variables of enclosing scopes -------------------------------------------------------------
    def _outer_assignment(self, node: ts.Node, ev: Evaluator):
        """For a name neither assigned nor a parameter in its own function: its last assignment
        in the nearest enclosing function (closures) or at module level."""
        name = self.is_local_name(node)
        if name is None:
            return None
        fn = ev.function_of(node)
        if fn is None or name in fn.params or ev.facts.assignments_before(name, fn, node.start_byte):
            return None
        p, steps = node.parent, 0
        while p is not None and p.id != fn.node.id and steps < 400:
            if p.type == "for_in_statement" and name in self._pattern_names(p.child_by_field_name("left")):
                return None  # bound by the loop, not by the outer scope
            p, steps = p.parent, steps + 1
        for _ in range(8):
            outer = ev.function_of(fn.node)
            assigns = ev.facts.assignments_before(name, outer, node.start_byte)
            if assigns:
                last = assigns[-1]
                return last if last.op == "=" and all(a.op == "=" for a in assigns[-1:]) else None
            if outer is None or name in outer.params:
                return None
            fn = outer
        return None

    def _outer_variable(self, node: ts.Node, ev: Evaluator, depth: int) -> StringValue | None:
        a = self._outer_assignment(node, ev)
        if a is None or a.value is None:
            return None
        v = ev.value(a.value, depth + 1)
        if v is None:
            return None
        return StringValue.join(node, [v])

    # -- expression classes ------------------------------------------------------------------
    def numeric_expression(self, node: ts.Node) -> bool:
        return self._numeric(node, 0)

    def _numeric(self, node: ts.Node | None, depth: int) -> bool:
        node = unwrap(node)
        if node is None or depth > 12:
            return False
        t = node.type
        if t in ("number", "true", "false", "null", "undefined"):
            return True
        if t == "identifier":
            return text(node) in ("undefined", "NaN", "Infinity")
        if t == "unary_expression":
            return text(node.child_by_field_name("operator")) in ("+", "-", "~", "!", "typeof", "void")
        if t == "update_expression":
            return True
        if t == "binary_expression":
            op = text(node.child_by_field_name("operator"))
            if op in _ARITH:
                return True
            if op in ("+", "||", "??", "&&"):
                return self._numeric(node.child_by_field_name("left"), depth + 1) and \
                    self._numeric(node.child_by_field_name("right"), depth + 1)
            return False
        if t == "ternary_expression":
            return self._numeric(node.child_by_field_name("consequence"), depth + 1) and \
                self._numeric(node.child_by_field_name("alternative"), depth + 1)
        if t == "member_expression":
            return text(node.child_by_field_name("property")) == "length"
        if t == "call_expression":
            fn = unwrap(node.child_by_field_name("function"))
            callee = _normalise(squash(text(fn)))
            if callee in self._numeric_functions or callee.startswith("Math."):
                return True
            if fn is not None and fn.type == "member_expression":
                m = text(fn.child_by_field_name("property"))
                if m == "join":
                    return self._numeric_map(unwrap(fn.child_by_field_name("object")), depth)
                return m in self._numeric_methods
        return False

    def _numeric_map(self, node: ts.Node | None, depth: int) -> bool:
        """ids.map(Number) / ids.map((id) => parseInt(id, 10)): an array of numbers."""
        if node is None or node.type != "call_expression":
            return False
        m, _ = self._method_of(node)
        al = node.child_by_field_name("arguments")
        args = [a for a in al.named_children if a.type != "comment"] if al is not None else []
        if m != "map" or not args:
            return False
        cb = unwrap(args[0])
        if cb.type in ("identifier", "member_expression"):
            return _normalise(squash(text(cb))) in self._numeric_functions or text(cb).startswith("Math.")
        if cb.type == "arrow_function":
            body = cb.child_by_field_name("body")
            return body is not None and body.type != "statement_block" and self._numeric(body, depth + 1)
        return False

    def constant_expression(self, node: ts.Node) -> bool:
        return self._constant(node, 0)

    def _constant(self, node: ts.Node | None, depth: int) -> bool:
        node = unwrap(node)
        if node is None or depth > 12:
            return False
        t = node.type
        if t in ("number", "true", "false", "null", "undefined", "string", "regex"):
            return True
        if t == "template_string":
            return not any(c.type == "template_substitution" for c in node.named_children) or \
                (self._tag_kind(node) == "bound")
        if t == "identifier":
            name = text(node)
            return bool(_UPPER.fullmatch(name)) or name in ("undefined", "NaN", "Infinity") or bool(_ALIAS.fullmatch(name))
        if t == "member_expression":
            prop = text(node.child_by_field_name("property"))
            obj = _normalise(squash(text(node.child_by_field_name("object"))))
            if _UPPER.fullmatch(prop):
                return True
            if obj == "this" and (_INSTANCE_CONFIG.fullmatch(prop) or self._constant_field(node, prop)):
                return True  # this.tableName, this.alias, readonly table = 'users'
            if prop == "tableName" and (obj.endswith("metadata") or re.fullmatch(r"[A-Z]\w*", obj)):
                return True  # TypeORM entity metadata, Sequelize Model.tableName
            if prop == "alias" and re.search(r"(?i)(^|\.)(qb|querybuilder|builder|this)$", obj):
                return True  # TypeORM query-builder alias
            return False
        if t == "subscript_expression":
            # SORT_COLUMNS[key]: a lookup in a constant allow-list
            obj = unwrap(node.child_by_field_name("object"))
            return obj is not None and obj.type == "identifier" and bool(_UPPER.fullmatch(text(obj)))
        if t == "ternary_expression":
            cons, alt = node.child_by_field_name("consequence"), node.child_by_field_name("alternative")
            if self._constant(cons, depth + 1) and self._constant(alt, depth + 1):
                return True
            return self._allow_list_guard(node.child_by_field_name("condition"), cons, alt, depth)
        if t == "binary_expression" and text(node.child_by_field_name("operator")) in ("||", "??", "&&"):
            return self._constant(node.child_by_field_name("left"), depth + 1) and \
                self._constant(node.child_by_field_name("right"), depth + 1)
        if t == "call_expression":
            fn = unwrap(node.child_by_field_name("function"))
            callee = _normalise(squash(text(fn)))
            if callee in self._quoting_functions:
                return True
            if fn is not None and fn.type == "member_expression":
                m = text(fn.child_by_field_name("property"))
                if m == "join":
                    return self._quoted_map(unwrap(fn.child_by_field_name("object")), depth)
                return m in self._quoting_methods
            return callee in self._quoting_methods
        return False

    def _quoted_map(self, node: ts.Node | None, depth: int) -> bool:
        """values.map((v) => conn.escape(v)) / values.map(mysql.escape): every element quoted."""
        if node is None or node.type != "call_expression":
            return False
        m, _ = self._method_of(node)
        al = node.child_by_field_name("arguments")
        args = [a for a in al.named_children if a.type != "comment"] if al is not None else []
        if m != "map" or not args:
            return False
        cb = unwrap(args[0])
        if cb.type in ("identifier", "member_expression"):
            name = _normalise(squash(text(cb)))
            return name in self._quoting_functions or name.rsplit(".", 1)[-1] in self._quoting_methods
        if cb.type == "arrow_function":
            body = cb.child_by_field_name("body")
            return body is not None and body.type != "statement_block" and self._constant(body, depth + 1)
        return False

    def _constant_field(self, node: ts.Node, prop: str) -> bool:
        """`this.x` where the class declares `x = 'literal'` (or sets it so in its constructor)."""
        value = self._field_value(node, prop)
        if value is None:
            return False
        if value.type == "template_string":
            return not any(c.type == "template_substitution" for c in value.named_children)
        return value.type in ("string", "number")

    def _field_value(self, node: ts.Node, prop: str) -> ts.Node | None:
        """The initialiser of field `prop` of the class around node: `x = ...` in the class body
        or `this.x = ...` at the top level of its constructor."""
        p, steps = node.parent, 0
        while p is not None and p.type not in _CLASS_TYPES and p.type != "program" and steps < 400:
            p, steps = p.parent, steps + 1
        body = p.child_by_field_name("body") if p is not None and p.type in _CLASS_TYPES else None
        if body is None:
            return None
        for member in body.named_children:
            if member.type in ("field_definition", "public_field_definition"):
                name = member.child_by_field_name("property") or member.child_by_field_name("name")
                if text(name) == prop:
                    return unwrap(member.child_by_field_name("value"))
            elif member.type == "method_definition" and text(member.child_by_field_name("name")) == "constructor":
                block = member.child_by_field_name("body")
                for st in (block.named_children if block is not None else []):
                    e = st.named_children[0] if st.type == "expression_statement" and st.named_children else None
                    if e is None or e.type != "assignment_expression":
                        continue
                    left = e.child_by_field_name("left")
                    if left is not None and squash(text(left)) == "this." + prop:
                        return unwrap(e.child_by_field_name("right"))
        return None

    def _allow_list_guard(self, cond, cons, alt, depth) -> bool:
        """ALLOWED.includes(x) ? x : 'id'   (and its negation)."""
        cond = unwrap(cond)
        negated = False
        if cond is not None and cond.type == "unary_expression" and text(cond.child_by_field_name("operator")) == "!":
            cond, negated = unwrap(cond.child_by_field_name("argument")), True
        if cond is None or cond.type != "call_expression":
            return False
        fn = cond.child_by_field_name("function")
        if fn is None or fn.type != "member_expression" or text(fn.child_by_field_name("property")) not in ("includes", "has"):
            return False
        al = cond.child_by_field_name("arguments")
        checked = [a for a in al.named_children if a.type != "comment"] if al is not None else []
        if len(checked) != 1:
            return False
        value, fallback = (alt, cons) if negated else (cons, alt)
        return squash(text(unwrap(value))) == squash(text(unwrap(checked[0]))) and self._constant(fallback, depth + 1)

    def placeholder_expression(self, node: ts.Node, ev: Evaluator) -> bool:
        """Bind-placeholder lists (`ids.map(() => '?').join(',')`, `'?,'.repeat(n)`), arrays of
        safe SQL pieces joined, and expressions whose every piece is safe."""
        if self._safe_depth > 10:
            return False
        self._safe_depth += 1
        try:
            return self._safe(node, ev)
        finally:
            self._safe_depth -= 1

    def _safe(self, node: ts.Node, ev: Evaluator) -> bool:
        node = unwrap(node)
        if node is None:
            return False
        t = node.type
        if t == "ternary_expression":
            return all(self._hole_safe(node.child_by_field_name(f), ev) for f in ("consequence", "alternative"))
        if t == "binary_expression" and text(node.child_by_field_name("operator")) in ("||", "??", "&&"):
            return all(self._hole_safe(node.child_by_field_name(f), ev) for f in ("left", "right"))
        if t in self.identifier_types:
            v = ev.variable(node, 0)
            if v is not None:
                return all(self._hole_safe_h(h, ev) for h in v.holes)
            fn = ev.function_of(node)
            assigns = ev.facts.assignments_before(text(node), fn, node.start_byte)
            if assigns and all(a.value is not None and self._numeric(a.value, 0) for a in assigns):
                return True  # a counter: let i = 1; ... i += 1
            a = self._outer_assignment(node, ev)
            if a is not None and a.value is not None:
                return self._hole_safe(a.value, ev)
            return not assigns and self._constant_loop_variable(node)
        if t in ("call_expression", "new_expression"):
            if self._placeholder_list(node):
                return True
            m, recv = self._method_of(node) if t == "call_expression" else ("", None)
            if m == "join" and recv is not None and unwrap(recv).type == "identifier":
                return self._safe_array(unwrap(recv), node, ev)
        if t in ("binary_expression", "template_string", "call_expression"):
            v = ev.value(node)
            if v is not None and v.dynamic and all(h.node is None or h.node.id != node.id for h in v.holes):
                return all(self._hole_safe_h(h, ev) for h in v.holes)
        return False

    def _constant_loop_variable(self, node: ts.Node) -> bool:
        """`for (const table of ['users', 'posts'])` / `['a', 'b'].forEach((table) => ...)`: the
        variable only takes constant values."""
        name = text(node)
        p, steps = node.parent, 0
        while p is not None and steps < 400:
            iterable = None
            if p.type == "for_in_statement" and text(p.child_by_field_name("operator")) == "of":
                left = p.child_by_field_name("left")
                if left is not None and left.type == "identifier" and text(left) == name:
                    iterable = p.child_by_field_name("right")
            elif p.type in ("arrow_function", "function_expression"):
                if name in self._param_names(p):
                    call = p.parent.parent if p.parent is not None and p.parent.type == "arguments" else None
                    names = self._param_names(p)
                    if call is None or call.type != "call_expression" or not names or names[0] != name:
                        return False
                    m, recv = self._method_of(call)
                    if m not in _LOOP_METHODS:
                        return False
                    iterable = recv
                else:
                    p, steps = p.parent, steps + 1
                    continue
            if iterable is not None:
                it = unwrap(iterable)
                if it is not None and it.type == "array":
                    return all(x.type != "spread_element" and self._constant(x, 0) for x in it.named_children
                               if x.type != "comment")
                return it is not None and it.type == "identifier" and bool(_UPPER.fullmatch(text(it)))
            if p.type in _FUNCTION_TYPES and p.type not in ("arrow_function", "function_expression"):
                return False
            p, steps = p.parent, steps + 1
        return False

    def _hole_safe(self, node: ts.Node | None, ev: Evaluator) -> bool:
        if node is None:
            return False
        return self._hole_safe_h(Hole(node, text(node)), ev)

    def _hole_safe_h(self, hole: Hole, ev: Evaluator) -> bool:
        if hole.numeric:
            return True
        n = unwrap(hole.node)
        if n is None:
            return False
        if n.type in ("string", "template_string", "binary_expression") or (n.type == "call_expression" and not self._placeholder_list(n)):
            v = ev.value(n)
            if v is not None and not v.dynamic:
                return True
        return ev.hole_is_safe(Hole(n, hole.text), 1)

    def _placeholder_list(self, node: ts.Node) -> bool:
        """ids.map(() => '?').join(', '), ids.map((_, i) => `$${i + 1}`).join(','), '?,'.repeat(n),
        Array(n).fill('?').join(','), Array.from({ length: n }, () => '?').join(',')."""
        src = squash(text(node))
        if not re.search(r"\.(join|repeat|fill)\(|Array\.from\(", src) or len(src) > 600:
            return False
        literals = []
        stack, seen = [node], 0
        while stack and seen < 300:
            cur = stack.pop()
            seen += 1
            if cur.type in ("string", "template_string"):
                literals.append(cur)
                continue
            if cur.type in ("call_expression", "new_expression"):
                fn = unwrap(cur.child_by_field_name("function") or cur.child_by_field_name("constructor"))
                name = text(fn.child_by_field_name("property")) if fn is not None and fn.type == "member_expression" else text(fn)
                if name not in ("join", "repeat", "fill", "map", "Array", "from", "slice", "substring", "keys",
                                "trim", "push", "concat", "flat", "flatMap") and not name.startswith("Math."):
                    return False  # a call we do not know may return anything
            stack.extend(cur.named_children)
        if not literals:
            return False
        found = False
        for lit in literals:
            body, holes = self._raw_template(lit)
            if any(not self._numeric(h, 0) and not self._index_like(h) for h in holes):
                return False
            if _PLACEHOLDER_ITEM.fullmatch(body):
                found = True
            elif re.fullmatch(r"[\s,(]*[$:@]\w*", body) and self._numbered(lit):
                found = True  # '$' + (i + 1)
            elif not _SEPARATOR.fullmatch(body):
                return False
        return found

    def _numbered(self, lit: ts.Node) -> bool:
        p = lit.parent
        while p is not None and p.type == "parenthesized_expression":
            p = p.parent
        if p is None or p.type != "binary_expression" or text(p.child_by_field_name("operator")) != "+":
            return False
        left, right = p.child_by_field_name("left"), p.child_by_field_name("right")
        if left is None or right is None or unwrap(left).id != lit.id:
            return False
        return self._numeric(right, 0) or self._index_like(unwrap(right))

    @staticmethod
    def _index_like(node: ts.Node) -> bool:
        """i, idx + 1, offset + i * 2: identifiers and arithmetic only."""
        stack, n = [node], 0
        while stack and n < 50:
            cur = stack.pop()
            n += 1
            if cur.type in ("identifier", "number", "binary_expression", "parenthesized_expression", "member_expression",
                            "property_identifier", "update_expression"):
                if cur.type == "binary_expression" and text(cur.child_by_field_name("operator")) not in ("+", "-", "*", "/", "%"):
                    return False
                stack.extend(cur.named_children)
                continue
            if cur.type == "call_expression" and "push" in text(cur.child_by_field_name("function")):
                continue  # $${params.push(value)}: the new length
            return False
        return True

    @staticmethod
    def _raw_template(lit: ts.Node) -> tuple[str, list[ts.Node]]:
        if lit.type == "string":
            return text(lit)[1:-1], []
        holes, out, pos = [], [], lit.start_byte + 1
        raw = lit.text or b""
        for c in lit.named_children:
            if c.type == "template_substitution":
                out.append(raw[pos - lit.start_byte:c.start_byte - lit.start_byte].decode("utf-8", "replace"))
                out.append(hole_marker(len(holes)))
                expr = next((x for x in c.named_children if x.type != "comment"), None)
                if expr is not None:
                    holes.append(expr)
                pos = c.end_byte
        out.append(raw[pos - lit.start_byte:max(pos, lit.end_byte - 1) - lit.start_byte].decode("utf-8", "replace"))
        return "".join(out), holes

    def _safe_array(self, arr: ts.Node, join_call: ts.Node, ev: Evaluator) -> bool:
        """conditions.join(' AND ') where every element ever put in `conditions` is safe SQL."""
        name = text(arr)
        fn = ev.function_of(join_call)
        assigns = ev.facts.assignments_before(name, fn, join_call.start_byte)
        if not assigns:
            a = self._outer_assignment(arr, ev)
            if a is None:
                return False
            assigns = [a]
            fn = a.function
        elements: list[ts.Node] = []
        for a in assigns:
            v = unwrap(a.value)
            if v is None or v.type != "array" or a.op != "=":
                return False
            elements.extend(x for x in v.named_children if x.type != "comment")
        lo = fn.node.start_byte if fn is not None else 0
        for c in self._calls_on(name, ev, lo, join_call.start_byte):
            if c.method in ("push", "unshift", "splice", "concat"):
                if c.method in ("splice", "concat"):
                    return False
                elements.extend(c.args)
        for el in elements:
            if el.type == "spread_element" or not self._hole_safe(el, ev):
                return False
        return True
