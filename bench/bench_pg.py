"""The shared store (Postgres + pgvector) against the file store, at 100k-1M chunks, in the same run.

    .venv/bin/python bench/bench_pg.py [--quick] [--sizes 100000,1000000] [--seconds 30] [--json out.json]
        [--shared-buffers 6GB] [--keep DIR]

Starts a throw-away Postgres 16 + pgvector (the pgserver package) in a temp dir, then per size, in a
fresh subprocess (so its peak memory is its own), all Postgres figures first, then the file store's (a run
stopped half-way keeps what it measured: each stage is saved as it ends):
  * build: N synthetic chunks (bench_query.synthetic_chunks: Zipf texts of real words; vectors from
    _common.EmbeddingModel, fitted on real MiniLM embeddings) written with PgStore.write_version, timed
    by phase (COPY of chunks+vectors, BM25 postings computed in the app and COPYed, HNSW build + ANALYZE,
    switch, GC); later the same chunks written to a file store with IndexStore.write_version (BM25 + IVF + save);
  * recall@10 of pgvector HNSW (PgPassages.dense_search, k = 60 as the Retriever asks) against exact
    numpy search, on held-out question-like and passage-like query vectors, for a few hnsw.ef_search
    values (the store's default is PgPassages.ef_search); the file store's IVF for comparison;
  * one client: Retriever.search(mode="hybrid") p50/p95 per store, real evaluation questions
    (tests/eval/passages.jsonl) for the keyword side and synthetic question-like vectors
    (query encoding excluded: the vectors are given);
  * 20 concurrent clients: 2 app processes (subprocesses that open the store as the app does:
    PgStore(uri).load() or IndexStore(dir).load(), plus a Retriever), 10 threads each, for --seconds;
    p50/p95 over all queries, throughput, each process's peak RSS (VmHWM) and RSS after loading, and CPU
    per question (the app processes' own, and the Postgres processes' over the same window; /proc counts
    CPU in 10 ms ticks per process, so use --seconds >= 20: short runs under-count the database's share).
The database's server-side memory (HNSW build) is sampled as the sum of RssAnon of the postmaster's
processes. Machine load is printed: the figures depend on it.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (  # noqa: E402
    DIM, REPO, EmbeddingModel, Timer, dump_json, machine_info, peak_rss_mb, percentiles_ms, print_table,
    real_embeddings, real_question_mean, reset_peak_rss, rss_mb, status_kb,
)

K = 10  # recall@K
CANDIDATES = 60  # what the Retriever asks each side for
TARGET_P95_MS = 100.0
TARGET_APP_MB = 1024.0
EF_SWEEP = (40, 100, 200, 400)  # hnsw.ef_search; dense_search uses max(ef_search, 2k) = 120 at k = 60


# --- data ---------------------------------------------------------------------------------------------
def make_model() -> EmbeddingModel:
    return EmbeddingModel(real_embeddings(), question_mean=real_question_mean())


def eval_questions() -> list[str]:
    """The keyword side's questions: the 80 of passages.jsonl, or (--questions all) every distinct question of
    tests/eval, shuffled once, so that caches meet questions they have not seen (~7,900)."""
    if os.environ.get("_BENCH_PG_QUESTIONS") != "all":
        path = REPO / "tests" / "eval" / "passages.jsonl"
        return [json.loads(line)["question"] for line in path.read_text().splitlines() if line.strip()]
    seen: dict[str, None] = {}
    for path in sorted((REPO / "tests" / "eval").glob("*.jsonl")):
        for line in path.read_text().splitlines():
            q = json.loads(line).get("question") if line.strip() else None
            if isinstance(q, str):
                seen.setdefault(q, None)
    qs = list(seen)
    np.random.default_rng(0).shuffle(qs)
    return qs


def manifest_for(n: int) -> dict:
    from advisor.store.keywords import KEYWORDS_VERSION

    return {"format_version": 1, "fingerprint": {"dimension": DIM, "model": "synthetic"}, "model": "synthetic",
            "dimension": DIM, "keywords_version": KEYWORDS_VERSION, "roots": [], "files": {},
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "counts": {"chunks": n}}


def exact_top(vectors: np.ndarray, queries: np.ndarray, k: int) -> np.ndarray:
    """Exact inner-product top-k (vectors are unit length: cosine), batched over the corpus."""
    best_s = np.full((len(queries), 0), -np.inf, dtype=np.float32)
    best_i = np.zeros((len(queries), 0), dtype=np.int64)
    step = 200_000
    for a in range(0, len(vectors), step):
        s = queries @ vectors[a:a + step].T
        top = np.argpartition(-s, min(k, s.shape[1]) - 1, axis=1)[:, :k]
        best_s = np.concatenate([best_s, np.take_along_axis(s, top, 1)], 1)
        best_i = np.concatenate([best_i, top + a], 1)
    order = np.argsort(-best_s, axis=1, kind="stable")[:, :k]
    return np.take_along_axis(best_i, order, 1)


def recall_at_k(found: list[np.ndarray], truth: np.ndarray, k: int = K) -> float:
    return float(np.mean([len(set(f[:k].tolist()) & set(t[:k].tolist())) / k for f, t in zip(found, truth)]))


# --- server-side memory --------------------------------------------------------------------------------
def postgres_pids(pgdata: Path) -> list[int]:
    try:
        master = int((pgdata / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return []
    try:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    except OSError:
        children = []
    return [master, *(int(c) for c in children)]


class ServerMemory:
    """Peak over time of the sum of private (anonymous) memory of the Postgres processes."""

    def __init__(self, pgdata: Path):
        self.pgdata, self.peak_mb, self._stop = pgdata, 0.0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            total = sum(status_kb("RssAnon", p) for p in postgres_pids(self.pgdata)) / 1024
            self.peak_mb = max(self.peak_mb, total)
            self._stop.wait(0.5)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


# --- the build, timed by phase -------------------------------------------------------------------------
class PhaseClock:
    """Timestamps of write_version's phases, from its failpoints and its copy helpers."""

    def __init__(self):
        self.marks: list[tuple[str, float]] = []
        self.notices: list[str] = []

    def mark(self, name: str) -> None:
        self.marks.append((name, time.perf_counter()))

    def install(self):
        import psycopg

        from advisor.store import postgres

        clock = self
        real_failpoint, real_chunks, real_terms = postgres.failpoint, postgres._copy_chunks, postgres._copy_terms
        real_connect = psycopg.connect

        def failpoint(name):
            clock.mark(name)
            real_failpoint(name)

        def copy_chunks(conn, table, *args):
            real_chunks(conn, table, *args)
            clock.mark(f"copied {table.rsplit('_', 1)[-1]}")

        def copy_terms(conn, table, chunks):
            real_terms(conn, table, chunks)
            clock.mark("copied terms")

        def connect(*args, **kwargs):  # pgvector's NOTICEs (e.g. "hnsw graph no longer fits into maintenance_work_mem")
            conn = real_connect(*args, **kwargs)
            conn.add_notice_handler(lambda diag: clock.notices.append(f"{diag.severity}: {diag.message_primary}"))
            return conn

        postgres.failpoint, postgres._copy_chunks, postgres._copy_terms = failpoint, copy_chunks, copy_terms
        psycopg.connect = connect

    def phases(self, t0: float, t_end: float) -> dict[str, float]:
        at = dict(self.marks)
        get = at.get
        staging = get("staging", t0)
        texts = get("copied texts", staging)
        catalog = get("copied catalog", texts)
        terms = get("copied terms", catalog)
        written = get("embedding-written", terms)
        before = get("before-pointer", written)
        after = get("after-pointer", before)
        return {"copy_chunks_s": texts - staging, "postings_s": terms - catalog, "hnsw_analyze_s": before - written,
                "switch_s": after - before, "gc_s": t_end - after, "other_s": (staging - t0) + (catalog - texts)}


