"""A message in a conversation: whether it leans on the previous turn, the text to search for it (its wishes
replacing the earlier ones of the same kind), whether it reacts to the previous answer, and whether it asks about
that answer's resources ("which of those is free?")."""

from __future__ import annotations

import re
from dataclasses import replace

from .asks import _PREFERENCES, attribute_preferences
from .cues import _DEEPER, _DEEPER_THAN, _EASIER
from .reader import Intent

# A follow-up that points back ("which of those is free?") is searched with the turn it leans on.
_ANAPHORA = re.compile(r"\b(those|these|them|it|its|that one|this one|the proof|the first|the second|which one|same)\b", re.I)
# "what should I take next for ML?", "what do I need before it?": a step from what the previous turn named
_STEPS_ON = re.compile(r"\b(next|after (that|it|this|those|them)|before (that|it|this|those|them)|afterwards|then)\b", re.I)
# "paid is fine", "happy to buy books", "my library has Springer access": any access will do
_ANY_ACCESS = re.compile(r"\b(paid|paying|pay|buy|buying|purchase)\b[^.?!]{0,20}\b(is |are )?(fine|ok|okay|good|no problem)\b|"
                         r"\b(happy|willing|fine|ok|okay|glad|can) to (pay|buy|purchase)\b|\bdon'?t mind (paying|buying)\b|"
                         r"\blibrary (has|access|gives)\b", re.I)
# the wishes a follow-up may change, by the attribute words that say them
_AXES = {"access": ("access",), "kind": ("kind",), "difficulty": ("math_depth", "level")}


def condense(question: str, history: list[str], has_subject=None) -> str:
    """The text to search for a message in a conversation: the message itself, or the previous turn's text with
    the message after it when the message leans on it.

    A message leans on the previous turn when it points back ("is it free?"), asks for a step on from it ("what
    should I take next for ML?") or, with `has_subject` (whether a text names a topic or a resource), has no
    subject of its own ("is there a free one?", "something easier?"). A message with a subject of its own ("what
    about Rademacher complexity?") is searched alone: the previous subject and its wishes would pull it back. Its wishes replace the previous turn's wishes of the
    same kind: "which book covers VC proofs?" then "any videos?" asks for videos, not books, on VC dimension.
    """
    if not history:
        return question
    own = has_subject(question) if has_subject is not None else True
    if not (_ANAPHORA.search(question) or _STEPS_ON.search(question) or not own):
        return question
    easier, harder = _EASIER.search(question), _DEEPER_THAN.search(question)
    stated = {axis for axis, attrs in _AXES.items() if any(a in attribute_preferences(question) for a in attrs)}
    if _ANY_ACCESS.search(question):  # "actually my library has it, paid is fine": the wish for free is revoked
        stated.add("access")
    if easier or harder:
        stated.add("difficulty")
    previous = _without_wishes(_subject_and_latest(history[-1]), stated)
    # one turn is one sentence: "I finished Boyd's book" and "whats next if I care about SGD" are read apart
    return f"{previous} {question}" if re.search(r"[.?!]\W*$", previous) else f"{previous}. {question}"


def _subject_and_latest(text: str, keep: int = 2) -> str:
    """A long chain of follow-ups as its first sentence (the subject) and its latest ones: the searched text stays
    within what the encoder reads, and the newest message is never cut off its end."""
    sentences = re.split(r"(?<=[.?!])\s+", text.strip())
    return " ".join([sentences[0], *sentences[-keep:]]) if len(sentences) > keep + 1 else text


def _without_wishes(text: str, axes: set[str]) -> str:
    """The text without the words that state wishes on these axes (the follow-up states new ones)."""
    if "difficulty" in axes:
        text = _EASIER.sub(" ", _DEEPER_THAN.sub(" ", text))
    attrs = {a for axis in axes for a in _AXES[axis]}
    for pattern, attr, _ in _PREFERENCES:
        if attr in attrs:
            text = re.sub(pattern, " ", text, flags=re.I)
    return " ".join(text.split())


# "which of those is free?", "any of them for beginners?", "is it free?", "which one has proofs?"
_REFERS_BACK = re.compile(
    r"\b(of|among|from|between)\s+(those|these|them|the above|the ones|your (?:suggestions|recommendations))\b"
    r"|\b(those|these)\b"
    r"|\b(which|what|any|is|are|does|do)\b[^?]*\b(them|ones|one of them)\b"
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
    if intent.mentioned or not (easier or deeper_than) or re.search(r"\bthan\b", message, re.I):
        return intent
    return replace(intent, mentioned=[shown], moves_away=True, wants_prerequisites=False, wants_next_step=False,
                   direction="easier" if easier else "harder", deeper=bool(_DEEPER.search(message)) and not easier,
                   deeper_than=bool(deeper_than) and not easier, compares_depth=True)
