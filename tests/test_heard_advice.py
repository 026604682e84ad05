"""Round 25's readings: advice the learner heard from someone else ("advisor says baby rudin. which book?"),
goals with the topic implied, and backgrounds from other fields."""

from advisor.search.intent import IntentReader, attribute_preferences
from advisor.types import Resource

SHELF = {
    "rudin": Resource("rudin", "Principles of Mathematical Analysis", ["Walter Rudin"], aliases=["baby Rudin", "PMA"]),
    "pgm": Resource("pgm", "Probabilistic Graphical Models: Principles and Techniques",
                    ["Daphne Koller", "Nir Friedman"], aliases=["Koller and Friedman"]),
    "cs228": Resource("cs228", "CS228 Notes: Probabilistic Graphical Models", ["Stefano Ermon"],
                      kind="lecture-notes", aliases=["CS228 notes"]),
    "adam": Resource("adam", "Adam: A Method for Stochastic Optimization", ["Diederik Kingma", "Jimmy Ba"],
                     kind="paper", year=2014),
    "uml": Resource("uml", "Understanding Machine Learning: From Theory to Algorithms",
                    ["Shai Shalev-Shwartz", "Shai Ben-David"], aliases=["UML"]),
    "casella": Resource("casella", "Statistical Inference", ["George Casella", "Roger Berger"]),
    "cs285": Resource("cs285", "CS 285: Deep Reinforcement Learning", ["Sergey Levine"], kind="course"),
    "zhang": Resource("zhang", "Understanding deep learning requires rethinking generalization", ["Chiyuan Zhang"],
                      kind="paper", aliases=["rethinking generalization"]),
    "goodfellow": Resource("goodfellow", "Deep Learning", ["Ian Goodfellow", "Yoshua Bengio"],
                           aliases=["Goodfellow"]),
    "d2l": Resource("d2l", "Dive into Deep Learning", ["Aston Zhang"], aliases=["d2l"]),
}


def read(question: str):
    return IntentReader(SHELF).read(question)


def test_which_book_after_a_name_someone_advised_asks_which_that_is():
    intent = read("advisor says baby rudin. which book?")
    assert intent.about == ["rudin"] and not intent.moves_away
    # ... but a verdict on X, then the same bare question, moves away from X
    assert read("Rudin is too dense. which book?").moves_away


def test_the_one_before_a_paper_is_earlier_in_time_not_its_prerequisites():
    intent = read("I need the paper that first proposed per-coordinate steps. Not Adam, the one before it.")
    assert intent.direction == "earlier" and not intent.wants_prerequisites


def test_an_acronym_said_as_a_modules_subject_names_no_book():
    intent = read("I used the CS228 notes to get through a PGM module. I need the comprehensive book. Next step?")
    assert intent.mentioned == ["cs228"]
    assert "pgm" in read("the PGM book is too long for me").mentioned


def test_a_maths_review_described_inside_the_options_asks_for_no_foundations():
    intent = read("reddit can't agree: Goodfellow or d2l. I want a compact maths review at the start and research "
                  "chapters on the partition function.")
    assert intent.compares and not intent.wants_prerequisites
    assert read("I want to read Goodfellow. Is there a maths refresher I can do?").wants_prerequisites


def test_what_a_resource_takes_for_granted_comes_before_it():
    intent = read("I want the convergence analysis in the Adam paper. It takes SGD and momentum for granted. "
                  "What gives me the convergence theory of SGD?")
    assert intent.wants_prerequisites


def test_what_the_learner_should_have_taken_first_comes_before():
    intent = read("Levine's deep RL course page says I should have taken an undergraduate machine learning course "
                  "first. Where do I start?")
    assert intent.wants_prerequisites and intent.mentioned == ["cs285"]


def test_a_preference_after_a_question_on_x_asks_for_another_and_too_much_is_easier():
    intent = read("A friend said to read Shalev-Shwartz & Ben-David. I have never written proofs. Too much? "
                  "I'd prefer a short book that still explains VC bounds properly.")
    assert intent.moves_away and not intent.about and intent.direction == "easier"
    assert read("A coworker told me to read Casella & Berger but Casella looks enormous. "
                "Anything more compact?").direction == "easier"


