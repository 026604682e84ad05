"""Round 29's readings: a wish for a work described and then named by its makers ("I'm after the illustrated cheat
sheets by Amidi"), asides that ask nothing of the resource ("any problem printing them?"), a name asked for indirectly
("can you confirm which resource that is?"), a choice weighed ("weighing D2L against Prince's book"), and a short
surname that is also a word ("Do you have it?")."""

from advisor.search.intent import IntentReader
from advisor.types import Resource

SHELF = {
    "dl-sheets": Resource("dl-sheets", "CS 230 Deep Learning Cheatsheets", ["Afshine Amidi", "Shervine Amidi"],
                          kind="cheatsheet"),
    "backprop": Resource("backprop", "Learning representations by back-propagating errors",
                         ["David Rumelhart", "Geoffrey Hinton", "Ronald Williams"], kind="paper"),
    "la-review": Resource("la-review", "Linear Algebra Review and Reference", ["Zico Kolter", "Chuong Do"],
                          kind="lecture-notes"),
    "hmm": Resource("hmm", "A Tutorial on Hidden Markov Models and Selected Applications in Speech Recognition",
                    ["Lawrence Rabiner"], kind="paper", aliases=["Rabiner tutorial"]),
    "d2l": Resource("d2l", "Dive into Deep Learning", ["Aston Zhang", "Zachary Lipton"], aliases=["D2L"]),
    "udl": Resource("udl", "Understanding Deep Learning", ["Simon Prince"]),
    "realnvp": Resource("realnvp", "Density estimation using Real NVP", ["Laurent Dinh"], kind="paper",
                        aliases=["RealNVP"]),
    "diffusion": Resource("diffusion", "Deep Unsupervised Learning using Nonequilibrium Thermodynamics",
                          ["Jascha Sohl-Dickstein", "Surya Ganguli"], kind="paper", year=2015),
    "sde": Resource("sde", "Score-Based Generative Modeling through Stochastic Differential Equations",
                    ["Yang Song", "Jascha Sohl-Dickstein"], kind="paper", year=2021),
    "nla": Resource("nla", "Numerical Linear Algebra", ["Lloyd Trefethen", "David Bau"]),
    "adagrad": Resource("adagrad", "Adaptive Subgradient Methods for Online Learning and Stochastic Optimization",
                        ["John Duchi", "Elad Hazan", "Yoram Singer"], kind="paper", aliases=["AdaGrad paper"]),
    "bishop": Resource("bishop", "Pattern Recognition and Machine Learning", ["Christopher Bishop"], aliases=["PRML"]),
}


def read(question: str):
    return IntentReader(SHELF).read(question)


def test_a_wish_for_a_work_described_then_named_by_its_makers_asks_for_that_work():
    intent = read("I'd like to read the short 1986 letter in Nature by Rumelhart, Hinton and Williams on hidden units.")
    assert intent.about == ["backprop"] and not intent.moves_away
    intent = read("I'm after the illustrated deep learning cheat sheets by Afshine and Shervine Amidi.")
    assert intent.about == ["dl-sheets"]
    # ... but not a wish for another beside them
    intent = read("I'd like to read a gentler book than the one by Bishop.")
    assert "bishop" not in intent.about and intent.moves_away


def test_an_aside_that_asks_about_a_problem_is_no_request_for_another_resource():
    q = ("I'm after the illustrated deep learning cheat sheets by Afshine and Shervine Amidi. Side question: any "
         "problem printing them for our study group?")
    assert read(q).about == ["dl-sheets"]
    # "any book" still asks for another
    q = "I'm after the cheat sheets by Afshine and Shervine Amidi. Any book for our study group that is gentler?"
    assert read(q).about == []


def test_a_short_surname_that_is_a_function_word_does_not_name_a_record_when_it_opens_a_sentence():
    assert "la-review" not in read("I want the 1986 Nature letter on back-propagation. Do you have it?").mentioned
    assert read("Is Kolter and Do's review enough for CS229?").mentioned == ["la-review"]
    assert read("Is Do's linear algebra review enough?").mentioned == ["la-review"]


def test_which_resource_an_advisor_means_can_be_asked_indirectly():
    q = ("My supervisor keeps telling me to read 'the Rabiner tutorial' on hidden Markov models. Can you confirm "
         "which resource that is?")
    intent = read(q)
    assert intent.about == ["hmm"] and not intent.moves_away


def test_weighing_one_resource_against_another_compares_them():
    intent = read("I'm weighing Dive into Deep Learning against Prince's book. I need figures and derivations.")
    assert intent.compares and set(intent.mentioned) == {"d2l", "udl"}


