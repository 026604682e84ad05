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
