"""What a question asks, as read by `IntentReader` (reader.py): the record the ranker and the chat read."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Intent:
    mentioned: list[str] = field(default_factory=list)  # resource ids named in the question
    wants_prerequisites: bool = False
    wants_next_step: bool = False
    compares: bool = False
    moves_away: bool = False  # "instead of X", "X was too applied", "after X": X is not the answer
    direction: str = "harder"  # or "easier" along the depth axis, or "earlier" in time (X's predecessors)
    deeper: bool = False  # a move on that asks for more depth in so many words
    deeper_than: bool = False  # ... by comparing with X ("more rigorous", "too applied"), not only "rigorous"
    compares_depth: bool = False  # what is asked beside X's name compares ("gentler", "more", "than"): depth is relative
    sideways: bool = False  # a move to what X leaves out ("says nothing on SGD"), not past X
    rest: str = ""  # the question without the words that name resources ("the X paper" goes whole)
    lacks: str = ""  # the sentences where the learner says what they lack ("I've never done learning theory")
    knows: list[str] = field(default_factory=list)  # the parts where they say what they know ("solid on probability")
    about: list[str] = field(default_factory=list)  # a question about these named resources themselves
    refused: list[str] = field(default_factory=list)  # "not the book with Ben-David": named to be left out
    years: tuple[int, ...] = ()  # "the 2015 diffusion paper" (not "DDPM is 2020": a fact about a named one)
    unwanted: str = ""  # what the learner does not want ("no measure theory", "without proofs"), not a gap they state
    buried: str = ""  # what they would rather not be buried in ("won't drown me in matrix algebra"): not asked for
    same_source: bool = False  # "the more mathematical book by the same authors", "the full notes of that same course"
    between: bool = False  # "ISLR too easy, ESL over my head: anything in between?": between the named ones
    beneath: bool = False  # "stuck on the BPTT derivation, what math am I missing?": what the gap builds on
    presupposing: list[str] = field(default_factory=list)  # named ones said to assume what the learner lacks: steps
