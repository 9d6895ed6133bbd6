"""The engine: per-file analysis (phase 1) in worker processes, then the project-wide join."""

from .runner import ScanResult, scan

__all__ = ["ScanResult", "scan"]
