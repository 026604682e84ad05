"""Query latency of hybrid search (dense, BM25, fused) on synthetic indexes of 10k-1M chunks.

    .venv/bin/python bench/bench_query.py [--quick] [--sizes 10000,100000] [--no-real-encoder] [--json out.json]

Chunks are synthetic texts drawn from a vocabulary of real corpus words (Zipf-like, with topical
words), so BM25 postings are realistic; vectors are random unit 384-d vectors. The index is the real
advisor.index.HybridIndex and queries go through advisor.retrieval.Retriever.search() with the real
topic vocabulary (corpus/topics.yaml) and the 165 real evaluation questions (tests/eval/*.jsonl).
A stub embedder returns a fixed random unit vector per question, so encoding is excluded; the real
query encoder is timed separately, and end to end at the largest size.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (  # noqa: E402
    DIM, REPO, Timer, dump_json, machine_info, peak_rss_mb, percentiles_ms, print_table, random_unit_vectors,
    reset_peak_rss, rss_mb, synthetic_texts, time_calls,
)

TARGET_P50_MS_100K = 30.0


class StubEmbedder:
    """Returns a fixed random unit vector per text: costs microseconds, so only search is timed."""

    name = "stub"
    dimension = DIM
    max_tokens = 256

    def token_spans(self, text):
        return []

    def encode(self, texts, batch_size=32, progress=False):
        out = np.empty((len(texts), DIM), dtype=np.float32)
        for i, t in enumerate(texts):
            seed = int.from_bytes(hashlib.blake2b(t.encode(), digest_size=4).digest(), "little")
            v = np.random.default_rng(seed).standard_normal(DIM).astype(np.float32)
            out[i] = v / np.linalg.norm(v)
        return out


def questions() -> list[str]:
    out = []
    for name in ("passages.jsonl", "resources.jsonl"):
        path = REPO / "tests" / "eval" / name
        if path.exists():
            out += [json.loads(line)["question"] for line in path.read_text().splitlines() if line.strip()]
    if not out:
        out = ["where is the spectral theorem proved", "what is the VC dimension of linear classifiers",
               "explain the KKT conditions", "a gentle introduction to Markov chains"] * 10
    return out


def topics() -> dict:
    try:
        from advisor.library.catalog import load_topics

        return load_topics(REPO / "corpus" / "topics.yaml")
    except Exception:
        return {}


def synthetic_chunks(n: int, seed: int = 0):
    from advisor.types import Chunk

    texts = synthetic_texts(n, seed=seed)
    per_file = 2000  # ~a 400-page book per file
    return [
        Chunk(id=f"{i // per_file:05d}-{i % per_file:05d}", path=f"synthetic/book-{i // per_file:04d}.pdf", text=t,
              page_start=1 + (i % per_file) // 5, page_end=1 + (i % per_file) // 5,
              section=(f"Chapter {1 + (i % per_file) // 200}", f"Section {1 + (i % per_file) // 20}"))
        for i, t in enumerate(texts)
    ]


def build_retriever(chunks, vectors, embedder, topic_map):
    from advisor.store.hybrid import HybridIndex
    from advisor.store.index import LoadedIndex
    from advisor.search.retrieval import Retriever

    texts = HybridIndex(chunks, vectors)
    catalog = HybridIndex([], np.zeros((0, DIM), dtype=np.float32))
    loaded = LoadedIndex(Path("."), {}, texts, catalog, {}, {})
    return Retriever(loaded, embedder, topic_map), texts


def dense_kind(index) -> str:
    name = type(index.dense).__name__
    extra = ""
    if hasattr(index.dense, "nprobe"):
        extra = f" nlist={index.dense.nlist} nprobe={index.dense.nprobe}"
    elif hasattr(index.dense, "hnsw"):
        extra = f" efSearch={index.dense.hnsw.efSearch}"
    return name + extra


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="10k chunks only, 60 queries")
    ap.add_argument("--sizes", default=None, help="comma-separated chunk counts (default 10000,100000)")
    ap.add_argument("--queries", type=int, default=0, help="number of questions to time (default: all 165)")
    ap.add_argument("--no-real-encoder", action="store_true", help="skip the real query encoder")
    ap.add_argument("--faiss-threads", type=int, default=None,
                    help="OpenMP threads for FAISS in the querying thread (default: FAISS's own, i.e. all cores)")
    ap.add_argument("--json", metavar="PATH")
    args = ap.parse_args(argv)
    if args.faiss_threads:
        import faiss

        faiss.omp_set_num_threads(args.faiss_threads)
    sizes = [int(s.replace("_", "")) for s in (args.sizes or ("10000" if args.quick else "10000,100000")).split(",")]
    qs = questions()
    if args.quick:
        qs = qs[:60]
    if args.queries:
        qs = (qs * (args.queries // len(qs) + 1))[: args.queries]
    topic_map = topics()
    stub = StubEmbedder()
    info = machine_info()
    print(f"advisor query benchmark  ({info.get('cpu', '?')}, {info['cpus']} cpus, load {info['load_avg_1m']}, "
          f"faiss {info.get('faiss', '?')} x{info.get('faiss_threads', '?')} threads, bm25s {info.get('bm25s', '?')})")
    import faiss

    print(f"{len(qs)} real questions per mode, k=10, {len(topic_map)} topics for query expansion, "
          f"faiss threads in the query thread: {faiss.omp_get_max_threads()}")

    rows, builds, results = [], [], {"sizes": {}}
    largest = None
    for n in sizes:
        gc.collect()
        base = rss_mb()
        with Timer() as t_data:
            chunks = synthetic_chunks(n, seed=n)
            vectors = random_unit_vectors(n, seed=n)
        data_mb = rss_mb() - base
        reset_peak_rss()
        before = rss_mb()
        with Timer() as t_build:
            retriever, idx = build_retriever(chunks, vectors, stub, topic_map)
        index_mb = rss_mb() - before
        peak = peak_rss_mb() - before
        builds.append({"chunks": n, "dense": dense_kind(idx), "data s": t_data.seconds, "build s": t_build.seconds,
                       "chunks/s": n / t_build.seconds, "data MB": data_mb, "index MB": index_mb, "build peak +MB": peak})
        qvecs = {q: stub.encode([q])[0] for q in qs}
        size_res = {}
        for mode in ("dense", "bm25", "hybrid"):
            samples = time_calls(lambda q: retriever.search(q, k=10, mode=mode, qvec=qvecs[q]), qs)
            stats = percentiles_ms(samples)
            size_res[mode] = stats
            rows.append({"chunks": n, "mode": mode, **{k: stats[k] for k in ("p50_ms", "p95_ms", "mean_ms")}})
        # the parts of a hybrid query on their own
        tokens = {q: retriever.query_tokens(q)[0] for q in qs}
        parts = {
            "topic match + tokens": lambda q: retriever.query_tokens(q),
            "faiss search only": lambda q: idx.dense_search(qvecs[q], retriever.candidates),
            "bm25 scores only": lambda q: idx.bm25_scores(tokens[q]),
        }
        for label, fn in parts.items():
            stats = percentiles_ms(time_calls(fn, qs))
            size_res[label] = stats
            rows.append({"chunks": n, "mode": f"  {label}", **{k: stats[k] for k in ("p50_ms", "p95_ms", "mean_ms")}})
        results["sizes"][n] = {"build": builds[-1], "latency": size_res}
        if n == max(sizes):
            largest = (retriever, idx, n)
        else:
            del retriever, idx
        del chunks, vectors
        gc.collect()

    print_table(builds, title="index construction (HybridIndex: BM25 tokenize+index, FAISS add; no embedding)")
    print_table(rows, ["chunks", "mode", "p50_ms", "p95_ms", "mean_ms"], title="query latency, stub encoder (search only)")

    if not args.no_real_encoder and largest is not None:
        from advisor.config import Settings
        from advisor.store.embeddings import load_embedder

        retriever, idx, n = largest
        embedder = load_embedder(Settings().model)
        embedder.encode(["warm up"] * 4)
        enc = percentiles_ms(time_calls(lambda q: embedder.encode([q]), qs))
        retriever.embedder = embedder
        e2e = percentiles_ms(time_calls(lambda q: retriever.search(q, k=10, mode="hybrid"), qs))
        real_rows = [
            {"what": "encode one question (real model)", **{k: enc[k] for k in ("p50_ms", "p95_ms", "mean_ms")}},
            {"what": f"hybrid search end to end @ {n:,}", **{k: e2e[k] for k in ("p50_ms", "p95_ms", "mean_ms")}},
        ]
        print_table(real_rows, title=f"with the real query encoder ({embedder.name})")
        results["real_encoder"] = {"encode": enc, "hybrid_end_to_end": e2e, "chunks": n}

    verdicts = []
    for n in sizes:
        if n == 100_000:
            p50 = results["sizes"][n]["latency"]["hybrid"]["p50_ms"]
            verdicts.append(f"hybrid p50 at 100k = {p50:.1f} ms (target < {TARGET_P50_MS_100K:.0f} ms, encode excluded): "
                            f"{'MET' if p50 < TARGET_P50_MS_100K else 'MISSED'}")
    for v in verdicts:
        print("\n" + v)
    results.update({"benchmark": "query", "machine": info, "queries": len(qs), "builds": builds, "rows": rows})
    dump_json(args.json, results)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    sys.exit(main())
