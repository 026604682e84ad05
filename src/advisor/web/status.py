"""HTML for the app's state: build progress and timings, the index status line, the library table, the free
books to download and their download progress. Everything from files, records or users is escaped."""

from __future__ import annotations

import calendar
import time

from ..types import Progress
from .render import ACCESS_BADGES, esc

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
