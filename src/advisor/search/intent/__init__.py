"""All question parsing: what a question asks for beyond its topic.

Named resources, prerequisites, a next step, a comparison, a study path, the passage kinds it wants
(a proof, a definition), the resource attributes it prefers (free, video, rigorous) and whether it leans
on the previous turn. Nothing else in the package reads a question's wording.

`cues` holds the wording cues and the clause readers (`before` those asking what comes first), `background` what
the learner lacks, `known` what they know, `names` and `lookup` how resources are named and asked about, `asides`
the remarks and options set aside, `reader` the reader of the `Intent` (`record`), `asks` the preferences,
`passage_kinds` the passage kinds, `conversation` how a message leans on the turn before it.
"""

from .asks import (attribute_preferences, subject_topics, topic_words, wants_comparison, wants_path, without_flavour,
                   without_purpose)
from .background import asked_on, gap_words, lack_clauses
from .known import known_clauses, without_known
from .conversation import condense, content_words, is_aside, reacting, refers_to_previous
from .cues import keeps_rigour, part_clauses, unnamed_clauses
from .lookup import lookup_targets
from .names import acronym, resource_names, squashed
from .passage_kinds import question_intent
from .reader import IntentReader
from .record import Intent

__all__ = ["Intent", "IntentReader", "acronym", "asked_on", "attribute_preferences", "condense", "content_words",
           "gap_words", "is_aside", "keeps_rigour", "known_clauses", "lack_clauses", "lookup_targets", "part_clauses",
           "question_intent", "reacting", "refers_to_previous", "resource_names", "squashed", "subject_topics",
           "topic_words", "unnamed_clauses", "wants_comparison", "wants_path", "without_flavour", "without_known",
           "without_purpose"]
