"""The ONNX Runtime encoder backends (onnx, onnx-int8): settings, fingerprint, export, agreement with torch.

The slow tests export the packaged model into a temporary cache (ADVISOR_MODEL_CACHE) once per module."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest

from advisor.cli import main as cli_main
from advisor.config import Fingerprint, Settings
from advisor.errors import ModelError, UserInputError
from advisor.store.build import build
from advisor.store.embeddings import FakeEmbedder, load_embedder
from advisor.store.index import IndexStore
from conftest import write_corpus

VARIED = [
    "hi",
    "What is the VC dimension of a hypothesis class?",
    "Theorem 2.3 (Hoeffding). Let X_1, ..., X_n be independent random variables with a_i <= X_i <= b_i. "
    "Then P(|S_n - E S_n| >= t) <= 2 exp(-2t^2 / sum (b_i - a_i)^2). Proof. Markov's inequality on e^{sX}.",
    "Bayes rule: posterior ∝ likelihood × prior — naïve café déjà vu 東京 😀",
    "   leading and trailing spaces   ",
    "The Karush-Kuhn-Tucker conditions: stationarity, primal and dual feasibility, complementary slackness. " * 8,
    "$$\\mathbb{E}_{q_\\phi(z|x)}[\\log p_\\theta(x|z)] - D_{KL}(q_\\phi(z|x) \\| p(z))$$ is the ELBO.",
    "word " * 600,  # longer than the model's 256 tokens: truncated the same way
]


# --- settings and fingerprint (fast) ----------------------------------------------------------------
def test_bad_backend_is_a_one_line_error(monkeypatch, capsys):
    monkeypatch.setenv("ADVISOR_BACKEND", "tensorrt")
    with pytest.raises(UserInputError) as err:
        Settings.from_env()
    assert str(err.value) == "ADVISOR_BACKEND=tensorrt: must be one of torch, onnx, onnx-int8"
    assert cli_main(["info"]) == 2
    out = capsys.readouterr().err
    assert out.strip() == "advisor: error: ADVISOR_BACKEND=tensorrt: must be one of torch, onnx, onnx-int8"
    monkeypatch.setenv("ADVISOR_BACKEND", " ONNX-Int8 ")
    assert Settings.from_env().backend == "onnx-int8"


def test_backend_flag_is_checked_like_the_variable(monkeypatch, capsys, tmp_path):
    monkeypatch.delenv("ADVISOR_BACKEND", raising=False)
    assert cli_main(["info", "--backend", "gpu", "--index-dir", str(tmp_path)]) == 2
    assert capsys.readouterr().err.strip() == "advisor: error: ADVISOR_BACKEND=gpu: must be one of torch, onnx, onnx-int8"


def test_fingerprint_records_the_backend_and_old_manifests_count_as_torch():
    torch_fp = Fingerprint("all-MiniLM-L6-v2", 384, 254, 48)
    int8_fp = Fingerprint("all-MiniLM-L6-v2", 384, 254, 48, backend="onnx-int8")
    assert torch_fp.to_dict()["backend"] == "torch"
    old = {k: v for k, v in torch_fp.to_dict().items() if k != "backend"}  # a manifest written before backends
    assert torch_fp.differences(old) == []
    assert int8_fp.differences(old) == ["backend: 'torch' -> 'onnx-int8'"]
    assert int8_fp.differences(int8_fp.to_dict()) == []


def test_fake_model_ignores_the_backend():
    assert isinstance(load_embedder("fake", backend="onnx-int8"), FakeEmbedder)
    with pytest.raises(ModelError):
        load_embedder("all-MiniLM-L6-v2", backend="tensorrt")


class _BackendFake(FakeEmbedder):
    def __init__(self, backend: str):
        super().__init__()
        self.backend = backend


def test_a_change_of_backend_re_embeds_everything_never_mixes(tmp_path):
    corpus = write_corpus(tmp_path / "corpus")
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index", model="fake", overlap_tokens=8,
                        backend="torch")
    first = build(settings, FakeEmbedder())  # no backend attribute: the setting's is recorded
    assert IndexStore(settings.index_dir).read_manifest()["fingerprint"]["backend"] == "torch"
    assert build(settings, _BackendFake("torch")).noop

    other = _BackendFake("onnx-int8")
    report = build(settings, other)
    assert "backend: 'torch' -> 'onnx-int8'" in (report.full_rebuild_reason or "")
    assert report.chunks_embedded == first.chunks_embedded and other.calls == first.chunks_embedded
    assert IndexStore(settings.index_dir).read_manifest()["fingerprint"]["backend"] == "onnx-int8"


# --- the real model (slow) ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def onnx_cache(tmp_path_factory):
    cache = tmp_path_factory.mktemp("onnx-cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ADVISOR_MODEL_CACHE", str(cache))
        yield cache


@pytest.fixture(scope="module")
def encoders(onnx_cache):
    return {b: load_embedder("all-MiniLM-L6-v2", backend=b) for b in ("torch", "onnx", "onnx-int8")}


@pytest.mark.slow
def test_export_is_cached_complete_and_checked(onnx_cache, encoders):
    from advisor.store import onnx_encoder
    from advisor.store.embeddings import resolve_model_path

    folders = [p for p in onnx_cache.iterdir()]
    assert len(folders) == 1 and not folders[0].name.startswith(".")  # no temporary folder left behind
    names = {p.name for p in folders[0].iterdir()}
    assert names == {onnx_encoder.FP32_FILE, onnx_encoder.INT8_FILE, onnx_encoder.META_FILE}
    meta = json.loads((folders[0] / onnx_encoder.META_FILE).read_text())
    assert meta["config"] == {"pooling": "mean_tokens", "dimension": 384, "max_seq_length": 256}
    assert meta["min_cosine_to_torch"][onnx_encoder.FP32_FILE] > 0.9999
    # the second load reuses the export
    stamp = os.stat(folders[0] / onnx_encoder.INT8_FILE).st_mtime_ns
    assert onnx_encoder.ensure_exported(resolve_model_path("all-MiniLM-L6-v2")) == folders[0]
    assert os.stat(folders[0] / onnx_encoder.INT8_FILE).st_mtime_ns == stamp
    assert encoders["onnx-int8"].file.stat().st_size < encoders["onnx"].file.stat().st_size


def test_a_failed_export_leaves_nothing(tmp_path, monkeypatch):
    from advisor.store import onnx_encoder
    from advisor.store.embeddings import resolve_model_path

    monkeypatch.setenv("ADVISOR_MODEL_CACHE", str(tmp_path / "cache"))

    def die(model_path, out):
        (out / onnx_encoder.FP32_FILE).write_bytes(b"half a model")
        raise ModelError("killed mid-export")

    monkeypatch.setattr(onnx_encoder, "_export", die)
    with pytest.raises(ModelError):
        onnx_encoder.ensure_exported(resolve_model_path("all-MiniLM-L6-v2"))
    assert list((tmp_path / "cache").iterdir()) == []


@pytest.mark.slow
def test_onnx_vectors_agree_with_torch(encoders):
    ref = encoders["torch"].encode(VARIED)
    for backend, floor_min, floor_mean in (("onnx", 0.9999, 0.9999), ("onnx-int8", 0.97, 0.99)):
        got = encoders[backend].encode(VARIED, batch_size=3)
        assert got.dtype == np.float32 and got.shape == ref.shape
        assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)
        cos = np.sum(got * ref, axis=1)
        assert cos.min() >= floor_min and cos.mean() >= floor_mean, (backend, cos.round(4).tolist())
    # batching by length and restoring the order: one text at a time gives the same vectors
    one_by_one = np.vstack([encoders["onnx"].encode([t]) for t in VARIED])
    assert np.allclose(one_by_one, encoders["onnx"].encode(VARIED, batch_size=4), atol=1e-5)
    assert encoders["onnx-int8"].encode([]).shape == (0, 384)


@pytest.mark.slow
def test_int8_keeps_questions_and_records_in_fp32(encoders):
    """onnx-int8 rounds the passages only: its query path gives torch's vectors, its bulk path does not."""
    ref = encoders["torch"].encode(VARIED)
    int8 = encoders["onnx-int8"]
    precise = int8.encode_queries(VARIED)
    assert np.sum(precise * ref, axis=1).min() >= 0.9999
    assert np.abs(int8.encode(VARIED) - ref).max() > 1e-3  # the passages really go through int8
    assert np.allclose(encoders["onnx"].encode_queries(VARIED), encoders["onnx"].encode(VARIED), atol=1e-6)
    assert int8.encode_queries([]).shape == (0, 384)


