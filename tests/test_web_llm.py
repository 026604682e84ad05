"""The web chat's "Write the answer with a local LLM" switch, against the stub server (no model, no network)."""


import gradio as gr
from llmstub import StubLLM, closed_port

from advisor.search.grounding import LLMConfig
from advisor.web.chat import WRITING, Conversation
from advisor.web.ui import LLM_LABEL, Handlers, build_ui

QUESTION = "which notes prove the VC dimension bound?"


def config(url: str) -> LLMConfig:
    return LLMConfig(url=url, connect_timeout=2.0, read_timeout=5.0)


def assistant(step) -> str:
    messages, _, box = step
    assert box == ""
    assert messages[-1]["role"] == "assistant"
    return messages[-1]["content"]


def test_switch_streams_the_model_reply_then_the_cited_passages(advisor):
    reply = "First point [1]. Second point [2]. Third point [1], see also [9]. Done."
    with StubLLM(reply, chunk=4) as stub:
        h = Handlers(advisor, llm_config=config(stub.url))
        conv = Conversation()
        steps = list(h.ask(QUESTION, conv, False, [], [], [], True))
    shown = [assistant(s) for s in steps]
    assert shown[0] == WRITING
    assert all(s[0][-2] == {"role": "user", "content": QUESTION} for s in steps)
    streamed = shown[1:-1]
    partial = [s for s in streamed if "adv-passages" not in s]
    assert len(partial) >= 5  # many growing snapshots, not one block
    for a, b in zip(partial, partial[1:]):
        assert b.startswith(a)  # in order: each extends the previous one
    assert partial[-1] == "First point [1]. Second point [2]. Third point [1], see also. Done."
    final = shown[-1]
    assert final.startswith(partial[-1] + "\n\n")
    assert "[9]" not in final.split("\n\n", 1)[0]  # citation to no passage removed, and said so in the notes
    assert "removed citation(s) to no passage: [9]" in final
    # the cited passages and the cards, rendered like the extractive reply, with links on the web file route
    assert "#### Cited passages" in final and "adv-passage" in final and "adv-card" in final
    assert 'href="/corpus-file/' in final and "#page=" in final
    assert "written by stub-model from the cited passages" in final
    # the turn is recorded, so a follow-up works
    assert len(conv.turns) == 1 and conv.turns[0].resources
    assert [m["role"] for m in conv.messages] == ["user", "assistant"] and conv.messages[1]["content"] == final
    assert steps[-1][0] == conv.messages and steps[-1][1] is conv


def test_model_html_and_images_are_neutralised_and_latex_kept(advisor):
    reply = ("It is shattering [1]. <img src=x onerror=alert(1)> ![leak](http://evil.example/x) "
             "and $\\epsilon \\le \\sqrt{d/n}$ [2].")
    with StubLLM(reply) as stub:
        steps = list(Handlers(advisor, llm_config=config(stub.url)).ask(QUESTION, Conversation(), use_llm=True))
    final = assistant(steps[-1])
    assert "<img" not in final and "&lt;img src=x" in final
    assert "![leak]" not in final and "&#33;[leak]" in final
    assert "$\\epsilon \\le \\sqrt{d/n}$ [2]" in final
    # document text in the passages stays escaped as in extractive replies (no raw $ or backslash from documents)
    passages = final.split("#### Cited passages", 1)[1]
    assert "<blockquote class=\"adv-quote\">" in passages


def test_unreachable_server_falls_back_to_the_extractive_reply_with_one_note(advisor):
    h = Handlers(advisor, llm_config=config(f"http://127.0.0.1:{closed_port()}/v1"))
    conv = Conversation()
    steps = list(h.ask(QUESTION, conv, use_llm=True))
    shown = [assistant(s) for s in steps]
    assert shown[0] == WRITING
    final = shown[-1]
    first, rest = final.split("\n\n", 1)
    assert first.startswith("_Local model not used: no LLM server at http://127.0.0.1:") and "\n" not in first
    assert first.endswith("Showing the extractive answer._")
    assert final.count("Local model not used") == 1
    extractive = list(Handlers(advisor).ask(QUESTION, Conversation()))[-1][0][-1]["content"]
    assert rest == extractive  # the extractive reply, unchanged, with its /corpus-file links
    assert 'href="/corpus-file/' in rest
    assert len(conv.turns) == 1 and conv.messages[-1]["content"] == final


def test_follow_up_after_an_llm_reply_uses_the_recorded_turn(advisor):
    with StubLLM() as stub:
        h = Handlers(advisor, llm_config=config(stub.url))
        conv = Conversation()
        list(h.ask(QUESTION, conv, use_llm=True))
        steps = list(h.ask("which of those is free?", conv, use_llm=True))
    final = assistant(steps[-1])
    assert "in my previous answer" in final
    assert len(conv.turns) == 2 and len(conv.messages) == 4


def test_switch_off_is_unchanged_and_the_checkbox_is_in_the_filters(advisor, monkeypatch):
    steps = list(Handlers(advisor).ask(QUESTION, Conversation(), False, [], [], [], False))
    assert len(steps) == 2 and assistant(steps[0]).startswith("_Searching")
    monkeypatch.delenv("ADVISOR_LLM", raising=False)
    boxes = [b for b in build_ui(advisor).blocks.values() if isinstance(b, gr.Checkbox) and b.label == LLM_LABEL]
    assert len(boxes) == 1 and boxes[0].value is False and boxes[0].elem_id == "adv-llm"
    monkeypatch.setenv("ADVISOR_LLM", "1")
    boxes = [b for b in build_ui(advisor).blocks.values() if isinstance(b, gr.Checkbox) and b.label == LLM_LABEL]
    assert boxes[0].value is True
