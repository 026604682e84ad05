"""Round 26's readings: search-box queries ("finished ng coursera ml, want derivations"), practical constraints said
beside a name ("can't afford books. which Axler is the free one?"), and syllabus lists with a background beyond the
basics ("Lebesgue integration course done")."""

from dataclasses import replace

import pytest

from advisor.library.topics import Topic, TopicMatcher
from advisor.search.advice import Advice
from advisor.search.intent import IntentReader, attribute_preferences
from advisor.search.intent import known_clauses
from advisor.search.recommend import ResourceRanker
from advisor.search.spelling import Speller
from advisor.types import Resource

SHELF = {
    "mooc": Resource("mooc", "Machine Learning (Coursera, Andrew Ng)", ["Andrew Ng"], kind="course"),
    "cs229": Resource("cs229", "CS229: Machine Learning (Stanford)", ["Andrew Ng", "Tengyu Ma"], kind="course"),
    "lfd": Resource("lfd", "Learning From Data", ["Yaser Abu-Mostafa", "Hsuan-Tien Lin"]),
    "ladr": Resource("ladr", "Linear Algebra Done Right", ["Sheldon Axler"], access="free"),
    "mira": Resource("mira", "Measure, Integration & Real Analysis", ["Sheldon Axler"], aliases=["MIRA"],
                     access="free"),
    "m1806": Resource("m1806", "MIT 18.06 Linear Algebra (Spring 2010)", ["Gilbert Strang"], kind="course",
                      aliases=["18.06"]),
    "m18065": Resource("m18065", "MIT 18.065 Matrix Methods in Data Analysis", ["Gilbert Strang"], kind="course",
                       aliases=["18.065"]),
    "s096": Resource("s096", "MIT 18.S096 Matrix Calculus", ["Alan Edelman"], kind="course", aliases=["18.S096"]),
    "strang": Resource("strang", "Introduction to Linear Algebra", ["Gilbert Strang"]),
    "cs189": Resource("cs189", "CS 189: Introduction to Machine Learning (UC Berkeley)", ["Jonathan Shewchuk"],
                      kind="course"),
    "bm": Resource("bm", "Rademacher and Gaussian Complexities", ["Peter Bartlett", "Shahar Mendelson"],
                   kind="paper"),
}


def read(question: str):
    return IntentReader(SHELF).read(question)


def test_a_short_surname_names_its_records_capitalised_and_lowercase_only_when_no_word_is_spelled_so():
    assert read("finished ng coursera ml, want derivations").mentioned == ["mooc"]
    assert set(read("i loved ng's videos, anything similar?").mentioned) == {"mooc", "cs229"}
    assert read("Finished Ng's Coursera course. What next?").mentioned == ["mooc"]
    # "lin alg" is linear algebra, not Lin's book; "Lin" as typed is his
    assert "lfd" not in read("need a lin alg refresher").mentioned


def test_a_course_code_inside_a_longer_number_names_no_other_course():
    question = "Finished MIT 18.06 (four subspaces, SVD). What next?"
    spans = IntentReader(SHELF)._read_names(question)[0]
    # the whole number is the name ("MIT 18" would leave ".06" behind as what the learner says)
    assert [(question[a:b], rid) for a, b, rid in spans] == [("18.06", "m1806")]
    assert read("is MIT 18.065 good?").mentioned == ["m18065"]


def test_a_price_said_of_books_in_general_does_not_move_away_from_the_one_asked_for():
    intent = read("Can't afford books. Which Axler is the free one on measure and integration? "
                  "(not his linear algebra one)")
    assert intent.mentioned == ["mira"] and not intent.moves_away
    assert read("Linear Algebra Done Right isn't free and I can't afford it").moves_away


def test_his_own_recorded_class_points_back_at_the_person_named():
    intent = read("people keep telling me to 'do Strang' for linear algebra. I learn by listening to lectures. "
                  "I want his recorded class, not a book I'd have to buy")
    assert "m1806" in intent.mentioned and not intent.moves_away


