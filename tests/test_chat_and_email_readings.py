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


def test_what_first_on_a_line_or_after_a_bracket_asks_what_comes_before_x():
    shelf = {"durrett": Resource("durrett", "Probability: Theory and Examples", ["Rick Durrett"], kind="book"),
             "ab": Resource("ab", "Towards Principled Methods for Training GANs", ["Martin Arjovsky", "Leon Bottou"],
                            kind="paper")}
    reader = IntentReader(shelf)
    intent = reader.read("want to read durrett for martingales. no measure theory at all\nwhat first? free pdf pls")
    assert intent.wants_prerequisites and intent.mentioned == ["durrett"]
    # a wish after "what first," qualifies what comes first: it asks nothing about X
    intent = reader.read("reading arjovsky & bottou. i've never done measure theory (did real analysis tho). "
                         "what first, free if poss?")
    assert intent.wants_prerequisites and intent.about == [] and not intent.wants_next_step
    # "what first book ..." asks for a first book, not for what comes before
    assert not reader.read("what first book on machine learning would you recommend?").wants_prerequisites


def test_worked_thru_x_puts_x_behind_the_learner():
    shelf = {"abbott": Resource("abbott", "Understanding Analysis", ["Stephen Abbott"], kind="book")}
    intent = IntentReader(shelf).read("already worked thru abbott last yr and honestly i enjoy proofs\nwant the "
                                      "terse rigorous classic for analysis")
    assert intent.moves_away and intent.mentioned == ["abbott"]


@pytest.mark.parametrize("question, depth", [
    ("a book with labs that barely derives anything", ("applied", "moderate")),
    ("few derivations please", ("applied", "moderate")),
    ("not derivation-heavy", ("applied", "moderate")),
    # said of a resource, no proofs is a complaint; a subject refused is no wish about depth
    ("X is hand-wavy, no regret proofs", None),
    ("rigorous but no measure theory", ("rigorous", "proof-heavy")),
])
def test_few_derivations_asks_for_light_maths(question, depth):
    from advisor.search.intent import attribute_preferences

    assert attribute_preferences(question).get("math_depth") == depth


def test_too_at_the_end_of_a_clause_compares_nothing():
    shelf = {"sq": Resource("sq", "StatQuest", ["Josh Starmer"], kind="video-series", aliases=["StatQuest"])}
    reader = IntentReader(shelf)
    assert not reader.read("been using StatQuest vids too. looking for a book with labs").compares_depth
    assert reader.read("StatQuest is too light. looking for a book with labs").compares_depth


def test_a_treatment_wished_dedicated_rather_than_a_chapter_is_a_move_sideways():
    shelf = {"prml": Resource("prml", "Pattern Recognition and Machine Learning", ["Christopher Bishop"], kind="book")}
    intent = IntentReader(shelf).read("My colleague suggested Bishop's chapter 13, but I'd prefer the classic "
                                      "tutorial dedicated to HMMs rather than a chapter in a broad ML textbook.")
    assert intent.moves_away and intent.sideways and not intent.compares_depth


def test_a_tutorial_paper_meets_a_wish_for_a_tutorial():
    from advisor.search.preferences import preference_counts

    tutorial = Resource("rabiner", "A Tutorial on Hidden Markov Models", ["Lawrence Rabiner"], kind="paper")
    research = Resource("baum", "A Maximization Technique in Markov Chains", ["Leonard Baum"], kind="paper")
    assert preference_counts(tutorial, {"kind": ("tutorial",)}) == (1, 0)
    assert preference_counts(research, {"kind": ("tutorial",)}) == (0, 0)


def test_without_heavy_prerequisites_or_proofs_asks_nothing_before_and_no_rigour():
    from advisor.search.intent import attribute_preferences

    question = ("I'd like to learn to build multilevel models myself, with R code, but without heavy mathematical "
                "prerequisites or proofs. Which book would you suggest?")
    intent = IntentReader(SHELF).read(question)
    assert not intent.wants_prerequisites and not intent.deeper
    assert attribute_preferences(question).get("math_depth") != ("rigorous", "proof-heavy")


def test_what_would_you_point_me_to_asks_for_another_resource():
    shelf = {"strang": Resource("strang", "Introduction to Linear Algebra", ["Gilbert Strang"], kind="book")}
    reader = IntentReader(shelf)
    assert reader.read("In my first year I used Strang's Introduction to Linear Algebra. What proof-based book "
                       "would you point me to?").about == []
    assert reader.read("Could you point me to Strang's Introduction to Linear Algebra?").about == ["strang"]