def pg_sizes(uri: str) -> dict:
    import psycopg

    with psycopg.connect(uri, autocommit=True) as conn:
        gen = conn.execute("SELECT generation FROM advisor_current").fetchone()[0]
        p = f"advisor_g{gen}"
        row = conn.execute(
            f"SELECT pg_table_size('{p}_texts'), pg_indexes_size('{p}_texts'), pg_total_relation_size('{p}_impact'), "
            f"pg_database_size(current_database())").fetchone()
        hnsw = conn.execute(
            "SELECT pg_relation_size(indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "JOIN pg_am a ON a.oid = c.relam WHERE i.indrelid = %s::regclass AND a.amname = 'hnsw'",
            (f"{p}_texts",)).fetchone()
        settings = dict(conn.execute(
            "SELECT name, setting || coalesce(unit, '') FROM pg_settings WHERE name IN ('shared_buffers', "
            "'max_parallel_maintenance_workers', 'max_connections', 'work_mem', 'effective_cache_size')").fetchall())
        versions = conn.execute("SELECT current_setting('server_version'), "
                                "(SELECT extversion FROM pg_extension WHERE extname = 'vector')").fetchone()
    mb = 2**20
    return {"texts_table_mb": row[0] / mb, "texts_indexes_mb": row[1] / mb, "hnsw_mb": (hnsw[0] if hnsw else 0) / mb,
            "terms_mb": row[2] / mb, "database_mb": row[3] / mb, "settings": settings,
            "postgres": versions[0], "pgvector": versions[1]}


