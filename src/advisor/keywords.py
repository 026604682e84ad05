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


def keyword_tokens(text: str) -> list[str]:
    """Lowercased, stemmed tokens; abbreviations such as KKT, VC, ELBO and L2 survive intact."""
    words = _TOKEN.findall(normalize(text).lower())
    stop = _stopwords()
    kept = [w for w in words if w not in stop and (len(w) > 1 or _GREEK.match(w))]
    return _stemmer().stemWords(kept)
