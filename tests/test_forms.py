"""Round 22's readings: a question written as a form ("Background: ...", "Goal: ...", "Cost: free") is read as the
sentences its fields stand for; a lead-in naming X before a colon is not the learner's gap; "get to the level where
I could start X" asks what comes before X; the problem a learner brings ("a paper I'm reviewing", "I have bird counts
from 60 sites") is neither a kind asked for nor a subject known."""

import pytest

from advisor.search.intent import IntentReader, as_prose, attribute_preferences
from advisor.search.intent.background import known_clauses, lack_clauses
from advisor.types import Resource

SHELF = {
    "udacity": Resource("udacity", "Intro to Machine Learning (Udacity)", ["Sebastian Thrun"], kind="course",
                        aliases=["UD120"], topics=["machine-learning"]),
    "koller": Resource("koller", "Probabilistic Graphical Models: Principles and Techniques",
                       ["Daphne Koller", "Nir Friedman"], kind="book", aliases=["Koller & Friedman"],
                       topics=["graphical-models"], prerequisites=["probability"]),
    "realnvp": Resource("realnvp", "Density estimation using Real NVP", ["Laurent Dinh"], kind="paper",
                        aliases=["RealNVP"], topics=["normalizing-flows"]),
    "cs229": Resource("cs229", "CS229: Machine Learning (Stanford)", ["Andrew Ng"], kind="course", aliases=["CS229"],
                      topics=["machine-learning"]),
}


@pytest.mark.parametrize("field, sentence", [
    ("Options: A, B or C", "I'm choosing between A, B or C."),
    ("Completed: the Udacity course", "I already finished the Udacity course."),
    ("Felt: way too applied", "It was way too applied."),
    ("Gap: conditional probability", "conditional probability: that is where I get lost."),
    ("Goal: understand why models generalize", "I want to understand why models generalize."),
    ("Looking for: a free book on kernels", "I want a free book on kernels."),
    ("Not looking for: surveys", "I don't want surveys."),
    ("Cost: $0", "It must be free."),
    ("Budget: doesn't matter", "Price does not matter."),
    ("Format: paper", "I want a paper."),
    ("Plan: work through Koller & Friedman", "I plan to work through Koller & Friedman."),
    ("Ask: what should I read first?", "what should I read first?"),
    ("Why: my advisor said so", "Why: my advisor said so."),  # a field that is only context keeps its name
])
def test_each_field_of_a_form_reads_as_the_sentence_it_stands_for(field, sentence):
    assert as_prose(f"{field}\nTopic: kernels\nFormat: book") == f"{sentence}\nI want to learn kernels.\nI want a book."


def test_empty_fields_are_dropped_and_prose_is_left_as_written():
    assert as_prose("Background: n/a\nGoal: learn kernels\nCost: -") == "I want to learn kernels."
    # one label-like lead-in is prose, not a form
    prose = "Before reading the RealNVP paper: I never took multivariable calculus. What first?"
    assert as_prose(prose) == prose
    assert as_prose("Note: ISLR vs ESL? Which is better") == "Note: ISLR vs ESL? Which is better"


def test_a_form_saying_what_was_done_and_how_it_felt_moves_away_from_it():
    reader = IntentReader(SHELF)
    form = "Completed: Udacity Intro to ML (UD120)\nFelt: way too applied, just sklearn calls\n" \
           "Goal now: understand why a model generalizes\nFormat: a short book"
    intent = reader.read(as_prose(form))
    assert intent.mentioned == ["udacity"] and intent.moves_away


def test_a_form_with_a_plan_and_a_gap_asks_what_comes_first():
    reader = IntentReader(SHELF)
    form = "Plan: work through Koller & Friedman (PGMs)\nGap: conditional probability and independence are shaky\n" \
           "Want: a free probability book with lots of exercises to do first"
    intent = reader.read(as_prose(form))
    assert intent.mentioned == ["koller"] and intent.wants_prerequisites
    assert "conditional probability" in intent.lacks


def test_a_lead_in_naming_x_before_a_colon_is_not_the_gap():
    lacks = lack_clauses("Before reading the RealNVP paper: I'm a chemist and never took multivariable calculus")
    assert "multivariable calculus" in lacks and "RealNVP" not in lacks


def test_getting_to_the_level_where_x_can_be_started_asks_what_comes_before_x():
    reader = IntentReader(SHELF)
    assert reader.read("I want to get to the level where I could start something like CS229").wants_prerequisites
    assert not reader.read("I want a course at the level of CS229").wants_prerequisites


def test_a_paper_the_learner_works_on_is_context_and_not_a_kind_asked_for():
    assert "kind" not in attribute_preferences("A paper I'm reviewing has a plot I don't understand")
    assert "kind" not in attribute_preferences("the papers keep using a log-determinant")
    assert attribute_preferences("I want the original paper on it")["kind"] == ("paper",)
    assert attribute_preferences("my thesis uses kernels, which book?")["kind"] == ("book",)


def test_zero_of_something_wished_with_is_no_gap():
    assert lack_clauses("explain it step by step, with zero equations") == ""
    assert lack_clauses("I have zero calculus")


def test_the_data_of_a_problem_is_not_a_subject_known():
    assert known_clauses("Ecologist here. I have bird counts from 60 sites, some sites with tons of data") == []
    assert known_clauses("I have linear algebra and probability") == ["I have linear algebra and probability"]
