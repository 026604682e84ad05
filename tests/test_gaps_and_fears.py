"""Round 18's readings: a gap said after what the learner has, a surname said beside one of its author's titles,
maths feared in so many words, a career stage beside a named gap, and plural topic names."""

import pytest

from advisor.library.topics import Topic, TopicMatcher
from advisor.search.intent import Intent, IntentReader, attribute_preferences
from advisor.search.intent.background import lack_clauses
from advisor.search.preferences import relative_depth
from advisor.types import Resource

SHELF = {
    "villani": Resource("villani", "Optimal Transport: Old and New", ["Cedric Villani"], level="advanced"),
    "ladr": Resource("ladr", "Linear Algebra Done Right", ["Sheldon Axler"]),
    "mira": Resource("mira", "Measure, Integration & Real Analysis", ["Sheldon Axler"]),
    "strang": Resource("strang", "Introduction to Linear Algebra", ["Gilbert Strang"]),
    "s065": Resource("s065", "Matrix Methods in Data Analysis", ["Gilbert Strang"], kind="course"),
}


def test_a_subject_denied_after_what_the_learner_has_is_a_gap_and_filling_it_comes_before_x():
    said = "I have measure theory from a physics course but no functional analysis (Banach spaces). " \
           "I'd like to read Villani's Old and New eventually. What fills the gap?"
    assert "functional analysis" in lack_clauses(said)
    intent = IntentReader(SHELF).read(said)
    assert intent.wants_prerequisites and "functional analysis" in intent.lacks and intent.unwanted == ""
    # without anything had before it, "but no X" is a wish, not a gap
    assert lack_clauses("rigorous is fine but no measure theory please") == ""


def test_a_surname_naming_several_records_names_the_one_whose_title_its_sentence_says():
    reader = IntentReader(SHELF)
    assert reader.read("I'd like to learn to write proofs through linear algebra before I try Axler").mentioned \
        == ["ladr"]
    assert sorted(reader.read("Is Axler's book good?").mentioned) == ["ladr", "mira"]
    # one title word is no title said ("computational matrix skills (Strang)" is not Matrix Methods)
    assert sorted(reader.read("You need computational matrix skills first: which Strang?").mentioned) \
        == ["s065", "strang"]


@pytest.mark.parametrize("question, depth", [
    ("the maths in most Bayesian books scares me off. where do I start with multilevel models?", ("applied", "moderate")),
    ("proofs scare me", ("applied", "moderate")),
    ("the maths itself doesn't scare me, I want rigour", ("rigorous", "proof-heavy")),
    ("the conditioning formulas for multivariate gaussians scare me", None),  # a gap in one topic, not in maths
    ("a bayesian stats book for real data, not heavy on proofs", ("applied", "moderate")),
    ("something light on theory please", ("applied", "moderate")),
])
def test_maths_feared_in_so_many_words_asks_for_light_maths(question, depth):
    assert attribute_preferences(question).get("math_depth") == depth


def test_a_career_stage_beside_a_named_gap_is_no_level_for_the_resource_that_fills_it():
    neal = Resource("neal", "Probabilistic Inference Using MCMC Methods", ["Radford Neal"], kind="paper",
                    level="advanced")
    gap = Intent(mentioned=["neal"], wants_prerequisites=True, lacks="I never learned Markov chain theory")
    assert "level" not in relative_depth({"level": ("advanced",)}, gap, [neal])
    # with no gap named, the stage stands
    assert relative_depth({"level": ("advanced",)}, Intent(mentioned=["neal"], wants_prerequisites=True),
                          [neal])["level"] == ("advanced",)


def test_topic_names_match_their_plurals():
    topics = {tid: Topic(tid, name, []) for tid, name in [
        ("poisson-processes", "Poisson process"), ("concentration", "concentration inequality"),
        ("poisson", "Poisson distribution")]}
    matcher = TopicMatcher(topics)
    assert matcher.find("Markov chains, and Poisson processes too") == ["poisson-processes"]
    assert matcher.find("sharp concentration inequalities") == ["concentration"]
    assert matcher.find("a Poisson process") == ["poisson-processes"]


