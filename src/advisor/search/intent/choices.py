"""Whether a question weighs the resources it names against each other ("A or B?", "A vs B", "choosing between A and
B"), and which of a name's records a choice means."""

from __future__ import annotations

import re

from .cues import _COMPARE, _SENTENCE_END, SENTENCE_BREAK


def alike_in_choice(spans: list[tuple[int, int, str]], kinds: dict[str, str]) -> list[tuple[int, int, str]]:
    """In a choice ("CS229 or MIT 6.036?"), words naming several records (CS229's course, notes and cheatsheets)
    name those of the kind the other options are."""
    named: dict[tuple[int, int], list[str]] = {}
    for a, b, rid in spans:
        named.setdefault((a, b), []).append(rid)
    single = {kinds.get(rids[0]) for rids in named.values() if len(rids) == 1}
    out = []
    for (a, b), rids in named.items():
        alike = [rid for rid in rids if kinds.get(rid) in single] if len(rids) > 1 else rids
        out += [(a, b, rid) for rid in alike or rids]
    return out


def compares_named(text: str, spans: list[tuple[int, int, str]]) -> bool:
    """Whether a question compares the resources it names: "than" and "or" count only in a sentence naming one
    ("Nielsen was great ... More concepts than abstract theory is fine" compares nothing)."""
    named, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        if any(start <= a < m.end() for a, _, _ in spans):
            named.append((start, m.end()))
        start = m.end()
        if start >= len(text):
            break
    return any((m.group().lower() not in ("or", "than") or any(a <= m.start() < b for a, b in named))
               and not (_VERSUS.fullmatch(m.group()) and not _names_beside(m, spans))
               # ("I've never learned least squares or regularized least squares" weighs two topics, not two names)
               and not (m.group().lower() == "or" and not _names_either_side(m, spans))
               for m in _COMPARE.finditer(text))


def _names_either_side(m: re.Match, spans: list) -> bool:
    """Whether names stand before and after an "or" in its sentence (the one before it too, when it opens one: "PRML?
    or ESL?"), or it weighs a name against a resource said another way ("ISLR or a different book?")."""
    text = m.string
    bounds = [0] + [b.end() for b in SENTENCE_BREAK.finditer(text)] + [len(text)]
    start = max(x for x in bounds if x <= m.start())
    if not text[start:m.start()].strip():
        start = max((x for x in bounds if x < start), default=start)
    end = min(x for x in bounds if x > m.start())
    return any(start <= a and b <= m.start() for a, b, _ in spans) \
        and (any(m.end() <= a < end for a, _, _ in spans) or bool(_KIND_AFTER_OR.match(text, m.end())))


_KIND_AFTER_OR = re.compile(r"\s+(is it |is there |should i (get|read|take|do) )?(a|an|the|some|any|another)\s+"
                            r"([\w-]+\s+){0,2}(book|course|class|text|textbook|version|edition|one|notes|paper|video|"
                            r"series)s?\b", re.I)


_VERSUS = re.compile(r"vs\.?|versus", re.I)


def _names_beside(m: re.Match, spans: list[tuple[int, int, str]], reach: int = 40) -> bool:
    """Whether names stand on both sides of a "vs", in the same clause: "JS vs KL vs total variation" weighs no
    resources, "boyd's convex optimization vs nocedal & wright" two."""
    text = m.string
    return any(m.start() - reach <= b <= m.start() and not re.search(r"[,;:.?!]", text[b:m.start()])
               for _, b, _ in spans) \
        and any(m.end() <= a <= m.end() + reach and not re.search(r"[,;:.?!]", text[m.end():a]) for a, _, _ in spans)
