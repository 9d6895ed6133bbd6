"""logic-in-controller: a route handler carries business logic.

Evidence, per route handler (one finding, at the first offending statement, naming what was
found):
- a loop over data that does domain work in its body (arithmetic on domain values, state
  changes, writes) — mapping items to DTOs / JSON is not domain work;
- arithmetic on domain values (`option domain-terms`: price, total, discount, stock, ...),
  including accumulation (`total += ...`); string concatenation and pagination arithmetic
  (`(page - 1) * size`) are not;
- a branch on domain state (`order.status`, `balance < amount`) whose body changes state;
- state changes to more than `max-writes` different objects/models (a multi-step
  transaction script);
- more than `max-branches` branches that are neither guards (a branch that only returns /
  raises / responds with an error status) nor request checks (`if request.method == ...`,
  `form.is_valid()`), and, when set, more than `max-statements` statements.
Thin handlers that validate, delegate and map errors to status codes are clean however many
guards they have.
"""

from __future__ import annotations

import re
from typing import Iterator

from ...languages.base import RouteHandler, text
from ...model import Finding, Related
from ._controllers import (elide_args, handler_db_calls, handler_label, in_node, knowledge, literal, rx, short, walk,
                           words)

_ARITH = {"+", "-", "*", "/", "%"}
_AUG = {"+=", "-=", "*=", "/=", "%="}
_IF = {"if_statement", "if", "unless", "elif_clause", "if_modifier", "unless_modifier", "else_if_clause",
       "switch_statement", "match_statement", "expression_switch_statement", "type_switch_statement",
       "switch_expression", "case", "elsif"}
_STATUS = {"status", "state", "stage", "phase"}
_PAGING = {"page", "pages", "offset", "limit", "size", "per", "skip", "take", "index", "idx", "len", "length", "retry",
           "retries", "attempt", "attempts", "timeout", "ttl", "second", "seconds", "ms", "millis", "minutes", "hours",
           "days", "expires", "expiry", "width", "height", "cursor", "start", "end"}
_EXIT_CALLS = re.compile(r"(?i)^(raise|fail!?|abort|halt|redirect\w*|not_?found|bad_?request|forbidden|unauthori[sz]ed|head|error|"
                         r"fail|panic|Error|AbortWithStatus\w*|AbortWithError|NotFound|BadRequest|Unauthorized|"
                         r"Forbidden|Problem|ValidationProblem|Conflict|UnprocessableEntity|StatusCode|NoContent|"
                         r"sendStatus|send_error|raise_for_status|HTTPException|http_error|throw_if|abort_if|"
                         r"abort_unless|render|json|JSON|status|with_status|withStatus|respond_with_error)$")
_REQUEST_ROOTS = re.compile(r"^(req|request|res|response|resp|rsp|ctx|context|c|w|rw|writer|r|session|flash|headers|"
                            r"this|self|cookies|params|g|ViewBag|ViewData|TempData|HttpContext|Response|Request|"
                            r"Session|model|form|serializer|args|kwargs|query|body|reply|rep|event|e|err|error|"
                            r"ModelState|result|data|dto|payload|input|opts|options|config|cfg|log|logger)$")
_REQUEST_WORDS = {"request", "req", "method", "form", "serializer", "valid", "errors", "error", "err", "params",
                  "query", "body", "headers", "header", "auth", "authenticated", "permission", "permissions", "user",
                  "admin", "token", "session", "csrf", "ajax", "xhr", "format", "accept", "content", "none", "nil",
                  "null", "empty", "blank", "present", "exists", "found", "ok", "model", "state", "dto", "input",
                  "payload", "signed", "logged", "current", "role", "roles", "can", "allowed", "authorized"}
_GENERIC_WRITES = {"create", "Create", "insert", "Insert", "commit", "Commit", "save", "Save", "SaveChanges", "SaveChangesAsync", "persist", "flush", "update", "Update", "delete",
                   "Delete", "destroy", "increment", "decrement", "update_attribute", "update_attributes", "update!",
                   "save!", "destroy!", "increment!", "decrement!", "Remove", "Add", "AddAsync", "Create", "Updates"}


def _operator(n) -> str | None:
    for c in n.children:
        if not c.is_named:
            t = text(c)
            if t in _ARITH or t in _AUG:
                return t
    return None


