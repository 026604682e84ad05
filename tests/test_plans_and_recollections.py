"""Round 28's readings: study plans laid out in slots ("week 1: the POT guide; week 2: ?; week 3: Peyré & Cuturi"),
resources half-remembered or asked for by name ("by Gallier and Quintance I think", "what was the series called?"),
and steps on the way to a goal that the learner cannot take yet ("Axler's MIRA assumes real analysis")."""

from advisor.library.topics import Topic, TopicMatcher
from advisor.search.intent import IntentReader
from advisor.search.intent.plans import presupposing, read_plan
from advisor.search.recommend import ResourceRanker
from advisor.types import Resource

SHELF = {
    "pot": Resource("pot", "POT: Python Optimal Transport (user guide)", ["Remi Flamary"], kind="tutorial",
                    aliases=["POT"]),
    "sinkhorn": Resource("sinkhorn", "Sinkhorn Distances: Lightspeed Computation of Optimal Transport",
                         ["Marco Cuturi"], kind="paper"),
    "pc": Resource("pc", "Computational Optimal Transport", ["Gabriel Peyre", "Marco Cuturi"]),
    "adam": Resource("adam", "Adam: A Method for Stochastic Optimization", ["Diederik Kingma", "Jimmy Ba"],
                     kind="paper", aliases=["Adam paper"]),
    "bcn": Resource("bcn", "Optimization Methods for Large-Scale Machine Learning",
                    ["Leon Bottou", "Frank Curtis", "Jorge Nocedal"], kind="paper"),
    "z2h": Resource("z2h", "Neural Networks: Zero to Hero", ["Andrej Karpathy"], kind="video-series"),
    "gq": Resource("gq", "Linear Algebra and Optimization with Applications to Machine Learning",
                   ["Jean Gallier", "Jocelyn Quaintance"]),
    "kf": Resource("kf", "Probabilistic Graphical Models: Principles and Techniques", ["Daphne Koller", "Nir Friedman"]),
    "gan": Resource("gan", "Generative Adversarial Networks", ["Ian Goodfellow"], kind="paper", aliases=["GAN paper"]),
    "hazan": Resource("hazan", "Introduction to Online Convex Optimization", ["Elad Hazan"]),
    "plg": Resource("plg", "Prediction, Learning, and Games", ["Nicolo Cesa-Bianchi", "Gabor Lugosi"]),
    "durrett": Resource("durrett", "Probability: Theory and Examples", ["Rick Durrett"]),
    "mira": Resource("mira", "Measure, Integration & Real Analysis", ["Sheldon Axler"], aliases=["MIRA"]),
    "silver": Resource("silver", "David Silver's Reinforcement Learning Course (UCL)", ["David Silver"], kind="course"),
    "bishop": Resource("bishop", "Pattern Recognition and Machine Learning", ["Christopher Bishop"], aliases=["PRML"]),
}


def read(question: str):
    return IntentReader(SHELF).read(question)


def spans_of(question: str):
    return IntentReader(SHELF)._read_names(question)[0]


def test_the_resources_in_the_other_slots_of_a_plan_are_the_plan_around_the_answer():
    q = ("Plan for our reading group: week 1, the POT guide to get hands-on; week 2, the paper that first brought "
         "Sinkhorn scaling into ML; week 3, Peyre & Cuturi's book. What should week 2 be?")
    intent = read(q)
    assert {"pot", "pc"} <= set(intent.refused)
    plan = read_plan(q, spans_of(q))
    assert plan.placed == {"pot", "pc"} and not plan.before_placed and not plan.after_placed
    # numbered items are slots too
    q = ("Reading list on SGD, in order: (1) the paper with the step-size conditions; (2) Bottou, Curtis & Nocedal's "
         "review; (3) the Adam paper. What's item 1?")
    assert {"bcn", "adam"} <= set(read(q).refused)


def test_a_slot_asked_before_every_placed_resource_asks_what_they_build_on_and_after_them_what_comes_next():
    before = read("Plan: month 2, David Silver's RL lectures. My probability is shaky. What should go in month 1?")
    assert before.wants_prerequisites and "silver" in before.refused
    after = read("Plan: weeks 1-3 Peyre & Cuturi's book. For weeks 4-8 we want the theory paper. What fits weeks 4-8?")
    assert after.moves_away and not after.wants_prerequisites


