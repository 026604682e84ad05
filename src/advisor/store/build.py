"""Building and incrementally updating the index from the corpus."""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from ..config import Fingerprint, Settings
from ..errors import MissingPathError
from ..fileops import sha256_file, sha256_text
from ..ingest.loaders import loader_for
from ..library.catalog import Catalog, claims, load_catalog, record_text
from ..library.scan import SourceFile, scan
from ..library.topics import topics_as_dict
from ..types import BuildReport, Chunk, Progress, Resource
from .embeddings import Embedder
from .hybrid import keywords_current
from .index import LoadedIndex
from .keywords import KEYWORDS_VERSION
from .pipeline import CATALOG_DIR, CatalogEmbedding, Emitter, read_and_embed
from .stores import open_store


def file_key(source: SourceFile, corpus_dir: Path) -> str:
    """Stable name of an indexed file: relative to the corpus, or prefixed with its root's name."""
    full = Path(os.path.abspath(source.root / source.rel))
    try:
        return full.relative_to(Path(os.path.abspath(corpus_dir))).as_posix()
    except ValueError:
        return f"{Path(os.path.abspath(source.root)).name}/{source.rel}"


def build(
    settings: Settings,
    embedder: Embedder,
    roots: list[Path] | None = None,
    *,
    rebuild: bool = False,
    progress: bool = False,
    on_progress: Callable[[Progress], None] | None = None,
    remove: list[Path] | None = None,
    only: bool = False,
    texts: bool = True,
    store=None,
) -> BuildReport:
    """Build or update the index. `roots` are added to the ones indexed last time (with `only`, they replace
    them); `remove` takes roots out. Each change of roots is said in the report's notes. With `texts=False`
    only the catalog records are embedded (seconds): a first index that can recommend resources at once,
    whose roots the next build reads."""
    store = store if store is not None else open_store(settings)
    with store.lock():
        return _build_locked(settings, embedder, store, (roots, remove, only, texts), rebuild, progress, on_progress)


def _build_locked(settings, embedder, store, roots, rebuild, progress, on_progress) -> BuildReport:
    t0 = time.perf_counter()
    report = BuildReport(index_dir=store.label)
    plan = _plan(settings, embedder, store, roots, rebuild, report)
    emit = Emitter(on_progress, t0)
    emit.update(stage="scanning")
    _scan_and_diff(plan, report)
    report.timings["scan"] = time.perf_counter() - t0
    _diff_catalog(plan)
    if _nothing_changed(plan, report):
        report.noop = True
        report.chunks_total = plan.old_manifest.get("counts", {}).get("chunks", 0)
        report.timings["total"] = time.perf_counter() - t0
        emit.update(stage="done", files_total=len(plan.keyed), files_done=len(plan.keyed))
        return report
    chunks, vectors, files_meta, cat_chunks, cat_vectors = _embed_changes(
        plan, settings, embedder, progress, emit, report)
    emit.update(stage="writing")
    t_write = time.perf_counter()
    _write_version(store, plan, chunks, vectors, files_meta, cat_chunks, cat_vectors, report, t0)
    report.timings["write"] = time.perf_counter() - t_write
    report.timings["total"] = time.perf_counter() - t0
    emit.update(stage="done")
    return report


@dataclass
class _Plan:
    """What this build starts from, and what it found to reuse or redo (filled in step by step)."""

    corpus_dir: Path
    roots: list[Path]
    fingerprint: Fingerprint
    old_manifest: dict
    old: LoadedIndex | None  # None: nothing of the previous version is reused
    catalog: Catalog | None = None
    keyed: dict[str, SourceFile] = field(default_factory=dict)
    reuse: dict[str, dict] = field(default_factory=dict)  # file key -> its manifest entry, kept as it was
    todo: list[tuple[str, SourceFile, str]] = field(default_factory=list)  # (key, file, sha256) to read again
    catalog_docs: dict[str, str] = field(default_factory=dict)
    texts: bool = True  # False: the catalog stage of a first index, no full text read yet
    catalog_todo: list[str] = field(default_factory=list)