def _identifier_words(n, limit: int = 400) -> list[str]:
    """Words of the identifiers in n (string literals left out)."""
    t = text(n)[:limit]
    t = re.sub(r"\"(?:\\.|[^\"\\])*\"|'(?:\\.|[^'\\])*'|`[^`]*`", " ", t)
    return words(t)


def _terms(rule_opts) -> set[str]:
    return {t.lower() for t in rule_opts.get("domain-terms") or ()}


def _domain_word(ws: list[str], terms: set[str]) -> str | None:
    for w in ws:
        if w in terms or (w.endswith("s") and w[:-1] in terms):
            return w
    return None


def _stringy(c) -> bool:
    return "string" in c.type or "template" in c.type or c.type in ("interpolated_string_expression", "encapsed_string",
                                                                     "heredoc")


_UNIT = re.compile(r"^(1|100|100\.0|1000|1000\.0|60|3600|1024)$")


def _counter_or_unit(n, op: str) -> bool:
    """`qty += 1` (a counter bump) and `amount * 100` (cents / unit conversion) are not
    calculations on domain values."""
    kids = n.named_children
    if not kids:
        return False
    right = text(kids[-1]).strip()
    if op in ("+=", "-=") and right == "1":
        return True
    return op in ("*", "/", "*=", "/=") and bool(_UNIT.match(right))


def _has_string_operand(n) -> bool:
    """String concatenation: a string literal among the operands, also down a left-nested
    chain (`"Order " + id + " total: " + o.total`)."""
    cur, steps = n, 0
    while cur is not None and steps < 200:
        kids = cur.named_children
        if any(_stringy(c) for c in kids):
            return True
        nxt = kids[0] if kids and kids[0].type == n.type else None
        cur, steps = nxt, steps + 1
    return False


