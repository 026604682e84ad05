"""Round 19's readings: a named resource asked about ("X - good if I stopped maths after school?", "I want the
course itself"), a kind refused in so many words ("don't give me a maths book"), what a resource lacks said of it
("there's zero probability"), a price word inside a compound ("distribution-free"), and review papers, which
teach their field as a text does."""

import pytest

from advisor.library.topics import Topic, TopicMatcher
from advisor.search.intent import IntentReader, attribute_preferences
from advisor.search.intent.background import lack_clauses
from advisor.types import Resource

SHELF = {
    "mml": Resource("mml", "Mathematics for Machine Learning Specialization", ["David Dye"], kind="course",
                    aliases=["Imperial College maths for ML specialization"]),
    "stat110": Resource("stat110", "Statistics 110: Probability", ["Joe Blitzstein"], kind="course",
                        aliases=["Stat 110"]),
    "dls": Resource("dls", "Deep Learning Specialization", ["Andrew Ng"], kind="course", aliases=["deeplearning.ai"]),
}


def test_a_named_resource_followed_by_good_if_is_asked_about_not_moved_away_from():
    intent = IntentReader(SHELF).read("the Imperial College maths for ML specialization on Coursera - good if I "
                                      "stopped maths after school? want linear algebra + multivariate calculus + PCA.")
    assert intent.about == ["mml"] and not intent.moves_away


def test_the_course_itself_points_back_at_the_course_named():
    reader = IntentReader(SHELF)
    intent = reader.read("where are Blitzstein's Stat 110 lectures + the practice problems? I want the course "
                         "itself, not just his textbook.")
    assert intent.mentioned == ["stat110"] and not intent.moves_away
    # a request for another course still moves away
    assert reader.read("Stat 110 was too slow for me. I want a course that moves faster.").moves_away


@pytest.mark.parametrize("question", ["Don't give me a maths book.", "do not recommend a textbook please"])
def test_a_kind_refused_in_so_many_words_is_not_asked_for(question):
    assert "book" not in attribute_preferences(question).get("kind", ())
    assert attribute_preferences("give me a book on PCA").get("kind") == ("book",)


def test_a_refused_subject_is_unwanted():
    intent = IntentReader(SHELF).read("I want to train image models with libraries. Don't give me a maths book.")
    assert "maths book" in intent.unwanted


def test_what_a_resource_lacks_is_no_gap_of_the_learner():
    assert lack_clauses("Practical, but derivatives are just shown, and there's zero probability.") == ""
    assert lack_clauses("I know zero probability.")  # said of the learner, it is a gap


def test_a_maths_review_inside_the_book_wanted_asks_for_no_prerequisite():
    said = ("Did the deeplearning.ai specialization. I want a serious deep learning book with its own maths "
            "review (linear algebra, probability) and chapters on generative models.")
    intent = IntentReader(SHELF).read(said)
    assert intent.moves_away and not intent.wants_prerequisites
    assert IntentReader(SHELF).read("Before deeplearning.ai, which maths review should I do?").wants_prerequisites


@pytest.mark.parametrize("question, free", [
    ("complete proofs of distribution-free lower bounds for classification", False),
    ("derivative-free optimization methods, rigorous", False),
    ("a free book on convex optimization", True),
])
def test_free_inside_a_compound_names_no_price(question, free):
    assert ("access" in attribute_preferences(question)) is free


def test_learners_words_for_proofs_and_neighbours_name_their_topics():
    from advisor.library.topics import load_topics
    from pathlib import Path

    topics = load_topics(Path(__file__).resolve().parents[1] / "corpus" / "topics.yaml")
    matcher = TopicMatcher(topics)
    assert "mathematical-proofs" in matcher.find("it expects you to be comfortable with proofs")
    assert "knn" in matcher.find("consistency of nearest-neighbour rules")


REVIEW = Resource("sgd-review", "Optimization Methods for Large-Scale Machine Learning", ["Leon Bottou"], kind="paper",
                  description="A long review explaining why stochastic gradient methods dominate. It proves rates.",
                  topics=["sgd", "non-convex-optimization"])
ORIGINAL = Resource("adam", "Adam: A Method for Stochastic Optimization", ["Diederik Kingma"], kind="paper",
                    description="The paper introducing Adam. It uses moving averages.", topics=["sgd"])


def test_a_survey_or_review_paper_is_expository_and_an_original_paper_is_not():
    assert REVIEW.is_expository and not ORIGINAL.is_expository
    assert not Resource("b", "A Review of Probability", kind="book").is_expository  # only papers


