"""A message in a conversation: whether it leans on the previous turn, the text to search for it (its wishes
replacing the earlier ones of the same kind), whether it reacts to the previous answer, and whether it asks about
that answer's resources ("which of those is free?")."""

from __future__ import annotations

import re
from dataclasses import replace

from .asks import _PREFERENCES, NEEDNT_BE_FREE, attribute_preferences, topic_words
from .cues import _DEEPER, _DEEPER_THAN, _EASIER, _KIND_WORDS
from .record import Intent

# A follow-up that points back ("which of those is free?") is searched with the turn it leans on.
_ANAPHORA = re.compile(r"\b(those|these|them|it|its|that one|this one|the proof|the first|the second|which one|same)\b(?!-)|"
                       r"^\W*(that'?s|thats|this is|that was|that is)\b", re.I)  # "thats brutal. something gentler?"
# "what should I take next for ML?", "what do I need before it?": a step from what the previous turn named
_STEPS_ON = re.compile(r"\b(what'?s next|what (is|comes) next|next step|(read|take|do|study|learn|watch|try) next|"
                       r"after (that|it|this|those|them)|before (that|it|this|those|them)|afterwards|now what|what now|"
                       # "what do I need to know first?": the step before what the previous turn named
                       r"(need|know|learn|read|study|review|cover) first)\b|^\W*next\b(?!\s+(to|year|week|month))|"
                       r"\b(what|which|anything) (comes|to read|to do|to take) after\s*([?.!]|$)|"
                       # "wait, ... has to cover eigen + svd", "update: ...": a correction of the turn before
                       r"^\W*(wait|update|correction|edit)\b", re.I)
# "paid is fine", "happy to buy books", "my library has Springer access": any access will do
_ANY_ACCESS = re.compile(r"\b(paid|paying|pay|buy|buying|purchase)\b[^.?!]{0,20}\b(is |are )?(fine|ok|okay|good|no problem)\b|"
                         r"\b(happy|willing|fine|ok|okay|glad|can) to (pay|buy|purchase)\b|\bdon'?t mind (paying|buying)\b|"
                         r"\blibrary (has|access|gives|can get)\b|\b(got|have|has) (a|some) (book |books )?budget\b|"
                         # "work will pay for a book now", "my lab can buy it"
                         r"\b(work|company|employer|boss|job|uni|university|school|lab|dept|department|advisor|team)"
                         r"( will| would| can| could| is going to| offered to) (pay|cover|buy|reimburse|expense)\b", re.I)
_NEGATED = re.compile(r"\b(not|never|no|cannot|can'?t|unable)\b|n'?t\b", re.I)
# a judgement that compares with a kind it names ("something shorter than a book"), not with the previous answer
_THAN_KIND = re.compile(r"\bthan (an? |the )?(book|textbook|course|class|video|lecture|notes|paper|cheat ?sheet|tutorial)s?\b",
                        re.I)
# the kind nouns a follow-up replaces ("any videos?" after "which book ...")
_KIND_NOUNS = re.compile(rf"\b({_KIND_WORDS}|books|textbooks|courses|classes|papers|tutorials|moocs?|articles?|"
                         r"cheat ?sheets?)\b", re.I)
# "new question: ...", "unrelated, but ...", "switching topics": the learner says the subject changes
_NEW_SUBJECT = re.compile(r"\b(new|diff|different|separate|unrelated|other|another) (q|qs|question|topic|subject|thing)\b|"
                          r"\b(unrelated|separately|switching (gears|topics?)|changing (the )?(topic|subject)|"
                          r"(totally|completely|entirely) (separate|different|unrelated)|"
                          r"on (a|an) (different|other|unrelated) note|on another note|random q(uestion)?)\b", re.I)
# a kind noun that is part of a name: "the cs229 lecture notes", "Boyd's book" (not a wish to replace)
_NAMES_BEFORE = re.compile(r"(\b\w*\d\w*|'s)(\s+(lecture|video|course|class))?\s+$", re.I)
# what is left of a message without its wishes and function words that still says what it is about
_FILLER = frozenset("one ones please pls plz thanks thank thx ok okay lol hmm hm yeah yes nah also actually really "
                    "maybe perhaps though tho still even else other another instead kind sort thing stuff "
                    "thats dont doesnt cant wont isnt arent havent hasnt didnt im ive id youre theyre".split())
# the wishes a follow-up may change, by the attribute words that say them
_AXES = {"access": ("access",), "kind": ("kind",), "difficulty": ("math_depth", "level")}


