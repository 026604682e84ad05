"""How learners name a resource and say what they want: when a question that names one asks about it rather than past
it, and what their wording says of the depth and level they want."""

import pytest

from advisor.search.intent import IntentReader
from advisor.types import Resource

SHELF = {
    "intro": Resource("intro", "MIT 6.390 (formerly 6.036) Introduction to Machine Learning", ["Leslie Kaelbling"],
                      kind="course", aliases=["6.036", "MIT 6.036"]),
    "ddpm": Resource("ddpm", "Denoising Diffusion Probabilistic Models", ["Jonathan Ho", "Ajay Jain"], kind="paper",
                     year=2020),
    "cornell": Resource("cornell", "CS4780: Machine Learning for Intelligent Systems", ["Kilian Weinberger"],
                        kind="course"),
    "rudin": Resource("rudin", "Principles of Mathematical Analysis", ["Walter Rudin"], aliases=["baby Rudin"]),
    "notes": Resource("notes", "Deep Learning Theory Lecture Notes", ["Matus Telgarsky"], kind="lecture-notes"),
    "islr": Resource("islr", "An Introduction to Statistical Learning", ["Gareth James"], aliases=["ISLR"]),
    "pot": Resource("pot", "POT: Python Optimal Transport", ["Remi Flamary"], kind="tutorial", aliases=["POT"],
                    description="Put the pot of water on."),
    "ntk": Resource("ntk", "Neural Tangent Kernel", ["Arthur Jacot"], kind="paper", year=2018),
    "silver": Resource("silver", "UCL Course on Reinforcement Learning", ["David Silver"], kind="course"),
    "mohri": Resource("mohri", "Foundations of Machine Learning", ["Mehryar Mohri"]),
}


def test_a_course_number_typed_with_a_space_or_without_its_dot_names_the_course():
    reader = IntentReader(SHELF)
    for typed in ("mit 6 036 intro ML: any good?", "is 6036 a good first course?", "is 6.036 worth it?"):
        assert reader.read(typed).mentioned == ["intro"], typed
    assert reader.read("is 6 0361 worth it?").mentioned == []


def test_a_first_author_et_al_and_a_lecturers_first_name_name_their_record():
    reader = IntentReader(SHELF)
    assert reader.read("Ho et al. 2020 diffusion paper: is the maths self-contained?").mentioned == ["ddpm"]
    assert reader.read("ho et al diffusion paper, any good?").mentioned == []  # a short surname only capitalised
    assert reader.read("Kilian's machine learning lectures on youtube, any good?").mentioned == ["cornell"]
    assert reader.read("is kilian a good lecturer?").mentioned == []  # a first name alone names no one


def test_a_question_on_the_named_resource_in_a_few_words_is_about_it():
    reader = IntentReader(SHELF)
    for question in ("mit 6.036 intro ML: good first university-level course, or too light on probability?",
                     "Kilian's machine learning lectures on youtube - more or less mathy than Stanford's?",
                     "Telgarsky's deep learning theory notes - how do I know if I'm ready for them?"):
        intent = reader.read(question)
        assert intent.about and not intent.moves_away and not intent.wants_prerequisites, question
    assert not reader.read("Telgarsky's deep learning theory notes - how do I know if I'm ready for them?").knows


def test_a_named_resource_proposed_for_a_later_goal_is_the_candidate_not_the_goal():
    reader = IntentReader(SHELF)
    proposed = reader.read("baby rudin as my first analysis book so I can read ML theory papers later: brave or dumb?")
    assert proposed.mentioned == ["rudin"] and not proposed.wants_prerequisites
    assert reader.read("what should I read so I can follow Rudin?").wants_prerequisites


def test_asking_whether_the_named_resource_is_outdated_does_not_prefer_newer_ones():
    from advisor.library.topics import TopicMatcher
    from advisor.search.recommend import ResourceRanker
    from advisor.library.topics import Topic

    shelf = {"old": Resource("old", "Deep Learning", ["Ian Goodfellow"], aliases=["deep learning bible"], year=2016,
                             topics=["neural-networks"]),
             "new": Resource("new", "Understanding Deep Learning", ["Simon Prince"], year=2023,
                             topics=["neural-networks"])}
    topics = {"neural-networks": Topic("neural-networks", "neural networks")}
    ranker, reader = ResourceRanker(shelf, topics, TopicMatcher(topics)), IntentReader(shelf)

    def first(question):  # the newer book is the closer in meaning, as "modern" and "transformers" make it
        sig = ranker.signals(question, reader.read(question), lambda text: {"old": 0.3, "new": 0.9}, [])
        return ranker.rank(sig, 2, None, [])[0].resource.id

    assert first("is the deep learning bible on neural networks still worth reading or too outdated now?") == "old"
    assert first("a more modern book on neural networks than the deep learning bible?") == "new"


def test_a_double_surname_typed_with_a_space_names_its_author():
    shelf = {"uml": Resource("uml", "Understanding Machine Learning", ["Shai Shalev-Shwartz", "Shai Ben-David"])}
    reader = IntentReader(shelf)
    for typed in ("Shwartz and Ben David, good for self study?", "is the shalev shwartz book free?",
                  "Ben-David's book, any good?"):
        assert reader.read(typed).mentioned == ["uml"], typed
    assert reader.read("is David a good lecturer?").mentioned == []


