"""Conversations: a follow-up is read with the turn it leans on, its wishes replace the earlier ones of the same
kind, and a judgement of the previous answer ("something easier?") moves away from what that answer put first."""

from __future__ import annotations

import json

import pytest

from advisor.errors import UserInputError
from advisor.search.evaluate import Question, read_questions, run_eval
from advisor.search.intent import Intent, condense, reacting
from test_web_support import make_advisor

VC = "which book covers VC dimension proofs?"


def no_subject(text: str) -> bool:
    return False


def has_subject(text: str) -> bool:
    return True


def test_a_message_without_a_subject_of_its_own_is_read_after_the_previous_turn():
    assert condense("is there a free one?", [VC], no_subject) == f"{VC} is there a free one?"
    # one turn is one sentence: what the learner finished and what they ask next are read apart
    assert condense("whats next?", ["I finished Boyd's book"], no_subject) == "I finished Boyd's book. whats next?"
    assert condense("is there a free one?", [], no_subject) == "is there a free one?"


def test_a_message_with_its_own_subject_is_read_alone_unless_it_points_back_or_steps_on():
    assert condense("what about Rademacher complexity?", [VC], has_subject) == "what about Rademacher complexity?"
    assert condense("where can I learn Fourier analysis?", [VC], has_subject) == "where can I learn Fourier analysis?"
    assert condense("is it free?", [VC], has_subject).startswith(VC)
    assert condense("whats next if I care about SGD?", ["I finished Boyd's book"], has_subject) \
        == "I finished Boyd's book. whats next if I care about SGD?"
    for step in ("what comes after? scaling to big data", "ok done with that, now what"):
        assert condense(step, ["blei's VI review done"], has_subject) == f"blei's VI review done. {step}"
    # without a way to tell a subject (no index), only pointing back leans on the previous turn
    assert condense("is there a free one?", [VC]) == "is there a free one?"
    # "first?" steps back from the subject before; "thats brutal" judges the previous turn
    ddpm = "want to read the DDPM paper"
    assert condense("what do i need to know first? the ELBO loses me", [ddpm], has_subject).startswith(ddpm)
    assert condense("thats brutal. something gentler and closer to ML practice?", [VC], has_subject) \
        .startswith("which book covers VC dimension")  # ("proofs" goes: gentler replaces it)


def test_a_message_that_says_it_starts_a_new_subject_is_read_alone():
    for message in ("new question: wheres the original proof that one-hidden-layer nets are universal approximators?",
                    "unrelated, but is it worth learning measure theory?", "random q: what is it good for"):
        assert condense(message, [VC], no_subject) == message
    # a hyphenated "that one-hidden-layer" points back to nothing
    assert condense("who showed that one-hidden-layer nets approximate?", [VC], has_subject).startswith("who")


def test_a_kind_noun_inside_a_name_stays_when_a_follow_up_asks_for_another_kind():
    text = condense("any cheatsheet to revise quickly?", ["just finished the cs229 lecture notes. which book next?"],
                    no_subject)
    assert "cs229 lecture notes" in text and "which book" not in text


@pytest.mark.parametrize("message, gone, kept", [
    ("any videos on that?", ["book"], ["proofs", "VC dimension"]),  # another kind: the book wish goes
    ("something easier?", ["proofs"], ["book", "VC dimension"]),  # easier: the wish for proofs goes
    ("is there a free one?", [], ["book", "proofs"]),  # nothing said against them: both stay
])
def test_a_follow_up_replaces_only_the_wishes_it_restates(message, gone, kept):
    text = condense(message, [VC], no_subject)
    earlier = text[: -len(message)]
    assert text.endswith(message)
    assert all(w not in earlier for w in gone), text
    assert all(w in earlier for w in kept), text


def test_a_long_chain_keeps_its_subject_and_its_latest_turns():
    history: list[str] = []
    first = "Hi! Can you recommend a book on Gaussian processes?"
    middle = [f"and does it have exercises on chapter {n}, with worked solutions at the back?" for n in range(8)]
    for m in [first, *middle, "something shorter?"]:
        history.append(condense(m, history, no_subject))
    last = history[-1]
    # the greeting alone is no subject: the subject's first sentences are kept, then the latest turns
    assert last.startswith(first) and last.endswith("something shorter?") and "chapter 3" not in last
    assert len(last) < 320 + len("something shorter?") + 2


