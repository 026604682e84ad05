"""All question parsing: what a question asks for beyond its topic.

Named resources, prerequisites, a next step, a comparison, a study path, the passage kinds it wants
(a proof, a definition), the resource attributes it prefers (free, video, rigorous) and whether it leans
on the previous turn. Nothing else in the package reads a question's wording.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..types import Resource

_SMALL = {"a", "an", "the", "of", "for", "and", "to", "in", "on", "with", "from", "its", "&"}
_PREREQ = re.compile(r"\b(prereq\w*|pre-?requisites?|before (reading|starting|taking|tackling|i read|i start)|"
                     r"background (do i need|needed|for)|need to know (for|before)|prepare for|ready for|"
                     r"what (math|maths|mathematics) do i need)", re.I)
_NEXT = re.compile(r"\b(what next|next step|after (finishing|reading|doing)|beyond|next level|finished|done with|"
                   r"too (light|easy|applied|shallow)|more (rigorous|mathematical|advanced)|go deeper|deeper than)\b", re.I)
_COMPARE = re.compile(r"\b(vs\.?|versus|compared? (to|with)|or)\b", re.I)


def acronym(title: str) -> str | None:
    head = re.split(r"[:(]", title)[0]
    words = [w for w in re.findall(r"[A-Za-z][\w'-]*", head) if w.lower() not in _SMALL]
    letters = "".join(w[0].upper() for w in words)
    return letters if 3 <= len(letters) <= 6 else None


def resource_names(r: Resource) -> list[tuple[str, bool]]:
    """Ways a learner names a resource: (text, case_sensitive)."""
    names: list[tuple[str, bool]] = []
    short = re.split(r"[:(]", r.title)[0].strip()
    if len(short.split()) >= 2 or re.search(r"\d", short):
        names.append((short, False))
    code = re.findall(r"\b([A-Z]{2,}\s?\d{2,4}[A-Z]?)\b", r.title)  # CS229, CS 156, EE364a
    names.extend((c, False) for c in code)
    names.extend((c.replace(" ", ""), False) for c in code if " " in c)
    ac = acronym(r.title)
    if ac and r.kind in ("book", "paper", "lecture-notes"):
        names.append((ac, True))
    surnames = [a.split()[-1] for a in r.authors if a.split()]
    if r.kind == "book" and surnames:
        if len(surnames) == 2:
            names.append((f"{surnames[0]} and {surnames[1]}", False))
            names.append((f"{surnames[0]} & {surnames[1]}", False))
        if len(surnames[0]) >= 4:
            names.append((surnames[0], True))
    return names


@dataclass
class Intent:
    mentioned: list[str] = field(default_factory=list)  # resource ids named in the question
    wants_prerequisites: bool = False
    wants_next_step: bool = False
    compares: bool = False


class IntentReader:
    def __init__(self, resources: dict[str, Resource]):
        self.patterns: list[tuple[re.Pattern, str]] = []
        for r in resources.values():
            if not r.from_catalog:
                continue
            for name, case in resource_names(r):
                body = r"\s+".join(re.escape(w) for w in name.split())
                self.patterns.append((re.compile(rf"(?<![\w-]){body}(?![\w-])", 0 if case else re.I), r.id))

    def read(self, question: str) -> Intent:
        spans: list[tuple[int, int, str]] = []
        for pattern, rid in self.patterns:
            for m in pattern.finditer(question):
                spans.append((m.start(), m.end(), rid))
        mentioned: list[str] = []
        longest = sorted(spans, key=lambda s: -(s[1] - s[0]))
        taken: list[tuple[int, int]] = []
        for a, b, rid in longest:
            if any(a < b2 and a2 < b for a2, b2 in taken) and rid not in mentioned:
                # same words already name another resource; keep both only when the match is identical
                if not any((a, b) == (a2, b2) for a2, b2 in taken):
                    continue
            taken.append((a, b))
            if rid not in mentioned:
                mentioned.append(rid)
        return Intent(
            mentioned=mentioned,
            wants_prerequisites=bool(_PREREQ.search(question)),
            wants_next_step=bool(_NEXT.search(question)),
            compares=len(mentioned) >= 2 and bool(_COMPARE.search(question)),
        )


# --- passage kinds a question asks for ------------------------------------------------------
_INTENTS: list[tuple[re.Pattern, tuple[str, ...]]] = [
    (re.compile(r"(?i)\b(prove[sd]?|proofs?|proving|show that|why is .* true|rigorous(ly)? (argument|justification))\b"),
     ("proof", "theorem")),
    (re.compile(r"(?i)\b(deriv(e|es|ed|ation|ing)|work(ed)? out|step[- ]by[- ]step|how (do|does|is) .* (obtained|computed|come from))\b"),
     ("derivation",)),
    (re.compile(r"(?i)\b(defin(e|ed|ition|itions)|formal definition)\b"), ("definition",)),
    (re.compile(r"(?i)\b(theorem|lemma|corollary|statement of)\b"), ("theorem",)),
    (re.compile(r"(?i)\b(examples?|worked example|illustrat\w+|for instance)\b"), ("example",)),
    (re.compile(r"(?i)\b(exercises?|practice problems?|problem sets?|homework|problems to (solve|practice))\b"), ("exercise",)),
    (re.compile(r"(?i)\b(algorithm|pseudo-?code|procedure|steps of)\b"), ("algorithm",)),
]


def question_intent(question: str) -> tuple[str, ...]:
    """Passage kinds the question asks for, e.g. 'where is X proved' -> ('proof', 'theorem')."""
    wanted: list[str] = []
    for pattern, kinds in _INTENTS:
        if pattern.search(question):
            wanted.extend(k for k in kinds if k not in wanted)
    return tuple(wanted)


# --- resource attributes a question prefers ----------------------------------------------------
# Words in a question that say what kind of resource the learner wants (not what topic).
_PREFERENCES: list[tuple[str, str, tuple[str, ...]]] = [
    (r"\b(free|open[- ]access|no cost|without paying|can't afford|cannot afford)\b", "access", ("free", "free-online")),
    (r"\b(course|mooc|lectures?|class|videos?|watch)\b", "kind", ("course", "video-series")),
    (r"\b(book|textbook)\b", "kind", ("book",)),
    (r"\b(cheat ?sheets?|reference cards?|quick reference|refresher|formula sheet)\b", "kind", ("cheatsheet",)),
    (r"\b(paper|article|original)\b", "kind", ("paper",)),
    (r"\b(lecture notes|notes)\b", "kind", ("lecture-notes",)),
    (r"\btutorial\b", "kind", ("tutorial",)),
    (r"\b(rigou?rous|rigou?r|proofs?|prove[sd]?|proving|theorems?|theoretical|formal|derivations?|derive)\b"
     r"|\b(the|actual|real|more|heavier|deeper) maths?\b|\bmath(s|ematics)?[- ](behind|heavy|heavier)\b"
     r"|\bmathematical(ly)?\b|\bnot just (how to )?(apply|use|call)|\btoo (applied|light|hand-?wavy|shallow|easy)\b"
     r"|\b(just|only) (sklearn|api|library) calls?\b",
     "math_depth", ("rigorous", "proof-heavy")),
    (r"\b(intuitive|intuition|visual|gentle|hands-on|without (much )?math|no proofs|minimal proofs)\b",
     "math_depth", ("applied", "moderate")),
    (r"\b(beginners?|introductory|first course|new to|starting out|basics|from scratch)\b", "level", ("intro",)),
    (r"\b(advanced|graduate|research[- ]level|phd)\b", "level", ("advanced",)),
]


def attribute_preferences(query: str) -> dict[str, tuple[str, ...]]:
    prefs: dict[str, tuple[str, ...]] = {}
    lowered = query.lower()
    for pattern, attr, values in _PREFERENCES:
        if re.search(pattern, lowered):
            prefs[attr] = tuple(dict.fromkeys(prefs.get(attr, ()) + values))
    return prefs


# --- answers beyond a ranking: a comparison table, a study path ----------------------------------
_COMPARE_TABLE = re.compile(r"(?i)\bcompare\b.*\b(treat|cover|present|explain|handle)\w*|\bhow do (my|the) (books|resources|texts)\b"
                      r"|\bcompare\b.*\b(in|across) (my|the) (books|library|resources|texts)\b")
_PATH = re.compile(r"(?i)\b(study|learning) (path|plan|roadmap|order)\b|\broadmap\b|\bwhat (should|do) i (learn|study|read|know) "
                   r"(first|before)\b|\b(learn|study|know) (first )?before\b|\bwhat (math|maths|mathematics) do i need\b"
                   r"|\bprerequisites? (for|of|to)\b|\bprereqs?\b")


def wants_comparison(question: str) -> bool:
    return bool(_COMPARE_TABLE.search(question))


def wants_path(question: str) -> bool:
    return bool(_PATH.search(question))


# A follow-up that leans on an earlier turn ("which of those is free?") is searched with it.
_ANAPHORA = re.compile(r"\b(those|these|them|it|its|that one|this one|the proof|the first|the second|which one|same)\b", re.I)


def condense(question: str, history: list[str]) -> str:
    """A follow-up that leans on earlier turns ("which of those is free?") is searched with them."""
    if not history:
        return question
    if _ANAPHORA.search(question):
        return f"{history[-1]} {question}"
    return question


# "which of those is free?", "any of them for beginners?", "is it free?", "which one has proofs?"
_REFERS_BACK = re.compile(
    r"\b(of|among|from|between)\s+(those|these|them|the above|the ones|your (?:suggestions|recommendations))\b"
    r"|\b(those|these)\b"
    r"|\b(which|what|any|is|are|does|do)\b[^?]*\b(them|ones|one of them)\b"
    r"|^\s*(?:and\s+|so\s+)?(?:which|what)\s+one\b"
    r"|^\s*(?:and\s+|so\s+)?(?:is|are|does|do)\s+(?:it|that one|this one)\b",
    re.I,
)


def refers_to_previous(question: str) -> bool:
    """Whether a follow-up asks about the resources of the previous answer."""
    return bool(_REFERS_BACK.search(question))
