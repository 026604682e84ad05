"""Round 17's readings of a learner's background and of names said in passing: lists of what they know, a level that
is what a resource requires, a title said as a subject, and whether a resource asked about is within their reach."""

import pytest

from advisor.library.topics import Topic, TopicMatcher
from advisor.search.fields import EVERYDAY_WEIGHT, FieldIndex, everyday_weights
from advisor.search.intent import IntentReader, attribute_preferences
from advisor.search.intent import known_clauses
from advisor.search.recommend import ResourceRanker
from advisor.types import Resource

TOPICS = {tid: Topic(tid, name, aliases) for tid, name, aliases in [
    ("measure-theory", "measure theory", []),
    ("optimal-transport", "optimal transport", ["wasserstein"]),
    ("linear-algebra", "linear algebra", []),
    ("real-analysis", "real analysis", []),
    ("mathematical-proofs", "mathematical proofs", ["proofs", "proof"]),
]}
SHELF = {
    "villani": Resource("villani", "Optimal Transport: Old and New", ["Cedric Villani"], level="advanced",
                        math_depth="proof-heavy", topics=["optimal-transport"], prerequisites=["measure-theory"]),
    "pc": Resource("pc", "Computational Optimal Transport", ["Gabriel Peyre", "Marco Cuturi"], level="intermediate",
                   math_depth="moderate", topics=["optimal-transport"]),
    "hds": Resource("hds", "High-Dimensional Statistics", ["Martin Wainwright"], aliases=["HDS"]),
    "mit1806": Resource("mit1806", "MIT 18.06 Linear Algebra", ["Gilbert Strang"], kind="course", aliases=["18.06"],
                        topics=["linear-algebra"]),
    "s096": Resource("s096", "MIT 18.S096 Matrix Calculus", ["Alan Edelman"], kind="course", aliases=["18.S096"]),
    "cs229": Resource("cs229", "CS229: Machine Learning", ["Andrew Ng"], kind="course", aliases=["CS229"]),
}


def test_a_list_of_subjects_after_a_comma_goes_on_saying_what_the_learner_knows():
    known = known_clauses("comfortable with linear algebra, inner products and some real analysis. RKHS is new to me")
    assert any("inner products" in k for k in known)
    # a sentence after it, or a request after the comma, is no part of the list
    assert known_clauses("did intro probability already. next step for statistics (estimation, tests)?") \
        == ["did intro probability already"]
    assert known_clauses("I know linear algebra, what should I read on kernels?") == ["I know linear algebra"]
    assert known_clauses("I can follow the maths in principle") == ["I can follow the maths in principle"]


def test_a_title_said_as_what_a_resource_is_for_and_a_course_said_as_a_requirement_name_nothing():
    reader = IntentReader(SHELF)
    assert reader.read("what's the next book for high-dimensional statistics?").mentioned == []
    assert reader.read("High-Dimensional Statistics by Wainwright: worth it?").mentioned == ["hds"]
    # "at the 18.06 level" said of what a course requires is no level behind the learner: 18.06 is not refused
    required = reader.read("the 18.S096 course wants linear algebra at the 18.06 level. mine is shaky. which first?")
    assert "mit1806" not in required.refused and required.mentioned == ["s096"]
    assert "mit1806" in reader.read("I know linear algebra at the 18.06 level, what next?").refused


def test_lighter_than_x_in_any_wording_moves_away_and_having_the_prerequisites_asks_for_none():
    reader = IntentReader(SHELF)
    lighter = reader.read("I search a free ML textbook, not so heavy like CS229 but with some proofs")
    assert lighter.moves_away and lighter.direction == "easier"
    assert not reader.read("Is CS229 not as hard as I feared?").moves_away
    has = reader.read("CS229 was too applied. I'd like a thorough book with the maths. I do have the prerequisites.")
    assert has.moves_away and not has.wants_prerequisites
    assert reader.read("CS229 was too applied and there's no probability at all. A deeper book?").unwanted == ""
    assert reader.read("a book on probability, no measure theory").unwanted == "measure theory"