def condense(question: str, history: list[str], has_subject=None) -> str:
    """The text to search for a message in a conversation: the message itself, or the previous turn's text with
    the message after it when the message leans on it.

    A message leans on the previous turn when it points back ("is it free?"), asks for a step on from it ("what
    should I take next for ML?") or, with `has_subject` (Retriever.has_subject: a topic to learn, or a name the
    library uses), has no subject of its own ("is there a free one?", "something easier?"). A message with a
    subject of its own ("what about Rademacher complexity?") is searched alone: the previous subject and its wishes
    would pull it back. Its wishes replace the previous turn's wishes of the same kind: "which book covers VC
    proofs?" then "any videos?" asks for videos, not books, on VC dimension.
    """
    if not history or _NEW_SUBJECT.search(question):
        return question
    own = has_subject(question) if has_subject is not None else True
    if not (_ANAPHORA.search(question) or _STEPS_ON.search(question) or not own):
        return question
    easier, harder = _EASIER.search(question), _DEEPER_THAN.search(question)
    stated = {axis for axis, attrs in _AXES.items() if any(a in attribute_preferences(question) for a in attrs)}
    if revokes_free(question):  # "actually my library has it, paid is fine": the wish for free is revoked
        stated.add("access")
    if easier or harder:
        stated.add("difficulty")
    previous = _without_wishes(_subject_and_latest(history[-1]), stated)
    # one turn is one sentence: "I finished Boyd's book" and "whats next if I care about SGD" are read apart
    return f"{previous} {question}" if re.search(r"[.?!]\W*$", previous) else f"{previous}. {question}"


def _subject_and_latest(text: str, budget: int = 320) -> str:
    """A long chain of follow-ups as its first sentences (the subject: "Hi! Can you recommend a book on GPs?") and
    its latest ones, within about `budget` characters: the searched text stays within what the encoder reads, and
    the newest message is never cut off its end."""
    sentences = re.split(r"(?<=[.?!])\s+", text.strip())
    if len(text) <= budget or len(sentences) < 3:
        return text
    head, tail = [sentences[0]], [sentences[-1]]
    for s in sentences[1:-1]:  # the subject's sentences first, while they fit in half the budget
        if len(" ".join(head + [s])) > budget // 2:
            break
        head.append(s)
    for s in reversed(sentences[len(head):-1]):
        if len(" ".join(head + [s] + tail)) > budget:
            break
        tail.insert(0, s)
    return " ".join(head + tail)


def revokes_free(message: str) -> bool:
    """"paid is fine", "my library has it", "doesnt need to be free" (not "not willing to pay", "paying is not ok")."""
    if NEEDNT_BE_FREE.search(message):
        return True
    m = _ANY_ACCESS.search(message)
    return bool(m) and not _NEGATED.search(m.group(0)) and not _NEGATED.search(message[max(0, m.start() - 12):m.start()])


def content_words(message: str) -> list[str]:
    """The words of a message that could say what it is about: without its wishes ("free", "easier", "a book"),
    its asking ("which", "any", "something") and function words. "is there a free one?" has none."""
    text = _EASIER.sub(" ", _DEEPER_THAN.sub(" ", _ANY_ACCESS.sub(" ", _STEPS_ON.sub(" ", message))))
    for pattern, _, _ in _PREFERENCES:
        text = re.sub(pattern, " ", text, flags=re.I)
    words = re.findall(r"[a-z][a-z0-9'-]*", topic_words(text).lower())
    return [w for w in words if w.replace("'", "") not in _FILLER and len(w) > 1]


def _without_wishes(text: str, axes: set[str]) -> str:
    """The text without the words that state wishes on these axes (the follow-up states new ones)."""
    if "difficulty" in axes:
        text = _EASIER.sub(" ", _DEEPER_THAN.sub(" ", text))
    if "kind" in axes:  # the nouns only: "where does attention come from?" keeps its subject
        text = _KIND_NOUNS.sub(lambda m: m.group(0) if _NAMES_BEFORE.search(text, 0, m.start()) else " ", text)
    attrs = {a for axis in axes - {"kind"} for a in _AXES[axis]}
    for pattern, attr, _ in _PREFERENCES:
        if attr in attrs:
            text = re.sub(pattern, " ", text, flags=re.I)
    return " ".join(text.split())


# "which of those is free?", "any of them for beginners?", "is it free?", "which one has proofs?"
_REFERS_BACK = re.compile(
    r"\b(of|among|from|between)\s+(those|these|them|the above|the ones|your (?:suggestions|recommendations))\b"
    r"|\b(those|these)\b"
    # ("what are the standard ones?" asks anew, and "the theory behind them" points to the topic)
    r"|\b(which|any|is|are|does|do)\b[^?]{0,40}\b(of them|one of them)\b|^\W*(and\s+|so\s+)?(are|do|does)\s+they\b"
    r"|^\s*(?:and\s+|so\s+)?(?:which|what)\s+one\b"
    r"|^\s*(?:and\s+|so\s+)?(?:is|are|does|do)\s+(?:it|that one|this one)\b",
    re.I,
)


def refers_to_previous(question: str) -> bool:
    """Whether a follow-up asks about the resources of the previous answer."""
    return bool(_REFERS_BACK.search(question))


def reacting(intent: Intent, shown: str, message: str) -> Intent:
    """A follow-up that judges the previous answer without naming anything ("something easier?", "too basic, go
    deeper") moves away from the resource that answer put first, as "X was too hard" moves away from X."""
    easier, deeper_than = _EASIER.search(message), _DEEPER_THAN.search(message)
    # "something shorter than a book" compares with what it names, not with the previous answer
    if intent.mentioned or not (easier or deeper_than) or _THAN_KIND.search(message):
        return intent
    return replace(intent, mentioned=[shown], moves_away=True, wants_prerequisites=False, wants_next_step=False,
                   direction="easier" if easier else "harder", deeper=bool(_DEEPER.search(message)) and not easier,
                   deeper_than=bool(deeper_than) and not easier, compares_depth=True)
