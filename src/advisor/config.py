"""Settings (environment prefix ADVISOR_) and the fingerprint an index is built with."""

from __future__ import annotations

import json
import math
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from urllib.parse import urlsplit

from .errors import UserInputError
from .fileops import sha256_text

DEFAULT_MODEL = "all-MiniLM-L6-v2"
DEFAULT_MAX_UPLOAD_MB = 200
DEFAULT_LLM_URL = "http://127.0.0.1:11434/v1"  # Ollama's
# Bump when loaders or chunking change what a file turns into: old indexes are then rebuilt.
PIPELINE_VERSION = 5
INDEX_FORMAT_VERSION = 1


@dataclass
class Settings:
    corpus_dir: Path = Path("corpus")
    index_dir: Path = Path("index")
    model: str = DEFAULT_MODEL
    chunk_tokens: int = 0  # 0: the model's own max sequence length
    overlap_tokens: int = 48
    batch_size: int = 32
    file_timeout: float = 120.0  # seconds to read one file before it is skipped
    device: str = "cpu"
    top_k: int = 10
    candidates: int = 60  # per retriever, before fusion
    rrf_k: int = 60
    # hybrid passages: "convex" = dense_weight * z(cosine) + (1 - dense_weight) * z(BM25) over the
    # candidates, or "rrf" = reciprocal rank fusion (docs/evaluation.md compares them)
    fusion: str = "convex"
    dense_weight: float = 0.7
    # Below this cosine for the best passage and with no exact keyword match the corpus is said
    # not to cover the question (calibrated in docs/evaluation.md).
    min_similarity: float = 0.35
    reranker: str | None = None
    query_expansion: bool = True
    kind_boost: float = 0.2  # bonus (in standard deviations of the fused score) for passages of the kind a question asks for
    # what runs the embedding model: onnx-int8 (passages int8, questions and catalog records fp32; 2x torch's
    # speed at torch's quality, docs/performance.md), onnx (ONNX Runtime, fp32) or torch (sentence-transformers)
    backend: str = "onnx-int8"
    # which resources come first: "learned" re-orders the weighted score's best 30 with a model trained on the
    # development questions (search/learned.py, bench/train_ranker.py); "weighted" keeps the weighted score
    resource_ranking: str = "learned"
    # "" = the file store in index_dir; postgresql://... = the shared Postgres + pgvector store (docs/deployment.md)
    store: str = ""
    # shared store only: app memory (MB) for the postings of the most common terms, kept after their first read
    # instead of read from the database for every question (store/pg_passages.PostingsCache); 0 = none
    postings_cache_mb: float = 256.0
    # shared store only: HNSW candidates per dense search (pgvector's hnsw.ef_search, at least 2 x candidates);
    # more is closer to exact search and slower: recall@10 0.96 at 100k passages with 200 (docs/deployment.md)
    hnsw_ef_search: int = 200
    extra: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        """Raise UserInputError naming the ADVISOR_ variable for the first out-of-range value."""
        _check_types(self)
        _at_least(self, "batch_size", 1)
        _at_least(self, "top_k", 1)
        _at_least(self, "candidates", 1)
        _at_least(self, "chunk_tokens", 0)
        _at_least(self, "overlap_tokens", 0)
        _at_least(self, "rrf_k", 0)
        if self.chunk_tokens > 0 and self.overlap_tokens >= self.chunk_tokens:
            _bad("overlap_tokens", self.overlap_tokens,
                 f"must be less than ADVISOR_CHUNK_TOKENS ({self.chunk_tokens})")
        _between(self, "dense_weight", 0.0, 1.0)
        _between(self, "min_similarity", 0.0, 1.0)
        if not math.isfinite(self.kind_boost):
            _bad("kind_boost", self.kind_boost, "must be a finite number")
        if self.fusion not in FUSIONS:
            _bad("fusion", self.fusion, f"must be one of {', '.join(FUSIONS)}")
        if isinstance(self.backend, str):
            self.backend = self.backend.strip().lower()
        if self.backend not in BACKENDS:
            _bad("backend", self.backend, f"must be one of {', '.join(BACKENDS)}")
        if self.resource_ranking not in RANKINGS:
            _bad("resource_ranking", self.resource_ranking, f"must be one of {', '.join(RANKINGS)}")
        if self.store and not self.store.startswith(STORE_SCHEMES):
            _bad("store", self.store.split("://")[0] + "://...", "must be empty (files in ADVISOR_INDEX_DIR) or a "
                 "postgresql:// connection URI")
        _between(self, "hnsw_ef_search", 1, 1000)  # pgvector's own bounds
        if not (self.postings_cache_mb >= 0 and math.isfinite(self.postings_cache_mb)):  # also rejects NaN
            _bad("postings_cache_mb", self.postings_cache_mb, "must be a number of megabytes, 0 or more")
        if not self.file_timeout > 0:  # also rejects NaN
            _bad("file_timeout", self.file_timeout, "must be a positive number of seconds")

    @classmethod
    def from_env(cls, **overrides) -> "Settings":
        """Settings from ADVISOR_* variables and keyword overrides (None: not given).

        Raises UserInputError with a one-line message naming the variable: never a traceback."""
        values: dict = {}
        for f in fields(cls):
            if f.name == "extra":
                continue
            raw = os.environ.get(f"ADVISOR_{f.name.upper()}")
            if raw is not None and raw.strip() != "":
                values[f.name] = _coerce(f.name, raw, f.type)
        values.update({k: v for k, v in overrides.items() if v is not None})
        for key in ("corpus_dir", "index_dir"):
            values[key] = Path(values.get(key, getattr(cls, key)))
        return cls(**values)


