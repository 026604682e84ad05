"""The shared store: every version ("generation") of the index in Postgres + pgvector.

A build writes a new generation into its own tables, then one transaction makes it current; readers
in any process see the old generation or the new one, never half of one. A killed build leaves a
'building' generation that the next build drops. Builds exclude each other with an advisory lock,
held by a connection, so a killed builder's lock goes with its connection. The schema is described
(and migrated) here; docs/deployment.md explains it to operators.
"""

from __future__ import annotations

import json
import logging
import threading
from contextlib import contextmanager
from typing import Iterator

import numpy as np

from ..config import Settings
from ..errors import IndexBusyError, IndexCorruptError, NoIndexError, StoreError
from ..types import Chunk, Resource
from .hybrid import HybridIndex, build_bm25, keywords_current, resource_codes
from .index import LoadedIndex, failpoint, resource_of
from .pg_passages import Database, PgPassages, as_array, from_json

log = logging.getLogger("advisor")
SCHEMA_VERSION = 1
LOCK_KEY = 0x61647669736F72  # "advisor": the advisory lock that serializes builds
GENERATION_TABLES = ("texts", "catalog", "terms", "impact")  # "terms": generations written before impact order
SCHEMA = """
CREATE EXTENSION IF NOT EXISTS vector;
CREATE TABLE IF NOT EXISTS advisor_schema (version int NOT NULL);
CREATE TABLE IF NOT EXISTS advisor_generations (
    id bigserial PRIMARY KEY,
    state text NOT NULL CHECK (state IN ('building', 'ready')),
    created_at timestamptz NOT NULL DEFAULT now(),
    ready_at timestamptz,
    dimension int NOT NULL,
    n_texts int,
    manifest jsonb,
    resources jsonb,
    resource_names jsonb,
    resource_codes bytea
);
CREATE TABLE IF NOT EXISTS advisor_current (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    generation bigint NOT NULL REFERENCES advisor_generations (id)
);
"""


