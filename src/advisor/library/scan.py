"""Finding the files to index under a root: ignore rules, symlink safety, content hashes."""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..fileops import inside

IGNORE_FILE = ".advisorignore"
# Provenance files next to texts; they describe the text, they are not part of it.
DEFAULT_IGNORES = (
    "LICENSE*", "LICENCE*", "COPYING*", "NOTICE*", "*LICENSE-*", "UPSTREAM-README.md", "SOURCES.md",
    "CHECKSUMS*", "FETCHED.json", "*.part", "topics.yaml", IGNORE_FILE,
)


@dataclass
class SourceFile:
    root: Path
    rel: str  # relative to the root, forward slashes
    path: Path
    size: int
    mtime_ns: int


@dataclass
class ScanResult:
    files: list[SourceFile]
    skipped: list[tuple[str, str]]  # (rel, reason)


def read_ignores(root: Path) -> list[str]:
    patterns = list(DEFAULT_IGNORES)
    try:
        for line in (root / IGNORE_FILE).read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                patterns.append(line)
    except OSError:
        pass
    return patterns


def ignored(rel: str, patterns: list[str]) -> bool:
    name = rel.rsplit("/", 1)[-1]
    for pat in patterns:
        if pat.endswith("/"):
            if rel.startswith(pat) or fnmatch.fnmatch(rel + "/", pat + "*") or f"/{pat}" in f"/{rel}":
                return True
        elif fnmatch.fnmatch(name, pat) or fnmatch.fnmatch(rel, pat):
            return True
    return False


def scan(root: Path, supported: Callable[[Path], bool], exclude_dirs: tuple[str, ...] = ()) -> ScanResult:
    """Every supported file under root (or root itself, when it is a file)."""
    root = Path(root)
    if root.is_file():
        stat = root.stat()
        if not supported(root):
            return ScanResult([], [(root.name, f"unsupported file type '{root.suffix or root.name}'")])
        return ScanResult([SourceFile(root.parent, root.name, root, stat.st_size, stat.st_mtime_ns)], [])
    real_root = root.resolve()
    patterns = read_ignores(root)
    files: list[SourceFile] = []
    skipped: list[tuple[str, str]] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        here = Path(dirpath)
        rel_dir = here.relative_to(root).as_posix()
        rel_dir = "" if rel_dir == "." else rel_dir + "/"
        dirnames[:] = sorted(
            d for d in dirnames
            if not d.startswith(".") and f"{rel_dir}{d}" not in exclude_dirs and not ignored(f"{rel_dir}{d}/", patterns)
        )
        for name in sorted(filenames):
            rel = f"{rel_dir}{name}"
            if name.startswith(".") or ignored(rel, patterns):
                continue
            path = here / name
            if path.is_symlink():
                target = path.resolve()
                if not inside(target, real_root, resolve=False):
                    skipped.append((rel, "symlink to a file outside the indexed folder, skipped"))
                    continue
            if not supported(path):
                skipped.append((rel, f"unsupported file type '{path.suffix or name}'"))
                continue
            try:
                stat = path.stat()
            except OSError as exc:
                skipped.append((rel, f"cannot read ({exc.strerror})"))
                continue
            files.append(SourceFile(root, rel, path, stat.st_size, stat.st_mtime_ns))
    return ScanResult(files, skipped)