def test_what_does_not_revoke_free_or_step_on():
    from advisor.search.intent.conversation import revokes_free

    assert not revokes_free("not willing to pay, anything easier?") and not revokes_free("paying is not ok for me")
    # a subject of its own with "then" or "next week" in it is no step from the previous turn (and an exam is a
    # need, said as a fact)
    for message in ("what about reinforcement learning then?", "I have a linear algebra exam next week"):
        assert condense(message, ["free book on convex optimization?"], has_subject) == message


def test_paid_is_fine_revokes_the_wish_for_free():
    for message in ("actually my library has springer access, so paid is fine. which one?", "happy to buy books",
                    "update: work will pay for a book now. most beginner friendly one?"):
        text = condense(message, ["free book on Bayesian statistics"], no_subject)
        assert "free" not in text[: -len(message)] and "Bayesian statistics" in text[: -len(message)]


def test_an_employer_that_will_not_pay_keeps_the_wish_for_free():
    from advisor.search.intent.conversation import revokes_free

    assert not revokes_free("work wont pay for it, so still free only")
    assert revokes_free("my company can reimburse it")


def test_a_free_course_stays_free_and_a_course_when_the_learner_asks_for_something_easier():
    text = condense("something easier?", ["free course on Bayesian statistics, rigorous"], no_subject)
    assert "free course on Bayesian statistics" in text and "rigorous" not in text


def test_a_judgement_of_the_previous_answer_moves_away_from_what_it_put_first():
    easier = reacting(Intent(), "top", "hmm too heavy. gentler one?")
    assert easier.mentioned == ["top"] and easier.moves_away and easier.direction == "easier"
    assert not easier.deeper
    harder = reacting(Intent(), "top", "too basic, I want more rigorous stuff")
    assert harder.mentioned == ["top"] and harder.moves_away and harder.direction == "harder" and harder.deeper_than


def test_a_follow_up_that_judges_nothing_or_names_a_resource_is_not_a_reaction():
    assert reacting(Intent(), "top", "is there a free one?") == Intent()
    assert reacting(Intent(), "top", "any lecture notes? something shorter than a book") == Intent()
    assert reacting(Intent(), "top", "anything easier than that?").mentioned == ["top"]  # "that" is the answer
    named = Intent(mentioned=["esl"])
    assert reacting(named, "top", "ESL is too hard, something easier?") is named


def test_conversation_sets_give_their_earlier_messages(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps({"id": "c1", "history": [VC], "question": "a free one?", "gold_ids": ["x"]}) + "\n")
    assert read_questions(path)[0].history == [VC]
    path.write_text(json.dumps({"id": "c1", "history": "oops", "question": "a free one?", "gold_ids": ["x"]}) + "\n")
    with pytest.raises(UserInputError, match=r"c\.jsonl:1: 'history' must be a list"):
        read_questions(path)


def test_run_eval_asks_with_the_earlier_messages():
    seen = []
    questions = [Question("q1", "a free one?", gold_ids=["x"], history=[VC]), Question("q2", VC, gold_ids=["x"])]
    run_eval(questions, lambda q: [], lambda q, history: seen.append((q, history)) or [])
    assert seen == [("a free one?", [VC]), (VC, [])]


@pytest.fixture(scope="module")
def advisor(tmp_path_factory):
    return make_advisor(tmp_path_factory.mktemp("conversation"), evil=False)


@pytest.mark.parametrize("message, subject", [
    ("Where is the spectral theorem proved?", True),
    ("is there a free one?", False),
    ("rigorous, but no spectral theorem", False),  # named only to be refused
    ("I've already done the spectral theorem", False),  # named as what the learner has had
    ("Foundations of Learning Theory is too pricey, anything free?", False),  # a resource, not a topic
    ("and does the book prove the Sauer lemma?", True),  # a name the library uses, outside the topic words
    ("has to be free, grad student budget lol", False),  # an everyday word, however rare in the library
    ("honestly I never took the spectral theorem", False),  # what the learner lacks: why they ask, said of before
])
def test_a_subject_of_its_own_is_a_topic_to_learn(advisor, message, subject):
    assert advisor.retriever.has_subject(message) is subject


def _scores(answer) -> dict[str, float]:
    return {m.resource.id: m.score for m in answer.resources}