def test_moving_on_from_a_book_a_review_paper_is_a_read_like_a_text():
    from advisor.search.recommend import ResourceRanker

    topics = {tid: Topic(tid, tid.replace("-", " "), []) for tid in ["sgd", "non-convex-optimization",
                                                                      "convex-optimization"]}
    shelf = {"boyd": Resource("boyd", "Convex Optimization", ["Stephen Boyd"], topics=["convex-optimization"]),
             "sgd-review": REVIEW, "adam": ORIGINAL}
    ranker = ResourceRanker(shelf, topics, TopicMatcher(topics))
    moving_on = "Finished Boyd's Convex Optimization. What's the next read for sgd and non-convex optimization?"
    sig = ranker.signals(moving_on, IntentReader(shelf).read(moving_on), lambda text: {}, [])
    assert "sgd-review" not in sig.unasked and "adam" in sig.unasked
    # asked with no resource left behind, a paper still waits for a question that asks for one
    cold = "how does sgd work on non-convex problems?"
    assert "sgd-review" in ranker.signals(cold, IntentReader(shelf).read(cold), lambda text: {}, []).unasked


def test_what_the_learner_wants_of_a_resource_is_no_background():
    from advisor.search.intent import known_clauses

    said = "I did matrices back then. I like recorded lectures where I can do the problem sets."
    assert known_clauses(said) == ["I did matrices back then"]
    assert known_clauses("I can do matrix computations fine")  # said of the learner, it is


def test_a_gap_pointed_back_to_is_the_sentence_before_it():
    said = "PGMs are fine. But convex duality, conjugate functions, Lagrange duals... that's my hole."
    assert "convex duality" in lack_clauses(said) and "PGMs" not in lack_clauses(said)
    # a sentence of its own keeps only itself
    assert lack_clauses("I read PGMs. My probability is weak.") == "My probability is weak"


@pytest.mark.parametrize("ending", ["Best place to fill it?", "Quick intuition first?"])
def test_a_short_request_after_a_gap_asks_what_comes_before_x(ending):
    shelf = {"mc": Resource("mc", "The Matrix Calculus You Need for Deep Learning", ["Terence Parr"], kind="paper")}
    said = "Parr's matrix calculus article assumes calculus. I don't really get what the chain rule means. " + ending
    assert IntentReader(shelf).read(said).wants_prerequisites
    assert not IntentReader(shelf).read("Parr's matrix calculus article: is it any good?").wants_prerequisites


def test_than_compares_only_in_a_sentence_that_names_the_resources():
    shelf = {"nndl": Resource("nndl", "Neural Networks and Deep Learning", ["Michael Nielsen"]),
             "prml": Resource("prml", "Pattern Recognition and Machine Learning", ["Christopher Bishop"])}
    reader = IntentReader(shelf)
    said = ("Nielsen's book was great but old. I liked Bishop's writing style. Is there something in that spirit "
            "on transformers? More concepts than abstract theory is fine.")
    assert not reader.read(said).compares
    assert reader.read("Is Bishop's book harder than Nielsen's book?").compares


def test_a_derivation_the_learner_could_not_follow_is_a_gap_not_a_wish_for_depth():
    shelf = {"prml": Resource("prml", "Pattern Recognition and Machine Learning", ["Christopher Bishop"])}
    reader = IntentReader(shelf)
    lost = reader.read("PRML's graphical models chapter went too fast. I couldn't follow the sum-product derivation. "
                       "I want a book that's slower, with lots of worked examples.")
    assert not lost.deeper and lost.sideways  # the same subject at PRML's level, paced for the learner
    assert reader.read("PRML was fine. I want a book with more derivations.").deeper


def test_what_follows_an_unwanted_phrase_as_examples_is_unwanted_too():
    from advisor.search.intent.refusals import unwanted_parts

    assert unwanted_parts("Not looking for research-topic lectures like offline RL or PyTorch homework.") \
        == ["research-topic lectures like offline RL or PyTorch homework"]
    assert unwanted_parts("I'm NOT after a theorem-proof book") == ["theorem-proof book"]
    assert unwanted_parts("no measure theory") == ["measure theory"]
    assert unwanted_parts("derivation level, not a whole optimization textbook") == ["optimization textbook"]


