"""Ruby: methods, calls (with and without parentheses), blocks as loops, and string building
(`#{}` interpolation, heredocs, `+`, `<<` / `concat` appends, `format` / `sprintf` / `%`,
`Array#join`), ActiveRecord / Sequel / pg / mysql2 / sqlite3 sinks."""

from __future__ import annotations

import re
from pathlib import Path

import tree_sitter as ts
import tree_sitter_ruby

from ..base import (enclosing_node, param_names, HOLE_RE, Call, DbCall, Evaluator, Function, LanguageAdapter, Loop, RouteHandler,
                    StringValue, squash, text)

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "s": " ", "0": "\0", "e": "\x1b", "a": "\a", "b": "\b",
            "f": "\f", "v": "\v", "\\": "\\", "'": "'", '"': '"', "\n": ""}
# Kernel#format / String#%: %% | %{name} | %<name>spec | %[flags][width][.prec]verb
_FORMAT_SPEC = re.compile(r"%(?:%|\{(\w+)\}|(?:<(\w+)>)?[-+ 0#*]*\d*(?:\.\d+)?([bBdiouxXeEfgGaAcps]))")
_NUMERIC_VERBS = set("bBdiouxXeEfgGaA")
# one bind placeholder: ?, %s, $1, :name, @p  (interpolations already replaced by `N`)
_PLACEHOLDER = re.compile(r"\s*(\?|%s|[$:@]\w+)\s*")
_BUILDER_MARKER = re.compile(r"/\*\s*where\s*\*/", re.I)
_CONDITION_SHAPE = re.compile(r"=|<|>|\blike\b|\bin\b|\bis\b|\bbetween\b", re.I)
_LITERALS = frozenset({"integer", "float", "rational", "complex", "true", "false", "nil", "simple_symbol", "character",
                       "string_content", "heredoc_content"})
_NUMBERS = frozenset({"integer", "float", "rational", "complex"})
_LIST_STEPS = frozenset({"uniq", "compact", "sort", "reverse", "flatten", "to_a", "first", "take", "last", "sort!", "uniq!"})
_MAP = frozenset({"map", "collect", "flat_map", "filter_map"})
_INPUT_CONSTANTS = frozenset({"ARGV", "ARGF", "STDIN", "DATA"})
# reads of table data: a value taken from them is data, not code
_QUERY_METHODS = frozenset({"pluck", "pick", "find", "find_by", "find_by!", "where", "first", "last", "take", "all",
                            "select", "map", "collect", "to_a", "sample", "find_by_sql", "sole", "find_sole_by",
                            "maximum", "minimum", "get", "read", "fetch", "[]", "new", "create", "call", "input",
                            "gets", "readline", "params", "request", "open", "load", "parse"})
_ITERATORS = frozenset({"each", "each_with_index", "each_with_object", "map", "flat_map", "collect", "filter_map",
                        "select", "reject", "each_pair", "each_key", "each_value", "sum", "inject", "reduce",
                        "each_slice", "find", "detect", "any?", "all?", "index_by", "index_with", "to_h"})
# rows fetched one by one: `while row = stmt.step` (sqlite3), `res.next`, `res.fetch_hash` (mysql)
_ROW_FETCH = frozenset({"next", "step", "fetch", "fetch_row", "fetch_hash", "fetch_array", "next_hash"})
# query-builder methods on a model: their result is rows from the database, never a constant
_MODEL_QUERY_METHODS = frozenset({"includes", "preload", "eager_load", "references", "order", "reorder", "limit",
                                  "offset", "joins", "left_joins", "left_outer_joins", "distinct", "group", "having",
                                  "unscoped", "readonly", "lock", "strict_loading", "eager", "eager_graph",
                                  "order_by", "find_each", "find_in_batches", "in_batches", "ids"})
# a relation followed by these is turned into SQL / Arel, not loaded
_UNLOADED = frozenset({"to_sql", "arel", "to_arel", "where_clause", "where_values_hash", "klass", "table_name",
                       "arel_table", "scope_for_create"})
# methods that refine a relation without loading it
_BUILDERS = (_MODEL_QUERY_METHODS - {"find_each", "find_in_batches", "in_batches", "ids"}) | {
    "all", "where", "not", "or", "and", "select", "reselect", "rewhere", "unscope", "merge", "none", "extending",
    "from", "excluding", "without", "references", "create_with", "invert_where", "only", "except", "annotate",
    "filter", "exclude"}
# a relation passed to these becomes part of another query (subquery, merged conditions)
_RELATION_ARG = frozenset({"merge", "or", "and", "where", "not", "rewhere", "from", "union", "union_all",
                           "excluding", "without", "exists", "in", "having", "joins"})
_TRUSTED_LIST_METHODS = frozenset({"column_names", "attribute_names", "attribute_aliases", "keys", "values"})


def _short_text(s: str, n: int = 40) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


def unescape(s: str) -> str:
    if "\\" not in s:
        return s
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), s, flags=re.S)


def _singular(word: str) -> str:
    """comments -> comment, categories -> category, addresses -> address, people -> person."""
    irregular = {"people": "person", "children": "child", "men": "man", "women": "woman", "mice": "mouse",
                 "data": "datum", "media": "medium", "criteria": "criterion", "indices": "index"}
    head, _, last = word.rpartition("_")
    pre = head + "_" if head else ""
    if last in irregular:
        return pre + irregular[last]
    for suf, rep in (("ies", "y"), ("sses", "ss"), ("uses", "us"), ("xes", "x"), ("ches", "ch"), ("shes", "sh"),
                     ("zes", "z"), ("ss", "ss"), ("us", "us"), ("is", "is"), ("s", "")):
        if last.endswith(suf) and len(last) > len(suf):
            return pre + last[: -len(suf)] + rep
    return word


def _same(a: ts.Node | None, b: ts.Node | None) -> bool:
    return a is not None and b is not None and a.id == b.id


def _unparen(node: ts.Node | None) -> ts.Node | None:
    while node is not None and node.type == "parenthesized_statements":
        kids = [c for c in node.named_children if c.type != "comment"]
        if len(kids) != 1:
            return node
        node = kids[0]
    return node


def _last_statement(node: ts.Node | None) -> ts.Node | None:
    if node is None:
        return None
    kids = [c for c in node.named_children if c.type not in ("comment", "heredoc_body", "empty_statement")]
    return kids[-1] if kids else None