# --- a Retriever over a loaded store (no model: query vectors are given) -------------------------------
def open_loaded(kind: str, where: str):
    if kind == "pg":
        from advisor.store.postgres import PgStore

        from advisor.config import Settings

        store = PgStore(where, postings_cache_mb=Settings.from_env().postings_cache_mb)
    else:
        from advisor.store.index import IndexStore

        store = IndexStore(Path(where))
    return store, store.load()


def make_retriever(loaded):
    from bench_query import topics

    from advisor.search.retrieval import Retriever

    return Retriever(loaded, None, topics())


def query_plan(n_corpus: int, n: int, offset: int = 0):
    """(question text, question-like vector) pairs: real questions for the keywords, synthetic vectors."""
    qs = eval_questions()
    vecs = make_model().queries(n, n_corpus, "question", seed=11)
    return [(qs[(offset + i) % len(qs)], vecs[i]) for i in range(n)]


def one_client(retriever, plan) -> dict:
    for q, v in plan[:5]:
        retriever.search(q, k=10, mode="hybrid", qvec=v)
    times = []
    for q, v in plan:
        t = time.perf_counter()
        retriever.search(q, k=10, mode="hybrid", qvec=v)
        times.append(time.perf_counter() - t)
    return percentiles_ms(times)


# --- an app process for the concurrent test --------------------------------------------------------------
def run_worker(kind: str, where: str, n: int, threads: int, seconds: float, start_file: str, out: str,
               seed: int, think: float = 0.0) -> int:
    t0 = time.perf_counter()
    if os.environ.get("_BENCH_PG_SYNC_DENSE"):  # the baseline of round 31's overlap: dense search, then keywords
        from advisor.store.pg_passages import PgPassages

        PgPassages.dense_search_later = lambda self, q, k: (lambda found: lambda: found)(self.dense_search(q, k))
    store, loaded = open_loaded(kind, where)
    retriever = make_retriever(loaded)
    load_s = time.perf_counter() - t0
    for th in threading.enumerate():  # the postings cache fills in the background at load: measure once it has
        if th.name == "advisor-postings":
            th.join(300)
    fill_s = time.perf_counter() - t0 - load_s
    plan = query_plan(n, 400, offset=400 * seed)
    rng = np.random.default_rng(seed)
    for q, v in plan[:5]:
        retriever.search(q, k=10, mode="hybrid", qvec=v)
    after_load = {"rss_after_load_mb": rss_mb(), "peak_after_load_mb": peak_rss_mb(), "load_s": load_s,
                  "postings_fill_s": fill_s}
    Path(out + ".ready").write_text("1")
    while not Path(start_file).exists():  # all processes start together
        time.sleep(0.05)
    import resource

    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    stop = time.perf_counter() + seconds
    lat: list[list[float]] = [[] for _ in range(threads)]
    errors = [0] * threads

    def client(j: int) -> None:
        own = rng if j == 0 else np.random.default_rng(seed * 100 + j)
        order = own.permutation(len(plan))
        i = 0
        if think:  # paced clients start spread out, as learners do, not all at the same instant
            time.sleep(own.uniform(0, think))
        while time.perf_counter() < stop:
            q, v = plan[order[i % len(order)]]
            i += 1
            t = time.perf_counter()
            try:
                retriever.search(q, k=10, mode="hybrid", qvec=v)
            except Exception:  # noqa: BLE001  (counted and reported, as a client would see it)
                errors[j] += 1
                continue
            lat[j].append(time.perf_counter() - t)
            if think:  # a learner reads the answer before asking again: exponential think time
                time.sleep(min(own.exponential(think), max(0.0, stop - time.perf_counter())))

    pool = [threading.Thread(target=client, args=(j,)) for j in range(threads)]
    for th in pool:
        th.start()
    for th in pool:
        th.join()
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    Path(out).write_text(json.dumps({
        "cpu_s": (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime),
        **after_load, "latencies": [x for part in lat for x in part], "errors": sum(errors),
        "seconds": seconds, "peak_rss_mb": peak_rss_mb(), "rss_mb": rss_mb(),
        "postings_cache_mb": getattr(getattr(loaded.texts, "cache", None), "size_mb", None),
    }))
    # the parent reads the database processes' CPU before they exit: a backend gone is not counted
    measured = Path(str(start_file) + ".measured")
    deadline = time.perf_counter() + 60
    while not measured.exists() and time.perf_counter() < deadline:
        time.sleep(0.05)
    store.close()
    return 0


def server_cpu(pgdata: Path) -> dict[int, float]:
    """CPU seconds used so far by each Postgres process alive now (utime + stime)."""
    tick = os.sysconf("SC_CLK_TCK")
    out = {}
    for pid in postgres_pids(pgdata):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            out[pid] = (int(fields[11]) + int(fields[12])) / tick
        except (OSError, IndexError, ValueError):
            continue
    return out


