"""Round 23's readings of a resource named by what its author made or by a description that picks it among an
author's records: "Kingma & Welling wrote something longer", "Villani's book, the shorter one", "I want Strang's
book", and a title half remembered in quotes."""

from advisor.search.intent import IntentReader
from advisor.types import Resource

SHELF = {
    "vae": Resource("vae", "Auto-Encoding Variational Bayes", ["Diederik Kingma", "Max Welling"], kind="paper",
                    year=2013),
    "vae-intro": Resource("vae-intro", "An Introduction to Variational Autoencoders",
                          ["Diederik Kingma", "Max Welling"], kind="paper", year=2019),
    "rezende": Resource("rezende", "Stochastic Backpropagation and Approximate Inference in Deep Generative Models",
                        ["Danilo Rezende"], kind="paper", year=2014),
    "ot-old-new": Resource("ot-old-new", "Optimal Transport: Old and New", ["Cedric Villani"], kind="book"),
    "ot-topics": Resource("ot-topics", "Topics in Optimal Transportation", ["Cedric Villani"], kind="book"),
    "18.06": Resource("18.06", "MIT 18.06 Linear Algebra", ["Gilbert Strang"], kind="course", aliases=["18.06"]),
    "18.065": Resource("18.065", "MIT 18.065 Matrix Methods in Data Analysis", ["Gilbert Strang"], kind="course",
                       aliases=["18.065"]),
    "lalfd": Resource("lalfd", "Linear Algebra and Learning from Data", ["Gilbert Strang"], kind="book"),
    "lfd": Resource("lfd", "Learning From Data", ["Yaser S. Abu-Mostafa"], kind="book"),
    "udl": Resource("udl", "Understanding Deep Learning", ["Simon Prince"], kind="book"),
    "rethinking": Resource("rethinking", "Understanding deep learning requires rethinking generalization",
                           ["Chiyuan Zhang", "Moritz Hardt"], kind="paper", year=2017),
    "prml": Resource("prml", "Pattern Recognition and Machine Learning", ["Christopher Bishop"], kind="book",
                     aliases=["PRML"]),
}


def test_a_work_the_named_authors_made_is_looked_up_among_theirs():
    intent = IntentReader(SHELF).read("Kingma and Welling wrote something much longer after the VAE paper, right? "
                                      "Not Auto-Encoding Variational Bayes itself and not the Rezende one: the long "
                                      "tutorial. What's it called?")
    assert "vae-intro" in intent.about and not intent.moves_away


def test_a_course_the_author_taught_is_his_own_not_a_step_after_him():
    intent = IntentReader(SHELF).read("Gilbert Strang taught a follow-on class about matrix methods for data, a "
                                      "sequel to his famous lectures. I'd like those videos.")
    assert {"18.065", "18.06"} <= set(intent.about)
    assert not intent.moves_away and not intent.wants_next_step
    # the year said beside the name is the one asked for
    assert IntentReader(SHELF).read("Gilbert Strang did a course around 2018 on matrix methods. I'd like the "
                                    "videos.").years == (2018,)


def test_a_definite_description_after_a_name_picks_among_its_records():
    intent = IntentReader(SHELF).read("Villani's book - the thinner one written from a graduate course. "
                                      "Our seminar starts in March.")
    assert set(intent.about) == {"ot-old-new", "ot-topics"} and not intent.moves_away


def test_the_named_resource_wished_for_is_asked_for_though_another_is_refused():
    intent = IntentReader(SHELF).read("I need Strang's Linear Algebra and Learning from Data. NOT Abu-Mostafa's "
                                      "Learning From Data, and not the 18.065 videos either.")
    assert intent.about == ["lalfd"] and not intent.moves_away


def test_a_quoted_piece_of_a_title_names_the_record_whose_title_holds_it():
    intent = IntentReader(SHELF).read("the 2017 paper where networks fit random labels, the title went "
                                      "'understanding deep learning requires rethinking ...' something")
    assert "rethinking" in intent.mentioned and "udl" not in intent.mentioned
    assert not intent.wants_prerequisites  # "requires" inside the title asks for nothing before it


def test_a_reaction_or_a_goal_still_moves_away_from_the_named():
    reader = IntentReader(SHELF)
    slow = reader.read("Strang's 18.06 lectures were too slow for me. What's a harder course?")
    assert slow.about == [] and slow.moves_away
    goal = reader.read("I want to read Bishop's PRML but my maths stops at high school calculus. What first?")
    assert goal.about == [] and goal.wants_prerequisites


