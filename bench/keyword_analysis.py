"""Cost of the keyword analysis with and without formula pairs, on a built index's chunks.

    .venv/bin/python bench/keyword_analysis.py --index-dir index

Both variants run in this process on the same chunks and questions; ratios are with / without.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from advisor.store import keywords  # noqa: E402
from advisor.library.catalog import load_catalog  # noqa: E402
from advisor.ingest.chunking import embedding_text  # noqa: E402
from advisor.config import Settings  # noqa: E402
from advisor.search.evaluate import read_questions  # noqa: E402
from advisor.store.index import IndexStore
from advisor.store.hybrid import build_bm25  # noqa: E402
from advisor.search.retrieval import Retriever  # noqa: E402


def measure(retriever: Retriever, questions: list[str], rounds: int) -> dict:
    idx = retriever.index.texts
    t = time.perf_counter()
    tokens = [keywords.keyword_tokens(embedding_text(c)) for c in idx.chunks]
    analysis = time.perf_counter() - t
    t = time.perf_counter()
    idx.bm25 = build_bm25(idx.chunks)
    build = time.perf_counter() - t
    t = time.perf_counter()
    for _ in range(rounds):
        for q in questions:
            retriever.keyword_scores(idx, q)
    per_query = (time.perf_counter() - t) / (rounds * len(questions))
    return {"tokens": sum(map(len, tokens)), "vocabulary": len({t for ts in tokens for t in ts}),
            "analysis_s": analysis, "bm25_build_s": build, "query_ms": per_query * 1000}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--index-dir", type=Path, default=REPO / "index")
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    settings = Settings.from_env(index_dir=args.index_dir, corpus_dir=REPO / "corpus")
    loaded = IndexStore(settings.index_dir).load()
    retriever = Retriever(loaded, None, load_catalog(settings.corpus_dir).topics)
    questions = [q.question for q in read_questions(REPO / "tests/eval/passages.jsonl")]
    saved = keywords.formula_bigrams
    rows = {}
    # with, without, with again: the better of the two "with" runs, so warm-up does not count against it
    first = measure(retriever, questions, args.rounds)
    keywords.formula_bigrams = lambda text: []
    rows["without formula pairs"] = measure(retriever, questions, args.rounds)
    keywords.formula_bigrams = saved
    again = measure(retriever, questions, args.rounds)
    rows["with formula pairs"] = {k: min(first[k], again[k]) for k in first}
    base = rows["without formula pairs"]
    print(f"{len(loaded.texts.chunks)} chunks, {len(questions)} questions x {args.rounds} rounds\n")
    print("| | keyword tokens | vocabulary | analysis s | BM25 build s | keyword scoring per query ms |")
    print("|---|---|---|---|---|---|")
    for name, r in rows.items():
        ratio = {k: r[k] / base[k] for k in r}
        print(f"| {name} | {r['tokens']:,} (x{ratio['tokens']:.3f}) | {r['vocabulary']:,} (x{ratio['vocabulary']:.2f}) | "
              f"{r['analysis_s']:.2f} (x{ratio['analysis_s']:.2f}) | {r['bm25_build_s']:.2f} (x{ratio['bm25_build_s']:.2f}) | "
              f"{r['query_ms']:.2f} (x{ratio['query_ms']:.2f}) |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
