"""Unicode normalization shared by every layer: document text, questions, topic names and keywords all
pass through the same `normalize`, so that "ﬁ", "𝐱" and "−" match what a learner types."""

from __future__ import annotations

import re
import unicodedata

_PRIVATE_USE = re.compile("[\ue000-\uf8ff\U000f0000-\U000ffffd]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u00ad\u200b-\u200d\ufeff]")

# Characters that NFKC leaves alone but that fonts and extractors use interchangeably.
_TRANSLATE = str.maketrans({
    "\u2212": "-",  # minus sign
    "\u2013": "-", "\u2014": " - ",
    "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
    "\u2217": "*", "\u2022": "*", "\u00b7": "*",
    "\u2032": "'",
    # TeX's \epsilon (cmmi) comes out of many PDFs as "o with ogonek"; no ML text means the letter
    "\u01eb": "\u03f5",
})
# A bullet drawn from a symbol font and extracted as a Latin letter (Stanford cheatsheets: "Ì
# Upper bound theorem"): only where it stands alone as a word.
_GLYPH_BULLETS = re.compile(r"(?<!\S)[\u00cc\u2756](?=\s)")

# Pieces of tall brackets (⎛ ⎜ ⎝ ...) that PDF extraction spreads over many lines of a matrix.
_BRACKET_PIECES = re.compile("[\u239b-\u23ad]+")


def normalize(text: str) -> str:
    """Unicode-normalize text (ligatures, math alphanumerics, full-width forms) and tidy spaces."""
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(_TRANSLATE)
    text = _BRACKET_PIECES.sub(" ", text)
    text = _CONTROL.sub("", text)
    text = _PRIVATE_USE.sub(" ", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # last: the steps above may put the space after a lone glyph that makes it a bullet ("Ì" + a private-use
    # character), and the bullet must not depend on whether the text was normalized before
    return _GLYPH_BULLETS.sub("*", text)
