"""Soft preferences: what a question prefers (free, a kind, a level, a maths depth) met or contradicted by a record,
and the depth and level scales the axis moves use."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Iterable

from ..library.topics import TopicMatcher
from ..types import Resource, ResourceMatch
from .intent import Intent

AXIS_TOPICS = 3  # a record's first topics say what it is about; later ones what it touches

DEPTHS = ("applied", "moderate", "rigorous", "proof-heavy")
LEVELS = ("intro", "intermediate", "advanced")
# Along the axis of a move away from X: on the asked side, level with X, or on the wrong side.
AXIS_FACTORS = {"ahead": 1.0, "level": 0.6, "behind": 0.3}
# Soft preference factors: a wanted value is lifted, the far end of the axis pushed down (never removed).
_OPPOSITE = {("math_depth", "rigorous"): ("applied",), ("math_depth", "applied"): ("proof-heavy",),
             ("level", "intro"): ("advanced",), ("level", "advanced"): ("intro",),
             # asked for free, a paid book is what the learner cannot use
             ("access", "free"): ("paid",), ("access", "free-online"): ("paid",),
             # a textbook is not a video course
             ("kind", "book"): ("course", "video-series")}


# the code a record's own text says it comes with ("R (or Python) labs", "examples in R and Stan")
_CODE_IN = {"R": r"\b(in|with|and) R\b(?![\^\d])|\bR (\(or Python\) )?(code|labs?|examples?)|\bR ?/ ?Python\b|"
                 r"\bR and Stan\b",
            "Python": r"(?i:\bpython\b)"}


def _meets(r: Resource, attr: str, wanted: tuple) -> bool:
    """Whether a record has what is asked of it: "interactive" as its own text says; "offline" (no wifi on the
    flight) as a text to download; a language as its text says its code is in; any other attribute as its value."""
    if attr == "interactive":
        return "interactive" in r.description.lower()
    if attr == "offline":
        return bool(r.pdf_url)
    if attr == "original":
        return r.kind == "paper" and not r.is_expository
    if attr == "builds_on":  # a record presupposing what the learner already knows beyond the basics
        return any(t in r.prerequisites for t in wanted)
    if attr == "language":
        return any(re.search(_CODE_IN[w], f"{r.title} {r.description}") for w in wanted)
    if attr == "kind" and "tutorial" in wanted and r.is_expository:
        return True  # a tutorial or review paper is the tutorial asked for ("Rabiner's HMM tutorial")
    return getattr(r, attr, None) in wanted


def preference_counts(r: Resource, prefs: dict[str, tuple[str, ...]]) -> tuple[int, int]:
    """How many asked-for attributes the resource has, and how many sit at the far end of what was asked."""
    hits = misses = 0
    for attr, wanted in prefs.items():
        if attr == "avoid_topic":  # "no measure theory": a record about it, or presupposing it
            misses += any(t in r.prerequisites or t in r.topics[:AXIS_TOPICS] for t in wanted)
            continue
        if attr == "buried_topic":  # "won't drown me in matrix algebra": a record about it (a little is fine)
            misses += any(t in r.topics[:AXIS_TOPICS] for t in wanted)
            continue
        if attr in ("interactive", "offline", "language", "original"):
            hits += _meets(r, attr, wanted)
            misses += attr == "offline" and r.access == "free-online" and not r.pdf_url  # online only: no use
            continue
        if attr == "avoid_title":  # "not the computational stuff": a title that says it
            misses += any(w in r.title.lower() for w in wanted)
            continue
        if attr == "access_kinds" or attr == "access" and r.kind not in prefs.get("access_kinds", (r.kind,)):
            continue  # free said of another kind asked ("a textbook with free lecture videos")
        if attr.startswith("avoid_"):  # "not a whole course": a kind refused
            misses += getattr(r, attr[len("avoid_"):], None) in wanted
            continue
        value = getattr(r, attr, None)
        if _meets(r, attr, wanted):
            hits += 1
        elif any(value in _OPPOSITE.get((attr, w), ()) for w in wanted):
            misses += 1
    return hits, misses


def title_words(text: str, resources: Iterable[Resource]) -> tuple[str, ...]:
    """The words of a text that a few titles carry: not "the" or "book", nor a word most titles have."""
    titles = [r.title.lower() for r in resources]
    few = max(2, len(titles) // 20)
    return tuple(sorted(w for w in set(re.findall(r"[a-z]{5,}", text.lower()))
                        if 0 < sum(1 for t in titles if w in t) <= few))


def relative_depth(prefs: dict[str, tuple[str, ...]], intent: Intent,
                    named: list[Resource]) -> dict[str, tuple[str, ...]]:
    """"Gentler than UML", "more rigorous than ISL": a depth asked while moving away from X is relative to X.
    An advanced level said while moving to something easier than an advanced X is the learner's stage, not a
    wish ("my PhD student is drowning in DGL"); "in between" is one. So is it beside a gap the learner names before
    X ("physics grad student, never learned Markov chains"): the gap is taught where it starts."""
    stage = intent.moves_away and intent.direction == "easier" and not intent.wants_prerequisites \
        and all(x.level == "advanced" for x in named) or intent.wants_prerequisites and bool(intent.lacks)
    if prefs.get("level") == ("advanced",) and named and stage:
        prefs = {k: v for k, v in prefs.items() if k != "level"}
    if "math_depth" not in prefs or not (named and intent.moves_away) or intent.wants_prerequisites:
        return prefs
    if not intent.compares_depth:  # "a mathematical stats course" after Stat 110 is not "more than X"
        return prefs
    ref = max(rank_on(x.math_depth, DEPTHS) for x in named)
    asked = [rank_on(v, DEPTHS) for v in prefs["math_depth"]]
    # ("Not proofs" after an applied X asks for no more depth than X, whatever else moves on)
    if intent.direction == "easier" and min(asked) >= ref or intent.direction == "harder" and max(asked) <= ref:
        return prefs
    side = DEPTHS[:ref] if intent.direction == "easier" else DEPTHS[ref + 1:]
    return {**prefs, "math_depth": side or prefs["math_depth"]}


def within_subject(prefs: dict[str, tuple[str, ...]], records: list[Resource]) -> dict[str, tuple[str, ...]]:
    """A maths depth that no record on the asked subject has ("the classic real analysis texts, friendliest
    first": every one of them proves everything) asks for the nearest one the subject has, not for records off it.
    (Not so for a level: that is the learner's, and an advanced reference may be about more than one subject.)
    """
    out = dict(prefs)
    for attr, scale in (("math_depth", DEPTHS),):
        wanted = [scale.index(v) for v in prefs.get(attr, ()) if v in scale]
        have = {scale.index(getattr(r, attr)) for r in records if getattr(r, attr, None) in scale}
        # only a wish for less: a subject made of proofs cannot be learnt without them, but any can be learnt
        # with more (the applied ML courses are no reason to drop "the maths of ML, properly")
        if not wanted or len(records) < 2 or not have or have & set(wanted) or min(have) < max(wanted):
            continue
        gap = {h: min(abs(h - w) for w in wanted) for h in have}
        out[attr] = tuple(scale[h] for h in sorted(have) if gap[h] == min(gap.values()))
    return out


def closest(prefs: dict[str, tuple[str, ...]], candidates: list[Resource]) -> dict[str, float]:
    """"A or B, which is gentler / more rigorous / for a first course / free?": the asked side is relative to the
    candidates, so the one nearest to what is asked is chosen even when neither is at the asked end, and a
    stated need (free, a course) decides between two that both fit the topic."""
    factors = {r.id: 1.0 for r in candidates}
    scales = {"math_depth": DEPTHS, "level": LEVELS}
    weights = dict.fromkeys(prefs, 1.0)
    if "level" not in prefs and all(rank_on(v, DEPTHS) <= 1 for v in prefs.get("math_depth", ("rigorous",))):
        # "which is friendlier?": the lower level is the gentler way in, at half the weight of depth, so it decides
        # between two of one depth (a wish for proofs says nothing of level: the proof-writing course is not the
        # graduate monograph)
        prefs = {**prefs, "level": ("intro",)}
        weights["level"] = 0.5
    for attr, wanted_values in prefs.items():
        if len(candidates) < 2:
            break
        if attr == "access_kinds":
            continue
        scale = scales.get(attr)
        if scale:  # an ordered attribute: nearer is better
            wanted = [scale.index(v) for v in wanted_values if v in scale]
            dist = {r.id: min(abs(rank_on(getattr(r, attr), scale) - w) for w in wanted) for r in candidates}
        else:  # free or not, a course or a book: the candidate that has it is the one asked for
            dist = {r.id: int(not _meets(r, attr, wanted_values)) for r in candidates}
        best = min(dist.values())
        for rid, d in dist.items():
            factors[rid] *= AXIS_FACTORS["level"] ** (weights[attr] * (d - best))
    return factors


def axis_factor(intent: Intent, named: list[Resource], r: Resource, needed: dict[str, float],
                 needed_level: int = 0, gap_taught: bool = False) -> float:
    """`gap_taught`: before X, the record teaches every topic of the gap the learner names."""
    if intent.wants_prerequisites:
        # a foundation does not presuppose what the learner lacks, and does not sit above X
        total = sum(needed.values())
        presumed = sum(w for t, w in needed.items() if t in r.prerequisites) / total if total else 0.0
        factor = 1.0 - 0.5 * presumed
        ref = max((rank_on(x.level, LEVELS) for x in named), default=len(LEVELS) - 1)
        # not above X, and not far below the hardest foundation: an intro text does not teach
        # measure-theoretic probability
        level = rank_on(r.level, LEVELS)
        below = min(ref, needed_level) - level > 1
        # what presupposes X's own subject comes after X, not before ("Improved Training of WGANs" needs WGAN)
        after = any(x.topics and x.topics[0] in r.prerequisites for x in named)
        # ("the SVM dual in CS229 loses me, never seen KKT": the book that teaches KKT may be harder than CS229)
        above = level > ref and not gap_taught
        return factor * (AXIS_FACTORS["behind"] if above or after else AXIS_FACTORS["level"] if below else 1.0)
    if not (named and intent.moves_away):
        return 1.0
    if intent.direction == "harder" and any(x.topics and x.topics[0] in r.prerequisites for x in named):
        return AXIS_FACTORS["ahead"]  # what builds on X is the next step from X (WGAN-GP after WGAN)
    if intent.direction == "earlier":  # X's predecessors: older than X, the latest named (a topic's own paper
        # named beside it, "why GAN training is unstable, the theory from before WGAN", is no bound)
        years = [x.year for x in named if x.year]
        if not (r.year and years):
            return AXIS_FACTORS["level"]
        return AXIS_FACTORS["ahead" if r.year < max(years) else "level" if r.year == max(years) else "behind"]
    depth, level = rank_on(r.math_depth, DEPTHS), rank_on(r.level, LEVELS)
    if intent.between:  # strictly between the named ones on the depth-then-level axis
        places = sorted((rank_on(x.math_depth, DEPTHS), rank_on(x.level, LEVELS)) for x in named)
        if places[0] < (depth, level) < places[-1]:
            return AXIS_FACTORS["ahead"]
        return AXIS_FACTORS["level" if (depth, level) in places else "behind"]
    ref_depth = max(rank_on(x.math_depth, DEPTHS) for x in named)
    ref_level = max(rank_on(x.level, LEVELS) for x in named)
    if intent.direction == "easier":
        depth, level, ref_depth, ref_level = -depth, -level, -ref_depth, -ref_level
    if depth > ref_depth or (depth == ref_depth and level > ref_level):
        return AXIS_FACTORS["ahead"]
    if depth == ref_depth and level == ref_level:
        # what X leaves out is best learnt at X's level, unless more depth is asked for too
        return AXIS_FACTORS["ahead" if intent.sideways and not intent.deeper else "level"]
    if intent.direction == "easier" and (depth > ref_depth or level > ref_level):
        return AXIS_FACTORS["ahead"]  # gentler on one axis is gentler
    # a move on that names no wish for depth is a move sideways: the lower side is no worse than level
    return AXIS_FACTORS["behind" if intent.direction != "harder" or intent.deeper else "level"]


def rank_on(value: str | None, scale: tuple[str, ...]) -> int:
    return scale.index(value) if value in scale else 1


def makers(records: list[Resource]) -> set[str]:
    """Who made these records: their authors, and the course codes in their titles ("CS 229" and "CS229" agree)."""
    out = {a.lower() for r in records for a in r.authors}
    return out | {"code:" + c for r in records for c in course_codes(r)}


def in_wished_form(weights: dict[str, float], resources: dict[str, Resource], wished: set[str],
                   linked: dict[str, dict[str, float]]) -> dict[str, float]:
    """A record weighed in another form than the one wished (the Learning From Data book, to a learner who wants
    lectures) passes its weight to its twin in that form: a record it links to, by the same makers (Caltech CS 156)."""
    out = dict(weights)
    for rid, w in weights.items():
        r = resources.get(rid)
        if r is None or r.kind in wished:
            continue
        for other in linked.get(rid, {}):
            twin = resources.get(other)
            if twin is not None and twin.kind in wished and makers([twin]) & makers([r]):
                out[other] = max(out.get(other, 0.0), w)
    return out


# ("MIT 18.06" carries no code of this form: "MIT 18" is no course)
COURSE_CODE = re.compile(r"\b([A-Z]{2,4})\s?(\d{2,3}[A-Za-z]?)\b(?!\.\w)")


def varied(matches: list[ResourceMatch], close: float = 0.85) -> list[ResourceMatch]:
    """A third of one kind after two of it gives way to a close runner-up of another kind: a learner offered three
    books may have wanted the course."""
    if len(matches) < 4 or len({m.resource.kind for m in matches[:3]}) > 1:
        return matches
    kind = matches[0].resource.kind
    for i, m in enumerate(matches[3:10], start=3):
        if m.resource.kind != kind and m.score >= close * matches[2].score:
            return matches[:2] + [m] + [x for j, x in enumerate(matches[2:], start=2) if j != i]
    return matches


# words that say something is missing from the learner's background ("never written a proof", "zero measure theory")
_SAID_LACKING = re.compile(r"\b(never|no|zero|not|don'?t|haven'?t|hasn'?t|didn'?t|can'?t|little|weak|shaky|rusty|"
                           r"lacking|without)\b", re.I)


def beyond_reach(intent: Intent, resources: dict[str, Resource], matcher: TopicMatcher) -> Intent:
    """"Can I follow UML? I've never written a proof": X asked about by a learner who lacks one of the things X's
    record says it presupposes is out of their reach for now, and the question asks for a gentler way into X's
    subject (one who lacks something X does not presuppose, "not much ML theory" before a physics-style book,
    is asking about X)."""
    if len(intent.about) != 1 or not intent.lacks or intent.moves_away or intent.compares \
            or intent.wants_prerequisites:
        return intent
    x = resources.get(intent.about[0])
    # (said as a lack: "i keep hitting eigenvalue inequalities" names what X is wanted for)
    if x is None or not _SAID_LACKING.search(intent.lacks) \
            or not set(matcher.find(intent.lacks)) & set(x.prerequisites):
        return intent
    return replace(intent, about=[], moves_away=True, direction="easier")


# "can I go straight into PRML, or should I start with something lighter?": X, or a gentler way in, for the learner to
# be told which
_OR_LIGHTER = re.compile(r"\bor (should|do|would|shall|must) (i|we|she|he) (rather )?(first )?(start|begin|go|warm up|"
                         r"read|take|try)( first)? (with|on|for) (something|anything|some\w*|a) ?([\w-]+ )?(lighter|"
                         r"easier|gentler|simpler|more (basic|accessible|gentle|introductory)|softer)\b", re.I)


def within_reach(intent: Intent, question: str, resources: dict[str, Resource], matcher: TopicMatcher) -> Intent:
    """"I have lots of linear algebra, multivariable calculus and probability. Can I go straight into PRML or should I
    start with something lighter?": a learner who knows all that X's record says it presupposes can read X."""
    if not (intent.moves_away and intent.direction == "easier" and len(intent.mentioned) == 1) \
            or intent.compares or intent.wants_prerequisites or not _OR_LIGHTER.search(question):
        return intent
    x = resources.get(intent.mentioned[0])
    known = set(matcher.find(" ".join(intent.knows))) - set(matcher.find(intent.lacks))
    if x is None or not x.prerequisites or not set(x.prerequisites) <= known:
        return intent
    return replace(intent, about=[x.id], moves_away=False, direction="harder")


def same_course(intent: Intent, named: list[Resource], attributes: dict[str, tuple], resources: dict[str, Resource],
                linked: dict[str, dict[str, float]]) -> set[str]:
    """"The CS229 lectures go too fast, any alternative?": X's own notes, reviews and cheatsheets (its related
    records that carry its course code) are X's material, and a move away leaves them too, unless the learner
    asks for the same source or for their kind ("I'd like the written notes instead")."""
    if not (intent.moves_away and named) or intent.same_source:
        return set()
    out = set()
    # (from X's cheatsheet, X's notes are a step on: "the CS229 cheatsheets are just formulas")
    # ... and before X, whatever X is: X's course is the same material, in any form (lost in the CS229 notes'
    # KKT section, the CS229 lectures are no way in)
    before = intent.wants_prerequisites
    for x in (x for x in named if x.kind in ("course", "video-series") or before):
        codes = course_codes(x)
        out |= {rid for rid in linked.get(x.id, {}) if rid in resources and codes & course_codes(
            resources[rid]) and (before or resources[rid].kind not in attributes.get("kind", ()))
            # before X, X's own review of what it assumes is an answer (the CS229 probability review), not its notes
            and not (before and teaches(resources[rid], x.prerequisites))}
    return out


def resource_topics(r: Resource) -> set[str]:
    """Every topic a record lists, its own or a chapter's."""
    return set(r.topics) | {t for c in r.chapters for t in c.topics}


def teaches(r: Resource, topics) -> bool:
    """Whether a record covers one of the topics without presupposing it."""
    own = resource_topics(r)
    return any(t in own and t not in r.prerequisites for t in topics)


def course_codes(r: Resource) -> set[str]:
    """The course codes a record's title and aliases carry ("CS229", "CS 229" alike)."""
    return {m.group(1).lower() + m.group(2).lower() for m in COURSE_CODE.finditer(" ".join([r.title, *r.aliases]))}


SUMMARY_KINDS = {"cheatsheet", "lecture-notes"}  # a course's own digest, asked for beside it


def own_summaries(intent: Intent, named: list[Resource], attributes: dict[str, tuple]) -> set[str]:
    """"Doing CS229 ... is there a cheatsheet?": among several records named, of several kinds (one name shares
    them), the summary of the kind asked for is no move away ("CS229 was good, what's the next course?" is);
    before X, X's own review of what it assumes ("CS229 starts Monday, something that refreshes PSD
    matrices": the CS229 linear algebra review) is, not X's own notes."""
    wished = set(attributes.get("kind", ())) & SUMMARY_KINDS
    if not (intent.moves_away and wished and len(named) > 1 and not intent.wants_next_step):
        return set()
    needed = {t for r in named if r.kind not in wished for t in r.prerequisites}
    kept = {r.id for r in named
            if r.kind in wished and (not intent.wants_prerequisites or needed & set(r.topics[:3]))}
    return kept if len(kept) < len(named) else set()