def server_cpu_since(before: dict[int, float], pgdata: Path) -> float:
    """CPU the Postgres processes used since `before` (processes that exited meanwhile are not counted)."""
    return sum(cpu - before.get(pid, 0.0) for pid, cpu in server_cpu(pgdata).items())


def concurrent(kind: str, where: str, n: int, processes: int, threads: int, seconds: float,
               pgdata: Path | None = None, think: float = 0.0) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="bench-pg-workers-"))
    start = tmp / "start"
    procs, outs = [], []
    for p in range(processes):
        out = str(tmp / f"w{p}.json")
        outs.append(out)
        procs.append(subprocess.Popen([sys.executable, __file__, "--_worker", kind, "--_where", where, "--_n", str(n),
                                       "--_threads", str(threads), "--seconds", str(seconds), "--_start", str(start),
                                       "--_out", out, "--_seed", str(p + 1), "--think", str(think)]))
    t_load = time.perf_counter()
    while not all(Path(o + ".ready").exists() for o in outs):
        if any(pr.poll() not in (None, 0) for pr in procs):
            raise RuntimeError(f"a {kind} worker failed")
        time.sleep(0.1)
    load_wall = time.perf_counter() - t_load
    db0 = server_cpu(pgdata) if pgdata else {}
    start.write_text("go")
    while not all(Path(o).exists() for o in outs) and all(pr.poll() is None for pr in procs):
        time.sleep(0.05)
    db_cpu = server_cpu_since(db0, pgdata) if pgdata else None  # the workers' backends are still connected
    Path(str(start) + ".measured").write_text("1")  # now the workers may close their connections
    for pr in procs:
        pr.wait()
    res = [json.loads(Path(o).read_text()) for o in outs]
    shutil.rmtree(tmp, ignore_errors=True)
    lat = [x for r in res for x in r["latencies"]]
    app_cpu = sum(r.get("cpu_s", 0.0) for r in res)
    return {**percentiles_ms(lat), "qps": len(lat) / seconds, "errors": sum(r["errors"] for r in res),
            "app_cpu_ms_per_query": 1000 * app_cpu / max(1, len(lat)),
            "db_cpu_ms_per_query": (1000 * db_cpu / max(1, len(lat))) if db_cpu is not None else None,
            "processes": processes, "threads": threads, "seconds": seconds, "think_s": think, "load_wall_s": load_wall,
            "per_process": [{k: v for k, v in r.items() if k != "latencies"} for r in res]}


# --- one size, in its own process --------------------------------------------------------------------------
def run_one(n: int, uri: str, pgdata: Path, out_path: Path, seconds: float, n_queries: int, skip_file: bool,
            reuse: bool = False, think: float = 0.0) -> dict:
    from bench_query import synthetic_chunks

    from advisor.store.postgres import PgStore

    out: dict = {"chunks": n}

    def save(stage: str) -> None:  # partial results survive a stopped run
        out["stage"] = stage
        out_path.write_text(json.dumps(out, default=str))
        print(f"  [{n:,}] {stage} ({time.strftime('%H:%M:%S')})", file=sys.stderr, flush=True)

    with Timer() as t:
        model = make_model()
        vectors = model.corpus(n)
        chunks = synthetic_chunks(n, seed=n)
    out.update(data_seconds=t.seconds, distribution=model.describe())
    resources = {"resources": [], "files": {}}
    catalog = ([], np.zeros((0, DIM), dtype=np.float32))
    save("data made")

    probe = PgStore(uri)
    reused = reuse and (probe.read_manifest() or {}).get("counts", {}).get("chunks") == n  # --keep, same size
    probe.close()
    if reused:
        out["pg_build"] = {"reused": True, **pg_sizes(uri)}
    else:
        build_pg(uri, pgdata, chunks, vectors, catalog, resources, manifest_for(n), out)
    save("postgres build")
    measured = run_queries(n, uri, pgdata, out, model, vectors, seconds, n_queries, save, think)
    if not skip_file:
        run_file_store(n, out, chunks, vectors, catalog, resources, seconds, save, *measured, think=think)
    out["bench_peak_rss_mb"] = peak_rss_mb()
    save("done")
    return out


def build_pg(uri, pgdata, chunks, vectors, catalog, resources, manifest, out) -> None:
    from advisor.store.postgres import PgStore

    clock = PhaseClock()
    clock.install()
    store = PgStore(uri)
    store.ensure_schema()
    reset_peak_rss()
    base = rss_mb()
    with ServerMemory(pgdata) as server, Timer() as t:
        t0 = time.perf_counter()
        with store.lock():
            store.write_version((chunks, vectors), catalog, resources, manifest)
        t_end = time.perf_counter()
    out["pg_build"] = {"total_s": t.seconds, **clock.phases(t0, t_end), "app_peak_mb": peak_rss_mb() - base,
                       "server_peak_anon_mb": server.peak_mb, "notices": sorted(set(clock.notices)),
                       **pg_sizes(uri)}
    store.close()