class _Handler:
    """What one pass over a handler's body found."""

    def __init__(self, ctx, rule, h: RouteHandler):
        self.ctx, self.h = ctx, h
        opts = ctx.options(rule)
        self.terms = _terms(opts)
        self.max_branches = int(opts.get("max-branches", 4))
        self.max_writes = int(opts.get("max-writes", 1))
        self.max_statements = int(opts.get("max-statements", 0))
        self.signals: list[tuple[int, object, str]] = []  # (start byte, node, description)
        self.top = h.body if h.body is not None else h.node
        ad = ctx.adapter
        ad.classify_db_calls(ctx.facts)
        self.writes = [d for d in handler_db_calls(ctx, h) if d.kind == "write" or _sql_write(ctx, d)]
        inst = set(ad.knowledge.get("instance_writes", ())) | _GENERIC_WRITES
        layer = rx(knowledge(ctx, "layer-receivers"))
        self.write_nodes = {d.call.node.id for d in self.writes}
        fn = h.function
        local = {a.name.lstrip("$@") for a in ctx.facts.assignments if fn is not None and a.function is fn}
        self.inst_writes = [c for c in ctx.facts.calls
                            if c.method in inst and in_node(c.node, h.node) and c.receiver
                            and not _REQUEST_ROOTS.match(_root(c.receiver)) and c.node.id not in self.write_nodes
                            and not layer.search(_root(c.receiver)) and not c.node.has_error
                            and not (c.method in _COLLECTION_ADDS and _root(c.receiver) in local)]
        # writes delegated to services / repositories: one is delegation, one per item of a loop is
        # an orchestration the handler should not own
        self.layer_writes = [c for c in ctx.facts.calls
                             if c.method in _LAYER_WRITES and in_node(c.node, h.node) and c.receiver
                             and layer.search(_root(c.receiver).lstrip("_")) and not c.node.has_error]
        setter = rx(knowledge(ctx, "state-setters") or "^$")
        self.setters = [c for c in ctx.facts.calls
                        if setter.search(c.method) and c.args and in_node(c.node, h.node) and c.receiver
                        and not _REQUEST_ROOTS.match(_root(c.receiver)) and not layer.search(_root(c.receiver))]
        am = knowledge(ctx, "arithmetic-methods")
        self.arith_calls = {c.node.id: c for c in ctx.facts.calls
                            if am and rx(am).search(c.method) and c.args and in_node(c.node, h.node)}
        marks = (fn.decorators + fn.class_decorators) if fn is not None else []
        # attribute changes persist when the handler writes, or runs in a transaction (JPA dirty checking)
        self.transactional = any("Transactional" in d for d in marks)
        self.persists = bool(self.writes or self.inst_writes or self.transactional)

    # -- classification of single nodes ----------------------------------------------------------
    def arithmetic(self, n) -> str | None:
        """`item.price * item.qty` / `total += x`: a description, or None."""
        c = self.arith_calls.get(n.id)
        if c is not None:
            ws = words(c.receiver or "") + [w for a in c.args for w in _identifier_words(a)]
            w = _domain_word(words(c.receiver or ""), self.terms)  # the value computed on is a domain value
            if w and not any(x in _PAGING for x in ws):
                return f"arithmetic on `{w}` (`{short(text(n), 50)}`)"
            return None
        op = _operator(n)
        if op is None:
            return None
        aug = op in _AUG
        if not aug and "binary" not in n.type:
            return None
        if _has_string_operand(n):
            return None
        if _counter_or_unit(n, op):
            return None
        ws = _identifier_words(n)
        if any(w in _PAGING for w in ws):
            return None
        w = _domain_word(ws, self.terms)
        if w is None:
            return None
        if aug:
            left = n.child_by_field_name("left") or (n.named_children[0] if n.named_child_count else None)
            return f"accumulates `{short(text(left), 30)}` (`{short(text(n), 50)}`)"
        return f"arithmetic on `{w}` (`{short(text(n), 50)}`)"

    def member_assignment(self, n) -> str | None:
        t = n.type
        if "assignment" not in t and t not in ("assignment_statement",):
            return None
        left = n.child_by_field_name("left") or (n.named_children[0] if n.named_child_count else None)
        if left is None or "pattern" in left.type or "pattern" in t:
            return None  # destructuring (`const { status = order.status } = body`)
        if left.type == "expression_list" and left.named_child_count == 1:
            left = left.named_children[0]  # Go `order.Status = "paid"`
        lt = left.type
        if not any(k in lt for k in ("attribute", "member", "selector", "field", "property")) and lt != "call":
            return None
        root = _root(text(left))
        if _REQUEST_ROOTS.match(root):
            return None
        return f"`{short(text(left), 30)} = …`"

    def state_changes(self, node) -> list[tuple[int, str, str]]:
        """(byte, target, description) of the state changes under node."""
        out = []
        for d in self.writes:
            if in_node(d.call.node, node):
                out.append((d.call.node.start_byte, _target(d.call), f"`{short(elide_args(d.call.callee), 40)}(…)`"))
        for c in self.inst_writes:
            if in_node(c.node, node):
                out.append((c.node.start_byte, _target(c), f"`{short(c.receiver, 20)}{self.ctx.adapter.member_separator}{c.method}()`"))
        if not self.persists:
            return sorted(out)  # attributes set on objects that are never saved: presentation, not state
        written = self._written()
        for c in self.setters:
            if in_node(c.node, node) and (written is None or _root(c.receiver) in written):
                out.append((c.node.start_byte, _root(c.receiver), f"`{short(c.receiver, 20)}{self.ctx.adapter.member_separator}{c.method}(…)`"))
        for n in walk(node, 5000):
            d = self.member_assignment(n)
            if d:
                root = _root(text(n.child_by_field_name("left") or n.named_children[0]))
                if written is None or root in written:
                    out.append((n.start_byte, root, d))
        return sorted(out)

    def _written(self) -> set[str] | None:
        """Objects the handler persists; None when every changed object is (a unit-of-work flush:
        `db.session.commit()`, `SaveChanges()`, or a JPA transaction)."""
        if not hasattr(self, "_written_memo"):
            targets = [_target(d.call) for d in self.writes] + [_target(c) for c in self.inst_writes]
            self._written_memo = None if (None in targets or self.transactional) else set(targets)
        return self._written_memo

    def is_guard(self, n) -> bool:
        """A branch that only leaves (return / raise / error response) without changing state."""
        body_nodes = [c for c in n.named_children if c.id != (n.child_by_field_name("condition") or n).id]
        has_exit = False
        for b in body_nodes:
            for m in walk(b, 800):
                t = m.type
                if "return" in t or "raise" in t or "throw" in t or t in ("break_statement", "continue_statement", "next"):
                    has_exit = True
                elif t in ("call", "call_expression", "method_invocation", "invocation_expression",
                           "function_call_expression", "member_call_expression", "scoped_call_expression"):
                    fn = m.child_by_field_name("function") or m.child_by_field_name("name") or m.child_by_field_name("method")
                    name = re.split(r"[.\->:]+", text(fn))[-1] if fn is not None else ""
                    if _EXIT_CALLS.match(name):
                        has_exit = True
                if self.arithmetic(m) or self.member_assignment(m):
                    return False
                if any(m.id == d.call.node.id for d in self.writes) or any(m.id == c.node.id for c in self.inst_writes):
                    return False
        return has_exit

    def condition_words(self, n) -> list[str]:
        cond = n.child_by_field_name("condition") or n.child_by_field_name("value") or (n.named_children[0] if n.named_child_count else None)
        return _identifier_words(cond) if cond is not None else []

    # -- the pass ---------------------------------------------------------------------------------
    def run(self) -> None:
        ctx, h = self.ctx, self.h
        loops = [lp for lp in ctx.facts.loops if in_node(lp.node, h.node) and lp.node.id != h.node.id]
        for lp in loops:
            body = lp.body if lp.body is not None else lp.node
            found = None
            for n in walk(body, 5000):
                found = self.arithmetic(n)
                if found:
                    break
            changes = self.state_changes(body) if not found else []
            if not found and changes:
                found = f"changes state ({changes[0][2]})"
            if not found:
                c = next((c for c in self.layer_writes if in_node(c.node, body)), None)
                if c is not None:  # per-item writes orchestrated through services
                    found = f"writes per item (`{short(c.receiver, 24)}{self.ctx.adapter.member_separator}{c.method}(…)`)"
            if found:
                what = short(text(lp.iterable), 30) if lp.iterable is not None else (lp.variables[0] if lp.variables else "a collection")
                self.signals.append((lp.node.start_byte, lp.node, f"a loop over `{what}` that {found.replace('arithmetic', 'does arithmetic', 1) if found.startswith('arithmetic') else found}"))
        branches = 0
        first_branch = None
        statements = 0
        for n in walk(self.top):
            if not n.is_named:
                continue
            if n.type.endswith("statement") or n.type in ("expression_statement", "assignment"):
                statements += 1
            a = self.arithmetic(n)
            if a:
                self.signals.append((n.start_byte, n, a))
                continue
            if n.type in _IF:
                cws = self.condition_words(n)
                if self.is_guard(n):
                    continue
                domain = _domain_word(cws, self.terms) or next((w for w in cws if w in _STATUS), None)
                changes = self.state_changes(n) if domain else []
                if changes:
                    cond = n.child_by_field_name("condition") or (n.named_children[0] if n.named_child_count else n)
                    self.signals.append((n.start_byte, n, f"a branch on `{short(text(cond), 40)}` that changes state "
                                                          f"({changes[0][2]})"))
                if not any(w in _REQUEST_WORDS for w in cws):
                    branches += 1
                    if branches == self.max_branches + 1:
                        first_branch = n
        if first_branch is not None:
            self.signals.append((first_branch.start_byte, first_branch,
                                 f"{branches} branches beyond request checks and guards (max {self.max_branches})"))
        changes = self.state_changes(self.top)
        targets = []
        for _, tgt, desc in changes:
            if tgt is None or _FETCH_OR_CREATE.search(desc):
                continue  # commit / SaveChanges persist the others; get_or_create is a lookup
            if tgt not in [t for t, _ in targets]:
                targets.append((tgt, desc))
        if len(targets) > self.max_writes:
            first = changes[0]
            node = self.top.descendant_for_byte_range(first[0], first[0] + 1) or self.top
            listed = ", ".join(d for _, d in targets[:4])
            self.signals.append((first[0], node, f"state changes to {len(targets)} different objects ({listed}; max "
                                                 f"{self.max_writes})"))
        if self.max_statements and statements > self.max_statements:
            self.signals.append((self.top.start_byte, self.top, f"{statements} statements (max {self.max_statements})"))


