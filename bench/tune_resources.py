"""Choose the resource-ranking weights by cross-validation on the development questions.

Signals are computed once per question (the expensive part: passages, record similarities); then every
weight combination of a small grid is scored offline. 5-fold cross-validation on the development set
reports how well the choice generalizes; the held-out set is only reported, with the weights chosen on
the whole development set, never used to choose.

    python bench/tune_resources.py [--dev tests/eval/resources.jsonl tests/eval/resources_a.jsonl ...]
                                   [--heldout tests/eval/resources_heldout_c.jsonl]

The held-out set is read only when `--heldout` is given (report once, at the end; never while choosing).
These weights make the weighted order (ADVISOR_RESOURCE_RANKING=weighted); the default learned order re-orders its
best 30 and reads its scores, so after a change of weights retrain it with bench/train_ranker.py.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from advisor.config import Settings  # noqa: E402
from advisor.search.evaluate import read_questions, summarize  # noqa: E402
from advisor.search.signals import SIGNALS, WEIGHTS  # noqa: E402
from advisor.service import Advisor  # noqa: E402

# the development sets: A and B were held out in rounds 1-3 of issue #14 and became development sets in round 4,
# when a new held-out set (resources_heldout_c) was written; resources_e and resources_f were written for round 5,
# beside a new held-out set (resources_heldout_d)
# resources_h was written for round 7 (the types weakest on the held-out set G).
# resources_k, resources_m and resources_n were written for round 9 (the types weakest on the held-out sets; named
# as learners name; follow-ups as learners post them), resources_o for round 10 (level and prerequisites),
# resources_q and resources_r for round 11 (prerequisites, follow-up, level; all eight types), resources_t for round 12
# (named as learners name, level, prerequisites), resources_17 for round 17 (level, prerequisites, follow-up),
# resources_18 for round 18 (level, prerequisites, follow-up, comparison), resources_19 for round 19 (level,
# prerequisites, follow-up, topic-depth, named), resources_20 for round 20 (level, prerequisites, follow-up, topic-depth,
# comparison), resources_20b (named in context, level) and resources_20c (named and follow-up in contrastive pairs),
# resources_21, 21b and 21c for round 21 (chat, emails, practical constraints), resources_22 and 22b for round 22 (forms,
# problem-framed questions, options weighed; near neighbours)
DEV_SETS = ("resources", "resources_a", "resources_b", "resources_e", "resources_f", "resources_h", "resources_j",
            "resources_k", "resources_m", "resources_n", "resources_o", "resources_q", "resources_r", "resources_t",
            "resources_u", "resources_x", "resources_y", "resources_z", "resources_17",
            "resources_18", "resources_19", "resources_20", "resources_20b", "resources_20c", "resources_21",
            "resources_21b", "resources_21c", "resources_22", "resources_22b", "resources_23", "resources_23b",
            "resources_24", "resources_24b", "resources_25", "resources_25b", "resources_25c",
            "resources_26", "resources_26b", "resources_27", "resources_27b", "resources_28", "resources_28b",
            "resources_29", "resources_29b", "resources_30", "resources_30b")

# Round 22 let `drop` vary again and added `axis`, the strength of the factor along a move (15,552 settings, ~3 min
# per fit).
# Round 5 narrowed the grid around round 4's choice (named 1, drop 0.4 and paper 0.8 held) to make room for the
# new signals, `advised` and `authority`: 2,592 settings, ~1 min per fit
GRID = {
    "named": (1.0,),
    "fields": (0.5, 1.0, 2.0),
    "dense": (1.0, 2.0),
    "topics": (0.0, 0.5, 1.0),
    "evidence": (0.25,),  # kept as a floor (see signals.WEIGHTS); CV chose 0 on rich records
    "related": (0.5, 1.0, 2.0),
    "advised": (0.5, 1.0, 2.0),
    "lift": (1.3, 1.8),
    "drop": (0.4, 0.7),
    "paper": (0.8,),
    "free": (1.0, 1.1),
    "authority": (0.0, 0.1, 0.2, 0.4),
    "axis": (0.1, 0.25, 1.0),
}


def cached_signals(adv: Advisor, questions) -> list[dict]:
    """Per question: a (resources x signals) matrix, preference counts, axis factors, and the gold mask."""
    retriever = adv.retriever
    ids = sorted(adv.loaded.resources)
    titles = [adv.loaded.resources[r].title for r in ids]
    out = []
    for q in questions:
        text = retriever.speller.fix(q.question)  # as Advisor.ask reads it
        qvec = retriever.embed_query(text)
        passages = retriever.search(text, 20, None, qvec=qvec)
        sig = retriever.resource_signals(text, passages, qvec)
        values = np.array([[sig.values.get(name, {}).get(rid, 0.0) for name in SIGNALS] for rid in ids])
        met = np.array([sig.prefs.get(rid, (0, 0))[0] for rid in ids])
        contradicted = np.array([sig.prefs.get(rid, (0, 0))[1] for rid in ids])
        axis = np.array([0.0 if rid in sig.excluded else sig.axis.get(rid, 1.0) for rid in ids])
        first = np.array([rid in sig.choice for rid in ids])
        unasked = np.array([rid in sig.unasked for rid in ids])
        free = np.array([rid in sig.free for rid in ids])
        authority = np.array([sig.authority.get(rid, 0.0) for rid in ids])
        gold = np.array([q.resource_gold(rid, t) for rid, t in zip(ids, titles)])
        out.append({"q": q, "values": values, "met": met, "con": contradicted, "axis": axis, "gold": gold, "first": first,
                    "unasked": unasked, "free": free, "authority": authority})
    return out


def _stacked(cached) -> dict:
    """The cached questions as arrays (questions x resources [x signals]), so that a weight setting is scored
    for all questions at once."""
    if _STACKS.get("of") is not cached:  # the list itself is kept, so an identity check is safe
        _STACKS.clear()
        _STACKS.update(of=cached, **{f: np.stack([c[f] for c in cached]) for f in ("values", "met", "con", "axis",
                                                                               "gold", "first", "unasked", "free",
                                                                               "authority")})
    return _STACKS


_STACKS: dict = {}


def ranks(cached, weights) -> list[int | None]:
    st = _stacked(cached)
    w = np.array([weights[name] for name in SIGNALS])
    scores = ((st["values"] @ w) * weights["lift"] ** st["met"] * weights["drop"] ** st["con"]
              * st["axis"] ** weights["axis"]
              * np.where(st["unasked"], weights["paper"], 1.0) * np.where(st["free"], weights["free"], 1.0)
              * (1.0 + weights["authority"] * st["authority"]))
    scores = np.where(st["first"] & (scores > 0), scores + 1e6, scores)  # "A or B?": A and B first
    gold_scores = np.where(st["gold"] & (scores > 0), scores, -np.inf)
    good = gold_scores.max(axis=1)
    # ties are broken as the product breaks them, by resource id (ids are sorted, so by column): a tie with a
    # resource of a smaller id ranks that one first
    first_gold = np.argmax(gold_scores == good[:, None], axis=1)
    columns = np.arange(scores.shape[1])[None, :]
    ties = ((scores == good[:, None]) & (columns < first_gold[:, None])).sum(axis=1)
    rank = 1 + (scores > good[:, None]).sum(axis=1) + ties
    return [int(r) if np.isfinite(g) and r <= 10 else None for r, g in zip(rank, good)]


def mrr(rs) -> float:
    return sum(1.0 / r for r in rs if r) / max(len(rs), 1)


def best_weights(cached) -> dict:
    best, best_key = None, None
    for values in itertools.product(*GRID.values()):
        w = dict(zip(GRID, values))
        rs = ranks(cached, w)
        key = (round(mrr(rs), 6), sum(1 for r in rs if r == 1))
        if best_key is None or key > best_key:
            best, best_key = w, key
    return best


def per_type(cached, rs) -> dict:
    groups: dict[str, list] = {}
    for c, r in zip(cached, rs):
        groups.setdefault(c["q"].type or "untyped", []).append(r)
    return {t: summarize(v, (1, 3)) for t, v in sorted(groups.items())}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dev", nargs="+", default=[f"tests/eval/{n}.jsonl" for n in DEV_SETS])
    ap.add_argument("--heldout", default=None)
    ap.add_argument("--folds", type=int, default=5)
    args = ap.parse_args()
    adv = Advisor(Settings.from_env())
    dev = [q for name in args.dev for q in read_questions(Path(name)) if q.gold_titles or q.gold_ids]
    cached = cached_signals(adv, dev)
    order = list(range(len(cached)))
    random.Random(0).shuffle(order)
    cv_ranks: list = [None] * len(cached)
    for f in range(args.folds):
        test = set(order[f::args.folds])
        train = [c for i, c in enumerate(cached) if i not in test]
        w = best_weights(train)
        held = sorted(test)
        for i, r in zip(held, ranks([cached[i] for i in held], w)):
            cv_ranks[i] = r
    chosen = best_weights(cached)
    report = {
        "current_weights": WEIGHTS,
        "current_dev": summarize(ranks(cached, WEIGHTS), (1, 3)),
        "cross_validated_dev": summarize(cv_ranks, (1, 3)),
        "chosen_on_all_dev": chosen,
        "dev_with_chosen": summarize(ranks(cached, chosen), (1, 3)),
    }
    if args.heldout and Path(args.heldout).exists():
        held = cached_signals(adv, [q for q in read_questions(Path(args.heldout)) if q.gold_titles or q.gold_ids])
        report["heldout_current"] = summarize(ranks(held, WEIGHTS), (1, 3))
        report["heldout_with_chosen"] = summarize(ranks(held, chosen), (1, 3))
        report["heldout_by_type_current"] = per_type(held, ranks(held, WEIGHTS))
    report["dev_by_type_current"] = per_type(cached, ranks(cached, WEIGHTS))
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