def test_a_step_wanted_before_going_back_to_a_resource_is_a_prerequisite():
    intent = read("I'm implementing RealNVP. I want a quick visual way to get determinants before I reread the paper.")
    assert intent.wants_prerequisites and "realnvp" in intent.mentioned


def test_a_year_said_right_before_an_authors_name_picks_their_work_of_that_year():
    intent = read("A forum suggested the 2015 Sohl-Dickstein paper next, but I want to go forward, not back.")
    assert intent.mentioned == ["diffusion"]
    assert set(read("Which Sohl-Dickstein paper should I read?").mentioned) == {"diffusion", "sde"}


def test_what_a_wished_for_resource_lets_the_learner_do_is_not_their_background():
    intent = read("I need a concise, practical intro to optimal transport I can use straight away in code: "
                  "Wasserstein distance, Sinkhorn, barycenters.")
    assert not intent.knows
    assert read("I can use numpy well, and I need a book on the SVD.").knows


def test_where_the_resource_asked_for_will_be_read_is_no_goal_to_prepare_for():
    assert not read("I want something short and free on VAEs and GANs, so I can read it on a long flight.") \
        .wants_prerequisites
    assert read("What should I learn so I can read Bishop's PRML?").wants_prerequisites


def test_a_resource_the_learner_says_they_already_know_is_moved_away_from():
    intent = read("A search engine keeps giving me Bishop's PRML. I know that one already. I want another book.")
    assert intent.moves_away and intent.about == []
    assert not read("Is Bishop's PRML any good? I know that it is long.").moves_away


def test_a_remark_marked_as_beside_the_question_is_left_out_of_it():
    from advisor.search.intent.asides import without_marked_asides
    q = ("PRML or the newer Bishop book? I need transformers and diffusion. (Also curious whether my library's copy "
         "is the free PDF, though that's secondary.)")
    assert "free" not in without_marked_asides(q) and "transformers and diffusion" in without_marked_asides(q)
    q = "I want a hands-on intro to scikit-learn. Unrelated: should I upgrade my old laptop first?"
    assert without_marked_asides(q) == "I want a hands-on intro to scikit-learn."
    q = "Any book on flows? (Random aside: do flows matter much now that diffusion dominates?)"
    assert "diffusion" not in without_marked_asides(q)
    # ... but a message that opens on "unrelated" turns to a new subject, and a bracket without a label stays
    assert without_marked_asides("unrelated, but do you know a good intro to HMMs?") == \
        "unrelated, but do you know a good intro to HMMs?"
    q = "A short free book on VAEs? (I don't mind if it isn't free, my library pays.)"
    assert without_marked_asides(q) == q
    # ... and the line breaks that end clauses stay
    q = "only know python\nwant a hands-on course. (Side note: my laptop is old.)\nzero calculus please"
    assert without_marked_asides(q) == "only know python\nwant a hands-on course.\nzero calculus please"
    # the reader leaves the remark out of what is asked
    intent = IntentReader(SHELF)
    q = "I'm after Bishop's PRML. (Side note: my friend swears by Dive into Deep Learning, whatever.)"
    assert intent.read(intent.without_asides(q)).mentioned == ["bishop"]


def test_a_resource_said_as_read_in_a_later_sentence_is_behind_the_learner():
    q = ("I'm only a practitioner, so maybe Trefethen & Bau is already my ceiling? Though I've read Trefethen & Bau "
         "cover to cover. I maintain an eigensolver and need precise flop counts and error analysis.")
    intent = read(q)
    assert intent.moves_away and intent.about == []


def test_a_transcript_says_what_the_learner_has_had_and_a_course_never_taken_is_a_gap():
    from advisor.search.intent import known_clauses
    known = known_clauses("Transcript: Calculus I-II (A, A-), Linear Algebra (A-), Data Structures (A).")
    assert any("Linear Algebra" in k for k in known) and any("Calculus" in k for k in known)
    assert any("Calc II" in k for k in known_clauses("B+ in Calc II, then nothing else."))
    assert not known_clauses("I want a book (a short one), ideally free.")
    intent = read("Transcript: Linear Algebra (A-). No probability course at all. Bishop's PRML is next term. "
                  "What should I do first for probability?")
    assert intent.wants_prerequisites and "probability" not in intent.unwanted
    assert any("Linear Algebra" in k for k in intent.knows)


def test_a_list_of_subjects_ended_by_a_verdict_is_all_known():
    from advisor.search.intent import known_clauses
    known = known_clauses("I'm starting Mohri. Probability, linear algebra and proofs are fine, but duality is new.")
    assert "Probability" in known
    # ... not a wish said before the verdict's sentence
    assert known_clauses("I want SVMs, kernels, duality. Calculus and probability are fine.") == \
        ["Calculus and probability are fine"]