_FETCH_OR_CREATE = re.compile(r"(get_or_create|firstOrCreate|firstOrNew|find_or_create_by|find_or_initialize_by|"
                              r"FindOrCreate|findOrCreate|upsert)")
_UNIT_OF_WORK = {"commit", "Commit", "flush", "SaveChanges", "SaveChangesAsync", "saveChanges", "Flush"}
_LAYER_WRITES = {"Add", "AddAsync", "Create", "CreateAsync", "Save", "SaveAsync", "Update", "UpdateAsync", "Delete",
                 "DeleteAsync", "Remove", "Insert", "add", "create", "save", "update", "delete", "remove", "insert",
                 "persist", "store", "upsert", "Upsert", "decrement", "increment", "reserve", "charge", "book"}
_ENTITY_ARG_WRITES = {"save", "Save", "saveAndFlush", "persist", "merge", "remove", "Remove", "delete", "Delete",
                      "Add", "AddAsync", "Update", "add", "insert", "Insert", "store", "update"}
_REPO = re.compile(r"(?i)(repo|repository|repositories|dao|store)$")
_SESSION = re.compile(r"(?i)(session|db|em|entitymanager|entity_manager|context|dbcontext|tx|transaction|conn|connection)$")


def _target(call) -> str | None:
    """The object a write changes: the entity passed to a session (`db.session.add(order)`),
    else the receiver's root; None for unit-of-work flushes (`commit`, `SaveChanges`)."""
    if call.method in _UNIT_OF_WORK:
        return None
    segs = [s for s in re.split(r"[.\->:]+", (call.receiver or "").lstrip("$@")) if s]
    last = re.sub(r"\(.*", "", segs[-1]) if segs else ""
    if last and (_SESSION.search(last) or _REPO.search(last)) and call.args:
        return _root(text(call.args[0]))  # `db.session.add(order)`, `repo.save(order)`: the entity
    if call.args and re.fullmatch(r"\$?[A-Za-z_]\w*", text(call.args[0]).strip()) and call.method in _ENTITY_ARG_WRITES:
        return _root(text(call.args[0]))  # `this.owners.save(owner)`: saves the entity it is given
    return _root(call.receiver or call.callee)


