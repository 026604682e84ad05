"""Round 27's readings: learners stuck on one step ("conditioning a multivariate Gaussian ... shaky"), learners
saying what they can and cannot do ("i've only ever done computational matrix stuff, never proved a single thing"),
and casual chat after a lecture ("starting cs229 next week ... before lecture 1")."""

from advisor.library.topics import Topic, TopicMatcher
from advisor.search.intent import IntentReader
from advisor.search.intent import known_clauses, lack_clauses
from advisor.search.recommend import ResourceRanker
from advisor.types import Resource

SHELF = {
    "m1806": Resource("m1806", "MIT 18.06 Linear Algebra (Spring 2010, OpenCourseWare)", ["Gilbert Strang"],
                      kind="course", aliases=["18.06", "MIT OCW linear algebra"]),
    "m18065": Resource("m18065", "MIT 18.065 Matrix Methods in Data Analysis", ["Gilbert Strang"], kind="course",
                       aliases=["18.065"]),
    "wgan": Resource("wgan", "Wasserstein GAN", ["Martin Arjovsky"], kind="paper", aliases=["WGAN"]),
    "villani": Resource("villani", "Optimal Transport: Old and New", ["Cedric Villani"]),
    "pc": Resource("pc", "Computational Optimal Transport", ["Gabriel Peyre", "Marco Cuturi"]),
    "bn": Resource("bn", "Batch Normalization: Accelerating Deep Network Training by Reducing Internal Covariate Shift",
                   ["Sergey Ioffe"], kind="paper", aliases=["internal covariate shift"]),
    "cvx": Resource("cvx", "EE364a: Convex Optimization I (Stanford)", ["Stephen Boyd"], kind="course",
                    aliases=["EE364a"]),
    "prml": Resource("prml", "Pattern Recognition and Machine Learning", ["Christopher Bishop"], aliases=["PRML"]),
    "cs229": Resource("cs229", "CS229: Machine Learning (Stanford)", ["Andrew Ng"], kind="course",
                      aliases=["CS229"]),
}


def read(question: str):
    return IntentReader(SHELF).read(question)


def test_a_subject_said_after_on_narrows_a_persons_records_to_the_one_on_it():
    assert read("Strang's OCW course on matrix methods").mentioned == ["m18065"]
    assert read("Strang's lectures about matrix methods for data analysis").mentioned == ["m18065"]


def test_options_heard_of_in_a_prerequisite_question_are_answers_not_the_resource_it_is_about():
    intent = read("The WGAN paper lost me. People mention Villani's Old and New and Peyre & Cuturi. "
                  "What should I learn before going back to the WGAN paper?")
    assert intent.mentioned == ["wgan"] and intent.moves_away
    assert "villani" not in intent.refused and "pc" not in intent.refused


def test_a_name_said_as_a_phrase_is_a_term_not_a_request_for_the_resource_it_names():
    assert read("where does the phrase 'internal covariate shift' come from? want the paper").mentioned == []
    assert read("I want the internal covariate shift paper").mentioned == ["bn"]


def test_a_first_lecture_or_a_level_to_reach_asks_for_what_comes_before():
    assert read("starting CS229 next week, just want a short check of my probability before lecture 1"
                ).wants_prerequisites
    assert read("planning to take EE364a but my linear algebra is weak. lectures i can binge first?"
                ).wants_prerequisites
    assert read("everyone says read PRML but i bounce off chapter 2. one book that gets my linalg / probability "
                "up to that level first?").wants_prerequisites
    assert read("What should I shore up before PRML?").wants_prerequisites
    assert not read("planning to take EE364a. are the lectures good?").wants_prerequisites


def test_a_bare_verdict_after_a_list_of_steps_says_they_are_the_gap():
    text = "Linear algebra is fine. But conditioning a Gaussian, completing the square... shaky. What first?"
    assert "conditioning a Gaussian" in lack_clauses(text)
    assert lack_clauses("Linear algebra is fine. What first?") == ""


def test_an_aside_leaves_a_list_of_what_the_learner_knows_going_on():
    assert known_clauses("Kernels I'm fine with (I ship SVMs at work), linear algebra too. But") \
        == ["Kernels I'm fine with ", "linear algebra too"]
    assert "i've only ever done computational matrix stuff" in known_clauses(
        "i've only ever done computational matrix stuff, never proved a single thing")