@pytest.mark.parametrize("question, compares", [
    ("Andrew Ng's course expects calculus. More generally, I want results first", False),
    ("I'd prefer a dedicated tutorial rather than a chapter of Andrew Ng's course", False),
    ("Andrew Ng's course was more rigorous than I need", True),
])
def test_more_generally_and_rather_than_compare_nothing(question, compares):
    shelf = {"ng": Resource("ng", "Deep Learning Specialization", ["Andrew Ng"], kind="course")}
    assert IntentReader(shelf).read(question).compares_depth is compares


@pytest.mark.parametrize("question, kind", [
    ("i've never taken any linear algebra course. want a book", ("book",)),
    ("what's the first-course textbook to read before it? want a book (paid fine)", ("book",)),
    ("a graduate course please", ("course", "video-series")),
])
def test_a_course_in_the_learners_past_or_as_an_adjective_is_not_the_kind_asked(question, kind):
    from advisor.search.intent import attribute_preferences

    assert attribute_preferences(question).get("kind") == kind


def test_a_price_said_fine_is_not_something_the_learner_knows():
    from advisor.search.intent import known_clauses

    assert known_clauses("want a book (paid fine), computational + geometric") == []
    assert known_clauses("paid is fine, my dept reimburses") == []
    assert known_clauses("calculus is fine") == ["calculus is fine"]


@pytest.mark.parametrize("question, wanted", [
    ("I can't buy the book and I learn best by listening.",
     {"access": ("free", "free-online"), "kind": ("course", "video-series")}),
    ("I absorb stuff way better from someone lecturing.",
     {"kind": ("course", "video-series")}),
    ("Rabiner's tutorial or PRML? I have no IEEE login at home.", {"access": ("free", "free-online")}),
    ("Off campus, no journal subscriptions.", {"access": ("free", "free-online")}),
    ("I am on TA stipend and I want exercises inside.", {"access": ("free", "free-online")}),
])
def test_a_practical_constraint_said_indirectly_is_a_wish(question, wanted):
    from advisor.search.intent import attribute_preferences

    prefs = attribute_preferences(question)
    assert {k: prefs.get(k) for k in wanted} == wanted


def test_just_pictures_is_a_wish_for_pictures_not_a_background():
    from advisor.search.intent import attribute_preferences, known_clauses

    assert known_clauses("No homework please, just pictures.") == []
    assert known_clauses("just calc 1 and some stats") == ["just calc 1 and some stats"]
    assert attribute_preferences("just pictures please").get("math_depth") == ("applied", "moderate")


def test_offline_asks_for_a_text_to_download():
    from advisor.search.intent import attribute_preferences
    from advisor.search.preferences import closest, preference_counts

    assert attribute_preferences("i'll be offline 2 weeks, zero wifi. something i can read")["offline"] == (True,)
    for said in ("lectures on offline RL", "I downloaded the free book", "learning from offline or batch data"):
        assert "offline" not in attribute_preferences(said)
    pdf = Resource("pdf", "Linear Algebra", ["Jim Hefferon"], kind="book", access="free", pdf_url="https://x/la.pdf")
    web = Resource("web", "Linear Algebra Videos", ["Ann Lee"], kind="course", access="free-online")
    assert preference_counts(pdf, {"offline": (True,)}) == (1, 0)
    assert preference_counts(web, {"offline": (True,)}) == (0, 1)
    factors = closest({"offline": (True,)}, [pdf, web])
    assert factors["pdf"] > factors["web"]


@pytest.mark.parametrize("question, languages", [
    ("Is there a free probability textbook where the examples are in R? I work in R all day", ("R",)),
    ("we use r in the lab", ("R",)),
    ("notebooks in python please", ("Python",)),
    ("I don't want R or Python labs", None),  # refused, not asked
    ("functions from R^n to R", None),
    ("im a SWE, comfy with python", None),  # a background, not a wish
])
def test_the_language_the_learner_works_in_is_a_wish(question, languages):
    from advisor.search.intent import attribute_preferences

    assert attribute_preferences(question).get("language") == languages


def test_a_record_meets_a_language_wish_by_what_its_own_text_says():
    from advisor.search.preferences import preference_counts

    islr = Resource("islr", "An Introduction to Statistical Learning (with Applications in R / Python)", ["G. James"])
    axler = Resource("ladr", "Linear Algebra Done Right", ["Sheldon Axler"],
                     description="Maps from R^n to R^m, proofs throughout.")
    assert preference_counts(islr, {"language": ("R",)}) == (1, 0)
    assert preference_counts(axler, {"language": ("R",)}) == (0, 0)
