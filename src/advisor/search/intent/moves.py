"""Which way a move from a named resource goes: an easier way into its own subject first, or more depth."""

from __future__ import annotations

import re

from .asks import _NO_PROOFS
from .background import _LACK
from .before import _PREREQ
from .cues import (_DEEPER, _EASIER, _FOUNDATIONS, _GENTLE_VERDICT, _GENTLER, _SAME_IDEAS, _SENTENCE_END, _SENTENCES,
                   _USED_BEFORE_NAME, sentence_start)


def easier_way_in(said: str, question: str) -> bool:
    """"a gentler book on the same ideas to read first", "anything lighter to read beforehand": before X, an easier
    way into X's own subject, not X's foundations; and so does "X is super dense, what do I read first?", X judged
    too hard, then asked what comes first (unless foundations are asked in so many words: "ESL lost me, what
    background am I missing?")."""
    gentler = _GENTLER.search(_GENTLE_VERDICT.sub(" ", said)) or _SAME_IDEAS.search(said) and not _DEEPER.search(said)
    return bool(gentler or _EASIER.search(said) and _PREREQ.search(question) and not _FOUNDATIONS.search(question))


def wants_depth(said: str) -> bool:
    """Whether the learner asks for depth: not "I couldn't follow the sum-product derivation" (a gap), nor "I'm NOT
    after a theorem-proof book", nor "grad probability done" (what they know, left out by the caller)."""
    return bool(_DEEPER.search(" ".join(_NO_PROOFS.sub(" ", p) for p in _SENTENCES.split(said)
                                        if p and not _LACK.search(p))))


# "X keeps coming up when I search. I know that one already.": the one named before is behind the learner
# (not "I know that it is hard": a clause follows)
_DONE_IT = re.compile(r"\b(i|i'?ve|i have)\s+(already\s+)?(know|knew|read|seen|done|finished|covered|studied|"
                      r"(worked|been|gone) through)\s+(that (one|paper|book|course|series)|this (one|paper|book|course|"
                      r"series)|(it|that|this)(?=\s*(already\b|[.,;!]|$)))", re.I)


_THOUGH = re.compile(r"^\W*(though|although|but|and|also|actually|well)\b,?", re.I)


def said_used(question: str, spans: list, behind: bool, tail: str) -> bool:
    """Whether the learner says they have used a resource named ("read ESL, ..."; not "Did ESL cover boosting?",
    which asks about it): at the question's start, or in a later sentence when it is all the question names ("maybe
    Trefethen & Bau is my ceiling? Though I've read Trefethen & Bau cover to cover."; beside others, one read is
    `behind` the learner), or after the last name ("I know that one already")."""
    return any(_USED_BEFORE_NAME.match(_THOUGH.sub("", question[0 if behind else sentence_start(question, a):a]))
               and _SENTENCE_END.search(question, a).group() != "?" for a, _, _ in spans) \
        or bool(spans) and bool(_DONE_IT.search(tail))
