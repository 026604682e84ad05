"""Cleaning of extracted text: pure functions shared by loaders and query processing."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

_PRIVATE_USE = re.compile("[\ue000-\uf8ff\U000f0000-\U000ffffd]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u00ad\u200b-\u200d\ufeff]")
# "gener-\nalization" -> "generalization"; keep real hyphens such as "Karush-\nKuhn" (capital follows).
_HYPHEN_BREAK = re.compile(r"(\w)[-\u2010\u2011]\n([a-z])")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_BLANK_LINES = re.compile(r"\n{3,}")
_DIGITS = re.compile(r"\d+")
_ROMAN = re.compile(r"^[ivxlcdm]+$", re.I)

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
    text = _GLYPH_BULLETS.sub("*", text)
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(_TRANSLATE)
    text = _BRACKET_PIECES.sub(" ", text)
    text = _CONTROL.sub("", text)
    text = _PRIVATE_USE.sub(" ", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def tidy(text: str) -> str:
    """Join hyphenated line breaks and collapse runs of spaces and blank lines."""
    text = _HYPHEN_BREAK.sub(r"\1\2", text)
    text = _SPACES.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", text).strip()


def clean(text: str) -> str:
    return tidy(normalize(text))


def line_key(line: str) -> str:
    """Shape of a line with numbers blanked, so 'Section 2C Dimension 47' matches across pages."""
    return _DIGITS.sub("#", line.strip().lower())


def is_page_number(line: str) -> bool:
    s = line.strip().strip("-–— ")
    return bool(s) and (s.isdigit() or bool(_ROMAN.match(s)) and len(s) <= 6)


def find_running_lines(pages: list[list[str]], edge: int = 2) -> set[str]:
    """Keys of lines that recur at the top or bottom of pages: running headers and footers."""
    n = len(pages)
    if n < 2:
        return set()
    threshold = 3 if n >= 6 else max(2, -(-3 * n // 5))
    counts: Counter[str] = Counter()
    for lines in pages:
        lines = [line for line in lines if line.strip()]
        seen = {line_key(line) for line in lines[:edge] + lines[-edge:] if len(line.strip()) >= 4}
        counts.update(seen)
    return {key for key, c in counts.items() if c >= threshold and re.search(r"[a-z]", key)}


def strip_running_lines(lines: list[str], running: set[str], edge: int = 2) -> tuple[list[str], list[str]]:
    """Drop running headers/footers and bare page numbers at the page edges.

    Returns (kept lines, removed header lines) so callers can use a header as a section title.
    """
    removed: list[str] = []
    keep = list(lines)
    while keep and not keep[0].strip():
        keep.pop(0)
    while keep and not keep[-1].strip():
        keep.pop()
    for _ in range(edge):
        if keep and (line_key(keep[0]) in running or is_page_number(keep[0])):
            removed.append(keep.pop(0))
    for _ in range(edge):
        if keep and (line_key(keep[-1]) in running or is_page_number(keep[-1])):
            keep.pop()
    return keep, removed


def header_title(line: str) -> str | None:
    """A running header as a section title: page number removed, ALL CAPS softened."""
    title = re.sub(r"^\s*\d+\s+|\s+\d+\s*$", "", line).strip()
    if len(title) < 4 or not re.search(r"[A-Za-z]{3}", title):
        return None
    if title.isupper():
        title = title.title()
    return title
