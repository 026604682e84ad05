"""The Library tab's "Get the free books": the list of official free PDFs, the download buttons and their progress
(the same code as `advisor fetch`, through the facade)."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import gradio as gr

from ..errors import UserInputError
from .render import esc
from .status import fetch_status_html, free_books_hint_html, free_books_html

GOOD_FOR_CHARS = 160
_SENTENCE_END = re.compile(r"(?<=[.!?])\s")


class FetchHandlers:
    """The "Get the free books" section: which books, downloads in the background, their progress."""

    advisor: object
    corpus_dir: Path
    poll: object

    def free_books(self) -> list[dict]:
        """Catalog records with a free PDF: id, title, good_for, held (indexed | downloaded | missing)."""
        rows = {r["id"]: r for r in self.advisor.library()[0]}
        topics = self.advisor.topics
        books = []
        for r in self.free_records():
            if rows.get(r.id, {}).get("state") == "indexed":
                held = "indexed"
            else:
                folder = self.corpus_dir / "texts" / r.id
                held = "downloaded" if folder.is_dir() and any(folder.glob("*.pdf")) else "missing"
            books.append({"id": r.id, "title": r.title, "good_for": good_for(r, topics), "held": held,
                          "breadth": len(r.topics)})
        return books

    def free_records(self) -> list:
        records = self.advisor.catalog().resources.values()
        return sorted((r for r in records if r.pdf_url and r.is_free), key=lambda r: r.title.lower())

    def book_choices(self) -> list[tuple[str, str]]:
        """(title, id) of each free book; reads the catalog only, so building the page loads no model."""
        return [(r.title, r.id) for r in self.free_records()]

    def fetch_html(self) -> str:
        titles = {rid: r.title for rid, r in self.advisor.catalog().resources.items()}
        status = self.advisor.fetch_status
        if status.rebuild_started and not self.advisor.build_status.running:
            # the build that indexes the new files has ended (the banner says how): no longer "being updated"
            status = dataclasses.replace(status, rebuild_started=False)
        return fetch_status_html(status, titles)

    def fetch_key(self) -> tuple:
        st, build = self.advisor.fetch_status, self.advisor.build_status
        return (st.started_at, st.running, build.started_at, build.running)

    def fetch_load(self):
        books = self.free_books()
        return free_books_html(books), free_books_hint_html(books), self.fetch_html(), self.fetch_key()

    def download(self, ids=None):
        """Start downloading the chosen books; returns (status HTML, timer)."""
        ids = [i for i in (ids or []) if i]
        if not ids:
            gr.Warning("Choose at least one book to download.")
            return gr.skip(), gr.skip()
        try:
            started = self.advisor.fetch_in_background(ids)
        except UserInputError as exc:
            gr.Warning(esc(str(exc)))
            return gr.skip(), gr.skip()
        if not started:
            gr.Info("Downloads are already running: cancel them or wait for them to finish.")
        return self.fetch_html(), self.poll()

    def download_all(self):
        return self.download([r.id for r in self.free_records()])

    def cancel_downloads(self) -> str:
        self.advisor.cancel_fetch()
        return self.fetch_html()

    def fetch_tick(self, seen=None):
        """Download progress while it runs; the book list (and the chat's hint) again when downloads or a build end."""
        key = self.fetch_key()
        if self.advisor.fetch_status.running:
            return self.fetch_html(), gr.skip(), gr.skip(), key
        if key == seen:
            return gr.skip(), gr.skip(), gr.skip(), seen
        books = self.free_books()
        return self.fetch_html(), free_books_html(books), free_books_hint_html(books), key


def good_for(resource, topics: dict) -> str:
    """The first sentence of the description, else the first topics' names."""
    text = " ".join((resource.description or "").split())
    if text:
        first = _SENTENCE_END.split(text, 1)[0]
        return first if len(first) <= GOOD_FOR_CHARS else first[: GOOD_FOR_CHARS - 1].rstrip() + "…"
    names = [getattr(topics.get(t), "name", t) for t in resource.topics[:3]]
    return ", ".join(names)
