"""What the learned resource order costs per question, against the weighted order, in the same run.

    python bench/bench_ranking.py [--n 300] [--set tests/eval/resources.jsonl]

Two Advisors on one index (ADVISOR_INDEX_DIR), one per ADVISOR_RESOURCE_RANKING, answer the same questions
alternately (so machine load hits both alike); prints the mean and p95 of `Advisor.ask` per question, and the
time the learned order itself takes (features and the model's prediction).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from advisor.config import Settings  # noqa: E402
from advisor.search.evaluate import read_questions  # noqa: E402
from advisor.service import Advisor  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--set", default="tests/eval/resources.jsonl")
    args = ap.parse_args()
    questions = [q.question for q in read_questions(Path(args.set))][: args.n]
    advisors = {name: Advisor(Settings.from_env(resource_ranking=name)) for name in ("weighted", "learned")}
    for adv in advisors.values():
        adv.ask(questions[0])  # loads the index and the model
    order = advisors["learned"].retriever.ranker.learned
    spent = []
    original = order.order

    def timed(sig, matches):
        t = time.perf_counter()
        out = original(sig, matches)
        spent.append(time.perf_counter() - t)
        return out

    order.order = timed
    times: dict[str, list[float]] = {name: [] for name in advisors}
    for q in questions:
        for name, adv in advisors.items():
            t = time.perf_counter()
            adv.ask(q)
            times[name].append(time.perf_counter() - t)
    report = {name: {"mean_ms": round(1000 * float(np.mean(v)), 1), "p95_ms": round(1000 * float(np.percentile(v, 95)), 1)}
              for name, v in times.items()}
    report["learned_order_itself"] = {"mean_ms": round(1000 * float(np.mean(spent)), 2),
                                      "p95_ms": round(1000 * float(np.percentile(spent, 95)), 2)}
    report["ratio_learned_to_weighted"] = round(float(np.mean(times["learned"]) / np.mean(times["weighted"])), 3)
    report["questions"] = len(questions)
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
