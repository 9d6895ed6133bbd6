"""[tool.backlint] in pyproject.toml or backlint.toml -> one frozen Settings."""

from .settings import ConfigError, Settings, find_config_file, load_settings

__all__ = ["ConfigError", "Settings", "find_config_file", "load_settings"]
