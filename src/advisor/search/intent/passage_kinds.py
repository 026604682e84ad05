"""The kinds of passage a question asks for: "where is X proved" wants a proof or a theorem, "derive X" a derivation.
The retriever lifts passages of those kinds."""

from __future__ import annotations

import re

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