def test_a_review_written_for_the_course_is_the_courses_own_material():
    assert read("Taking Berkeley CS189 this fall. Is there a compact review written for this course?").same_source
    assert read("CS189 goes too fast. Are there official written notes for the course?").same_source
    assert not read("CS189 goes too fast. Is there a gentler course?").same_source


def test_a_plan_of_weeks_before_a_named_paper_asks_for_another_resource():
    intent = read("Week 6 of our reading group is Bartlett & Mendelson. For weeks 1-5 we need a free textbook "
                  "that covers uniform convergence.")
    assert intent.mentioned == ["bm"] and intent.moves_away
    # one week of a course named is a part of it looked up, not a plan
    assert not read("Which lecture of CS189 is week 6 about?").moves_away


@pytest.mark.parametrize("typed, fixed", [
    ("quick probability checklist b4 starting bishop", "quick probability checklist before starting bishop"),
    ("what to read b4 the WGAN paper", "what to read before the WGAN paper"),
    ("the B4 sheet of paper", "the B4 sheet of paper"),
])
def test_b4_is_chat_for_before_only_where_a_clause_follows(typed, fixed):
    assert Speller([], [], set()).fix(typed) == fixed


def test_grad_before_a_subject_is_the_graduate_level_and_first_year_grad_student_is_no_beginner():
    assert attribute_preferences("know sigma algebras, need a grad probability text")["level"] == ("advanced",)
    assert attribute_preferences("First-year maths grad student. Which probability book?")["level"] == ("advanced",)
    assert attribute_preferences("first-year undergrad, which probability book?")["level"] == ("intro",)
    # ... and a course the learner never had is no course asked for
    assert "kind" not in attribute_preferences("oddly never a probability course. What should I read?")


def test_a_subject_said_done_is_known_and_says_no_wish_for_depth():
    assert known_clauses("Lebesgue integration course done, undergrad probability with Hoeffding done. "
                         "Martingales are new to me.") == \
        ["Lebesgue integration course done", "undergrad probability with Hoeffding done"]
    assert known_clauses("I am not done with calculus yet") == []
    assert attribute_preferences("Lebesgue integration course done. What probability book?")["kind"] == ("book",)
    assert not read("Grad probability done. What's the on-ramp to concentration inequalities?").deeper


TOPICS = {tid: Topic(tid, name, aliases) for tid, name, aliases in [
    ("measure-theory", "measure theory", ["Lebesgue integration"]),
    ("probability", "probability", []),
    ("martingales", "martingales", []),
]}


def test_knowing_an_advanced_subject_prefers_the_record_that_presupposes_it():
    shelf = {
        "grad": Resource("grad", "Probability: Theory and Examples", ["Rick Durrett"], level="advanced",
                         topics=["probability", "martingales"], prerequisites=["measure-theory"]),
        "intro": Resource("intro", "Probabilistic Systems Analysis", ["John Tsitsiklis"], level="intro",
                          topics=["probability", "martingales"], prerequisites=[]),
        "meas": Resource("meas", "Real Analysis for Graduate Students", ["Richard Bass"], level="advanced",
                         topics=["measure-theory"], prerequisites=[]),
    }
    reader, ranker = IntentReader(shelf), ResourceRanker(shelf, TOPICS, TopicMatcher(TOPICS))

    def first(question):
        sig = ranker.signals(question, reader.read(question), lambda text: {"grad": 0.7, "intro": 0.75}, [])
        return ranker.rank(sig, 3, None, [])[0].resource.id

    assert first("I know Lebesgue integration. Which book on probability and martingales?") == "grad"
    # without it, the nearer text by meaning stays first
    assert first("Which book on probability and martingales?") == "intro"