class Adapter(LanguageAdapter):
    name = "ruby"
    directory = Path(__file__).parent
    statement_containers = frozenset({"program", "body_statement", "block_body", "then", "else", "do",
                                      "begin", "ensure", "begin_block", "end_block"})
    function_types = frozenset({"method", "singleton_method", "lambda"})
    identifier_types = frozenset({"identifier"})

    def __init__(self) -> None:
        super().__init__()
        k = self.knowledge
        self._numeric_methods = frozenset(k.get("numeric_methods", ()))
        self._numeric_functions = frozenset(k.get("numeric_functions", ()))
        self._quoting_methods = frozenset(k.get("quoting_methods", ()))
        self._quoting_receivers = re.compile(k.get("quoting_receivers", r"$^"))
        self._passthrough = frozenset(k.get("passthrough_methods", ()))
        self._safe_value_methods = frozenset(k.get("safe_value_methods", ()))
        self._heredoc_query = ts.Query(self.ts_language, "[(heredoc_beginning) (heredoc_body)] @h")

    def _load_language(self) -> ts.Language:
        return ts.Language(tree_sitter_ruby.language())

    # -- ORM models and queries (n-plus-one) -------------------------------------------------
    # ivars count as method-local names: `@posts = Post.all` then `@posts.each { ... }` in one
    # controller action (an assignment in another method, e.g. a before_action, is not followed)
    member_access_query = "(call receiver: (identifier) @obj method: (identifier) @attr) @access"

    def is_local_name(self, node: ts.Node) -> str | None:
        if node is not None and node.type in ("identifier", "instance_variable"):
            return text(node)
        return None

    def _orm(self) -> dict:
        o = self.__dict__.get("_orm_k")
        if o is None:
            k = self.knowledge
            bulk = next((e.get("bulk_arg") for e in k.get("db_calls", ()) if e.get("bulk_arg")), None)
            o = {"bulk": re.compile(bulk) if bulk else None,
                 "key_methods": frozenset(k.get("chain_key_methods", ())),
                 "bases": re.compile(k.get("model_bases", r"$^")),
                 "bare": frozenset(k.get("model_bare_calls", ())),
                 "assoc": dict(k.get("model_associations", {})),
                 "raw_rx": re.compile(k.get("raw_sql_receivers", r"$^")),
                 "model_rx": next((re.compile(e["receiver"]) for e in k.get("db_calls", ())
                                   if e.get("library") == "activerecord" and e.get("receiver")), None)}
            self.__dict__["_orm_k"] = o
        return o

    def db_call(self, call: Call):
        o = self._orm()
        m = call.method
        if m == "[]" and call.args and call.args[0].type in ("simple_symbol", "string") \
                and not any(c.type == "interpolation" for c in call.args[0].children) and " " not in text(call.args[0]):
            return None  # DB[:posts] / DB["posts"] names a dataset: no round trip by itself
        d = super().db_call(call)
        if d is not None and d.kind == "read" and not d.bounded and self._never_runs(call.node):
            return None
        if d is not None and d.kind == "raw-sql" and not o["raw_rx"].search(call.receiver or "") \
                and not self._sql_literal(d.sql_arg):
            return None  # hash.fetch(key), cache.fetch, api.query(params): generic names need SQL or a DB receiver
        if d is not None and d.kind == "raw-sql" and d.library == "activerecord" \
                and not re.search(r"(^|\.)connection$", call.receiver or ""):
            d.library = "driver"  # sqlite3 db.execute(sql): the same method name as connection.execute
        if d is None and call.receiver and re.fullmatch(r"find_(all_)?by_\w+!?", m) and o["model_rx"] is not None \
                and o["model_rx"].search(call.receiver):
            d = DbCall(call, "activerecord", "read", bounded=not m.startswith("find_all_"))  # dynamic finders
        if d is None and m in o["bare"] and call.receiver in (None, "self") and call.function is not None \
                and any(o["bases"].search(b) for b in call.function.class_bases):
            # a query in a model's own method: `where(...)` in `def self.for(user)`, `update!(...)`
            d = DbCall(call, "activerecord", "write" if m in self.knowledge.get("instance_writes", ()) or
                       m.startswith(("create", "update", "delete", "destroy", "insert", "upsert", "touch",
                                     "increment", "decrement", "toggle", "find_or_create")) else "read")
        if d is not None and not d.bulk and o["bulk"] is not None and d.library in ("activerecord", "sequel"):
            # Post.where(id: ids).pluck(:name): the keys of an inner call pick many rows
            cur = call.receiver_node
            for _ in range(20):
                cur = _unparen(cur)
                if cur is None or cur.type != "call":
                    break
                if text(cur.child_by_field_name("method")) in o["key_methods"]:
                    args, kwargs = self._arguments(cur.child_by_field_name("arguments"))
                    texts = [text(a)[:300] for a in args] + [f"{k}={text(v)[:300]}" for k, v in kwargs.items()]
                    if any(o["bulk"].search(t) for t in texts):
                        d.bulk = True
                        break
                cur = cur.child_by_field_name("receiver")
        return d

    @staticmethod
    def _never_runs(node: ts.Node) -> bool:
        """A relation that is only built, never loaded: turned into SQL or Arel
        (Post.where(x).to_sql) or handed to another query as a subquery / condition
        (scope.merge(Post.where(x)), where(id: Post.select(:id)), relation.or(Post.where(y)))."""
        top = node
        for _ in range(40):
            p = top.parent
            if p is None or p.type != "call" or not _same(p.child_by_field_name("receiver"), top):
                break
            pm = text(p.child_by_field_name("method"))
            if pm in _UNLOADED:
                return True
            if pm not in _BUILDERS:
                return False  # loaded (pluck, to_a, each, count, ...)
            top = p
        p = top.parent
        if p is not None and p.type == "pair":
            p = p.parent
        if p is not None and p.type == "argument_list" and p.parent is not None and p.parent.type == "call":
            return text(p.parent.child_by_field_name("method")) in _RELATION_ARG
        return False

    @staticmethod
    def _sql_literal(node: ts.Node | None) -> bool:
        """A string literal that reads as SQL, or a heredoc named like SQL (<<~SQL)."""
        from ...sql.parse import looks_like_sql

        node = _unparen(node)
        if node is None:
            return False
        if node.type == "heredoc_beginning":
            return "SQL" in text(node).upper()
        if node.type == "string":
            s = "".join(text(c) if c.type == "string_content" else "1" if c.type == "interpolation" else ""
                        for c in node.children)
            return looks_like_sql(s.strip())
        return False

    def _chain(self, node: ts.Node | None) -> list[ts.Node]:
        """The calls of a method chain, from its root up to the outermost call that is not the
        loop itself (Post.includes(:a).where(x) in Post.includes(:a).where(x).each { })."""
        if node is None:
            return []
        top = node
        while top.parent is not None and top.parent.type == "call" and _same(top.parent.child_by_field_name("receiver"), top) \
                and top.parent.child_by_field_name("block") is None:
            top = top.parent
        out = []
        cur = top
        for _ in range(40):
            cur = _unparen(cur)
            if cur is None or cur.type != "call":
                break
            out.append(cur)
            cur = cur.child_by_field_name("receiver")
        out.reverse()
        return out

    def _chain_root(self, node: ts.Node | None) -> ts.Node | None:
        cur = node
        for _ in range(40):
            cur = _unparen(cur)
            if cur is None or cur.type != "call":
                return cur
            cur = cur.child_by_field_name("receiver")
        return None

    def query_model(self, call: Call) -> str | None:
        root = self._chain_root(call.node)
        if root is None:
            return None
        if root.type in ("constant", "scope_resolution"):
            name = squash(text(root)).rsplit("::", 1)[-1]
            return name if re.fullmatch(r"[A-Z]\w*[a-z]\w*", name) else None
        if root.type == "self" and call.function is not None and call.function.class_name \
                and any(self._orm()["bases"].search(b) for b in call.function.class_bases):
            return call.function.class_name.rsplit("::", 1)[-1]  # self.class.where(...) / bare where in the model
        return None

    def eager_loaded(self, call: Call) -> set[str]:
        out: set[str] = set()
        for c in self._chain(call.node):
            if text(c.child_by_field_name("method")) not in ("includes", "preload", "eager_load", "eager", "eager_graph"):
                continue
            al = c.child_by_field_name("arguments")
            for a in (al.named_children if al is not None else ()):
                out.update(self._relation_names(a))
        return out

    def _relation_names(self, node: ts.Node, depth: int = 0) -> set[str]:
        """Top-level relation names of an includes(...) argument: :author, "author", [:a, :b],
        {comments: :author} / comments: [...] (the nested names belong to other models)."""
        if depth > 4:
            return set()
        t = node.type
        if t == "simple_symbol":
            return {text(node).lstrip(":")}
        if t == "string" and not any(c.type == "interpolation" for c in node.children):
            return {text(node).strip("'\"")}
        if t in ("symbol_array", "string_array"):
            return {text(c) for c in node.named_children}
        if t in ("array", "hash", "argument_list"):
            out: set[str] = set()
            for c in node.named_children:
                out |= self._relation_names(c, depth + 1)
            return out
        if t == "pair":
            k = node.child_by_field_name("key")
            if k is None:
                return set()
            return {text(k).lstrip(":").rstrip(":").strip("'\"")}
        return set()

    def member_accesses(self, node: ts.Node, variables: list[str]) -> list[tuple[str, str, ts.Node]]:
        out = []
        for var, attr, acc in super().member_accesses(node, variables):
            p = acc.parent
            if p is not None and p.type in ("assignment", "operator_assignment") and _same(p.child_by_field_name("left"), acc):
                continue  # post.author = user: a setter, nothing is loaded
            if attr.endswith(("=", "?")) or acc.child_by_field_name("arguments") is not None:
                continue  # post.author?(x) / post.comments(true): not a plain association reader
            out.append((var, attr, acc))
        return out

    def model_relations(self, facts) -> dict[str, dict[str, str]]:
        """has_many / belongs_to / has_one / has_and_belongs_to_many (and Sequel many_to_one,
        one_to_many, ...) in a class body: {model: {association: target class}}."""
        assoc = self._orm()["assoc"]
        out: dict[str, dict[str, str]] = {}
        for c in facts.calls:
            if c.receiver is not None or c.method not in assoc or not c.args:
                continue
            first = c.args[0]
            if first.type != "simple_symbol":
                continue
            p, cls = c.node.parent, None
            while p is not None:
                if p.type in ("method", "singleton_method"):
                    break
                if p.type == "class":
                    cls = p
                    break
                p = p.parent
            if cls is None:
                continue  # concerns (module ... included do has_many ...) are not followed
            owner = squash(text(cls.child_by_field_name("name"))).rsplit("::", 1)[-1]
            name = text(first).lstrip(":")
            target = ""
            opt = c.kwargs.get("class_name") or c.kwargs.get("class")
            if opt is not None and opt.type in ("string", "simple_symbol", "constant", "scope_resolution") \
                    and not any(k.type == "interpolation" for k in opt.children):
                target = text(opt).strip("'\":").rsplit("::", 1)[-1]
            if not target:
                base = _singular(name) if assoc[c.method] == "many" else name
                target = "".join(w[:1].upper() + w[1:] for w in base.split("_") if w)
            if target:
                out.setdefault(owner, {})[name] = target
        return out

    # -- routes (RouteHandler facts; data in knowledge.d/routes.yaml) --------------------------
    def route_handlers(self, facts, path: str) -> list[RouteHandler]:
        """The generic recognizer, then Rails' own notion of an action: a public instance method
        written in the controller's class body (not after `private` / `protected`, not
        `private def`, not named by `private :x`, not `def self.x` or in `class << self`), and
        not a helper of an abstract controller (ApplicationController). `update` answers PATCH
        and PUT (knowledge `actions` writes several methods as `PATCH,PUT`)."""
        if facts.routes is not None:
            return facts.routes
        hs = super().route_handlers(facts, path)
        k = self.knowledge.get("routes") or {}
        abstract = re.compile(k.get("abstract-controllers", r"$^"))
        out = []
        for h in hs:
            if h.framework == "rails" and h.function is not None:
                if h.class_name and abstract.search(squash(h.class_name)):
                    continue
                if not self._public_action(h.function.node, facts):
                    continue
            if any("," in m for m in h.methods):
                h.methods = tuple(x.strip() for m in h.methods for x in m.split(",") if x.strip())
            out.append(h)
        facts.routes = out
        return out

    @staticmethod
    def _public_action(node: ts.Node, facts) -> bool:
        if node.type != "method":
            return False
        p = node.parent
        if p is not None and p.type == "argument_list":  # private def foo / public def foo
            call = p.parent
            if call is None or call.type != "call" or call.child_by_field_name("receiver") is not None:
                return False
            if text(call.child_by_field_name("method")) != "public":
                return False
            p = call.parent
        if p is None or p.type != "body_statement" or p.parent is None or p.parent.type != "class":
            return False
        cache = facts.__dict__.setdefault("_rb_hidden_methods", {})
        hidden = cache.get(p.id)
        if hidden is None:
            hidden = Adapter._hidden_methods(p)
            cache[p.id] = hidden
        ids, names = hidden
        return node.id not in ids and text(node.child_by_field_name("name")) not in names

    @staticmethod
    def _hidden_methods(body: ts.Node) -> tuple[set[int], set[str]]:
        """Method nodes after a bare `private` / `protected` in a class body (until `public`), and
        names given to `private :a, :b` / `protected :a` / `private_class_method`."""
        ids: set[int] = set()
        names: set[str] = set()
        vis = "public"
        for c in body.named_children:
            if c.type == "identifier" and text(c) in ("private", "protected", "public"):
                vis = text(c)
            elif c.type == "method":
                if vis != "public":
                    ids.add(c.id)
            elif c.type == "call" and c.child_by_field_name("receiver") is None:
                m = text(c.child_by_field_name("method"))
                if m not in ("private", "protected", "module_function", "private_class_method"):
                    continue
                al = c.child_by_field_name("arguments")
                for a in (al.named_children if al is not None else ()):
                    if a.type in ("simple_symbol", "string"):
                        names.add(text(a).lstrip(":").strip("'\""))
                    elif a.type == "array":
                        for e in a.named_children:
                            names.add(text(e).lstrip(":").strip("'\""))
                    elif a.type in ("symbol_array", "string_array"):
                        for e in a.named_children:
                            names.add(text(e))
        return ids, names

    def extra_route_handlers(self, facts, path: str) -> list[RouteHandler]:
        """Sinatra routes: `get '/orders' do ... end`, `post %r{/x}, provides: 'json' do |id| ... end`
        (a verb without a receiver, a path string or regex first, and a block). The handler is
        the call; its body is the block's body; there is no Function."""
        k = (self.knowledge.get("routes") or {}).get("sinatra") or {}
        verbs = frozenset(k.get("verbs", ()))
        if not verbs:
            return []
        recv_rx = re.compile(k.get("receivers", r"^$"))
        path_rx = re.compile(k.get("path", r"^string$"))
        out = []
        for c in facts.calls:
            if c.method not in verbs or not c.args or c.node.type != "call" or c.node.has_error:
                continue
            if not recv_rx.search(c.receiver or ""):
                continue
            first = c.args[0]
            if not path_rx.search(first.type):
                continue
            block = c.node.child_by_field_name("block")
            if block is None:
                continue
            route = text(first)
            if first.type == "string":
                route = "".join(text(x) if x.type == "string_content" else "{}" for x in first.named_children
                                if x.type in ("string_content", "interpolation"))
            cls = self._enclosing_class(c.node)
            out.append(RouteHandler(c.node, None, block.child_by_field_name("body"), f"{c.method.upper()} {route}",
                                    "sinatra", (c.method.upper(),), route,
                                    f"`{c.method} {_short_text(text(first))} do` block on line {c.node.start_point[0] + 1}",
                                    text(cls.child_by_field_name("name")) if cls is not None else None))
        return out

    # -- functions ---------------------------------------------------------------------------
    def function_info(self, node: ts.Node) -> Function:
        params = self._params(node.child_by_field_name("parameters"))
        if node.type == "lambda":
            return Function(node, "<lambda>", params, body=node.child_by_field_name("body"), kind="lambda")
        fn = Function(node, text(node.child_by_field_name("name")), params, body=node.child_by_field_name("body"))
        cls = self._enclosing_class(node)
        if cls is not None:
            fn.kind = "method"
            fn.class_name = text(cls.child_by_field_name("name"))
            sup = cls.child_by_field_name("superclass")
            if sup is not None:
                fn.class_bases = [squash(text(c)) for c in sup.named_children]
        return fn

    @staticmethod
    def _enclosing_class(node: ts.Node) -> ts.Node | None:
        return enclosing_node(node, ("class", "module"), ("method", "singleton_method", "lambda"))

    @staticmethod
    def _params(params: ts.Node | None) -> list[str]:
        return param_names(params)

    # -- calls -------------------------------------------------------------------------------
    def call_info(self, node: ts.Node) -> Call | None:
        if node.type == "element_reference":  # DB["SELECT ..."]
            obj = node.child_by_field_name("object")
            if obj is None:
                return None
            args = [c for c in node.named_children if not _same(c, obj) and c.type != "comment"]
            r = self._render(obj)
            return Call(node, r + "[]", "[]", r, args, {}, receiver_node=obj)
        m = node.child_by_field_name("method")
        if m is None:
            return None
        method = text(m)
        args, kwargs = self._arguments(node.child_by_field_name("arguments"))
        recv = node.child_by_field_name("receiver")
        if recv is not None:
            r = self._render(recv)
            # Foo.new(...) creates an object
            return Call(node, f"{r}.{method}", method, r, args, kwargs, is_new=method == "new", receiver_node=recv)
        return Call(node, method, method, None, args, kwargs)

    def _render(self, node: ts.Node, depth: int = 0) -> str:
        """Receiver text with call arguments and blocks elided: User.where(…).order, DB[…]."""
        if depth > 30:
            return "…"
        if node.type == "call":
            m = node.child_by_field_name("method")
            recv = node.child_by_field_name("receiver")
            s = (self._render(recv, depth + 1) + "." if recv is not None else "") + (text(m) if m is not None else "call")
            if node.child_by_field_name("arguments") is not None:
                s += "(…)"
            return s
        if node.type == "element_reference":
            obj = node.child_by_field_name("object")
            return (self._render(obj, depth + 1) if obj is not None else "") + "[…]"
        t = squash(text(node))
        return t if len(t) <= 80 else t[:79] + "…"

    @staticmethod
    def _arguments(al: ts.Node | None) -> tuple[list[ts.Node], dict[str, ts.Node]]:
        args: list[ts.Node] = []
        kwargs: dict[str, ts.Node] = {}
        if al is None:
            return args, kwargs
        for a in al.named_children:
            if a.type == "pair":
                key, val = a.child_by_field_name("key"), a.child_by_field_name("value")
                if key is not None and val is not None and key.type in ("hash_key_symbol", "simple_symbol"):
                    kwargs[text(key).lstrip(":")] = val
            elif a.type not in ("comment", "block_argument", "hash_splat_argument"):
                args.append(a)
        return args, kwargs

    # -- SQL sinks ---------------------------------------------------------------------------
    def _sink_hits(self, call: Call) -> list[tuple[dict, ts.Node]]:
        out = []
        for s in self._sinks_by_method.get(call.method, ()):
            if not self.sink_entry_matches(s, call):
                continue
            if any(k in call.kwargs for k in s.get("unless_kwargs", ())):
                continue
            if s.get("args") == "all":
                cands = list(call.args)
            else:
                i = s.get("arg", 0)
                cands = [call.args[i]] if len(call.args) > i else []
                if "kwarg" in s and s["kwarg"] in call.kwargs:
                    cands = [call.kwargs[s["kwarg"]]]
            for a in cands:
                # where(["name = ?", x]), find_by_sql([sql, id]): the SQL is the array's first element
                if a.type == "array":
                    first = next((c for c in a.named_children if c.type != "comment"), None)
                    if first is None:
                        continue
                    a = first
                out.append((s, a))
        return out

    def sql_sink(self, call: Call):
        hits = self._sink_hits(call)
        return hits[0] if hits else None

    def sql_sink_args(self, facts):
        """Like the base, but a call may offer several SQL arguments (select("a", "b"), pg
        prepare(name, sql)): report the call once, for the first argument built unsafely."""
        from ...sql import looks_like_sql

        ev = Evaluator(self, facts)
        for call in facts.calls:
            hits = self._sink_hits(call)
            if not hits:
                continue
            chosen = None
            for entry, arg in hits:
                v = ev.value(arg)
                if v is None or not v.dynamic:
                    continue
                if entry.get("shape") == "condition" and not _CONDITION_SHAPE.search(HOLE_RE.sub(" ", v.template)):
                    continue
                if len(hits) == 1:
                    chosen = (entry, arg)
                    break
                if not entry.get("fragment") and not looks_like_sql(v.template):
                    continue
                if any(not ev.hole_is_safe(h) for h in v.holes):
                    chosen = (entry, arg)
                    break
            if chosen is not None:
                at = call.node
                m = at.child_by_field_name("method")
                if m is not None and m.start_point[0] != at.start_point[0]:
                    at = chosen[1]  # a chain over several lines: point at this call's SQL, not the chain's head
                yield at, call.callee if len(call.callee) <= 60 else call.method, chosen[0], chosen[1]

    # -- assignments -------------------------------------------------------------------------
    def assignment_info(self, node: ts.Node):
        t = node.type
        if t == "assignment":
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            if left is None:
                return []
            if left.type == "identifier":
                while right is not None and right.type == "assignment":  # a = b = "..."
                    right = right.child_by_field_name("right")
                if right is not None and right.type in ("rescue_modifier", "right_assignment_list"):
                    right = None
                return [(text(left), right, "=")]
            if left.type == "left_assignment_list":  # a, b = ...: stop following these names
                return [(text(i), None, "=") for i in left.named_children if i.type in ("identifier", "instance_variable")]
            if left.type == "instance_variable":  # @posts = Post.all (followed within the method)
                while right is not None and right.type == "assignment":
                    right = right.child_by_field_name("right")
                if right is not None and right.type in ("rescue_modifier", "right_assignment_list"):
                    right = None
                return [(text(left), right, "=")]
            return []
        if t == "operator_assignment":
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            if left is None or left.type not in ("identifier", "instance_variable"):
                return []
            op = text(node.child_by_field_name("operator"))
            if op == "+=":
                return [(text(left), right, "+=")]
            if op == "||=":
                return [(text(left), right, "=")]
            return [(text(left), None, "=")]
        if t == "binary":  # sql << "x" << "y"
            p = node.parent
            if p is not None and p.type == "binary" and _same(p.child_by_field_name("left"), node) \
                    and text(p.child_by_field_name("operator")) == "<<":
                return []  # the outermost << of the chain reports every piece
            rights = []
            cur = node
            while cur is not None and cur.type == "binary" and text(cur.child_by_field_name("operator")) == "<<":
                rights.append(cur.child_by_field_name("right"))
                cur = cur.child_by_field_name("left")
            if cur is None or cur.type != "identifier":
                return []
            return [(text(cur), r, "+=") for r in reversed(rights)]
        if t == "call":  # sql.concat(" AND x"), conditions.push("a = ?")
            recv = node.child_by_field_name("receiver")
            if recv is None or recv.type != "identifier":
                return []
            args, _ = self._arguments(node.child_by_field_name("arguments"))
            return [(text(recv), a, "+=") for a in args]
        return []

    # -- loops -------------------------------------------------------------------------------
    def loop_info(self, node: ts.Node) -> Loop:
        t = node.type
        if t == "for":
            pat = node.child_by_field_name("pattern")
            names = [pat] if pat is not None and pat.type == "identifier" else (
                [c for c in pat.named_children if c.type == "identifier"] if pat is not None else [])
            value = node.child_by_field_name("value")
            if value is not None and value.type == "in" and value.named_child_count == 1:
                value = value.named_children[0]  # for x in ITEMS: the `in` clause holds the collection
            return Loop(node, "for", value, [text(n) for n in names], node.child_by_field_name("body"))
        if t in ("while", "until", "while_modifier", "until_modifier"):
            cond = _unparen(node.child_by_field_name("condition"))
            if t in ("while", "while_modifier") and cond is not None and cond.type == "assignment":
                # while row = result.next / stmt.step / res.fetch_hash: one iteration per fetched row
                left, right = cond.child_by_field_name("left"), _unparen(cond.child_by_field_name("right"))
                if left is not None and left.type == "identifier" and right is not None and right.type == "call" \
                        and right.child_by_field_name("receiver") is not None \
                        and text(right.child_by_field_name("method")) in _ROW_FETCH:
                    return Loop(node, "cursor", None, [text(left)], node.child_by_field_name("body"))
            return Loop(node, "while", cond, [], node.child_by_field_name("body"))
        block = node.child_by_field_name("block")
        variables = []
        if block is not None:
            variables = self._params(block.child_by_field_name("parameters"))
        method = text(node.child_by_field_name("method"))
        recv = node.child_by_field_name("receiver")
        if method == "loop" and recv is None:
            return Loop(node, "while", None, variables, block)  # loop do ... end: retry / polling / paging
        if method in ("find_each", "find_in_batches", "in_batches", "paged_each") and recv is not None \
                and recv.type in ("constant", "scope_resolution"):
            # Post.find_each { }: the collection is the whole query, not the constant `Post`
            return Loop(node, "callback", node, variables, block)
        return Loop(node, "callback", recv, variables, block)

    def _inside_loop_body(self, loop: Loop, node: ts.Node) -> bool:
        if loop.kind == "callback":
            b = loop.body
            return b is not None and b.start_byte <= node.start_byte and node.end_byte <= b.end_byte
        return super()._inside_loop_body(loop, node)

    # -- strings -----------------------------------------------------------------------------
    def string_root(self, node: ts.Node) -> ts.Node:
        cur = node
        for _ in range(200):
            p = cur.parent
            if p is None:
                return cur
            pt = p.type
            if pt == "chained_string":
                cur = p
            elif pt == "parenthesized_statements" and p.named_child_count == 1:
                cur = p
            elif pt == "binary":
                op = text(p.child_by_field_name("operator"))
                if op == "+" or (op == "%" and _same(p.child_by_field_name("left"), cur)):
                    cur = p
                else:
                    return cur
            elif pt == "call" and _same(p.child_by_field_name("receiver"), cur) \
                    and text(p.child_by_field_name("method")) in self._passthrough:
                cur = p
            elif pt == "array" and p.parent is not None and p.parent.type == "call" \
                    and _same(p.parent.child_by_field_name("receiver"), p) \
                    and text(p.parent.child_by_field_name("method")) == "join":
                cur = p.parent
            elif pt == "argument_list" and p.parent is not None and p.parent.type == "call" \
                    and self._is_format_call(p.parent) and _same(p.named_children[0], cur):
                cur = p.parent
            else:
                return cur
        return cur

    @staticmethod
    def _is_format_call(node: ts.Node) -> bool:
        m = text(node.child_by_field_name("method"))
        recv = node.child_by_field_name("receiver")
        return m in ("format", "sprintf") and (recv is None or text(recv) in ("Kernel", "::Kernel"))

    def _literal(self, node: ts.Node) -> StringValue:
        opener = text(node.children[0]) if node.child_count else ""
        single = opener.startswith("'") or opener.startswith("%q")
        parts: list[StringValue] = []
        for c in node.children:
            if c.type == "string_content":
                t = text(c)
                if single:
                    t = t.replace("\\\\", "\\").replace("\\'", "'")
                parts.extend(self._content(node, c, t))
            elif c.type == "escape_sequence":
                parts.append(StringValue(c, unescape(text(c)), [], "literal"))
            elif c.type == "interpolation":
                parts.append(self._hole(c))
        v = StringValue.join(node, parts)
        if v.dynamic:
            v.how = "string interpolation"
        return v

    @staticmethod
    def _content(string: ts.Node, part: ts.Node, t: str) -> list[StringValue]:
        """Literal text; a query-builder marker (mini_sql / SqlBuilder `/*where*/`) becomes a hole
        the builder fills from code, so the statement is not read as having no WHERE."""
        if "/*" not in t or not _BUILDER_MARKER.search(t):
            return [StringValue(part, t, [], "literal")]
        out, pos = [], 0
        for m in _BUILDER_MARKER.finditer(t):
            out.append(StringValue(part, t[pos:m.start()], [], "literal"))
            out.append(StringValue.opaque(part, m.group(0)))  # its node is literal text: never unsafe
            pos = m.end()
        out.append(StringValue(part, t[pos:], [], "literal"))
        return out

    @staticmethod
    def _hole(interp: ts.Node) -> StringValue:
        kids = [k for k in interp.named_children if k.type != "comment"]
        expr = kids[0] if len(kids) == 1 else interp
        v = StringValue.opaque(interp, text(expr))
        v.holes[0].node = expr
        return v

    def _heredoc_body(self, node: ts.Node, ev: Evaluator) -> ts.Node | None:
        """Heredoc bodies are separate nodes after the line that opens them; pair openers and
        bodies in document order (one C query per file, on first use)."""
        bodies = ev.facts.__dict__.get("_rb_heredocs")
        if bodies is None:
            root = node
            while root.parent is not None:
                root = root.parent
            found = ts.QueryCursor(self._heredoc_query).captures(root).get("h", [])
            begins = sorted((n for n in found if n.type == "heredoc_beginning"), key=lambda n: n.start_byte)
            bods = sorted((n for n in found if n.type == "heredoc_body"), key=lambda n: n.start_byte)
            bodies, j = {}, 0
            for b in begins:
                while j < len(bods) and bods[j].start_byte < b.end_byte:
                    j += 1
                if j < len(bods):
                    bodies[b.id] = bods[j]
                    j += 1
            ev.facts.__dict__["_rb_heredocs"] = bodies
        return bodies.get(node.id)

    def _heredoc(self, node: ts.Node, ev: Evaluator) -> StringValue | None:
        body = self._heredoc_body(node, ev)
        if body is None:
            return None
        raw = "'" in text(node)
        parts: list[StringValue] = []
        for c in body.children:
            if c.type == "heredoc_content":
                parts.extend(self._content(node, c, text(c)))
            elif c.type == "escape_sequence":
                parts.append(StringValue(c, text(c) if raw else unescape(text(c)), [], "literal"))
            elif c.type == "interpolation":
                parts.append(self._hole(c))
        v = StringValue.join(node, parts)
        v.node = node
        if v.dynamic:
            v.how = "heredoc interpolation"
        return v

    def string_value(self, node: ts.Node, ev: Evaluator, depth: int) -> StringValue | None:
        t = node.type
        if t == "string":
            return self._literal(node)
        if t == "heredoc_beginning":
            return self._heredoc(node, ev)
        if t == "identifier":
            return ev.variable(node, depth)
        if t == "chained_string":
            parts = [ev.value(c, depth) for c in node.named_children if c.type == "string"]
            if any(p is None for p in parts):
                return None
            return StringValue.join(node, parts)
        if t == "parenthesized_statements":
            inner = _unparen(node)
            return ev.value(inner, depth) if inner is not None and not _same(inner, node) else None
        if t == "binary":
            return self._binary(node, ev, depth)
        if t == "call":
            return self._call_value(node, ev, depth)
        return None

    def _binary(self, node: ts.Node, ev: Evaluator, depth: int) -> StringValue | None:
        op = text(node.child_by_field_name("operator"))
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if left is None or right is None:
            return None
        if op == "+":
            return self.concat_value(node, left, right, ev, depth)
        if op == "<<":
            lv = ev.value(left, depth)
            if lv is None:
                return None
            rv = ev.value(right, depth) or StringValue.opaque(right, text(right), self.numeric_expression(right))
            return StringValue.join(node, [lv, rv], "appending to a string")
        if op == "%":
            lv = ev.value(left, depth)
            if lv is None:
                return None
            if lv.dynamic:
                return StringValue.join(node, [lv, StringValue.opaque(right, text(right))], "String#%")
            r = _unparen(right)
            if r.type == "array":
                return self._format(node, lv.template, self._positional(r), {}, "String#%")
            if r.type == "hash":
                return self._format(node, lv.template, [], self._pairs(r), "String#%")
            return self._format(node, lv.template, [r], {}, "String#%")
        return None

    @staticmethod
    def _positional(node: ts.Node) -> list[ts.Node]:
        return [c for c in node.named_children if c.type not in ("comment", "pair")]

    @staticmethod
    def _pairs(node: ts.Node) -> dict[str, ts.Node]:
        out = {}
        for c in node.named_children:
            if c.type == "pair":
                k, v = c.child_by_field_name("key"), c.child_by_field_name("value")
                if k is not None and v is not None:
                    out[text(k).lstrip(":").strip("\"'")] = v
        return out

    def _call_value(self, node: ts.Node, ev: Evaluator, depth: int) -> StringValue | None:
        method = text(node.child_by_field_name("method"))
        recv = node.child_by_field_name("receiver")
        al = node.child_by_field_name("arguments")
        if recv is not None and method in self._passthrough:
            return ev.value(recv, depth)
        if self._is_format_call(node) and al is not None:
            args = self._positional(al)
            if not args:
                return None
            fv = ev.value(args[0], depth)
            if fv is None:
                return None
            rest = args[1:]
            if fv.dynamic:
                return StringValue.join(node, [fv] + [StringValue.opaque(a, text(a)) for a in rest], "format()")
            named = self._pairs(al)
            if len(rest) == 1 and rest[0].type == "hash":
                named, rest = self._pairs(rest[0]), []
            return self._format(node, fv.template, rest, named, "format()")
        if method == "join" and recv is not None:
            return self._join(node, recv, al, ev, depth)
        return None

    def _format(self, node: ts.Node, template: str, positional: list[ts.Node], named: dict[str, ts.Node],
                how: str) -> StringValue:
        parts: list[StringValue] = []
        pos, i = 0, 0
        for m in _FORMAT_SPEC.finditer(template):
            parts.append(StringValue(node, template[pos:m.start()], [], "literal"))
            pos = m.end()
            tok = m.group(0)
            if tok == "%%":
                parts.append(StringValue(node, "%", [], "literal"))
                continue
            name = m.group(1) or m.group(2)
            verb = m.group(3)
            if name:
                val = named.get(name)
            else:
                val = positional[i] if i < len(positional) else None
                i += 1
            hole = StringValue.opaque(val if val is not None else node, text(val) if val is not None else tok,
                                      verb in _NUMERIC_VERBS if verb else False)
            if val is None:
                hole.holes[0].node = None
            parts.append(hole)
        parts.append(StringValue(node, template[pos:], [], "literal"))
        return StringValue.join(node, parts, how)

    def _join(self, node: ts.Node, recv: ts.Node, al: ts.Node | None, ev: Evaluator, depth: int) -> StringValue | None:
        """[a, b].join(" ") and arrays built by appends (conds << "a = ?"; conds.join(" AND "))."""
        args = self._positional(al) if al is not None else []
        sep = ""
        if args:
            sv = ev.value(args[0], depth)
            if sv is None or sv.dynamic:
                return None
            sep = sv.template
        elems = self._array_elements(recv, ev, depth)
        if elems is None:
            return None
        parts: list[StringValue] = []
        for k, e in enumerate(elems):
            if k:
                parts.append(StringValue(node, sep, [], "literal"))
            parts.append(e)
        return StringValue.join(node, parts, "Array#join")

    def _array_elements(self, node: ts.Node, ev: Evaluator, depth: int) -> list[StringValue] | None:
        node = _unparen(node)
        if node is None or depth > 40:
            return None
        if node.type == "array":
            out = []
            for c in node.named_children:
                if c.type == "comment":
                    continue
                if c.type == "splat_argument":
                    return None
                out.append(ev.value(c, depth + 1) or StringValue.opaque(c, text(c), self.numeric_expression(c)))
            return out
        if node.type == "string_array":
            return [StringValue(c, text(c), [], "literal") for c in node.named_children if c.type == "bare_string"]
        name = self.is_local_name(node)
        if name is None:
            return None
        assigns = ev.facts.assignments_before(name, ev.function_of(node), node.start_byte)
        start = len(assigns) - 1
        while start >= 0 and assigns[start].op != "=":
            start -= 1
        if start < 0 or assigns[start].value is None:
            return None
        out = self._array_elements(assigns[start].value, ev, depth + 1)
        if out is None:
            return None
        for a in assigns[start + 1:]:
            if a.value is None:
                return None
            if _unparen(a.value).type == "array":  # conds += ["x = ?"], conds.concat([...])
                more = self._array_elements(a.value, ev, depth + 1)
                if more is None:
                    return None
                out.extend(more)
            else:
                out.append(ev.value(a.value, depth + 1) or StringValue.opaque(a.value, text(a.value)))
        return out

    # -- expression classes ------------------------------------------------------------------
    def numeric_expression(self, node: ts.Node) -> bool:
        return self._numeric(node, 0)

    def _numeric(self, node: ts.Node | None, depth: int) -> bool:
        node = _unparen(node)
        if node is None or depth > 8:
            return False
        t = node.type
        if t in _NUMBERS:
            return True
        if t == "unary":
            return self._numeric(node.named_children[-1] if node.named_children else None, depth + 1)
        if t == "call":
            m = text(node.child_by_field_name("method"))
            recv = node.child_by_field_name("receiver")
            if recv is not None and m in self._numeric_methods:
                return True
            if m in self._numeric_functions and (recv is None or text(recv) in ("Kernel", "::Kernel")) \
                    and node.child_by_field_name("arguments") is not None:
                return True
            if m in ("min", "max", "sum") and recv is not None and _unparen(recv).type == "array":
                elems = [c for c in _unparen(recv).named_children if c.type != "comment"]
                return bool(elems) and all(self._numeric(e, depth + 1) for e in elems)
            if m == "clamp" and recv is not None:
                return self._numeric(recv, depth + 1)
            return False
        if t == "binary":
            op = text(node.child_by_field_name("operator"))
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            if op in ("+", "-", "/", "**"):
                # String + Integer raises, String has no - or /: a numeric side makes it numeric
                return self._numeric(left, depth + 1) or self._numeric(right, depth + 1)
            if op in ("*", "%"):  # "?" * 3 and "%d" % x are strings: only a numeric left side counts
                return self._numeric(left, depth + 1)
        return False

    def constant_expression(self, node: ts.Node) -> bool:
        n = _unparen(node)
        if n is not None and n.type == "call" and text(n.child_by_field_name("method")) in _MODEL_QUERY_METHODS:
            root = self._chain_root(n)
            if root is not None and root.type in ("constant", "scope_resolution") and re.search(r"[a-z]", text(root)):
                return False  # Post.includes(:author) / Post.order(:id) is data from the database, not code
        return self._const(node, 0) or self._code_call(node)

    def _const(self, node: ts.Node | None, depth: int, env: dict[str, ts.Node] | None = None) -> bool:
        """A literal, a constant, a value picked from constants, a quoting call; `env` holds the
        plain assignments of a helper method's body (columns = %w[a b]; columns[i])."""
        node = _unparen(node)
        if node is None or depth > 8:
            return False
        t = node.type
        if t == "identifier":
            val = env.get(text(node)) if env else None
            return val is not None and self._const(val, depth + 1)
        if t in _LITERALS:
            return True
        if t == "string":
            for c in node.children:
                if c.type == "interpolation":
                    kids = [k for k in c.named_children if k.type != "comment"]
                    if len(kids) != 1 or not (self._const(kids[0], depth + 1) or self._numeric(kids[0], depth + 1)):
                        return False
            return True
        if t == "chained_string":
            return all(self._const(c, depth + 1) for c in node.named_children)
        if t in ("string_array", "symbol_array"):
            return not any(k.type == "interpolation" for c in node.named_children for k in c.children)
        if t == "array":
            return all(self._const(c, depth + 1, env) for c in node.named_children if c.type != "comment")
        if t == "hash":
            return all(c.type == "pair" and self._const(c.child_by_field_name("value"), depth + 1, env)
                       for c in node.named_children if c.type != "comment")
        if t == "constant":  # ARGV, STDIN, ARGF hold input; ENV is deployment configuration
            return text(node) not in _INPUT_CONSTANTS
        if t == "scope_resolution":
            name = node.child_by_field_name("name")
            return name is not None and name.type == "constant"
        if t == "element_reference":  # ALLOWED_SORTS[params[:sort]], %w[a b][i]: a value of a constant table
            obj = _unparen(node.child_by_field_name("object"))
            return obj is not None and obj.type in ("constant", "scope_resolution", "array", "hash", "string_array",
                                                    "identifier") and self._const(obj, depth + 1, env)
        if t == "conditional":
            cond = node.child_by_field_name("condition")
            cons, alt = node.child_by_field_name("consequence"), node.child_by_field_name("alternative")
            if self._const(alt, depth + 1, env) and (self._const(cons, depth + 1, env) or self._allow_listed(cond, cons, depth)):
                return True
            return False
        if t == "binary":
            op = text(node.child_by_field_name("operator"))
            if op in ("||", "or", "+"):
                return self._const(node.child_by_field_name("left"), depth + 1, env) and \
                    self._const(node.child_by_field_name("right"), depth + 1, env)
            return False
        if t == "call":
            return self._safe_call(node, depth, env)
        if t in ("if", "unless", "case"):  # x = case key when "a" then "a" else "id" end
            return self._returns_safe(node, depth + 1, env)
        if t in ("if_modifier", "unless_modifier"):  # "#{'AND x > ?' if since}": the text or nil
            return self._const(node.child_by_field_name("body"), depth + 1, env)
        return False

    def _trusted_list(self, node: ts.Node | None, depth: int) -> bool:
        node = _unparen(node)
        if node is None:
            return False
        if self._const(node, depth + 1):
            return True
        return node.type == "call" and text(node.child_by_field_name("method")) in _TRUSTED_LIST_METHODS and \
            (text(node.child_by_field_name("method")) in ("column_names", "attribute_names")
             or self._const(node.child_by_field_name("receiver"), depth + 1))

    def _allow_listed(self, cond: ts.Node | None, value: ts.Node | None, depth: int) -> bool:
        """`ALLOWED.include?(x) ? x : "id"`, `x.in?(ALLOWED) ? x : "id"`."""
        cond = _unparen(cond)
        if cond is None or value is None or cond.type != "call":
            return False
        m = text(cond.child_by_field_name("method"))
        recv = cond.child_by_field_name("receiver")
        args, _ = self._arguments(cond.child_by_field_name("arguments"))
        if len(args) != 1 or recv is None:
            return False
        if m in ("include?", "member?", "key?", "has_key?", "cover?"):
            return squash(text(args[0])) == squash(text(value)) and self._trusted_list(recv, depth)
        if m == "in?":
            return squash(text(recv)) == squash(text(value)) and self._trusted_list(args[0], depth)
        return False

    def _safe_call(self, node: ts.Node, depth: int, env: dict[str, ts.Node] | None = None) -> bool:
        m = text(node.child_by_field_name("method"))
        recv = node.child_by_field_name("receiver")
        args, _ = self._arguments(node.child_by_field_name("arguments"))
        rtext = squash(text(recv)) if recv is not None else ""
        if m in self._quoting_methods:
            if rtext in ("Regexp", "::Regexp", "Shellwords", "CGI", "URI", "ERB::Util"):
                return False
            return m != "literal" or recv is not None
        if m == "escape" and recv is not None and self._quoting_receivers.search(rtext):
            return True
        if recv is not None and (m in self._safe_value_methods or m.endswith("?")):  # a date, a time, true/false
            return True
        if m == "join" and recv is not None:
            if args and not self._const(args[0], depth + 1):
                return False
            return self._const(recv, depth + 1) or self._safe_list(recv, depth)
        if m in ("fetch", "dig") and recv is not None and self._const(recv, depth + 1):
            return all(self._const(a, depth + 1) for a in args[1:])  # the default must be constant too
        if m == "presence_in" and len(args) == 1:
            return self._trusted_list(args[0], depth)
        if recv is not None and m in self._passthrough | {"keys", "values", "first", "last", "sample", "name"}:
            return self._const(recv, depth + 1, env)
        return False

    def _code_call(self, node: ts.Node | None, env: dict[str, ts.Node] | None = None) -> bool:
        """Code, not data: a method of a class with constant arguments (User.sortable_name_clause,
        Time.current, Setting.default_locale). Only for the hole itself, never for a chain on it
        (Current.user.name is data)."""
        node = _unparen(node)
        if node is not None and node.type == "element_reference":  # Post.types[:small_action]
            obj = node.child_by_field_name("object")
            idx = [c for c in node.named_children if not _same(c, obj) and c.type != "comment"]
            return self._code_call(obj, env) and all(self._const(c, 1, env) for c in idx)
        if node is None or node.type != "call" or node.child_by_field_name("block") is not None:
            return False
        recv = _unparen(node.child_by_field_name("receiver"))
        if recv is None or recv.type not in ("constant", "scope_resolution") or not self._const(recv, 1):
            return False
        if text(node.child_by_field_name("method")) in _QUERY_METHODS:
            return False
        args, kwargs = self._arguments(node.child_by_field_name("arguments"))
        return all(self._const(a, 1, env) for a in list(args) + list(kwargs.values()))

    def _safe_list(self, node: ts.Node | None, depth: int) -> bool:
        """ids.map(&:to_i), ids.map { |i| connection.quote(i) }.uniq: only numbers or quoted values."""
        node = _unparen(node)
        for _ in range(10):
            if node is None or node.type != "call":
                return False
            m = text(node.child_by_field_name("method"))
            if m in _LIST_STEPS:
                node = _unparen(node.child_by_field_name("receiver"))
                continue
            break
        if node is None or node.type != "call" or text(node.child_by_field_name("method")) not in _MAP:
            return False
        al = node.child_by_field_name("arguments")
        if al is not None:
            ba = next((c for c in al.named_children if c.type == "block_argument"), None)
            if ba is not None:
                sym = text(ba.named_children[0]) if ba.named_children else ""
                return sym.lstrip(":") in self._numeric_methods
        block = node.child_by_field_name("block")
        last = _last_statement(block.child_by_field_name("body")) if block is not None else None
        return last is not None and (self._numeric(last, depth + 1) or self._const(last, depth + 1))

    def _safe_helper(self, ident: ts.Node, ev: Evaluator, depth: int) -> bool:
        """A bare name that is neither a local variable nor a parameter is a method call: safe
        when it names the schema (`table_name`, `quoted_table_name`) or a helper method of the
        same class without arguments that returns only allow-listed values (Rails `sort_column`)."""
        name = text(ident)
        if ev.facts.assignments_before(name, ev.function_of(ident), ident.start_byte):
            return False
        fn = ev.function_of(ident)
        if fn is not None and name in fn.params:
            return False
        p, cls = ident.parent, None
        while p is not None:
            if p.type in ("method", "singleton_method"):
                if name in self._params(p.child_by_field_name("parameters")):
                    return False
            elif p.type in ("block", "do_block", "lambda"):
                if name in self._params(p.child_by_field_name("parameters")):
                    return p.type != "lambda" and self._iterates_constants(p, ev)
            elif p.type in ("class", "module"):
                cls = p
                break
            p = p.parent
        if name in self._quoting_methods:
            return True
        if cls is None:
            return False
        c = self._class_methods(cls, ev).get(name)
        if c is None or self._params(c.child_by_field_name("parameters")):
            return False
        b = c.child_by_field_name("body")
        if b is None or b.type != "body_statement":  # def sort_column = ...
            return self._returns_safe(b, depth + 1)
        env = {}
        for st in b.named_children:  # plain assignments of the helper's body, in order
            left = st.child_by_field_name("left") if st.type == "assignment" else None
            if left is not None and left.type == "identifier":
                env[text(left)] = st.child_by_field_name("right")
        return self._returns_safe(_last_statement(b), depth + 1, env)

    @staticmethod
    def _class_methods(cls: ts.Node, ev: Evaluator) -> dict[str, ts.Node]:
        """Instance methods defined directly in a class body, by name (cached per file)."""
        cache = ev.facts.__dict__.setdefault("_rb_class_methods", {})
        out = cache.get(cls.id)
        if out is None:
            out = {}
            body = cls.child_by_field_name("body")
            for c in (body.named_children if body is not None else ()):
                if c.type == "method":
                    out.setdefault(text(c.child_by_field_name("name")), c)
            cache[cls.id] = out
        return out

    def _iterates_constants(self, block: ts.Node, ev: Evaluator) -> bool:
        """SORTABLE.each { |col| where("#{col} IS NOT NULL") }: the block variable only takes
        values from a constant list (or a local variable holding one)."""
        call = block.parent
        if call is None or call.type != "call" or not _same(call.child_by_field_name("block"), block):
            return False
        if text(call.child_by_field_name("method")) not in _ITERATORS:
            return False
        recv = _unparen(call.child_by_field_name("receiver"))
        if recv is None:
            return False
        if recv.type == "call" and text(recv.child_by_field_name("method")) in ("each_with_index", "with_index", "each", "lazy"):
            recv = _unparen(recv.child_by_field_name("receiver"))  # SORTABLE.each_with_index.map { |c, i| }
            if recv is None:
                return False
        name = self.is_local_name(recv)
        if name is not None:
            assigns = ev.facts.assignments_before(name, ev.function_of(recv), recv.start_byte)
            if not assigns or any(a.op != "=" for a in assigns[-1:]) or assigns[-1].value is None:
                return False
            recv = assigns[-1].value
        return self._const(recv, 0)

    def _returns_safe(self, node: ts.Node | None, depth: int, env: dict[str, ts.Node] | None = None) -> bool:
        """Every value the expression (a method's last statement) can produce is safe."""
        node = _unparen(node)
        if node is None or depth > 8:
            return False
        t = node.type
        if t == "return":
            kids = node.named_children
            val = kids[0] if kids else None
            if val is not None and val.type == "argument_list":
                val = val.named_children[0] if val.named_child_count == 1 else None
            return self._returns_safe(val, depth + 1, env)
        if t in ("assignment", "operator_assignment"):  # @sort ||= ...
            return self._returns_safe(node.child_by_field_name("right"), depth + 1, env)
        if t in ("if", "unless", "elsif"):
            cons = _last_statement(node.child_by_field_name("consequence"))
            alt = node.child_by_field_name("alternative")
            if alt is None:
                return False
            alt_v = alt if alt.type == "elsif" else _last_statement(alt)
            return self._returns_safe(cons, depth + 1, env) and self._returns_safe(alt_v, depth + 1, env)
        if t == "case":
            whens = [c for c in node.named_children if c.type in ("when", "else")]
            if not any(c.type == "else" for c in whens):
                return False
            for c in whens:
                last = _last_statement(c.child_by_field_name("body")) if c.type == "when" else _last_statement(c)
                if not self._returns_safe(last, depth + 1, env):
                    return False
            return True
        return self._const(node, depth + 1, env) or self._numeric(node, depth + 1) or self._code_call(node, env)

    def placeholder_expression(self, node: ts.Node, ev: Evaluator) -> bool:
        """(["?"] * ids.size).join(","), ids.map { "?" }.join(", "), Array.new(n, "?").join(","),
        ids.each_with_index.map { |_, i| "$#{i + 1}" }.join(", "); also numeric / quoted lists
        built in a variable first (ids = params[:ids].map(&:to_i); ids.join(","))."""
        node = _unparen(node)
        if node is not None and node.type == "identifier":
            return self._safe_helper(node, ev, 0)
        if node is None or node.type != "call" or text(node.child_by_field_name("method")) != "join":
            return False
        recv = _unparen(node.child_by_field_name("receiver"))
        args, _ = self._arguments(node.child_by_field_name("arguments"))
        if recv is None or (args and not self._const(args[0], 0)):
            return False
        name = self.is_local_name(recv)
        if name is not None:
            assigns = ev.facts.assignments_before(name, ev.function_of(recv), recv.start_byte)
            if not assigns or assigns[-1].op != "=" or assigns[-1].value is None:
                return False
            recv = _unparen(assigns[-1].value)
        return self._placeholder_list(recv) or self._safe_list(recv, 0)

    def _placeholder_list(self, node: ts.Node | None) -> bool:
        node = _unparen(node)
        if node is None:
            return False
        if node.type == "binary" and text(node.child_by_field_name("operator")) == "*":
            arr = _unparen(node.child_by_field_name("left"))
            return arr is not None and arr.type == "array" and arr.named_child_count > 0 and \
                all(self._is_placeholder(c) for c in arr.named_children)
        if node.type == "string_array":
            return node.named_child_count > 0 and all(_PLACEHOLDER.fullmatch(text(c)) for c in node.named_children)
        if node.type != "call":
            return False
        m = text(node.child_by_field_name("method"))
        recv = node.child_by_field_name("receiver")
        block = node.child_by_field_name("block")
        if m == "new" and recv is not None and text(recv) in ("Array", "::Array"):
            args, _ = self._arguments(node.child_by_field_name("arguments"))
            if len(args) == 2:
                return self._is_placeholder(args[1])
        if block is not None and (m in _MAP or m in ("with_index", "new", "each_with_index", "times")):
            last = _last_statement(block.child_by_field_name("body"))
            return self._is_placeholder(last)
        return False

    @staticmethod
    def _is_placeholder(node: ts.Node | None) -> bool:
        node = _unparen(node)
        if node is None or node.type != "string":
            return False
        s = "".join(text(c) if c.type == "string_content" else "N" if c.type == "interpolation" else ""
                    for c in node.children)
        return _PLACEHOLDER.fullmatch(s) is not None