def test_disinterest_in_proofs_said_after_them_and_a_childs_age_ask_for_gentler_resources():
    from advisor.search.intent import attribute_preferences

    for said in ("I want to do Bayesian modelling on my own data; proofs don't interest me.",
                 "a feel for probability, without heavy formulas", "theory bores me, I want to fit models"):
        assert attribute_preferences(said).get("math_depth") == ("applied", "moderate"), said
    assert attribute_preferences("my 13 yo daughter wants to know how neural networks learn")["level"] == ("intro",)
    assert "level" not in attribute_preferences("I'm a 45-year-old accountant")
    assert attribute_preferences("a book with the proofs of the VC theorem")["math_depth"] == ("rigorous",
                                                                                               "proof-heavy")


def test_a_gap_said_after_what_the_learner_has_studied_is_lacked_not_refused():
    from advisor.search.intent.background import lack_clauses

    assert lack_clauses("I've done real analysis but no functional analysis. What to read?") \
        == "no functional analysis"
    assert lack_clauses("I know Hoeffding but not McDiarmid.") == "not McDiarmid"
    assert lack_clauses("probability is solid, but I've never actually seen VC dimension") \
        == "I've never actually seen VC dimension"
    for wish in ("a probability course, rigorous is fine but no measure theory", "a probability book but no measure theory",
                 "I've done real analysis but no proofs please"):
        assert lack_clauses(wish) == "", wish
    shelf = {"paper": Resource("paper", "Approximation by Superpositions of a Sigmoidal Function", ["George Cybenko"],
                               kind="paper")}
    intent = IntentReader(shelf).read("Cybenko's proof uses Hahn-Banach. I've done real analysis but no functional "
                                      "analysis. What to read?")
    assert intent.wants_prerequisites and intent.lacks == "no functional analysis" and not intent.unwanted
    assert IntentReader(shelf).read("a probability book but no measure theory please").unwanted == "measure theory"


def test_a_course_taken_once_is_known_a_rusty_subject_is_lacked_and_starting_x_makes_x_the_goal():
    from advisor.search.intent import known_clauses
    from advisor.search.intent.background import lack_clauses

    assert known_clauses("I had one semester of undergrad real analysis.") == ["I had one semester of undergrad "
                                                                               "real analysis"]
    assert known_clauses("I never had a course in probability") == []
    assert lack_clauses("My linear algebra and calculus are ten years rusty.") == ("My linear algebra and calculus "
                                                                                  "are ten years rusty")
    intent = IntentReader(SHELF).read("Starting baby Rudin next month. My calculus is ten years rusty. Best refresher?")
    assert intent.mentioned == ["rudin"] and intent.wants_prerequisites


def test_whether_the_named_resource_fits_is_asked_about_it_and_its_level_does_not_count_against_it():
    from advisor.library.topics import Topic, TopicMatcher
    from advisor.search.recommend import ResourceRanker

    shelf = {"bda": Resource("bda", "Bayesian Data Analysis", ["Andrew Gelman"], aliases=["BDA3"], level="advanced",
                             math_depth="rigorous", topics=["bayesian-inference"]),
             "easy": Resource("easy", "Bayes for Everyone", ["Ann Other"], level="intro", math_depth="applied",
                              topics=["bayesian-inference"])}
    reader = IntentReader(shelf)
    for question in ("BDA3 too advanced for me?", "BDA3 for a beginner?", "is BDA3 too hard for a beginner?"):
        intent = reader.read(question)
        assert intent.about == ["bda"] and not intent.moves_away, question
    for other in ("BDA3 is too advanced for me. Is there a free, gentler intro like it?",
                  "BDA3 is paid. free written intro to bayesian inference?"):
        assert reader.read(other).about == [], other
    topics = {"bayesian-inference": Topic("bayesian-inference", "bayesian inference")}
    ranker = ResourceRanker(shelf, topics, TopicMatcher(topics))
    question = "is BDA3 too hard for a beginner in bayesian inference?"
    sig = ranker.signals(question, reader.read(question), lambda text: {"bda": 0.5, "easy": 0.9}, [])
    assert [m.resource.id for m in ranker.rank(sig, 2, None, [])] == ["bda", "easy"]


def test_a_year_said_after_an_authors_name_names_their_record_of_that_year():
    shelf = {"prml": Resource("prml", "Pattern Recognition and Machine Learning", ["Christopher Bishop"],
                              aliases=["Bishop"], year=2006),
             "dlfc": Resource("dlfc", "Deep Learning: Foundations and Concepts", ["Christopher Bishop", "Hugh Bishop"],
                              year=2024)}
    reader = IntentReader(shelf)
    assert reader.read("the bishop book from 2024, any good?").mentioned == ["dlfc"]
    assert reader.read("Bishop (2006) still worth it?").mentioned == ["prml"]
    assert reader.read("is Bishop still worth it?").mentioned == ["prml"]
    assert reader.read("Bishop 1995, any good?").mentioned == ["prml"]  # no record of that year: the name stands


def test_an_acronym_typed_in_lowercase_names_its_record_unless_it_spells_a_word():
    reader = IntentReader(SHELF)
    assert reader.read("islr felt too easy, anything with derivations?").mentioned == ["islr"]
    assert reader.read("a pot of tea and some probability").mentioned == []  # "pot" is a word the catalog uses


