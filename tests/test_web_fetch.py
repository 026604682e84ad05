"""The Library tab's "Get the free books": downloads in the background from a local HTTP server, then a rebuild.

The Handlers methods are called directly (no browser); the PDFs come from http.server on 127.0.0.1.
"""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import gradio as gr
import pytest
from pdfgen import raw_pdf

from advisor.types import FetchStatus
from advisor.web.render import esc
from advisor.web.status import FREE_LICENCE, fetch_status_html, free_books_html
from advisor.web.fetching import good_for
from advisor.web.ui import BUSY_POLL, Handlers

PDFS = {
    "/books/alpha.pdf": raw_pdf(["Alpha Book\nThe alpha book explains gradient descent with momentum in detail."]),
    "/books/beta.pdf": raw_pdf(["Beta Book\nThe beta book covers singular value decomposition of matrices."]),
}
RECORD = """---
id: {id}
title: "{title}"
authors: [Free Author]
year: 2021
kind: book
url: https://example.org/{id}
pdf_url: {url}
access: free
level: intro
math_depth: applied
topics: [linear-algebra]
---
{body}
"""


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # keep test output quiet
        pass

    def do_GET(self):  # noqa: N802
        srv = self.server
        srv.requests.append(self.path)
        if self.path == "/books/gate.pdf":
            srv.gate.wait(10)  # held until the test has pressed Cancel
            body = PDFS["/books/alpha.pdf"]
        else:
            body = PDFS.get(self.path)
        if body is None:
            self.send_response(404)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", "9")
            self.end_headers()
            self.wfile.write(b"not here\n")
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/pdf")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def server():
    srv = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    srv.requests, srv.gate = [], threading.Event()
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}", srv
    srv.gate.set()
    srv.shutdown()
    srv.server_close()


def add_records(corpus, base: str, books: list[tuple[str, str, str]]) -> None:
    for rid, title, path in books:
        (corpus / "catalog" / f"{rid}.md").write_text(RECORD.format(
            id=rid, title=title, url=base + path, body=f"{title} is good for learning. It has exercises."),
            encoding="utf-8")


@pytest.fixture
def toasts(monkeypatch):
    shown = []
    monkeypatch.setattr(gr, "Warning", lambda message, **kw: shown.append(message))
    monkeypatch.setattr(gr, "Info", lambda message, **kw: shown.append(message))
    return shown


def wait_until(predicate, timeout: float = 20.0) -> None:
    end = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.02)


def test_download_all_fetches_each_file_reports_failures_and_reindexes(advisor, corpus, server):
    base, _ = server
    add_records(corpus, base, [("alpha-book", "Alpha Book", "/books/alpha.pdf"),
                               ("beta-book", "Beta Book", "/books/beta.pdf"),
                               ("gone-book", "Gone Book", "/books/gone.pdf")])
    h = Handlers(advisor)
    books = {b["id"]: b for b in h.free_books()}
    # learning-notes is free but names no pdf_url; convex-book is paid
    assert set(books) == {"alpha-book", "beta-book", "gone-book"}
    assert books["alpha-book"]["held"] == "missing" and books["alpha-book"]["good_for"] == "Alpha Book is good for learning."
    table, hint, status_html, seen = h.fetch_load()
    assert esc(FREE_LICENCE) in table and "not downloaded" in table and status_html == ""
    # the chat says which free books are missing and where to get them
    assert "3 free books are not in your library yet" in hint and "Get the free books" in hint
    assert all(t in hint for t in ("Alpha Book", "Beta Book", "Gone Book"))

    html, timer = h.download_all()
    assert "Downloading the free books" in html and timer.value == BUSY_POLL
    status = advisor.wait_for_fetch(30)
    assert not status.running and status.error is None
    assert status.files["alpha-book"] == "done" and status.files["beta-book"] == "done"
    assert status.files["gone-book"].startswith("failed: not found (HTTP 404)")
    assert (corpus / "texts" / "alpha-book" / "alpha.pdf").read_bytes() == PDFS["/books/alpha.pdf"]
    assert (corpus / "texts" / "beta-book" / "beta.pdf").read_bytes() == PDFS["/books/beta.pdf"]
    assert not (corpus / "texts" / "gone-book").exists() or not any((corpus / "texts" / "gone-book").glob("*.pdf"))
    assert status.rebuild_started

    build = advisor.wait_for_build(60)
    assert build.error is None and build.report is not None
    rows = {r["id"]: r for r in advisor.library()[0]}
    assert rows["alpha-book"]["state"] == "indexed" and rows["beta-book"]["state"] == "indexed"
    assert rows["gone-book"]["state"] != "indexed"
    # the page's next tick shows the final state and the books as indexed
    status_html, table, hint, seen = h.fetch_tick(seen)
    assert "Downloads finished: 2 new, 1 failed, of 3" in status_html and "HTTP 404" in status_html
    assert table.count("in your library (indexed)") == 2
    assert "1 free book is not in your library yet" in hint and "Gone Book" in hint and "Alpha Book" not in hint
    assert all(isinstance(x, type(gr.skip())) for x in h.fetch_tick(seen)[:3])
    answer = advisor.ask("singular value decomposition of matrices")
    assert "beta-book" in [m.resource.id for m in answer.resources]


