"""Route-handler recognition (the RouteHandler fact) per language and framework.

Files under tests/data/routes/<language>/ annotate, in a comment on the line where a handler's
function (or inline callback) starts:

    route: GET flask        a handler for GET recognised as framework flask
    route: * express        any method (app.all / HandleFunc)
    route: ? drf            method unknown
    not-route               a tricky non-handler starting on this line (documentation only:
                            any handler that is not annotated fails the test anyway)
    todo-route: GET chi     a known miss (strict xfail)

`routes.toml` next to the files may give a virtual path per file name (`[path] "x.py" = "..."`).
Every recognised handler must be annotated and every annotation must be recognised.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from backlint.languages import adapter_for

DATA = Path(__file__).resolve().parent / "data" / "routes"
_ANN = re.compile(r"\b(todo-route|route):\s*(\*|\?|[A-Z]+(?:,[A-Z]+)*)\s+([\w.-]+)")


def _cases():
    out = []
    if not DATA.is_dir():
        return out
    for lang_dir in sorted(p for p in DATA.iterdir() if p.is_dir()):
        for f in sorted(lang_dir.iterdir()):
            if f.is_file() and f.suffix != ".toml":
                out.append(pytest.param(lang_dir.name, f, id=f"{lang_dir.name}/{f.name}"))
    return out


def _virtual(lang_dir: Path, f: Path) -> str:
    cfg = lang_dir / "routes.toml"
    if cfg.is_file():
        data = tomllib.loads(cfg.read_text(encoding="utf-8"))
        p = (data.get("path") or {}).get(f.name)
        if p:
            return p
    return f"{lang_dir.name}/{f.name}"


def _recognised(language: str, f: Path) -> dict[int, tuple[str, str]]:
    ad = adapter_for(language)
    src = f.read_bytes()
    facts = ad.facts(ad.parse(src))
    out = {}
    for h in ad.route_handlers(facts, _virtual(f.parent, f)):
        line = h.node.start_point[0] + 1
        method = ",".join(h.methods) if h.methods else "?"
        out[line] = (method, h.framework)
        assert h.how, f"{f.name}:{line} handler without evidence"
    return out


@pytest.mark.parametrize("language,path", _cases())
def test_routes(language: str, path: Path) -> None:
    expected, todo = {}, {}
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        for m in _ANN.finditer(line):
            (todo if m.group(1) == "todo-route" else expected)[i] = (m.group(2), m.group(3))
    assert expected or todo, "a routes file needs annotations"
    got = _recognised(language, path)
    problems = []
    for line, want in sorted(expected.items()):
        if got.get(line) != want:
            problems.append(f"{path.name}:{line} expected {want[0]} {want[1]}, got {got.get(line)}")
    for line, have in sorted(got.items()):
        if line not in expected and line not in todo:
            problems.append(f"{path.name}:{line} unexpected handler {have[0]} {have[1]}")
    assert not problems, "\n".join(problems)
    if todo:
        missing = [ln for ln, want in todo.items() if got.get(ln) != want]
        if missing:
            pytest.xfail(f"known misses on lines {missing}")
        pytest.fail(f"todo-route lines {sorted(todo)} are recognised now: make them `route:`")