def test_auditing_or_enrolling_asked_about_is_a_course():
    assert "course" in attribute_preferences("can I audit it online for free?")["kind"]
    assert "kind" not in attribute_preferences("I am enrolled in it, what should I read first?")


def test_everyday_words_weigh_little_in_titles_unless_they_name_a_topic_or_are_typed_as_a_title():
    matcher = TopicMatcher(TOPICS)
    weights = everyday_weights("my new team works in python, I want real analysis", matcher,
                               frozenset({"new", "team", "real", "works", "want"}))
    assert weights.get("new") == EVERYDAY_WEIGHT and "real" not in weights  # "real analysis" is a topic
    assert "new" not in everyday_weights("Villani's Old and New, is it readable?", matcher, frozenset({"new", "old"}))
    fields = FieldIndex(SHELF, TOPICS)
    plain = fields.scores("my new team")
    assert plain.get("villani", 0) > 0
    assert fields.scores("my new team", {"new": EVERYDAY_WEIGHT}).get("villani", 0) < plain["villani"]


@pytest.mark.parametrize("question, first", [
    # lacking what the record presupposes: a gentler way into its subject comes first
    ("Would Villani's Optimal Transport: Old and New be readable for me? I have zero measure theory.", "pc"),
    # lacking something it does not presuppose: the record asked about
    ("Would Villani's Optimal Transport: Old and New be readable for me? I have no linear algebra.", "villani"),
])
def test_a_resource_asked_about_by_a_learner_lacking_its_prerequisites_gives_way_to_a_gentler_one(question, first):
    reader = IntentReader(SHELF)
    ranker = ResourceRanker(SHELF, TOPICS, TopicMatcher(TOPICS))
    intent = reader.read(question)
    assert intent.about == ["villani"], intent
    sig = ranker.signals(question, intent, lambda text: {"villani": 0.8, "pc": 0.7}, [])
    assert ranker.rank(sig, 2, None, [])[0].resource.id == first


def test_two_authors_initials_and_a_possessive_typed_without_its_apostrophe_name_a_record():
    shelf = {
        "cb": Resource("cb", "Statistical Inference", ["George Casella", "Roger L. Berger"]),
        "kf": Resource("kf", "Probabilistic Graphical Models", ["Daphne Koller", "Nir Friedman"]),
        "kf2": Resource("kf2", "Kernel Filters", ["Ann Kay", "Bo Frost"], kind="course"),  # a course: no initials
        "sb": Resource("sb", "Reinforcement Learning", ["Richard Sutton", "Andrew Barto"]),
        "ssbd": Resource("ssbd", "Understanding Machine Learning", ["Shai Shalev-Shwartz", "Shai Ben-David"]),
        "zth": Resource("zth", "Neural Networks: Zero to Hero", ["Andrej Karpathy"], kind="video-series"),
    }
    reader = IntentReader(shelf)
    assert reader.read("my prof calls it the C&B book, is it free?").mentioned == ["cb"]
    assert reader.read("is K & F too long for a first course?").mentioned == ["kf"]
    assert reader.read("is S&B good?").mentioned == []  # two records share those initials
    assert reader.read("karpathys videos: worth it?").mentioned == ["zth"]


def test_preferring_one_kind_to_another_refuses_the_other_and_written_material_is_a_text():
    prefs = attribute_preferences("I prefer reading to videos. What written material derives the SVM dual?")
    assert prefs["avoid_kind"] == ("video-series", "course") and prefs["kind"] == ("book", "lecture-notes")
    assert attribute_preferences("I prefer videos to books")["avoid_kind"] == ("book",)
    reader = IntentReader(SHELF)
    said = reader.read("CS229 was nice but there is literally no math. What written material derives the SVM dual?")
    assert said.moves_away and said.unwanted == ""