def test_a_plan_leaves_alone_what_the_slot_asked_names_and_what_is_asked_about():
    # the options weighed for the slot asked stay answers
    q = ("Plan: month 1, online learning; month 2, the Adam paper. For month 1 I keep seeing Hazan's book and "
         "Cesa-Bianchi & Lugosi. Which one for month 1?")
    intent = read(q)
    assert "adam" in intent.refused and "hazan" not in intent.refused and "plg" not in intent.refused
    assert not intent.wants_prerequisites
    # "where can I find the week-1 document?" asks for the one in week 1
    q = ("My plan: week 1, the POT guide; week 2, the Sinkhorn paper; week 3, Peyre & Cuturi. "
         "Where can I find the week-1 document?")
    assert "pot" not in read(q).refused and "pc" in read(q).refused
    # one slot only, or hours and pages, are no plan
    assert read("I have 5 hours a week. Is Peyre & Cuturi a good first book?").refused == []


def test_a_ticked_step_is_behind_the_learner():
    intent = read("Study plan: week 1 the GAN paper \u2714. Next I want the theory of why its training fails.")
    assert "gan" in intent.refused


def test_a_name_asked_for_makes_the_described_resource_the_answer():
    q = ("Karpathy had a YouTube series where he codes a tiny autograd engine (micrograd? something like that) and "
         "by the end builds a GPT. What was the series called? I want to redo it over the holidays.")
    intent = read(q)
    assert intent.about == ["z2h"] and not intent.moves_away
    assert read("A free two-volume thing by Gallier and Quaintance, linear algebra then optimization. "
                "Can you give me the proper title?").about == ["gq"]


def test_a_resource_half_remembered_is_the_one_looked_for():
    intent = read("What's the most complete treatment of graphical models? I half remember a huge MIT Press book by "
                  "Koller and Friedman, maybe 1,200 pages. I want the reference, not lighter notes.")
    assert intent.about == ["kf"] and not intent.moves_away
    assert read("the optimization book by Gallier and Quaintance I think. is it free?").about == ["gq"]
    # what is recalled may be what the learner did, or a step past it
    assert read("I remember liking Bishop's PRML. What should I read next?").about == []
    assert read("I think Bishop's PRML is too hard for me, anything gentler?").about == []
    # ... or the goal of a prerequisite question
    recalled_goal = read("I want to read the GAN paper by Goodfellow (2014, NeurIPS I think) but I've never done "
                         "game theory. What should I read first?")
    assert recalled_goal.about == [] and recalled_goal.wants_prerequisites


def test_where_something_first_appeared_is_the_paper_named_not_a_move_away_from_it():
    intent = read("I'm coding a GAN paper replication. I want the place where the minimax objective and the "
                  "non-saturating loss first appeared.")
    assert intent.mentioned == ["gan"] and not intent.moves_away
    # a book is no place where something first appeared
    assert read("I'm reading Bishop's PRML. I want the place where the EM algorithm first appeared.").moves_away


def test_which_one_first_in_a_choice_of_two_is_no_prerequisite_question():
    intent = read("For online learning I'm choosing between Hazan's book and Cesa-Bianchi & Lugosi. I come from "
                  "optimization and want something accessible. Which one first?")
    assert intent.compares and not intent.wants_prerequisites
    assert read("Hazan's book looks hard. Which one first, what should I read before it?").wants_prerequisites


def test_a_step_said_to_presuppose_what_the_learner_lacks_is_on_the_way_not_the_way_in():
    q = ("Long-term I want Durrett's book. Durrett says you need a measure theory course first; Axler's MIRA looked "
         "right, but it assumes real analysis, and I've never done analysis. Where do I start?")
    intent = read(q)
    assert intent.wants_prerequisites and set(intent.presupposing) == {"durrett", "mira"}
    # what is presupposed follows the verb: "the vocabulary Durrett assumes" says nothing of Durrett as a step
    assert presupposing("I want the probability vocabulary Durrett assumes. A short refresher?",
                        spans_of("I want the probability vocabulary Durrett assumes. A short refresher?")) == []
    # said without a gap, a step is no question of what comes before it
    assert not read("Axler's MIRA assumes real analysis. Is it a good book?").wants_prerequisites