def test_the_kind_after_a_quoted_title_is_the_titles_not_the_one_asked():
    intent = read("The 'rethinking generalization' paper argues VC bounds cannot explain deep nets. I have no idea "
                  "what those measures are. Any lecture series to fill that hole?")
    assert "paper" not in attribute_preferences(intent.rest).get("kind", ())
    assert "course" in attribute_preferences(intent.rest).get("kind", ())


def test_what_am_i_missing_followed_by_another_question_asks_for_the_gap():
    assert read("cs228 wants me to derive message passing by hand. I know basic probability and that's it. "
                "what am i missing / what do i read").wants_prerequisites


def test_gentler_but_still_proving_keeps_only_rigorous_records_that_x_advises_first():
    from advisor.library.topics import Topic, TopicMatcher
    from advisor.search.recommend import ResourceRanker

    topics = {"vectors": Topic("vectors", "vectors")}
    shelf = {
        "axler": Resource("axler", "Vector Spaces Done Right", ["Sheldon Axler"], level="advanced",
                          math_depth="proof-heavy", topics=["vectors"], from_catalog=True,
                          description="Assumes a first course such as Matrix Computations Course or Proofs About "
                                      "Vectors Gently first."),
        "computing": Resource("computing", "Matrix Computations Course", ["Gil Strang"], kind="course",
                              level="intro", math_depth="moderate", topics=["vectors"], from_catalog=True),
        "proofs": Resource("proofs", "Proofs About Vectors Gently", ["Jim Hefferon"], level="intro",
                           math_depth="rigorous", topics=["vectors"], from_catalog=True),
    }
    ranker, reader = ResourceRanker(shelf, topics, TopicMatcher(topics)), IntentReader(shelf)

    def advised(question):
        return set(ranker.signals(question, reader.read(question), lambda text: {}, []).values["advised"])

    assert advised("Axler is too hard for me. Anything gentler?") == {"computing", "proofs"}
    assert advised("Axler is too hard for me. Something gentler that still proves everything?") == {"proofs"}


def test_those_the_learner_teaches_know_what_they_are_said_to_have():
    intent = read("Teaching an ML elective next term. Students are sophomores with calculus and a bit of "
                  "probability. I need a free textbook light on maths.")
    assert intent.knows == ["Students are sophomores with calculus and a bit of probability"]
    assert read("My students have trouble with probability. I need a free textbook.").knows == []


def test_a_kind_in_a_likeness_is_no_wish_and_not_fully_proof_heavy_asks_no_rigour():
    prefs = attribute_preferences("Finished the course and it felt like a recipe book. Now I want video lectures "
                                  "that explain why learning works, without going fully proof-heavy.")
    assert prefs["kind"] == ("course", "video-series") and "math_depth" not in prefs
    assert attribute_preferences("I want a recipe book for regression")["kind"] == ("book",)


def test_a_field_named_is_no_wish_for_its_style_of_maths_or_level():
    assert "math_depth" not in attribute_preferences("I'm a theoretical chemist new to machine learning")
    assert attribute_preferences("I want a theoretical treatment")["math_depth"] == ("rigorous", "proof-heavy")
    assert "level" not in attribute_preferences("chemistry PhD student who wants to learn neural nets")
    assert "level" not in attribute_preferences("I'm a clinical researcher who wants to learn ML")
    assert attribute_preferences("I'm an ML researcher")["level"] == ("advanced",)
    assert "kind" not in attribute_preferences("I fit mixed models to field survey data")
    assert attribute_preferences("a survey of diffusion models")["kind"] == ("paper",)


def test_more_reasoning_than_theorem_proof_asks_for_no_rigour():
    assert "math_depth" not in attribute_preferences("the reasoning behind the bootstrap, more reasoning than "
                                                     "theorem-proof")


