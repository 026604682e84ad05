"""One searchable part of a file-store version: chunks, their dense vectors (FAISS) and BM25 statistics."""

from __future__ import annotations

import json
import threading
from array import array
from pathlib import Path
from typing import Callable

import numpy as np

from ..errors import IndexCorruptError
from .keywords import KEYWORDS_VERSION, keyword_tokens
from ..types import Chunk
# Up to this many vectors dense search is exact (IndexFlatIP: one scan costs ~0.12-0.15 ms per 1,000
# vectors on one core); above it, an IVF index scans only the nearest lists. Tuned with bench/bench_scale.py
# (see docs/performance.md): recall@10 >= 0.95 against exact search at 1M vectors.
APPROX_THRESHOLD = 100_000
IVF_TRAIN_PER_LIST = 40  # k-means training points per list (FAISS warns below 39)
IVF_PROBE_FRACTION = 1 / 6  # share of the lists searched per query...
IVF_MIN_PROBED = 50_000  # ...but at least this many vectors' worth (cheap, and small indexes want more)


class HybridIndex:
    """Chunks with their dense vectors and BM25 statistics; positions are shared by all three."""

    def __init__(self, chunks: list[Chunk], vectors: np.ndarray, bm25=None, dense=None):
        self.chunks = chunks
        self.vectors = vectors
        self.bm25 = bm25 if bm25 is not None else build_bm25(chunks)
        self.dense = dense if dense is not None else _build_dense(vectors)
        self.resource_codes = np.zeros(len(chunks), dtype=np.int32)  # set by assign_resources
        self.resource_names: list[str] = []

    def __len__(self) -> int:
        return len(self.chunks)

    # --- the passage-index interface the retriever and the build use (the Postgres store has the same) ---
    def assign_resources(self, resource_of) -> None:
        """Remember each chunk's resource id (for filters), as codes into a list of names."""
        self.resource_codes, self.resource_names = resource_codes(self.chunks, resource_of)

    def mask(self, among: frozenset[str]) -> np.ndarray:
        """True for the chunks whose resource is in `among`."""
        return resource_mask(self.resource_codes, self.resource_names, among)

    def chunk(self, i: int) -> Chunk:
        return self.chunks[i]

    def paths(self) -> set[str]:
        """The files that have passages in this index."""
        return {c.path for c in self.chunks}

    def fetch(self, ids) -> dict[int, Chunk]:
        return {int(i): self.chunks[int(i)] for i in ids}

    def dense_scores(self, ids: list[int], query: np.ndarray) -> list[float]:
        return (np.asarray(self.vectors[ids], dtype=np.float32) @ query).tolist() if ids else []

    def rows_for_paths(self, paths) -> tuple[list[Chunk], np.ndarray]:
        """The chunks of these files with their vectors, in index order (reused by incremental builds)."""
        keep = [i for i, c in enumerate(self.chunks) if c.path in paths]
        return [self.chunks[i] for i in keep], np.asarray(self.vectors[keep], dtype=np.float32)

    def dense_search(self, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        if not len(self.chunks):
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        k = min(k, len(self.chunks))
        _one_search_thread()
        scores, ids = self.dense.search(np.asarray(query, dtype=np.float32).reshape(1, -1), k)
        keep = ids[0] >= 0
        return ids[0][keep], scores[0][keep]

    def dense_search_later(self, query: np.ndarray, k: int) -> Callable[[], tuple[np.ndarray, np.ndarray]]:
        """dense_search, collected by calling the result: in memory there is nothing to overlap, so it runs now."""
        found = self.dense_search(query, k)
        return lambda: found

    def bm25_scores(self, tokens: list[str]) -> np.ndarray:
        if self.bm25 is None or not tokens:
            return np.zeros(len(self.chunks), dtype=np.float32)
        vocab = self.bm25.vocab_dict
        ids = [vocab[t] for t in tokens if t in vocab]
        if not ids:
            return np.zeros(len(self.chunks), dtype=np.float32)
        return np.asarray(self.bm25.get_scores_from_ids(ids), dtype=np.float32)

    def keyword_scores(self, groups: list[tuple[list[str], float]]) -> np.ndarray:
        """Sum of weight x BM25 over the token groups."""
        scores = np.zeros(len(self.chunks), dtype=np.float32)
        for tokens, weight in groups:
            if tokens:
                scores = scores + weight * self.bm25_scores(tokens)
        return scores

    def bm25_search(self, tokens: list[str], k: int) -> tuple[np.ndarray, np.ndarray]:
        scores = self.bm25_scores(tokens)
        if not scores.size:
            return np.zeros(0, dtype=np.int64), scores
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        top = top[scores[top] > 0]
        return top, scores[top]

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        with open(directory / "chunks.jsonl", "w", encoding="utf-8") as fh:
            for chunk in self.chunks:
                fh.write(json.dumps(chunk.to_dict(), ensure_ascii=False) + "\n")
        np.save(directory / "vectors.npy", self.vectors, allow_pickle=False)
        if self.bm25 is not None:
            self.bm25.save(str(directory / "bm25"), allow_pickle=False)
        import faiss

        if not isinstance(self.dense, faiss.IndexFlat):  # exact indexes are rebuilt from vectors.npy in no time
            faiss.write_index(self.dense, str(directory / "dense.faiss"))

    @classmethod
    def load(cls, directory: Path, dimension: int, reuse_keywords: bool = True) -> "HybridIndex":
        """reuse_keywords=False: the saved BM25 was built by another keyword analysis, so it is
        rebuilt from the chunks (queries are analysed the current way; the two must not be mixed)."""
        import bm25s

        try:
            with open(directory / "chunks.jsonl", encoding="utf-8") as fh:
                chunks = [Chunk.from_dict(json.loads(line)) for line in fh if line.strip()]
            # mapped, not read: FAISS holds its own copy for search; this one is read row by row
            # (fusion, reuse on rebuilds). Versions are never rewritten in place, so the map stays valid.
            vectors = np.load(directory / "vectors.npy", allow_pickle=False, mmap_mode="r")
        except (OSError, ValueError, TypeError, KeyError) as exc:
            raise IndexCorruptError(f"index files in {directory} are damaged ({why(exc)})") from None
        if vectors.ndim != 2 or vectors.shape != (len(chunks), dimension):
            raise IndexCorruptError(
                f"index in {directory} is inconsistent: {len(chunks)} chunks but vectors of shape {vectors.shape}"
            )
        bm25 = None
        if chunks and reuse_keywords:
            try:
                bm25 = bm25s.BM25.load(str(directory / "bm25"), allow_pickle=False)
            except Exception as exc:
                raise IndexCorruptError(f"keyword index in {directory} is damaged ({why(exc)})") from None
            if int(bm25.scores["num_docs"]) != len(chunks):
                raise IndexCorruptError(f"keyword index in {directory} does not match its chunks")
        dense = None
        if (directory / "dense.faiss").exists():
            import faiss

            try:
                dense = faiss.read_index(str(directory / "dense.faiss"))
            except Exception as exc:
                raise IndexCorruptError(f"vector index in {directory} is damaged ({why(exc)})") from None
            if dense.ntotal != len(vectors) or dense.d != dimension:
                raise IndexCorruptError(f"vector index in {directory} does not match its chunks")
            dense = _tune_loaded(dense, len(vectors))
        return cls(chunks, vectors, bm25=bm25, dense=dense)


def resource_codes(chunks, resource_of) -> tuple[np.ndarray, list[str]]:
    """Each chunk's resource id as a code into a list of names (4 bytes a chunk: what filters need)."""
    names: dict[str, int] = {}
    codes = np.fromiter((names.setdefault(resource_of(c), len(names)) for c in chunks), dtype=np.int32,
                        count=len(chunks))
    return codes, list(names)


def resource_mask(codes: np.ndarray, names: list[str], among: frozenset[str]) -> np.ndarray:
    wanted = np.array([n in among for n in names] or [False], dtype=bool)
    return wanted[codes] if len(codes) else np.zeros(0, dtype=bool)


_QUERY_THREAD = threading.local()


def _one_search_thread() -> None:
    """One OpenMP thread for single-query searches (per calling thread; builds keep theirs).

    On 2 busy cores FAISS's threads wait for each other: 100k exact search took 40 ms with 2 threads
    and 11.6 ms with one under load (docs/performance.md).
    """
    if not getattr(_QUERY_THREAD, "set", False):
        import faiss

        faiss.omp_set_num_threads(1)
        _QUERY_THREAD.set = True


def keywords_current(manifest: dict) -> bool:
    """Whether the index's keyword side was analysed as keyword_tokens analyses queries now."""
    return manifest.get("keywords_version", 1) == KEYWORDS_VERSION


def why(exc: Exception) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0][:100]