def test_a_title_typed_across_a_comma_names_nothing():
    reader = IntentReader(SHELF)
    typed = reader.read("read jacot's paper, too short. want NTK and deep learning theory, lecture notes fine")
    assert typed.mentioned == ["ntk"]
    assert reader.read("is deep learning theory lecture notes any good?").mentioned == ["notes"]


def test_a_verdict_that_x_was_gentle_asks_for_more_and_a_title_shortened_after_a_possessive_is_the_name():
    reader = IntentReader(SHELF)
    gentle = reader.read("finished silver's UCL lectures. they felt pretty gentle. i want deep RL with more math")
    assert gentle.moves_away and gentle.direction == "harder"
    assert reader.read("silver's lectures: anything gentler?").direction == "easier"
    assert "ML" not in reader.read("mohri's foundations of ML was recommended").rest


def test_a_judgement_and_a_gap_parted_by_a_comma_and_a_gap_that_loses_the_learner():
    reader = IntentReader(SHELF)
    judged = reader.read("trying to read Silver's lectures. way over my head, i have no probability. anything lighter?")
    assert judged.moves_away and not judged.wants_prerequisites and judged.direction == "easier"
    assert "ELBO" in reader.read("what do I need before the DDPM paper? the ELBO stuff loses me").lacks


def test_what_x_lacks_said_with_its_subject_dropped_is_no_refusal_and_the_math_tied_to_code_is_no_wish_for_rigour():
    from advisor.search.intent import attribute_preferences

    reader = IntentReader(SHELF)
    said = reader.read("Telgarsky's notes are solid on theory but have no code at all. something with code?")
    assert said.unwanted == "" and said.moves_away
    assert "code" in reader.read("I want deep learning theory, no code please").unwanted
    assert "math_depth" not in attribute_preferences("something that ties the math to code?")
    assert attribute_preferences("I want the math behind it")["math_depth"] == ("rigorous", "proof-heavy")


def test_a_resource_the_learner_has_done_beside_the_one_asked_about_is_left_out():
    reader = IntentReader(SHELF)
    before = reader.read("before Telgarsky's notes? analysis is fine (i did rudin), but what else do i need first")
    assert before.wants_prerequisites and "rudin" in before.refused and "notes" in before.mentioned
    # alone, what the learner finished is what they move on from, not a refusal
    assert reader.read("I finished baby Rudin, what next?").refused == []


@pytest.mark.parametrize("said, lacked", [
    ("what should i know before Rudin? i've literally never read or written a proof in my life", "proof"),
    ("EE sophomore. done calc, no probability yet. want probability", "no probability yet"),
    ("now on an ML team and honestly confused why everyone uses plain SGD", "SGD"),
    ("my probability is one semester of engineering stats from years ago. what first?", "probability"),
    ("when the notes move to the dual and KKT I'm completely lost. what first?", "KKT"),
    ("fine with posteriors, but KL divergence and entropy i only know by name tbh", "entropy"),
    ("i can code autoencoders, but the ELBO is a total black box. what first?", "ELBO"),
])
def test_gaps_said_in_passing_are_lacked_not_known_or_refused(said, lacked):
    intent = IntentReader(SHELF).read(said)
    assert lacked in intent.lacks and lacked not in intent.unwanted, said
    assert not any(lacked in k for k in intent.knows), said
    assert not any("should i know" in k for k in intent.knows)


def test_needing_no_free_one_is_no_wish_for_free_and_revokes_it_in_a_chat():
    from advisor.search.intent import attribute_preferences
    from advisor.search.intent.conversation import revokes_free

    assert "access" not in attribute_preferences("doesnt need to be free btw, i want the serious research-level one")
    assert revokes_free("doesnt need to be free btw") and not revokes_free("has to be free")
    assert attribute_preferences("has to be free")["access"] == ("free", "free-online")


def test_the_same_material_with_derivations_is_a_step_deeper_and_on_the_same_ideas_first_a_gentler_one():
    reader = IntentReader(SHELF)
    deeper = reader.read("Finished Telgarsky's notes. I want the same material with the derivations.")
    assert deeper.moves_away and deeper.direction == "harder"
    assert reader.read("Telgarsky's notes are dense. A book on the same ideas to read first?").direction == "easier"


def test_a_possessive_does_not_hide_the_title_words_that_pick_one_of_an_authors_records():
    shelf = {"review": Resource("review", "Variational Inference: A Review for Statisticians", ["David Blei"]),
             "bbvi": Resource("bbvi", "Black Box Variational Inference", ["Rajesh Ranganath", "David Blei"]),
             "svi": Resource("svi", "Stochastic Variational Inference", ["Matt Hoffman", "David Blei"])}
    reader = IntentReader(shelf)
    assert reader.read("finished blei's variational inference review. what next?").mentioned == ["review"]


def test_a_subject_the_learner_keeps_meeting_beside_a_resource_on_it_is_what_it_is_for_not_a_gap_before_it():
    reader = IntentReader(SHELF)
    beside = reader.read("entropy and KL divergence? i keep seeing them in papers. someone said Telgarsky's notes, free?")
    assert not beside.wants_prerequisites
    gap = reader.read("want to read Telgarsky's notes but I have never seen Hilbert spaces. what first?")
    assert gap.wants_prerequisites


def test_where_to_find_what_x_leaves_out_is_no_question_about_x():
    reader = IntentReader(SHELF)
    skipped = reader.read("Telgarsky's notes skipped the derivations for kernels, where can I find them?")
    assert not skipped.about and skipped.moves_away
    assert reader.read("Telgarsky's notes: where can I find them online?").about == ["notes"]


