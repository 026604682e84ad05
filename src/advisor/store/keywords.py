"""Keyword analysis for BM25: one function used for passages and queries alike."""

from __future__ import annotations

import re
from functools import lru_cache

from ..textnorm import normalize

# Bump when keyword_tokens changes: an index's BM25 built with another version is rebuilt from its chunks.
KEYWORDS_VERSION = 2

_TOKEN = re.compile(r"[^\W_]+", re.U)
_GREEK = re.compile(r"^[\u0370-\u03ff]$")
_INDEXED_SYMBOL = re.compile(r"^[a-z]\d{1,2}$")  # v1, x2, a12


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
    "χ": "chi", "ψ": "psi", "ω": "omega", "Γ": "gamma", "Δ": "delta", "Θ": "theta",
    "Λ": "lambda", "Ξ": "xi", "Π": "pi", "Σ": "sigma", "Φ": "phi", "Ψ": "psi", "Ω": "omega",
    "∑": "sum", "∏": "product", "∫": "integral", "∂": "partial derivative", "∇": "gradient nabla",
    "∞": "infinity", "√": "sqrt", "⊗": "tensor product", "⊕": "direct sum", "⟨": " inner product ", "⟩": " ",
    "∈": " ", "≤": " ", "≥": " ", "≈": " approx ", "∝": " proportional ", "⊥": " orthogonal ",
}
_SYMBOLS = str.maketrans({k: f" {v} " for k, v in _SYMBOL_NAMES.items()})
# Formulas keep operator symbols as themselves (typed "sum" in prose is not ∑) and Greek letters by name.
_OPERATORS = "∑∏∫∂∇√∞"
_FORMULA_TOKEN = re.compile(rf"[^\W_]+|[{_OPERATORS}]", re.U)
_GREEK_LETTERS = {k: v for k, v in _SYMBOL_NAMES.items() if "\u0370" <= k <= "\u03ff"}
_GREEK_NAMES = str.maketrans({k: f" {v} " for k, v in _GREEK_LETTERS.items()})
_GREEK_WORDS = frozenset(_GREEK_LETTERS.values())


def keyword_tokens(text: str) -> list[str]:
    """Lowercased, stemmed tokens; abbreviations such as KKT, VC, ELBO and L2 survive intact."""
    plain = normalize(text)
    words = _TOKEN.findall(plain.translate(_SYMBOLS).lower())
    stop = _stopwords()
    kept = [w for w in words if w not in stop and (len(w) > 1 or _GREEK.match(w))]
    return _stemmer().stemWords(kept) + formula_bigrams(plain)


def _is_symbol(word: str) -> bool:
    return len(word) == 1 or (len(word) <= 3 and bool(_INDEXED_SYMBOL.match(word))) or word in _GREEK_WORDS


def formula_bigrams(text: str) -> list[str]:
    """Adjacent pairs within runs of one-letter symbols: V(X + Y) -> 'v~x', 'x~y'; σ/√n -> 'sigma~√', '√~n'.

    Single letters say nothing alone and are dropped as terms, but in a run they are how a formula
    survives extraction, whatever spacing the PDF put around it, so a question written in notation
    ("V(X+Y)", "E[T] = 1/p") can match the passage that has the same formula.
    """
    words = _FORMULA_TOKEN.findall(text.translate(_GREEK_NAMES).lower())
    symbol = [_is_symbol(w) for w in words]
    return [f"{a}~{b}" for a, b, sa, sb in zip(words, words[1:], symbol, symbol[1:]) if sa and sb]