@pytest.mark.parametrize("said, gap", [
    ("Took linear algebra years ago and only remember bits.", True),
    ("Web developer, last did any maths at school about fifteen years ago.", True),
    ("I learned ML from PRML years ago and loved its style.", False),
])
def test_a_subject_half_forgotten_is_a_gap_but_a_book_read_long_ago_is_not(said, gap):
    assert bool(lack_clauses(said)) == gap


def test_words_naming_a_course_and_its_notes_name_the_course_in_a_choice_between_courses():
    shelf = {
        "cs229": Resource("cs229", "CS229: Machine Learning", ["Andrew Ng"], kind="course", aliases=["CS229"]),
        "cs229-sheets": Resource("cs229-sheets", "CS 229 cheatsheets", ["Afshine Amidi"], kind="cheatsheet",
                                 aliases=["CS229 cheatsheets"]),
        "mit": Resource("mit", "MIT 6.036 Introduction to Machine Learning", ["Leslie Kaelbling"], kind="course",
                        aliases=["6.036"]),
    }
    reader = IntentReader(shelf)
    choice = reader.read("CS229 or MIT 6.036 next? I'd like something lighter on probability.")
    assert choice.compares and sorted(choice.mentioned) == ["cs229", "mit"]
    # outside a choice the words name every record carrying them
    assert sorted(reader.read("Is CS229 worth it?").mentioned) == ["cs229", "cs229-sheets"]


def test_the_natural_next_paper_moves_on_from_the_one_named():
    shelf = {"svi": Resource("svi", "Stochastic Variational Inference", ["Matthew Hoffman"], kind="paper",
                             aliases=["SVI"])}
    intent = IntentReader(shelf).read("SVI works great for my conjugate model, but my new one is not. Natural next paper?")
    assert intent.moves_away and intent.wants_next_step


@pytest.mark.parametrize("question, first", [
    # a resource asked on another subject: the gap is the learner's level
    ("Data analyst, my linear algebra is minimal. I want a first book on machine learning with labs.", "islr"),
    # nothing else asked on: the gap is what to read
    ("Data analyst, my linear algebra is minimal. What should I read?", "la"),
    # the gap asked on, for another subject's sake
    ("My linear algebra is minimal. I'd like a linear algebra book for my machine learning course.", "la"),
    ("My linear algebra is minimal. I'd like a proper intro machine learning course.", "islr"),
])
def test_a_gap_beside_a_resource_asked_on_another_subject_is_the_learners_level(question, first):
    from advisor.search.intent import asked_on
    from advisor.search.recommend import ResourceRanker

    assert "machine learning" in asked_on("I want a first book on machine learning with labs")
    topics = {tid: Topic(tid, name, []) for tid, name in [("linear-algebra", "linear algebra"),
                                                          ("machine-learning", "machine learning")]}
    shelf = {"la": Resource("la", "Vectors and Matrices", ["Ann Lee"], topics=["linear-algebra"]),
             "islr": Resource("islr", "Statistical Learning", ["Bo Gray"], topics=["machine-learning"])}
    ranker = ResourceRanker(shelf, topics, TopicMatcher(topics))
    sig = ranker.signals(question, IntentReader(shelf).read(question), lambda text: {"la": 0.75, "islr": 0.7}, [])
    assert ranker.rank(sig, 2, None, [])[0].resource.id == first


def test_a_subject_said_minimal_or_barely_done_is_a_gap():
    assert lack_clauses("data analyst, took intro stats but my linear algebra is minimal")
    assert lack_clauses("I use R every day, never did much linear algebra beyond the basics")


