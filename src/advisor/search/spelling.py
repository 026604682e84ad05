"""Words a learner mistypes, set right to the topic vocabulary's spelling, and the catalog's technical words.

Word-level only (no question semantics: those are in intent.py).
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[A-Za-z]{5,}")


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


class Speller:
    """Mistyped topic words ("gausian processes", "probabilty") set right to the topic vocabulary's spelling.

    A word is changed only when neither the dictionary (`english`: the embedder's whole-word vocabulary) nor
    the catalog (its topic names, titles and prose) knows it, and it is one edit (insertion, deletion,
    substitution, swap) away from exactly one word of the topic names. Without a dictionary
    nothing is changed: "heard" is one edit from "Hardt", and only a dictionary says it is a word.
    """

    def __init__(self, vocabulary: list[str], prose: list[str], english: set[str]):
        words = {w.lower() for text in vocabulary for w in _WORD.findall(text)}
        self.enabled = bool(english)
        # the catalog's own technical words: ones it writes that the dictionary does not hold ("adamax", "rmsprop")
        self.terms = (words | {w.lower() for text in prose for w in _WORD.findall(text)}) - english
        self.known = self.terms | english
        self.near: dict[str, set[str]] = {}
        for w in words:
            for key in _deletes(w) | {w}:
                self.near.setdefault(key, set()).add(w)

    def _fixed(self, word: str) -> str:
        lowered = word.lower()
        # known, or a known word with a plural or a dropped apostrophe ("thats", "doesnt", "youre")
        if lowered in self.known or lowered[:-1] in self.known or lowered[:-2] in self.known:
            return word
        found = set().union(*(self.near.get(k, set()) for k in _deletes(lowered) | {lowered}))
        found = {w for w in found if abs(len(w) - len(lowered)) <= 1}
        return next(iter(found)) if len(found) == 1 else word

    def catalog_terms(self, text: str) -> set[str]:
        """The technical words of a question that the catalog uses (none without a dictionary)."""
        return {w.lower() for w in _WORD.findall(text) if w.lower() in self.terms} if self.enabled else set()

    def fix(self, text: str) -> str:
        return _WORD.sub(lambda m: self._fixed(m.group(0)), text) if self.enabled else text