def run_queries(n, uri, pgdata, out, model, vectors, seconds, n_queries, save, think=0.0):
    """Recall, one client and 20 clients on the Postgres store; returns what the file store's turn reuses."""
    # recall@10 against exact search (ground truth kept for the file store's turn)
    qsets = {"question-like": model.queries(n_queries, n, "question", seed=2),
             "passage-like": model.queries(n_queries, n, "passage", seed=3)}
    truth = {name: exact_top(vectors, q, K) for name, q in qsets.items()}
    pg_store, pg_loaded = open_loaded("pg", uri)
    texts = pg_loaded.texts
    default_ef = texts.ef_search
    rows = []
    for ef in sorted({max(e, 2 * CANDIDATES) for e in EF_SWEEP}):
        texts.ef_search = ef
        row = {"ef_search": ef}
        times = []
        for name, q in qsets.items():
            found = []
            for v in q[:3]:
                texts.dense_search(v, CANDIDATES)
            for v in q:
                t1 = time.perf_counter()
                found.append(texts.dense_search(v, CANDIDATES)[0])
                times.append(time.perf_counter() - t1)
            row[name] = recall_at_k(found, truth[name])
        row.update(percentiles_ms(times))
        rows.append(row)
    texts.ef_search = default_ef  # back to the store's default for the hybrid tests
    out["pg_recall"] = rows
    save("pg recall")

    # one client, hybrid; then 20 concurrent clients over 2 app processes; per postings cache size asked
    plan = query_plan(n, 200)
    pg_store.close()
    del pg_loaded, texts
    sweep = []
    for cache_mb in postings_caches():
        os.environ["ADVISOR_POSTINGS_CACHE_MB"] = str(cache_mb)  # the workers open the store as the app does
        _store, loaded = open_loaded("pg", uri)
        row = {"postings_cache_mb": cache_mb, "pg_one": one_client(make_retriever(loaded), plan)}
        _store.close()
        del loaded
        save(f"pg one client (cache {cache_mb} MB) p95 {row['pg_one']['p95_ms']:.1f} ms")
        row["pg_conc"] = concurrent("pg", uri, n, 2, 10, seconds, pgdata)
        save(f"pg 20 clients (cache {cache_mb} MB) p95 {row['pg_conc']['p95_ms']:.1f} ms")
        if think:
            row["pg_paced"] = concurrent("pg", uri, n, 2, 10, seconds, pgdata, think)
            save(f"pg 20 paced clients (cache {cache_mb} MB) p95 {row['pg_paced']['p95_ms']:.1f} ms")
        sweep.append(row)
    out.update(sweep[-1])  # the last size asked (the app's default unless --postings-cache says otherwise)
    out["pg_cache_sweep"] = sweep
    return qsets, truth, plan


def postings_caches() -> list[float]:
    """--postings-cache's sizes (MB), else the app's default."""
    from advisor.config import Settings

    asked = os.environ.get("_BENCH_PG_CACHES")
    return [float(x) for x in asked.split(",")] if asked else [Settings().postings_cache_mb]


def run_file_store(n, out, chunks, vectors, catalog, resources, seconds, save, qsets, truth, plan,
                   think: float = 0.0) -> None:
    """The file store, same chunks, same queries."""
    from advisor.store.index import IndexStore

    file_dir = Path(tempfile.mkdtemp(prefix="bench-pg-filestore-"))
    fstore = IndexStore(file_dir)
    reset_peak_rss()
    base = rss_mb()
    with Timer() as t, fstore.lock():
        fstore.write_version((chunks, vectors), catalog, resources, manifest_for(n))
    out["file_build"] = {"total_s": t.seconds, "app_peak_mb": peak_rss_mb() - base,
                         "disk_mb": sum(f.stat().st_size for f in file_dir.rglob("*") if f.is_file()) / 2**20}
    save(f"file build {t.seconds:.0f} s")
    del chunks, vectors
    _f_store, f_loaded = open_loaded("file", str(file_dir))
    found_t = {}
    times = []
    for name, q in qsets.items():
        found = []
        for v in q:
            t1 = time.perf_counter()
            found.append(f_loaded.texts.dense_search(v, CANDIDATES)[0])
            times.append(time.perf_counter() - t1)
        found_t[name] = recall_at_k(found, truth[name])
    out["file_recall"] = {"index": type(f_loaded.texts.dense).__name__, **found_t, **percentiles_ms(times)}
    save("file recall")
    out["file_one"] = one_client(make_retriever(f_loaded), plan)
    del f_loaded
    save(f"file one client p95 {out['file_one']['p95_ms']:.1f} ms")
    out["file_conc"] = concurrent("file", str(file_dir), n, 2, 10, seconds)
    save(f"file 20 clients p95 {out['file_conc']['p95_ms']:.1f} ms")
    if think:
        out["file_paced"] = concurrent("file", str(file_dir), n, 2, 10, seconds, think=think)
        save(f"file 20 paced clients p95 {out['file_paced']['p95_ms']:.1f} ms")
    shutil.rmtree(file_dir, ignore_errors=True)