def test_needing_no_proofs_asks_for_applied_depth_and_clicking_around_for_an_interactive_resource():
    from advisor.search.intent import attribute_preferences
    from advisor.search.preferences import preference_counts

    for said in ("math is meh, no calc since undergrad. dont need proofs", "I do not need the proofs"):
        assert attribute_preferences(said)["math_depth"] == ("applied", "moderate"), said
    assert attribute_preferences("I need proofs")["math_depth"] == ("rigorous", "proof-heavy")
    prefs = attribute_preferences("is there something visual i can click around with??")
    site = Resource("site", "Seeing Theory", ["Daniel Kunin"], kind="tutorial", description="An interactive website.")
    book = Resource("book", "Probability", ["Joe Blitzstein"], description="A textbook.")
    assert preference_counts(site, prefs)[0] > preference_counts(book, prefs)[0]


def test_free_plus_a_comparative_asks_for_another_and_what_is_clear_is_known():
    from advisor.search.intent import known_clauses

    reader = IntentReader(SHELF)
    asked = reader.read("looked at Telgarsky's notes. way too heavy and also paid. free + a bit friendlier?")
    assert not asked.about and asked.moves_away
    assert reader.read("Telgarsky's notes - free?").about == ["notes"]
    assert known_clauses("CAVI + mean field is clear") == ["CAVI + mean field is clear"]


def test_a_request_pointing_at_the_named_resource_is_about_it_after_any_aside():
    reader = IntentReader(SHELF)
    for question in ("My advisor told me to watch Silver's lectures before I read any more RL papers. "
                     "I tried a random playlist first, but it was too basic. That's the one I want.",
                     "Years ago I watched part of Kilian's machine learning lectures. I think there were 30 of them. "
                     "Can you find me that series again?",
                     "A friend mentioned Telgarsky's notes as the compact refresher. Can you point me to them?"):
        intent = reader.read(question)
        assert intent.about and not intent.moves_away and not intent.wants_prerequisites, question
    # ... but not when what is pointed at is something like it
    assert not reader.read("Silver's lectures were great. Can you find me something like that for bandits?").about


def test_choosing_between_two_named_resources_compares_them_but_a_book_in_between_does_not():
    reader = IntentReader(SHELF)
    for question in ("I'm choosing between ISLR and Mohri's Foundations of Machine Learning. Which should I pick?",
                     "The two candidates are ISLR and Mohri's book. Which one should I go with?"):
        intent = reader.read(question)
        assert intent.compares and not intent.moves_away, question
    between = reader.read("ISLR felt too light and Mohri's book is a wall. Something in between?")
    assert not between.compares


def test_an_option_weighed_and_set_aside_is_dropped_but_the_wish_after_it_stays():
    reader = IntentReader(SHELF)
    judged = reader.without_asides("I read Mohri's book and loved it. I considered the 1996 pattern-recognition "
                                   "book, though people say it's heavy going. I'd like a textbook with exercises.")
    assert "heavy going" not in judged and "1996" not in judged and "I'd like a textbook with exercises" in judged
    assert reader.read(judged).direction == "harder" and not reader.read(judged).years
    wished = reader.without_asides("I was going to buy a book, but my budget is zero, so a free PDF would be ideal.")
    assert "book" not in wished and "free PDF would be ideal" in wished
    # an option that names a record is the one the learner reacts to: it stays
    named = "I thought about ISLR, but it's too light. What next?"
    assert reader.without_asides(named) == named
    plain = "I thought the proofs were fine. Any book on kernels?"  # "thought" alone sets nothing aside
    assert reader.without_asides(plain) == plain


def test_the_field_the_maths_is_for_is_no_subject_of_its_own():
    from advisor.search.intent import without_purpose

    assert "ML" not in without_purpose("a math for ML course")
    assert "ml" not in without_purpose("dev w/ school math only, ml math course").split()
    assert without_purpose("first ML textbook") == "first ML textbook"  # no maths asked: ML is the subject


def test_pre_before_a_name_is_a_point_before_it_even_in_lower_case():
    ddpm = Resource("ddpm", "Denoising Diffusion Probabilistic Models", ["Jonathan Ho"], kind="paper", aliases=["DDPM"])
    reader = IntentReader({**SHELF, "ddpm": ddpm}, topic_terms=["ddpm"])  # "ddpm" is a topic's name too
    earlier = reader.read("first diffusion model paper, pre-ddpm")
    assert earlier.mentioned == ["ddpm"] and earlier.direction == "earlier" and earlier.moves_away
    assert reader.read("a gentle intro to ddpm?").mentioned == []  # in lower case, elsewhere, the topic
    assert reader.read("the maths I need pre-ISLR").wants_prerequisites


@pytest.mark.parametrize("question", ["backprop intuition only, animated vid", "svd explained on youtube",
                                      "a playlist on eigenvalues"])
def test_videos_asked_for_in_chat_words_are_a_kind(question):
    from advisor.search.intent import attribute_preferences

    assert "video-series" in attribute_preferences(question).get("kind", ())


def test_a_later_question_about_the_named_resource_outweighs_an_earlier_request():
    reader = IntentReader(SHELF)
    later = reader.read("Looking for Silver's RL class, where the Bellman equations are derived from scratch. "
                        "Where are the videos and notes?")
    assert later.about == ["silver"] and not later.moves_away
    # ... and a request said last still asks for another
    last = reader.read("Silver's RL class: where are the videos? or what else would you recommend instead?")
    assert not last.about


