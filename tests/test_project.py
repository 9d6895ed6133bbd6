"""Phase 2: the project index resolves calls across files; results are never stale."""

from __future__ import annotations

import json

from helpers import run_cli

REPO = '''
from shop.models import Customer


class CustomerRepository:
    def find_by_id(self, customer_id):
        return Customer.objects.get(pk=customer_id)
'''

SERVICE = '''
class InvoiceService:
    def __init__(self, customer_repository):
        self.customer_repository = customer_repository

    def names(self, orders):
        out = []
        for o in orders:
            out.append(self.customer_repository.find_by_id(o.customer_id).name)
        return out
'''

MODELS = '''
from django.db import models


class Customer(models.Model):
    name = models.CharField(max_length=100)


class Order(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE)
'''

VIEWS = '''
from shop.models import Order


def report():
    return [o.customer.name for o in Order.objects.filter(paid=True)]
'''


def _project(tmp_path):
    pkg = tmp_path / "shop"
    pkg.mkdir()
    (pkg / "repositories.py").write_text(REPO)
    (pkg / "services.py").write_text(SERVICE)
    (pkg / "models.py").write_text(MODELS)
    (pkg / "views.py").write_text(VIEWS)
    return tmp_path


def _n1(tmp_path, *extra):
    p = run_cli("check", ".", "--format", "json", "--select", "n-plus-one,unused-suppression", *extra, cwd=tmp_path)
    assert p.returncode in (0, 1), p.stderr
    return json.loads(p.stdout)


def test_query_hidden_in_a_repository_of_another_file(tmp_path):
    d = _n1(_project(tmp_path))
    got = {(f["path"], f["line"]) for f in d["findings"]}
    assert ("shop/services.py", 9) in got
    f = next(f for f in d["findings"] if f["path"] == "shop/services.py")
    assert "find_by_id()" in f["message"] and "shop/repositories.py:7" in f["message"]
    assert {r["path"] for r in f["related"]} == {"shop/services.py", "shop/repositories.py"}


def test_lazy_relation_declared_in_another_file(tmp_path):
    d = _n1(_project(tmp_path))
    f = next(f for f in d["findings"] if f["path"] == "shop/views.py")
    assert f["line"] == 6 and "o.customer" in f["message"] and "Customer" in f["message"]


def test_phase2_is_recomputed_from_cached_summaries(tmp_path):
    _project(tmp_path)
    first = _n1(tmp_path)
    assert any(f["path"] == "shop/services.py" for f in first["findings"])
    # the repository stops querying: services.py is unchanged (served from cache) but its
    # cross-file finding must go away
    (tmp_path / "shop" / "repositories.py").write_text(REPO.replace("Customer.objects.get(pk=customer_id)", "customer_id"))
    second = _n1(tmp_path)
    assert second["summary"]["cached_files"] == 3
    assert not any(f["path"] == "shop/services.py" for f in second["findings"])


def test_suppressing_a_phase2_finding_and_unused_suppressions(tmp_path):
    _project(tmp_path)
    svc = tmp_path / "shop" / "services.py"
    svc.write_text(SERVICE.replace(".name)\n", ".name)  # backlint: ignore[n-plus-one] cached upstream\n"))
    d = _n1(tmp_path)
    assert not any(f["path"] == "shop/services.py" for f in d["findings"]) and d["summary"]["suppressed"] == 1
    svc.write_text(SERVICE.replace("return out", "return out  # backlint: ignore[n-plus-one] stale"))
    d = _n1(tmp_path)
    rules = sorted((f["rule"], f["line"]) for f in d["findings"] if f["path"] == "shop/services.py")
    assert rules == [("n-plus-one", 9), ("unused-suppression", 10)]


def test_ambiguous_names_are_not_guessed(tmp_path):
    _project(tmp_path)
    # a second find_by_id elsewhere that does not query: the call can no longer be resolved by
    # name alone, but the receiver still names CustomerRepository
    (tmp_path / "shop" / "cache.py").write_text("class LocalCache:\n    def find_by_id(self, k):\n        return k\n")
    d = _n1(tmp_path)
    assert any(f["path"] == "shop/services.py" for f in d["findings"])
    svc = tmp_path / "shop" / "services.py"
    svc.write_text(SERVICE.replace("self.customer_repository.find_by_id", "self.store.find_by_id"))
    d = _n1(tmp_path)
    assert not any(f["path"] == "shop/services.py" for f in d["findings"])


def test_unbounded_collection_returned_by_a_service_of_another_file(tmp_path):
    """missing-pagination through the project index: the handler returns what a service
    function returns, and that function returns an unbounded query (directly or via a call)."""
    import shutil
    from pathlib import Path

    src = Path(__file__).parent / "data" / "projects" / "pagination_py"
    shutil.copytree(src, tmp_path / "proj")
    p = run_cli("check", ".", "--format", "json", "--select", "missing-pagination", cwd=tmp_path / "proj")
    assert p.returncode == 1, p.stderr
    d = json.loads(p.stdout)
    got = {(f["path"], f["line"]): f for f in d["findings"]}
    assert set(got) == {("app/api/orders.py", 11), ("app/api/orders.py", 16)}, sorted(got)
    f = got[("app/api/orders.py", 11)]
    assert "order_service.all_open()" in f["message"] and "app/services/orders.py:6" in f["message"]
    assert "app/services/orders.py" in {r["path"] for r in f["related"]}
    assert "everything()" in got[("app/api/orders.py", 16)]["message"]