# --- driver ---------------------------------------------------------------------------------------------------
def start_server(shared_buffers: str, keep: Path | None = None):
    """A throw-away server (or, with `keep`, one whose data stays there for --reuse), configured as
    docs/deployment.md advises: `shared_buffers` large enough for the HNSW index (pgserver's default is 128 MB;
    at 1M passages the index is ~2 GB and every search then reads pages through the kernel)."""
    import pgserver

    data = keep or Path(tempfile.mkdtemp(prefix="bench-pg-"))
    data.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(data, cleanup_mode="stop")
    server.psql(f"ALTER SYSTEM SET shared_buffers = '{shared_buffers}';")  # read at start: restart once
    server.cleanup()
    return pgserver.get_server(data, cleanup_mode="stop" if keep else "delete"), data


def default_shared_buffers() -> str:
    """A quarter of the RAM, as docs/deployment.md advises, at most 8 GB."""
    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return f"{max(128, min(8192, total // 4 // 2**20))}MB"


def report(results: list[dict], info: dict, seconds: float) -> None:
    ok = [r for r in results if "pg_build" in r]
    if not ok:
        return
    b0 = ok[0]["pg_build"]
    print(f"Postgres {b0['postgres']}, pgvector {b0['pgvector']} (pgserver), settings {b0['settings']}; "
          f"HNSW m=16 ef_construction=64 (pgvector defaults), maintenance_work_mem sized by PgStore.build_memory")
    if ok[0].get("distribution"):
        print(f"vectors: {ok[0]['distribution']}")
    built = [r for r in ok if not r["pg_build"].get("reused")]
    print_table([{
        "chunks": r["chunks"], "PG total s": r["pg_build"]["total_s"], "COPY chunks s": r["pg_build"]["copy_chunks_s"],
        "postings s": r["pg_build"]["postings_s"], "HNSW+ANALYZE s": r["pg_build"]["hnsw_analyze_s"],
        "switch+GC s": r["pg_build"]["switch_s"] + r["pg_build"]["gc_s"],
        "server peak MB": r["pg_build"]["server_peak_anon_mb"], "HNSW MB": r["pg_build"]["hnsw_mb"],
        "DB MB": r["pg_build"]["database_mb"],
        "file total s": r.get("file_build", {}).get("total_s", ""), "file disk MB": r.get("file_build", {}).get("disk_mb", ""),
    } for r in built], title="build (no embedding): Postgres write_version by phase vs file store write_version")
    for r in ok:
        if r["pg_build"].get("reused"):
            print(f"  [{r['chunks']:,}] Postgres: passages reused from an earlier --keep run (no build figures)")
        elif r["pg_build"]["notices"]:
            print(f"  [{r['chunks']:,}] server notices: {r['pg_build']['notices']}")
    rec = [r for r in ok if "pg_recall" in r]
    if rec:
        rows = []
        for r in rec:
            for row in r["pg_recall"]:
                rows.append({"chunks": r["chunks"], "index": "pgvector HNSW", "ef_search": row["ef_search"],
                             "R@10 question-like": row["question-like"], "R@10 passage-like": row["passage-like"],
                             "p50 ms": row["p50_ms"], "p95 ms": row["p95_ms"]})
            if "file_recall" in r:
                f = r["file_recall"]
                rows.append({"chunks": r["chunks"], "index": f"file {f['index']}", "ef_search": "",
                             "R@10 question-like": f["question-like"], "R@10 passage-like": f["passage-like"],
                             "p50 ms": f["p50_ms"], "p95 ms": f["p95_ms"]})
        print_table(rows, title=f"dense recall@{K} vs exact (k={CANDIDATES}, one query at a time; store default "
                                f"ef_search = max(PgPassages.ef_search, 2k))")
    rows = []
    for r in ok:
        for kind, name in (("pg", "Postgres"), ("file", "file")):
            if f"{kind}_one" not in r:
                continue
            c = r.get(f"{kind}_conc", {})
            procs = c.get("per_process", [])
            rows.append({
                "chunks": r["chunks"], "store": name, "1 client p50": r[f"{kind}_one"]["p50_ms"],
                "1 client p95": r[f"{kind}_one"]["p95_ms"], "20 clients p50": c.get("p50_ms", ""),
                "20 clients p95": c.get("p95_ms", ""), "q/s": c.get("qps", ""), "errors": c.get("errors", ""),
                "app CPU ms/q": c.get("app_cpu_ms_per_query", ""),
                "DB CPU ms/q": c.get("db_cpu_ms_per_query") if c.get("db_cpu_ms_per_query") is not None else "",
                "app load s": max((p["load_s"] for p in procs), default=""),
                "app RSS loaded MB": max((p["rss_after_load_mb"] for p in procs), default=""),
                "app peak MB": max((p["peak_rss_mb"] for p in procs), default=""),
            })
    print_table(rows, title=f"hybrid Retriever.search (encoding excluded); 20 clients = 2 app processes x 10 threads "
                            f"for {seconds:.0f} s; app memory = max over the 2 processes")
    print_cache_sweep(ok)
    paced = [{"chunks": r["chunks"], "store": name, "think s": c["think_s"], "p50": c["p50_ms"], "p95": c["p95_ms"],
              "q/s": c["qps"], "errors": c["errors"]}
             for r in ok for kind, name in (("pg", "Postgres"), ("file", "file")) if (c := r.get(f"{kind}_paced"))]
    print_table(paced, title="20 paced clients (2 app processes x 10 threads), each asking, then waiting an "
                             "exponential think time: latency at a learner's pace, not at saturation")
    for r in ok:
        if r["chunks"] >= 1_000_000 and "pg_conc" in r:
            c = r["pg_conc"]
            mem = max(p["peak_rss_mb"] for p in c["per_process"])
            paced = r.get("pg_paced")
            paced_note = (f"; 20 paced clients (think {paced['think_s']:g} s, {paced['qps']:.1f} questions/s) p95 "
                          f"{paced['p95_ms']:.0f} ms ({'MET' if paced['p95_ms'] <= TARGET_P95_MS else 'MISSED'})"
                          if paced else "")
            print(f"\nat {r['chunks']:,}: Postgres 20 back-to-back clients p95 {c['p95_ms']:.0f} ms (target <= "
                  f"{TARGET_P95_MS:.0f}: {'MET' if c['p95_ms'] <= TARGET_P95_MS else 'MISSED'}){paced_note}; app "
                  f"process peak {mem:.0f} MB (target <= {TARGET_APP_MB:.0f}: {'MET' if mem <= TARGET_APP_MB else 'MISSED'})")


