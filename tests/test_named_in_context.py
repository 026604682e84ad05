"""Round 20's readings of a resource named inside real context: where to watch or get it, its own copy, version or
parts, the original paper named, a year refused, the book named beside its course, and free said of one kind."""

import pytest

from advisor.search.intent import IntentReader, attribute_preferences
from advisor.search.preferences import preference_counts
from advisor.types import Resource

SHELF = {
    "cs229": Resource("cs229", "CS229: Machine Learning (Stanford)", ["Andrew Ng"], kind="course",
                      aliases=["CS 229"]),
    "ng": Resource("ng", "Machine Learning (Coursera)", ["Andrew Ng"], kind="course",
                   aliases=["Andrew Ng's Coursera course", "coursera ML course"]),
    "mohri": Resource("mohri", "Foundations of Machine Learning", ["Mehryar Mohri"], kind="book"),
    "stat110": Resource("stat110", "Statistics 110: Probability", ["Joe Blitzstein"], kind="course",
                        aliases=["Stat110"]),
    "vae": Resource("vae", "Auto-Encoding Variational Bayes", ["Diederik Kingma", "Max Welling"], kind="paper",
                    year=2013),
    "ddpm": Resource("ddpm", "Denoising Diffusion Probabilistic Models", ["Jonathan Ho"], kind="paper",
                     aliases=["DDPM"], year=2020),
    "lfd": Resource("lfd", "Learning From Data", ["Yaser S. Abu-Mostafa"], kind="book"),
    "cs156": Resource("cs156", "Learning From Data (Caltech CS 156 lectures)", ["Yaser S. Abu-Mostafa"],
                      kind="course", aliases=["Abu-Mostafa lectures"]),
    "cover": Resource("cover", "Elements of Information Theory", ["Thomas Cover", "Joy Thomas"], kind="book",
                      aliases=["Cover and Thomas"]),
    "islr": Resource("islr", "An Introduction to Statistical Learning", ["Gareth James"], kind="book",
                     aliases=["ISLR"]),
}


@pytest.mark.parametrize("question, about", [
    ("where can i watch cs 229, the 2018 lectures? did his coursera ML course already, it skipped derivations",
     ["cs229"]),
    ("mohri 2nd ed free pdf? need the rademacher chapter", ["mohri"]),
    ("Stat110 - where are the practice problems and the full lecture videos? I'd rather not do the edX version.",
     ["stat110"]),
    ("Our lab is on chapter 2 of Cover and Thomas. Which other chapters are worth it for ML people?", ["cover"]),
])
def test_a_question_on_the_named_resource_is_about_it(question, about):
    intent = IntentReader(SHELF).read(question)
    assert intent.about == about and not intent.moves_away


def test_a_request_for_another_resource_still_moves_away():
    intent = IntentReader(SHELF).read("my friend used ISLR but i want the harder one by the same people. is that one "
                                      "free too?")
    assert intent.about == [] and intent.moves_away


def test_which_version_and_the_whole_course_point_back_at_the_course():
    intent = IntentReader(SHELF).read("Stat110 lectures: which version has the recitation videos? I want to do the "
                                      "whole course on my own.")
    assert intent.mentioned == ["stat110"] and not intent.moves_away


def test_the_original_paper_said_of_a_named_paper_is_that_paper():
    reader = IntentReader(SHELF)
    intent = reader.read("Kingma & Welling 2013. I want the original short paper with the SGVB estimator, "
                         "not their 2019 long tutorial. arxiv link?")
    assert intent.mentioned == ["vae"] and not intent.moves_away and intent.direction != "earlier"
    assert 2019 not in intent.years
    # before a named paper, the original one is earlier in time
    assert reader.read("What was the first diffusion model paper, before DDPM?").direction == "earlier"


def test_a_kind_said_after_shared_words_names_that_record_beside_the_other():
    intent = IntentReader(SHELF).read("I bought the Abu-Mostafa book that goes with his Caltech lectures. Where "
                                      "are the SVM chapters?")
    assert "lfd" in intent.mentioned and "lfd" in intent.about