def test_before_a_course_its_own_notes_are_no_answer_but_its_review_of_what_it_assumes_is():
    from advisor.library.topics import Topic, TopicMatcher
    from advisor.search.recommend import ResourceRanker

    topics = {t: Topic(t, t) for t in ("probability", "widgets", "duality")}
    shelf = {
        "course": Resource("course", "CS 101: Widget Learning", ["Ann Alpha"], kind="course", topics=["widgets"],
                           prerequisites=["probability", "duality"], related=["notes", "review"]),
        "notes": Resource("notes", "CS 101 Lecture Notes", ["Ann Alpha"], kind="lecture-notes", topics=["widgets"]),
        "review": Resource("review", "CS 101 Probability Review", ["Bo Beta"], kind="lecture-notes",
                           topics=["probability"]),
    }
    ranker, reader = ResourceRanker(shelf, topics, TopicMatcher(topics)), IntentReader(shelf)
    question = ("Watching the CS 101 lectures, I'm completely lost when duality comes in. Is there a course I "
                "should take before going back?")
    assert reader.read(question).wants_prerequisites
    excluded = ranker.signals(question, reader.read(question), lambda text: {}, []).excluded
    assert "notes" in excluded and "review" not in excluded


def test_proof_based_but_gentle_asks_for_proofs_all_the_same():
    prefs = attribute_preferences("proof based but gentle pls, shouldn't assume maturity. free if poss")
    assert prefs["math_depth"] == ("rigorous", "proof-heavy")
    assert attribute_preferences("gentle pls")["math_depth"] == ("applied", "moderate")


def test_the_subject_narrowed_to_is_not_what_the_learner_knows():
    from advisor.search.intent import known_clauses

    assert known_clauses("narrowing down: just normalizing flows. a thorough review of those") == []
    assert known_clauses("background: only linear algebra. want ML") == ["only linear algebra"]


def test_a_review_of_those_after_a_subject_is_no_question_about_the_answer_shown():
    from advisor.search.intent import refers_to_previous

    assert not refers_to_previous("narrowing down: just normalizing flows. a thorough review of those")
    assert refers_to_previous("which of those is free?")
    assert refers_to_previous("any of those for beginners?")


def test_asking_whether_xs_slides_are_posted_is_about_x_even_after_a_struggle():
    shelf = {"silver": Resource("silver", "UCL Course on Reinforcement Learning", ["David Silver"], kind="course"),
             **SHELF}
    intent = IntentReader(shelf).read("david silver's RL lectures, lecture seven on policy gradients totally lost "
                                      "me, so are the slides posted somewhere and is there like an assignment I can "
                                      "do?")
    assert intent.about == ["silver"] and not intent.moves_away
    assert IntentReader(shelf).read("david silver's RL lectures totally lost me. Is there a gentler "
                                    "course?").moves_away


def test_what_was_done_first_is_no_move_away_from_the_resource_wanted():
    shelf = {"cs229": Resource("cs229", "CS229: Machine Learning (Stanford)", ["Andrew Ng"], kind="course"),
             "boyd": Resource("boyd", "Convex Optimization", ["Stephen Boyd", "Lieven Vandenberghe"]),
             "la": Resource("la", "MIT 18.06 Linear Algebra", ["Gilbert Strang"], kind="course")}
    reader = IntentReader(shelf)
    intent = reader.read("After Ng's Coursera course I want CS229 proper, the Stanford lectures.")
    assert intent.about == ["cs229"] and not intent.moves_away
    intent = reader.read("My professor said Boyd and Vandenberghe is the natural follow-up to 18.06. I'd like that "
                         "book.")
    assert not intent.moves_away and intent.about
    assert reader.read("After finishing 18.06 I want something harder.").moves_away


def test_it_after_a_struggle_and_a_recommendation_is_the_one_recommended():
    shelf = {"prml": Resource("prml", "Pattern Recognition and Machine Learning", ["Christopher Bishop"]),
             "pml": Resource("pml", "Probabilistic Machine Learning: An Introduction", ["Kevin Murphy"]),
             "esl": Resource("esl", "The Elements of Statistical Learning", ["Trevor Hastie"], aliases=["ESL"]),
             "islr": Resource("islr", "An Introduction to Statistical Learning", ["Gareth James"],
                              aliases=["ISLR"])}
    reader = IntentReader(shelf)
    intent = reader.read("After struggling with Bishop, my friend recommended Murphy's book. Is it good for "
                         "self-study?")
    assert intent.about == ["pml"] and not intent.moves_away
    assert set(reader.read("ESL and ISLR - are they free?").about) == {"esl", "islr"}
    assert reader.read("My friend recommended Murphy's book, but I want something else.").moves_away