def _roots(old_manifest: dict, corpus_dir: Path, added, removed, only: bool, report: BuildReport) -> list[Path]:
    """The roots to index: the remembered ones plus `added` (or `added` alone with `only`), less `removed`.

    Paths add, never replace silently: `advisor index one.pdf` must not drop the corpus and the uploads in it.
    """
    def key(p: Path) -> str:
        return os.path.abspath(p)

    remembered = [Path(r) for r in old_manifest.get("roots") or [corpus_dir]]
    roots = list(added or []) if only else remembered + [p for p in added or [] if key(p) not in map(key, remembered)]
    if only and added:
        leaving = [str(r) for r in remembered if key(r) not in map(key, roots)]
        if leaving:
            report.notes.append("no longer indexed (--only): " + ", ".join(leaving))
    for gone in removed or []:
        if key(gone) not in map(key, roots):
            raise MissingPathError(f"{gone}: not an indexed folder or file (see `advisor info` for the roots)")
        roots = [r for r in roots if key(r) != key(gone)]
        report.notes.append(f"no longer indexed: {gone}")
    if not roots:
        raise MissingPathError("nothing left to index: give a folder or file, or keep one of the roots")
    return roots


def _plan(settings, embedder, store, roots, rebuild, report: BuildReport) -> _Plan:
    """The roots to scan, the fingerprint to build with, and the previous version if it can be reused."""
    corpus_dir = Path(settings.corpus_dir)
    old_manifest = store.read_manifest() or {}
    *change, texts = roots
    roots = _roots(old_manifest, corpus_dir, *change, report)
    for root in roots:
        if not root.exists():
            raise MissingPathError(f"{root}: no such file or folder")

    chunk_tokens = settings.chunk_tokens or embedder.max_tokens
    fingerprint = Fingerprint(embedder.name, embedder.dimension, min(chunk_tokens, embedder.max_tokens),
                              settings.overlap_tokens, backend=getattr(embedder, "backend", settings.backend))
    old = _previous_version(store, old_manifest, fingerprint, rebuild, report)
    return _Plan(corpus_dir, roots, fingerprint, old_manifest, old, texts=texts)


def _previous_version(store, old_manifest: dict, fingerprint: Fingerprint, rebuild, report: BuildReport):
    """The previous version when its chunks and vectors can be reused; else None, with the reason in the report."""
    old = None
    if old_manifest and not rebuild:
        diffs = fingerprint.differences(old_manifest.get("fingerprint", {}))
        if diffs:
            report.full_rebuild_reason = "index was built with different settings (" + "; ".join(diffs) + "): full rebuild"
        else:
            try:
                old = store.load()
            except Exception as exc:  # a damaged old index is rebuilt, not trusted
                report.full_rebuild_reason = f"previous index unusable ({exc}): full rebuild"
    elif rebuild:
        report.full_rebuild_reason = "--rebuild requested"
    if old is not None and not keywords_current(old_manifest):
        report.notes.append("keyword analysis changed since the last build: keyword index rebuilt (vectors reused)")
    return old


def _scan_and_diff(plan: _Plan, report: BuildReport) -> None:
    """List the files under the roots and the catalog records, and decide which ones to read again."""
    sources: list[SourceFile] = []
    for root in plan.roots if plan.texts else []:
        exclude = (CATALOG_DIR,) if root.resolve() == plan.corpus_dir.resolve() else ()
        result = scan(root, _readable, exclude_dirs=exclude)
        sources.extend(result.files)
        report.skipped.extend(result.skipped)
    old_files = plan.old_manifest.get("files", {}) if plan.old is not None else {}
    plan.catalog = load_catalog(plan.corpus_dir, strict_topics=True)
    report.catalog_problems = plan.catalog.problems

    for src in sources:  # overlapping roots list a file twice: the first listing wins
        plan.keyed.setdefault(file_key(src, plan.corpus_dir), src)
    for key, src in plan.keyed.items():
        prev = old_files.get(key)
        # same size and mtime: trust the recorded hash rather than read the whole file again
        if prev and prev.get("size") == src.size and prev.get("mtime_ns") == src.mtime_ns:
            sha = prev["sha256"]
        else:
            sha = sha256_file(src.path)
        if prev and prev.get("sha256") == sha and prev.get("status") == "indexed":
            plan.reuse[key] = {**prev, "size": src.size, "mtime_ns": src.mtime_ns}
        elif prev and prev.get("sha256") == sha and prev.get("status") == "skipped":
            report.skipped.append((key, prev.get("reason", "skipped")))
            plan.reuse[key] = {**prev, "size": src.size, "mtime_ns": src.mtime_ns}
        else:
            plan.todo.append((key, src, sha))
            (report.changed if prev else report.added).append(key)
    report.removed = sorted(set(old_files) - set(plan.keyed))
    report.files_total = len(plan.keyed)
    report.unchanged = len(plan.keyed) - len(plan.todo)