def test_a_course_done_after_if_is_behind_the_learner():
    shelf = {**SHELF, "tb": Resource("tb", "Numerical Linear Algebra", ["Trefethen", "Bau"], kind="book",
                                     aliases=["Trefethen & Bau"]),
             "mit1806": Resource("mit1806", "MIT 18.06 Linear Algebra", ["Gilbert Strang"], kind="course",
                                 aliases=["18.06"])}
    intent = IntentReader(shelf).read("Is Trefethen & Bau worth reading if I already did Strang's 18.06?")
    assert "mit1806" in intent.refused and "tb" not in intent.refused


def test_free_said_of_the_companion_kind_leaves_the_main_kind_unpriced():
    prefs = attribute_preferences("a clear first probability textbook with free lecture videos to go with it")
    assert prefs["access_kinds"] == ("course", "video-series")
    paid_book = Resource("b", "A Book", kind="book", access="paid")
    paid_course = Resource("c", "A Course", kind="course", access="paid")
    assert preference_counts(paid_book, prefs)[1] == 0 and preference_counts(paid_course, prefs)[1] == 1
    # free said of everything asked, or said alone, prices every kind
    assert "access_kinds" not in attribute_preferences("free videos or a free book on PCA")
    assert "access_kinds" not in attribute_preferences("a textbook with lecture videos, free please")


OWN = {
    **SHELF,
    "3b1b": Resource("3b1b", "Neural Networks (3Blue1Brown series)", ["Grant Sanderson"], kind="video-series",
                     aliases=["the 3b1b neural network videos"]),
    "cb": Resource("cb", "Statistical Inference", ["George Casella", "Roger Berger"], kind="book",
                   aliases=["Casella & Berger"]),
    "gq": Resource("gq", "Linear Algebra and Optimization with Applications to Machine Learning",
                   ["Jean Gallier", "Jocelyn Quaintance"], kind="book", aliases=["Gallier & Quaintance"]),
    "bubeck": Resource("bubeck", "Convex Optimization: Algorithms and Complexity", ["Sebastien Bubeck"],
                       kind="paper", aliases=["Bubeck convex optimization monograph"]),
}


@pytest.mark.parametrize("question, about", [
    ("ISLR is going well, but my team works in Python. Is there an official Python edition of the book?", "islr"),
    ("the 3b1b neural network videos, the backprop one went over my head. is there a written version of that series "
     "so i can go slower", "3b1b"),
    ("Casella & Berger is heavy going. Should I keep pushing through it for ML, or is it not the right book for what "
     "I need?", "cb"),
    ("Gallier & Quaintance's books are heavy but I'm committed. I've got Volume I, but where's Volume II?", "gq"),
    ("Bubeck convex optimization monograph, proofs are short but I'm stuck on mirror descent. It is free on arXiv?",
     "bubeck"),
])
def test_a_reaction_to_x_then_a_question_on_x_s_own_material_is_about_x(question, about):
    intent = IntentReader(OWN).read(question)
    assert intent.about == [about] and not intent.moves_away


def test_a_reaction_to_x_then_a_request_for_another_still_moves_away():
    reader = IntentReader(OWN)
    assert reader.read("Casella & Berger is heavy going. Is there a gentler statistics book?").moves_away
    assert reader.read("where's the probabilistic version of the same model? Koren et al felt like engineering."
                       ).about == []


def test_too_slow_and_heavy_asks_for_something_easier():
    intent = IntentReader(OWN).read("Casella and Berger: too slow and heavy. I want a compact tour of statistics.")
    assert intent.moves_away and intent.direction == "easier"


def test_a_resource_silent_on_a_subject_moves_sideways():
    shelf = {**OWN, "bv": Resource("bv", "Convex Optimization", ["Stephen Boyd", "Lieven Vandenberghe"], kind="book",
                                   aliases=["Boyd & Vandenberghe"])}
    intent = IntentReader(shelf).read("Boyd & Vandenberghe was great, but it's silent on stochastic optimization.")
    assert intent.moves_away and intent.sideways
