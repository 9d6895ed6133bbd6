"""The rule catalog: YAML files under rules/<category>/<id>.yaml, loaded and checked here."""

from .catalog import Catalog, Rule, load_catalog

__all__ = ["Catalog", "Rule", "load_catalog"]
