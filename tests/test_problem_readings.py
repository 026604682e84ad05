"""Round 22's readings: a lead-in naming X before a colon is not the learner's gap; "get to the level where
I could start X" asks what comes before X, as does a gap said beside an X the learner is to present or that their
reading group picked; "I want that original paper" after naming X asks for X; the problem a learner brings ("a paper I'm reviewing", "I have bird counts
from 60 sites") is neither a kind asked for nor a subject known."""

from advisor.search.intent import IntentReader, attribute_preferences
from advisor.search.intent import known_clauses, lack_clauses
from advisor.types import Resource

SHELF = {
    "udacity": Resource("udacity", "Intro to Machine Learning (Udacity)", ["Sebastian Thrun"], kind="course",
                        aliases=["UD120"], topics=["machine-learning"]),
    "koller": Resource("koller", "Probabilistic Graphical Models: Principles and Techniques",
                       ["Daphne Koller", "Nir Friedman"], kind="book", aliases=["Koller & Friedman"],
                       topics=["graphical-models"], prerequisites=["probability"]),
    "realnvp": Resource("realnvp", "Density estimation using Real NVP", ["Laurent Dinh"], kind="paper",
                        aliases=["RealNVP"], topics=["normalizing-flows"]),
    "cybenko": Resource("cybenko", "Approximation by Superpositions of a Sigmoidal Function", ["George Cybenko"],
                        kind="paper", topics=["universal-approximation"], prerequisites=["functional-analysis"]),
    "vaswani": Resource("vaswani", "Attention Is All You Need", ["Ashish Vaswani"], kind="paper",
                        topics=["transformers"]),
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


def test_a_gap_beside_x_to_present_or_picked_by_a_reading_group_asks_what_comes_before_x():
    reader = IntentReader(SHELF)
    for q in ("- want to present Cybenko's 1989 proof in a reading group\n- it leans on Hahn-Banach, which I've never "
              "seen\n- a readable textbook is fine",
              "Our reading group picked Cybenko's paper for Friday. I've never seen Hahn-Banach. Quickest route?"):
        intent = reader.read(q)
        assert intent.mentioned == ["cybenko"] and intent.wants_prerequisites, q
    # without a gap it is a question about X
    assert not reader.read("Our reading group picked Cybenko's paper for Friday. Where is the pdf?").wants_prerequisites


def test_that_paper_said_after_naming_x_asks_for_x():
    reader = IntentReader(SHELF)
    q = 'my manager keeps citing "the Vaswani et al. 2017 paper". I want that original paper, mainly for the sqrt(d_k) part'
    assert reader.read(q).mentioned == ["vaswani"] and not reader.read(q).moves_away
    assert not reader.read("Vaswani et al. 2017, I want the free pdf version of that one").moves_away
    # another resource of X's course is no way back to X
    assert reader.read("The CS229 cheatsheets are nice. I want the written notes of that same course").moves_away
