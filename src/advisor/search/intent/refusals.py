"""What the learner refuses ("no measure theory", "zero calculus please") and would rather not be buried in
("without drowning me in matrix algebra"), clause by clause."""

from __future__ import annotations

import re

from .background import _WISH_LEAD

# "calc background only, no measure theory", "without heavy proofs", "zero calculus please": content the learner
# does not want ("no prior stats" refuses no stats)
_UNWANTED = re.compile(r"\b(no(?! longer\b)(?! prior (?!distributions?\b))|without|"
                       r"zero(?=(?: [\w-]+){1,2},? (?:please|pls)\b)|"
                       r"not(?!\s+(?:needed|required|necessary|essential)\b)|"
                       r"(?:don'?t|do not) (?:care (?:about|for)|need|want|(?:give|send) me(?: an?)?|"
                       r"recommend(?: an?)?|suggest(?: an?)?|start me(?: off)? (?:with|on))|"
                       # "a course that won't assume I know probability yet"
                       r"(?:won'?t|wouldn'?t|doesn'?t|does not|will not|would not|shouldn'?t|must not|can'?t) "
                       r"(?:assume|presuppose|require|expect)(?: (?:that )?(?:i|you|we|me to|the reader to) "
                       r"(?:already )?(?:know|have|had|has|be fluent in|be comfortable with))?)\s+"
                       # "not looking for research-topic lectures", "NOT after a theorem-proof book"
                       r"(?:(?:looking for|after|interested in|into|keen on)\s+(?:an?\s+|any\s+)?)?"
                       # "not a whole optimization textbook": the subject of the size refused
                       r"(?:(?:an?|the)\s+(?:whole|full|entire|huge|thick|big)\s+)?"
                       # ... and "not a 2-volume reference": the size, not the article
                       r"(?:(?:an?|the)\s+(?=\d))?"
                       r"((much|any|heavy|real|formal|too much)\s+)?([a-z0-9][\w-]*(\s+[a-z][\w-]*)?)", re.I)
# "without drowning me in matrix algebra": what the learner would rather not be buried in
_BURIED_IN = re.compile(r"\b(without|(that )?(won'?t|will not|doesn'?t|does not|wouldn'?t)) (drown(ing)?|bury(ing)?|"
                        r"swamp(ing)?|overwhelm(ing)?|kill(ing)?|flood(ing)?) (me |you |us )?(in|with) "
                        r"((a lot of|lots of|tons of|too much)\s+)?(?P<what>[a-z][\w-]*(\s+[a-z][\w-]*)?)", re.I)


# "there's no probability at all", "there is literally no math": what a resource lacks, not what the learner refuses
_ABSENT = re.compile(r"\bthere(?:'s|s| is| was| are| were)(?: \w+)?\s*$", re.I)


def unwanted_parts(clause: str) -> list[str]:
    """The words after "no", "without", "don't need" ...: what the learner does not want."""
    # ... and the examples that follow it: "not research-topic lectures like offline RL or PyTorch homework"
    return [_KIND_AFTER.sub(r"\1", m.group(4)) + (e.group(1) if (e := _EXAMPLES.match(clause, m.end())) else "")
            for m in _UNWANTED.finditer(clause) if not _ABSENT.search(clause[:m.start()])] \
        + ([m.group(1) for m in _ZERO.finditer(clause)] if _WISH_LEAD.match(clause) else [])


# "svm without equations video": the kind after the content refused is what is asked for ("no maths book" refuses
# the book)
_KIND_AFTER = re.compile(r"^((equations?|formulas?|formulae|proofs?|calculus|jargon|notation))\s+(videos?|books?|textbooks?|"
                         r"courses?|notes|lectures?|papers?|pdfs?|please|pls)$", re.I)


# "want free, hands-on, zero calculus": in a wish, what "zero" goes with is refused, "please" or not
_ZERO = re.compile(r"\bzero\s+([a-z][\w-]*(\s+[a-z][\w-]*)?)(?=\s*(,|\.|;|$|and\b|or\b|please|pls))", re.I)


_EXAMPLES = re.compile(r"(\s*,?\s+(like|such as|e\.g\.,?|say)\s+[^.?!;:()]+)", re.I)


def buried_parts(clause: str) -> list[str]:
    """What the learner would rather not be buried in ("won't drown me in matrix algebra"): not the subject asked
    for, but some of it is fine (a book that presupposes a little of it is no miss)."""
    return [m.group("what") for m in _BURIED_IN.finditer(clause)]
