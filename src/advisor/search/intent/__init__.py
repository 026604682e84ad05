"""All question parsing: what a question asks for beyond its topic.

Named resources, prerequisites, a next step, a comparison, a study path, the passage kinds it wants
(a proof, a definition), the resource attributes it prefers (free, video, rigorous) and whether it leans
on the previous turn. Nothing else in the package reads a question's wording.

`cues` holds the wording cues and the clause readers, `reader` the names and the `Intent`, `asks` the
preferences, passage kinds and follow-ups.
"""

from .asks import (attribute_preferences, condense, question_intent, refers_to_previous, topic_words,
                   wants_comparison, wants_path)
from .cues import known_clauses, lack_clauses, lookup_targets, unnamed_clauses
from .reader import Intent, IntentReader, acronym, reacting, resource_names, squashed

__all__ = ["Intent", "IntentReader", "acronym", "attribute_preferences", "condense", "known_clauses",
           "lack_clauses", "lookup_targets", "question_intent", "reacting", "refers_to_previous", "resource_names", "squashed",
           "topic_words", "unnamed_clauses", "wants_comparison", "wants_path"]