@pytest.mark.parametrize("question", [
    "That RL course by David Silver, is there a legitimate free version?",
    "Is there a video from Silver's course on the Bellman equations?",
])
def test_a_copy_or_a_part_of_the_named_resource_is_asked_about_it(question):
    assert IntentReader(SHELF).read(question).about == ["silver"]


def test_two_named_resources_then_which_compares_them():
    reader = IntentReader(SHELF)
    assert reader.read("Mohri wrote Foundations of Machine Learning and there is ISLR. For a first read, which?").compares


def test_a_school_or_platform_with_a_subject_and_a_kind_names_its_one_course():
    shelf = {
        "prob": Resource("prob", "MIT 6.041 Probabilistic Systems Analysis", ["John Tsitsiklis"], kind="course",
                         topics=["probability", "random-variables"]),
        "la": Resource("la", "MIT 18.06 Linear Algebra", ["Gilbert Strang"], kind="course", topics=["linear-algebra"]),
        "la2": Resource("la2", "MIT 18.065 Matrix Methods", ["Gilbert Strang"], kind="course",
                        topics=["linear-algebra", "svd"]),
        "book": Resource("book", "Introduction to Probability", ["Dimitri Bertsekas", "John Tsitsiklis"],
                         topics=["probability"]),
    }
    reader = IntentReader(shelf, ["probability", "linear algebra"],
                          {"probability": ["Probability", "probability theory"], "linear-algebra": ["linear algebra"]})
    assert reader.read("what should I know before MIT's probability lectures?").mentioned == ["prob"]
    assert reader.read("MIT's free probability theory course: any good?").about == ["prob"]
    assert reader.read("is MIT's linear algebra course good?").mentioned == []  # two MIT courses: neither
    assert reader.read("is MIT's probability book good?").mentioned == []  # a book is no course
    companion = reader.read("what textbook goes with MIT's probability lectures?")
    assert companion.mentioned == ["prob"] and companion.sideways


def test_a_possessive_inside_a_name_still_names_it_and_a_name_then_what_first_asks_before_it():
    shelf = {**SHELF, "cx": Resource("cx", "Machine Learning (ColumbiaX, edX)", ["John Paisley"], kind="course",
                                     aliases=["Columbia edX"])}
    reader = IntentReader(shelf)
    assert reader.read("Columbia's edX course any good?").about == ["cx"]
    first = reader.read("Telgarsky's deep learning theory notes: the proofs lose me. what do I need first?")
    assert first.wants_prerequisites and not first.about


def test_what_a_subject_is_for_its_flavour_and_its_readers_are_no_subject_of_their_own():
    from advisor.search.intent import subject_topics, without_flavour

    def find(text):
        words = text.lower()
        return [t for t in ("information theory", "ml", "statistics") if t in words]

    assert subject_topics("information theory for ML", find) == ["information theory"]
    assert subject_topics("a first ML book", find) == ["ml"]  # nothing else asked: the field is the subject
    assert subject_topics("an ML math course", find) == []  # maths for ML asks maths, not ML
    assert "ml" not in without_flavour("smth free and more ml flavoured pls").lower().split()
    assert "statistics" not in without_flavour("one review paper aimed at statistics people").lower()


def test_a_review_or_a_survey_asks_for_a_paper():
    from advisor.search.intent import attribute_preferences

    assert attribute_preferences("a thorough review of normalizing flows")["kind"] == ("paper",)
    assert "kind" not in attribute_preferences("Review of probability before the exam")


def test_all_good_in_chat_says_what_the_learner_has():
    from advisor.search.intent import known_clauses

    assert known_clauses("kkt + duality all good now. next: sgd for deep learning") == ["kkt + duality all good now"]
    assert known_clauses("is it all good for beginners?") == []  # a question about a resource's fit


def test_proofy_in_chat_is_rigour_and_not_proofy_asks_for_less():
    from advisor.search.intent import attribute_preferences

    assert attribute_preferences("something proofy on the svd")["math_depth"] == ("rigorous", "proof-heavy")
    assert attribute_preferences("has to cover the svd, not super proofy")["math_depth"] == ("applied", "moderate")


def test_lectures_that_follow_the_book_named_are_its_companion():
    reader = IntentReader(SHELF)
    assert reader.read("reading ISLR. i'd rather watch lectures that follow that book").sideways


def test_a_space_in_a_name_may_be_typed_as_a_hyphen():
    shelf = {**SHELF, "gp": Resource("gp", "Improved Training of Wasserstein GANs", ["Ishaan Gulrajani"], kind="paper",
                                     aliases=["gradient penalty paper"])}
    assert IntentReader(shelf).read("what do I need before the gradient-penalty paper?").mentioned == ["gp"]


def test_a_graduate_of_a_field_is_no_graduate_level():
    from advisor.search.intent import attribute_preferences

    assert "level" not in attribute_preferences("Mechanical engineering graduate, zero probability, want a textbook")
    assert attribute_preferences("a graduate-level probability text")["level"] == ("advanced",)
    assert not IntentReader(SHELF).read("Engineering graduate here. ISLR was fine, what next?").deeper


