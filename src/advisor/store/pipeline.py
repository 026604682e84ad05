"""A build's read-and-embed pipeline: files are read in a worker thread while the model embeds.

The catalog records are embedded whenever the model would otherwise wait for the reader.
"""

from __future__ import annotations

import queue
import sys
import threading
import time

import numpy as np

from ..errors import DocumentError
from ..ingest.chunking import chunk_document, embedding_text
from ..ingest.extract import Extractor
from ..ingest.pdf import UNREADABLE_PAGES
from ..ingest.passages import tag
from ..library.catalog import Catalog
from ..types import Block, BuildReport, Chunk, Document, Progress
from .embeddings import encode_queries
from .index import failpoint

CATALOG_DIR = "catalog"


class Emitter:
    """Progress of a build, sent to the caller's callback as snapshots."""

    def __init__(self, callback, t0: float):
        self.callback = callback
        self.t0 = t0
        self.state = Progress(stage="scanning")
        self.lock = threading.Lock()

    def update(self, **changes) -> None:
        with self.lock:
            for k, v in changes.items():
                setattr(self.state, k, v)
            self.state.elapsed = time.perf_counter() - self.t0
            snapshot = Progress(**self.state.__dict__)
        if self.callback:
            self.callback(snapshot)


_DONE = object()
GROUP_BATCHES = 16  # batches per encode() call while the reader is ahead (~12 s of work: the progress bar still moves)


def read_and_embed(todo, embedder, fingerprint, batch_size, progress, emit, files_meta, report, file_timeout,
                    idle_work: "CatalogEmbedding | None" = None):
    """Read files in a worker thread while the main thread embeds: pypdf and torch overlap."""
    from tqdm import tqdm

    q: queue.Queue = queue.Queue(maxsize=8)
    stats = {"read": 0.0, "embed": 0.0, "model_idle": 0.0}
    embedder_idle = threading.Event()  # set while the main thread waits for text to embed
    if idle_work is None or not idle_work.remaining:
        embedder_idle.set()

    reader_args = (todo, embedder, fingerprint, file_timeout, q, embedder_idle, stats)
    thread = threading.Thread(target=_read_files, args=reader_args, name="advisor-reader", daemon=True)
    thread.start()
    out_chunks: list[Chunk] = []
    out_vectors: list[np.ndarray] = []
    pending: list[Chunk] = []
    files_bar = tqdm(total=len(todo), desc="reading files", unit="file", disable=not progress or not todo, file=sys.stderr)
    chunk_bar = tqdm(desc="embedding", unit="chunk", disable=not progress or not todo, file=sys.stderr)
    files_done = pages_done = 0

    def flush(force: bool) -> None:
        # the encoder sorts what it gets by length: the more it gets at once, the less padding it embeds
        # (512 chunks at once embed ~5 % fewer token slots than 128 on the shipped corpus)
        group = batch_size * GROUP_BATCHES
        while pending and (force or len(pending) >= group):
            batch = pending[:group]
            del pending[: len(batch)]
            t = time.perf_counter()
            vecs = embedder.encode([embedding_text(c) for c in batch], batch_size=batch_size)
            stats["embed"] += time.perf_counter() - t
            failpoint("embedding")
            out_chunks.extend(batch)
            out_vectors.append(vecs)
            chunk_bar.update(len(batch))
            emit.update(stage="embedding", chunks_done=len(out_chunks))

    def wait_for_reader(timeout: float | None):
        t = time.perf_counter()
        try:
            return q.get(timeout=timeout)
        finally:
            stats["model_idle"] += time.perf_counter() - t

    emit.update(stage="reading", files_total=len(todo), files_done=0)
    while True:
        try:
            item = wait_for_reader(0.05)
        except queue.Empty:
            # the reader is busy with a file: embed what is already here, then other work, then wait
            if pending:
                flush(force=True)
                continue
            if idle_work is not None and idle_work.step():
                continue
            embedder_idle.set()
            item = wait_for_reader(None)
        embedder_idle.clear()
        if item is _DONE:
            break
        pages, chunks = _record_file(item, files_meta, report)
        pages_done += pages
        if chunks is not None:
            pending.extend(chunks)
            chunk_bar.total = (chunk_bar.total or 0) + len(chunks)
        files_done += 1
        files_bar.update(1)
        emit.update(files_done=files_done, pages_done=pages_done, chunks_queued=len(out_chunks) + len(pending))
        flush(force=False)
    flush(force=True)
    thread.join()
    files_bar.close()
    chunk_bar.close()
    report.pages_read = pages_done
    vectors = np.concatenate(out_vectors) if out_vectors else np.zeros((0, fingerprint.dimension), dtype=np.float32)
    return out_chunks, vectors, stats


