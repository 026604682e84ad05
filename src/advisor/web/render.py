"""HTML/Markdown for the chat: answer cards, cited passages, study paths, comparison tables (status.py: the rest).

Everything that comes from documents, records or users is escaped here. Chat replies are Markdown with
HTML blocks. Gradio lifts LaTeX out of the raw message before parsing it, then runs KaTeX's auto-render
over the resulting page, where character references are plain `$` and `\\` again. So a stray `$` or
`\\` in document text is put in an element of its own (auto-render pairs delimiters only within one
run of text) and `%` becomes a character reference: math pairs inside one quote still render, but a
lone dollar cannot pair with the next formula and swallow the text in between.
"""

from __future__ import annotations

import html
import re
from typing import Callable
from urllib.parse import quote, urlparse

from ..service import ACCESS_WORDS, best_quote, math_spans, page_text, section_title
from ..types import Answer, Chunk, ComparisonRow, Hit, ResourceMatch, Step

FILE_ROUTE = "/corpus-file"

ACCESS_BADGES = {
    "free": ("free", "adv-free"),
    "free-online": ("free online", "adv-free"),
    "paid": ("paid", "adv-paid"),
    "archived": ("archived", "adv-archived"),
}

NOT_COVERED = (
    "**Nothing in the indexed corpus covers this.** I found no passage or resource that matches the question "
    "closely enough, so I won't guess. Try other words, or add a resource that covers it in the Library tab."
)

# Macros that ML notes define for themselves (in a preamble or the site's MathJax set-up) and KaTeX
# does not know; left alone they show as red error text.
_MACROS = {"E": r"\mathbb{E}", "Expect": r"\mathbb{E}", "bx": r"\mathbf{x}", "bfx": r"\mathbf{x}",
           "bz": r"\mathbf{z}", "giv": r"\mid", "veps": r"\varepsilon", "D": r"\mathcal{D}",
           "Normal": r"\mathcal{N}", "ELBO": r"\mathrm{ELBO}"}
_MACRO = re.compile(r"\\(" + "|".join(sorted(_MACROS, key=len, reverse=True)) + r")(?![A-Za-z])")

_LONE_DOLLAR = '<span class="adv-lit">&#36;</span>'
_LONE_BACKSLASH = '<span class="adv-lit">&#92;</span>'


def _neutral(escaped: str) -> str:
    """Characters that could open LaTeX or collide with Gradio's placeholders become references."""
    return escaped.replace("%", "&#37;").replace("$", _LONE_DOLLAR).replace("\\", _LONE_BACKSLASH)


def esc(text) -> str:
    """Text for an HTML block: none of its own markup or attributes, and no LaTeX."""
    return _neutral(html.escape(str(text if text is not None else ""), quote=True))


def esc_math(text) -> str:
    """Like esc(), but balanced $...$, $$...$$, \\(...\\) and \\[...\\] inside the text still render as LaTeX."""
    text = " ".join(str(text or "").split())
    out: list[str] = []
    pos = 0
    for a, b in math_spans(text):
        segment = text[a:b]
        if "$" in segment[2:-2] and not segment.startswith("$"):
            continue
        segment = _MACRO.sub(lambda m: _MACROS[m.group(1)], segment)
        before = esc(text[pos:a])
        if not before and out and out[-1].endswith("$"):
            before = "<span></span>"  # "$a$$b$" would read as a $$ display delimiter
        out.append(before)
        out.append(html.escape(segment, quote=True).replace("%", "&#37;"))
        pos = b
    out.append(esc(text[pos:]))
    return "".join(out)


def file_url(key: str, page: int | None = None) -> str:
    url = f"{FILE_ROUTE}/{quote(key, safe='/')}"
    return f"{url}#page={int(page)}" if page else url


def _safe_external(url: str | None) -> str | None:
    if not url:
        return None
    parsed = urlparse(url)
    return url if parsed.scheme in ("http", "https") and parsed.netloc else None


def _a(href: str, text_html: str, cls: str = "") -> str:
    klass = f' class="{cls}"' if cls else ""
    return f'<a{klass} href="{html.escape(href, quote=True)}" target="_blank" rel="noopener noreferrer">{text_html}</a>'


def badges(r) -> str:
    parts = []
    if r.access:
        label, cls = ACCESS_BADGES.get(r.access, (r.access, "adv-archived"))
        parts.append(f'<span class="adv-badge {cls}">{esc(label)}</span>')
    if r.kind:
        parts.append(f'<span class="adv-badge adv-kind">{esc(r.kind)}</span>')
    if r.level:
        parts.append(f'<span class="adv-badge adv-level">{esc(r.level)}</span>')
    if r.math_depth:
        parts.append(f'<span class="adv-badge adv-depth">maths: {esc(r.math_depth)}</span>')
    return f'<div class="adv-badges">{"".join(parts)}</div>'


Linker = Callable[[Chunk], "str | None"]


