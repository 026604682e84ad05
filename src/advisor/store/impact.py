"""Exact keyword top-k from impact-ordered postings, reading as little of each list as the scores allow.

Each term's postings are stored highest score first. A question reads the head of each of its terms' lists;
a posting not yet read scores at most the last one read of its term, so a passage's final sum is at most its
partial sum plus that bound for every unfinished term it was not yet seen under. When no passage outside the
current `need` best can pass the weakest of them, those `need` passages are the exact best (score-at-a-time
retrieval with a stopping bound); otherwise the rest of the unfinished lists is read. Pure: the store passes a
`fetch` that reads postings, so the logic is tested without a database.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

# fetch(terms, skip per term, at most this many postings per term, or None for the rest) -> (term, ids, scores)
Fetch = Callable[[list[str], dict[str, int], "int | None"], list[tuple[str, bytes, bytes]]]
MAX_BOUND_TERMS = 64  # passages remember the terms they were seen under in one 64-bit mask


class ImpactReader:
    def __init__(self, fetch: Fetch, counts: dict[str, float], scores: np.ndarray, need: int | None, head: int):
        self.fetch, self.counts, self.scores, self.need, self.head = fetch, counts, scores, need, head
        self.terms = sorted(counts)
        self.bit = {t: np.uint64(1 << i) for i, t in enumerate(self.terms)}
        bounded = bool(need) and len(self.terms) <= MAX_BOUND_TERMS
        self.seen = np.zeros(len(scores), dtype=np.uint64) if bounded else None
        self.read = dict.fromkeys(self.terms, 0)  # postings read per term
        self.last: dict[str, float] = {}  # the last score read of each unfinished term
        self.open = set(self.terms)
        self.rounds = 0

    def run(self) -> None:
        """A head of each list, then, unless that settles the best, the rest of the unfinished ones. (Rounds of
        growing heads cost more: on lists of similar scores the bound only settles near their ends.)"""
        if self.seen is not None:
            self._round(self.head)
            if not self.open or self._settled():
                return
        self._round(None)

    def _round(self, size: int | None) -> None:
        self.rounds += 1
        found = set()
        for term, ids, values in self.fetch(sorted(self.open), dict(self.read), size):
            found.add(term)
            ids, values = np.frombuffer(ids, dtype=np.int32), np.frombuffer(values, dtype=np.float32)
            self.scores[ids] += self.counts[term] * values  # each passage once per term: exact addition
            if self.seen is not None and size is not None:  # after the last round no bound is needed
                self.seen[ids] |= self.bit[term]
            self.read[term] += len(ids)
            if size is None or len(ids) < size:
                self.open.discard(term)
            else:
                self.last[term] = float(values[-1])
        self.open &= found  # a term without postings is finished

    def _settled(self) -> bool:
        """Whether no passage outside the current `need` best can still pass the weakest of them."""
        bound = {t: self.counts[t] * self.last[t] for t in self.open}
        room = sum(bound.values())  # what an unseen passage can still get
        if room <= 0:
            return True
        matched = np.flatnonzero(self.scores > 0)
        if matched.size <= self.need:  # every match is among the best, and an unseen passage could join them
            return False
        s = self.scores[matched]
        floor = float(np.partition(s, matched.size - self.need)[matched.size - self.need])  # the need-th best
        if room > floor:
            return False
        # passages below the floor that everything still unread could lift past it
        close = matched[(s < floor) & (s + room > floor)]
        if not close.size:
            return True
        missing = np.zeros(close.size, dtype=np.float64)
        for t, b in bound.items():
            missing += b * ((self.seen[close] & self.bit[t]) == 0)
        return not np.any(self.scores[close] + missing > floor)