LISTED = {
    "esl": Resource("esl", "The Elements of Statistical Learning", ["Trevor Hastie"], kind="book", aliases=["ESL"]),
    "prml": Resource("prml", "Pattern Recognition and Machine Learning", ["Christopher Bishop"], kind="book",
                     aliases=["PRML"]),
    "bishop-dl": Resource("bishop-dl", "Deep Learning: Foundations and Concepts",
                          ["Christopher Bishop", "Hugh Bishop"], kind="book"),
    "pml": Resource("pml", "Probabilistic Machine Learning: An Introduction", ["Kevin Murphy"], kind="book"),
    "18.06": Resource("18.06", "MIT 18.06 Linear Algebra", ["Gilbert Strang"], kind="course", aliases=["18.06"]),
    "ladr": Resource("ladr", "Linear Algebra Done Right", ["Sheldon Axler"], kind="book"),
    "hds": Resource("hds", "High-Dimensional Statistics", ["Martin Wainwright"], kind="book"),
    "gm-vi": Resource("gm-vi", "Graphical Models, Exponential Families, and Variational Inference",
                      ["Martin Wainwright", "Michael Jordan"], kind="paper"),
}


def test_names_listed_after_not_are_all_refused_each_with_every_record_it_names():
    reader = IntentReader(LISTED)
    kernels = reader.read("a gentle book on kernels please, not ESL, Bishop or Murphy")
    assert {"esl", "prml", "bishop-dl", "pml"} <= set(kernels.refused) and not kernels.mentioned
    rusty = reader.read("my linear algebra is rusty. Not re-watching 18.06 or reading Axler: a short refresher?")
    assert {"18.06", "ladr"} <= set(rusty.refused)


def test_a_refused_title_refuses_that_record_not_each_of_its_authors():
    intent = IntentReader(LISTED).read("I want the Wainwright and Jordan monograph on variational inference, NOT "
                                       "Wainwright's High-Dimensional Statistics book")
    assert intent.refused == ["hds"] and "gm-vi" in intent.mentioned


def test_a_name_ruled_out_after_it_is_refused():
    reader = IntentReader(LISTED)
    intent = reader.read("kernels from scratch, the real maths, but Bishop's 700 pages are not happening")
    assert {"prml", "bishop-dl"} <= set(intent.refused)
    assert not reader.read("Bishop's PRML is out of print here, is there a free copy?").refused


def test_what_to_review_before_a_course_taken_next_term_comes_before_it():
    reader = IntentReader(LISTED)
    assert reader.read("Taking 18.06 next term. I have never seen a matrix, what would help?").wants_prerequisites
    assert reader.read("My department makes everyone sit 18.06 in the spring semester. I had some algebra years back. "
                       "What should I review before it?").wants_prerequisites


def test_zero_in_a_sentence_of_wishes_refuses_what_it_goes_with():
    from advisor.search.intent.background import lack_clauses
    intent = IntentReader(LISTED).read("web developer, good at JavaScript. want free, hands-on, zero calculus, a "
                                       "weekend project")
    assert "calculus" in intent.unwanted and not intent.lacks
    assert lack_clauses("I have zero calculus, what first?")  # said of the learner, still a gap


def test_a_name_in_a_new_clause_after_didnt_cover_is_named_and_too_much_for_me_asks_easier():
    intent = IntentReader(LISTED).read("18.06 didn't cover the statistics part and ESL was too much for me. "
                                       "Something visual?")
    assert {"18.06", "esl"} <= set(intent.mentioned)
    assert intent.moves_away and intent.direction == "easier"


def test_the_first_paper_asked_for_is_the_research_paper_not_a_survey_of_it():
    from advisor.search.intent import attribute_preferences
    from advisor.search.preferences import preference_counts
    prefs = attribute_preferences("where does this per-coordinate step size come from originally? the first paper "
                                  "that proposed it")
    research = Resource("adagrad", "Adaptive Subgradient Methods", ["John Duchi"], kind="paper",
                        description="The paper that introduced AdaGrad.")
    survey = Resource("ocl", "Online Learning and Online Convex Optimization", ["Shai Shalev-Shwartz"], kind="paper",
                      description="A survey of online learning. It covers AdaGrad among others.")
    assert preference_counts(research, prefs)[0] > preference_counts(survey, prefs)[0]
    # "the original paper" said of X, or "the people who invented them", asks for no original
    assert "original" not in attribute_preferences("the original VAE paper was too compact for me, something longer?")
    assert "original" not in attribute_preferences("a careful text on VAEs by the people who invented them")


def test_a_named_resource_that_does_not_go_deep_enough_is_moved_on_from():
    intent = IntentReader(LISTED).read("I need a proper cheat sheet on kernels; ESL doesn't go deep enough on them")
    assert intent.moves_away and "esl" in intent.mentioned


def test_a_size_refused_after_an_article_is_what_is_refused():
    from advisor.search.intent.refusals import unwanted_parts
    assert unwanted_parts("a proof-based course (not a 2-volume reference), free PDF") == ["2-volume reference"]
    assert unwanted_parts("not the computational ML stuff") == ["the computational"]  # as before: a title word