def card_html(n: int, m: ResourceMatch, linker: Linker, paged: Callable[[Chunk], bool]) -> str:
    r = m.resource
    external = _safe_external(r.url) or _safe_external(r.pdf_url)
    title = esc(r.title)
    title_html = _a(external, title) if external else title
    meta = []
    if r.authors:
        meta.append(esc(", ".join(r.authors[:4]) + (" et al." if len(r.authors) > 4 else "")))
    if r.year:
        meta.append(esc(r.year))
    if not r.from_catalog:
        meta.append("file in your library")
    facts = _facts_line(r)
    reasons = [x for x in m.reasons if x != facts] or m.reasons
    reasons_html = "".join(f"<li>{esc_math(x)}</li>" for x in reasons)
    links = []
    for h in m.hits[:1]:
        href = linker(h.chunk)
        if href:
            where = f"at {page_text(h.chunk)}" if paged(h.chunk) else ""
            label = "Open the PDF" if paged(h.chunk) else "Open the file"
            links.append(_a(href, esc(f"{label} {where}".strip()), "adv-open"))
    return (
        f'<div class="adv-card"><div class="adv-card-title"><span class="adv-rank">{n}</span>{title_html}</div>'
        + (f'<div class="adv-card-meta">{" · ".join(meta)}</div>' if meta else "")
        + badges(r)
        + (f'<ul class="adv-reasons">{reasons_html}</ul>' if reasons_html else "")
        + (f'<div class="adv-card-links">{"".join(links)}</div>' if links else "")
        + "</div>"
    )


def _facts_line(r) -> str:
    """The composer's first reason repeats the badges; recognised here so the card doesn't say it twice."""

    facts = [ACCESS_WORDS.get(r.access or "", r.access or ""), r.kind]
    if r.level:
        facts.append(f"{r.level} level")
    if r.math_depth:
        facts.append(f"{r.math_depth} maths")
    return ", ".join(f for f in facts if f)


def passage_html(n: int, h: Hit, title: str, question: str, linker: Linker, paged: Callable[[Chunk], bool]) -> str:
    c = h.chunk
    href = linker(c)
    title_html = _a(href, esc(title)) if href else esc(title)
    bits = [title_html]
    if c.section:
        bits.append(f'<span class="adv-section">§{esc_math(section_title(c))}</span>')
    if paged(c):
        page = esc(page_text(c))
        bits.append(_a(href, page, "adv-page") if href else f'<span class="adv-page">{page}</span>')
    quote_text = best_quote(c.text, question)
    return (
        f'<div class="adv-passage"><div class="adv-cite"><span class="adv-rank">{n}</span>{" · ".join(bits)}</div>'
        f'<blockquote class="adv-quote">{esc_math(quote_text)}</blockquote></div>'
    )


def reply_markdown(answer: Answer, titles: dict[str, str], linker: Linker, paged: Callable[[Chunk], bool],
                   intro: str | None = None, extra_notes: list[str] | None = None) -> str:
    """The chat reply: optional intro line, resource cards, cited passages, notes."""
    parts: list[str] = []
    if intro:
        parts.append(intro)
    if not answer.covered:
        parts.append(NOT_COVERED)  # fixed wording: nothing from the documents is echoed
        return "\n\n".join(parts)
    if answer.resources:
        parts.append("#### Recommended resources")
        parts.append('<div class="adv-cards">' + "".join(
            card_html(i, m, linker, paged) for i, m in enumerate(answer.resources, 1)) + "</div>")
    if answer.study_path:
        parts.append("#### Study path")
        parts.append(study_path_html(answer.study_path, linker, paged))
    if answer.comparison:
        parts.append("#### How your resources treat it")
        parts.append(comparison_html(answer.comparison))
    if answer.passages:
        parts.append("#### Cited passages")
        parts.append('<div class="adv-passages">' + "".join(
            passage_html(i, h, titles.get(h.resource_id, h.chunk.path), answer.question, linker, paged)
            for i, h in enumerate(answer.passages, 1)) + "</div>")
    if not answer.resources and not answer.passages:
        parts.append("No resource matches these filters. Loosen the filters and ask again.")
    notes = list(answer.notes) + list(extra_notes or [])
    if notes:
        parts.append('<div class="adv-notes">' + " · ".join(esc(x) for x in notes) + "</div>")
    return "\n\n".join(parts)


def study_path_html(steps: list[Step], linker: Linker, paged: Callable[[Chunk], bool]) -> str:
    """The study path as an ordered list: foundations first, each step with its resource and a passage link."""
    items = []
    for s in steps:
        bits = [f"<b>{esc(s.name)}</b>"]
        if s.resource is not None:
            external = _safe_external(s.resource.url) or _safe_external(s.resource.pdf_url)
            title = esc(s.resource.title)
            bits.append(_a(external, title) if external else title)
            if s.chapter:
                bits.append(f"chapter “{esc_math(s.chapter)}”")
        if s.passage is not None:
            href = linker(s.passage.chunk)
            where = page_text(s.passage.chunk) if paged(s.passage.chunk) else "the passage"
            if href:
                bits.append(_a(href, esc(f"see {where}"), "adv-open"))
        items.append(f"<li>{' — '.join(bits)}</li>")
    return f'<ol class="adv-path">{"".join(items)}</ol>'


def comparison_html(rows: list[ComparisonRow]) -> str:
    """The comparison as a table: where each resource defines, proves, illustrates and drills the topic."""
    head = "".join(f"<th>{h}</th>" for h in ("Resource", "Defines", "Proves", "Examples", "Exercises", "Pages", "Maths"))
    body = []
    for row in rows:
        r = row.resource
        external = _safe_external(r.url) or _safe_external(r.pdf_url)
        title = _a(external, esc(r.title)) if external else esc(r.title)
        cells = [", ".join(v[:4]) or "–" for v in (row.defines, row.proves, row.examples, row.exercises, row.pages)]
        body.append("<tr><td>" + title + "</td>" + "".join(f"<td>{esc(c)}</td>" for c in cells)
                    + f"<td>{esc(r.math_depth or '–')}</td></tr>")
    return f'<table class="adv-compare"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def user_markdown(question: str) -> str:
    return html.escape(question, quote=False)