def test_cancel_stops_before_the_remaining_files(advisor, corpus, server):
    base, srv = server
    add_records(corpus, base, [("gate-book", "Gate Book", "/books/gate.pdf"),
                               ("alpha-book", "Alpha Book", "/books/alpha.pdf"),
                               ("beta-book", "Beta Book", "/books/beta.pdf")])
    h = Handlers(advisor)
    h.download(["gate-book", "alpha-book", "beta-book"])
    wait_until(lambda: advisor.fetch_status.files["gate-book"] == "downloading" and srv.requests)
    html = h.cancel_downloads()
    assert "cancelling after the current file" in html
    srv.gate.set()
    status = advisor.wait_for_fetch(30)
    assert status.files == {"gate-book": "done", "alpha-book": "cancelled", "beta-book": "cancelled"}
    assert srv.requests == ["/books/gate.pdf"]
    assert not (corpus / "texts" / "alpha-book").exists() and not (corpus / "texts" / "beta-book").exists()
    assert advisor.wait_for_build(60).error is None  # the one new file is indexed all the same
    assert {r["id"]: r for r in advisor.library()[0]}["gate-book"]["state"] == "indexed"


def test_bad_requests_are_refused_with_a_toast(advisor, corpus, server, toasts):
    base, _ = server
    add_records(corpus, base, [("alpha-book", "Alpha Book", "/books/alpha.pdf")])
    h = Handlers(advisor)
    assert all(isinstance(x, type(gr.skip())) for x in h.download([]))
    assert all(isinstance(x, type(gr.skip())) for x in h.download(["no-such-book"]))
    assert "Choose at least one book" in toasts[0] and "no-such-book" in toasts[1]
    assert advisor.fetch_status.files == {} and not advisor.cancel_fetch()


def test_rendering_escapes_titles_and_reasons():
    books = [{"id": "x", "title": "<script>t</script>", "good_for": "a <b>", "held": "missing"}]
    out = free_books_html(books)
    assert "<script>" not in out and "&lt;script&gt;" in out and "a &lt;b&gt;" in out

    status = FetchStatus(files={"x": "failed: <img src=x>"})
    out = fetch_status_html(status, {"x": "<i>T</i>"})
    assert "<img" not in out and "&lt;i&gt;T" in out and "0 new, 1 failed, of 1" in out


def test_good_for_falls_back_to_topic_names(advisor):
    record = advisor.catalog().resources["learning-notes"]
    assert good_for(record, advisor.topics) == "Proves the VC bound for beginners in learning theory."
    record.description = ""
    assert good_for(record, advisor.topics) == "VC dimension, Probability"