TOPICS = {tid: Topic(tid, name, aliases, prereqs) for tid, name, aliases, prereqs in [
    ("probability", "probability", [], []),
    ("conditional-probability", "conditional probability", ["conditioning"], ["probability"]),
    ("covariance", "covariance", ["covariance matrix"], ["probability", "matrices"]),
    ("matrices", "matrices", ["matrix"], []),
    ("multivariate-gaussian", "multivariate Gaussian", ["multivariate normal"], ["covariance", "conditional-probability"]),
    ("statistics", "statistics", [], ["probability"]),
]}


def test_topics_said_as_parts_of_a_topic_they_lead_to_are_not_subjects_of_their_own():
    matcher = TopicMatcher(TOPICS)
    assert matcher.aspects("the multivariate normal (conditioning, marginals with covariance matrices) loses me") \
        == {"conditional-probability", "covariance", "matrices"}
    assert matcher.aspects("conditioning a multivariate Gaussian") == {"conditional-probability"}
    # listed, they are subjects of their own
    assert matcher.aspects("I lack probability and statistics") == set()
    assert matcher.aspects("conditioning and multivariate Gaussians") == set()


def test_a_gap_said_with_its_parts_scores_the_treatment_of_the_whole_above_a_review_of_the_parts():
    shelf = {
        "review": Resource("review", "Probability Review Notes", ["Ann Lee"], kind="lecture-notes", level="intro",
                           topics=["probability", "conditional-probability", "covariance", "multivariate-gaussian"]),
        "book": Resource("book", "Pattern Recognition", ["Chris Bishop"], level="intermediate",
                         topics=["multivariate-gaussian", "statistics"]),
        "gp": Resource("gp", "Gaussian Processes for Machine Learning", ["Carl Rasmussen"], level="advanced",
                       topics=["multivariate-gaussian"], aliases=["GPML"]),
    }
    reader, ranker = IntentReader(shelf), ResourceRanker(shelf, TOPICS, TopicMatcher(TOPICS))
    question = ("Want to read GPML, but the multivariate normal (conditioning, marginals with covariance matrices) "
                "is where I fall apart. What to study first?")
    sig = ranker.signals(question, reader.read(question), lambda text: {"review": 0.6, "book": 0.6}, [])
    assert sig.topics == ["multivariate-gaussian"]
    # the review lists the parts as topics of its own; the book leads with the whole
    assert sig.values["topics"]["book"] > sig.values["topics"]["review"]


CHAT = {
    "bh": Resource("bh", "Introduction to Probability", ["Joseph Blitzstein", "Jessica Hwang"]),
    "gs": Resource("gs", "Grinstead and Snell's Introduction to Probability", ["Charles Grinstead", "Laurie Snell"]),
    "bt": Resource("bt", "Introduction to Probability (Athena Scientific)", ["Dimitri Bertsekas", "John Tsitsiklis"]),
    "slt": Resource("slt", "MIT 9.520/6.860 Statistical Learning Theory and Applications",
                    ["Tomaso Poggio", "Lorenzo Rosasco"], kind="course", aliases=["9.520", "Poggio and Rosasco course"]),
    "hdp": Resource("hdp", "High-Dimensional Probability", ["Roman Vershynin"]),
    "hds": Resource("hds", "High-Dimensional Statistics: A Non-Asymptotic Viewpoint", ["Martin Wainwright"]),
}


def test_choosing_a_book_between_named_ones_compares_them():
    intent = IntentReader(CHAT).read("Choosing a first probability book between Blitzstein-Hwang, Grinstead-Snell "
                                     "and Bertsekas-Tsitsiklis. I'd like one that also covers inference.")
    assert intent.compares and not intent.moves_away
    assert set(intent.mentioned) == {"bh", "gs", "bt"}


def test_their_slides_point_back_to_the_people_named():
    intent = IntentReader(CHAT).read("Is there a course page for Poggio and Rosasco's class? I'd like their slides "
                                     "on regularization.")
    assert intent.mentioned == ["slt"] and not intent.moves_away


def test_a_subject_said_after_to_is_no_title_typed_in_lower_case():
    intent = IntentReader(CHAT).read("Just finished Vershynin's High-Dimensional Probability. What's the follow-up "
                                     "that applies all this to high-dimensional statistics?")
    assert intent.mentioned == ["hdp"] and intent.moves_away


def test_time_the_learner_has_is_not_a_subject_they_know():
    parts = known_clauses("I know basic probability, and I've got maybe three weeks before a project needs "
                          "graphical models: Bayes nets, MRFs")
    assert parts == ["I know basic probability"]
    assert known_clauses("I've got linear algebra and calculus") == ["I've got linear algebra and calculus"]


def test_what_was_new_to_the_learner_is_no_background():
    assert known_clauses("Just read the review and half of it was new to me (densities, covariance)") == []