def test_moving_away_from_a_course_leaves_its_own_notes_unless_their_kind_or_the_same_source_is_asked():
    shelf = {
        "course": Resource("course", "CS229: Machine Learning", ["Andrew Ng"], kind="course", aliases=["CS 229"],
                           topics=["ml"], related=["notes", "sheet"]),
        "notes": Resource("notes", "CS229 Lecture Notes", ["Andrew Ng"], kind="lecture-notes", topics=["ml"],
                          related=["course"]),
        "sheet": Resource("sheet", "CS 229 cheatsheets", ["Afshine Amidi"], kind="cheatsheet", topics=["ml"],
                          related=["course", "notes"]),
        "other": Resource("other", "CS4780: Machine Learning", ["Kilian Weinberger"], kind="course", topics=["ml"]),
    }
    topics = {"ml": Topic("ml", "machine learning")}
    reader, ranker = IntentReader(shelf), ResourceRanker(shelf, topics, TopicMatcher(topics))
    similar = lambda text: {"course": 0.9, "notes": 0.9, "sheet": 0.8, "other": 0.7}  # noqa: E731

    def first(question):
        sig = ranker.signals(question, reader.read(question), similar, [])
        return ranker.rank(sig, 4, None, [])[0].resource.id

    assert first("The CS229 lectures go too fast for me. Any other machine learning course?") == "other"
    assert first("The CS229 lectures go too fast for me. Is there a written version, lecture notes maybe?") == "notes"
    # from the cheatsheet, the course's own notes are a step on
    assert first("the CS229 cheatsheets are just formulas. what should I read to learn machine learning?") != "sheet"


@pytest.mark.parametrize("background, first", [
    ("I have lots of measure theory and optimal transport basics.", "villani"),
    ("I have some optimal transport basics.", "pc"),  # not what Villani presupposes: the gentler way in
])
def test_x_or_something_lighter_is_x_for_a_learner_who_knows_what_x_presupposes(background, first):
    reader = IntentReader(SHELF)
    ranker = ResourceRanker(SHELF, TOPICS, TopicMatcher(TOPICS))
    question = background + " Can I go straight into Villani's Old and New or should I start with something lighter?"
    sig = ranker.signals(question, reader.read(question), lambda text: {"villani": 0.7, "pc": 0.7}, [])
    assert ranker.rank(sig, 2, None, [])[0].resource.id == first


def test_a_part_the_learner_cannot_follow_is_a_gap_and_what_to_watch_before_asks_for_prerequisites():
    from advisor.search.intent.background import lack_clauses

    lacks = lack_clauses("the linear program I understand fine, but the part with KL divergence I cannot follow")
    assert "KL divergence" in lacks and "linear program" not in lacks
    reader = IntentReader(SHELF)
    assert reader.read("CS229 seems to assume I already know RL. What should I watch before?").wants_prerequisites


def test_which_course_first_asks_what_comes_before_but_which_chapter_first_reads_the_book():
    reader = IntentReader(SHELF)
    assert reader.read("18.S096 wants linear algebra. mine is shaky. which course first?").wants_prerequisites
    assert not reader.read("HDS: which chapter first?").wants_prerequisites


def test_a_surname_before_a_generational_suffix_typed_without_accents_and_a_code_typed_with_a_space_name_records():
    shelf = {
        "ciml": Resource("ciml", "A Course in Machine Learning", ["Hal Daumé III"], aliases=["CIML"]),
        "cs189": Resource("cs189", "Introduction to Machine Learning (UC Berkeley)", ["Jonathan Shewchuk"],
                          kind="course", aliases=["Berkeley CS189"]),
    }
    reader = IntentReader(shelf)
    assert reader.read("hal daume's book on machine learning, any good?").mentioned == ["ciml"]
    assert reader.read("is berkeley's cs 189 a good first course?").mentioned == ["cs189"]
    dated = reader.read("CIML - still good for a first ml course or too dated")
    assert dated.about == ["ciml"] and not dated.moves_away
