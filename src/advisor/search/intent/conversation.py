"""A message in a conversation: whether it leans on the previous turn, the text to search for it (its wishes
replacing the earlier ones of the same kind), whether it reacts to the previous answer, and whether it asks about
that answer's resources ("which of those is free?")."""

from __future__ import annotations

import re
from dataclasses import replace

from .asks import _PREFERENCES, NEEDNT_BE_FREE, attribute_preferences, topic_words
from .cues import _DEEPER, _DEEPER_THAN, _EASIER, _KIND_WORDS, _REQUEST, _WISH
from .record import Intent

# A follow-up that points back ("which of those is free?") is searched with the turn it leans on.
_ANAPHORA = re.compile(r"\b(those|these|them|it|its|that one|this one|the proof|the first|the second|which one|same)\b(?!-)|"
                       r"^\W*(that'?s|thats|this is|that was|that is)\b|"  # "thats brutal. something gentler?"
                       # "where do I even start with the maths?": the maths of the subject before
                       r"\bthe (maths?|mathematics|math side|theory side|prereqs?|prerequisites)\b(?!\s+(of|for|behind|in)\b)",
                       re.I)
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
_WANTS_NOW = re.compile(r"\bi (\w+ )?(want|need|would like|'d like)\b|"
                        # "I have a linear algebra exam next week": a need, said as a fact
                        r"\b(i have|i'?ve got|i got|i'?m taking|i take) (an? |my |the |two |three )?([\w-]+ ){0,3}"
                        r"(exams?|midterms?|finals|quiz|quals|interviews?|deadline|assignments?|homework|"
                        r"problem sets?)\b", re.I)
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


# An aside is said in passing, not the thread the learner pursues: a remark flagged as such ("random: does anyone
# still use MATLAB?", "separately I'm brushing up on SQL") or a plan for later ("might look at online learning at
# some point, but not yet", "also starting an ML course in the fall, no rush on that"), asking for nothing now
_REMARK = re.compile(r"^\W*(random|unrelated|separately|tangent|off[- ]topic|btw|side (q|question|note))\b|"
                     r"\b(side (q|question|note)|just curious|out of curiosity|(a |that'?s a )?separate (headache|thing|"
                     r"issue|matter|story))\b", re.I)
_LATER = re.compile(r"\b(not (for )?now|not yet|no rush|at some point|eventually|some ?day|"
                    r"later (this|next|in the) (year|month|semester|term|summer|fall|autumn|spring)|"
                    r"next (year|semester|term|summer))\b", re.I)
# "back to stat 110:", "for the stats learning stuff I mentioned at the start": the learner returns to the thread
_RETURN = re.compile(r"\b((go(ing)?|get(ting)?|coming|come) back to|back to|return(ing)? to|anyway|anyhow|re:|re the|"
                     r"regarding the|(i|we) (mentioned|said|asked( about)?) (at the start|earlier|before|first))\b", re.I)
# the wishes a thread holds until revoked: a rule the learner sets for the whole search ("free resources only, I'm
# broke", "videos preferred"), not a wish for one answer ("any free course on NLP?" is no rule for what comes next)
_STANDING_FREE = re.compile(r"\b(free (\w+ ){0,2}only|only free|free (\w+ )?(for me|please|pls)|(must|has to|have to|needs? to|"
                            r"got to|gotta) be (completely |totally |100% )?free|(student|no|tight|zero) budget|broke|"
                            r"can'?t afford|cannot afford|no money|nothing (paid|gated)|no paywalls?)\b", re.I)
_STANDING_KIND = re.compile(r"\b(prefer(red|ably)?|i (really )?like|learn best (from|with)|(only|just) want)\b[^.?!;]{0,30}"
                            r"\b(?P<kind>videos?|lectures?|books?|textbooks?|notes|written|reading)\b|"
                            r"\b(?P<kind2>videos?|lectures?|books?|notes) (preferred|please|only|pls)\b", re.I)
_KIND_WORD = {"video": "videos", "videos": "videos", "lecture": "videos", "lectures": "videos", "book": "book",
              "books": "book", "textbook": "book", "textbooks": "book", "notes": "notes", "written": "notes",
              "reading": "book"}


# a statement that adds to the thread says something of the learner or of what they read ("my probability is
# Blitzstein-Hwang level", "the duality chapter finally clicked", "the Jensen-Shannon result was neat"); one that
# only names a subject ("now specifically HMC: typical set, leapfrog") asks for it in so few words
_SAYS_OF_ITSELF = re.compile(r"\b(i|i'?m|i'?ve|i'?d|my|me|we|our|us|he|she|his|her)\b|\bclicked\b|"
                             # the learner's state, the subject dropped ("lost at the ELBO part")
                             r"^\W*(lost|stuck|confused|struggling|drowning|stalled|bored)\b|"
                             r"\b(was|is|were|are|'s)\s+(\w+\s+)?(neat|great|cool|nice|helpful|useful|fun|hard|brutal|"
                             r"tough|easy|clear|confusing|amazing|awesome|interesting|slow|fine|ok|okay|good|bad|"
                             r"beautiful|elegant|dense|long)\b", re.I)


def _states_a_wish(message: str) -> bool:
    """"rigorous + free", "a video": a preference said in so many words."""
    return any(a in attribute_preferences(message) for a in ("access", "kind", "math_depth", "level"))


def asks_now(message: str) -> bool:
    """Whether a message asks for something: a question, a wish, a request or a preference ("free + rigorous")."""
    return "?" in message or bool(_WISH.search(message) or _REQUEST.search(message) or _WANTS_NOW.search(message)) \
        or _states_a_wish(message)


