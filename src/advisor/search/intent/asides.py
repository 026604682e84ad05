"""A road not taken: "I considered the 1996 book, though people say it's heavy going", "I thought about a proof-based
book, but that's not my style; I'd like ...". A long post often names an option the learner weighed and set aside
before saying what they want. Its words are not asked for, and its verdict is on it, not on the resource the
learner comes from: "heavy going" said of a book set aside asks for nothing easier than Vapnik.

Only an option that names no catalog record is set aside here: "I thought about Rudin, but it's too terse" names
the resource the learner reacts to, which the question reader already reads as such.

A remark the learner marks as beside the question is left out too: "(Side note: our lead was on a Netflix Prize
team)", "Unrelated: should I upgrade my laptop?", "(... whether my library's copy is the free PDF, though that's
secondary)". Its words would otherwise ask for what the learner says they are not asking about.
"""

from __future__ import annotations

import re

from .cues import _WISH

# "I (briefly) considered", "I was going to", "we thought about switching to", "I toyed with the idea of"
_SET_ASIDE = re.compile(
    r"\b(i|we)\s+((briefly|also|first|originally|initially|almost|even|honestly)\s+)?"
    r"(considered|thought (about|of)|(was|were) (going|planning|about|tempted) to|(was|were) thinking (about|of)|"
    r"toyed with( the idea of)?|contemplated|debated)\b"
    r"(?P<what>[^.;!?]*?)"
    # ... up to a turn ("but", "though") and what follows it in the sentence: without a turn nothing is set aside
    # ("I was planning to learn measure theory this summer" is the plan)
    r"(?P<turn>,?\s*\b(but|though|although|however|yet)\b(?P<after>[^.;!?]*))", re.I)
# what follows the turn asks for something ("but first I want ...", "but no, I'd rather have the book", "so free
# notes would suit me best") rather than judging the option ("but that's not my style", "so that's out")
_ASKS_AFTER = re.compile(_WISH.pattern + r"|\b(i'?d|i would|we'?d) (rather|prefer)\b|"
                         r"\b(i|we) (\w+ )?(just |really |actually |first |probably )?(want|need|prefer)\b|"
                         r"\bwhat (i|we) (\w+ )?(want|need)\b|\b(i|we) (learn|work|do) better\b|"
                         r"\bwould (suit|be (ideal|great|nice|perfect|best|better)|work (better|best)|help)\b", re.I)
_SO = re.compile(r",?\s*\bso\b", re.I)


def set_aside(question: str, names_a_record) -> str:
    """The question without the options the learner weighed and set aside, unless one names a record
    (`names_a_record(text)`); a wish said after the turn stays."""
    out, last = [], 0
    for m in _SET_ASIDE.finditer(question):
        if names_a_record(m.group(0)):
            continue
        after = _SO.split(m.group("after") or "")[-1]  # "deadlines don't fit, so short notes would suit me"
        kept = after if _ASKS_AFTER.search(after) else ""
        out.append(question[last:m.start()])
        out.append(re.sub(r"^\W*(?:(no|yes|ok|okay|honestly|actually)\b)?\W*", "", kept))
        last = m.end()
    if not out:
        return question
    out.append(question[last:])
    text = "".join(out)
    # a sentence left empty leaves its stop behind: "Background: ... .  . I'd like" reads as one gap
    text = " ".join(re.sub(r"(?<=[.;!?])\s*[.;,]+", "", text).split())
    return text if re.search(r"[A-Za-z]{3,}", text) else question


# the labels that mark a remark as beside the question
_ASIDE_LABEL = (r"(small |quick |one |a )?side (question|note|remark)|unrelated|(random |quick )?aside|separately|"
                r"by the way|btw|p\.?s\.?|(slightly )?off[- ]topic|bonus question|not that it matters|"
                r"also (just )?(curious|wondering|unrelated|random|a side|off[- ]topic|separately)|"
                r"just (curious|flagging)")
_MARKED_ASIDE = re.compile(
    # a bracket that opens with a label or says it is beside the point
    rf"\(\s*({_ASIDE_LABEL})\b[^()]*\)|"
    r"\([^()]*\b((that'?s|that is|it'?s|it is|this is) (secondary|a side (issue|question|note)|unrelated|"
    r"beside the point|off[- ]topic)|no advice needed)\b[^()]*\)|"
    # a sentence after the question that opens with one: "Small side question: any problem printing them?"
    # (a message that opens "unrelated, but do you know a good intro to HMMs?" turns to a new subject)
    rf"(?<=[.?!])\s+({_ASIDE_LABEL})\s*:[^.?!]*[.?!]*", re.I)


def without_marked_asides(question: str) -> str:
    """The question without the remarks the learner marks as beside it (a question left empty stays whole)."""
    if not _MARKED_ASIDE.search(question):
        return question  # (its line breaks end clauses: "only know python + hs algebra\nwant a hands-on course")
    text = re.sub(r" *\n *", "\n", re.sub(r"[ \t]+", " ", _MARKED_ASIDE.sub(" ", question))).strip()
    return text if re.search(r"[A-Za-z]{3,}", text) else question
