"""Which store serves: the file store in ADVISOR_INDEX_DIR (the laptop default) or the shared Postgres one.

Both offer the same interface (current_version, exists, read_manifest, load, lock, write_version,
label); nothing above the store knows which one serves.
"""

from __future__ import annotations

from ..config import Settings
from .index import IndexStore


def open_store(settings: Settings):
    if settings.store:
        from .postgres import PgStore

        return PgStore(settings.store, postings_cache_mb=settings.postings_cache_mb, ef_search=settings.hnsw_ef_search)
    return IndexStore(settings.index_dir)


def copy_version(source, target) -> int:
    """Write source's current version into target as its new version, vectors and all (no re-embedding).

    How a laptop index moves into the shared store, or back; returns the number of passages copied."""
    loaded = source.load()
    chunks, vectors = loaded.texts.rows_for_paths(loaded.texts.paths())
    if not chunks:
        vectors = vectors.reshape(0, int(loaded.manifest["fingerprint"]["dimension"]))
    resources = {"resources": [r.to_dict() for r in loaded.resources.values()], "files": loaded.file_resource}
    with target.lock():
        target.write_version((chunks, vectors), (loaded.catalog.chunks, loaded.catalog.vectors), resources,
                             dict(loaded.manifest))
    return len(chunks)
