"""Route-handler recognition (the `RouteHandler` fact, DESIGN §3), driven by each language's
knowledge `routes:` section (knowledge.d/routes.yaml).

Recognition is by evidence, recorded in `RouteHandler.how` so messages can show it:

- `decorators`: a decorator / annotation / attribute on the function (`@app.get("/x")`,
  `@GetMapping`, `[HttpGet]`, `#[Route]`), matched as squashed text without `@`/`[]`;
- `classes`: a class base (`APIView`, `ControllerBase`, `ApplicationController`) or a class
  decorator (`@RestController`, `@Controller()`, `[ApiController]`) that makes some of its
  methods handlers (named HTTP verbs / actions, the decorated ones, or every public one);
- `registrations`: a registration call with the handler inline or named in the same file
  (`app.get("/x", (req, res) => ...)`, `r.GET("/x", h)`, `Route::get('/x', function ...)`,
  `app.MapGet("/x", ...)`);
- `signatures`: the parameter list alone (`func(w http.ResponseWriter, r *http.Request)`);
- `paths`: conventional locations (`app/controllers/**`, `**/Http/Controllers/**`, `views.py`,
  Next.js `app/**/route.ts`).

Every knowledge entry is data; an adapter adds what data cannot say by overriding
`LanguageAdapter.extra_route_handlers`.
"""

from __future__ import annotations

import fnmatch
import re
from functools import lru_cache
from typing import Any

from .base import Facts, Function, RouteHandler, text

HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
_QUOTED = re.compile(r"""["'`]([^"'`]*)["'`]""")
_VERB_ARG = re.compile(r"""["'](GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)["']|\b(?:RequestMethod|HttpMethod|HttpMethods|Method|"""
                       r"""Request)\s*(?:\.|::)\s*(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\b""", re.I)


@lru_cache(maxsize=512)
def _rx(pattern: str) -> re.Pattern:
    return re.compile(pattern)


def _glob(path: str, pattern: str) -> bool:
    path = path.replace("\\", "/")
    if fnmatch.fnmatchcase(path, pattern):
        return True
    # `**/x` also matches `x` at the root
    return pattern.startswith("**/") and fnmatch.fnmatchcase(path, pattern[3:])


def _methods(spec: Any, m: re.Match | None, source: str) -> tuple[str, ...]:
    """HTTP methods from an entry's `method`: a literal (`GET`), a regex group (`\\1`), `args`
    (HTTP verbs written in the decorator/call text: `methods=["GET", "POST"]`,
    `RequestMethod.GET`), or a list of those tried in order (`[args, GET]`)."""
    if spec is None:
        return ()
    if isinstance(spec, list):
        for s in spec:
            got = _methods(s, m, source)
            if got:
                return got
        return ()
    spec = str(spec)
    if spec == "args":
        # verbs written as verbs: quoted (`methods=["GET"]`, `methods: ['POST']`) or enum members
        # (`RequestMethod.GET`, `HttpMethod.Post`) — never a word of a path (`"/orders/delete"`)
        found = []
        for m2 in _VERB_ARG.finditer(source):
            w = (m2.group(1) or m2.group(2)).upper()
            if w not in found:
                found.append(w)
        return tuple(found)
    if spec.startswith("\\") and m is not None:
        try:
            g = m.group(int(spec[1:]))
        except (IndexError, ValueError):
            return ()
        if not g:
            return ()
        g = g.upper()
        if g in ("ALL", "ANY", "USE", "HANDLE", "HANDLEFUNC", "MAP", "MATCH", "ROUTE", "REQUEST"):
            return ("*",)
        if g.startswith("MAP") and g[3:] in HTTP_METHODS:
            return (g[3:],)
        if g.endswith("MAPPING") and g[:-7] in HTTP_METHODS:
            return (g[:-7],)
        return (g,) if g in HTTP_METHODS else ()
    if spec == "*":
        return ("*",)
    return tuple(s.strip().upper() for s in spec.split(",") if s.strip())


def registration_evidence(what: str, node, args: str = "…") -> str:
    """`how` of a handler found through a registration call, as every message prints it."""
    return f"the registration `{_short(what, 40)}({args})` on line {node.start_point[0] + 1}"