def test_a_conversation_keeps_its_subject_and_reacts_to_the_previous_answer(advisor):
    first = advisor.ask("Which book covers VC dimension proofs?")
    top = first.resources[0].resource.id
    assert top == "learning-theory-book"  # paid
    free = advisor.converse(["Which book covers VC dimension proofs?", "is there a free one?"])
    assert free.covered and "VC dimension" in free.query
    before, after = _scores(first), _scores(free)
    assert after["free-notes"] / after[top] > before["free-notes"] / before[top]
    notes = advisor.converse(["Which book covers VC dimension proofs?", "is there a free one?", "any lecture notes?"])
    assert notes.resources[0].resource.id == "free-notes" and "book" not in notes.query.split("?")[0]
    easier = advisor.converse(["Which book covers VC dimension proofs?", "something easier?"])
    assert easier.covered and top not in [m.resource.id for m in easier.resources]
    alone = advisor.converse(["Which book covers VC dimension proofs?", "Where is the spectral theorem proved?"])
    assert alone.query == "Where is the spectral theorem proved?"
    assert alone.resources[0].resource.id == "linear-algebra-book"


def test_a_kind_said_after_than_is_what_the_learner_compares_with_not_what_they_want():
    from advisor.search.intent import attribute_preferences

    prefs = attribute_preferences("any lecture notes? something shorter than a book")
    assert prefs["avoid_kind"] == ("book",) and "book" not in prefs["kind"]


def test_a_question_about_the_previous_answers_resources_is_answered_from_them(advisor):
    first = advisor.ask("Which book covers VC dimension proofs?")
    shown = [m.resource.id for m in first.resources]
    free = advisor.converse(["Which book covers VC dimension proofs?", "which of those is free?"])
    assert free.scope is not None and free.scope.previous == len(shown) and free.scope.asked == ["free"]
    assert free.resources and all(m.resource.is_free and m.resource.id in shown for m in free.resources)
    assert free.scope.kept == len(free.resources)
    assert free.scope.describe().startswith(f"Of the {len(shown)} resources in my previous answer,")
    # the text recommends what is shown, not the wider answer it was chosen from
    others = [m.resource.title for m in first.resources if m.resource.id not in {x.resource.id for x in free.resources}]
    assert all(title not in free.text for title in others)
    # wishes no filter says (a kind refused, recent) are weighed, not a failure
    assert advisor.converse(["Which book covers VC dimension proofs?", "any of them that isn't a book?"]).scope
    # none qualifying: the whole library, with the same wish, and the scope says so
    course = advisor.converse(["Where is the spectral theorem proved?", "which of those is a course?"])
    assert course.scope is not None and course.scope.kept == 0
    # a question of its own is no question about them
    assert advisor.converse(["Which book covers VC dimension proofs?", "Where is the spectral theorem proved?"]
                            ).scope is None


def test_next_said_first_steps_on_from_the_previous_turn():
    done = "finished blei's variational inference review"
    assert condense("next - i want VI for non-conjugate models", [done], has_subject).startswith(done)
    assert condense("next year I want to learn VI", [done], has_subject) == "next year I want to learn VI"


def test_more_ways_of_saying_a_new_subject_and_a_budget_that_revokes_free():
    from advisor.search.intent.conversation import revokes_free

    for message in ("diff q: the original transformer paper?", "totally separate — the 1986 backprop letter",
                    "new q: that dropout paper"):
        assert condense(message, [VC], no_subject) == message
    assert revokes_free("scratch that, got a book budget from work. which one")
    assert not revokes_free("no budget at all, free only")


def test_an_option_set_aside_is_not_searched(advisor):
    answer = advisor.ask("I considered a linear algebra book, though people say it is heavy going. "
                         "I'd like notes on VC dimension proofs.")
    assert "heavy going" not in answer.query and "VC dimension" in answer.query
    assert any(n.startswith("searched for: ") for n in answer.notes)  # the learner sees what was searched


def test_wait_or_update_corrects_the_turn_before():
    text = condense("wait, i'll be offline for two weeks. downloadable pdf on the svd pls",
                    ["what next after 3b1b's linear algebra series"], has_subject)
    assert text.startswith("what next after 3b1b")


def test_course_work_covering_a_topic_revokes_nothing():
    from advisor.search.intent.conversation import revokes_free

    assert not revokes_free("does the course work cover SVD?")


GANS = "trying to understand GANs mathematically. free arxiv papers only"