FUSIONS = ("convex", "rrf")
BACKENDS = ("torch", "onnx", "onnx-int8")
RANKINGS = ("learned", "weighted")
STORE_SCHEMES = ("postgresql://", "postgres://")
_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")


def _var(name: str) -> str:
    return f"ADVISOR_{name.upper()}"


def _bad(name: str, value, reason: str):
    """UserInputError("ADVISOR_TOP_K=abc: must be a whole number"): one line, whatever the value holds."""
    shown = f"{value:g}" if isinstance(value, float) else str(value)
    if not shown.isprintable() or len(shown) > 60:
        shown = repr(shown[:60])
    raise UserInputError(f"{_var(name)}={shown}: {reason}")


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_types(s: Settings) -> None:
    for f in fields(s):
        value = getattr(s, f.name)
        kind = str(f.type)
        if kind == "int" and not _is_int(value):
            _bad(f.name, repr(value), "must be a whole number")
        elif kind == "float":
            if not (_is_int(value) or isinstance(value, float)):
                _bad(f.name, repr(value), "must be a number")
            setattr(s, f.name, float(value))
        elif kind == "bool" and not isinstance(value, bool):
            _bad(f.name, repr(value), "must be true or false")


def _at_least(s: Settings, name: str, low: int) -> None:
    value = getattr(s, name)
    if value < low:
        _bad(name, value, f"must be at least {low}")


def _between(s: Settings, name: str, low: float, high: float) -> None:
    value = getattr(s, name)
    if not low <= value <= high:  # also rejects NaN
        _bad(name, value, f"must be between {low:g} and {high:g}")


def _coerce(name: str, raw: str, type_name) -> object:
    """The typed value of one ADVISOR_ variable; UserInputError (one line) when it does not parse."""
    kind = str(type_name)
    text = raw.strip()
    if kind == "int":
        try:
            return int(text)
        except ValueError:
            _bad(name, raw, "must be a whole number")
    if kind == "float":
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            _bad(name, raw, "must be a number")
        return value
    if kind == "bool":
        if text.lower() in _TRUE:
            return True
        if text.lower() in _FALSE:
            return False
        _bad(name, raw, "must be one of 1/0, true/false, yes/no, on/off")
    return raw


@dataclass(frozen=True)
class Fingerprint:
    """What determines the content of an index: a mismatch means a full rebuild."""

    model: str
    dimension: int
    chunk_tokens: int
    overlap_tokens: int
    pipeline_version: int = PIPELINE_VERSION
    format_version: int = INDEX_FORMAT_VERSION
    backend: str = "torch"  # vectors of two backends differ slightly: a change re-embeds everything, never mixes

    def to_dict(self) -> dict:
        return asdict(self)

    def digest(self) -> str:
        blob = json.dumps(self.to_dict(), sort_keys=True).encode()
        return sha256_text(blob.decode())[:16]

    def differences(self, other: dict) -> list[str]:
        mine = self.to_dict()
        other = {"backend": "torch", **other}  # manifests from before the ONNX backends were built with torch
        return [f"{k}: {other.get(k)!r} -> {v!r}" for k, v in mine.items() if other.get(k) != v]


# --- the optional local LLM (search/llm_client.py, search/grounding.py) ---------------------------
# ADVISOR_LLM_URL, ADVISOR_LLM_MODEL, ADVISOR_LLM_API_KEY, ADVISOR_LLM_TIMEOUT; ADVISOR_LLM=1 turns it on by default.
@dataclass
class LLMConfig:
    url: str = DEFAULT_LLM_URL
    model: str | None = None  # None: the first model the server lists
    api_key: str | None = None
    connect_timeout: float = 3.0
    read_timeout: float = 60.0  # longest silence before the first token and between two chunks
    total_timeout: float = 300.0  # the whole reply
    max_tokens: int = 600
    temperature: float = 0.1

    @classmethod
    def from_env(cls, url: str | None = None, model: str | None = None, api_key: str | None = None,
                 **overrides) -> "LLMConfig":
        env = os.environ
        timeout = env.get("ADVISOR_LLM_TIMEOUT")
        values: dict = {
            "url": url or env.get("ADVISOR_LLM_URL") or DEFAULT_LLM_URL,
            "model": model or env.get("ADVISOR_LLM_MODEL") or None,
            "api_key": api_key or env.get("ADVISOR_LLM_API_KEY") or None,
        }
        if timeout and timeout.strip():
            try:
                seconds = float(timeout)
            except ValueError:
                seconds = math.nan
            if not (math.isfinite(seconds) and seconds > 0):
                _bad("llm_timeout", timeout, "must be a positive number of seconds")
            values["read_timeout"] = seconds
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    @property
    def base_url(self) -> str:
        return normalize_llm_url(self.url)


def llm_enabled_by_env() -> bool:
    """ADVISOR_LLM=1 (or true/yes/on): callers that let the environment decide turn LLM answers on."""
    return os.environ.get("ADVISOR_LLM", "").strip().lower() in ("1", "true", "yes", "on")


def normalize_llm_url(url: str) -> str:
    """'localhost:8080' -> 'http://localhost:8080/v1'; a full .../chat/completions URL is cut back to its base."""
    url = (url or "").strip()
    if not url:
        raise UserInputError("empty LLM URL: give the server's base URL, e.g. http://127.0.0.1:8080/v1")
    if "://" not in url:
        url = "http://" + url
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UserInputError(f"LLM URL {url!r} is not an http(s) URL")
    path = parts.path.rstrip("/")
    if path.endswith("/chat/completions"):
        path = path[: -len("/chat/completions")]
    if not path:
        path = "/v1"  # what every OpenAI-compatible server serves
    return f"{parts.scheme}://{parts.netloc}{path}"