def test_something_written_asks_for_a_text():
    from advisor.search.intent import attribute_preferences
    assert set(attribute_preferences("Something short, free and written?")["kind"]) == {"book", "lecture-notes"}
    assert "kind" not in attribute_preferences("Something short and free, written by a statistician?")


COURSES = {
    "mooc": Resource("mooc", "Machine Learning (Coursera)", ["Andrew Ng"], kind="course"),
    "notes": Resource("notes", "CS229 Lecture Notes", ["Andrew Ng"], kind="lecture-notes", aliases=["CS229"]),
    "review": Resource("review", "Review of Probability Theory (CS229 section notes)", ["Arian Maleki"],
                       kind="lecture-notes", aliases=["CS229"]),
    "cs229": Resource("cs229", "CS229: Machine Learning (Stanford)", ["Andrew Ng"], kind="course", aliases=["CS229"]),
}


def test_a_mooc_said_after_a_persons_name_is_their_course_on_a_platform():
    assert IntentReader(COURSES).read("Andrew Ng's MOOC felt too hand-holdy. Anything better?").mentioned == ["mooc"]


def test_what_a_resource_does_is_no_part_of_its_name():
    # "CS229 assumes probability": the verb ends the words that could name the probability review
    assert IntentReader(COURSES).read("CS229 assumes probability I don't have. What now?").mentioned != ["review"]
    assert IntentReader(COURSES).read("the CS229 probability review: is it enough?").mentioned == ["review"]


def test_a_course_in_between_two_named_asks_for_neither_ones_foundations():
    intent = IntentReader(COURSES).read("Andrew Ng's MOOC felt too hand-holdy, yet CS229 assumes probability I "
                                        "don't have. Is there a university intro ML course in between?")
    assert intent.between and not intent.wants_prerequisites


def test_seeing_things_happen_interactively_asks_for_an_interactive_resource():
    from advisor.search.intent import attribute_preferences
    assert attribute_preferences("I want to see the central limit theorem happen, interactively")["interactive"] \
        == (True,)


PAPERS = {
    "aevb": Resource("aevb", "Auto-Encoding Variational Bayes", ["Diederik Kingma", "Max Welling"], kind="paper",
                     year=2013),
    "tut": Resource("tut", "An Introduction to Variational Autoencoders", ["Diederik Kingma", "Max Welling"],
                    kind="tutorial", aliases=["Kingma and Welling 2019"], year=2019),
}


def test_the_kind_asked_in_the_sentence_picks_among_one_pairs_records():
    reader = IntentReader(PAPERS)
    assert reader.read("prof said the trick came from kingma & welling, which paper was it?").mentioned == ["aevb"]
    assert reader.read("the kingma & welling tutorial, is it good?").mentioned == ["tut"]


def test_which_paper_came_before_it_asks_for_what_came_first_in_time_not_what_to_learn_first():
    intent = IntentReader(PAPERS).read("I read the Kingma and Welling tutorial. Which paper came before it?")
    assert intent.direction == "earlier" and not intent.wants_prerequisites


def test_what_the_learner_can_do_is_what_they_know():
    assert known_clauses("I can invert a matrix but eigenvectors lose me") == ["I can invert a matrix"]
    assert known_clauses("I can spend two hours a day") == []
    assert known_clauses("I can't derive backprop") == []


def test_a_step_the_learner_is_stuck_on_is_a_gap_not_a_wish_for_depth():
    intent = IntentReader(PAPERS).read("stuck on the step in the EM derivation where Jensen's inequality gives the "
                                       "lower bound. what should i read?")
    assert "EM derivation" in intent.lacks and not intent.deeper


def test_what_a_learner_can_do_but_lacks_is_a_gap_not_a_refusal():
    intent = IntentReader(PAPERS).read("i'm a bootcamp grad, can do sklearn but no stats. what should I read?")
    assert "stats" in intent.lacks and "stats" not in intent.unwanted
    assert "double integral" in lack_clauses("i can do single variable integrals but never did a double integral")
    assert known_clauses("just left a meetup where someone said it was easy") == []


def test_chat_shorthand_is_spelt_out_for_the_readings_and_acronyms_are_left_alone():
    from advisor.search.spelling import Speller
    speller = Speller([], [], set())
    assert speller.fix("idk what a jacobian is, ppl say watch vids") \
        == "I don't know what a jacobian is, people say watch videos"
    assert speller.fix("did stats 5 yrs ago, need smth short rn") == "did stats 5 years ago, need something short right now"
    assert speller.fix("BC and HW in capitals, A.bc") == "BC and HW in capitals, A.bc"
    assert "I don't know" in IntentReader(PAPERS).read(speller.fix("idk what a jacobian is. what first?")).lacks


