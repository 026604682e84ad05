"""Structure-aware chunking: pure functions from a Document to token-bounded Chunks."""

from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import dataclass
from typing import Callable, Sequence

from ..types import Block, Chunk, Document

# A tokenizer as the chunker sees it: text -> (start, end) character spans of its tokens.
TokenSpans = Callable[[str], Sequence[tuple[int, int]]]

_BREAKS = (re.compile(r"\n\s*\n"), re.compile(r"(?<=[.!?:;])\s"), re.compile(r"\n"), re.compile(r"\s"))
MIN_SEGMENT_CHARS = 200
SAFETY_TOKENS = 2  # tokens of slack: a slice can tokenize a little differently than in context


@dataclass
class Segment:
    section: tuple[str, ...]
    text: str
    starts: list[int]  # char offset where each page run starts
    pages: list[tuple[int, str | None]]


def segments(blocks: Sequence[Block]) -> list[Segment]:
    """Join consecutive blocks of one section; fold tiny sections into the next one."""
    out: list[Segment] = []
    for block in blocks:
        text = block.text.strip()
        if not text:
            continue
        cur = out[-1] if out else None
        if cur is not None and (cur.section == block.section or len(cur.text) < MIN_SEGMENT_CHARS):
            sep = "\n\n" if cur.pages[-1][0] == block.page else "\n"
            if cur.section != block.section:
                cur.section = block.section
            cur.starts.append(len(cur.text) + len(sep))
            cur.pages.append((block.page, block.page_label))
            cur.text += sep + text
        else:
            out.append(Segment(block.section, text, [0], [(block.page, block.page_label)]))
    return out


def header(section: tuple[str, ...]) -> str:
    """Context line embedded with every chunk of a section (not shown as quote)."""
    return " > ".join(section[-2:])


def windows(text: str, spans: Sequence[tuple[int, int]], budget: int, overlap: int) -> list[tuple[int, int]]:
    """Character windows of at most `budget` tokens, cut at whitespace, overlapping by ~`overlap` tokens."""
    n = len(spans)
    if n == 0:
        return []
    if n <= budget:
        return [(spans[0][0], spans[-1][1])]
    out: list[tuple[int, int]] = []
    ends = [e for _, e in spans]
    i = 0
    while i < n:
        if n - i <= budget:
            out.append((spans[i][0], spans[-1][1]))
            break
        start = spans[i][0]
        cut = _best_cut(text, start, spans[i + budget][0], spans[i + budget // 2][0])
        out.append((start, cut))
        j_cut = max(bisect.bisect_right(ends, cut), i + 1)
        nxt = max(i + 1, j_cut - overlap)
        while nxt < j_cut and not text[spans[nxt][0] - 1].isspace():
            nxt += 1  # never start inside a word
        i = nxt
    return out


def _best_cut(text: str, start: int, limit: int, earliest: int) -> int:
    """Last good break before `limit`; whitespace at worst, a token boundary if there is none."""
    region = text[earliest:limit]
    for pattern in _BREAKS:
        matches = list(pattern.finditer(region))
        if matches:
            return earliest + matches[-1].start()
    region = text[start:limit]
    spaces = [m.start() for m in re.finditer(r"\s", region)]
    if spaces and spaces[-1] > 0:
        return start + spaces[-1]
    return limit  # one 'word' longer than the budget (a formula): cut between tokens


def chunk_document(doc: Document, token_spans: TokenSpans, max_tokens: int, overlap: int) -> list[Chunk]:
    chunks: list[Chunk] = []
    for seg in segments(doc.blocks):
        head = header(seg.section)
        budget = max(16, max_tokens - len(token_spans(head)) - 1 - SAFETY_TOKENS) if head else max_tokens - SAFETY_TOKENS
        spans = token_spans(seg.text)
        for a, b in windows(seg.text, spans, budget, min(overlap, budget // 3)):
            body = seg.text[a:b].strip()
            if not body:
                continue
            first = bisect.bisect_right(seg.starts, a) - 1
            last = bisect.bisect_right(seg.starts, max(a, b - 1)) - 1
            (p0, l0), (p1, l1) = seg.pages[first], seg.pages[last]
            lead = len(seg.text[a:b]) - len(seg.text[a:b].lstrip())
            chunks.append(Chunk(
                id=_chunk_id(doc.path, len(chunks)),
                path=doc.path,
                text=body,
                page_start=p0,
                page_end=p1,
                label_start=l0,
                label_end=l1,
                section=seg.section,
                page_breaks=_page_breaks(seg, first, last, a + lead, len(body)),
            ))
    return chunks


def _page_breaks(seg: Segment, first: int, last: int, start: int, length: int) -> tuple[tuple[int, int], ...]:
    """(offset in the passage, page) where a later page begins; runs of the same page are not breaks."""
    out = []
    for run in range(first + 1, last + 1):
        if seg.pages[run][0] != seg.pages[run - 1][0] and 0 < seg.starts[run] - start < length:
            out.append((seg.starts[run] - start, seg.pages[run][0]))
    return tuple(out)


def embedding_text(chunk: Chunk) -> str:
    head = header(chunk.section)
    return f"{head}\n{chunk.text}" if head else chunk.text


def _chunk_id(path: str, n: int) -> str:
    return f"{hashlib.sha1(path.encode()).hexdigest()[:10]}-{n:05d}"