def build_bm25(chunks: list[Chunk]):
    if not chunks:
        return None
    import bm25s

    from ..ingest.chunking import embedding_text

    # Token ids, not token strings: a million chunks' worth of Python strings took ~6 GB (docs/performance.md)
    vocab: dict[str, int] = {}
    ids = [array("I", [vocab.setdefault(t, len(vocab)) for t in keyword_tokens(embedding_text(c)) or [""]])
           for c in chunks]
    retriever = bm25s.BM25()
    retriever.index(bm25s.tokenization.Tokenized(ids=ids, vocab=vocab), show_progress=False)
    return retriever


def _build_dense(vectors: np.ndarray):
    import faiss

    dim = vectors.shape[1] if vectors.ndim == 2 else 1
    if len(vectors) > APPROX_THRESHOLD:
        return _build_ivf(np.ascontiguousarray(vectors, dtype=np.float32))
    index = faiss.IndexFlatIP(dim)
    if len(vectors):
        index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index


def ivf_lists(n: int) -> int:
    """Number of IVF lists for n vectors: the power of two nearest to 2*sqrt(n) (2048 at 1M)."""
    return int(2 ** round(np.log2(max(2 * np.sqrt(max(n, 1)), 64))))


def ivf_probes(nlist: int, n: int) -> int:
    """Lists searched per query: a sixth of them, or enough for IVF_MIN_PROBED vectors if that is more."""
    share = max(IVF_PROBE_FRACTION, IVF_MIN_PROBED / max(n, 1))
    return max(1, min(nlist, int(np.ceil(nlist * share))))