def route_path(source: str) -> str | None:
    """The route path: the first quoted text of a route argument."""
    m = _QUOTED.search(source)
    return m.group(1) if m else None


class RouteRecognizer:
    """Applies one language's `routes:` knowledge to a file's facts."""

    def __init__(self, adapter) -> None:
        self.adapter = adapter
        k = adapter.knowledge.get("routes") or {}
        self.decorators = k.get("decorators", ())
        self.classes = k.get("classes", ())
        self.registrations = k.get("registrations", ())
        self.signatures = k.get("signatures", ())
        self.paths = k.get("paths", ())
        self.actions = {str(a): str(v).upper() for a, v in (k.get("actions") or {}).items()}
        self.frameworks = {name: _rx(rx) for name, rx in (k.get("frameworks") or {}).items()}
        self._head = ""
        self.private = _rx(k.get("private", r"^_"))
        self.not_handlers = _rx(k.get("not-handlers", r"^$"))

    def handlers(self, facts: Facts, path: str) -> list[RouteHandler]:
        out: dict[int, RouteHandler] = {}
        self._head = _file_head(facts) if self.frameworks else ""

        def add(h: RouteHandler) -> None:
            cur = out.get(h.node.id)
            if cur is not None and cur.how.startswith("its parameters") and not h.how.startswith("its parameters"):
                # a registration / convention says more than a signature (framework, path, method)
                if not h.methods:
                    h.methods = cur.methods
                out[h.node.id] = h
                return
            if cur is None:
                out[h.node.id] = h
            elif not cur.methods and h.methods:
                cur.methods = h.methods
            if cur is not None and cur.path is None and h.path:
                cur.path = h.path

        named = [f for f in facts.functions if f.kind != "lambda"]
        for f in named:
            h = self._by_decorator(f) or self._by_class(f) or self._by_signature(f)
            if h is not None:
                add(h)
        if self.registrations:
            for h in self._by_registration(facts):
                add(h)
        if self.paths:
            for f in named:
                cur = out.get(f.node.id)
                if cur is None or cur.how.startswith("its parameters"):
                    h = self._by_path(f, path)
                    if h is not None:
                        add(h)
        for h in self.adapter.extra_route_handlers(facts, path):
            add(h)
        return sorted(out.values(), key=lambda h: h.node.start_byte)

    def framework(self, spec: Any) -> str:
        """An entry's framework: a name, or a list of names told apart by the file's imports
        (knowledge `frameworks: {name: regex}`), the first one by default."""
        if isinstance(spec, str):
            return spec
        for name in spec:
            rx = self.frameworks.get(name)
            if rx is not None and rx.search(self._head):
                return name
        return spec[0]

    # -- by evidence ---------------------------------------------------------------------------
    def _handler(self, f: Function, framework: Any, methods: tuple[str, ...], route: str | None, how: str) -> RouteHandler:
        if not methods and f.name in self.actions:
            methods = (self.actions[f.name],)
        return RouteHandler(f.node, f, f.body, f.name, self.framework(framework), methods, route, how, f.class_name)

    def _by_decorator(self, f: Function) -> RouteHandler | None:
        for d in f.decorators:
            for e in self.decorators:
                m = _rx(e["match"]).search(d)
                if m is None:
                    continue
                methods = _methods(e.get("method"), m, d)
                route = route_path(d[m.start():])
                # class-level prefixes (`@RequestMapping("/api")`) are not joined: the path is informative
                return self._handler(f, e["framework"], methods, route, f"`{e.get('show', '@')}{_short(d)}`")
        return None

    def _by_class(self, f: Function) -> RouteHandler | None:
        if f.class_name is None or self.private.search(f.name) or self.not_handlers.search(f.name) \
                or not self.adapter.is_public(f):
            return None
        for e in self.classes:
            how = None
            if "base" in e:
                rx = _rx(e["base"])
                b = next((b for b in f.class_bases if rx.search(b)), None)
                if b is not None:
                    how = f"class `{f.class_name}` extends `{_short(b)}`"
            if how is None and "decorator" in e:
                rx = _rx(e["decorator"])
                d = next((d for d in f.class_decorators if rx.search(d)), None)
                if d is not None:
                    how = f"class `{f.class_name}` is marked `{_short(d)}`"
            if how is None and "class-name" in e and _rx(e["class-name"]).search(f.class_name):
                how = f"class `{f.class_name}`"
            if how is None:
                continue
            which = e.get("handlers", "public")
            if isinstance(which, list):
                if f.name not in which:
                    continue
            elif which == "decorated":
                if not any(_rx(e.get("method-decorator", ".")).search(d) for d in f.decorators):
                    continue
            elif which != "public":
                continue
            methods: tuple[str, ...] = ()
            for d in f.decorators:
                if "method-decorator" in e:
                    mm = _rx(e["method-decorator"]).search(d)
                    if mm is not None:
                        methods = _methods(e.get("method", "\\1"), mm, d)
                        break
            if not methods and f.name.upper() in HTTP_METHODS:
                methods = (f.name.upper(),)
            route = None
            return self._handler(f, e["framework"], methods, route, how)
        return None

    def _by_signature(self, f: Function) -> RouteHandler | None:
        if not self.signatures:
            return None
        params = self.adapter.parameter_text(f)
        if not params:
            return None
        for e in self.signatures:
            if e.get("exported") and not self.adapter.is_exported(f):
                continue
            if _rx(e["params"]).search(params):
                return self._handler(f, e["framework"], _methods(e.get("method"), None, ""), None,
                                     f"its parameters `{_short(params, 50)}`")
        return None

    def _by_path(self, f: Function, path: str) -> RouteHandler | None:
        for e in self.paths:
            globs = [e["glob"]] if isinstance(e["glob"], str) else e["glob"]
            hit = next((g for g in globs if _glob(path, g)), None)
            if hit is None:
                continue
            which = e.get("functions", "public-methods")
            if which == "public-methods" and (f.class_name is None or self.private.search(f.name)
                                              or self.not_handlers.search(f.name) or not self.adapter.is_public(f)):
                continue
            if which == "top-level" and f.class_name is not None:
                continue
            if "names" in e and not _rx(e["names"]).search(f.name):
                continue
            if "class-name" in e and not (f.class_name and _rx(e["class-name"]).search(f.class_name)):
                continue
            if "first-param" in e and not (f.params and _rx(e["first-param"]).search(f.params[0])):
                continue
            if "exported" in e and not self.adapter.is_exported(f):
                continue
            methods = (f.name.upper(),) if f.name.upper() in HTTP_METHODS else ()
            return self._handler(f, e["framework"], methods, None, f"its location (`{hit}`)")
        return None

    def _by_registration(self, facts: Facts):
        for c in facts.calls:
            if c.node.has_error or not c.args:
                continue
            # long fluent chains (`.andRoute(...)` x 1000): their tail names the registration
            callee = c.callee if len(c.callee) <= 300 else c.callee[-300:]
            for e in self.registrations:
                m = _rx(e["callee"]).search(callee)
                if m is None:
                    continue
                src = text(c.node)[:400]
                route = None
                pi = e.get("path-arg", 0)
                if pi is not None and len(c.args) > pi:
                    route = route_path(text(c.args[pi])[:200])
                    if route is None and e.get("require-path", True):
                        continue
                    if route is not None and "path-match" in e and not _rx(e["path-match"]).search(route):
                        continue
                methods = _methods(e.get("method"), m, src)
                args = list(c.args) + list(c.kwargs.values())
                which = e.get("handler", "last")
                if which == "last":
                    cands = args[-1:]
                elif which == "functions":
                    cands = args[(pi + 1) if pi is not None else 0:]
                else:
                    cands = [args[int(which)]] if len(args) > int(which) else []
                found = False
                for a in cands:
                    f = self.adapter.route_function(facts, a)
                    if f is None:
                        continue
                    found = True
                    yield RouteHandler.of(f, self.framework(e["framework"]), methods, route,
                                          registration_evidence(c.callee, c.node))
                if found:
                    break


def _file_head(facts: Facts, limit: int = 20_000) -> str:
    """The start of the file (imports), from any node of its tree."""
    nodes = [f.node for f in facts.functions[:1]] + [c.node for c in facts.calls[:1]]
    if not nodes:
        return ""
    n = nodes[0]
    while n.parent is not None:
        n = n.parent
    return (n.text or b"")[:limit].decode("utf-8", "replace")


def _short(s: str, n: int = 60) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"