@pytest.mark.parametrize("question, first", [
    # a part of X named: the background for that part
    ("The Adam paper's convergence part talks about regret. What's the background reading for that?", "oco"),
    # X alone: what X presupposes
    ("What's the background reading for the Adam paper?", "sgd-book"),
])
def test_a_part_of_x_the_learner_names_is_what_to_read_before_it(question, first):
    from advisor.search.intent import part_clauses
    from advisor.search.recommend import ResourceRanker

    assert "regret" in part_clauses("the convergence proof in the adam paper uses regret - what first?")
    topics = {tid: Topic(tid, name, aliases) for tid, name, aliases in [
        ("adam", "Adam optimizer", []), ("sgd", "stochastic gradient descent", ["SGD"]),
        ("momentum", "momentum", []), ("online-learning", "online learning", ["regret"])]}
    shelf = {
        "adam": Resource("adam", "Adam: A Method for Stochastic Optimization", ["Diederik Kingma", "Jimmy Ba"],
                         kind="paper", aliases=["Adam paper"], topics=["adam", "sgd", "momentum", "online-learning"],
                         prerequisites=["sgd"]),
        "oco": Resource("oco", "Online Convex Optimization", ["Elad Hazan"], topics=["online-learning"]),
        "sgd-book": Resource("sgd-book", "Stochastic Methods", ["Ann Lee"], topics=["sgd"]),
    }
    ranker = ResourceRanker(shelf, topics, TopicMatcher(topics))
    intent = IntentReader(shelf).read(question)
    assert intent.wants_prerequisites and intent.mentioned == ["adam"]
    sig = ranker.signals(question, intent, lambda text: {"oco": 0.7, "sgd-book": 0.7, "adam": 0.7}, [])
    assert ranker.rank(sig, 3, None, [])[0].resource.id == first


def test_moving_sideways_to_what_x_lacks_weighs_none_of_what_x_covers():
    from advisor.search.recommend import ResourceRanker

    topics = {tid: Topic(tid, name, aliases) for tid, name, aliases in [
        ("convex", "convex optimization", []), ("duality", "duality", []), ("kkt", "KKT conditions", ["KKT"]),
        ("sgd", "stochastic gradient descent", ["SGD"]), ("nonconvex", "non-convex optimization", ["nonconvex"])]}
    shelf = {
        "bv": Resource("bv", "Convex Optimization", ["Stephen Boyd", "Lieven Vandenberghe"],
                       aliases=["Boyd and Vandenberghe"], topics=["convex", "duality", "kkt"]),
        "nest": Resource("nest", "Lectures on Optimization", ["Yurii Nesterov"],
                         topics=["convex", "duality", "kkt", "nonconvex"]),
        "bcn": Resource("bcn", "Large-Scale Methods", ["Leon Bottou"], topics=["sgd", "nonconvex"]),
    }
    for t in ("a", "b", "c"):  # SGD is common, as in the catalog
        shelf[t] = Resource(t, f"Book {t.upper()}", ["Ann Lee"], topics=["sgd"])
    question = "Boyd and Vandenberghe says nothing about SGD or nonconvex optimization. Where should I go from here?"
    ranker = ResourceRanker(shelf, topics, TopicMatcher(topics))
    intent = IntentReader(shelf).read(question)
    assert intent.sideways and intent.mentioned == ["bv"]
    sig = ranker.signals(question, intent, lambda text: dict.fromkeys(shelf, 0.7), [])
    assert ranker.rank(sig, 3, None, [])[0].resource.id == "bcn"


def test_a_book_advised_to_a_learner_who_wants_lectures_passes_its_weight_to_its_lecture_twin():
    from advisor.search.preferences import in_wished_form

    shelf = {
        "lfd": Resource("lfd", "Learning From Data", ["Yaser Abu-Mostafa"], related=["cs156"]),
        "cs156": Resource("cs156", "Caltech CS 156", ["Yaser Abu-Mostafa"], kind="course"),
        "cs229": Resource("cs229", "CS229", ["Andrew Ng"], kind="course"),
    }
    linked = {"lfd": {"cs156": 1.0, "cs229": 1.0}, "cs156": {"lfd": 0.5}, "cs229": {}}
    assert in_wished_form({"lfd": 1.0}, shelf, {"course"}, linked) == {"lfd": 1.0, "cs156": 1.0}  # not CS229
    assert in_wished_form({"lfd": 1.0}, shelf, {"book"}, linked) == {"lfd": 1.0}