class PgStore:
    """Same interface as IndexStore (store/index.py): lock, write_version, load, read_manifest, versions."""

    def __init__(self, uri: str, postings_cache_mb: float = Settings.postings_cache_mb,
                 ef_search: int = Settings.hnsw_ef_search):
        self.db = Database(uri)
        self.postings_cache_mb = postings_cache_mb
        self.ef_search = ef_search
        self.label = self.db.label
        self._schema_ready = False
        self._schema_lock = threading.Lock()

    # --- schema -------------------------------------------------------------------------------------
    def ensure_schema(self) -> None:
        if self._schema_ready:
            return
        with self._schema_lock:
            if not self._schema_ready:
                self._migrate()
                self._schema_ready = True

    def _migrate(self) -> None:
        import psycopg

        try:
            with psycopg.connect(self.db.uri, autocommit=True, connect_timeout=10) as conn:
                if _schema_version(conn) == SCHEMA_VERSION:
                    return  # nothing to create: read-only roles and hot standbys serve from here
                # one migrator at a time, across processes
                conn.execute("SELECT pg_advisory_lock(%s)", (LOCK_KEY + 1,))
                try:
                    conn.execute(SCHEMA)
                    row = conn.execute("SELECT version FROM advisor_schema").fetchone()
                    if row is None:
                        conn.execute("INSERT INTO advisor_schema VALUES (%s)", (SCHEMA_VERSION,))
                    elif row[0] > SCHEMA_VERSION:
                        raise StoreError(f"the shared index at {self.label} has schema version {row[0]}, newer than "
                                         f"this advisor ({SCHEMA_VERSION}): upgrade advisor")
                finally:
                    conn.execute("SELECT pg_advisory_unlock(%s)", (LOCK_KEY + 1,))
        except psycopg.Error as exc:
            reason = (str(exc).splitlines() or [type(exc).__name__])[0][:120]
            raise StoreError(f"cannot open the shared index at {self.label} ({reason})") from None

    # --- versions -----------------------------------------------------------------------------------
    def current_generation(self) -> int | None:
        self.ensure_schema()
        row = self.db.run(lambda conn: conn.execute("SELECT generation FROM advisor_current").fetchone())
        return int(row[0]) if row else None

    def current_version(self) -> str | None:
        gen = self.current_generation()
        return f"generation {gen}" if gen is not None else None

    def exists(self) -> bool:
        return self.current_generation() is not None

    def read_manifest(self) -> dict | None:
        self.ensure_schema()
        row = self.db.run(lambda conn: conn.execute(
            "SELECT g.manifest FROM advisor_current c JOIN advisor_generations g ON g.id = c.generation").fetchone())
        return from_json(row[0]) if row else None

    def load(self) -> LoadedIndex:
        self.ensure_schema()

        def read(conn):
            row = conn.execute(
                "SELECT g.id, g.manifest, g.resources, g.n_texts, g.resource_names, g.resource_codes "
                "FROM advisor_current c JOIN advisor_generations g ON g.id = c.generation").fetchone()
            if row is None:
                return None
            catalog = conn.execute(f"SELECT data, embedding FROM {_prefix(row[0])}_catalog ORDER BY pos").fetchall()
            impact = conn.execute("SELECT to_regclass(%s)", (f"{_prefix(row[0])}_impact",)).fetchone()[0] is not None
            return row, catalog, impact

        found = self.db.run(read)
        if found is None:
            raise NoIndexError(f"no index in {self.label} yet: run `advisor index` first")
        (gen, manifest, resources_raw, n_texts, names, codes), catalog_rows, impact = found
        manifest, resources_raw = from_json(manifest), from_json(resources_raw)
        if not keywords_current(manifest):
            raise IndexCorruptError(f"the index in {self.label} was built with an older keyword analysis; "
                                    "run `advisor index`")
        resources = {r["id"]: Resource.from_dict(r) for r in resources_raw["resources"]}
        dimension = int(manifest["fingerprint"]["dimension"])
        cat_chunks = [Chunk.from_dict(from_json(d)) for d, _ in catalog_rows]
        cat_vectors = np.array([as_array(e) for _, e in catalog_rows],
                               dtype=np.float32).reshape(len(cat_chunks), dimension)
        texts = PgPassages(self.db, _prefix(gen), int(n_texts), np.frombuffer(codes, dtype=np.int32), from_json(names),
                           impact_ordered=impact, cache_mb=self.postings_cache_mb, ef_search=self.ef_search)
        if texts.cache.budget:
            threading.Thread(target=texts.cache.fill, daemon=True, name="advisor-postings").start()
        return LoadedIndex(None, manifest, texts, HybridIndex(cat_chunks, cat_vectors), resources,
                           dict(resources_raw["files"]), manifest.get("roots", []), version=f"generation {gen}")

    # --- building -----------------------------------------------------------------------------------
    @contextmanager
    def lock(self) -> Iterator[None]:
        """Serialize builds across processes and machines: a second build fails at once, clearly."""
        import psycopg

        self.ensure_schema()
        try:
            conn = psycopg.connect(self.db.uri, autocommit=True, connect_timeout=10)
        except psycopg.Error as exc:
            raise StoreError(f"cannot open the shared index at {self.label} ({str(exc).splitlines()[0][:120]})") from None
        try:
            if not conn.execute("SELECT pg_try_advisory_lock(%s)", (LOCK_KEY,)).fetchone()[0]:
                holder = conn.execute(
                    "SELECT a.pid, a.client_addr FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                    "WHERE l.locktype = 'advisory' AND l.objid = %s AND l.granted", (LOCK_KEY & 0xFFFFFFFF,)).fetchone()
                who = f"database backend {holder[0]}" if holder else "another process"
                raise IndexBusyError(f"another `advisor index` is already building the shared index in {self.label} "
                                     f"({who}); wait for it to finish")
            try:
                yield
            finally:
                # unlock explicitly: a closed session's locks are released only when its backend has exited,
                # and the next build may already be asking (a killed builder's lock goes with its session)
                try:
                    conn.execute("SELECT pg_advisory_unlock(%s)", (LOCK_KEY,))
                except psycopg.Error:  # the connection is gone, and the lock with it
                    pass
        finally:
            conn.close()

    def write_version(self, texts: tuple[list[Chunk], np.ndarray], catalog: tuple[list[Chunk], np.ndarray],
                      resources: dict, manifest: dict) -> None:
        """Write a new generation into its own tables; one transaction then makes it current."""
        import psycopg

        try:
            self._write(texts, catalog, resources, manifest)
        except psycopg.Error as exc:  # the generation being written is never current: the next build drops it
            reason = (str(exc).splitlines() or [type(exc).__name__])[0][:160]
            raise StoreError(f"cannot write the index into {self.label} ({reason}); the previous one is still "
                             "served") from None

    def _write(self, texts, catalog, resources: dict, manifest: dict) -> None:
        import psycopg
        from pgvector.psycopg import register_vector

        chunks, vectors = texts
        dimension = int(manifest["fingerprint"]["dimension"])
        codes, names = resource_codes(chunks, lambda c: resource_of(c, resources["files"]))
        with psycopg.connect(self.db.uri, autocommit=True) as conn:
            register_vector(conn)
            gen = conn.execute("INSERT INTO advisor_generations (state, dimension) VALUES ('building', %s) "
                               "RETURNING id", (dimension,)).fetchone()[0]
            failpoint("staging")
            _create_tables(conn, gen, dimension)
            _copy_chunks(conn, f"{_prefix(gen)}_texts", chunks, vectors)
            _copy_chunks(conn, f"{_prefix(gen)}_catalog", *catalog)
            _copy_terms(conn, f"{_prefix(gen)}_impact", chunks)
            failpoint("embedding-written")
            conn.execute(f"SET maintenance_work_mem = '{build_memory(len(chunks), dimension)}'")
            conn.execute(f"CREATE INDEX ON {_prefix(gen)}_texts USING hnsw (embedding vector_cosine_ops)")
            conn.execute(f"ANALYZE {_prefix(gen)}_texts")
            failpoint("before-pointer")
            with conn.transaction():
                conn.execute(
                    "UPDATE advisor_generations SET state = 'ready', ready_at = now(), n_texts = %s, manifest = %s, "
                    "resources = %s, resource_names = %s, resource_codes = %s WHERE id = %s",
                    (len(chunks), json.dumps(manifest), json.dumps(resources), json.dumps(names), codes.tobytes(), gen))
                conn.execute("INSERT INTO advisor_current (singleton, generation) VALUES (true, %s) "
                             "ON CONFLICT (singleton) DO UPDATE SET generation = EXCLUDED.generation", (gen,))
            failpoint("after-pointer")
            self.collect_garbage(conn, keep=gen)

    def collect_garbage(self, conn, keep: int) -> None:
        """Drop killed builds' generations and all but the current and the previous ready one.

        The previous one stays until the next build: a question that read the old pointer a moment
        before the switch still finds its tables."""
        import psycopg

        rows = conn.execute("SELECT id, state FROM advisor_generations ORDER BY id DESC").fetchall()
        ready_before = [gid for gid, state in rows if state == "ready" and gid < keep]
        spare = set(ready_before[:1]) | {keep}
        conn.execute("SET lock_timeout = '5s'")
        for gid, _state in rows:
            if gid in spare:
                continue
            try:
                for part in GENERATION_TABLES:
                    conn.execute(f"DROP TABLE IF EXISTS {_prefix(gid)}_{part}")
                conn.execute("DELETE FROM advisor_generations WHERE id = %s", (gid,))
            except psycopg.Error as exc:  # a long reader holds it: the next build drops it
                log.warning("generation %s not dropped yet: %s", gid, str(exc).splitlines()[0])

    def generations(self) -> list[tuple[int, str]]:
        self.ensure_schema()
        return self.db.run(lambda conn: conn.execute(
            "SELECT id, state FROM advisor_generations ORDER BY id").fetchall())

    def close(self) -> None:
        self.db.close()


def _schema_version(conn) -> int | None:
    if conn.execute("SELECT to_regclass('advisor_schema')").fetchone()[0] is None:
        return None
    row = conn.execute("SELECT version FROM advisor_schema").fetchone()
    return int(row[0]) if row else None


def build_memory(n: int, dimension: int) -> str:
    """maintenance_work_mem for an HNSW build: the graph of n vectors must fit, or pgvector slows ~7x
    once it spills (bench/bench_pg.py at 1M: ~1,000 -> ~150 tuples/s past the 1 GB it had)."""
    need_mb = int(n * (dimension * 4 + 16 * 2 * 8 + 64) * 1.25 / 2**20) + 64
    return f"{max(256, need_mb)}MB"


def _prefix(gen: int) -> str:
    return f"advisor_g{int(gen)}"


def _create_tables(conn, gen: int, dimension: int) -> None:
    p = _prefix(gen)
    for part in ("texts", "catalog"):
        conn.execute(f"CREATE TABLE {p}_{part} (pos int PRIMARY KEY, path text NOT NULL, data jsonb NOT NULL, "
                     f"embedding vector({int(dimension)}) NOT NULL)")
    conn.execute(f"CREATE TABLE {p}_impact (term text PRIMARY KEY, ids bytea NOT NULL, scores bytea NOT NULL)")
    # stored uncompressed: positions and float scores barely compress, and a read then skips decompressing them
    conn.execute(f"ALTER TABLE {p}_impact ALTER COLUMN ids SET STORAGE EXTERNAL, "
                 f"ALTER COLUMN scores SET STORAGE EXTERNAL")
    conn.execute(f"CREATE INDEX ON {p}_texts (path)")


def _copy_chunks(conn, table: str, chunks: list[Chunk], vectors: np.ndarray) -> None:
    with conn.cursor().copy(f"COPY {table} (pos, path, data, embedding) FROM STDIN WITH (FORMAT BINARY)") as copy:
        copy.set_types(["int4", "text", "jsonb", "vector"])
        for pos, (chunk, vec) in enumerate(zip(chunks, vectors)):
            copy.write_row((pos, chunk.path, chunk.to_dict(),
                            np.asarray(vec, dtype=np.float32)))


def _copy_terms(conn, table: str, chunks: list[Chunk]) -> None:
    """Each term's postings as bm25s computed them: passage positions and their precomputed scores, highest
    score first (impact order; queries read whole lists, see PgPassages.keyword_scores)."""
    bm25 = build_bm25(chunks)
    if bm25 is None:
        return
    data, indices, indptr = (np.asarray(bm25.scores[k]) for k in ("data", "indices", "indptr"))
    with conn.cursor().copy(f"COPY {table} (term, ids, scores) FROM STDIN WITH (FORMAT BINARY)") as copy:
        copy.set_types(["text", "bytea", "bytea"])
        for term, tid in bm25.vocab_dict.items():
            if tid + 1 >= len(indptr):  # bm25s's own empty-token entry has no column
                continue
            start, end = int(indptr[tid]), int(indptr[tid + 1])
            if term and end > start:
                order = np.argsort(-data[start:end], kind="stable")
                copy.write_row((term, indices[start:end][order].astype(np.int32).tobytes(),
                                data[start:end][order].astype(np.float32).tobytes()))
