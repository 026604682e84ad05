"""Keyword analysis for BM25: one function used for passages and queries alike."""

from __future__ import annotations

import re
from functools import lru_cache

from .textclean import normalize

_TOKEN = re.compile(r"[^\W_]+", re.U)
_GREEK = re.compile(r"^[\u0370-\u03ff]$")


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_EN

    return frozenset(STOPWORDS_EN)


# Symbols are indexed by their names too, so "theta" finds θ and "∇f" finds "gradient".
_SYMBOL_NAMES = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ϵ": "epsilon", "ζ": "zeta",
    "η": "eta", "θ": "theta", "ϑ": "theta", "ι": "iota", "κ": "kappa", "λ": "lambda", "μ": "mu", "ν": "nu",
    "ξ": "xi", "π": "pi", "ρ": "rho", "σ": "sigma", "τ": "tau", "υ": "upsilon", "φ": "phi", "ϕ": "phi",
    "χ": "chi", "ψ": "psi", "ω": "omega", "γ": "gamma", "Γ": "gamma", "Δ": "delta", "Θ": "theta",
    "Λ": "lambda", "Ξ": "xi", "Π": "pi", "Σ": "sigma", "Φ": "phi", "Ψ": "psi", "Ω": "omega",
    "∑": "sum", "∏": "product", "∫": "integral", "∂": "partial derivative", "∇": "gradient nabla",
    "∞": "infinity", "√": "sqrt", "⊗": "tensor product", "⊕": "direct sum", "⟨": " inner product ", "⟩": " ",
    "∈": " ", "≤": " ", "≥": " ", "≈": " approx ", "∝": " proportional ", "⊥": " orthogonal ",
}
_SYMBOLS = str.maketrans({k: f" {v} " for k, v in _SYMBOL_NAMES.items()})


def keyword_tokens(text: str) -> list[str]:
    """Lowercased, stemmed tokens; abbreviations such as KKT, VC, ELBO and L2 survive intact."""
    words = _TOKEN.findall(normalize(text).translate(_SYMBOLS).lower())
    stop = _stopwords()
    kept = [w for w in words if w not in stop and (len(w) > 1 or _GREEK.match(w))]
    return _stemmer().stemWords(kept)
