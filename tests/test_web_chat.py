"""The conversation: history for follow-ups, "which of those is free?", friendly errors while building."""

from __future__ import annotations

import re
import threading

import pytest

from advisor.config import Settings
from advisor.store.embeddings import FakeEmbedder
from advisor.service import Advisor
from advisor.types import BuildStatus, Filters, Progress
from advisor.types import Answer, Chunk, Hit, Resource, ResourceMatch
from advisor.search.intent import refers_to_previous
from advisor.search.scope import restrict_answer, with_preferences
from advisor.web.chat import Conversation, filters_from, respond
from advisor.web.render import NOT_COVERED
from test_web_support import make_advisor, make_corpus


@pytest.fixture(scope="module")
def advisor(tmp_path_factory):
    return make_advisor(tmp_path_factory.mktemp("chat"))


class Spy:
    """Records what the web layer passes to Advisor.ask."""

    def __init__(self, advisor):
        self.advisor = advisor
        self.calls: list[dict] = []

    def __getattr__(self, name):
        return getattr(self.advisor, name)

    def ask(self, question, **kwargs):
        self.calls.append({"question": question, **kwargs})
        return self.advisor.ask(question, **kwargs)


def card_titles(reply: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", t) for t in re.findall(r'<div class="adv-card-title">.*?</a>', reply)]


def card_ids(conv: Conversation) -> list[str]:
    return [m.resource.id for m in conv.last_resources]


@pytest.mark.parametrize("question, expected", [
    ("which of those is free?", True),
    ("Which of these has proofs?", True),
    ("any of them for beginners?", True),
    ("is it free?", True),
    ("Which one is a course?", True),
    ("Among the ones above, which is a book?", True),
    ("Where is the spectral theorem proved?", False),
    ("Free course on convex optimization", False),
    ("What maths do I need for the Wasserstein distance in WGANs?", False),
    ("are they free?", True),
    ("paid is fine. what are the standard ones?", False),  # asks anew
    ("what about the kernel theory behind them?", False),  # "them" is the topic
    ("What are diffusion models and how do they work?", False),
    ("and do they have exercises?", True),
])
def test_refers_to_previous(question, expected):
    assert refers_to_previous(question) is expected


def test_follow_up_gets_history_and_is_restricted_to_previous_free_resources(advisor):
    spy = Spy(advisor)
    conv = Conversation()
    first = respond(spy, "Which book covers VC dimension proofs?", Filters(), conv)
    assert spy.calls[0]["history"] == []
    assert "Foundations of Learning Theory" in first
    previous = card_ids(conv)
    assert "learning-theory-book" in previous  # the paid one is in the first answer
    assert any(not m.resource.is_free for m in conv.last_resources)

    second = respond(spy, "which of those is free?", Filters(), conv)
    call = spy.calls[1]
    assert call["history"] == ["Which book covers VC dimension proofs?"]
    assert [m.resource.id for m in call["previous"]] == previous  # the facade answers from them
    assert re.search(r"Of the \d resources in my previous answer, (these are|this one is) free:", second)
    kept = card_ids(conv)
    assert kept and set(kept) <= set(previous)
    assert all(m.resource.is_free for m in conv.last_resources)
    assert "learning-theory-book" not in kept
    # cited passages come only from the kept resources
    assert "learning-theory.pdf" not in second
    # and the answer remembers both user messages and both replies
    assert [m["role"] for m in conv.messages] == ["user", "assistant", "user", "assistant"]


def test_chain_of_follow_ups_keeps_the_original_subject(advisor):
    spy = Spy(advisor)
    conv = Conversation()
    respond(spy, "Which book covers VC dimension proofs?", Filters(), conv)
    respond(spy, "which of those is free?", Filters(), conv)
    respond(spy, "and which of them is rigorous?", Filters(), conv)
    # the second follow-up is searched with the first follow-up as it was searched (with its subject)
    assert spy.calls[2]["history"][-1].startswith("Which book covers VC dimension proofs?")
    assert conv.last_resources and all(m.resource.math_depth in ("rigorous", "proof-heavy")
                                       for m in conv.last_resources)


def test_follow_up_that_nothing_previous_satisfies_says_so(advisor):
    conv = Conversation()
    respond(advisor, "Where is the spectral theorem proved?", Filters(), conv)
    assert card_ids(conv)
    reply = respond(advisor, "which of those is a course?", Filters(), conv)
    assert "None of the" in reply and "From the whole library" in reply


def test_a_follow_up_with_no_subject_is_answered_about_the_previous_one(advisor):
    spy = Spy(advisor)
    conv = Conversation()
    respond(spy, "Which book covers VC dimension proofs?", Filters(), conv)
    top = card_ids(conv)[0]
    reply = respond(spy, "something easier?", Filters(), conv)
    assert spy.calls[1]["shown"] == top  # the chat says what its previous answer put first
    assert NOT_COVERED not in reply and card_ids(conv) and top not in card_ids(conv)
    assert "Read with your previous question: “Which book covers VC dimension proofs?”" in reply
    assert conv.turns[-1].query.startswith("Which book covers VC dimension")  # a chain keeps the subject
    alone = respond(spy, "Where is the spectral theorem proved?", Filters(), conv)  # a subject of its own
    assert "Read with your previous question" not in alone


def test_follow_up_without_a_previous_answer_is_a_normal_question(advisor):
    spy = Spy(advisor)
    conv = Conversation()
    reply = respond(spy, "which of those is free?", Filters(), conv)
    assert "Of the" not in reply
    assert spy.calls[0]["filters"].free_only is False


def test_ui_filters_are_passed_and_combined(advisor):
    spy = Spy(advisor)
    conv = Conversation()
    respond(spy, "Which book covers VC dimension proofs?", filters_from(True, ["book"], [], []), conv)
    flt = spy.calls[0]["filters"]
    assert (flt.free_only, flt.kinds) == (True, ["book"])
    assert all(m.resource.is_free and m.resource.kind == "book" for m in conv.last_resources)
    merged, asked = with_preferences(filters_from(False, ["book", "course"]), "which of those is a course?")
    assert merged.kinds == ["course"] and asked == ["of kind course"]


def _match(rid, access, kind="book"):
    r = Resource(id=rid, title=rid.title(), access=access, kind=kind)
    hit = Hit(Chunk(f"{rid}-0", f"texts/{rid}/a.pdf", "text", 1, 1), 1.0, rid)
    return ResourceMatch(resource=r, score=1.0, reasons=["why"], hits=[hit])


def test_restrict_answer_filters_and_ranks_for_the_new_question():
    previous = [_match("a", "paid"), _match("b", "free"), _match("c", "free-online"), _match("d", "free")]
    fresh = Answer("q", True, [_match("c", "free-online"), _match("z", "free")], passages=[
        Hit(Chunk("z-1", "texts/z/z.pdf", "t", 1, 1), 1.0, "z"), Hit(Chunk("c-1", "texts/c/c.pdf", "t", 2, 2), 0.9, "c")])
    restricted, kept = restrict_answer(fresh, previous, Filters(free_only=True))
    assert [m.resource.id for m in kept] == ["c", "b", "d"]  # c is ranked by the new answer; b, d as before
    assert [h.resource_id for h in restricted.passages] == ["c"]
    assert restricted.covered
    none, kept = restrict_answer(fresh, previous, Filters(kinds=["course"]))
    assert kept == [] and not none.covered


def test_not_covered_shows_the_nothing_covers_text(tmp_path):
    adv = make_advisor(tmp_path, min_similarity=0.999)
    conv = Conversation()
    reply = respond(adv, "How do I bake sourdough bread at home?", Filters(), conv)
    assert "Nothing in the indexed corpus covers this" in reply
    assert "adv-card" not in reply
    assert conv.last_resources == []
    assert NOT_COVERED.startswith("**Nothing in the indexed corpus covers this.**")


def test_empty_and_too_long_questions_get_a_message(advisor):
    conv = Conversation()
    assert "empty query" in respond(advisor, "   ", Filters(), conv)
    assert "too long" in respond(advisor, "x " * 1500, Filters(), conv)


def test_while_the_first_index_is_built_the_chat_says_so(tmp_path):
    corpus = make_corpus(tmp_path)
    adv = Advisor(Settings(corpus_dir=corpus, index_dir=tmp_path / "index"), embedder=FakeEmbedder())
    adv.build_status = BuildStatus(running=True, progress=Progress(stage="reading", files_done=2, files_total=5,
                                                                   pages_done=40, elapsed=10.0))
    reply = respond(adv, "Where is the spectral theorem proved?", Filters(), Conversation())
    assert "The index is being built" in reply
    assert "2 of 5 files" in reply and "40 PDF pages" in reply and "about 15 s left" in reply
    adv.build_status = BuildStatus()
    reply = respond(adv, "Where is the spectral theorem proved?", Filters(), Conversation())
    assert "There is no index yet" in reply and "Rebuild index" in reply


def test_a_damaged_index_says_run_a_rebuild(tmp_path):
    adv = make_advisor(tmp_path)
    current = adv.store.current_dir()
    (current / "resources.json").write_text("{not json", encoding="utf-8")
    fresh = Advisor(adv.settings, embedder=FakeEmbedder())
    reply = respond(fresh, "Where is the spectral theorem proved?", Filters(), Conversation())
    assert "The index is damaged" in reply and "advisor index --rebuild" in reply


def test_an_engine_crash_is_reported_not_raised(advisor, caplog):
    class Broken(Spy):
        def ask(self, question, **kwargs):
            raise RuntimeError("boom")

    reply = respond(Broken(advisor), "Where is the spectral theorem proved?", Filters(), Conversation())
    assert "Something went wrong" in reply and "RuntimeError" in reply


def test_conversations_are_independent_under_concurrency(advisor):
    convs = [Conversation() for _ in range(4)]
    questions = ["Which book covers VC dimension proofs?", "Where is the spectral theorem proved?"] * 2
    threads = [threading.Thread(target=respond, args=(advisor, q, Filters(), c)) for q, c in zip(questions, convs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for q, c in zip(questions, convs):
        assert c.turns[0].question == q and len(c.messages) == 2


def test_after_an_aside_the_chat_answers_which_of_those_from_the_answer_before_it(advisor):
    spy = Spy(advisor)
    conv = Conversation()
    respond(spy, "Which book covers VC dimension proofs?", Filters(), conv)
    before = [m.resource.id for m in conv.last_resources]
    respond(spy, "random: anyone still use MATLAB at work? just curious", Filters(), conv)
    assert conv.turns[-1].aside and [m.resource.id for m in conv.last_resources] == before
    respond(spy, "which of those is free?", Filters(), conv)
    assert [m.resource.id for m in spy.calls[-1]["previous"]] == before