def _read_files(todo, embedder, fingerprint, file_timeout, q: queue.Queue, embedder_idle: threading.Event,
                stats: dict) -> None:
    """The reader thread: puts (key, file, sha256, document, chunks, why skipped) per file on q, then _DONE."""
    with Extractor(timeout=file_timeout) as extractor, Extractor(timeout=file_timeout) as helper:
        for key, src, sha in todo:
            t = time.perf_counter()
            try:
                # a PDF the model is waiting for is read by two workers (the first file, typically)
                if src.path.suffix.lower() == ".pdf" and embedder_idle.is_set() and q.empty():
                    doc = extractor.load_pdf_split(src.path, key, helper)
                else:
                    doc = extractor.load(src.path, key)
                chunks = tag(chunk_document(doc, embedder.token_spans, fingerprint.chunk_tokens, fingerprint.overlap_tokens))
                item = (key, src, sha, doc, chunks, None)
            except DocumentError as exc:
                item = (key, src, sha, None, [], exc.reason)
            except Exception as exc:  # a loader bug must not stop the other files; retried next build
                item = (key, src, None, None, [], f"could not be read ({type(exc).__name__}: {str(exc)[:80]})")
            stats["read"] += time.perf_counter() - t
            q.put(item)
    q.put(_DONE)


def _record_file(item, files_meta: dict[str, dict], report: BuildReport) -> tuple[int, list[Chunk] | None]:
    """Enter one file read by _read_files in the manifest; returns (PDF pages read, its chunks or None if skipped)."""
    key, src, sha, doc, chunks, error = item
    base = {"sha256": sha, "size": src.size, "mtime_ns": src.mtime_ns, "root": str(src.root), "rel": src.rel}
    if error:
        if sha is not None:  # unreadable for good (corrupt, encrypted...): remember, don't retry
            files_meta[key] = {**base, "status": "skipped", "reason": error}
        report.skipped.append((key, error))
        return 0, None
    metadata = dict(doc.metadata)
    unreadable = metadata.pop(UNREADABLE_PAGES, 0) if doc.format == "pdf" else 0
    files_meta[key] = {
        **base, "status": "indexed", "title": doc.title, "format": doc.format,
        "pages": doc.n_pages, "chunks": len(chunks), "metadata": metadata,
        "indexed_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        **({"unreadable_pages": unreadable} if unreadable else {}),  # pages whose text extraction failed
    }
    if unreadable:
        report.notes.append(f"{key}: {unreadable} of {doc.n_pages} pages unreadable (their text is not indexed)")
    return (doc.n_pages if doc.format == "pdf" else 0), chunks


def record_chunks(rid: str, record, text: str, embedder, fingerprint) -> list[Chunk]:
    """A record's chunks: its whole text (facts first), then its description alone under its title.

    A broad book's first chunk is mostly lists (twenty topics, every chapter), which blur what it is for; its
    description says that in prose. A record is as close to a question as its closest chunk, so the prose can
    only help (round 10: cross-validated resource hit@1 0.834 -> 0.844 on the 1,079 development questions)."""
    path = f"{CATALOG_DIR}/{rid}.md"
    parts = [("", text)]
    if getattr(record, "description", ""):
        parts.append(("-d", record.description))
    out = []
    for suffix, body in parts:
        doc = Document(path, record.title, [Block(body, page=1, section=(record.title,))], format="catalog")
        for c in chunk_document(doc, embedder.token_spans, fingerprint.chunk_tokens, fingerprint.overlap_tokens):
            c.id += suffix
            c.passage_kind = "catalog"
            out.append(c)
    return out


class CatalogEmbedding:
    """Catalog records to embed: a few hundred small chunks, embedded whenever the model is idle."""

    def __init__(self, catalog: Catalog, docs: dict[str, str], todo: list[str], old, embedder, fingerprint, batch_size):
        self.embedder, self.dimension, self.batch_size = embedder, fingerprint.dimension, batch_size
        self.chunks: list[Chunk] = []  # records kept from the previous version (unchanged text), then fresh ones
        self.vectors: list[np.ndarray] = []
        self.fresh: list[Chunk] = []
        self.done = 0
        self.seconds = 0.0
        reused: dict[str, list[tuple[Chunk, np.ndarray]]] = {}
        if old is not None:
            for i, c in enumerate(old.catalog.chunks):
                rid = c.path.rsplit("/", 1)[-1][:-3]
                if rid in docs and rid not in todo:
                    reused.setdefault(rid, []).append((c, old.catalog.vectors[i]))
        for rid, text in docs.items():
            if rid in reused:
                for c, v in reused[rid]:
                    self.chunks.append(c)
                    self.vectors.append(np.asarray(v, dtype=np.float32)[None, :])
                continue
            self.fresh.extend(record_chunks(rid, catalog.resources[rid], text, embedder, fingerprint))
        # embedded longest first, so that each batch holds records of about one length: records run from a
        # few lines to a full chunk, and a batch in catalog order pads most of them (~20 % of the work)
        self.texts = [embedding_text(c) for c in self.fresh]
        self.order = sorted(range(len(self.fresh)), key=lambda i: -len(self.texts[i]))
        self.fresh_vectors = np.zeros((len(self.fresh), self.dimension), dtype=np.float32)

    @property
    def remaining(self) -> int:
        return len(self.fresh) - self.done

    def step(self) -> bool:
        """Embed one batch; False when there is nothing left to do."""
        if not self.remaining:
            return False
        t = time.perf_counter()
        rows = self.order[self.done: self.done + self.batch_size]
        self.fresh_vectors[rows] = encode_queries(self.embedder, [self.texts[i] for i in rows], batch_size=self.batch_size)
        self.done += len(rows)
        self.seconds += time.perf_counter() - t
        return True

    def finish(self) -> tuple[list[Chunk], np.ndarray]:
        while self.step():
            pass
        matrix = np.concatenate(self.vectors + [self.fresh_vectors])
        return self.chunks + self.fresh, matrix