def is_aside(message: str) -> bool:
    """A remark in passing or a plan for later, asking for nothing now: not part of the conversation's thread
    ("unrelated - bandits, rigorous + free" asks for something, and starts a new thread)."""
    asks = bool(_WISH.search(message) or _REQUEST.search(message))
    if _LATER.search(message) and not asks and not _RETURN.search(message):
        return True
    return bool(_REMARK.search(message)) and not asks and not _states_a_wish(message)


def condense(question: str, history: list[str], has_subject=None) -> str:
    """The text to search for a message in a conversation: the message itself, or the thread's latest turn with
    the message after it when the message leans on it.

    The thread is the earlier turns but the asides (`is_aside`): "random: anyone still use MATLAB?" is answered
    and then set aside. A message leans on the thread's latest turn (or the one it returns to: "back to stat
    110") when it points back ("is it free?", "the exam is ..."), asks for a step on from it ("what should I take
    next for ML?"), says something of the learner or of what they read without asking ("the duality chapter
    finally clicked", "my probability is roughly Blitzstein-Hwang level") or, with `has_subject`
    (Retriever.has_subject: a topic to learn, or a name the library uses), has no subject of its own ("is there a
    free one?", "something easier?"). A request with a subject of its own ("what about Rademacher complexity?",
    "now specifically HMC: ...") is searched alone with the thread's standing rules (`_with_wishes`: free,
    videos): the previous subject would pull it back. Its wishes replace the thread's wishes of the same kind:
    "which book covers VC proofs?" then "any videos?" asks for videos, not books, on VC dimension.
    """
    if not history or is_aside(question):
        return question
    thread = [h for h in history if not is_aside(h)] or history
    if _NEW_SUBJECT.search(question):  # a new subject keeps the budget, not the kind wished for the old one
        return _with_wishes(question, thread, axes=("access",))
    own = has_subject(question) if has_subject is not None else True
    leans = _ANAPHORA.search(question) or _STEPS_ON.search(question) or _RETURN.search(question) or not own \
        or _said_before(question, thread[-1])
    if not leans and (asks_now(question) or not _SAYS_OF_ITSELF.search(question)):
        return _with_wishes(question, thread)
    stated = _stated_axes(question)
    previous = _without_wishes(_subject_and_latest(_returned_to(question, thread)), stated)
    # one turn is one sentence: "I finished Boyd's book" and "whats next if I care about SGD" are read apart
    return f"{previous} {question}" if re.search(r"[.?!]\W*$", previous) else f"{previous}. {question}"


def _said_before(question: str, previous: str) -> bool:
    """"the exam is classical frequentist theory" after "studying for a stats qualifying exam": a definite noun
    the thread has said points back to it."""
    said = {w.lower() for w in re.findall(r"[A-Za-z][\w-]{2,}", previous)}
    return any(m.group(2).lower() in said and m.group(2).lower() not in _FILLER
               for m in re.finditer(r"\b(the|that|this)\s+([A-Za-z][\w-]{2,})\b", question, re.I))


def _returned_to(question: str, thread: list[str]) -> str:
    """The turn a message leans on: the latest of the thread, or, when it returns to something said before ("back
    to stat 110: ..."), the latest turn that shares a word with it."""
    if not _RETURN.search(question):
        return thread[-1]
    words = set(content_words(_RETURN.sub(" ", question)))
    return next((turn for turn in reversed(thread) if words & set(content_words(turn))), thread[-1])


def _stated_axes(question: str) -> set[str]:
    """The axes (access, kind, difficulty) on which a message states a wish of its own, or revokes one."""
    stated = {axis for axis, attrs in _AXES.items() if any(a in attribute_preferences(question) for a in attrs)}
    if revokes_free(question):  # "actually my library has it, paid is fine": the wish for free is revoked
        stated.add("access")
    if _EASIER.search(question) or _DEEPER_THAN.search(question):
        stated.add("difficulty")
    return stated


def _with_wishes(question: str, thread: list[str], axes=("access", "kind")) -> str:
    """A message searched alone, with the standing rules of its thread on the axes it says nothing of: "free
    resources only please" then "what about probability?" asks for free resources on probability."""
    stated, words = _stated_axes(question) | ({"access", "kind"} - set(axes)), []
    for turn in reversed(thread):  # the latest rule on an axis holds ("forget the free rule" revokes it)
        if "access" not in stated and (revokes_free(turn) or _STANDING_FREE.search(turn)):
            stated.add("access")
            words += [] if revokes_free(turn) else ["free"]
        kind = _STANDING_KIND.search(turn)
        if "kind" not in stated and kind:
            stated.add("kind")
            words.append(_KIND_WORD[(kind.group("kind") or kind.group("kind2")).lower()])
    return f"{question} ({', '.join(words)})" if words else question


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


# "just normalizing flows. a thorough review of those": a text on a subject named, not one of the resources shown
_WORK_ON_THEM = re.compile(r"\b(reviews?|surveys?|intro(duction)?s?|overviews?|treatments?|explanations?|tutorials?|"
                           r"derivations?|proofs?|theory|history|maths?|mathematics) (of|on|for|about|behind) "
                           r"(those|these|them)\b", re.I)


def refers_to_previous(question: str) -> bool:
    """Whether a follow-up asks about the resources of the previous answer."""
    return bool(_REFERS_BACK.search(_WORK_ON_THEM.sub(" ", question)))


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