def test_a_step_on_from_a_finished_book_stays_in_its_subject():
    topics = {"machine-learning": Topic("machine-learning", "machine learning", ["ML"]),
              "linear-algebra": Topic("linear-algebra", "linear algebra", [])}
    shelf = {
        "ml": Resource("ml", "Pattern Recognition", ["Chris Bishop"], level="intermediate", math_depth="rigorous",
                       topics=["machine-learning"]),
        "la": Resource("la", "Matrices for Everyone", ["Ann Lee"], level="intro", math_depth="moderate",
                       topics=["linear-algebra"]),
    }
    reader, ranker = IntentReader(shelf), ResourceRanker(shelf, topics, TopicMatcher(topics))
    question = "Hands-on ML book done. something more mathematical but still practical?"
    sig = ranker.signals(question, reader.read(question), lambda text: {"ml": 0.6, "la": 0.7}, [])
    assert sig.topics == ["machine-learning"]
    assert ranker.rank(sig, 2, None, [])[0].resource.id == "ml"


def test_a_first_taste_of_a_subject_is_no_order_in_the_catalogs_advice():
    shelf = {
        "x": Resource("x", "Course X", ["Ann Lee"], kind="course",
                      description="It derives everything, with a first taste of learning theory in Bo Chen's "
                                  "Probability Notes."),
        "p": Resource("p", "Probability Notes", ["Bo Chen"], kind="lecture-notes"),
    }
    advice = Advice(shelf, IntentReader(shelf))
    assert advice.next_to([shelf["x"]], "before") == {}
    shelf["x"].description = "Read Bo Chen's Probability Notes first."
    assert "p" in Advice(shelf, IntentReader(shelf)).next_to([shelf["x"]], "before")


def test_before_the_paper_itself_asks_what_comes_first():
    shelf = {"att": Resource("att", "Attention Is All You Need", ["Ashish Vaswani"], kind="paper")}
    intent = IntentReader(shelf).read("I keep seeing 'Attention Is All You Need' cited. What should I read before "
                                      "the paper itself?")
    assert intent.wants_prerequisites and intent.about == []
    assert IntentReader(shelf).read("Attention Is All You Need: I want the paper itself").about == ["att"]


def test_an_entry_point_asked_after_a_gap_in_x_asks_for_something_else():
    shelf = {"adam": Resource("adam", "Adam: A Method for Stochastic Optimization", ["Diederik Kingma", "Jimmy Ba"],
                              kind="paper")}
    intent = IntentReader(shelf).read("The convergence part of Kingma & Ba is phrased as regret in online convex "
                                      "optimization, which I've never seen. What's the entry point?")
    assert intent.moves_away and intent.wants_prerequisites


def test_a_compact_review_rather_than_redoing_the_courses_is_a_review_of_the_foundations():
    intent = read("Took linear algebra and probability years ago; all rusty. Planning to follow Berkeley CS189. "
                  "Rather than redo three courses I want a compact review.")
    assert intent.wants_prerequisites and intent.mentioned == ["cs189"]


def test_a_first_textbook_before_x_is_a_gentler_way_into_xs_subject():
    intent = read("no linear algebra course yet. Want a free first ML textbook about ideas, before I try something "
                  "like CS229.")
    assert intent.moves_away and intent.direction == "easier" and not intent.wants_prerequisites
    assert read("What should I study before CS229?").wants_prerequisites


def test_before_x_its_course_in_any_form_is_the_same_material():
    from advisor.search.preferences import same_course

    notes = Resource("notes", "CS229 Lecture Notes", ["Andrew Ng"], kind="lecture-notes", aliases=["CS229 notes"],
                     prerequisites=["linear-algebra"])
    course = Resource("course", "CS229: Machine Learning", ["Andrew Ng"], kind="course", topics=["duality"])
    review = Resource("review", "CS229 Linear Algebra Review", ["Zico Kolter"], kind="lecture-notes",
                      topics=["linear-algebra"])
    shelf = {r.id: r for r in (notes, course, review)}
    linked = {"notes": {"course": 1.0, "review": 1.0}}
    before = IntentReader(shelf).read("the CS229 notes lose me at the Lagrangian dual. What should I study before "
                                      "them? I like recorded lectures.")
    assert before.wants_prerequisites and before.mentioned == ["notes"]
    # the course is the notes' own material, even in the form asked for; a review of what they presuppose is an answer
    assert same_course(before, [notes], {"kind": ("course",)}, shelf, linked) == {"course"}
    assert same_course(replace(before, wants_prerequisites=False), [notes], {}, shelf, linked) == set()


