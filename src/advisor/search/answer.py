"""Composing the extractive reply: ranked resources with reasons, and cited passages."""

from __future__ import annotations

import re
from typing import Callable

from ..library.catalog import Topic
from .guide import render_comparison, render_path
from ..store.keywords import keyword_tokens
from ..ingest.passages import chunk_kinds, environment_label, treatment
from ..types import Answer, Chunk, Hit, ResourceMatch

ACCESS_WORDS = {
    "free": "free PDF/text",
    "free-online": "free online",
    "paid": "paid",
    "archived": "archived (no longer offered)",
}
QUOTE_CHARS = 480

# Math in a passage, in the order Gradio lifts delimiters out of a message.
_MATH = re.compile(r"\$\$[^$]+?\$\$|\$[^$\n]+?\$|\\\([\s\S]+?\\\)|\\\[[\s\S]+?\\\]")
# Three plain words in a row are prose, not a formula: such a "$...$" pair means the passage was cut
# inside a formula and its dollars pair up the wrong way round.
_PROSE = re.compile(r"(?<![\\\w])[A-Za-z]{2,}[ ,;]+[A-Za-z]{2,}[ ,;]+[A-Za-z]{2,}\b")
# $$...$$ alone on its line(s) is a display formula; inside a line it is inline maths (Kramdown writes
# "if $$X$$ and $$Y$$ are independent"). Told apart before a quote's line breaks are dropped.
_DISPLAY = re.compile(r"(?m)^[ \t]*\$\$([^$]+?)\$\$[ \t]*$")
_INLINE_DOUBLE = re.compile(r"\$\$([^$\n]+?)\$\$")
_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")

Linker = Callable[[Chunk], str | None]


def focus_page(chunk: Chunk, question: str | None) -> int:
    """The page of a passage that holds most of the question's words (its first page when none or no breaks)."""
    if not chunk.page_breaks or not question:
        return chunk.page_start
    want = set(keyword_tokens(question))
    bounds = [(0, chunk.page_start), *chunk.page_breaks, (len(chunk.text), None)]
    best, best_hits = chunk.page_start, 0
    for (a, page), (b, _) in zip(bounds, bounds[1:]):
        hits = sum(1 for t in keyword_tokens(chunk.text[a:b]) if t in want)
        if hits > best_hits:
            best, best_hits = page, hits
    return best


def page_text(chunk: Chunk) -> str:
    """'p. 73 (PDF page 87)' or, when printed and PDF numbers agree, 'p. 87'."""
    def one(label, page):
        if label and label != str(page):
            return f"p. {label} (PDF page {page})"
        return f"p. {page}"

    if chunk.page_start == chunk.page_end:
        return one(chunk.label_start, chunk.page_start)
    if chunk.label_start and chunk.label_end and chunk.label_start != str(chunk.page_start):
        return f"pp. {chunk.label_start}-{chunk.label_end} (PDF pages {chunk.page_start}-{chunk.page_end})"
    return f"pp. {chunk.page_start}-{chunk.page_end}"


def citation(title: str, chunk: Chunk, has_pages: bool) -> str:
    """'Title, §Section, Theorem 6.7 (proof), p. 73 (PDF page 87)'."""
    parts = [title]
    if chunk.section:
        parts.append("§" + section_title(chunk))
    label = environment_label(chunk.text)
    kind = chunk_kinds(chunk)[0]
    if kind in ("prose", "catalog"):
        kind = ""
    if label and kind and kind not in label.lower():
        parts.append(f"{label} ({kind})")
    elif label or kind:
        parts.append(label or kind)
    if has_pages:
        parts.append(page_text(chunk))
    return ", ".join(parts)


def math_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each balanced formula; a "$" that would open prose is taken as a lone dollar."""
    spans = []
    pos = 0
    while (m := _MATH.search(text, pos)) is not None:
        segment = m.group(0)
        inner = segment[2:-2] if segment.startswith(("$$", "\\(", "\\[")) else segment[1:-1]
        single_dollar = segment.startswith("$") and not segment.startswith("$$")
        if not inner.strip() or (single_dollar and _PROSE.search(inner)):
            pos = m.start() + 1
            continue
        spans.append((m.start(), m.end()))
        pos = m.end()
    return spans


def section_title(chunk: Chunk) -> str:
    """The chunk's own section heading as a reader sees it: '**Properties**:' -> 'Properties'."""
    return _EMPHASIS.sub(r"\2", chunk.section[-1]).strip().rstrip(":").strip() if chunk.section else ""


