"""The on-disk index: FAISS vectors + BM25 + chunk store + manifest, in atomically swapped versions."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import signal
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import numpy as np

from ..fileops import atomic_write_text, fsync_dir
from ..errors import IndexBusyError, IndexCorruptError, NoIndexError
from .hybrid import HybridIndex, keywords_current, why
from ..types import Chunk, Resource

CURRENT = "CURRENT"
MANIFEST = "manifest.json"


@dataclass
class LoadedIndex:
    """One complete version of the index, as the retriever uses it."""

    directory: Path | None  # the version's folder (file store); None in the Postgres store
    manifest: dict
    texts: HybridIndex  # or store.pg_passages.PgPassages: the same passage-index interface
    catalog: HybridIndex
    resources: dict[str, Resource]
    file_resource: dict[str, str]  # chunk path -> resource id
    roots: list[str] = field(default_factory=list)
    version: str = ""  # names this version in its store; a new build gets a new name

    def __post_init__(self) -> None:
        if not self.version and self.directory is not None:
            self.version = self.directory.name
        for part in (self.texts, self.catalog):
            part.assign_resources(self.resource_of)

    def resource_of(self, chunk: Chunk) -> str:
        """A catalog record's id, the resource a file belongs to, or file:PATH for a file of no record."""
        return resource_of(chunk, self.file_resource)

    @property
    def built_at(self) -> str:
        return self.manifest.get("built_at", "")


def resource_of(chunk: Chunk, file_resource: dict[str, str]) -> str:
    if chunk.passage_kind == "catalog":
        return chunk.path.rsplit("/", 1)[-1][:-3]
    return file_resource.get(chunk.path, f"file:{chunk.path}")


