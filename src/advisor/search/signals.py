"""The signals a catalog record is scored from for one question, and their weights (see recommend.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

# Signal weights, chosen by 5-fold cross-validation on the development questions (tests/eval/resources*.jsonl
# but the held-out one; bench/tune_resources.py, docs/evaluation.md), except `evidence`: CV picked 0 because
# every shipped record is rich, but a book a learner adds with a bare record is known only by its passages, so
# their relevance keeps a floor of 0.25.
SIGNALS = ("named", "fields", "dense", "topics", "evidence", "related", "advised")
# `lift` multiplies a resource per preference it meets (free, a course, rigorous...), `drop` per one it contradicts;
# `free` a free resource when the question says nothing of access (a learner can open it today); `paper` a research
# paper when the question asks for no paper: "how does backprop work" wants a text that teaches it, not the 1986
# article (unless the learner comes from a paper, or asks for one).
# `axis` is the strength of the factor along a move (preferences.AXIS_FACTORS and the nearness to a choice), as a
# power: round 22's CV (2,911 questions) chose 0.1, a tie-breaker, where round 4 had set it at full strength; the
# readings since then put the move into the other signals (what X lacks, the gap, the depth asked), and at full
# strength the axis factor overruled them.
# Each round's choice (rounds 5 to 13, 679 to 1,567 questions; round 22, 2,911) is in docs/evaluation.md; rounds 12
# to 21 kept round 10's, and round 23 (3,103) chose round 22's again.
WEIGHTS = {"named": 1.0, "fields": 2.0, "dense": 2.0, "topics": 1.0, "evidence": 0.25, "related": 0.5, "advised": 2.0,
           "lift": 1.3, "drop": 0.7, "paper": 0.8, "free": 1.0, "authority": 0.1, "axis": 0.1}
# before X, the weight of X's other prerequisites beside the gap the learner names ("the ELBO derivations lose me"):
# a tie-breaker (development 819: 0.5 -> 0.25 gained one question and lost none; 0.1 gained two)
NEEDS_BESIDE_ASKED = 0.25
CONTEXT_TOPIC = "machine-learning"  # the field every question is asked in
PERIPHERAL = 0.6  # the share of a topic's weight a record gets for touching it (listed, not central)
ABOUT_NAMED = 1.5  # the record a question asks about ("is BDA3 too advanced for me?"), beside 1.0 for a name said


@dataclass
class Signals:
    """Per-resource signals for one question, each in [0, 1]; kept so that weights can be tuned offline."""

    values: dict[str, dict[str, float]] = field(default_factory=dict)  # signal -> resource id -> value
    prefs: dict[str, tuple[int, int]] = field(default_factory=dict)  # preferences met, and contradicted
    axis: dict[str, float] = field(default_factory=dict)  # factor along the prerequisite or depth axis
    excluded: set[str] = field(default_factory=set)
    topics: list[str] = field(default_factory=list)
    choice: set[str] = field(default_factory=set)  # "A or B?": the answer is one of these, ranked by the rest
    unasked: set[str] = field(default_factory=set)  # papers, when the question asks for no paper
    free: set[str] = field(default_factory=set)  # free resources, when the question says nothing of access
    authority: dict[str, float] = field(default_factory=dict)  # how often the catalog points to a record, in [0, 1]
    asked: dict[str, float] = field(default_factory=dict)  # what the question is (learned.asked_features)

    def score(self, rid: str, weights: dict[str, float] = WEIGHTS) -> float:
        base = sum(w * self.values.get(name, {}).get(rid, 0.0) for name, w in weights.items() if name in SIGNALS)
        met, contradicted = self.prefs.get(rid, (0, 0))
        prior = (weights["paper"] if rid in self.unasked else 1.0) * (weights["free"] if rid in self.free else 1.0) \
            * (1.0 + weights["authority"] * self.authority.get(rid, 0.0))
        return base * weights["lift"] ** met * weights["drop"] ** contradicted \
            * self.axis.get(rid, 1.0) ** weights["axis"] * prior


def scaled(raw: dict[str, float]) -> dict[str, float]:
    top = max(raw.values(), default=0.0)
    return {k: v / top for k, v in raw.items() if v > 0} if top > 0 else {}