def test_but_first_i_need_asks_what_comes_before_the_resource_named():
    intent = IntentReader(SHELF).read("After that I want to read ISLR, but first I need the math in one book.")
    assert intent.wants_prerequisites and intent.mentioned == ["islr"]


def test_a_part_of_a_resource_asked_for_before_its_name_is_about_the_name_said_next():
    reader = IntentReader(SHELF)
    intent = reader.read("Is there a video from that guy, David Silver or something, on the Bellman equations?")
    assert intent.about == ["silver"]
    # ... but not a name said in the next sentence
    assert reader.read("Is there a video on the Bellman equations? I liked David Silver's course.").about != ["silver"]


@pytest.mark.parametrize("question", ["I was going to ask which book covers SVD well?",
                                      "I was planning to learn measure theory this summer. Any suggestions?"])
def test_a_plan_without_a_turn_is_no_option_set_aside(question):
    assert IntentReader(SHELF).without_asides(question) == question


def test_the_wish_after_a_turn_keeps_its_first_word_whole():
    reader = IntentReader(SHELF)
    assert reader.without_asides("I considered a MOOC, but notes would suit me better.") == "notes would suit me better."
    assert reader.without_asides("I was going to buy a book, but now I want a course.") == "now I want a course."


def test_after_a_request_for_another_resource_it_points_to_the_other():
    intent = IntentReader(SHELF).read("ISLR is too light. Can you recommend a more rigorous book? Is it free?")
    assert not intent.about and intent.moves_away


def test_all_set_or_not_all_clear_says_nothing_known():
    from advisor.search.intent import known_clauses

    assert known_clauses("I'm all set to start measure theory, which book?") == []
    assert known_clauses("not all clear on eigenvalues yet") == []


def test_a_review_of_a_topic_or_a_survey_course_asks_for_no_paper():
    from advisor.search.intent import attribute_preferences

    assert "kind" not in attribute_preferences("I need a good review of probability before ML")
    assert "paper" not in attribute_preferences("is there a survey course on statistics?")["kind"]
    assert attribute_preferences("a survey of variational inference")["kind"] == ("paper",)


def test_background_for_a_phd_keeps_its_subject():
    from advisor.search.intent import without_flavour

    assert "linear algebra" in without_flavour("looking for linear algebra background for a phd")


def test_shorter_or_concise_is_about_length_not_a_wish_for_applied_maths():
    from advisor.search.intent import attribute_preferences

    assert "math_depth" not in attribute_preferences("PAC learning with the computational side. Shorter is better.")
    assert attribute_preferences("a theory text with concise, dense proofs")["math_depth"] == ("rigorous", "proof-heavy")
    assert "rigorous" not in attribute_preferences("Bayesian models without wading through proofs").get("math_depth", ())


def test_the_background_of_someone_the_question_is_asked_for_is_known_or_lacked_as_the_learners():
    from advisor.search.intent import known_clauses, lack_clauses

    assert known_clauses("he has calculus, some basic probability, and vectors don't bother him") \
        == ["he has calculus", "some basic probability", "and vectors don't bother him"]
    assert known_clauses("my 16 year old has done single-variable calculus at school")
    assert "doesn't know any linear algebra" in lack_clauses("he knows python but doesn't know any linear algebra")
    assert lack_clauses("none of us has seen Lagrange duals or KKT conditions")
    assert not known_clauses("she has trouble with proofs") and not known_clauses("he has a lot to learn")


def test_a_mathematically_mature_background_needs_no_introductory_text_even_where_it_starts():
    from advisor.search.intent import attribute_preferences

    for q in ("Theoretical physicist here. I'm curious about deep networks at initialization. where should I start?",
              "My PhD was in operator theory and I'd like to see learning from the RKHS angle",
              "I'm a mathematician; where do I start with reinforcement learning?"):
        assert "advanced" in attribute_preferences(q)["level"], q
    # ... not a postdoc or a PhD in another field, nor how the book is written
    for q in ("Ecology postdoc, maths only up to a bit of calculus. where do i even start with bayesian models",
              "I want to learn linear algebra the way mathematicians do, slowly, with an answer book",
              "rigorous but readable, not a 1000 page pure math tome"):
        assert attribute_preferences(q).get("level") != ("intermediate", "advanced"), q


def test_becoming_curious_is_no_background():
    from advisor.search.intent import known_clauses

    assert not known_clauses("I've become curious about deep networks")


def test_what_a_reading_is_for_is_no_background_and_the_book_a_course_follows_is_no_kind_wished():
    from advisor.search.intent import attribute_preferences
    from advisor.search.intent import known_clauses

    assert not known_clauses("Which paper should I read before it so that their complaint about clipping makes sense?")
    assert known_clauses("the duality chapter made sense")
    prefs = attribute_preferences("I want something structured that follows the same book, with assignments")
    assert "book" not in prefs.get("kind", ())
    assert "book" in attribute_preferences("I want the book that the lectures follow")["kind"]


def test_what_x_gave_the_learner_is_known_and_what_nothing_in_it_covers_is_a_move_sideways():
    from advisor.search.intent import IntentReader, subject_topics
    from advisor.search.intent import known_clauses

    assert known_clauses("Boyd gave me duality and KKT and I loved it")
    assert not known_clauses("that chapter gave me a headache")
    shelf = {"boyd": Resource("boyd", "Convex Optimization", ["Stephen Boyd"], kind="book", aliases=["Boyd"])}
    intent = IntentReader(shelf).read("Boyd gave me duality. nothing in the book talks about stochastic gradients. next?")
    assert intent.sideways and intent.moves_away
    # the learner's job is why they ask, not what
    def find(text):
        return [t for t, said in (("deep-learning", "deep learning"), ("sgd", "SGD")) if said in text]

    assert subject_topics("I started a deep learning job and need SGD", find) == ["sgd"]


