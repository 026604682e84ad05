"""The steps around the answer: a study plan laid out in slots ("week 1: the POT guide; week 2: ?; week 3: Peyré &
Cuturi. What should week 2 be?"), whose other slots are the plan around the answer, and the resources on the way to a
goal that the learner cannot take yet ("Durrett says you need a measure theory course first")."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .cues import _REQUEST, _USED_BEFORE_NAME, _WISH, SENTENCE_BREAK, sentence_start
from .names import _SENTENCE_START

# "week 1", "weeks 4-8", "month 2", "days 1-3", "step 3", "(2)", "item 1"
_SLOT = re.compile(r"\b(?P<unit>week|month|day|step|phase|stage|term|semester|item|block)s?[\s-]*(?P<a>\d{1,2})"
                   r"(\s*(?:-|\u2013|to|and|&)\s*(?P<b>\d{1,2}))?\b(?!\s*(?:%|hours?|hrs?|h\b|pages?|minutes?|mins?))|"
                   r"(?<![\w)])\((?P<n>\d)\)", re.I)
# a step ticked off: "Cybenko's 1989 paper \u2714.", "week 1: Strang (done)"
_TICKED = re.compile(r"^[^.?!;\n]{0,60}?(\u2714|\u2713|\u2611|\u2705|\((done|finished|read|watched)\)|"
                     r"\[(x|done)\])", re.I)


@dataclass(frozen=True)
class PlanReading:
    placed: frozenset[str] = frozenset()  # the resources in other slots (or ticked off): not the answer
    before_placed: bool = False  # the slot asked comes before every placed resource: what they build on
    after_placed: bool = False  # ... after every one of them: the next step


def _slots(question: str) -> list[tuple[int, int, str, set[int]]]:
    """Each slot label: (start, end, unit, the numbers it covers)."""
    out = []
    for m in _SLOT.finditer(question):
        unit = (m.group("unit") or "item").lower()
        first = int(m.group("a") or m.group("n"))
        last = int(m.group("b") or first)
        out.append((m.start(), m.end(), unit, set(range(first, max(first, last) + 1)) if last - first < 12 else {first}))
    return out


def _sentence(question: str, at: int) -> tuple[int, int]:
    end = SENTENCE_BREAK.search(question, at)
    return sentence_start(question, at), end.end() if end else len(question)


def read_plan(question: str, spans: list[tuple[int, int, str]]) -> PlanReading:
    """The resources a plan places in slots other than the one asked for; the one asked: a slot label in a sentence
    that asks or wishes ("What should week 2 be?", "For days 4-6 I want ...") whose own part names nothing."""
    slots = _slots(question)
    if len(slots) < 2:
        return PlanReading(placed=_ticked(question, spans))
    slot_of: dict[tuple[int, int, str], tuple[str, set[int]]] = {}
    for span in spans:
        a = span[0]
        label = [s for s in slots if s[1] <= a and not SENTENCE_BREAK.search(question, s[1], a)]
        if label:
            slot_of[span] = label[-1][2], label[-1][3]
    asked: dict[str, set[int]] = {}
    for i, (start, end, unit, numbers) in enumerate(slots):
        s0, s1 = _sentence(question, start)
        part_end = min(slots[i + 1][0] if i + 1 < len(slots) else len(question), s1)
        own = [sp for sp in spans if end <= sp[0] < part_end]
        text = question[s0:_sentence(question, s1)[1] if s1 < len(question) else s1]  # (or the next: "... I'd like ...")
        if not own and ("?" in text or _WISH.search(text) or _REQUEST.search(question[start:part_end])):
            asked.setdefault(unit, set()).update(numbers)
    placed = {sp: n for sp, (u, n) in slot_of.items() if u in asked and not n & asked[u]}
    if not placed:
        return PlanReading(placed=_ticked(question, spans))
    wanted = [min(n) for n in asked.values()]
    ids = frozenset(rid for _, _, rid in placed) | _ticked(question, spans)
    # ("For month 1 I keep seeing A and B. Which one?": the slot asked names its own options, no step around it)
    weighed = any(u in asked and n & asked[u] for u, n in slot_of.values())
    return PlanReading(placed=ids,
                       before_placed=not weighed and all(max(wanted) < min(n) for n in placed.values()),
                       after_placed=not weighed and all(min(wanted) > max(n) for n in placed.values()))


def _ticked(question: str, spans: list[tuple[int, int, str]]) -> frozenset[str]:
    return frozenset(rid for _, b, rid in spans if _TICKED.match(question[b:]))


# "Axler's MIRA looked right, but it assumes real analysis", "DDPM in turn expects the ELBO", "Durrett says you need a
# measure theory course first", "Hazan's book, but it's written for people who've had convex optimization"
# (not "the vocabulary CS229 assumes": what is presupposed follows the verb)
_PRESUPPOSES = re.compile(r"^('s|\u2019s)?[^.?!;]{0,80}?\b((assumes?|assumed|assuming|expects?|presupposes?|requires?|"
                          r"leans? on|relies on|hinges on)(?=\s+[\w'\"(])|"
                          r"takes? [^.?!;]{1,40} (as known|as given|for granted)|"
                          r"(is|'s|was) written for (people|readers|students|someone)|says (you|one) (need|should)|"
                          r"tells you to (read|do|take)|throws [^.?!;]{1,40} around|uses [^.?!;]{1,40} freely)\b", re.I)


def presupposing(question: str, spans: list[tuple[int, int, str]]) -> list[str]:
    """The named resources said to presuppose something: steps the learner cannot take yet, never the way in."""
    return list(dict.fromkeys(rid for _, b, rid in spans if _PRESUPPOSES.match(question[b:])))


def untried(question: str, spans: list[tuple[int, int, str]], steps: list[str]) -> bool:
    """Whether there are steps the learner has not tried ("I tried X and it assumed ..." asks for another)."""
    return bool(steps) and not any(rid in steps and _USED_BEFORE_NAME.match(_SENTENCE_START.split(question[:a])[-1])
                                   for a, _, rid in spans)
