"""What a question asks for beyond its topic: named resources, prerequisites, a next step, a comparison."""

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