def test_from_before_x_asks_for_what_came_before_x_in_time_unless_it_says_when_x_was_written():
    shelf = {"wgan": Resource("wgan", "Wasserstein GAN", ["Martin Arjovsky"], kind="paper", aliases=["WGAN"], year=2017),
             "neal": Resource("neal", "Probabilistic Inference Using MCMC Methods", ["Radford Neal"], kind="paper",
                              aliases=["Neal's MCMC review"], year=1993)}
    reader = IntentReader(shelf)
    theory = reader.read("why is GAN training unstable? I want the theory from before WGAN")
    assert theory.direction == "earlier" and theory.moves_away and not theory.wants_prerequisites
    dated = reader.read("I read Neal's MCMC review but it's from before NUTS. what should I read next?")
    assert dated.direction != "earlier"


def test_before_the_latest_named_record_is_earlier_than_it_not_than_an_older_one_named_as_context():
    from advisor.search.intent import Intent
    from advisor.search.preferences import axis_factor

    gan = Resource("gan", "Generative Adversarial Nets", ["Ian Goodfellow"], kind="paper", year=2014)
    wgan = Resource("wgan", "Wasserstein GAN", ["Martin Arjovsky"], kind="paper", year=2017)
    towards = Resource("towards", "Towards Principled Methods for Training GANs", ["Martin Arjovsky"], kind="paper",
                       year=2016)
    intent = Intent(mentioned=["gan", "wgan"], moves_away=True, direction="earlier")
    later = Resource("later", "A 2019 GAN paper", ["Someone Else"], kind="paper", year=2019)
    assert axis_factor(intent, [gan, wgan], towards, {}) > axis_factor(intent, [gan, wgan], later, {})


def test_notes_to_read_instead_of_rewatching_are_the_course_in_another_form_not_a_step_on():
    shelf = {"cs": Resource("cs", "CS999: Regression (Stanford)", ["Ann Teacher"], kind="course", aliases=["CS999"]),
             "notes": Resource("notes", "CS999 lecture notes", ["Ann Teacher"], kind="lecture-notes")}
    reader = IntentReader(shelf)
    assert not reader.read("watching CS999 lectures. is there a set of notes I can read instead of rewatching?"
                           ).wants_next_step
    assert reader.read("finished CS999. what should I take instead?").wants_next_step


def test_the_text_a_course_is_built_on_is_asked_beside_it_and_no_longer_free_revokes_the_wish():
    from advisor.search.intent import attribute_preferences
    from advisor.search.intent.conversation import revokes_free

    shelf = {"c": Resource("c", "MIT 6.041 Probabilistic Systems Analysis", ["J. Tsitsiklis"], kind="course",
                           aliases=["6.041"])}
    intent = IntentReader(shelf).read("Ideally I'd get the text MIT's 6.041 lectures are built on.")
    assert intent.sideways and intent.moves_away and not intent.unwanted
    assert revokes_free("my department will reimburse it, so it no longer needs to be free")
    assert "access" not in attribute_preferences("it no longer needs to be free")


def test_forgetting_the_free_rule_revokes_it_and_a_book_good_on_a_topic_is_no_background():
    from advisor.search.intent import known_clauses
    from advisor.search.intent.conversation import revokes_free

    assert revokes_free("the lab can buy books, so forget the free rule") and revokes_free("scratch the free requirement")
    assert not known_clauses("which is the denser one that's especially good on rademacher complexity?")
    assert known_clauses("I'm good on probability")


def test_so_that_x_makes_sense_asks_what_comes_before_x():
    shelf = {"dd": Resource("dd", "Reconciling modern machine learning practice and the bias-variance trade-off",
                            ["Mikhail Belkin"], kind="paper", aliases=["double descent paper"])}
    reader = IntentReader(shelf)
    assert reader.read("What should she read so that the Belkin et al. paper makes sense?").wants_prerequisites
    assert not reader.read("Belkin's paper makes sense to me now. what next?").wants_prerequisites


def test_having_done_a_subject_is_background_not_a_step_on_and_a_wish_after_it_is_no_background():
    from advisor.search.intent import known_clauses

    shelf = {"nn": Resource("nn", "Neural Networks and Deep Learning", ["Michael Nielsen"], kind="book",
                            aliases=["Nielsen's book"])}
    intent = IntentReader(shelf).read("my daughter has done calculus and wants to read Nielsen's book. "
                                      "something lighter she could watch beforehand?")
    assert not intent.wants_next_step and intent.direction == "easier"
    assert known_clauses("she has done calculus at school and wants to read a book on neural networks") \
        == ["she has done calculus at school"]


def test_a_title_with_commas_asked_about_stays_one_name():
    shelf = {"plg": Resource("plg", "Prediction, Learning, and Games", ["Nicolo Cesa-Bianchi", "Gabor Lugosi"]),
             "oco": Resource("oco", "Introduction to Online Convex Optimization", ["Elad Hazan"])}
    asked = IntentReader(shelf).read("is Prediction, Learning, and Games too hard for someone who knows calculus?")
    assert asked.about == ["plg"] and not asked.moves_away
    # ... and a request for another stays one
    other = IntentReader(shelf).read("Prediction, Learning, and Games is too hard, what is gentler?")
    assert other.moves_away and not other.about


