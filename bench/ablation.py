"""Ablation of retrieval techniques on the development sets: prints a Markdown table.

    .venv/bin/python bench/ablation.py --index-dir index [--json]

Every row runs on the same index; rows differ only in query-time switches, so differences are the
techniques' own. (Index-time techniques such as math normalization are compared by building two
indexes and passing --index-dir twice.)
"""

from __future__ import annotations

import argparse
import json
import sys
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from advisor.store import keywords  # noqa: E402
from advisor.config import Settings  # noqa: E402
from advisor.search.evaluate import read_questions, run_eval  # noqa: E402
from advisor.store.hybrid import build_bm25  # noqa: E402
from advisor.service import Advisor  # noqa: E402

# formula_pairs and one_per_place are not settings: they are switched here only to measure them
PLAIN = {"query_expansion": False, "kind_boost": 0.0, "fusion": "rrf", "formula_pairs": False, "one_per_place": False}
FUSED = {**PLAIN, "query_expansion": True, "fusion": "convex"}
DEFAULTS = {"query_expansion": True, "kind_boost": 0.2, "fusion": "convex", "dense_weight": 0.7,
            "formula_pairs": True, "one_per_place": True}
CONFIGS = [
    ("BM25 only", "bm25", PLAIN),
    ("dense only", "dense", PLAIN),
    ("hybrid (RRF, k=60)", "hybrid", PLAIN),
    ("+ topic synonyms (query expansion)", "hybrid", {**PLAIN, "query_expansion": True}),
    ("+ score fusion instead of RRF (dense weight 0.5)", "hybrid", {**FUSED, "dense_weight": 0.5}),
    ("+ score fusion instead of RRF (dense weight 0.6)", "hybrid", {**FUSED, "dense_weight": 0.6}),
    ("+ score fusion instead of RRF (dense weight 0.7, default)", "hybrid", {**FUSED, "dense_weight": 0.7}),
    ("+ score fusion instead of RRF (dense weight 0.8)", "hybrid", {**FUSED, "dense_weight": 0.8}),
    ("+ passage kinds for question intent (+0.2 sd)", "hybrid", {**FUSED, "dense_weight": 0.7, "kind_boost": 0.2}),
    ("+ formula pairs in the keyword index", "hybrid", {**DEFAULTS, "one_per_place": False}),
    ("+ one passage per page and section (all defaults)", "hybrid", DEFAULTS),
    ("BM25 only, with formula pairs", "bm25", {**PLAIN, "formula_pairs": True}),
    # leave-one-out: each technique removed from the defaults, the others kept
    ("defaults without topic synonyms", "hybrid", {**DEFAULTS, "query_expansion": False}),
    ("defaults with RRF instead of score fusion", "hybrid", {**DEFAULTS, "fusion": "rrf"}),
    ("defaults without passage kinds", "hybrid", {**DEFAULTS, "kind_boost": 0.0}),
    ("defaults without formula pairs", "hybrid", {**DEFAULTS, "formula_pairs": False}),
    ("defaults without one passage per place", "hybrid", {**DEFAULTS, "one_per_place": False}),
]


@contextmanager
def keyword_analysis(adv: Advisor, formula_pairs: bool):
    """The index's keyword side re-analysed without formula pairs, for as long as the row runs."""
    if formula_pairs:
        yield
        return
    saved = keywords.formula_bigrams
    keywords.formula_bigrams = lambda text: []
    try:
        for idx in (adv.retriever.index.texts, adv.retriever.index.catalog):
            idx.bm25 = build_bm25(idx.chunks)
        yield
    finally:
        keywords.formula_bigrams = saved


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--index-dir", type=Path, action="append", required=True)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--passages", type=Path, default=REPO / "tests/eval/passages.jsonl")
    ap.add_argument("--resources", type=Path, default=REPO / "tests/eval/resources.jsonl")
    args = ap.parse_args()
    questions = read_questions(args.passages) + read_questions(args.resources)
    rows = []
    shared = None
    for index_dir in args.index_dir:
        for name, mode, switches in CONFIGS:
            settings_switches = {k: v for k, v in switches.items() if k not in ("formula_pairs", "one_per_place")}
            settings = replace(Settings.from_env(index_dir=index_dir, corpus_dir=REPO / "corpus"), **settings_switches)
            adv = Advisor(settings, embedder=shared)
            shared = adv.embedder
            adv.retriever.collapse_places = switches["one_per_place"]
            with keyword_analysis(adv, switches["formula_pairs"]):
                result = run_eval(questions, lambda q: adv.search(q, 10, mode=mode),
                                  lambda q, history: adv.converse([*history, q], k_resources=10).resources)
            label = name if len(args.index_dir) == 1 else f"{name} [{index_dir}]"
            rows.append({"config": label, "passages": result["passages"], "resources": result["resources"]})
            print(f"done: {label}", file=sys.stderr)
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    p0, r0 = rows[0]["passages"], rows[0]["resources"]
    print(f"| technique | passages hit@1 | hit@5 | MRR@10 | resources hit@1 | hit@3 | MRR@10 |")
    print("|---|---|---|---|---|---|---|")
    for row in rows:
        p, r = row["passages"], row["resources"]
        print(f"| {row['config']} | {p['hit@1']:.3f} | {p['hit@5']:.3f} | {p['mrr@10']:.3f} | "
              f"{r['hit@1']:.3f} | {r['hit@3']:.3f} | {r['mrr@10']:.3f} |")
    print(f"\npassages n={p0['n']}, resources n={r0['n']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