def test_a_single_past_course_said_in_a_background_asks_for_no_course():
    assert "kind" not in attribute_preferences("Ecology grad student. One stats course (t-tests), I use R daily.")
    assert attribute_preferences("I want one course that covers all of it")["kind"] == ("course", "video-series")


def test_a_title_purpose_weighs_as_a_description_and_a_course_code_is_one_word():
    from advisor.search.fields import FieldIndex, title_purpose

    assert title_purpose("Mathematics for Machine Learning (CS 189 notes)") == \
        ("Mathematics (CS 189 notes)", "Machine Learning")
    assert title_purpose("CS229: Machine Learning (Stanford)") == ("CS229: Machine Learning (Stanford)", "")
    shelf = {
        "m4ml": Resource("m4ml", "Mathematics for Machine Learning (CS 189 notes)", ["Garrett Thomas"],
                         kind="lecture-notes"),
        "ml": Resource("ml", "A Course in Machine Learning", ["Hal Daume"]),
        "adagrad": Resource("adagrad", "Adaptive Subgradient Methods for Online Learning", ["John Duchi"],
                            kind="paper"),
        "ocl": Resource("ocl", "Online Learning Notes", ["Ann Lee"], kind="lecture-notes"),
    }
    fields = FieldIndex(shelf, {})
    scores = fields.scores("first machine learning textbook")
    assert scores["ml"] > scores["m4ml"] > 0
    # a paper's title is its content, purpose and all
    online = fields.scores("online learning")
    assert online["adagrad"] > 0.5 * online["ocl"]
    # "a cs sophomore" matches no course code; "cs 189" typed apart still does
    assert "m4ml" not in fields.scores("cs sophomore")
    assert fields.scores("the cs 189 notes").get("m4ml", 0) > 0


def test_a_search_box_first_textbook_asks_for_an_introduction():
    assert attribute_preferences("cs sophomore, first ml textbook, free")["level"] == ("intro",)
    assert attribute_preferences("first ml textbook knowing only calculus")["level"] == ("intro",)
    assert "level" not in attribute_preferences("the first book of the series, is it free?")


def test_a_review_of_the_foundations_beside_a_course_taken_next_comes_before_it():
    intent = read("taking Berkeley CS189 next term. Need a free, compact review PDF that covers LA + calculus + "
                  "probability, not a full textbook.")
    assert intent.wants_prerequisites and intent.mentioned == ["cs189"]
    # with nothing named, a review of a subject asks for that subject, not what comes before it
    assert not read("a quick review of linear algebra, free").wants_prerequisites


def test_names_heard_of_after_one_finished_are_options_not_a_move_away_from_them():
    shelf = {
        "mira": Resource("mira", "Measure, Integration & Real Analysis", ["Sheldon Axler"], aliases=["MIRA"]),
        "durrett": Resource("durrett", "Probability: Theory and Examples", ["Rick Durrett"]),
        "bill": Resource("bill", "Probability and Measure", ["Patrick Billingsley"]),
    }
    reader = IntentReader(shelf)
    intent = reader.read("finished Axler's MIRA. Now I want a graduate probability text. I've heard Billingsley, "
                         "Durrett... need a free pdf though.")
    assert not intent.moves_away and intent.refused == ["mira"] and {"durrett", "bill"} <= set(intent.mentioned)
    # a name not said as heard of is still moved away from
    assert reader.read("finished Axler's MIRA. Durrett was too dry, now I want a graduate probability text.").moves_away