def best_quote(text: str, query: str, limit: int = QUOTE_CHARS) -> str:
    """The stretch of a passage that shares most words with the question, cut at word boundaries
    and never inside a formula."""
    text = _DISPLAY.sub(lambda m: "\\[" + m.group(1) + "\\]", text)
    text = _INLINE_DOUBLE.sub(lambda m: "$" + m.group(1) + "$", text)
    text = _EMPHASIS.sub(r"\2", " ".join(text.split()))
    if len(text) <= limit:
        return text
    want = set(keyword_tokens(query))
    inside = math_spans(text)
    cuts = [m.end() for m in re.finditer(r"(?<=[.!?])\s+", text)
            if not any(a < m.start() < b for a, b in inside)]
    sentences = [text[a:b].strip() for a, b in zip([0, *cuts], [*cuts, len(text)])]
    best, best_score = 0, -1.0
    for i, _ in enumerate(sentences):
        window = " ".join(sentences[i:i + 3])
        score = len(want & set(keyword_tokens(window)))
        if score > best_score:
            best, best_score = i, score
    quote = ""
    for sentence in sentences[best:]:
        if len(quote) + len(sentence) + 1 > limit:
            break
        quote = f"{quote} {sentence}".strip()
    if not quote:
        quote = text[:limit].rsplit(" ", 1)[0]
    prefix = "… " if best > 0 else ""
    suffix = " …" if not text.endswith(quote) else ""
    return prefix + quote + suffix


def reasons_for(match: ResourceMatch, topics: dict[str, Topic]) -> list[str]:
    r = match.resource
    out: list[str] = []
    if r.from_catalog:
        facts = [ACCESS_WORDS.get(r.access or "", r.access or ""), r.kind]
        if r.level:
            facts.append(f"{r.level} level")
        if r.math_depth:
            facts.append(f"{r.math_depth} maths")
        out.append(", ".join(f for f in facts if f))
    else:
        out.append("a file in your library (no catalog record)")
    if match.matched_topics:
        out.append("covers " + ", ".join(topics[t].name if t in topics else t for t in match.matched_topics))
        chapters = [c.title for c in r.chapters if set(c.topics) & set(match.matched_topics)]
        if chapters:
            out.append("see " + "; ".join(chapters[:3]))
    if match.hits:
        paged = any(h.chunk.label_start or h.chunk.page_start > 1 for h in match.hits)
        told = treatment([(chunk_kinds(h.chunk), page_text(h.chunk) if paged else "full text") for h in match.hits])
        if told:
            out.append(told)
    if r.prerequisites:
        out.append("needs " + ", ".join(topics[t].name if t in topics else t for t in r.prerequisites[:4]))
    return out


def compose(question: str, covered: bool, resources: list[ResourceMatch], passages: list[Hit],
            titles: dict[str, str], topics: dict[str, Topic], linker: Linker, paged: Callable[[Chunk], bool],
            study_path: list | None = None, comparison: list | None = None) -> Answer:
    for m in resources:
        m.reasons = reasons_for(m, topics)
    answer = Answer(question=question, covered=covered, resources=resources if covered else [],
                    passages=passages if covered else [], study_path=(study_path or []) if covered else [],
                    comparison=(comparison or []) if covered else [])
    answer.text = render_markdown(answer, titles, linker, paged)
    return answer


def render_markdown(answer: Answer, titles: dict[str, str], linker: Linker, paged: Callable[[Chunk], bool]) -> str:
    if not answer.covered:
        return (
            "**Nothing in the indexed corpus covers this.** I found no passage or resource that matches "
            "the question closely enough, so I won't guess. Try other words, or add a resource that covers it."
        )
    lines = ["### Recommended resources"]
    for n, m in enumerate(answer.resources, 1):
        r = m.resource
        head = f"{n}. **{r.title}**"
        if r.authors:
            head += " — " + ", ".join(r.authors[:3]) + (" et al." if len(r.authors) > 3 else "")
        if r.year:
            head += f" ({r.year})"
        lines.append(head)
        if m.reasons:
            lines.append("   " + "; ".join(m.reasons) + ".")
        link = r.pdf_url or r.url
        if link and r.from_catalog:
            lines.append(f"   <{link}>")
    if answer.comparison:
        lines += ["", "### How your books treat it", render_comparison(answer.comparison)]
    if answer.study_path:
        def cite(h: Hit) -> str:
            return citation(titles.get(h.resource_id, h.chunk.path), h.chunk, paged(h.chunk))

        lines += ["", "### Study path (prerequisites first)", render_path(answer.study_path, cite)]
    if answer.passages:
        lines.append("")
        lines.append("### Passages")
        for n, h in enumerate(answer.passages, 1):
            title = titles.get(h.resource_id, h.chunk.path)
            cite = citation(title, h.chunk, paged(h.chunk))
            link = linker(h.chunk)
            cite_md = f"[{cite}]({link})" if link else cite
            quote = best_quote(h.chunk.text, answer.question)
            lines.append(f"{n}. {cite_md}")
            lines.append("   > " + quote)
    return "\n".join(lines)