def test_the_background_of_the_reader_a_question_imagines_is_known():
    reader = IntentReader(SHELF)
    assert reader.read("is ISLR too hard for someone who knows basic calculus?").knows
    assert reader.read("a good book for people who have done linear algebra?").knows
    assert not reader.read("a book for someone who knows nothing about calculus?").knows


def test_little_maths_said_in_passing_asks_for_an_introduction_with_light_maths():
    from advisor.search.intent import attribute_preferences

    for said in ("I stopped maths after school, what should I read on neural networks?",
                 "my maths ended at GCSE level. a book on statistics?",
                 "formulas scare me. how do neural nets learn?",
                 "I never got past algebra at school, what's a good intro to ML?",
                 "non-mathematician here, explain gradient descent"):
        prefs = attribute_preferences(said)
        assert prefs.get("level") == ("intro",) and prefs.get("math_depth") == ("applied", "moderate"), said
    # a bent said with a negation asks no rigour; what the maths is, said plainly, is no wish at all
    assert attribute_preferences("I'm not mathematically inclined, which ML book?")["math_depth"] == ("applied", "moderate")
    assert "level" not in attribute_preferences("my maths is basic calculus and some matrices, which DL course?")
    # a mathematical training is no introduction
    assert attribute_preferences("I did a maths degree, which ML book?")["level"] == ("intermediate", "advanced")


def test_outgrowing_x_or_x_leaving_the_learner_wanting_more_moves_on_and_a_spinning_head_moves_easier():
    shelf = {"sq": Resource("sq", "StatQuest with Josh Starmer", ["Josh Starmer"], kind="video-series"),
             "fastai": Resource("fastai", "Practical Deep Learning for Coders", ["Jeremy Howard"], kind="course",
                                aliases=["fast.ai"]),
             "esl": Resource("esl", "The Elements of Statistical Learning", ["Trevor Hastie"], aliases=["ESL"])}
    reader = IntentReader(shelf)
    for said in ("I outgrew StatQuest, what next?", "fast.ai left me wanting the maths behind it"):
        intent = reader.read(said)
        assert intent.moves_away and intent.direction == "harder", said
    spun = reader.read("ESL made my head spin. What should I read instead?")
    assert spun.moves_away and spun.direction == "easier"


def test_ways_of_asking_what_comes_before_x():
    reader = IntentReader(SHELF)
    for said in ("what do I need to know to read ISLR?", "getting ready to read ISLR, what background?",
                 "what's the groundwork for ISLR?", "what's needed to follow ISLR?", "the background I need for ISLR?",
                 "before I open ISLR, what should I review?", "to follow ISLR, what should I have done?",
                 "gearing up for ISLR, where do I start?"):
        intent = reader.read(said)
        assert intent.wants_prerequisites and intent.mentioned == ["islr"], said
    assert not reader.read("is ISLR good for the background on trees?").wants_prerequisites


def test_ways_of_saying_it_must_cost_nothing():
    from advisor.search.intent import attribute_preferences

    for said in ("on a student budget, a book on probability?", "I'm broke, recommend a deep learning book",
                 "no paywall please, linear algebra notes", "something gratis on statistics",
                 "an open textbook on calculus?", "legally downloadable pdf on learning theory?",
                 "I can't spend money on this, ML course?"):
        assert "free" in attribute_preferences(said).get("access", ()), said
    assert "access" not in attribute_preferences("the budget constraint in the dual problem, which book?")
    assert "access" not in attribute_preferences("price doesn't matter, a book on budget allocation?")


def test_a_school_stage_age_or_first_contact_is_an_introduction_and_a_researcher_is_advanced():
    from advisor.search.intent import attribute_preferences

    for said in ("I'm in 10th grade and want to learn about neural networks",
                 "sophomore in college, first time seeing probability", "total newcomer to statistics, which book?",
                 "my kid is 14 and loves maths, a book on AI?", "I'm just getting my feet wet with deep learning"):
        assert attribute_preferences(said).get("level") == ("intro",), said
    for said in ("as a researcher in statistics, a book on high-dimensional probability?",
                 "postgraduate level text on measure-theoretic probability"):
        assert attribute_preferences(said).get("level") == ("advanced",), said
    for said in ("I spent 14 hours on chapter 3, is there a shorter book?", "I'm 12 weeks into the course, what next?"):
        assert "level" not in attribute_preferences(said), said


def test_the_parts_of_x_or_a_first_read_of_x_are_asked_about_x():
    reader = IntentReader(SHELF)
    for said in ("which chapters of ISLR should I skip on a first read?", "what parts of ISLR are worth it for trees?"):
        intent = reader.read(said)
        assert intent.about == ["islr"] and not intent.moves_away and not intent.wants_prerequisites, said
    assert reader.read("what should I read before ISLR first?").wants_prerequisites


def test_between_a_and_b_then_which_is_a_choice_and_something_in_between_is_not():
    reader = IntentReader(SHELF)
    choice = reader.read("between ISLR and Mohri's book, which should a programmer read?")
    assert choice.compares and set(choice.mentioned) == {"islr", "mohri"}
    assert not reader.read("anything in between ISLR and Mohri's book, and which is free?").compares