def test_the_gap_is_what_the_named_parts_lean_on():
    from advisor.search.intent.background import gap_words
    lacks = "the SVM and kernel chapters lean on Lagrangian duality and KKT conditions, which I've never studied"
    assert gap_words(lacks).strip().startswith("Lagrangian duality") and "SVM" not in gap_words(lacks)
    assert gap_words("I've never studied online learning") == "I've never studied online learning"


def test_before_x_what_x_sends_the_learner_to_counts_only_when_it_teaches_most_of_the_gap_named():
    from advisor.library.topics import Topic, TopicMatcher
    from advisor.search.recommend import ResourceRanker
    topics = {t: Topic(t, name, [name.lower()]) for t, name in (
        ("probability", "Probability"), ("linear-algebra", "Linear algebra"), ("duality", "Lagrangian duality"),
        ("kkt-conditions", "KKT conditions"), ("convex-optimization", "Convex optimization"), ("svm", "SVM"),
        ("learning-theory", "Learning theory"))}
    shelf = {
        "mohri": Resource("mohri", "Foundations of Machine Learning", ["Mehryar Mohri"],
                          topics=["learning-theory", "svm"],
                          prerequisites=["probability", "linear-algebra", "duality"],
                          description="Choose Understanding Machine Learning first if you want more explanation."),
        "uml": Resource("uml", "Understanding Machine Learning", ["Shai Shalev-Shwartz"],
                        topics=["learning-theory", "svm", "convex-optimization"], prerequisites=["probability"]),
        "boyd": Resource("boyd", "Convex Optimization", ["Stephen Boyd"],
                         topics=["convex-optimization", "duality", "kkt-conditions"], prerequisites=["linear-algebra"]),
    }
    reader, ranker = IntentReader(shelf), ResourceRanker(shelf, topics, TopicMatcher(topics))
    question = ("I'm starting Mohri's Foundations of Machine Learning. Probability, linear algebra and proofs are "
                "fine, but the SVM chapters lean on Lagrangian duality, KKT conditions and convex optimization, which "
                "I've never studied. Which book?")
    sig = ranker.signals(question, reader.read(question), lambda text: {rid: 0.5 for rid in shelf}, [])
    assert "uml" not in sig.values["advised"]
    assert ranker.rank(sig, 2, None, [])[0].resource.id == "boyd"


def test_a_course_in_a_transcript_is_background_not_a_wish_for_a_course():
    from advisor.search.intent import attribute_preferences
    for said in ("I'm an econ major with one stats class. What should I read for regression?",
                 "Transcript: Linear Algebra (A-), Probability course (B). What should I read for regression?",
                 "Courses so far: Signals (A), Probability for EE (B+). Which resource on HMMs?"):
        assert "kind" not in attribute_preferences(said), said
    assert attribute_preferences("I want a course (a free one) on regression.")["kind"] == ("course", "video-series")


def test_a_background_label_lists_what_the_learner_has_had():
    from advisor.search.intent import known_clauses
    known = known_clauses("My background: engineering degree, the calc sequence, one computational linear algebra "
                          "course. I have never written proofs.")
    assert "the calc sequence" in known and "one computational linear algebra course" in known
    assert known_clauses("Background: I want to learn SVMs. Which book?") == []


def test_a_learner_happy_to_pay_asks_for_nothing_free():
    from advisor.search.intent import attribute_preferences
    prefs = attribute_preferences("I planned to read UML since it's free, but it lost me. I'm happy to buy a book "
                                  "if it's short.")
    assert "access" not in prefs and prefs.get("kind") == ("book",)
    assert attribute_preferences("A free book on SVMs, please.")["access"] == ("free", "free-online")



def test_a_forms_missing_label_says_what_the_learner_lacks():
    from advisor.search.intent import lack_clauses
    form = ("Upcoming: CS231n assignment 2\nMissing: Jacobians, the vector chain rule\nBackground: first-year calculus "
            "only\nWant: one free article")
    assert lack_clauses(form) == "Missing: Jacobians, the vector chain rule"
    assert lack_clauses("The missing piece in my notes is fine.") == ""


def test_a_subject_said_to_be_gone_is_a_gap():
    from advisor.search.intent import lack_clauses
    assert "calculus is mostly gone" in lack_clauses("I work in R, and my calculus is mostly gone. Which book?")
    assert lack_clauses("Good news: the paywall is gone. Which book on SVMs?") == ""


def test_a_forms_goal_label_names_what_the_gap_comes_before():
    intent = read("Goal: understand the AdaGrad paper, not just the update rule. I've never studied online learning.")
    assert intent.wants_prerequisites and intent.mentioned == ["adagrad"]
    assert not read("Goal: understand the AdaGrad paper, not just the update rule.").wants_prerequisites
