"""Cleaning of extracted text: pure functions shared by loaders and query processing."""

from __future__ import annotations

import re
from collections import Counter

from ..textnorm import normalize

# "gener-\nalization" -> "generalization"; keep real hyphens such as "Karush-\nKuhn" (capital follows).
_HYPHEN_BREAK = re.compile(r"(\w)[-\u2010\u2011]\n([a-z])")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_BLANK_LINES = re.compile(r"\n{3,}")
_DIGITS = re.compile(r"\d+")
_ROMAN = re.compile(r"^[ivxlcdm]+$", re.I)




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
