"""Fusion variants tried for hybrid passage search, on one index: prints MRR@10 etc. per variant.

    .venv/bin/python bench/fusion_variants.py --index-dir index [--passages tests/eval/passages.jsonl]

Exploratory: each variant re-ranks the same candidates (dense top 60 and BM25 top 60, as in the
product, from the product's own query analysis) with a different fusion function. Only the winner ("score fusion,
z-scores") is in the product (advisor.retrieval.convex_fusion); the others are kept here so the
comparison in docs/evaluation.md can be re-run.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from advisor.config import Settings  # noqa: E402
from advisor.search.evaluate import passage_hit, read_questions  # noqa: E402
from advisor.search.retrieval import convex_fusion, rrf  # noqa: E402
from advisor.service import Advisor  # noqa: E402
from advisor.types import Hit  # noqa: E402

N = Settings.candidates  # per side, as in the product


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--index-dir", type=Path, default=REPO / "index")
    ap.add_argument("--passages", type=Path, default=REPO / "tests/eval/passages.jsonl")
    args = ap.parse_args()
    adv = Advisor(Settings.from_env(index_dir=args.index_dir, corpus_dir=REPO / "corpus"))
    r = adv.retriever
    idx = r.index.texts
    chunks = idx.chunks
    same_file = lambda a, b: chunks[a].path == chunks[b].path  # noqa: E731
    prev = np.array([i - 1 if i > 0 and same_file(i - 1, i) else i for i in range(len(chunks))])
    nxt = np.array([i + 1 if i + 1 < len(chunks) and same_file(i + 1, i) else i for i in range(len(chunks))])

    cases = []
    for q in (q for q in read_questions(args.passages) if q.gold):
        qv = r.embed_query(q.question)
        cosine = idx.vectors @ qv  # exact, every chunk
        bm25 = r.keyword_scores(idx, q.question)
        cases.append((q, cosine, bm25))

    def top(scores: np.ndarray, n: int = N) -> list[int]:
        order = np.argsort(-scores, kind="stable")[:n]
        return [int(i) for i in order if scores[i] > 0]

    def rank_rrf(cos, bm, k=60, n=60, full=False):
        if not full:
            fused = rrf([top(cos, n), top(bm, n)], k=k)
        else:  # each candidate's rank among all chunks, not only within the other side's short list
            cand = set(top(cos, n)) | set(top(bm, n))
            dr = np.empty(len(cos), int)
            dr[np.argsort(-cos)] = np.arange(len(cos))
            br = np.empty(len(bm), int)
            br[np.argsort(-bm, kind="stable")] = np.arange(len(bm))
            fused = {i: 1 / (k + dr[i] + 1) + (1 / (k + br[i] + 1) if bm[i] > 0 else 0) for i in cand}
        return sorted(fused, key=lambda i: -fused[i])

    def rank_convex(cos, bm, alpha=0.7, minmax=False):
        cand = list(set(top(cos)) | set(top(bm)))
        if minmax:
            d, b = cos[cand], bm[cand]
            s = alpha * (d - d.min()) / (np.ptp(d) + 1e-9) + (1 - alpha) * (b - b.min()) / (np.ptp(b) + 1e-9)
            return [cand[j] for j in np.argsort(-s)]
        fused = convex_fusion({i: float(cos[i]) for i in cand}, {i: float(bm[i]) for i in cand}, alpha)
        return sorted(fused, key=lambda i: -fused[i])

    def smoothed(lam):  # a chunk also scores by its best neighbour in the same file
        return lambda cos, bm: rank_convex(cos + lam * np.maximum(cos[prev], cos[nxt]),
                                           bm + lam * np.maximum(bm[prev], bm[nxt]))

    def feedback(beta, m=3):  # Rocchio: move the query toward its top-m dense passages
        return lambda cos, bm: rank_convex(cos + beta * (idx.vectors @ idx.vectors[top(cos, m)].mean(0)), bm)

    variants = [
        ("dense only", lambda cos, bm: top(cos)),
        ("BM25 only", lambda cos, bm: top(bm)),
        ("RRF k=60 (top-60 lists)", rank_rrf),
        ("RRF k=10", lambda cos, bm: rank_rrf(cos, bm, k=10)),
        ("RRF with full ranks", lambda cos, bm: rank_rrf(cos, bm, full=True)),
        ("RRF, dense weighted x2", lambda cos, bm: sorted(
            (f := rrf([top(cos, 60), top(bm, 60)], k=60, weights=(2.0, 1.0))), key=lambda i: -f[i])),
        *[(f"score fusion, z-scores, dense {a}", lambda cos, bm, a=a: rank_convex(cos, bm, a)) for a in (0.5, 0.6, 0.7, 0.8, 0.9)],
        *[(f"score fusion, min-max, dense {a}", lambda cos, bm, a=a: rank_convex(cos, bm, a, minmax=True)) for a in (0.7, 0.8)],
        *[(f"z 0.7 + neighbour smoothing {lam}", smoothed(lam)) for lam in (0.1, 0.2, 0.3, 0.4, 0.5)],
        *[(f"z 0.7 + dense pseudo-relevance feedback {b}", feedback(b)) for b in (0.2, 0.5)],
    ]
    print(f"| fusion (passages n={len(cases)}) | hit@1 | hit@5 | MRR@10 |")
    print("|---|---|---|---|")
    for name, rank in variants:
        h1 = h5 = mrr = 0.0
        for q, cos, bm in cases:
            order = rank(cos, bm)[:10]
            first = next((n + 1 for n, i in enumerate(order) if passage_hit(Hit(chunks[i], 0.0, ""), q.gold)), None)
            if first:
                h1 += first == 1
                h5 += first <= 5
                mrr += 1 / first
        n = len(cases)
        print(f"| {name} | {h1 / n:.3f} | {h5 / n:.3f} | {mrr / n:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