_COLLECTION_ADDS = {"Add", "add", "append", "Append", "push", "Push", "AddRange", "extend", "insert", "Insert"}


_SQL_WRITE = re.compile(r"(?is)^\s*(?:/\*.*?\*/\s*)?(insert|update|delete|merge|replace|upsert)\b")


def _sql_write(ctx, d) -> bool:
    """A raw SQL call that changes rows (`db.Exec("UPDATE orders SET ...")`)."""
    if d.kind != "raw-sql" or d.sql_arg is None:
        return False
    v = ctx.evaluator.value(d.sql_arg)
    return v is not None and bool(_SQL_WRITE.match(v.template))


def _root(s: str) -> str:
    """The object a member chain starts from, past `this`/`self` (`this.em.flush` -> `em`)."""
    parts = [p for p in re.split(r"[.\->:(\[]+", (s or "").strip().lstrip("&*$@")) if p]
    while len(parts) > 1 and parts[0] in ("this", "self", "base", "super"):
        parts = parts[1:]
    return parts[0] if parts else ""


def check(ctx, rule) -> Iterator[Finding]:
    if ctx.adapter is None or not ctx.routes:
        return
    ignore_fw = set(ctx.options(rule).get("ignore-frameworks") or ())
    for h in ctx.routes:
        if h.framework in ignore_fw:
            continue
        an = _Handler(ctx, rule, h)
        an.run()
        if not an.signals:
            continue
        an.signals.sort(key=lambda s: s[0])
        start, node, desc = an.signals[0]
        stmt_line = node.start_point[0] + 1
        others = []
        for _, n2, d2 in an.signals[1:]:
            if d2.split(" ")[0] not in [o.split(" ")[0] for o in others] and len(others) < 2 and n2.start_point[0] + 1 != stmt_line:
                others.append(f"{d2} on line {n2.start_point[0] + 1}")
        more = f"; also {'; '.join(others)}" if others else ""
        msg = (f"{handler_label(h)} carries business logic: {desc}{more}. Move the rule into a service or the "
               f"domain model and keep the handler to parsing the request, delegating and mapping the result")
        related = [Related(ctx.node_span(h.node), "the route handler")]
        yield ctx.finding(rule, _statement(node, an.top), message=literal(msg), related=related,
                          properties={"framework": h.framework, "signals": len(an.signals)})


def _statement(node, top):
    """Report at the statement holding the evidence (the first line a reader looks at)."""
    p, steps = node, 0
    while p.parent is not None and p.parent.id != top.id and steps < 20:
        p, steps = p.parent, steps + 1
    return node if p.parent is None else (node if p.start_point[0] != node.start_point[0] else p)
