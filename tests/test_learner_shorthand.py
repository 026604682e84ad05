"""Round 24's readings: questions typed as search-box shorthand, told as a long backstory, or hurried ("first ml
textbook knowing only calculus", "svm explained without equations video", "the textbook that goes with them")."""

from advisor.search.advice import Advice
from advisor.search.intent import IntentReader, attribute_preferences
from advisor.types import Resource

SHELF = {
    "vae": Resource("vae", "Auto-Encoding Variational Bayes", ["Diederik Kingma", "Max Welling"], kind="paper",
                    year=2013, aliases=["VAE paper"]),
    "vae-intro": Resource("vae-intro", "An Introduction to Variational Autoencoders",
                          ["Diederik Kingma", "Max Welling"], kind="paper", year=2019,
                          aliases=["Kingma and Welling 2019"]),
    "silver": Resource("silver", "UCL Course on Reinforcement Learning", ["David Silver"], kind="course",
                       description="Ten recorded lectures. It follows Sutton and Barto closely."),
    "sutton-barto": Resource("sutton-barto", "Reinforcement Learning: An Introduction",
                             ["Richard Sutton", "Andrew Barto"]),
    "wright-recht": Resource("wright-recht", "Optimization for Data Analysis", ["Stephen Wright", "Benjamin Recht"]),
    "nocedal-wright": Resource("nocedal-wright", "Numerical Optimization", ["Jorge Nocedal", "Stephen Wright"]),
    "gan": Resource("gan", "Generative Adversarial Nets", ["Ian Goodfellow"], kind="paper", year=2014,
                    aliases=["original GAN paper"]),
    "wgan": Resource("wgan", "Wasserstein GAN", ["Martin Arjovsky"], kind="paper", aliases=["WGAN"]),
    "prml": Resource("prml", "Pattern Recognition and Machine Learning", ["Christopher Bishop"], aliases=["PRML"]),
}


def test_a_book_that_takes_the_learner_to_the_point_of_reading_x_comes_before_x():
    intent = IntentReader(SHELF).read("I want ONE book that takes me from vectors and derivatives to the point "
                                      "where I can read Bishop.")
    assert intent.wants_prerequisites and intent.mentioned == ["prml"]


def test_knowing_only_calculus_is_what_the_learner_knows_not_what_they_ask():
    knows = IntentReader(SHELF).read("first ml textbook knowing only calculus").knows
    assert knows == ["knowing only calculus"]


def test_the_kind_after_the_content_refused_is_asked_for():
    assert attribute_preferences("svm explained without equations video").get("kind") == ("course", "video-series")
    assert IntentReader(SHELF).read("svm explained without equations video").unwanted == "equations"
    assert "book" not in attribute_preferences("no maths book").get("kind", ())  # the book itself refused


def test_a_year_after_the_authors_picks_their_record_of_that_year():
    intent = IntentReader(SHELF).read("The Kingma & Welling 2013 paper is too compressed. Is there a longer "
                                      "treatment by the same authors?")
    assert "vae" in intent.mentioned and "vae-intro" not in intent.mentioned and intent.same_source


def test_the_book_a_course_follows_is_its_companion():
    reader = IntentReader(SHELF)
    assert set(Advice(SHELF, reader).next_to([SHELF["silver"]], "beside")) == {"sutton-barto"}
    assert set(Advice(SHELF, reader).next_to([SHELF["sutton-barto"]], "beside")) == {"silver"}
    assert reader.read("I've watched David Silver's UCL lectures. I'd like the textbook they follow.").same_source
    assert reader.read("watched the UCL Course on Reinforcement Learning. want the textbook that goes with "
                       "them").same_source
    assert not reader.read("I've watched David Silver's UCL lectures. I'd like a harder course.").same_source


def test_i_just_need_the_named_one_is_a_lookup():
    intent = IntentReader(SHELF).read("There's also a Nocedal and Wright book on our shelf. I just need the Wright "
                                      "& Recht one; can you find it?")
    assert intent.about == ["wright-recht"] and not intent.moves_away


def test_a_resource_read_after_which_the_learner_asks_is_behind_them():
    intent = IntentReader(SHELF).read("After reading the original GAN paper: I want the theory of why training is "
                                      "unstable, before I move on to WGAN.")
    assert "gan" in intent.refused and "wgan" not in intent.refused


def test_a_gap_then_the_form_the_learner_likes_asks_what_comes_before_x():
    reader = IntentReader(SHELF)
    intent = reader.read("WGAN is all about the Kantorovich dual. My analysis stops at calculus. I like short videos "
                         "with exercises, not long lectures.")
    assert intent.wants_prerequisites and intent.mentioned == ["wgan"]
    assert not reader.read("WGAN is all about the Kantorovich dual. I liked the figures.").wants_prerequisites


def test_it_assumes_a_subject_the_learner_lacks_asks_for_that_subject_first():
    intent = IntentReader(SHELF).read("I want to read Bishop, but it assumes calculus and I only have high-school "
                                      "algebra. Something visual, just enough to get what a derivative means.")
    assert intent.wants_prerequisites and intent.knows == ["I only have high-school algebra"]


def test_a_lookup_of_identities_is_a_cheatsheet_and_a_reference_on_a_subject_a_book():
    assert attribute_preferences("I just want a lookup of identities to keep open").get("kind") == ("cheatsheet",)
    assert attribute_preferences("a desk reference for gaussian identities").get("kind") == ("cheatsheet",)
    assert attribute_preferences("a good reference on measure theory").get("kind") == ("book",)


def test_what_slows_the_learner_down_in_x_is_a_gap_to_fill_first_but_not_in_a_choice():
    reader = IntentReader(SHELF)
    intent = reader.read("WGAN appendix: the duality algebra slows me down. I just want a lookup of identities "
                         "to keep open.")
    assert intent.lacks and intent.wants_prerequisites
    choice = reader.read("for GANs: WGAN has the proofs and the GAN paper has pictures. right now I ONLY want the "
                         "picture, no derivations yet. which?")
    assert choice.compares and not choice.wants_prerequisites


def test_already_know_without_a_subject_is_what_the_learner_knows():
    intent = IntentReader(SHELF).read("master student, already know ML basics + convex opt course. want a learning "
                                      "theory book that is recent")
    assert intent.knows == ["already know ML basics + convex opt course"]
