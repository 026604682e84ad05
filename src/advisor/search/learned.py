"""The order of the best-scored records, learned from the development questions.

The weighted score (signals.py) adds its signals with one set of weights for every question. Which signal should
decide depends on the others: a name outweighs the topics unless the learner is moving away from it, a level fit
matters when the record also covers the topic, and so on. A gradient-boosted ranker (LightGBM, lambdarank) reads
the signals of the weighted score's best `HEAD` records and re-orders them. Every feature is a property of the
question's signals or of the record's catalog fields, never a record id, so a record a learner adds is ranked
like any other. The model is trained by bench/train_ranker.py on the development sets only; docs/evaluation.md
reports it beside the weighted score on the held-out sets.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..errors import UserInputError
from ..fileops import sha256_file
from ..types import LEVELS, MATH_DEPTHS, RESOURCE_KINDS, Resource, ResourceMatch
from .signals import SIGNALS, Signals

MODEL_PATH = Path(__file__).with_name("ranker.lgb.txt")
HEAD = 30  # records re-ordered; the rest keep the weighted order below them
# what the question is, the same for every record of it: a tree can then weigh a signal by the kind of question
ASKED = ("before", "next", "compares", "away", "easier", "earlier", "deeper", "sideways", "named", "lacks", "knows",
         "level_asked", "depth_asked", "kind_asked", "access_asked")
_UNSAID = {"level_asked": np.nan, "depth_asked": np.nan}  # a question that asks no level is not asking for intro
FEATURES = (*SIGNALS, "met", "contradicted", "axis", "choice", "unasked", "free_prior", "authority", "share",
            "position", "spread", "level", "depth", "free", "n_prerequisites", "n_topics",
            *(f"kind_{k}" for k in RESOURCE_KINDS), *(f"asked_{a}" for a in ASKED), "level_gap", "depth_gap")


def features(sig: Signals, head: list[ResourceMatch]) -> np.ndarray:
    """One row per record of `head` (in the weighted order, each match's `score` the weighted score), one column
    per name in FEATURES."""
    scores = np.array([m.score for m in head], dtype=np.float64)
    top = max(float(scores.max()), 1e-12) if len(scores) else 1.0
    spread = float(np.sort(scores)[-2] / top) if len(scores) > 1 else 0.0
    asked = [sig.asked.get(a, _UNSAID.get(a, 0.0)) for a in ASKED]
    rows = []
    for pos, (m, score) in enumerate(zip(head, scores)):
        rid = m.resource.id
        met, contradicted = sig.prefs.get(rid, (0, 0))
        record = _record(m.resource)
        rows.append([*(sig.values.get(name, {}).get(rid, 0.0) for name in SIGNALS), met, contradicted,
                     sig.axis.get(rid, 1.0), rid in sig.choice, rid in sig.unasked, rid in sig.free,
                     sig.authority.get(rid, 0.0), score / top, pos, spread, *record, *asked,
                     record[0] - asked[ASKED.index("level_asked")], record[1] - asked[ASKED.index("depth_asked")]])
    return np.array(rows, dtype=np.float64).reshape(len(head), len(FEATURES))


def _record(r: Resource) -> list[float]:
    """What the catalog says of the record itself; NaN where a bare record a learner added says nothing."""
    level = LEVELS.index(r.level) if r.level in LEVELS else np.nan
    depth = MATH_DEPTHS.index(r.math_depth) if r.math_depth in MATH_DEPTHS else np.nan
    free = np.nan if r.access is None else float(r.access.startswith("free"))
    return [level, depth, free, len(r.prerequisites), len(r.topics), *(float(r.kind == k) for k in RESOURCE_KINDS)]


def asked_features(intent, prefs: dict[str, tuple], named: list[Resource], lacks: bool, knows: bool) -> dict:
    """What the question is (ASKED): the move it makes, what it names, and the level, depth, kind and access it
    asks for (the mean rank of the levels and depths asked; absent, NaN)."""
    levels = [LEVELS.index(v) for v in prefs.get("level", ()) if v in LEVELS]
    depths = [MATH_DEPTHS.index(v) for v in prefs.get("math_depth", ()) if v in MATH_DEPTHS]
    return {"before": intent.wants_prerequisites, "next": intent.wants_next_step, "compares": intent.compares,
            "away": intent.moves_away, "easier": intent.moves_away and intent.direction == "easier",
            "earlier": intent.moves_away and intent.direction == "earlier", "deeper": intent.deeper,
            "sideways": intent.sideways, "named": len(named), "lacks": lacks, "knows": knows,
            "level_asked": float(np.mean(levels)) if levels else np.nan,
            "depth_asked": float(np.mean(depths)) if depths else np.nan,
            "kind_asked": bool(prefs.get("kind")), "access_asked": "access" in prefs}


class LearnedOrder:
    """Re-orders the weighted score's head with the trained model; `score` becomes the model's score."""

    def __init__(self, path: Path = MODEL_PATH):
        try:
            import lightgbm  # imported here: the weighted order needs no model
        except ImportError:
            raise UserInputError("ADVISOR_RESOURCE_RANKING=learned needs the lightgbm package (pip install -r "
                                 "requirements.txt), or set ADVISOR_RESOURCE_RANKING=weighted") from None
        try:
            self.booster = lightgbm.Booster(model_file=str(path))
        except Exception as e:  # LightGBM raises its own LightGBMError, or OSError for a missing file
            raise UserInputError(f"{path}: cannot load the resource ranking model ({str(e).splitlines()[0]}); "
                                 "run bench/train_ranker.py, or set ADVISOR_RESOURCE_RANKING=weighted") from None
        if tuple(self.booster.feature_name()) != FEATURES:
            raise UserInputError(f"{path}: the resource ranking model was trained on other features; "
                                 "run bench/train_ranker.py, or set ADVISOR_RESOURCE_RANKING=weighted")
        self.path = Path(path)
        self._lock = threading.Lock()  # one Booster serves every thread of the app

    def describe(self) -> dict:
        """What `advisor info` says of the model: which file, how many trees, and its digest."""
        return {"ranking": "learned", "model": self.path.name, "trees": self.booster.num_trees(),
                "sha256": sha256_file(self.path)[:12]}

    def order(self, sig: Signals, matches: list[ResourceMatch]) -> list[ResourceMatch]:
        head = matches[:HEAD]
        if len(head) < 2:
            return matches
        rows = features(sig, head)
        with self._lock:
            predicted = self.booster.predict(rows, num_threads=1)
        ranked = sorted(zip(head, predicted), key=lambda p: (-p[1], p[0].resource.id))
        # below the head, scores keep their order and sit under the head's lowest
        low = min(float(predicted.min()), 0.0)
        for m, s in ranked:
            m.score = float(s)
        tail = matches[HEAD:]
        for i, m in enumerate(tail):
            m.score = low - 1.0 - i
        return [m for m, _ in ranked] + tail


@lru_cache(maxsize=4)
def load_order(ranking: str, path: Path = MODEL_PATH) -> LearnedOrder | None:
    """The order ADVISOR_RESOURCE_RANKING names: "learned" (the model) or "weighted" (None: the weighted score)."""
    return LearnedOrder(path) if ranking == "learned" else None
