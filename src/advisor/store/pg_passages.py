"""The Postgres side of a version's passages: vectors in pgvector (HNSW), BM25 postings, chunk texts.

The app keeps only what filters need (one resource code per chunk, 4 bytes each) and computes nothing
over all vectors: dense search is pgvector's, keyword scores are summed from the query terms' postings,
which are bm25s's own precomputed scores, so keyword ranking is the file store's, to the float.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from typing import Callable, TypeVar

import numpy as np

from ..errors import StoreError
from ..types import Chunk
from .hybrid import resource_mask

T = TypeVar("T")
log = logging.getLogger("advisor")
RETRIES = 3  # attempts per statement when the connection drops (a fresh connection each time)


class Database:
    """A connection pool with retries: a dropped connection is replaced, never answered from half a result."""

    def __init__(self, uri: str):
        self.uri = uri
        self.label = redact(uri)
        self._pool = None
        self._pool_lock = threading.Lock()

    def pool(self):
        if self._pool is None:
            with self._pool_lock:  # threads arriving together at first use share one pool
                if self._pool is None:
                    self._pool = self._open_pool()
        return self._pool

    def _open_pool(self):
        from pgvector.psycopg import register_vector
        from psycopg_pool import ConnectionPool

        def configure(conn) -> None:
            register_vector(conn)  # vectors travel as numpy arrays in binary, not as text literals
            if fast_json_loads is not None:
                from psycopg.types.json import set_json_loads

                set_json_loads(fast_json_loads, conn)

        # no check on every checkout: it costs a round trip per statement (a third of a question's CPU at 100k
        # passages); a connection found broken is replaced by run(), which then has the pool test its idle ones
        return ConnectionPool(
            self.uri, min_size=1, max_size=16, timeout=10, open=True, configure=configure,
            kwargs={"autocommit": True}, name="advisor",
        )

    @property
    def is_open(self) -> bool:
        return self._pool is not None

    def run(self, fn: Callable[..., T]) -> T:
        """fn(conn) on a pooled connection; retried on a fresh one when the connection fails."""
        import psycopg
        from psycopg_pool import PoolTimeout

        last: Exception | None = None
        for attempt in range(RETRIES):
            try:
                with self.pool().connection() as conn:
                    return fn(conn)
            except psycopg.errors.UndefinedTable:
                raise StoreError("the index was replaced while answering; ask again") from None
            except (psycopg.OperationalError, PoolTimeout) as exc:
                last = exc
                if attempt == 0 and self._pool is not None:
                    self._pool.check()  # after a server restart every idle connection is broken: drop them all
                time.sleep(0.05 * (attempt + 1))
        reason = (str(last).splitlines() or [type(last).__name__])[0][:120]
        raise StoreError(f"the shared index at {self.label} cannot be reached ({reason})") from None

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool = None


def redact(uri: str) -> str:
    """host/dbname of a connection URI, never its password."""
    try:
        from psycopg.conninfo import conninfo_to_dict

        parts = conninfo_to_dict(uri)
    except Exception:
        return "postgresql://(unparsable URI)"
    host = parts.get("host") or "localhost"
    return f"postgresql://{host}/{parts.get('dbname') or ''}"


def as_vector(v: np.ndarray) -> np.ndarray:
    """A query vector as pgvector's adapter sends it (binary float32)."""
    return np.ascontiguousarray(np.asarray(v, dtype=np.float32).ravel())


try:  # the JSON of 100+ passages is decoded per question: orjson (a gradio dependency) is ~3x faster
    from orjson import loads as fast_json_loads
except ImportError:  # pragma: no cover
    fast_json_loads = None


