"""The Blocks app and its event handlers, called directly (no browser)."""

from __future__ import annotations

import gradio as gr
import pytest

from advisor.store.embeddings import FakeEmbedder
from advisor.service import Advisor
from advisor.web.chat import Conversation
from advisor.web.ui import EXAMPLES, LATEX_DELIMITERS, Handlers, build_ui
from test_web_support import make_advisor, make_pdf


@pytest.fixture
def advisor(tmp_path):
    return make_advisor(tmp_path)


def test_chatbot_renders_markdown_and_latex_safely(advisor):
    demo = build_ui(advisor)
    chatbots = [b for b in demo.blocks.values() if isinstance(b, gr.Chatbot)]
    assert len(chatbots) == 1
    bot = chatbots[0]
    assert bot.sanitize_html is True and bot.render_markdown is True and bot.allow_tags is False
    lefts = {d["left"] for d in bot.latex_delimiters}
    assert lefts == {"$", "$$", "\\(", "\\["} and bot.latex_delimiters == LATEX_DELIMITERS
    assert [e["text"] for e in bot.examples] == EXAMPLES
    assert "Which book covers VC dimension proofs?" in EXAMPLES
    timers = [b for b in demo.blocks.values() if isinstance(b, gr.Timer)]
    assert len(timers) == 1


def test_ask_yields_a_placeholder_then_the_answer(advisor):
    h = Handlers(advisor)
    conv = Conversation()
    steps = list(h.ask("Where is the spectral theorem proved?", conv, False, [], [], []))
    assert len(steps) == 2
    pending, _, box = steps[0]
    assert pending[-1]["content"].startswith("_Searching") and box == ""
    final, conv2, _ = steps[1]
    assert final[0] == {"role": "user", "content": "Where is the spectral theorem proved?"}
    assert "adv-card" in final[1]["content"] and "Linear Algebra Explained" in final[1]["content"]
    assert conv2 is conv and len(conv.turns) == 1
    # the user's own text is shown as text
    steps = list(h.ask("<img src=x onerror=alert(1)> spectral theorem", conv))
    assert steps[-1][0][-2]["content"].startswith("&lt;img src=x")


def test_empty_message_does_nothing(advisor):
    steps = list(Handlers(advisor).ask("   ", Conversation()))
    assert len(steps) == 1 and steps[0][1].messages == []


def test_library_rows_show_indexed_status(advisor, tmp_path):
    rows, skipped, info, problem = advisor.library()
    by_id = {r["id"]: r for r in rows}
    assert problem is None and skipped == []
    assert by_id["linear-algebra-book"]["state"] == "indexed"
    assert by_id["linear-algebra-book"]["pages"] == 2 and by_id["linear-algebra-book"]["chunks"] >= 1
    assert by_id["linear-algebra-book"]["last_indexed"]
    assert by_id["file:texts/evil/evil-eigen.pdf"]["status"] == "indexed file (no catalog record)"
    # a record without a text is "catalog record only"
    (advisor.settings.corpus_dir / "catalog" / "record-only.md").write_text(
        "---\nid: record-only\ntitle: Only a record\nkind: course\naccess: paid\nlevel: intro\n"
        "math_depth: applied\ntopics: [machine-learning]\n---\nA course.\n", encoding="utf-8")
    advisor.index()
    by_id = {r["id"]: r for r in advisor.library()[0]}
    assert by_id["record-only"]["state"] == "record"