def test_a_step_that_presupposes_is_left_out_though_it_teaches_the_goals_foundations():
    topics = {
        "measure-theory": Topic("measure-theory", "Measure theory", ["measure theory", "sigma-algebras"]),
        "real-analysis": Topic("real-analysis", "Real analysis", ["real analysis", "analysis"]),
    }
    shelf = {
        "durrett": Resource("durrett", "Probability: Theory and Examples", ["Rick Durrett"],
                            topics=["measure-theory"], prerequisites=["measure-theory", "real-analysis"]),
        "mira": Resource("mira", "Measure, Integration & Real Analysis", ["Sheldon Axler"], aliases=["MIRA"],
                         topics=["measure-theory", "real-analysis"], prerequisites=["real-analysis"]),
        "abbott": Resource("abbott", "Understanding Analysis", ["Stephen Abbott"], topics=["real-analysis"]),
    }
    reader, ranker = IntentReader(shelf), ResourceRanker(shelf, topics, TopicMatcher(topics))
    question = ("Long-term I want Durrett's book. Axler's MIRA looked right, but it assumes real analysis, and I've "
                "never done analysis. Where do I start?")
    sig = ranker.signals(question, reader.read(question), lambda text: {rid: 0.5 for rid in shelf}, [])
    assert "mira" in sig.excluded and "durrett" in sig.excluded
    matches = ranker.rank(sig, 3, None, [])
    assert matches[0].resource.id == "abbott"


def test_the_struggle_said_of_a_resource_asks_for_a_gentler_one():
    for said in ("Opened Bishop's PRML and hit a wall of notation. Something for me?",
                 "Tried David Silver's RL course. It rushes MDPs in one lecture. What instead?",
                 "Started Bishop's PRML and I'm losing motivation fast. Other options?"):
        assert read(said).direction == "easier", said


def test_a_topics_own_name_quoted_is_the_term_not_the_primer_whose_title_holds_it():
    shelf = {"primer": Resource("primer", "A Primer on Reproducing Kernel Hilbert Spaces", ["Jonathan Manton"],
                                kind="tutorial")}
    reader = IntentReader(shelf, topic_terms=["reproducing kernel Hilbert spaces", "RKHS"])
    said = ("The scikit-learn docs mention 'reproducing kernel Hilbert spaces' and every book's section on them felt "
            "hand-wavy. Is there a free tutorial that builds them up from examples?")
    assert reader.read(said).mentioned == []
    # a title's words that are no topic's name still name the record
    assert reader.read("the title was 'a primer on reproducing kernel' something, is it free?").mentioned == ["primer"]


def test_a_resource_not_wanted_is_refused_and_one_refused_beside_a_comparative_is_what_the_move_is_from():
    intent = read("Villani's books: I don't want the ~1000-page one, I want Peyre & Cuturi's. Is it free?")
    assert "pc" in intent.mentioned
    refused = read("I don't want Bishop's PRML. A free book on kernels?")
    assert refused.refused == ["bishop"] and refused.mentioned == []
    lighter = read("Not Bishop's PRML, something lighter?")
    assert lighter.mentioned == ["bishop"] and lighter.moves_away and lighter.direction == "easier"


def test_a_name_asked_for_after_describing_another_work_of_the_same_makers_is_not_the_one_named():
    intent = read("Days 1-3 I reread Peyre & Cuturi's book. For days 4-6 I want their companion paper on Sinkhorn "
                  "scaling. What's the exact title?")
    assert intent.about == [] and intent.same_source


def test_or_weighs_names_only_with_a_name_or_a_resource_on_each_side():
    # two topics joined by "or" beside one name weigh nothing
    intent = read("I'm aiming for the Adam paper. Bottou, Curtis & Nocedal's review is supposed to be the on-ramp, "
                  "but I don't know convexity or duality at all.")
    assert not intent.compares
    assert read("Bishop's PRML or Peyre & Cuturi's book?").compares
    assert read("PRML? or MIRA?").compares
    # a dot inside a name or an abbreviation ends no sentence
    assert read("Bishop ch. 13, or Axler's MIRA? I want a free book.").compares
    # a name weighed against another resource said in words
    assert read("Is MIRA just the new edition of Durrett's book or a different book?").compares


def test_which_one_is_that_after_a_resource_described_asks_for_the_one_described():
    intent = read("I read the GAN paper and my gradients die. Before jumping to Peyre & Cuturi, I want the theory "
                  "paper that explains why the divergence saturates. Which one is that?")
    assert intent.about == []
    # after a name said as advice, it asks which that one is; after a wish with no description, the name said
    assert read("My advisor recommended PRML. Which one is that?").about == ["bishop"]
    assert read("I've read Peyre & Cuturi. Now I want the most exhaustive treatise. Which one is that?").about == ["pc"]


def test_a_kind_ruled_out_after_it_is_avoided():
    from advisor.search.intent import attribute_preferences
    prefs = attribute_preferences("A clear, free derivation I can compare against, please. A full semester course "
                                  "is too much right now.")
    assert prefs.get("avoid_kind") == ("course",) and "course" not in prefs.get("kind", ())
    assert attribute_preferences("a 1,000-page book is overkill for me, any free notes?")["avoid_kind"] == ("book",)
    assert "avoid_kind" not in attribute_preferences("a course would be great, the book is fine too")