def test_a_course_x_assumes_asks_what_comes_before_x():
    shelf = {"s650": Resource("s650", "Statistics for Applications (MIT 18.650)", ["Philippe Rigollet"],
                              kind="course", aliases=["MIT 18.650"])}
    reader = IntentReader(shelf)
    assert reader.read("I'd like to take MIT 18.650 but it assumes a probability course. I'd like OCW lectures.") \
        .wants_prerequisites
    assert not reader.read("I'd like to take MIT 18.650. Does it have problem sets?").wants_prerequisites


def test_a_proof_book_refused_asks_for_no_rigour_and_no_depth():
    said = "I want Bayesian modelling for real data. I'm NOT after a theorem-proof book, I want to build models."
    assert "math_depth" not in attribute_preferences(said)
    assert not IntentReader(SHELF).read(said).deeper
    assert attribute_preferences("I want a theorem-proof book on Bayesian modelling")["math_depth"] \
        == ("rigorous", "proof-heavy")


def test_a_subject_not_yet_done_is_a_gap_and_a_subject_to_learn_is_asked_on():
    from advisor.search.intent import asked_on

    assert lack_clauses("I just finished AP Calc BC. I haven't done multivariable calc.") \
        == "I haven't done multivariable calc"
    assert lack_clauses("I haven't done much reading on it.") == ""
    assert "probability" in asked_on("I want to learn probability properly over the summer")


COURSES = {"mc": Resource("mc", "Matrix Calculus for Machine Learning and Beyond", ["Alan Edelman", "Steven Johnson"],
                          kind="course"),
           "rl": Resource("rl", "CS 285: Deep Reinforcement Learning", ["Sergey Levine"], kind="course",
                          aliases=["Levine's deep RL lectures"])}


def test_instead_of_a_way_of_teaching_is_no_move_away_from_the_resource_named():
    reader = IntentReader(COURSES)
    said = ("Looking for the matrix calculus class by Alan Edelman and Steven Johnson, where the derivative is "
            "treated as a linear operator instead of index formulas. Where are the videos and notes?")
    intent = reader.read(said)
    assert intent.about == ["mc"] and not intent.moves_away and not intent.wants_next_step
    # instead of the resource itself, or of a kind, still moves away
    assert reader.read("What should I watch instead of Edelman and Johnson's class?").moves_away
    assert reader.read("Edelman and Johnson's class was too fast. Anything instead of the lectures?").moves_away


def test_a_question_about_it_after_and_is_about_the_resource_named():
    intent = IntentReader(COURSES).read("Sergey's deep RL lectures \u2014 how heavy is the math, and do they assume "
                                        "I've already done an ML course?")
    assert intent.about == ["rl"] and not intent.moves_away


@pytest.mark.parametrize("question", [
    "my boss wants me to understand what random forests actually do. short explanations plz",
    "retired accountant, curious what PCA actually does",
    "I want a feel for probability before a data science training",
])
def test_a_curious_laypersons_words_ask_for_light_maths(question):
    assert attribute_preferences(question).get("math_depth") == ("applied", "moderate")
    assert "level" not in attribute_preferences(question)  # curiosity says nothing of the learner's level


def test_a_subject_the_learner_lacks_beside_x_judged_too_fast_asks_what_comes_first():
    shelf = {"bandits": Resource("bandits", "Bandit Algorithms", ["Tor Lattimore", "Csaba Szepesvari"])}
    reader = IntentReader(shelf)
    said = ("I want to go through Lattimore & Szepesvari's Bandit Algorithms. I did a measure theory course but "
            "never probability beyond undergrad; their martingale chapters go too fast for me.")
    assert reader.read(said).wants_prerequisites
    # asking for something gentler, X's own subject more gently is asked
    assert not reader.read(said + " Something gentler?").wants_prerequisites
    assert not reader.read("Lattimore & Szepesvari's Bandit Algorithms goes too fast for me. "
                           "Something gentler?").wants_prerequisites


def test_subjects_said_comfortable_are_known_and_which_should_come_first_asks_before_x():
    from advisor.search.intent import known_clauses

    assert known_clauses("I come from operations research, so linear programming and LP duality are comfortable.") \
        == ["so linear programming and LP duality are comfortable"]
    assert known_clauses("I want a book so that duality makes sense") == []  # a purpose, not a background
    shelf = {"neal": Resource("neal", "Probabilistic Inference Using Markov Chain Monte Carlo Methods",
                              ["Radford Neal"], kind="paper")}
    said = ("I want to read Radford Neal's MCMC review but I've never read a textbook treatment of Monte Carlo. "
            "Which free textbook chapter should come first? I like exercises.")
    assert IntentReader(shelf).read(said).wants_prerequisites
