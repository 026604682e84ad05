"""Performance at scale: dense (exact vs approximate), BM25 and hybrid search at 10k-1M chunks.

    .venv/bin/python bench/bench_scale.py [--quick] [--sizes 10000,100000,1000000] [--json out.json]
    .venv/bin/python bench/bench_scale.py --tune 1000000 [--hnsw]     # parameter sweep for the approximate index

Each size runs in a fresh subprocess so its peak memory is its own. Per size:
  * dense: advisor.index._build_dense() (which switches from exact IndexFlatIP to an approximate index
    above advisor.index.APPROX_THRESHOLD), its build time, memory, query p50/p95 (k = 60, one query at a
    time, as the Retriever asks), and recall@10 against exact search on held-out queries;
  * BM25: advisor.store.hybrid.build_bm25() on synthetic texts of real words (tokenize + bm25s index), its
    throughput, memory and query p50/p95 with the real evaluation questions (topic expansion included);
  * hybrid: Retriever.search(mode="hybrid") on the combined index, encoding excluded.
Vectors are synthetic but shaped like real MiniLM embeddings: fitted on real chunk embeddings
(from ./index, $ADVISOR_INDEX_DIR or bench/.cache/real_vectors.npy written by bench_indexing.py), with
topical clusters. --dist random uses isotropic random unit vectors (a worst case for approximate search).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (  # noqa: E402
    DIM, EmbeddingModel, Timer, dump_json, machine_info, peak_rss_mb, percentiles_ms, print_table,
    random_unit_vectors, real_embeddings, real_question_mean, reset_peak_rss, rss_mb, time_calls,
)

TARGET_RECALL = 0.95
TARGET_P95_MS_1M = 50.0
K = 10  # recall@K
CANDIDATES = 60  # what Retriever asks each retriever for


def make_model(dist: str) -> EmbeddingModel:
    structure = {} if dist == "fitted" else {"w_book": 0.0, "w_section": 0.0}
    return EmbeddingModel(real_embeddings(), question_mean=real_question_mean(), **structure)


def make_vectors(dist: str, n: int, n_queries: int):
    """Indexed vectors, held-out query sets by name, and a description of where they come from."""
    if dist == "random":
        return random_unit_vectors(n, seed=1), {"random": random_unit_vectors(n_queries, seed=2)}, \
            "random: isotropic random unit vectors (worst case)"
    model = make_model(dist)
    queries = {"passage-like": model.queries(n_queries, n, "passage"), "question-like": model.queries(n_queries, n, "question")}
    return model.corpus(n), queries, f"{dist}: {model.describe()}"


def vector_stats(vectors: np.ndarray, queries: np.ndarray, gt_scores: np.ndarray) -> dict:
    rng = np.random.default_rng(3)
    a = vectors[rng.integers(0, len(vectors), 2000)]
    b = vectors[rng.integers(0, len(vectors), 2000)]
    return {"mean_pair_cosine": float((a * b).sum(1).mean()), "mean_top1_cosine": float(gt_scores[:, 0].mean()),
            "mean_top10_cosine": float(gt_scores[:, K - 1].mean())}


def recall_at_k(found: np.ndarray, truth: np.ndarray, k: int = K) -> float:
    return float(np.mean([len(set(f[:k].tolist()) & set(t[:k].tolist())) / k for f, t in zip(found, truth)]))


def search_one_by_one(index, queries: np.ndarray, k: int) -> tuple[np.ndarray, list[float]]:
    ids = np.empty((len(queries), k), dtype=np.int64)
    times = []
    for i in range(min(3, len(queries))):
        index.search(queries[i:i + 1], k)
    for i in range(len(queries)):
        t = time.perf_counter()
        _, found = index.search(queries[i:i + 1], k)
        times.append(time.perf_counter() - t)
        ids[i] = found[0]
    return ids, times


def faiss_mb(index) -> float:
    """Memory held by a FAISS index, from its data structures."""
    import faiss

    if isinstance(index, faiss.IndexIVF):
        lists = sum(index.invlists.list_size(i) for i in range(index.nlist))
        return (lists * (index.code_size + 8) + index.nlist * index.d * 4) / 2**20
    if hasattr(index, "hnsw"):
        h = index.hnsw
        return (index.ntotal * index.d * 4 + h.neighbors.size() * 4 + h.levels.size() * 4 + h.offsets.size() * 8) / 2**20
    return index.ntotal * index.d * 4 / 2**20


def dense_label(index) -> str:
    import faiss

    if isinstance(index, faiss.IndexIVF):
        return f"{type(index).__name__}(nlist={index.nlist}, nprobe={index.nprobe})"
    if hasattr(index, "hnsw"):
        return f"{type(index).__name__}(M={index.hnsw.nb_neighbors(1)}, efSearch={index.hnsw.efSearch})"
    return type(index).__name__


# --- one size, in its own process ------------------------------------------------------------------
def run_one(n: int, dist: str, n_queries: int, bm25: bool, faiss_threads: int | None) -> dict:
    import faiss

    from advisor.store import hybrid as advisor_index

    if faiss_threads:
        faiss.omp_set_num_threads(faiss_threads)
    out: dict = {"chunks": n, "faiss_threads": faiss.omp_get_max_threads(), "threshold": advisor_index.APPROX_THRESHOLD}
    base = rss_mb()
    with Timer() as t:
        vectors, queries, source = make_vectors(dist, n, n_queries)
    out.update(vectors_seconds=t.seconds, vectors_mb=vectors.nbytes / 2**20, distribution=source)

    # exact ground truth (batched: BLAS), then exact single-query latency
    flat = faiss.IndexFlatIP(DIM)
    flat.add(vectors)
    truth = {name: flat.search(q, K) for name, q in queries.items()}
    out["vector_stats"] = {name: vector_stats(vectors, q, truth[name][0]) for name, q in queries.items()}
    all_queries = np.concatenate(list(queries.values()))
    n_timed = min(len(all_queries), 100 if n >= 500_000 else 200)
    _, times = search_one_by_one(flat, all_queries[:: max(1, len(all_queries) // n_timed)], CANDIDATES)
    out["exact"] = percentiles_ms(times)
    del flat
    gc.collect()

    # the index advisor builds at this size
    reset_peak_rss()
    before = rss_mb()
    with Timer() as t:
        dense = advisor_index._build_dense(vectors)
    out["dense"] = {
        "kind": dense_label(dense), "build_seconds": t.seconds, "build_chunks_per_s": n / t.seconds,
        "mb": faiss_mb(dense), "build_peak_mb": peak_rss_mb() - before,
    }
    times, recalls = [], {}
    for name, q in queries.items():
        found, ts = search_one_by_one(dense, q, CANDIDATES)
        times += ts
        recalls[name] = recall_at_k(found, truth[name][1])
    out["dense"].update(percentiles_ms(times))
    out["dense"]["recall_at_10"] = min(recalls.values())
    out["dense"]["recall_by_queries"] = recalls
    print(f"  [{n:,}] dense {out['dense']['kind']}: build {t.seconds:.1f} s, p50 {out['dense']['p50_ms']:.2f} ms, "
          f"recall@10 {recalls}", file=sys.stderr, flush=True)

    if bm25:
        from bench_query import questions, synthetic_chunks, topics

        from advisor.store.hybrid import HybridIndex
        from advisor.store.index import LoadedIndex
        from advisor.search.retrieval import Retriever

        with Timer() as t:
            chunks = synthetic_chunks(n, seed=n)
        out["texts_seconds"] = t.seconds
        gc.collect()
        reset_peak_rss()
        before = rss_mb()
        with Timer() as t:
            bm = advisor_index.build_bm25(chunks)
        gc.collect()
        arrays = sum(getattr(v, "nbytes", 0) for v in bm.scores.values())
        out["bm25"] = {
            "build_seconds": t.seconds, "build_chunks_per_s": n / t.seconds, "mb": rss_mb() - before,
            "build_peak_mb": peak_rss_mb() - before, "arrays_mb": arrays / 2**20, "vocab": len(bm.vocab_dict),
        }
        print(f"  [{n:,}] bm25: build {t.seconds:.1f} s, {out['bm25']['arrays_mb']:.0f} MB arrays, "
              f"peak +{out['bm25']['build_peak_mb']:.0f} MB", file=sys.stderr, flush=True)
        hybrid = HybridIndex(chunks, vectors, bm25=bm, dense=dense)
        catalog = HybridIndex([], np.zeros((0, DIM), dtype=np.float32))
        retriever = Retriever(LoadedIndex(Path("."), {}, hybrid, catalog, {}, {}), None, topics())
        qs = questions()
        qvec = {q: all_queries[i % len(all_queries)] for i, q in enumerate(qs)}
        tokens = {q: retriever.query_tokens(q)[0] for q in qs}
        out["bm25"].update(percentiles_ms(time_calls(lambda q: hybrid.bm25_search(tokens[q], CANDIDATES), qs)))
        out["hybrid"] = percentiles_ms(time_calls(lambda q: retriever.search(q, k=10, mode="hybrid", qvec=qvec[q]), qs))
    out["rss_mb"] = rss_mb() - base
    out["peak_rss_mb"] = peak_rss_mb()
    return out


# --- parameter sweep ---------------------------------------------------------------------------------
def run_tune(n: int, dist: str, n_queries: int, hnsw: bool, faiss_threads: int | None,
             nlists: list[int], train_factor: int, sq8: bool = False) -> dict:
    import faiss

    if faiss_threads:
        faiss.omp_set_num_threads(faiss_threads)
    vectors, queries, source = make_vectors(dist, n, n_queries)
    flat = faiss.IndexFlatIP(DIM)
    flat.add(vectors)
    truth = {name: flat.search(q, K)[1] for name, q in queries.items()}
    all_queries = np.concatenate(list(queries.values()))
    _, times = search_one_by_one(flat, all_queries[:: max(1, len(all_queries) // 100)], CANDIDATES)
    rows = [{"index": "IndexFlatIP (exact)", "build s": 0.0, **{f"R@10 {k}": 1.0 for k in queries}, **_lat(times)}]
    print(f"tune @ {n:,} ({source}); exact p50 {rows[0]['p50 ms']:.1f} ms", file=sys.stderr, flush=True)
    del flat

    def measure(index) -> dict:
        times, rec = [], {}
        for name, q in queries.items():
            found, ts = search_one_by_one(index, q, CANDIDATES)
            times += ts
            rec[f"R@10 {name}"] = recall_at_k(found, truth[name])
        return {**rec, **_lat(times)}

    rng = np.random.default_rng(0)
    for nlist in nlists:
        quantizer = faiss.IndexFlatIP(DIM)
        index = faiss.IndexIVFFlat(quantizer, DIM, nlist, faiss.METRIC_INNER_PRODUCT)
        index.cp.niter = 10
        index.cp.spherical = True
        sample = vectors[np.sort(rng.choice(n, size=min(n, train_factor * nlist), replace=False))]
        with Timer() as t_train:
            index.train(sample)
        with Timer() as t_add:
            index.add(vectors)
        sizes = np.array([index.invlists.list_size(i) for i in range(nlist)])
        print(f"  IVF{nlist}: train {t_train.seconds:.1f} s + add {t_add.seconds:.1f} s; largest list {sizes.max()}",
              file=sys.stderr, flush=True)
        for nprobe in (16, 32, 64, 128, 256, 512, 1024):
            if nprobe > nlist // 4:
                break
            index.nprobe = nprobe
            rows.append({"index": f"IVFFlat nlist={nlist} nprobe={nprobe}", "build s": t_train.seconds + t_add.seconds,
                         **measure(index)})
            print(f"    nprobe {nprobe}: {rows[-1]}", file=sys.stderr, flush=True)
        if sq8:
            sq = faiss.IndexIVFScalarQuantizer(index.quantizer, DIM, nlist, faiss.ScalarQuantizer.QT_8bit,
                                               faiss.METRIC_INNER_PRODUCT)
            with Timer() as t_sq:
                sq.train(sample)  # the coarse quantizer is already trained: only the 8-bit ranges
                sq.add(vectors)
            build = t_train.seconds + t_sq.seconds
            print(f"  IVF{nlist},SQ8: build {build:.1f} s", file=sys.stderr, flush=True)
            for nprobe in (32, 64, 128, 256, 512, 1024):
                if nprobe > nlist // 4:
                    break
                sq.nprobe = nprobe
                rows.append({"index": f"IVFSQ8 nlist={nlist} nprobe={nprobe}", "build s": build, **measure(sq)})
                print(f"    nprobe {nprobe}: {rows[-1]}", file=sys.stderr, flush=True)
            del sq
        del index, quantizer
        gc.collect()
    if hnsw:
        for m, efc in ((32, 40),):
            index = faiss.IndexHNSWFlat(DIM, m, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = efc
            with Timer() as t_build:
                index.add(vectors)
            print(f"  HNSW M={m} efC={efc}: build {t_build.seconds:.1f} s", file=sys.stderr, flush=True)
            for ef in (32, 64, 128, 256):
                index.hnsw.efSearch = max(ef, CANDIDATES)
                rows.append({"index": f"HNSW M={m} efC={efc} efSearch={index.hnsw.efSearch}", "build s": t_build.seconds,
                             **measure(index)})
                print(f"    ef {ef}: {rows[-1]}", file=sys.stderr, flush=True)
            del index
    return {"chunks": n, "distribution": source, "rows": rows}


def run_calibrate(nlist: int = 64) -> dict:
    """IVF recall against nprobe and cosine profile: real corpus embeddings vs synthetic ones of the same size."""
    import faiss

    real = real_embeddings()
    real_q = None
    cache = Path(__file__).resolve().parent / ".cache" / "real_questions.npy"
    if cache.exists():
        real_q = np.load(cache)
    if real is None or len(real) < 2000 or real_q is None:
        raise SystemExit("--calibrate needs >= 2000 real chunk embeddings (build ./index, or set ADVISOR_INDEX_DIR) "
                         "and bench/.cache/real_questions.npy (run bench_indexing.py once)")
    faiss.omp_set_num_threads(1)
    rng = np.random.default_rng(5)
    perm = rng.permutation(len(real))
    held, base = real[perm[:300]], real[np.sort(perm[300:])]
    probes = (1, 2, 4, 8, 16)
    rows = []

    def curve(label: str, vectors: np.ndarray, queries: dict) -> None:
        flat = faiss.IndexFlatIP(DIM)
        flat.add(vectors)
        ivf = faiss.IndexIVFFlat(faiss.IndexFlatIP(DIM), DIM, nlist, faiss.METRIC_INNER_PRODUCT)
        ivf.cp.spherical, ivf.cp.niter = True, 10
        ivf.train(vectors)
        ivf.add(vectors)
        for name, q in queries.items():
            scores, gt = flat.search(q, K)
            row = {"vectors": label, "queries": name, "top1 cos": float(scores[:, 0].mean()),
                   "top10 cos": float(scores[:, K - 1].mean()), "median cos": float(np.median(q[:200] @ vectors.T))}
            for p in probes:
                ivf.nprobe = p
                row[f"R@10 np={p}"] = recall_at_k(ivf.search(q, CANDIDATES)[1], gt)
            rows.append(row)

    curve(f"real ({len(base):,})", base, {"held-out passages": held, "real questions": real_q})
    for dist in ("fitted", "gauss"):
        model = make_model(dist)
        curve(f"{dist} ({len(base):,})", model.corpus(len(base)),
              {"passage-like": model.queries(300, len(base), "passage"), "question-like": model.queries(len(real_q), len(base), "question")})
    return {"nlist": nlist, "rows": rows}


def _lat(times: list[float]) -> dict:
    s = percentiles_ms(times)
    return {"p50 ms": s["p50_ms"], "p95 ms": s["p95_ms"]}


# --- driver --------------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="10k and 100k only")
    ap.add_argument("--sizes", default=None, help="comma-separated chunk counts (default 10000,100000,1000000)")
    ap.add_argument("--dist", choices=("fitted", "gauss", "random"), default="fitted",
                    help="fitted: real-like with topics (default); gauss: real covariance, no topics; random: isotropic")
    ap.add_argument("--queries", type=int, default=300, help="held-out query vectors for recall and latency")
    ap.add_argument("--no-bm25", action="store_true", help="dense only (BM25 at 1M takes minutes and GBs)")
    ap.add_argument("--faiss-threads", type=int, default=None, help="omp threads for FAISS (default: FAISS's own)")
    ap.add_argument("--tune", type=int, metavar="N", help="sweep approximate-index parameters at N chunks instead")
    ap.add_argument("--nlist", default="1024,2048,4096", help="IVF list counts to sweep with --tune")
    ap.add_argument("--train-factor", type=int, default=40, help="training points per IVF list with --tune")
    ap.add_argument("--sq8", action="store_true", help="also IVF with 8-bit scalar quantization with --tune")
    ap.add_argument("--hnsw", action="store_true", help="also build HNSW with --tune (slow at 1M on 2 cores)")
    ap.add_argument("--calibrate", action="store_true",
                    help="compare synthetic vectors with the real corpus embeddings (IVF recall curves) and exit")
    ap.add_argument("--json", metavar="PATH")
    ap.add_argument("--_one", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--_out", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args._one:
        res = run_one(args._one, args.dist, args.queries, not args.no_bm25, args.faiss_threads)
        Path(args._out).write_text(json.dumps(res), encoding="utf-8")
        return 0
    info = machine_info()
    header = (f"advisor scale benchmark  ({info.get('cpu', '?')}, {info['cpus']} cpus, load {info['load_avg_1m']}, "
              f"faiss {info.get('faiss', '?')}, bm25s {info.get('bm25s', '?')})")
    if args.calibrate:
        print(header)
        res = run_calibrate()
        print_table(res["rows"], title=f"IVF (nlist={res['nlist']}) recall@10 against nprobe: real corpus vs synthetic, same size")
        dump_json(args.json, {"benchmark": "scale-calibrate", "machine": info, **res})
        return 0
    if args.tune:
        print(header)
        res = run_tune(args.tune, args.dist, args.queries, args.hnsw, args.faiss_threads,
                       [int(x) for x in args.nlist.split(",")], args.train_factor, args.sq8)
        print_table(res["rows"], title=f"approximate index sweep @ {args.tune:,} chunks ({res['distribution']}), "
                    f"k={CANDIDATES}, recall@{K} vs exact, {args.queries} held-out queries")
        dump_json(args.json, {"benchmark": "scale-tune", "machine": info, **res})
        return 0

    sizes = [int(s.replace("_", "")) for s in (args.sizes or ("10000,100000" if args.quick else "10000,100000,1000000")).split(",")]
    results = []
    for n in sizes:
        with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as fh:
            path = fh.name
        cmd = [sys.executable, __file__, "--_one", str(n), "--_out", path, "--dist", args.dist, "--queries", str(args.queries)]
        if args.no_bm25:
            cmd.append("--no-bm25")
        if args.faiss_threads:
            cmd += ["--faiss-threads", str(args.faiss_threads)]
        print(f"size {n:,} ...", file=sys.stderr, flush=True)
        t0 = time.perf_counter()
        proc = subprocess.run(cmd)
        if proc.returncode != 0:
            print(f"size {n:,} failed (exit {proc.returncode}); continuing", file=sys.stderr)
            results.append({"chunks": n, "failed": proc.returncode})
            continue
        res = json.loads(Path(path).read_text())
        os.unlink(path)
        res["wall_seconds"] = time.perf_counter() - t0
        results.append(res)

    print(header)
    ok = [r for r in results if "failed" not in r]
    if ok:
        print(f"vectors: {ok[0]['distribution']}; threshold for approximate search: > {ok[0]['threshold']:,} vectors; "
              f"faiss threads {ok[0]['faiss_threads']}")
    print_table([{
        "chunks": r["chunks"], "index": r["dense"]["kind"], "build s": r["dense"]["build_seconds"],
        "chunks/s": r["dense"]["build_chunks_per_s"], "MB": r["dense"]["mb"],
        "exact p50": r["exact"]["p50_ms"], "exact p95": r["exact"]["p95_ms"],
        "p50 ms": r["dense"]["p50_ms"], "p95 ms": r["dense"]["p95_ms"], "recall@10": r["dense"]["recall_at_10"],
    } for r in ok], title=f"dense search (k={CANDIDATES}, one query at a time)")
    with_bm25 = [r for r in ok if "bm25" in r]
    if with_bm25:
        print_table([{
            "chunks": r["chunks"], "build s": r["bm25"]["build_seconds"], "chunks/s": r["bm25"]["build_chunks_per_s"],
            "arrays MB": r["bm25"]["arrays_mb"], "RSS MB": r["bm25"]["mb"], "build peak MB": r["bm25"]["build_peak_mb"],
            "vocab": r["bm25"]["vocab"], "p50 ms": r["bm25"]["p50_ms"], "p95 ms": r["bm25"]["p95_ms"],
        } for r in with_bm25], title="BM25 (advisor.store.hybrid.build_bm25: keyword_tokens + bm25s; query = bm25_search)")
        print_table([{
            "chunks": r["chunks"], "hybrid p50 ms": r["hybrid"]["p50_ms"], "hybrid p95 ms": r["hybrid"]["p95_ms"],
            "process RSS MB": r["rss_mb"], "process peak MB": r["peak_rss_mb"], "wall s": r["wall_seconds"],
        } for r in with_bm25], title="hybrid (Retriever.search, encoding excluded) and memory")
    for r in ok:
        if r["chunks"] >= 1_000_000:
            d = r["dense"]
            print(f"\nat {r['chunks']:,}: recall@10 {d['recall_at_10']:.3f} (target >= {TARGET_RECALL}: "
                  f"{'MET' if d['recall_at_10'] >= TARGET_RECALL else 'MISSED'}), dense p95 {d['p95_ms']:.1f} ms "
                  f"(target < {TARGET_P95_MS_1M:.0f} ms: {'MET' if d['p95_ms'] < TARGET_P95_MS_1M else 'MISSED'})")
    dump_json(args.json, {"benchmark": "scale", "machine": info, "results": results})
    return 0 if all("failed" not in r for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
