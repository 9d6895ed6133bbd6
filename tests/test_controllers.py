"""Controller rules: messages show the evidence, and teams tune them with options and
per-file-ignores (no forking)."""

from __future__ import annotations

import json

from helpers import run_cli

VIEWS = '''
from flask import Blueprint, jsonify, request

from .models import Country, Order

bp = Blueprint("shop", __name__)


@bp.get("/orders/<int:order_id>")
def show(order_id):
    return jsonify(Order.query.get(order_id).to_dict())


@bp.get("/countries")
def countries():
    return jsonify([c.name for c in Country.query.all()])


@bp.post("/orders/<int:order_id>/ship")
def ship(order_id):
    order = Order.query.get(order_id)
    fee = order.weight * 2
    return jsonify({"fee": fee})
'''


def _run(tmp_path, config: str = "", *rules: str) -> list[dict]:
    (tmp_path / "app").mkdir(exist_ok=True)
    (tmp_path / "app" / "views.py").write_text(VIEWS)
    (tmp_path / "pyproject.toml").write_text(config)
    sel = ",".join(rules or ("db-in-controller", "logic-in-controller", "missing-pagination"))
    p = run_cli("check", ".", "--format", "json", "--select", sel, cwd=tmp_path)
    assert p.returncode in (0, 1), p.stderr
    return json.loads(p.stdout)["findings"]


def _lines(findings, rule):
    return sorted(f["line"] for f in findings if f["rule"] == rule)


def test_messages_name_the_handler_and_the_evidence(tmp_path):
    fs = _run(tmp_path)
    db = [f for f in fs if f["rule"] == "db-in-controller"]
    assert _lines(fs, "db-in-controller") == [11, 16, 21]
    m = db[0]["message"]
    assert "route handler `show`" in m and '`@bp.get("/orders/<int:order_id>")`' in m and "Order.query.get" in m
    pag = [f for f in fs if f["rule"] == "missing-pagination"]
    assert [f["line"] for f in pag] == [16] and "Country.query.all" in pag[0]["message"]
    assert _lines(fs, "logic-in-controller") == []  # `weight` is not a domain term by default


def test_options_tune_the_rules(tmp_path):
    cfg = '''
[tool.backlint.rules.db-in-controller]
allow-single-row-lookups = true
[tool.backlint.rules.missing-pagination]
ignore-callees = ['^Country\\.']
[tool.backlint.rules.logic-in-controller]
domain-terms = ["weight"]
'''
    fs = _run(tmp_path, cfg)
    assert _lines(fs, "db-in-controller") == [16]  # only the collection read is left
    assert _lines(fs, "missing-pagination") == []
    logic = [f for f in fs if f["rule"] == "logic-in-controller"]
    assert [f["line"] for f in logic] == [22] and "arithmetic on `weight`" in logic[0]["message"]


def test_per_file_ignores_and_framework_switches(tmp_path):
    cfg = '''
[tool.backlint.per-file-ignores]
"app/views.py" = ["missing-pagination"]
[tool.backlint.rules.db-in-controller]
ignore-frameworks = ["flask"]
'''
    fs = _run(tmp_path, cfg)
    assert _lines(fs, "missing-pagination") == [] and _lines(fs, "db-in-controller") == []


def test_bad_option_value_is_a_config_error(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.backlint.rules.logic-in-controller]\nmax-branches = "many"\n')
    (tmp_path / "a.py").write_text("x = 1\n")
    p = run_cli("check", ".", cwd=tmp_path)
    assert p.returncode == 2 and "max-branches" in p.stderr and len(p.stderr.strip().splitlines()) == 1