def print_cache_sweep(ok: list[dict]) -> None:
    """The query figures per postings cache size, when --postings-cache asked for several."""
    sweep = [{"chunks": r["chunks"], "postings cache MB": row["postings_cache_mb"],
              "held MB": max((p.get("postings_cache_mb") or 0 for p in row["pg_conc"]["per_process"]), default=0),
              "1 client p50": row["pg_one"]["p50_ms"], "1 client p95": row["pg_one"]["p95_ms"],
              "20 clients p50": row["pg_conc"]["p50_ms"], "20 clients p95": row["pg_conc"]["p95_ms"],
              "q/s": row["pg_conc"]["qps"], "app CPU ms/q": row["pg_conc"]["app_cpu_ms_per_query"],
              "DB CPU ms/q": row["pg_conc"]["db_cpu_ms_per_query"] or "",
              "paced p95": row.get("pg_paced", {}).get("p95_ms", ""),
              "app peak MB": max(p["peak_rss_mb"] for p in row["pg_conc"]["per_process"])}
             for r in ok for row in r.get("pg_cache_sweep", []) if len(r["pg_cache_sweep"]) > 1]
    print_table(sweep, title="Postgres, per postings cache size (--postings-cache), the same run: held MB = what "
                             "the cache held at the end; paced p95 = 20 paced clients (--think)")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="10k chunks, 10 s of concurrent load")
    ap.add_argument("--sizes", default=None, help="comma-separated chunk counts (default 100000; the issue asks 1000000)")
    ap.add_argument("--seconds", type=float, default=None, help="duration of the concurrent test (default 30; 10 with --quick)")
    ap.add_argument("--queries", type=int, default=200, help="held-out query vectors per kind for recall")
    ap.add_argument("--skip-file", action="store_true", help="Postgres only (no file-store comparison)")
    ap.add_argument("--shared-buffers", default=None,
                    help="the server's shared_buffers (default: a quarter of the RAM, at most 8 GB)")
    ap.add_argument("--keep", metavar="DIR", help="keep the server's data in DIR; a later run with the same DIR "
                    "and size reuses the written passages instead of building them again")
    ap.add_argument("--think", type=float, default=0.0, metavar="S",
                    help="also run 20 paced clients: each waits an exponential think time of mean S seconds between "
                         "questions, as learners reading answers do (the back-to-back run measures throughput)")
    ap.add_argument("--postings-cache", metavar="MB[,MB]", help="the shared store's postings cache per app process "
                    "(ADVISOR_POSTINGS_CACHE_MB); several sizes run the query tests once each, in the same run "
                    "(e.g. 0,256: without and with)")
    ap.add_argument("--questions", choices=("passages", "all"), default="passages",
                    help="the keyword side's questions: the 80 of tests/eval/passages.jsonl (default, as in earlier "
                         "rounds) or all ~7,900 distinct questions of tests/eval")
    ap.add_argument("--json", metavar="PATH")
    ap.add_argument("--_one", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--_uri", help=argparse.SUPPRESS)
    ap.add_argument("--_pgdata", help=argparse.SUPPRESS)
    ap.add_argument("--_out", help=argparse.SUPPRESS)
    ap.add_argument("--_worker", help=argparse.SUPPRESS)
    ap.add_argument("--_where", help=argparse.SUPPRESS)
    ap.add_argument("--_n", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--_threads", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--_start", help=argparse.SUPPRESS)
    ap.add_argument("--_seed", type=int, default=1, help=argparse.SUPPRESS)
    ap.add_argument("--_reuse", action="store_true", help=argparse.SUPPRESS)
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    seconds = args.seconds or (10.0 if args.quick else 30.0)
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("bm25s").setLevel(logging.WARNING)

    if args._worker:
        return run_worker(args._worker, args._where, args._n, args._threads, seconds, args._start, args._out, args._seed,
                          args.think)
    if args._one:
        run_one(args._one, args._uri, Path(args._pgdata), Path(args._out), seconds, args.queries, args.skip_file,
                args._reuse, args.think)
        return 0

    os.environ["_BENCH_PG_QUESTIONS"] = args.questions  # read by every subprocess's eval_questions()
    if args.postings_cache:
        os.environ["_BENCH_PG_CACHES"] = args.postings_cache
    sizes = [int(s.replace("_", "")) for s in (args.sizes or ("10000" if args.quick else "100000")).split(",")]
    info = machine_info()
    shared_buffers = args.shared_buffers or default_shared_buffers()
    info["shared_buffers"] = shared_buffers
    server, pgdata = start_server(shared_buffers, Path(args.keep).resolve() if args.keep else None)
    results = []
    try:
        for n in sizes:
            db = f"bench_{n}"
            if not (args.keep and db in server.psql("SELECT datname FROM pg_database;")):
                server.psql(f"CREATE DATABASE {db};")
            uri = server.get_uri(db)
            out = Path(tempfile.mkstemp(suffix=".json", prefix="bench-pg-")[1])
            print(f"size {n:,} (load {os.getloadavg()[0]:.1f}) ...", file=sys.stderr, flush=True)
            t0 = time.perf_counter()
            proc = subprocess.run([sys.executable, __file__, "--_one", str(n), "--_uri", uri, "--_pgdata", str(pgdata),
                                   "--_out", str(out), "--seconds", str(seconds), "--queries", str(args.queries),
                                   *(["--skip-file"] if args.skip_file else []), "--think", str(args.think),
                                   *(["--_reuse"] if args.keep else [])], check=False)
            res = json.loads(out.read_text()) if out.stat().st_size else {"chunks": n}
            out.unlink()
            res["wall_seconds"] = time.perf_counter() - t0
            res["load_avg_1m_after"] = round(os.getloadavg()[0], 2)
            if proc.returncode != 0:
                res["failed"] = proc.returncode
                print(f"size {n:,} failed (exit {proc.returncode}) at stage {res.get('stage')!r}", file=sys.stderr)
            results.append(res)
            if not args.keep:
                server.psql(f"DROP DATABASE IF EXISTS {db} WITH (FORCE);")
    finally:
        server.cleanup()
    print(f"advisor shared-store benchmark  ({info.get('cpu', '?')}, {info['cpus']} cpus, load at start "
          f"{info['load_avg_1m']}, after each size {[r.get('load_avg_1m_after') for r in results]}, "
          f"faiss {info.get('faiss', '?')}, bm25s {info.get('bm25s', '?')})")
    report(results, info, seconds)
    for r in results:
        print(f"size {r['chunks']:,}: wall {r['wall_seconds']:.0f} s"
              + (f", FAILED at stage {r.get('stage')!r}" if "failed" in r else ""))
    dump_json(args.json, {"benchmark": "pg", "machine": info, "seconds": seconds, "results": results})
    return 0 if all("failed" not in r for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
