"""Which retrieved passages an answer may cite: only those about the question, each text once.

Retrieval ranks; citing is stricter. A passage is cited when
- it is close to the best one (a relevance floor relative to the best passage, not an absolute one);
- it mentions a topic the question names, when the question names vocabulary topics and some
  retrieved passage does (a word like "book" or "dimension" alone never makes a passage relevant);
- it is not a near-copy of a passage already cited (the same cheatsheet text on two pages or in two files).
"""

from __future__ import annotations

import re

from ..textnorm import normalize
from ..types import Hit

RELATIVE_FLOOR = 0.8  # a cited passage's cosine is at least this share of the best passage's
DUPLICATE_JACCARD = 0.6  # word 4-gram overlap above which two passages are one text
_WORD = re.compile(r"\w+")


def shingles(text: str, n: int = 4) -> set[tuple[str, ...]]:
    words = _WORD.findall(normalize(text).lower())
    return {tuple(words[i:i + n]) for i in range(max(len(words) - n + 1, 1))}


def near_duplicate(a: set, b: set) -> bool:
    if not a or not b:
        return False
    return len(a & b) / len(a | b) >= DUPLICATE_JACCARD


def mentions(text: str, terms: list[str]) -> bool:
    lowered = " " + " ".join(_WORD.findall(normalize(text).lower())) + " "
    return any(f" {t} " in lowered for t in terms)


def topic_terms(names: list[list[str]]) -> list[str]:
    """Each topic's name and aliases as lowercase word sequences, for `mentions`."""
    return [" ".join(_WORD.findall(normalize(term).lower())) for terms in names for term in terms if term.strip()]


def about_topic(hits: list[Hit], terms: list[str]) -> list[Hit]:
    """The passages that name one of the question's topics, when any does; else all of them."""
    if not terms:
        return hits
    about = [h for h in hits if mentions(h.chunk.text, terms)]
    return about or hits  # nothing names the topic: fall back to closeness alone


def on_topic(hits: list[Hit], terms: list[str]) -> list[Hit]:
    """The passages an answer may cite, in rank order (see the module docstring)."""
    hits = about_topic(hits, terms)
    if not hits:
        return []
    best = max((h.dense or 0.0) for h in hits)
    kept: list[Hit] = []
    seen: list[set] = []
    for h in hits:
        closeness = h.dense or 0.0
        if best > 0 and closeness < RELATIVE_FLOOR * best:
            continue
        grams = shingles(h.chunk.text)
        if any(near_duplicate(grams, other) for other in seen):
            continue
        kept.append(h)
        seen.append(grams)
    return kept


def diversify(hits: list[Hit], k: int, per_resource: int = 2) -> list[Hit]:
    """Top passages, at most `per_resource` from one resource while others have some to offer."""
    chosen: list[Hit] = []
    counts: dict[str, int] = {}
    for h in hits:
        if counts.get(h.resource_id, 0) < per_resource:
            chosen.append(h)
            counts[h.resource_id] = counts.get(h.resource_id, 0) + 1
        if len(chosen) == k:
            return chosen
    for h in hits:  # not enough variety: fill up in rank order
        if h not in chosen:
            chosen.append(h)
        if len(chosen) == k:
            break
    return sorted(chosen, key=lambda h: -h.score)
