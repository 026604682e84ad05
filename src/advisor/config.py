"""Settings (environment prefix ADVISOR_) and the fingerprint an index is built with."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from urllib.parse import urlsplit

from .errors import UserInputError

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
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_env(cls, **overrides) -> "Settings":
        values: dict = {}
        for f in fields(cls):
            if f.name == "extra":
                continue
            raw = os.environ.get(f"ADVISOR_{f.name.upper()}")
            if raw is not None and raw != "":
                values[f.name] = _coerce(f.name, raw, f.type)
        values.update({k: v for k, v in overrides.items() if v is not None})
        for key in ("corpus_dir", "index_dir"):
            values[key] = Path(values.get(key, getattr(cls, key)))
        return cls(**values)


def _coerce(name: str, raw: str, type_name) -> object:
    kind = str(type_name)
    try:
        if "int" in kind and "str" not in kind:
            return int(raw)
        if "float" in kind:
            return float(raw)
        if "bool" in kind:
            return raw.strip().lower() in ("1", "true", "yes", "on")
    except ValueError:
        raise UserInputError(f"ADVISOR_{name.upper()}={raw!r} is not a valid {kind}") from None
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

    def to_dict(self) -> dict:
        return asdict(self)

    def digest(self) -> str:
        blob = json.dumps(self.to_dict(), sort_keys=True).encode()
        return hashlib.sha256(blob).hexdigest()[:16]

    def differences(self, other: dict) -> list[str]:
        mine = self.to_dict()
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
        if timeout:
            try:
                values["read_timeout"] = float(timeout)
            except ValueError:
                raise UserInputError(f"ADVISOR_LLM_TIMEOUT={timeout!r} is not a number of seconds") from None
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