# how a record is cut into chunks (pipeline.record_chunks): part of each record's digest, so that an index whose
# records were cut another way embeds them again (only the records: the full texts stay)
CATALOG_LAYOUT = "record, then description alone (round 10)"


def catalog_digest(text: str) -> str:
    return sha256_text(f"{CATALOG_LAYOUT}\n{text}")


def _old_catalog_texts(plan: _Plan) -> dict[str, str]:
    return plan.old_manifest.get("catalog_texts", {}) if plan.old is not None else {}


def _diff_catalog(plan: _Plan) -> None:
    """The text of every catalog record, and which ones changed since the previous version."""
    catalog = plan.catalog
    plan.catalog_docs = {r.id: record_text(r, catalog.topics) for r in catalog.resources.values()}
    old_catalog = _old_catalog_texts(plan)
    plan.catalog_todo = [rid for rid, text in plan.catalog_docs.items() if old_catalog.get(rid) != catalog_digest(text)]


def _nothing_changed(plan: _Plan, report: BuildReport) -> bool:
    """Whether the previous version is still right as it is (then nothing is written)."""
    return (plan.old is not None and not plan.todo and not report.removed and not plan.catalog_todo
            and set(_old_catalog_texts(plan)) == set(plan.catalog_docs)
            and plan.old_manifest.get("catalog_problems", []) == plan.catalog.problems
            and plan.old_manifest.get("catalog_records") == _record_digests(plan.catalog)
            and plan.old_manifest.get("topics") == topics_as_dict(plan.catalog.topics)
            and keywords_current(plan.old_manifest))


def _record_digests(catalog: Catalog) -> dict[str, str]:
    """Every field of every record: an alias or a URL that changes must reach the index's resources too,
    even when the text that is embedded stays the same."""
    return {r.id: sha256_text(json.dumps(r.to_dict(), sort_keys=True, default=str)) for r in catalog.resources.values()}


def _embed_changes(plan: _Plan, settings, embedder, progress, emit: Emitter, report: BuildReport):
    """Reused chunks and vectors plus freshly embedded ones, for the texts and for the catalog records."""
    chunks: list[Chunk] = []
    vectors: list[np.ndarray] = []
    old = plan.old
    if old is not None and plan.reuse:
        kept, kept_vectors = old.texts.rows_for_paths(set(plan.reuse))
        chunks.extend(kept)
        if kept:
            vectors.append(kept_vectors)

    files_meta: dict[str, dict] = dict(plan.reuse)
    # Catalog records: tiny, re-embedded only when their text changed, while the reader works.
    catalog_job = CatalogEmbedding(plan.catalog, plan.catalog_docs, plan.catalog_todo, old, embedder,
                                    plan.fingerprint, settings.batch_size)
    t_read = time.perf_counter()
    new_chunks, new_vectors, stats = read_and_embed(
        plan.todo, embedder, plan.fingerprint, settings.batch_size, progress, emit, files_meta, report,
        settings.file_timeout, idle_work=catalog_job,
    )
    chunks.extend(new_chunks)
    if len(new_vectors):
        vectors.append(new_vectors)
    report.timings["read_and_embed"] = time.perf_counter() - t_read
    report.timings.update(stats)
    report.chunks_embedded = len(new_chunks)

    emit.update(stage="catalog")
    cat_chunks, cat_vectors = catalog_job.finish()
    report.timings["catalog_embed"] = catalog_job.seconds
    report.chunks_embedded += sum(1 for c in cat_chunks if c.path.rsplit("/", 1)[-1][:-3] in plan.catalog_todo)
    return chunks, vectors, files_meta, cat_chunks, cat_vectors


def _write_version(store, plan: _Plan, chunks: list[Chunk], vectors: list[np.ndarray],
                   files_meta: dict[str, dict], cat_chunks: list[Chunk], cat_vectors: np.ndarray,
                   report: BuildReport, t0: float) -> None:
    """Hand the new version to the store, which makes it current atomically."""
    fingerprint = plan.fingerprint
    all_vectors = np.concatenate(vectors) if vectors else np.zeros((0, fingerprint.dimension), dtype=np.float32)
    resources, file_resource = resolve_resources(plan.catalog, files_meta)
    report.chunks_total = len(chunks)
    manifest = _new_manifest(plan, files_meta, len(chunks), len(resources))
    manifest["build_seconds"] = round(time.perf_counter() - t0, 3)
    store.write_version((chunks, all_vectors), (cat_chunks, cat_vectors),
                        {"resources": [r.to_dict() for r in resources.values()], "files": file_resource}, manifest)