def _build_ivf(vectors: np.ndarray):
    """IVF with exact (float) vectors in the lists, k-means trained on a fixed random sample.

    HNSW (M=32) was measured too (bench_scale.py --tune N --hnsw): faster queries, but ~200 s to build
    at 1M vectors on 2 cores against ~11-28 s for this index (and every build rebuilds it), and only
    0.89 recall@10 at efSearch=256 for question-like queries, which sit away from the passages.
    """
    import faiss

    n, dim = vectors.shape
    nlist = ivf_lists(n)
    index = faiss.IndexIVFFlat(faiss.IndexFlatIP(dim), dim, nlist, faiss.METRIC_INNER_PRODUCT)
    index.cp.niter = 10  # k-means iterations (FAISS default 25): keeps the build at ~20 s for 1M vectors
    index.cp.spherical = True  # unit vectors: unit centroids
    index.cp.seed = 1234
    sample_size = min(n, IVF_TRAIN_PER_LIST * nlist)
    sample = np.sort(np.random.default_rng(1234).choice(n, size=sample_size, replace=False))
    index.train(vectors[sample])
    index.add(vectors)
    index.nprobe = ivf_probes(nlist, n)
    return index


def _tune_loaded(index, n: int):
    """A saved IVF index keeps the nprobe it was written with: apply the current policy."""
    import faiss

    if isinstance(index, faiss.IndexIVF):
        index.nprobe = ivf_probes(index.nlist, n)
    return index