def test_add_then_rebuild_makes_the_upload_searchable(advisor, tmp_path):
    h = Handlers(advisor)
    upload = tmp_path / "gradio-tmp" / "rnn notes.pdf"
    upload.parent.mkdir()
    upload.write_bytes(make_pdf([["Recurrent neural networks", "LSTM and GRU gates; backpropagation through time."]]))
    msg, lib, file_out, *rest = h.add(str(upload), "RNN notes", "A. Amidi", "2019", "", ["RNN"], "auto", "free",
                                      "intro", "applied")
    assert "Added <b>RNN notes</b>" in msg and "rnn-notes" in msg and "Rebuild index" in msg
    assert file_out is None and rest == ["", "", "", "", []]
    assert "new: not indexed yet (rebuild)" in lib
    seen = h.load()[-1]
    banner, timer = h.rebuild(False)
    assert "Building the index" in banner and timer.value == 1.0
    status = advisor.wait_for_build(60)
    assert status.error is None and status.report.added == ["texts/rnn-notes/rnn-notes.pdf"]
    banner, header, lib_status, lib, timer, seen = h.tick(seen)
    assert "Index updated" in banner and timer.value == 5.0 and "rnn-notes" in lib and "indexed" in lib
    # the next idle tick changes nothing on the page
    assert all(isinstance(x, type(gr.skip())) for x in h.tick(seen)[:5])
    answer = advisor.ask("LSTM gates and backpropagation through time in recurrent neural networks")
    assert "rnn-notes" in [m.resource.id for m in answer.resources]


@pytest.fixture
def toasts(monkeypatch):
    shown = []
    monkeypatch.setattr(gr, "Warning", lambda message, **kw: shown.append((message, kw)))
    return shown


@pytest.mark.parametrize("name, data, message", [
    ("evil.pdf", b"MZ\x90\x00" + b"\x00" * 64, "not a PDF file"),
    ("notes.md", b"\x00\x01\x02binary", "NUL"),
    ("tool.exe", b"MZ", "unsupported file type"),
])
def test_rejected_uploads_show_a_warning_toast_and_write_nothing(advisor, tmp_path, toasts, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    before = sorted(p.name for p in (advisor.settings.corpus_dir / "texts").iterdir())
    out = Handlers(advisor).add(str(path))
    assert message in out[0] and "Upload rejected" in out[0]
    assert len(toasts) == 1 and message in toasts[0][0] and toasts[0][1]["title"] == "Upload rejected"
    assert all(isinstance(x, type(gr.skip())) for x in out[1:])  # the form is left for the user to fix
    assert sorted(p.name for p in (advisor.settings.corpus_dir / "texts").iterdir()) == before


def test_oversize_and_missing_uploads_are_rejected(advisor, tmp_path, toasts):
    path = tmp_path / "big.md"
    path.write_bytes(b"# big\n" + b"a" * 5000)
    assert "upload limit" in Handlers(advisor, max_upload_bytes=1024).add(str(path))[0]
    assert "Choose a" in Handlers(advisor).add(None)[0]
    assert len(toasts) == 2


def test_bad_topic_is_rejected_with_the_reason(advisor, tmp_path, toasts):
    path = tmp_path / "ok.md"
    path.write_text("# Notes\n\nSome text.\n", encoding="utf-8")
    assert "unknown topic(s): knitting" in Handlers(advisor).add(str(path), topics=["knitting"])[0]


def test_rebuild_button_repairs_a_damaged_index(advisor):
    (advisor.store.current_dir() / "resources.json").write_text("{", encoding="utf-8")
    fresh = Advisor(advisor.settings, embedder=FakeEmbedder())
    h = Handlers(fresh)
    status_html = h.load()[0]
    assert "damaged" in status_html and "Rebuild index" in status_html
    h.rebuild(False)  # an incremental build would be a no-op: the handler asks for a full one
    assert fresh.wait_for_build(60).error is None
    assert fresh.info()["counts"]["chunks"] > 0


def test_second_rebuild_while_running_is_refused(advisor, monkeypatch):
    h = Handlers(advisor)
    advisor.build_status.running = True
    called = []
    monkeypatch.setattr(advisor, "rebuild_in_background", lambda **kw: called.append(kw))
    banner, timer = h.rebuild(False)
    assert called == [] and timer.value == 1.0
    advisor.build_status.running = False


def test_idle_tick_notices_a_build_started_elsewhere(advisor):
    h = Handlers(advisor)
    seen = h.load()[-1]
    assert all(isinstance(x, type(gr.skip())) for x in h.tick(seen)[:5])
    advisor.rebuild_in_background()  # e.g. from another browser tab
    advisor.wait_for_build(60)
    banner, header, *_ = h.tick(seen)
    assert "The index is up to date" in banner and "chunks" in header
