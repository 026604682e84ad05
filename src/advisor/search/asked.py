"""What a question asks beside what the learner says they know, lack, refuse or would not be buried in: the topics
a resource is scored on."""

from __future__ import annotations

from ..library.topics import TopicMatcher
from ..types import Resource
from .intent import Intent, asked_on, gap_words, subject_topics, topic_words, without_known
from .signals import CONTEXT_TOPIC


def beyond_known(query: str, asking: str, intent: Intent, named: list[Resource], matcher: TopicMatcher) -> tuple:
    """The question and what it asks, without what the learner says they know ("solid on probability, want a
    learning theory book"), and asked_topics of that; unless nothing else is asked: "Hands-on ML book done.
    something more mathematical?" steps on within what they know."""
    unsaid = _unsaid(query, intent.knows), _unsaid(asking, intent.knows)
    topics, gaps, known, unwanted, buried = asked_topics(unsaid[1], intent, matcher)
    if not topics and known and intent.wants_next_step and not named:
        return query, asking, (sorted(known), gaps, known, unwanted, buried)
    return *unsaid, (topics, gaps, known, unwanted, buried)


def asked_topics(asking: str, intent: Intent, matcher: TopicMatcher) -> tuple[list[str], list[str], set, set, set]:
    """The topics asked for, and those the learner lacks, knows, does not want, or would not be buried in."""
    # ("the multivariate normal (conditioning, covariance matrices) loses me": one gap, said with its parts)
    # (only in a gap: "why ML generalizes (PAC, VC dimension)" asks for each of them)
    parts = matcher.aspects(intent.lacks)
    gaps = [t for t in matcher.find(gap_words(intent.lacks)) or matcher.find(intent.lacks) if t not in parts]
    known = set(matcher.find(" ".join(intent.knows))) - set(gaps)
    # "before X: no measure theory" may be the gap X needs; asked with no X, it is what the learner does not want
    unwanted = set() if intent.wants_prerequisites and intent.mentioned \
        else set(matcher.find(intent.unwanted)) - known
    buried = set(matcher.find(intent.buried)) - known
    topics = [t for t in subject_topics(asking, matcher.find) if t not in known | unwanted | buried | parts]
    # "my linear algebra is minimal. want a first book on statistical learning": beside another subject a
    # resource is asked on, and with nothing named to come before, a gap says the learner's level, not what to read
    # (not "my probability is weak: a probability book for my ML course?")
    # ... as it does asking for a gentler way into X ("no linear algebra yet. a first ML textbook before CS229")
    gentler = intent.moves_away and intent.direction == "easier"
    if gaps and (not intent.mentioned or gentler) and not intent.wants_prerequisites:
        on = set(subject_topics(asked_on(asking), matcher.find)) - known
        if on and not on & set(gaps):
            topics = [t for t in topics if t not in gaps] or sorted(on)
    # "the gradients in ML papers", "linear algebra for ML": beside a topic, machine learning is the context
    if len(topics) > 1:
        topics = [t for t in topics if t != CONTEXT_TOPIC]
    return topics, gaps, known, unwanted, buried


def _unsaid(text: str, parts: list[str]) -> str:
    """The text without the parts where the learner says what they know (kept when nothing else is left)."""
    out = without_known(text, parts)
    return out if topic_words(out).strip() else text
