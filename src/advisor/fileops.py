"""File helpers every layer shares: atomic writes, content hashes, and "is this path inside that root"."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import BinaryIO, Callable

_BLOCK = 1 << 20


def atomic_write(dest: Path, write: Callable[[BinaryIO], object], prefix: str = ".tmp-") -> None:
    """Write through a temp file in dest's folder, fsync, then os.replace: readers never see half a file."""
    dest = Path(dest)
    fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=".part", dir=dest.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            write(out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(dest: Path, text: str, prefix: str = ".tmp-") -> None:
    atomic_write(dest, lambda out: out.write(text.encode("utf-8")), prefix)


def atomic_copy(source: Path, dest: Path, prefix: str = ".tmp-") -> None:
    with open(source, "rb") as src:
        atomic_write(dest, lambda out: shutil.copyfileobj(src, out, _BLOCK), prefix)


def fsync_dir(path: Path) -> None:
    """Make a rename inside `path` durable (a no-op where directories cannot be opened)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(_BLOCK), b""):
            digest.update(block)
    return digest.hexdigest()


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def inside(path: Path, root: Path, *, resolve: bool = True) -> bool:
    """Whether `path` lies in `root`; with resolve, symlinks and `..` are followed first (a link out is outside)."""
    try:
        if resolve:
            Path(path).resolve().relative_to(Path(root).resolve())
        else:
            Path(path).relative_to(root)
        return True
    except (ValueError, OSError):
        return False