class IndexStore:
    """Versions live in index_dir/v-*/; the CURRENT file names the one to use and is replaced atomically."""

    def __init__(self, index_dir: Path):
        self.index_dir = Path(index_dir)

    def current_dir(self) -> Path | None:
        pointer = self.index_dir / CURRENT
        try:
            name = pointer.read_text(encoding="utf-8").strip()
        except OSError:
            return None
        path = self.index_dir / name
        return path if name and path.is_dir() else None

    def current_version(self) -> str | None:
        current = self.current_dir()
        return current.name if current is not None else None

    def exists(self) -> bool:
        return self.current_dir() is not None

    @property
    def label(self) -> str:
        return f"{self.index_dir}/"

    def close(self) -> None:
        """Nothing held open (the Postgres store closes its connections)."""

    def write_version(self, texts: tuple[list[Chunk], np.ndarray], catalog: tuple[list[Chunk], np.ndarray],
                      resources: dict, manifest: dict) -> None:
        """Write a complete version to a staging folder, then make it the current one atomically."""
        texts_index, catalog_index = HybridIndex(*texts), HybridIndex(*catalog)
        with self.staging() as tmp:
            failpoint("staging")
            texts_index.save(tmp / "texts")
            catalog_index.save(tmp / "catalog")
            (tmp / "resources.json").write_text(json.dumps(resources, ensure_ascii=False), encoding="utf-8")
            (tmp / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")

    def read_manifest(self) -> dict | None:
        current = self.current_dir()
        if current is None:
            return None
        try:
            return _manifest(current)
        except (OSError, ValueError):
            return None

    def load(self) -> LoadedIndex:
        current = self.current_dir()
        if current is None:
            if (self.index_dir / CURRENT).exists():
                raise IndexCorruptError(
                    f"{self.index_dir}/CURRENT points to a missing version; run `advisor index --rebuild`"
                )
            raise NoIndexError(f"no index in {self.index_dir}/ yet: run `advisor index` first")
        try:
            manifest = _manifest(current)
            dimension = int(manifest["fingerprint"]["dimension"])
            resources_raw = json.loads((current / "resources.json").read_text(encoding="utf-8"))
            resources = {r["id"]: Resource.from_dict(r) for r in resources_raw["resources"]}
            file_resource = dict(resources_raw["files"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise IndexCorruptError(
                f"index in {current} is damaged ({why(exc)}); run `advisor index --rebuild`"
            ) from None
        try:
            reuse = keywords_current(manifest)
            texts = HybridIndex.load(current / "texts", dimension, reuse)
            catalog = HybridIndex.load(current / "catalog", dimension, reuse)
        except IndexCorruptError as exc:
            raise IndexCorruptError(f"{exc}; run `advisor index --rebuild`") from None
        expected = manifest.get("counts", {}).get("chunks")
        if expected is not None and expected != len(texts):
            raise IndexCorruptError(
                f"index in {current} has {len(texts)} chunks but its manifest says {expected}; run `advisor index --rebuild`"
            )
        return LoadedIndex(current, manifest, texts, catalog, resources, file_resource, manifest.get("roots", []))

    @contextmanager
    def staging(self) -> Iterator[Path]:
        """A temp dir inside index_dir; on success it becomes the current version atomically."""
        self.index_dir.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=self.index_dir))
        try:
            yield tmp
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        name = time.strftime("v-%Y%m%dT%H%M%S", time.gmtime()) + f"-{os.getpid()}-{tmp.name[-6:]}"
        _fsync_tree(tmp)
        failpoint("before-rename")
        os.replace(tmp, self.index_dir / name)
        failpoint("before-pointer")
        atomic_write_text(self.index_dir / CURRENT, name + "\n", prefix=f".{CURRENT}.")
        fsync_dir(self.index_dir)
        failpoint("after-pointer")
        self.collect_garbage(keep=name)

    def collect_garbage(self, keep: str) -> None:
        """Drop old versions and leftovers of killed builds (never the current one)."""
        for entry in self.index_dir.iterdir():
            if entry.name.startswith(f".{CURRENT}.") and entry.is_file():
                entry.unlink(missing_ok=True)
                continue
            if entry.name == keep or entry.is_symlink() or not entry.is_dir():
                continue
            # builds hold the lock, so any other staging dir is a leftover of a killed build; the index dir
            # may hold other folders too (ADVISOR_INDEX_DIR pointed at a busy folder): a v-* name alone is no
            # proof that a build wrote it, a manifest of ours is
            if entry.name.startswith(".tmp-") or (entry.name.startswith("v-") and _written_by_us(entry)):
                shutil.rmtree(entry, ignore_errors=True)

    @contextmanager
    def lock(self) -> Iterator[None]:
        """Serialize builds: a second concurrent build fails at once with a clear message."""
        self.index_dir.mkdir(parents=True, exist_ok=True)
        path = self.index_dir / ".lock"
        fh = open(path, "a+", encoding="utf-8")
        try:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                fh.seek(0)
                holder = fh.read().strip() or "another process"
                raise IndexBusyError(
                    f"another `advisor index` is already building {self.index_dir}/ (pid {holder}); wait for it to finish"
                ) from None
            fh.seek(0)
            fh.truncate()
            fh.write(str(os.getpid()))
            fh.flush()
            yield
        finally:
            fh.close()


def failpoint(name: str) -> None:
    """Crash-test hook: ADVISOR_FAILPOINT=name kills this process right here, as `kill -9` would."""
    if os.environ.get("ADVISOR_FAILPOINT") == name:
        os.kill(os.getpid(), signal.SIGKILL)


def _fsync_tree(root: Path) -> None:
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            with open(os.path.join(dirpath, name), "rb") as fh:
                os.fsync(fh.fileno())
        fsync_dir(Path(dirpath))


def _written_by_us(version: Path) -> bool:
    """Whether a folder holds a manifest as build() writes it: JSON with a fingerprint."""
    try:
        manifest = json.loads((version / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(manifest, dict) and isinstance(manifest.get("fingerprint"), dict)


def _manifest(version: Path) -> dict:
    """A version's manifest; file entries written before `kind` was renamed `format` read the same."""
    manifest = json.loads((version / MANIFEST).read_text(encoding="utf-8"))
    for meta in (manifest.get("files") or {}).values():
        if isinstance(meta, dict) and "kind" in meta:
            meta.setdefault("format", meta.pop("kind"))
    return manifest
