"""Round 22's readings: a lead-in naming X before a colon is not the learner's gap; "get to the level where
I could start X" asks what comes before X; the problem a learner brings ("a paper I'm reviewing", "I have bird counts
from 60 sites") is neither a kind asked for nor a subject known."""

from advisor.search.intent import IntentReader, attribute_preferences
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
