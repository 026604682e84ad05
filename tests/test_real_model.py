"""End to end with the packaged all-MiniLM-L6-v2 model (slow: loads torch and embeds real texts)."""

import json
import shutil
from pathlib import Path

import pytest

from advisor.config import Settings
from advisor.search.evaluate import read_questions, run_eval
from advisor.service import Advisor

REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def small_real(tmp_path_factory):
    root = tmp_path_factory.mktemp("real")
    corpus = root / "corpus"
    (corpus / "catalog").mkdir(parents=True)
    shutil.copy(REPO / "corpus" / "topics.yaml", corpus / "topics.yaml")
    for rid in ("cs229-cheatsheets", "pot-ot-user-guide", "learning-from-data", "wgan-paper"):
        shutil.copy(REPO / "corpus" / "catalog" / f"{rid}.md", corpus / "catalog" / f"{rid}.md")
    for rel in ("texts/cs229-cheatsheets/cheatsheet-supervised-learning.pdf", "texts/pot-ot-user-guide/user_guide.rst"):
        (corpus / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / "corpus" / rel, corpus / rel)
    adv = Advisor(Settings(corpus_dir=corpus, index_dir=root / "index"))
    report = adv.index()
    return adv, report


def test_real_model_chunks_fit_its_tokenizer(small_real):
    adv, report = small_real
    assert report.chunks_total > 10
    limit = adv.embedder.max_tokens
    from advisor.ingest.chunking import embedding_text

    assert max(adv.embedder.count_tokens(embedding_text(c)) for c in adv.loaded.texts.chunks) <= limit


def test_real_model_finds_the_vc_dimension_page(small_real):
    adv, _ = small_real
    hits = adv.search("what is the VC dimension of a hypothesis class?", k=3)
    assert hits[0].chunk.path.endswith("cheatsheet-supervised-learning.pdf")
    assert hits[0].chunk.page_start <= 4 <= hits[0].chunk.page_end


def test_real_model_answers_with_cited_pages_and_refuses_off_topic(small_real):
    adv, _ = small_real
    answer = adv.ask("How is the Wasserstein distance computed between two distributions?")
    assert answer.covered
    assert answer.passages[0].chunk.path.endswith("user_guide.rst")
    assert {m.resource.id for m in answer.resources[:3]} & {"pot-ot-user-guide", "wgan-paper"}
    off = adv.ask("What is a good recipe for sourdough bread with rye flour?")
    assert not off.covered and "Nothing in the indexed corpus covers this" in off.text


def test_real_model_tokenizer_is_the_spellers_dictionary(small_real):
    adv, _ = small_real
    words = adv.embedder.whole_words()
    assert {"heard", "invented", "probability"} <= words and "gausian" not in words
    speller = adv.retriever.speller
    assert speller.fix("i heard wasserstien distances are hard") == "i heard wasserstein distances are hard"
    # a title's words are set right too, so a misspelt title still names its record
    asked = speller.fix("are the CS 229 Machine Learning VIP cheatsheets and refershers enough?")
    assert asked == "are the CS 229 Machine Learning VIP cheatsheets and refreshers enough?"
    assert "cs229-cheatsheets" in adv.retriever.intents.read(asked).mentioned


def test_real_model_reindex_without_changes_embeds_nothing(small_real):
    adv, _ = small_real
    assert adv.index().noop


@pytest.fixture(scope="module")
def full_index(tmp_path_factory):
    # a generous per-file time limit: on a busy machine the default 120 s can skip the longest book, and this
    # fixture measures retrieval quality, not extraction speed (tests/test_faults.py tests the limit)
    adv = Advisor(Settings(corpus_dir=REPO / "corpus", index_dir=tmp_path_factory.mktemp("full") / "index",
                           file_timeout=1800.0))
    adv.index()
    return adv


def test_development_set_quality_does_not_regress(full_index):
    """Guards against regressions; the figures themselves are reported in docs/evaluation.md."""
    adv = full_index
    assert not adv.info()["skipped"], adv.info()["skipped"]  # every shipped text is in: else the figures mislead
    questions = read_questions(REPO / "tests" / "eval" / "passages.jsonl") + read_questions(
        REPO / "tests" / "eval" / "resources.jsonl")
    result = run_eval(questions, lambda q: adv.search(q, 10), lambda q, history: adv.converse([*history, q], k_resources=10).resources)
    print(json.dumps({k: result[k] for k in ("passages", "resources")}))
    assert result["passages"]["n"] >= 40 and result["resources"]["n"] >= 20
    assert result["passages"]["hit@5"] >= 0.8
    assert result["resources"]["hit@3"] >= 0.8


def test_held_out_set_quality_does_not_regress(full_index):
    """Questions no technique was tuned on (tests/eval/README.md); figures in docs/evaluation.md."""
    adv = full_index
    questions = read_questions(REPO / "tests" / "eval" / "heldout.jsonl")
    result = run_eval(questions, lambda q: adv.search(q, 10), lambda q, history: [])
    print(json.dumps(result["passages"]))
    assert result["passages"]["n"] >= 40
    assert result["passages"]["hit@5"] >= 0.8 and result["passages"]["mrr@10"] >= 0.7
