"""Train the learned resource order (search/learned.py) on the development questions, and cross-validate it.

Each development question is asked as the evaluation asks it (`Advisor.converse`, the weighted order); the
ranker's features for the weighted score's best 30 records are recorded with which of them is gold. 5-fold
cross-validation (questions split at random, each fold scored by a model trained on the other four) reports
how the learned order generalizes against the weighted one on the same questions; then one model is trained on
all of them and written to src/advisor/search/ranker.lgb.txt. Held-out sets are never read here.

    python bench/train_ranker.py [--index-dir /tmp/idx] [--folds 5] [--out PATH] [--no-write] [--cache ROWS.pkl]

`--cache` keeps the collected rows (the slow part, ~5 minutes) for the next run, while the features are the same.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import random
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from advisor.config import Settings  # noqa: E402
from advisor.search.evaluate import read_questions, summarize  # noqa: E402
from advisor.search.learned import FEATURES, HEAD, MODEL_PATH, features  # noqa: E402
from advisor.search.preferences import varied  # noqa: E402
from advisor.service import Advisor  # noqa: E402
from tune_resources import DEV_SETS  # noqa: E402

# ~4,900 questions of ~30 candidates each. The size was chosen once, by 5-fold cross-validation with whole sets
# held out together (a set's style unseen in training, as a held-out set's is), over leaves 7-63 and 100-800
# rounds (docs/evaluation.md, round 30): 31 leaves and 400 rounds had the best hit@3 and all but the best MRR@10.
PARAMS = dict(objective="lambdarank", learning_rate=0.05, num_leaves=31, min_data_in_leaf=50, bagging_fraction=0.8,
              bagging_freq=1, feature_fraction=0.8, lambdarank_truncation_level=10, seed=0, deterministic=True,
              force_row_wise=True, num_threads=2, verbose=-1)
ROUNDS = 400
CONVERSATION_SETS = ("conversations", "conversations_b", "conversations_c", "conversations_d", "conversations_e",
                     "conversations_f")


class _Recorder:
    """Stands in for the learned order while the weighted one answers: keeps every head it was given."""

    def __init__(self):
        self.calls: list[tuple[np.ndarray, list[str], list[str]]] = []

    def order(self, sig, matches):
        out = varied(matches)
        head = matches[:HEAD]
        self.calls.append((features(sig, head), [m.resource.id for m in head], [m.resource.id for m in out]))
        return out


def collect(adv: Advisor, questions) -> list[dict]:
    """Per (set name, Question) with gold: the features of the head its answer was ordered from, the gold mask,
    its type and set. The advisor's own order is put back afterwards."""
    ranker = adv.retriever.ranker
    recorder, kept = _Recorder(), ranker.learned
    ranker.learned = recorder
    rows = []
    try:
        for name, q in questions:
            if not (q.gold_ids or q.gold_titles):
                continue
            recorder.calls.clear()
            answer = adv.converse([*(q.history or []), q.question], k_resources=10, k_passages=5)
            shown = [m.resource.id for m in answer.resources]
            # the call that answered the last message: its order is the one shown
            call = next((c for c in reversed(recorder.calls) if c[2][:len(shown)] == shown and shown), None)
            if call is None or len(call[1]) == 0:
                continue
            resources = adv.loaded.resources
            gold = np.array([q.resource_gold(rid, resources[rid].title) for rid in call[1]])
            rows.append({"x": call[0], "gold": gold, "type": q.type or "untyped", "set": name, "id": q.id})
    finally:
        ranker.learned = kept
    return rows


def development_questions() -> list:
    return [(name, q) for name in (*DEV_SETS, *CONVERSATION_SETS)
            for q in read_questions(ROOT / "tests" / "eval" / f"{name}.jsonl")]


def _rank(scores: np.ndarray, gold: np.ndarray) -> int | None:
    if not gold.any():
        return None
    order = np.argsort(-scores, kind="stable")
    r = int(np.flatnonzero(gold[order])[0]) + 1
    return r if r <= 10 else None


def fit(rows):
    """A LightGBM Booster trained on `rows` (collect's)."""
    import lightgbm

    data = lightgbm.Dataset(np.vstack([r["x"] for r in rows]), np.concatenate([r["gold"].astype(int) for r in rows]),
                            group=[len(r["gold"]) for r in rows], feature_name=list(FEATURES))
    return lightgbm.train(PARAMS, data, num_boost_round=ROUNDS)


def cross_validate(rows, folds: int) -> list:
    order = list(range(len(rows)))
    random.Random(0).shuffle(order)
    ranks: list = [None] * len(rows)
    for f in range(folds):
        test = set(order[f::folds])
        model = fit([r for i, r in enumerate(rows) if i not in test])
        for i in test:
            ranks[i] = _rank(model.predict(rows[i]["x"]), rows[i]["gold"])
    return ranks


def _cached(path: Path) -> list[dict] | None:
    """The rows a run kept, when they were collected with today's features and sets (else None: collect)."""
    if not path.exists():
        return None
    with open(path, "rb") as f:
        kept = pickle.load(f)
    same = kept.get("features") == FEATURES and kept.get("sets") == (*DEV_SETS, *CONVERSATION_SETS)
    return kept["rows"] if same else None


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--out", default=str(MODEL_PATH))
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--index-dir", default=None)
    ap.add_argument("--cache", default=None)
    args = ap.parse_args()
    if args.index_dir:
        os.environ["ADVISOR_INDEX_DIR"] = args.index_dir
    rows = _cached(Path(args.cache)) if args.cache else None
    if rows is None:
        adv = Advisor(Settings.from_env(resource_ranking="weighted"))
        rows = collect(adv, development_questions())
        if args.cache:
            with open(args.cache, "wb") as f:
                pickle.dump({"features": FEATURES, "sets": (*DEV_SETS, *CONVERSATION_SETS), "rows": rows}, f)
    weighted = [_rank(-np.arange(len(r["gold"]), dtype=float), r["gold"]) for r in rows]
    learned = cross_validate(rows, args.folds)
    report = {"questions": len(rows), "weighted": summarize(weighted, (1, 3)),
              "learned_cross_validated": summarize(learned, (1, 3)), "by_type": {}}
    for t in sorted({r["type"] for r in rows}):
        idx = [i for i, r in enumerate(rows) if r["type"] == t]
        report["by_type"][t] = {"weighted": summarize([weighted[i] for i in idx], (1, 3)),
                                "learned": summarize([learned[i] for i in idx], (1, 3))}
    print(json.dumps(report, indent=1))
    if not args.no_write:
        fit(rows).save_model(args.out)
        print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