def test_what_the_catalog_calls_an_alternative_to_x_is_advised_when_x_is_too_hard():
    from advisor.search.recommend import ResourceRanker

    topics = {"ml": Topic("ml", "machine learning", [])}
    shelf = {
        "cs229": Resource("cs229", "CS229: Machine Learning", ["Andrew Ng"], kind="course", aliases=["CS229"],
                          topics=["ml"], description="Stanford's machine learning course."),
        "cs4780": Resource("cs4780", "Cornell CS4780", ["Kilian Weinberger"], kind="course", topics=["ml"],
                           description="Lectures on supervised learning. A strong free alternative to CS229 when "
                                       "you want the same derivations explained more slowly."),
        "other": Resource("other", "Another ML Course", ["Bo Gray"], kind="course", topics=["ml"],
                          description="Lectures on supervised learning."),
    }
    ranker = ResourceRanker(shelf, topics, TopicMatcher(topics))
    assert ranker.advice.next_to([shelf["cs229"]], "instead") == {"cs4780": 1.0}
    question = "The CS229 lectures go way too fast for me. Anything that explains each step slower?"
    intent = IntentReader(shelf).read(question)
    assert intent.moves_away and intent.direction == "easier"
    sig = ranker.signals(question, intent, lambda text: {"cs4780": 0.7, "other": 0.75, "cs229": 0.8}, [])
    assert ranker.rank(sig, 2, None, [])[0].resource.id == "cs4780"


def test_a_title_said_as_the_subject_of_a_wish_names_no_record_to_move_away_from():
    shelf = {"hds": Resource("hds", "High-Dimensional Statistics", ["Martin Wainwright"]),
             "bda": Resource("bda", "Bayesian Data Analysis", ["Andrew Gelman"])}
    reader = IntentReader(shelf)
    assert reader.read("I want the graduate text on non-asymptotic high-dimensional statistics").mentioned == []
    assert reader.read("I want the serious reference on Bayesian data analysis: hierarchical models").mentioned == []
    # typed as a title, it names the book
    assert reader.read("Is Bayesian Data Analysis too hard for me?").mentioned == ["bda"]


def test_a_class_of_the_learners_own_asks_for_no_course():
    assert "kind" not in attribute_preferences("my last math class was high school algebra. a feel for probability?")
    assert attribute_preferences("a probability book for our ML course")["kind"] == ("book",)
    assert attribute_preferences("I want a course on probability for my ML class")["kind"] == ("course", "video-series")


def test_in_between_two_named_resources_is_strictly_between_them():
    from advisor.search.preferences import axis_factor

    islr = Resource("islr", "An Introduction to Statistical Learning", ["Gareth James"], level="intro",
                    math_depth="applied", aliases=["ISLR"])
    esl = Resource("esl", "The Elements of Statistical Learning", ["Trevor Hastie"], level="advanced",
                   math_depth="rigorous", aliases=["ESL"])
    mid = Resource("mid", "Data Science and Machine Learning", ["Dirk Kroese"], level="intermediate",
                   math_depth="rigorous")
    low = Resource("low", "Intro to ML with Scikit", ["Ann Lee"], level="intro", math_depth="applied")
    intent = IntentReader({"islr": islr, "esl": esl}).read(
        "islr felt too easy, it keeps skipping derivations, but ESL was way over my head. anything in between?")
    assert intent.between and sorted(intent.mentioned) == ["esl", "islr"]
    assert axis_factor(intent, [islr, esl], mid, {}) > axis_factor(intent, [islr, esl], low, {})