class PgPassages:
    """One generation's passages, searched in the database; positions match the file store's."""

    def __init__(self, db: Database, prefix: str, n: int, codes: np.ndarray, names: list[str],
                 *, impact_ordered: bool, cache_mb: float, ef_search: int):
        self.db = db
        self.texts_table = f"{prefix}_texts"
        # postings are written highest score first (`_impact`); generations written before keep them in passage
        # order (`_terms`). Either is read whole, so the order does not change a score
        self.terms_table = f"{prefix}_impact" if impact_ordered else f"{prefix}_terms"
        self.impact_ordered = impact_ordered
        self.n = n
        self.resource_codes = codes
        self.resource_names = names
        # HNSW candidates per query (ADVISOR_HNSW_EF_SEARCH): recall@10 of question-like queries at 100k passages
        # was 0.91 at 100, 0.96 at 200 for ~5 ms more, 0.99 at 400 (bench/bench_pg.py, docs/performance.md)
        self.ef_search = ef_search
        # a list in under 0.5 % of the passages is cheap to read, and a large library has millions of them
        self.cache = PostingsCache(self.db, self.terms_table, cache_mb, min_postings=n // 200)

    def __len__(self) -> int:
        return self.n

    def describe(self) -> dict:
        """The search settings this store serves with, for `advisor info`."""
        return {"hnsw_ef_search": self.ef_search, "postings_cache": self.cache.describe()}

    def assign_resources(self, resource_of) -> None:
        """Resource codes were computed when the generation was written."""

    def mask(self, among: frozenset[str]) -> np.ndarray:
        return resource_mask(self.resource_codes, self.resource_names, among)

    def dense_search(self, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        if not self.n:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        k = min(k, self.n)
        q = as_vector(query)

        def go(conn):
            # HNSW returns at most ef_search rows, so enough of them; SET LOCAL in the query's own transaction
            # (safe behind a transaction-mode pooler), all sent in one round trip
            with conn.pipeline(), conn.transaction():
                conn.execute(f"SET LOCAL hnsw.ef_search = {max(self.ef_search, 2 * k)}")
                cur = conn.execute(
                    f"SELECT pos, 1 - (embedding <=> %b) FROM {self.texts_table} "
                    f"ORDER BY embedding <=> %b LIMIT %s", (q, q, k))
                rows = cur.fetchall()
            return rows

        rows = self.db.run(go)
        return (np.array([r[0] for r in rows], dtype=np.int64), np.array([r[1] for r in rows], dtype=np.float32))

    def dense_search_later(self, query: np.ndarray, k: int) -> Callable[[], tuple[np.ndarray, np.ndarray]]:
        """dense_search started now on another connection; calling the result waits for it. The database searches
        the HNSW graph while the app reads and adds up the keyword postings: a question waits for the longer of
        the two, not their sum (docs/performance.md, round 31)."""
        return _dense_pool().submit(self.dense_search, query, k).result

    def bm25_scores(self, tokens: list[str]) -> np.ndarray:
        """BM25 of every passage for these query tokens (a repeated token counts again, as in bm25s)."""
        return self.keyword_scores([(tokens, 1.0)])

    def keyword_scores(self, groups: list[tuple[list[str], float]]) -> np.ndarray:
        """Sum of weight x BM25 over the token groups, every score exact: each term's whole list is read.
        (Reading only the heads of impact-ordered lists changed the ranking at 1M passages, and heads with a
        bound that settles the best 60 were slower than whole lists there: docs/performance.md, round 8.)"""
        counts: dict[str, float] = {}
        for tokens, weight in groups:
            for t in tokens:
                counts[t] = counts.get(t, 0.0) + weight
        scores = np.zeros(self.n, dtype=np.float32)
        if not counts or not self.n:
            return scores
        for term, (ids, values) in self.cache.postings(list(counts)).items():
            # ufunc.at: since numpy 2 it is 2-3x faster than `scores[ids] += v` (which gathers, adds and scatters),
            # most of a question's app CPU at 1M passages (bench/bench_pg.py); a term names each passage once
            weight = counts[term]
            np.add.at(scores, ids, values if weight == 1.0 else weight * values)
        return scores

    def dense_scores(self, ids: list[int], query: np.ndarray) -> list[float]:
        if not ids:
            return []
        rows = dict(self.db.run(lambda conn: conn.execute(
            f"SELECT pos, 1 - (embedding <=> %b) FROM {self.texts_table} WHERE pos = ANY(%s)",
            (as_vector(query), [int(i) for i in ids]), binary=True).fetchall()))
        return [float(rows[int(i)]) for i in ids]

    def fetch(self, ids) -> dict[int, Chunk]:
        ids = sorted({int(i) for i in ids})
        if not ids:
            return {}
        rows = self.db.run(lambda conn: conn.execute(
            f"SELECT pos, data FROM {self.texts_table} WHERE pos = ANY(%s)", (ids,), binary=True).fetchall())
        return {pos: Chunk.from_dict(from_json(data)) for pos, data in rows}

    def chunk(self, i: int) -> Chunk:
        return self.fetch([i])[int(i)]

    def paths(self) -> set[str]:
        return {r[0] for r in self.db.run(lambda conn: conn.execute(
            f"SELECT DISTINCT path FROM {self.texts_table}").fetchall())}

    def rows_for_paths(self, paths) -> tuple[list[Chunk], np.ndarray]:
        rows = self.db.run(lambda conn: conn.execute(
            f"SELECT data, embedding FROM {self.texts_table} WHERE path = ANY(%s) ORDER BY pos",
            (sorted(paths),)).fetchall())
        if not rows:
            return [], np.zeros((0, 0), dtype=np.float32)
        chunks = [Chunk.from_dict(from_json(d)) for d, _ in rows]
        return chunks, np.array([as_array(e) for _, e in rows], dtype=np.float32)


_DENSE_POOL = None
_DENSE_POOL_LOCK = threading.Lock()


def _dense_pool():
    """Threads for dense searches started ahead (a process's chat answers 4 questions at once); with the callers'
    own connections they stay within the connection pool's 16."""
    global _DENSE_POOL
    with _DENSE_POOL_LOCK:
        if _DENSE_POOL is None:
            from concurrent.futures import ThreadPoolExecutor

            _DENSE_POOL = ThreadPoolExecutor(max_workers=4, thread_name_prefix="advisor-dense")
    return _DENSE_POOL


class PostingsCache:
    """The postings of a generation's most common terms, kept in the app once read.

    A question's keyword side reads every posting of its terms, and the common terms hold most of them: on the
    shipped corpus the terms in 5 % or more of the passages carry 79 % of the postings questions read, and they
    are 238 of 13k terms. Reading those lists again for every question cost most of the database's CPU and the
    app's receiving at 1M passages (docs/performance.md). The longest lists that fit in `budget_mb` are eligible
    (chosen once, from their stored sizes, without reading them) and kept after their first read; the rest are
    read per question. Scores are the stored ones, so keyword ranking does not change."""

    def __init__(self, db: Database, table: str, budget_mb: float, min_postings: int = 0):
        self.db = db
        self.table = table
        self.min_bytes = 4 * max(0, min_postings)
        self.budget = int(max(0.0, budget_mb) * 2**20)
        self._eligible: frozenset[str] | None = None if self.budget else frozenset()
        self._lists: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    @property
    def eligible(self) -> frozenset[str]:
        if self._eligible is None:
            # octet_length of an uncompressed TOASTed value reads its pointer, not the value
            rows = self.db.run(lambda conn: conn.execute(
                f"SELECT term FROM (SELECT term, sum(octet_length(ids) + octet_length(scores)) "
                f"OVER (ORDER BY octet_length(ids) DESC, term) AS total FROM {self.table} "
                f"WHERE octet_length(ids) >= %s) s WHERE total <= %s", (self.min_bytes, self.budget)).fetchall())
            self._eligible = frozenset(r[0] for r in rows)
        return self._eligible

    @property
    def size_mb(self) -> float:
        return sum(ids.nbytes + values.nbytes for ids, values in list(self._lists.values())) / 2**20

    def describe(self) -> dict:
        return {"budget_mb": self.budget / 2**20, "eligible_terms": len(self.eligible), "held_mb": self.size_mb}

    def fill(self) -> None:
        """Read every eligible list now, a few at a time: run in the background when a generation is loaded, so
        the first questions after a start or a rebuild find the common terms kept (a process that has answered
        many questions holds them anyway). A failure only leaves the rest to be read when asked."""
        try:
            terms = sorted(self.eligible - self._lists.keys())
            for start in range(0, len(terms), 32):
                if not self.db.is_open:  # the store was closed: a fill must not open its pool again
                    return
                self.postings(terms[start:start + 32])
        except Exception as exc:  # noqa: BLE001  (a replaced generation or a lost database: questions say so)
            log.debug("postings cache fill stopped: %s", exc)

    def postings(self, terms: list[str]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """term -> (passage positions, BM25 scores) for each of terms that has postings."""
        found = {t: self._lists[t] for t in terms if t in self._lists}
        missing = [t for t in terms if t not in found]
        if not missing:
            return found
        eligible = self.eligible
        # binary results: in text a bytea travels hex-encoded, twice its size, encoded by the server and decoded
        # by the app (a common term's postings at 1M passages are megabytes)
        sql = f"SELECT term, ids, scores FROM {self.table} WHERE term = ANY(%s)"
        for term, ids, values in self.db.run(lambda conn: conn.execute(sql, (missing,), binary=True).fetchall()):
            found[term] = (np.frombuffer(ids, dtype=np.int32), np.frombuffer(values, dtype=np.float32))
            if term in eligible:
                # kept in passage order: adding a list into the score array then walks memory in order, twice as
                # fast at 1M passages; a term names a passage once, so every sum is the same
                order = np.argsort(found[term][0], kind="stable")
                found[term] = (found[term][0][order], found[term][1][order])
                self._lists[term] = found[term]  # one assignment: threads reading the dict never see half of it
        return found


def as_array(value) -> np.ndarray:
    """A pgvector value (a Vector object, or an array in older clients) as float32."""
    value = value.to_numpy() if hasattr(value, "to_numpy") else value
    return np.asarray(value, dtype=np.float32)


def from_json(value):
    """A jsonb value as Python (psycopg decodes it; text or bytes when it was sent as such)."""
    return json.loads(value) if isinstance(value, (str, bytes)) else value
