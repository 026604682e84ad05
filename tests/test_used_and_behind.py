"""Round 20's readings: a resource the learner has used, said in a bracket or a sentence of its own, is behind
them and not an answer; a title line is a sentence; "don't start me with X" refuses X; "the math can come later"
asks for no rigour; a short X is left for more; and of two named papers that teach each other's needs, the
harder one is the goal."""

import pytest

from advisor.search.fields import prerequisite_targets
from advisor.search.intent import IntentReader, attribute_preferences, known_clauses
from advisor.types import Resource

SHELF = {
    "strang": Resource("strang", "Introduction to Linear Algebra", ["Gilbert Strang"], kind="book"),
    "mit1806": Resource("mit1806", "MIT 18.06 Linear Algebra", ["Gilbert Strang"], kind="course", aliases=["18.06"]),
    "cs229": Resource("cs229", "CS229: Machine Learning", ["Andrew Ng"], kind="course", aliases=["CS229"]),
    "horn": Resource("horn", "Matrix Analysis", ["Roger Horn", "Charles Johnson"], kind="book",
                     aliases=["Horn & Johnson"]),
    "gan": Resource("gan", "Generative Adversarial Nets", ["Ian Goodfellow"], kind="paper", aliases=["GAN paper"],
                    level="intermediate", topics=["gan"], prerequisites=["kl-divergence"]),
    "wgan": Resource("wgan", "Wasserstein GAN", ["Martin Arjovsky"], kind="paper", aliases=["WGAN paper"],
                     level="advanced", topics=["wasserstein-distance", "kl-divergence"], prerequisites=["gan"]),
    "cs236": Resource("cs236", "CS236 Notes: Deep Generative Models", ["Stefano Ermon"], kind="lecture-notes",
                      aliases=["CS236 notes"]),
    "nndl": Resource("nndl", "Neural Networks and Deep Learning", ["Michael Nielsen"], kind="book"),
}


def test_a_resource_in_a_bracket_after_what_the_learner_knows_is_behind_them():
    reader = IntentReader(SHELF)
    intent = reader.read("Multivariable calc gap before CS229\nI've done linear algebra (worked through Strang) but "
                         "only single-variable calc. Free videos please.")
    assert "strang" in intent.refused and "cs229" not in intent.refused and intent.wants_prerequisites
    intent = reader.read("My advisor said read Horn & Johnson. I only know LA computationally (18.06 style). "
                         "Which proof-based LA text first?")
    assert "mit1806" in intent.refused and "horn" not in intent.refused


def test_a_title_line_is_its_own_part():
    # the goal on the title line is not part of what the learner knows
    assert known_clauses("Gap before CS229\nI've done linear algebra") == ["I've done linear algebra"]
    # ... and the period inside a course number ends nothing
    assert known_clauses("I know 18.06 well") == ["I know 18.06 well"]


def test_a_resource_said_as_read_in_its_own_sentence_is_behind_the_learner():
    intent = IntentReader(SHELF).read("what do i need before the WGAN paper? I've read the GAN paper and I'm fine "
                                      "with neural nets, but I've never seen optimal transport")
    assert intent.refused == ["gan"] and intent.wants_prerequisites
    # asked as a question, it is no report of what was read
    assert "gan" not in IntentReader(SHELF).read("Read the GAN paper first? I want to get to the WGAN paper.").refused


def test_of_two_papers_that_teach_each_others_needs_the_harder_is_the_goal():
    gan, wgan = SHELF["gan"], SHELF["wgan"]
    assert [r.id for r in prerequisite_targets([wgan, gan])] == ["wgan"]
    # two of one level: neither is read as the other's foundation
    same = Resource("same", "Another GAN paper", kind="paper", level="advanced", topics=["gan"],
                    prerequisites=["kl-divergence"])
    assert {r.id for r in prerequisite_targets([wgan, same])} == {"wgan", "same"}


def test_dont_start_me_with_a_subject_refuses_it():
    intent = IntentReader(SHELF).read("Python ok, zero college math. I want to train image models. Don't start me "
                                      "with linear algebra.")
    assert "linear algebra" in intent.unwanted


@pytest.mark.parametrize("question", ["I want models that work; the math can come later.",
                                      "Theory can wait, I need results by June."])
def test_maths_put_off_till_later_asks_for_no_rigour(question):
    prefs = attribute_preferences(question)
    assert "rigorous" not in prefs.get("math_depth", ()) and "applied" in prefs.get("math_depth", ())
    assert "rigorous" in attribute_preferences("I want the math behind it.").get("math_depth", ())


def test_a_resource_judged_short_is_left_for_more():
    reader = IntentReader(SHELF)
    intent = reader.read("The flows section of the CS236 notes was great but short. Coupling vs residual flows?")
    assert intent.mentioned == ["cs236"] and intent.moves_away
    assert not reader.read("The CS236 notes are great. Where is their flows section?").moves_away


def test_what_a_resource_lacks_after_but_no_is_not_refused_by_the_learner():
    intent = IntentReader(SHELF).read("Neural Networks and Deep Learning taught me backprop. But no transformers, "
                                      "no diffusion. I want a current textbook, proofs not needed.")
    assert "transformers" not in intent.unwanted and "needed" not in intent.unwanted
    assert "transformers" in IntentReader(SHELF).read("A current deep learning book, no transformers.").unwanted


@pytest.mark.parametrize("question", ["I have zero patience for proofs right now, I want to train an image classifier",
                                      "Bayesian multilevel models with causal DAGs, and keep the maths light please"])
def test_impatience_with_proofs_and_light_maths_ask_for_applied_depth(question):
    assert attribute_preferences(question).get("math_depth") == ("applied", "moderate")


def test_no_more_videos_compares_nothing_and_not_proofs_is_not_overridden_by_a_move_on():
    from advisor.search.preferences import relative_depth

    videos = Resource("videos", "Essence of Linear Algebra", kind="video-series", math_depth="moderate")
    reader = IntentReader({**SHELF, "videos": Resource("videos", "Essence of Linear Algebra", ["Grant Sanderson"],
                                                       kind="video-series")})
    intent = reader.read("Essence of Linear Algebra made it click. Now I need lots of exercises in a textbook. Not proofs, "
                         "and no more videos.")
    assert intent.moves_away and not intent.compares_depth
    prefs = {"math_depth": ("applied", "moderate")}
    assert relative_depth(prefs, intent, [videos]) == prefs
    # "more rigorous than X" still moves past X's depth
    deeper = reader.read("Essence of Linear Algebra was too hand-wavy, I want something more rigorous.")
    assert relative_depth({"math_depth": ("rigorous", "proof-heavy")}, deeper, [videos])["math_depth"] == (
        "rigorous", "proof-heavy")