def _new_manifest(plan: _Plan, files_meta: dict[str, dict], n_chunks: int, n_resources: int) -> dict:
    fingerprint = plan.fingerprint
    indexed = [m for m in files_meta.values() if m.get("status") == "indexed"]
    return {
        "format_version": fingerprint.format_version,
        "fingerprint": fingerprint.to_dict(),
        "model": fingerprint.model,
        "dimension": fingerprint.dimension,
        "chunking": {"max_tokens": fingerprint.chunk_tokens, "overlap_tokens": fingerprint.overlap_tokens},
        "keywords_version": KEYWORDS_VERSION,  # not in the fingerprint: a change rebuilds BM25, not the vectors
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "roots": [str(r) for r in plan.roots],
        "corpus_dir": str(plan.corpus_dir),
        "files": files_meta,
        "catalog_texts": {rid: catalog_digest(text) for rid, text in plan.catalog_docs.items()},
        "catalog_records": _record_digests(plan.catalog),
        "catalog_problems": plan.catalog.problems,
        # the vocabulary questions are read with travels with the index: an app process serving a shared store
        # (or started from another folder) reads them as the build did, without the corpus beside it
        "topics": topics_as_dict(plan.catalog.topics),
        "counts": {
            "files": len(indexed),
            "skipped": len(files_meta) - len(indexed),
            "pages": sum(m.get("pages", 0) for m in indexed),
            "chunks": n_chunks,
            "resources": n_resources,
            "catalog_records": len(plan.catalog.resources),
        },
    }


def resolve_resources(catalog: Catalog, files_meta: dict[str, dict]) -> tuple[dict[str, Resource], dict[str, str]]:
    """Map every indexed file to a resource: the record that claims it, or a resource of its own."""
    resources = dict(catalog.resources)
    file_resource: dict[str, str] = {}
    for key, meta in sorted(files_meta.items()):
        if meta.get("status") != "indexed":
            continue
        owner = next((r.id for r in catalog.resources.values() if claims(r, key)), None)
        if owner is None:
            owner = f"file:{key}"
            resources[owner] = Resource(
                id=owner, title=meta.get("title") or Path(key).stem, kind="document",
                access="free", description=f"Indexed file {key}", files=[key], from_catalog=False,
                source=key,
            )
        file_resource[key] = owner
    return resources, file_resource


def dry_run(settings: Settings, manifest: dict) -> bool:
    """Whether a build would change anything, judged without loading the model or reading files."""
    from ..config import PIPELINE_VERSION
    from .embeddings import canonical_model_name

    fp = manifest.get("fingerprint", {})
    if fp.get("model") != canonical_model_name(settings.model) or fp.get("pipeline_version") != PIPELINE_VERSION:
        return True
    if fp.get("overlap_tokens") != settings.overlap_tokens or not keywords_current(manifest):
        return True
    if fp.get("backend", "torch") != settings.backend:  # indexes from before the field were built with torch
        return True
    if settings.chunk_tokens and fp.get("chunk_tokens") != settings.chunk_tokens:
        return True
    corpus_dir = Path(settings.corpus_dir)
    files = manifest.get("files", {})
    seen = set()
    for root in [Path(r) for r in manifest.get("roots") or [corpus_dir]]:
        if not root.exists():
            return True
        exclude = (CATALOG_DIR,) if root.resolve() == corpus_dir.resolve() else ()
        for src in scan(root, _readable, exclude_dirs=exclude).files:
            key = file_key(src, corpus_dir)
            seen.add(key)
            prev = files.get(key)
            if not prev:
                return True
            if prev.get("size") != src.size or prev.get("mtime_ns") != src.mtime_ns:
                if sha256_file(src.path) != prev.get("sha256"):
                    return True
    if seen != set(files):
        return True
    catalog = load_catalog(corpus_dir)
    texts = {r.id: catalog_digest(record_text(r, catalog.topics)) for r in catalog.resources.values()}
    return (texts != manifest.get("catalog_texts", {}) or catalog.problems != manifest.get("catalog_problems", [])
            or _record_digests(catalog) != manifest.get("catalog_records")
            or topics_as_dict(catalog.topics) != manifest.get("topics"))


def _readable(path: Path) -> bool:
    """Whether some loader reads this type of file (others are listed as skipped)."""
    return loader_for(path) is not None