def test_a_title_typed_without_its_article_names_the_book_and_a_verdict_in_slang_moves_to_an_easier_one():
    shelf = {"esl": Resource("esl", "The Elements of Statistical Learning: Data Mining, Inference, and Prediction",
                             ["Trevor Hastie"], aliases=["ESL"])}
    intent = IntentReader(shelf).read("people keep saying elements of statistical learning but that looks insane, "
                                      "what's the chill version?")
    assert intent.mentioned == ["esl"] and intent.moves_away and intent.direction == "easier"


def test_what_is_magic_to_the_learner_is_a_gap_and_what_they_can_solve_is_known():
    text = "can solve LPs with simplex by hand but duality theorems are magic to me"
    assert known_clauses(text) == ["can solve LPs with simplex by hand"]
    assert "duality theorems are magic to me" in lack_clauses(text)
    assert known_clauses("can you recommend a book?") == []


def test_a_step_lost_at_or_not_followed_is_a_gap_with_its_subject_dropped():
    assert "lost at the KKT conditions" in lack_clauses("reading the SVM dual derivation, lost at the KKT conditions")
    assert "backprop through time" in lack_clauses("can't follow the backprop through time derivation in chapter 10")
    assert IntentReader(PAPERS).read("can't follow the BPTT derivation, what math am i missing?").wants_prerequisites


def test_the_latest_version_of_a_named_resource_asks_for_that_resource():
    shelf = {"mc": Resource("mc", "The Matrix Cookbook", ["Kaare Petersen"], kind="cheatsheet")}
    intent = IntentReader(shelf).read("matrix cookbook latest version? need d log det(X)/dX again")
    assert intent.mentioned == ["mc"] and not intent.moves_away


def test_a_vs_between_topics_weighs_no_resources_and_what_is_half_known_is_a_gap():
    shelf = {"gan": Resource("gan", "Generative Adversarial Nets", ["Ian Goodfellow"], kind="paper", aliases=["GAN"]),
             "tp": Resource("tp", "Towards Principled Methods for Training GANs", ["Martin Arjovsky", "Leon Bottou"],
                            kind="paper")}
    intent = IntentReader(shelf).read("I want to read Arjovsky & Bottou's paper, but the f-divergence side, JS vs KL "
                                      "vs total variation, why the GAN objective is a JS divergence, I only half know. "
                                      "Short notes?")
    assert not intent.compares and intent.wants_prerequisites and "only half know" in intent.lacks
    assert IntentReader(shelf).read("GAN paper vs Arjovsky & Bottou: which first?").compares


def test_a_resource_asked_about_beside_one_behind_the_learner_is_the_step_weighed_not_left():
    shelf = {"ad": Resource("ad", "Automatic Differentiation in Machine Learning: a Survey", ["Atilim Baydin"],
                            kind="paper"),
             "zh": Resource("zh", "Neural Networks: Zero to Hero", ["Andrej Karpathy"], kind="video-series")}
    intent = IntentReader(shelf).read("Baydin et al.'s autodiff survey - readable with just calculus? I built "
                                      "micrograd following Karpathy and now want to know what reverse mode really is.")
    assert "ad" in intent.mentioned and not intent.moves_away and intent.refused == ["zh"]


def test_what_math_is_missing_under_a_stuck_step_ranks_what_the_step_builds_on():
    topics = {tid: Topic(tid, name, [], prereqs) for tid, name, prereqs in [
        ("matrix-calculus", "matrix calculus", []),
        ("backpropagation", "backpropagation", ["matrix-calculus"]),
    ]}
    shelf = {
        "nn": Resource("nn", "Neural Networks and Deep Learning", ["Michael Nielsen"], level="intro",
                       topics=["backpropagation"]),
        "mc": Resource("mc", "The Matrix Calculus You Need", ["Terence Parr"], level="intro",
                       topics=["matrix-calculus"]),
    }
    reader, ranker = IntentReader(shelf), ResourceRanker(shelf, topics, TopicMatcher(topics))
    question = "can't follow the backpropagation derivation in chapter 10, what math am i missing?"
    intent = reader.read(question)
    assert intent.beneath and intent.wants_prerequisites
    sig = ranker.signals(question, intent, lambda text: {"nn": 0.6, "mc": 0.6}, [])
    assert sig.values["topics"]["mc"] > sig.values["topics"].get("nn", 0)
    assert not reader.read("can't follow the backpropagation derivation. a clearer book on it?").beneath
    # the maths asked before a topic, with the gap named, is that gap
    assert not reader.read("before normalizing flows, what math do I need? jacobians lose me").beneath