@pytest.mark.parametrize("message, aside", [
    ("random: does anyone still use MATLAB in industry? my internship wants it", True),
    ("might look at online learning at some point too, but not yet", True),
    ("also starting an ML course in the fall, no rush on that", True),  # a course for later, not one asked for
    ("side question, is deep learning ever worth it for tabular data? just curious", True),
    ("unrelated - bandits. ucb, exp3, regret lower bounds. rigorous + free", False),  # a new thread, asked now
    ("what should I read next year before my PhD?", False),
    ("anyway, back to the probability book: is there a free one?", False),
])
def test_a_remark_in_passing_or_a_plan_for_later_is_an_aside(message, aside):
    from advisor.search.intent import is_aside

    assert is_aside(message) is aside


def test_the_thread_goes_on_past_an_aside():
    aside = "random: does anyone still use MATLAB in industry?"
    assert condense(aside, [GANS], no_subject) == aside  # answered alone ...
    # ... and the next message leans on the turn before it, not on the aside
    assert condense("is there a shorter one?", [GANS, aside], no_subject).startswith("trying to understand GANs")


def test_a_statement_of_the_learner_adds_to_the_thread_and_a_request_with_a_subject_is_read_alone():
    assert condense("my probability is roughly at Blitzstein-Hwang level", [GANS], has_subject).startswith(GANS)
    assert condense("the Jensen-Shannon result was neat", [GANS], has_subject).startswith(GANS)
    assert condense("lost at the ELBO part", ["trying to read the VAE paper"], has_subject).startswith("trying")
    # a definite noun the thread has said points back to it
    exam = "studying for a stats PhD qualifying exam"
    assert condense("the exam is classical frequentist theory: sufficiency, MLE", [exam], has_subject).startswith(exam)
    # a request, or a subject named in few words, is read alone with the thread's standing rules
    asked = "which book covers rademacher complexity?"
    assert condense(asked, [GANS], has_subject) == f"{asked} (free)"
    narrowed = "now specifically HMC: typical set, leapfrog, divergent transitions"
    assert condense(narrowed, [GANS], has_subject) == f"{narrowed} (free)"


def test_a_request_read_alone_keeps_the_standing_rules_of_its_thread():
    rules = ["learning RL", "free resources only, I'm broke", "videos preferred"]
    text = condense("which one covers policy gradients?", rules[:1] + [" ".join(rules)], has_subject)
    assert text.startswith("which one covers policy gradients?") or "policy gradients" in text
    alone = condense("where can I learn policy gradients?", [" ".join(rules)], has_subject)
    assert alone == "where can I learn policy gradients? (free, videos)"
    # a wish for one answer is no rule ("any free course on NLP?"), and a revoked rule is gone
    assert condense("where can I learn matrix analysis?", ["any free course on NLP?"], has_subject) \
        == "where can I learn matrix analysis?"
    revoked = ["free pdf only please", "the lab can buy books now, so forget the free rule"]
    assert "free" not in condense("where can I learn matrix analysis?", ["free only", "price doesn't matter now"],
                                  has_subject)
    assert "free" not in condense("where can I learn matrix analysis?", revoked, has_subject)
    # a new subject keeps the budget, not the kind wished for the old subject
    assert condense("different topic: where do I learn recommender systems?", [" ".join(rules)], has_subject) \
        == "different topic: where do I learn recommender systems? (free)"


def test_a_message_that_returns_to_the_thread_leans_on_the_turn_it_returns_to():
    history = ["i watched all of harvard stat 110 on youtube", "what about measure theory? free please"]
    text = condense("anyway, back to stat 110: is there a textbook for those lectures?", history, has_subject)
    assert text.startswith("i watched all of harvard stat 110")


def test_after_an_aside_a_follow_up_is_about_the_answer_before_it(advisor):
    turns = ["Which book covers VC dimension proofs?", "random: anyone still use MATLAB at work? just curious",
             "which of those is free?"]
    answer = advisor.converse(turns)
    first = advisor.ask(turns[0])
    assert answer.scope is not None and answer.scope.previous == len(first.resources)
    assert {m.resource.id for m in answer.resources} <= {m.resource.id for m in first.resources}


def test_the_maths_leans_on_the_subject_before_it():
    history = ["want to get into ML eventually. videos preferred"]
    assert condense("where do I even start with the maths?", history, has_subject).startswith(history[0])
    # ... unless it says whose maths
    alone = "where do I start with the maths of diffusion models?"
    assert condense(alone, history, has_subject).startswith(alone)
