"""Round 21's readings, from questions written as study-group chat and as emails: "w/" and "w/o" are "with" and
"without"; "zero calculus please" is a wish, not a gap; "no prior stats" refuses nothing; "heavy going is ok"
welcomes the difficulty; a gap beside a resource asked on another subject does not pull the search to the gap;
"the wgan paper" in lower case names the paper; "before I move on to X" makes X the goal."""

import pytest

from advisor.library.topics import Topic, TopicMatcher
from advisor.search.intent import IntentReader
from advisor.search.intent.background import lack_clauses
from advisor.search.spelling import Speller
from advisor.types import Resource

SHELF = {
    "gan": Resource("gan", "Generative Adversarial Nets", ["Ian Goodfellow"], kind="paper", aliases=["GAN paper"],
                    topics=["gan"]),
    "wgan": Resource("wgan", "Wasserstein GAN", ["Martin Arjovsky"], kind="paper", aliases=["WGAN", "WGAN paper"],
                     topics=["wgan"], prerequisites=["gan"]),
    "vapnik": Resource("vapnik", "The Nature of Statistical Learning Theory", ["Vladimir Vapnik"], kind="book"),
}


@pytest.mark.parametrize("typed, read", [
    ("a course w/ psets", "a course with psets"),
    ("w/o heavy proofs", "without heavy proofs"),
    ("w/scikit-learn", "with scikit-learn"),
    ("I/O and a/w/b", "I/O and a/w/b"),  # not shorthand
])
def test_chat_shorthand_for_with_and_without_is_read_as_the_words(typed, read):
    assert Speller([], [], set()).fix(typed) == read


def test_zero_of_a_subject_asked_please_is_a_wish_and_not_a_gap():
    reader = IntentReader(SHELF)
    intent = reader.read("never took linear algebra\nwant a hands-on ml course, zero calculus please")
    assert "calculus" in intent.unwanted and "calculus" not in intent.lacks
    assert "linear algebra" in intent.lacks
    # said of themselves, zero is still a gap
    assert lack_clauses("I have zero calculus") and not lack_clauses("zero calculus please")


def test_no_prior_knowledge_of_a_subject_refuses_nothing():
    intent = IntentReader(SHELF).read("want a rigorous lecture course that assumes probability but no prior stats")
    assert "stats" not in intent.unwanted
    assert "priors" in IntentReader(SHELF).read("a bayesian book with no priors").unwanted


def test_difficulty_welcomed_is_no_move_to_something_easier():
    reader = IntentReader(SHELF)
    welcomed = reader.read("Vapnik's Nature of SLT skips the proofs. want the full proofs, heavy going is ok")
    assert welcomed.moves_away and welcomed.direction != "easier"
    judged = reader.read("Vapnik's Nature of SLT was heavy going. anything else?")
    assert judged.direction == "easier"


def test_a_lowercase_title_said_with_its_kind_names_the_record():
    reader = IntentReader(SHELF, ["wgan", "gan"])
    assert reader.read("before i move on to the wgan paper, what should I read?").mentioned == ["wgan"]
    # a topic's name on its own stays the topic
    assert reader.read("a good explanation of wgan training").mentioned == []


def test_before_moving_on_to_x_makes_x_the_goal():
    # (typed in lower case, a topic's name too, it is the paper only as a point to come before)
    intent = IntentReader(SHELF, ["wgan", "gan"]).read("read the GAN paper. want the theory of instability before "
                                                       "i move on to wgan")
    assert "wgan" in intent.mentioned and intent.wants_prerequisites


def test_a_gap_beside_a_resource_asked_on_another_subject_does_not_steer_the_search():
    from advisor.search.recommend import ResourceRanker

    topics = {tid: Topic(tid, name, []) for tid, name in [("linear-algebra", "linear algebra"),
                                                          ("machine-learning", "machine learning")]}
    shelf = {"la": Resource("la", "Vectors and Matrices", ["Ann Lee"], kind="course", topics=["linear-algebra"]),
             "ml": Resource("ml", "Hands-on Learning", ["Bo Gray"], kind="course", topics=["machine-learning"])}
    ranker = ResourceRanker(shelf, topics, TopicMatcher(topics))
    seen = []

    def similarities(text):  # the search follows the words it is given
        seen.append(text)
        return {"la": 0.9 if "linear algebra" in text else 0.3, "ml": 0.6}

    question = "never took linear algebra, it scares me. want a hands-on machine learning course"
    sig = ranker.signals(question, IntentReader(shelf).read(question), similarities, [])
    assert ranker.rank(sig, 2, None, [])[0].resource.id == "ml"
    assert not any("linear algebra" in text for text in seen)
