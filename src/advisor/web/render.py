"""HTML/Markdown for the browser: answer cards, cited passages, build progress, the library table.

Everything that comes from documents, records or users is escaped here. Chat replies are Markdown with
HTML blocks. Gradio lifts LaTeX out of the raw message before parsing it, then runs KaTeX's auto-render
over the resulting page, where character references are plain `$` and `\\` again. So a stray `$` or
`\\` in document text is put in an element of its own (auto-render pairs delimiters only within one
run of text) and `%` becomes a character reference: math pairs inside one quote still render, but a
lone dollar cannot pair with the next formula and swallow the text in between.
"""

from __future__ import annotations

import calendar
import html
import re
import time
from typing import Callable
from urllib.parse import quote, urlparse

from ..service import ACCESS_WORDS, best_quote, math_spans, page_text, section_title
from ..types import Answer, Chunk, ComparisonRow, Hit, Progress, ResourceMatch, Step

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


# --- build progress and index status ----------------------------------------------------------------

def _duration(seconds: float | None) -> str:
    if seconds is None:
        return ""
    seconds = max(0, int(round(seconds)))
    if seconds < 60:
        return f"{seconds} s"
    minutes, sec = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {sec:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


STAGES = {
    "scanning": "scanning the corpus",
    "reading": "reading files",
    "embedding": "reading and embedding",
    "writing": "writing the index",
    "done": "finishing",
}


def progress_text(p: Progress | None) -> str:
    if p is None:
        return "starting up (loading the embedding model)"
    parts = [STAGES.get(p.stage, p.stage)]
    if p.files_total:
        parts.append(f"{p.files_done} of {p.files_total} files")
    if p.pages_done:
        parts.append(f"{p.pages_done} PDF pages")
    if p.chunks_done:
        parts.append(f"{p.chunks_done} chunks embedded")
    eta = p.eta_seconds
    if eta is not None and eta >= 1:
        parts.append(f"about {_duration(eta)} left")
    return ", ".join(parts)


def progress_html(status, has_index: bool = True) -> str:
    """The build banner: a progress bar while building, the outcome afterwards, nothing when idle."""
    if status.running:
        p = status.progress
        frac = (p.files_done / p.files_total) if p is not None and p.files_total else 0.0
        if p is not None and p.stage in ("writing", "done"):
            frac = 1.0
        pct = int(round(frac * 100))
        return (
            '<div class="adv-build adv-build-running" role="status">'
            f'<div class="adv-build-text"><b>Building the index</b> — {esc(progress_text(p))}. '
            + ("Resources are recommended already; cited passages appear when the full texts are in."
               if getattr(status, "stage", None) else
               "The chat keeps answering from the previous index until the new one is ready."
               if has_index else "The chat answers as soon as it is ready.")
            + "</div>"
            f'<div class="adv-bar"><div class="adv-bar-fill" style="width:{pct}%"></div></div></div>'
        )
    if status.error:
        return (f'<div class="adv-build adv-build-error" role="alert"><b>Index build failed:</b> {esc(status.error)}. '
                "Fix the problem and click <b>Rebuild index</b> again.</div>")
    if status.report is not None:
        r = status.report
        took = _duration((status.finished_at or 0) - (status.started_at or 0)) if status.started_at else ""
        if r.noop:
            text = f"The index is up to date ({r.files_total} files, nothing to embed)."
        else:
            text = (f"Index updated: {r.files_total} files ({len(r.added)} added, {len(r.changed)} changed, "
                    f"{len(r.removed)} removed), {r.chunks_total} chunks, {r.pages_read} PDF pages read"
                    + (f", in {took}" if took else "") + ".")
        if r.skipped:
            text += f" {len(r.skipped)} file(s) skipped (see the Library tab)."
        return f'<div class="adv-build adv-build-done" role="status">{esc(text)}</div>'
    return ""


def building_reply(status) -> str:
    return ("**The index is being built** — " + esc(progress_text(status.progress))
            + ". I'll answer as soon as the first index is ready; ask again in a moment.")


def index_status_html(info: dict | None, problem: str | None = None, building: bool = False) -> str:
    if info is None:
        if building:
            return '<div class="adv-status adv-status-warn">No index yet: the first one is being built…</div>'
        msg = problem or "No index yet."
        return (f'<div class="adv-status adv-status-bad">{esc(msg)} Click <b>Rebuild index</b> '
                "in the Library tab (or run <code>advisor index --rebuild</code>).</div>")
    c = info.get("counts") or {}
    built = _when(info.get("built_at"))
    return (
        '<div class="adv-status adv-status-ok">'
        f"Index: <b>{esc(c.get('chunks', 0))}</b> chunks · {esc(c.get('files', 0))} files · "
        f"{esc(c.get('pages', 0))} PDF pages · {esc(c.get('resources', 0))} resources<br>"
        f"model <code>{esc(info.get('model'))}</code> · built {esc(built)}</div>"
    )


def _when(stamp: str | None) -> str:
    if not stamp:
        return "at an unknown time"
    try:
        t = calendar.timegm(time.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ"))
        return time.strftime("%Y-%m-%d %H:%M", time.localtime(t))
    except (ValueError, OverflowError):
        return stamp


def library_html(rows: list[dict], skipped: list[dict] | None = None) -> str:
    """The Library table; each row: id, title, kind, access, status, files, pages, chunks, last_indexed."""
    head = ("<tr><th>Resource</th><th>Kind</th><th>Access</th><th>Status</th><th>Files</th>"
            "<th>Pages</th><th>Chunks</th><th>Last indexed</th></tr>")
    body = []
    for r in rows:
        label, cls = ACCESS_BADGES.get(r.get("access") or "", (r.get("access") or "", "adv-archived"))
        status_cls = {"indexed": "adv-ok", "pending": "adv-warn", "record": "adv-muted"}.get(r.get("state", ""), "")
        body.append(
            "<tr>"
            f'<td><div class="adv-lib-title">{esc(r.get("title"))}</div><div class="adv-lib-id">{esc(r.get("id"))}</div></td>'
            f'<td>{esc(r.get("kind") or "")}</td>'
            f'<td><span class="adv-badge {cls}">{esc(label)}</span></td>'
            f'<td class="{status_cls}">{esc(r.get("status"))}</td>'
            f'<td class="num">{esc(r.get("files") or "")}</td><td class="num">{esc(r.get("pages") or "")}</td>'
            f'<td class="num">{esc(r.get("chunks") or "")}</td><td>{esc(_when(r["last_indexed"]) if r.get("last_indexed") else "")}</td>'
            "</tr>"
        )
    n_indexed = sum(1 for r in rows if r.get("state") == "indexed")
    summary = f"{len(rows)} resources, {n_indexed} with indexed full text"
    out = [f'<div class="adv-lib-summary">{esc(summary)}</div>',
           f'<div class="adv-lib"><table class="adv-lib-table"><thead>{head}</thead><tbody>{"".join(body)}</tbody></table></div>']
    if skipped:
        items = "".join(f"<li><code>{esc(s.get('file'))}</code>: {esc(s.get('reason'))}</li>" for s in skipped)
        out.append(f'<details class="adv-skipped"><summary>{len(skipped)} file(s) skipped by the last build</summary><ul>{items}</ul></details>')
    return "".join(out)


# --- free books to download -------------------------------------------------------------------------

FREE_LICENCE = "free to read; downloaded from the author's site to your machine, never redistributed"
_HELD = {
    "indexed": ("in your library (indexed)", "adv-ok"),
    "downloaded": ("downloaded, not indexed yet", "adv-warn"),
    "missing": ("not downloaded", "adv-muted"),
}
_FETCH_STATES = {"pending": "adv-muted", "downloading": "adv-warn", "done": "adv-ok", "already here": "adv-ok",
                 "cancelled": "adv-muted"}


def free_books_html(books: list[dict]) -> str:
    """The free books that can be downloaded; each: id, title, good_for, held (indexed | downloaded | missing)."""
    if not books:
        return '<div class="adv-fetch-empty">No catalog record names a free PDF to download.</div>'
    body = []
    for b in books:
        label, cls = _HELD.get(b.get("held", ""), (b.get("held", ""), ""))
        body.append(
            f'<tr><td><div class="adv-lib-title">{esc(b.get("title"))}</div>'
            f'<div class="adv-lib-id">{esc(b.get("id"))}</div></td>'
            f'<td>{esc(b.get("good_for") or "")}</td><td class="{cls}">{esc(label)}</td></tr>'
        )
    return (f'<div class="adv-licence">{esc(FREE_LICENCE)}</div>'
            '<div class="adv-lib"><table class="adv-lib-table adv-free-books"><thead><tr><th>Book</th>'
            f'<th>Good for</th><th>In your library</th></tr></thead><tbody>{"".join(body)}</tbody></table></div>')


def free_books_hint_html(books: list[dict], shown: int = 3) -> str:
    """Above the chat: which free books are not in the library yet, and where to get them."""
    # the broadest books first: the ones most answers would quote
    missing = sorted((b for b in books if b.get("held") == "missing"), key=lambda b: -b.get("breadth", 0))
    if not missing:
        return ""
    names = ", ".join(esc(b["title"]) for b in missing[:shown]) + (", …" if len(missing) > shown else "")
    n = len(missing)
    return (f'<div class="adv-hint" role="note"><b>{n} free book{"s" if n != 1 else ""} '
            f'{"are" if n != 1 else "is"} not in your library yet</b> ({names}): answers can only quote what '
            'is indexed. Open the <b>Library</b> tab → <b>Get the free books</b> to download them from their '
            'authors\' sites to this machine, or run <code>advisor fetch --all-free</code>.</div>')


def fetch_status_html(status, titles: dict[str, str] | None = None) -> str:
    """Per-file download state and overall progress; nothing before the first download."""
    if not status.files:
        return ""
    titles = titles or {}
    files = list(status.files.items())
    total, done = len(files), sum(1 for _, s in files if s not in ("pending", "downloading"))
    pct = int(round(done / total * 100)) if total else 0
    items = "".join(
        f'<li><span class="adv-fetch-title">{esc(titles.get(rid, rid))}</span> '
        f'<span class="adv-fetch-state {_FETCH_STATES.get(state, "adv-bad")}">{esc(state)}</span></li>'
        for rid, state in files)
    if status.running:
        head = f"Downloading the free books — {done} of {total} finished"
        if status.cancel_requested:
            head += "; cancelling after the current file"
        cls = "adv-build-running"
    else:
        failed = sum(1 for _, s in files if s.startswith("failed"))
        head = f"Downloads finished: {len(status.new_files)} new, {failed} failed, of {total}"
        if status.rebuild_started:
            head += "; the index is being updated with the new files"
        cls = "adv-build-error" if status.error else "adv-build-done"
    error = f"<div><b>{esc(status.error)}</b></div>" if status.error else ""
    return (f'<div class="adv-build adv-fetch {cls}" role="status"><div class="adv-build-text">{esc(head)}.</div>'
            f'{error}<div class="adv-bar"><div class="adv-bar-fill" style="width:{pct}%"></div></div>'
            f'<ul class="adv-fetch-files">{items}</ul></div>')
