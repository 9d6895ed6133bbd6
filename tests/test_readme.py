"""The README stays true: its rule table is the catalog, its first commands are what CI runs."""

from __future__ import annotations

import re
from pathlib import Path

from backlint.cli.main import markdown_table
from backlint.rules.catalog import load_catalog

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()


def test_rule_table_is_generated_from_the_catalog():
    m = re.search(r"<!-- rules:start -->\n(.*?)<!-- rules:end -->", README, re.S)
    assert m, "README lacks the rules markers"
    assert m.group(1).strip() == markdown_table(list(load_catalog())).strip(), \
        "README rule table is stale: regenerate with `backlint rule --all --format markdown`"


def test_readme_opens_with_install_and_test_commands():
    blocks = re.findall(r"```sh\n(.*?)```", README, re.S)
    assert "pip install" in blocks[0] and "backlint check" in blocks[0]
    assert "pytest" in blocks[1]
