"""Practical constraints a question states beside its subject: the programming language the learner works in, and
a book they cannot buy."""

from __future__ import annotations

import re

# "I can't buy the book": a price said, and no kind asked for
CANT_BUY = re.compile(r"\b(can'?t|cannot|couldn'?t) (buy|afford|purchase) (the |a |that |this |his |her |their )?"
                      r"([\w-]+ )?(books?|textbooks?)\b")


# "I work in R all day", "R code", "my lab uses R": a resource whose code is in R; "in Python" likewise (read on the
# lowered question: "r" after one of these words, never "R^n"; not "I don't want R or Python labs")
_LANGUAGES = (("R", re.compile(r"\b(in|using|use|uses|into)\s+r\b(?![\^\d(])|\br (code|labs?|examples?|scripts?|"
                               r"users?|packages?|programm\w+)\b|\b(rstudio|tidyverse)\b")),
              ("Python", re.compile(r"\b(in|using|prefer)\s+python\b|\bpython (code|labs?|examples?|notebooks?|"
                                    r"only)\b")))
_NEGATED_BEFORE = re.compile(r"(\bnot?|n't|\bwithout|\bnever)\b[^.?!,;]{0,25}$")


def said_languages(lowered: str) -> tuple[str, ...]:
    """The programming languages a lowered question asks the code to be in."""
    return tuple(lang for lang, pattern in _LANGUAGES
                 if any(not _NEGATED_BEFORE.search(lowered[:m.start()]) for m in pattern.finditer(lowered)))
