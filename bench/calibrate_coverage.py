"""Calibrate the 'nothing in the corpus covers this' threshold (ADVISOR_MIN_SIMILARITY).

    .venv/bin/python bench/calibrate_coverage.py --index-dir index

Prints, for several thresholds, the share of development questions (which the corpus covers) that
would be answered and the share of off-topic questions (tests/eval/offtopic.jsonl) that would be
refused. The best cosine over passages and catalog records is the signal; topic or resource names
in the question also count as coverage (see Advisor.covers).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from advisor.config import Settings  # noqa: E402
from advisor.service import Advisor  # noqa: E402


def questions(path: Path) -> list[str]:
    return [json.loads(line)["question"] for line in path.read_text().splitlines() if line.strip()]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--index-dir", type=Path, default=REPO / "index")
    args = ap.parse_args()
    inside = questions(REPO / "tests/eval/passages.jsonl") + questions(REPO / "tests/eval/resources.jsonl")
    outside = questions(REPO / "tests/eval/offtopic.jsonl")
    base = Settings.from_env(index_dir=args.index_dir, corpus_dir=REPO / "corpus")
    adv = Advisor(base)
    vec_in = [adv.retriever.embed_query(q) for q in inside]
    vec_out = [adv.retriever.embed_query(q) for q in outside]
    print("| threshold | in-domain answered | off-topic refused |")
    print("|---|---|---|")
    for t in (0.20, 0.25, 0.30, 0.35, 0.40):
        adv.settings = replace(base, min_similarity=t)
        answered = sum(adv.covers(q, v) for q, v in zip(inside, vec_in)) / len(inside)
        refused = sum(not adv.covers(q, v) for q, v in zip(outside, vec_out)) / len(outside)
        print(f"| {t:.2f} | {answered:.3f} ({len(inside)}) | {refused:.3f} ({len(outside)}) |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