def test_trying_x_anyway_after_hearing_it_is_hard_is_about_x():
    shelf = {"esl": Resource("esl", "The Elements of Statistical Learning", ["Trevor Hastie"], aliases=["ESL"]),
             "islr": Resource("islr", "An Introduction to Statistical Learning", ["Gareth James"],
                              aliases=["ISLR"])}
    reader = IntentReader(shelf)
    intent = reader.read("Someone told me ESL is too hard, but I'd like to try it anyway. Where can I read it?")
    assert intent.about == ["esl"] and not intent.moves_away
    assert reader.read("ESL is too hard. What can I read instead?").moves_away
    intent = reader.read("ESL was too hard. Should I read ISLR first or skip it?")
    assert intent.about == ["islr"] and not intent.compares


def test_a_free_html_version_is_xs_own_copy_even_after_finding_x_dense():
    intent = read("I tried Goodfellow's book and found it dense, but my PI insists. Is there a free HTML version?")
    assert intent.about == ["goodfellow"] and not intent.moves_away
    assert read("I found Goodfellow's book dense. Is there an easier version?").moves_away


def test_the_resource_advised_in_place_of_another_is_asked_about():
    shelf = {"prml": Resource("prml", "Pattern Recognition and Machine Learning", ["Christopher Bishop"]),
             "pml": Resource("pml", "Probabilistic Machine Learning: An Introduction", ["Kevin Murphy"]),
             "islr": Resource("islr", "An Introduction to Statistical Learning", ["Gareth James"],
                              aliases=["ISLR"])}
    reader = IntentReader(shelf)
    intent = reader.read("my advisor said skip Bishop and read Murphy's book instead. is it free?")
    assert intent.about == ["pml"] and not intent.moves_away
    assert reader.read("My prof suggested I use ISLR. Something more rigorous?").moves_away


def test_need_x_with_the_subject_dropped_wants_x_and_not_y():
    shelf = {"ladr": Resource("ladr", "Linear Algebra Done Right", ["Sheldon Axler"]),
             "mira": Resource("mira", "Measure, Integration & Real Analysis", ["Sheldon Axler"], aliases=["MIRA"])}
    intent = IntentReader(shelf).read("Need Sheldon Axler's MIRA, NOT Linear Algebra Done Right. My prof said it's "
                                      "way more than ML people need but I want the Radon-Nikodym chapter anyway. Is "
                                      "the PDF the actual book?")
    assert intent.about == ["mira"] and intent.refused == ["ladr"] and not intent.moves_away


def test_anothers_choice_instead_is_no_move_and_the_course_itself_is_asked_about():
    shelf = {"cornell": Resource("cornell", "CS4780: Machine Learning for Intelligent Systems (Cornell)",
                                 ["Kilian Weinberger"], kind="course"),
             "cs229": Resource("cs229", "CS229: Machine Learning (Stanford)", ["Andrew Ng"], kind="course"),
             "cs189": Resource("cs189", "CS 189: Introduction to Machine Learning (UC Berkeley)",
                               ["Jonathan Shewchuk"], kind="course"),
             "stat110": Resource("stat110", "Introduction to Probability", ["Joseph Blitzstein", "Jessica Hwang"],
                                 aliases=["Stat 110 textbook"])}
    reader = IntentReader(shelf)
    intent = reader.read("Kilian Weinberger's Cornell ML lectures (CS4780). My roommate did CS229 instead but I like "
                         "Kilian's style. Are the YouTube lectures the same course?")
    assert not intent.moves_away and "cornell" in intent.mentioned
    assert reader.read("I did CS229 instead of CS4780. What should I take next?").moves_away
    intent = reader.read("Shewchuk's CS 189. People say a TA wrote a separate math review for it. I want the course "
                         "itself: lecture notes, past midterms. where?")
    assert intent.about == ["cs189"] and not intent.wants_prerequisites
    intent = reader.read("Is there a free e-version of the Stat 110 textbook? A friend said the exercises are brutal, "
                         "but I'd still like the book itself.")
    assert intent.about == ["stat110"] and not intent.moves_away