@pytest.mark.slow
def test_onnx_tokenizes_exactly_like_torch(encoders):
    torch_enc = encoders["torch"]
    for backend in ("onnx", "onnx-int8"):
        enc = encoders[backend]
        assert (enc.name, enc.dimension, enc.max_tokens) == (torch_enc.name, torch_enc.dimension, torch_enc.max_tokens)
        assert enc.backend == backend
        for text in VARIED:
            assert list(enc.token_spans(text)) == list(torch_enc.token_spans(text))
            assert enc.count_tokens(text) == torch_enc.count_tokens(text)


@pytest.mark.slow
def test_build_and_search_with_onnx_int8_then_torch_re_embeds(tmp_path, encoders):
    from advisor.service import Advisor

    corpus = write_corpus(tmp_path / "corpus")
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index", backend="onnx-int8")
    adv = Advisor(settings, embedder=encoders["onnx-int8"])
    report = adv.index()
    assert report.chunks_embedded > 0
    manifest = IndexStore(settings.index_dir).read_manifest()
    assert manifest["fingerprint"]["backend"] == "onnx-int8" and manifest["model"] == "all-MiniLM-L6-v2"
    hits = adv.search("what is the VC dimension of a hypothesis class?", k=3)
    assert hits[0].chunk.path.endswith("notes.pdf") and hits[0].chunk.page_start <= 2 <= hits[0].chunk.page_end
    assert build(settings, encoders["onnx-int8"]).noop
    # catalog records and the question are compared in fp32: torch's vectors, not int8's
    from advisor.ingest.chunking import embedding_text

    catalog = adv.loaded.catalog
    torch_records = encoders["torch"].encode([embedding_text(c) for c in catalog.chunks])
    assert len(catalog.chunks) and np.sum(catalog.vectors * torch_records, axis=1).min() >= 0.9999
    question = "what is the VC dimension of a hypothesis class?"
    assert np.dot(adv.retriever.record_vector(question, adv.retriever.embed_query(question)),
                  encoders["torch"].encode([question])[0]) >= 0.9999

    torch_settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index", backend="torch")
    again = build(torch_settings, encoders["torch"])
    assert "backend: 'onnx-int8' -> 'torch'" in (again.full_rebuild_reason or "")
    assert again.chunks_embedded == report.chunks_embedded and not again.noop
    assert IndexStore(settings.index_dir).read_manifest()["fingerprint"]["backend"] == "torch"


def test_advisor_index_notices_a_change_of_backend(tmp_path):
    from advisor.service import Advisor

    corpus = write_corpus(tmp_path / "corpus")
    torch_settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index", model="fake", overlap_tokens=8)
    Advisor(torch_settings, embedder=_BackendFake("torch")).index()
    int8_settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index", model="fake", overlap_tokens=8,
                             backend="onnx-int8")
    report = Advisor(int8_settings, embedder=_BackendFake("onnx-int8")).index()
    assert not report.noop and report.chunks_embedded > 0
