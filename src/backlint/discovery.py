"""Walk the paths to scan: language by extension, .gitignore and excludes, size limit.

Content checks (binary, minified, encoding) happen when a worker reads the file, so that each
file is read once.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pathspec

from .config.settings import DEFAULT_EXCLUDES, Settings
from .model import Notice

EXTENSIONS = {
    ".py": "python", ".pyi": "python",
    ".js": "javascript", ".mjs": "javascript", ".cjs": "javascript", ".jsx": "javascript",
    ".ts": "typescript", ".mts": "typescript", ".cts": "typescript", ".tsx": "typescript",
    ".go": "go", ".java": "java", ".rb": "ruby", ".rake": "ruby", ".php": "php", ".cs": "csharp",
    ".sql": "sql",
}


def language_for(path: str | Path) -> str | None:
    name = str(path)
    base = name.rsplit("/", 1)[-1]
    if base == ".env" or base.startswith(".env.") or base.endswith(".env"):
        return "dotenv"
    dot = name.rfind(".")
    if dot < 0:
        return None
    return EXTENSIONS.get(name[dot:].lower())


@dataclass(frozen=True)
class SourceFile:
    path: Path  # absolute
    rel: str  # posix, relative to the scan root (or absolute when outside it)
    language: str
    size: int


def relpath(path: Path, root: Path) -> str:
    """Posix path relative to root (root is already resolved by the caller). The cheap
    lexical form first: resolving every walked path costs a syscall chain per file."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        pass
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.resolve().as_posix()


class Discovery:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.root = settings.root.resolve()
        patterns = list(settings.exclude) if settings.exclude else list(DEFAULT_EXCLUDES)
        patterns += list(settings.extend_exclude)
        self.exclude = pathspec.GitIgnoreSpec.from_lines(patterns)
        self.notices: list[Notice] = []
        self.max_bytes = settings.max_file_size_kb * 1024
        self._gitignores: dict[Path, pathspec.GitIgnoreSpec | None] = {}

    # -- gitignore -------------------------------------------------------------------------
    def _gitignore(self, d: Path) -> pathspec.GitIgnoreSpec | None:
        if d not in self._gitignores:
            spec = None
            gi = d / ".gitignore"
            if gi.is_file():
                try:
                    spec = pathspec.GitIgnoreSpec.from_lines(gi.read_text(encoding="utf-8", errors="replace").splitlines())
                except (OSError, ValueError) as e:
                    self.notices.append(Notice("read-error", f"cannot read {gi}: {e}", str(gi), "note"))
            self._gitignores[d] = spec
        return self._gitignores[d]

    def _git_ignored(self, path: Path, is_dir: bool) -> bool:
        if not self.settings.respect_gitignore:
            return False
        # check every .gitignore from the scan root (or the path's top) down to the parent dir
        try:
            rel_parts = path.relative_to(self.root).parts
            base = self.root
        except ValueError:
            rel_parts = path.parts[1:]
            base = Path(path.anchor)
        d = base
        for i in range(len(rel_parts)):
            spec = self._gitignore(d)
            if spec is not None:
                sub = "/".join(rel_parts[i:]) + ("/" if is_dir else "")
                if spec.match_file(sub):
                    return True
            d = d / rel_parts[i]
        return False

    def _excluded(self, path: Path, is_dir: bool) -> bool:
        rel = relpath(path, self.root)
        return self.exclude.match_file(rel + ("/" if is_dir else ""))

    # -- walking ---------------------------------------------------------------------------
    def discover(self, paths: list[Path]) -> list[SourceFile]:
        files: dict[Path, SourceFile] = {}
        for p in paths:
            p = Path(os.path.abspath(p))
            try:
                p = p.parent.resolve() / p.name if p.name else p.resolve()
            except OSError:
                pass
            if not p.exists() and not p.is_symlink():
                self.notices.append(Notice("missing-path", f"{p}: no such file or directory", relpath(p, self.root), "error"))
                continue
            if p.is_dir():
                self._walk(p, files)
            else:
                self._add_file(p, files, explicit=True)
        return sorted(files.values(), key=lambda f: f.rel)

    def _walk(self, top: Path, files: dict[Path, SourceFile]) -> None:
        def onerror(err: OSError) -> None:
            self.notices.append(Notice("read-error", f"cannot read directory: {err.strerror}",
                                       relpath(Path(err.filename), self.root) if err.filename else None, "warning"))

        for dirpath, dirnames, filenames in os.walk(top, onerror=onerror, followlinks=False):
            d = Path(dirpath)
            keep = []
            for name in sorted(dirnames):
                sub = d / name
                if sub.is_symlink():
                    continue
                if self._excluded(sub, True):
                    if name not in (".git", ".hg", ".svn", "__pycache__", ".backlint_cache"):
                        self.notices.append(Notice("excluded", f"skipped directory {name}/ (excluded)", relpath(sub, self.root), "note"))
                    continue
                if self._git_ignored(sub, True):
                    continue
                keep.append(name)
            dirnames[:] = keep
            for name in sorted(filenames):
                if language_for(name) is None:
                    continue
                f = d / name
                if self._excluded(f, False) or self._git_ignored(f, False):
                    if name.endswith((".min.js", ".min.mjs", ".bundle.js")):
                        self.notices.append(Notice("minified", "skipped minified file", relpath(f, self.root), "note"))
                    continue
                self._add_file(f, files, explicit=False)

    def _add_file(self, f: Path, files: dict[Path, SourceFile], explicit: bool) -> None:
        lang = language_for(f.name)
        if lang is None:
            return
        if explicit and self._excluded(f, False):
            return
        try:
            st = f.stat()
        except OSError as e:
            self.notices.append(Notice("read-error", f"cannot read file: {e.strerror}", relpath(f, self.root), "warning"))
            return
        if not f.is_file():
            return
        if st.st_size > self.max_bytes:
            self.notices.append(Notice("too-large", f"skipped: {st.st_size // 1024} KB is over the {self.max_bytes // 1024} KB limit (max-file-size-kb)", relpath(f, self.root), "warning"))
            return
        files[f] = SourceFile(f, relpath(f, self.root), lang, st.st_size)
