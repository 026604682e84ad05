"""Hardening of reading: an uploaded PDF is checked in the time-limited extractor, and PDF pages whose text
extraction fails are counted (manifest, Advisor.info(), `advisor info`) instead of vanishing silently."""

from __future__ import annotations

import dataclasses
import json
import multiprocessing
import time
import types
from pathlib import Path

import pytest

from advisor import cli
from advisor.errors import DocumentError, UploadRejected
from advisor.ingest import extract
from advisor.ingest.extract import Extractor
from advisor.ingest.loaders import load_document
from advisor.ingest.pdf import UNREADABLE_PAGES
from advisor.library.uploads import check_upload
from advisor.service import Advisor
from advisor.store.index import IndexStore
from pdfgen import make_pdf, raw_pdf

PAGES = [
    "Spectral Notes\nThe spectral theorem diagonalizes a symmetric matrix in an orthonormal basis.",
    "Spectral Notes\nThis page cannot be read: its content stream uses an unknown filter.",
    "Spectral Notes\nThe singular value decomposition factors any matrix into rotations and a scaling.",
]


def pdf_with_broken_pages(path: Path, pages: list[str], broken: set[int]) -> Path:
    """A PDF whose pages in `broken` (0-based) make pypdf's extract_text raise (an unsupported stream filter)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(raw_pdf(pages, frozenset(broken)))
    return path


def test_the_crafted_page_really_breaks_pypdf(tmp_path):
    import pypdf

    reader = pypdf.PdfReader(pdf_with_broken_pages(tmp_path / "b.pdf", PAGES, {1}))
    assert "spectral theorem" in reader.pages[0].extract_text()
    with pytest.raises(Exception):
        reader.pages[1].extract_text()


# --- 2. unreadable pages are counted ---------------------------------------------------------------

def test_a_page_whose_extraction_fails_is_counted_in_one_and_in_two_workers(tmp_path):
    path = pdf_with_broken_pages(tmp_path / "book.pdf", PAGES * 2, {1, 4})
    doc = load_document(path, "book.pdf")
    assert doc.metadata == {UNREADABLE_PAGES: 2} and doc.n_pages == 6
    assert {b.page for b in doc.blocks} == {1, 3, 4, 6}  # the other pages are all there
    with Extractor() as ex, Extractor() as helper:
        split = ex.load_pdf_split(path, "book.pdf", helper)  # one broken page in each half
    assert split.metadata == {UNREADABLE_PAGES: 2}
    clean = load_document(make_pdf(tmp_path / "clean.pdf", PAGES), "clean.pdf")
    assert UNREADABLE_PAGES not in clean.metadata


def test_a_pdf_with_no_readable_page_says_so(tmp_path):
    path = pdf_with_broken_pages(tmp_path / "book.pdf", PAGES, {0, 1, 2})
    with pytest.raises(DocumentError, match="text extraction failed on every page"):
        load_document(path, "book.pdf")


def test_unreadable_pages_are_in_the_manifest_info_and_advisor_info(settings, embedder, corpus, capsys, monkeypatch):
    pdf_with_broken_pages(corpus / "texts" / "spectral" / "spectral.pdf", PAGES, {1})
    adv = Advisor(settings, embedder=embedder)
    report = adv.index()
    assert "texts/spectral/spectral.pdf: 1 of 3 pages unreadable (their text is not indexed)" in report.notes

    entry = IndexStore(settings.index_dir).read_manifest()["files"]["texts/spectral/spectral.pdf"]
    assert entry["status"] == "indexed" and entry["unreadable_pages"] == 1 and entry["pages"] == 3
    assert UNREADABLE_PAGES not in entry["metadata"]
    clean = IndexStore(settings.index_dir).read_manifest()["files"]["texts/opt/lecture.pdf"]
    assert "unreadable_pages" not in clean
    assert adv.info()["warnings"] == [{"file": "texts/spectral/spectral.pdf", "unreadable_pages": 1, "pages": 3}]
    assert adv.search("singular value decomposition")  # the readable pages are indexed

    # an incremental build that reuses the file keeps its count
    (corpus / "texts" / "misc" / "extra.md").write_text("# Extra\n\nGradient descent takes small steps.\n")
    Advisor(settings, embedder=embedder).index()
    assert Advisor(settings, embedder=embedder).info()["warnings"][0]["unreadable_pages"] == 1

    monkeypatch.setenv("ADVISOR_MODEL", "fake")
    monkeypatch.setenv("ADVISOR_CORPUS_DIR", str(settings.corpus_dir))
    monkeypatch.setenv("ADVISOR_OVERLAP_TOKENS", "8")
    assert cli.main(["info", "--index-dir", str(settings.index_dir)]) == 0
    out = capsys.readouterr().out
    assert "texts/spectral/spectral.pdf: 1 of 3 pages unreadable" in out
    assert cli.main(["info", "--json", "--index-dir", str(settings.index_dir)]) == 0
    assert json.loads(capsys.readouterr().out)["warnings"][0]["file"] == "texts/spectral/spectral.pdf"


# --- 1. uploads are checked in the time-limited extractor ------------------------------------------

def slow_pypdf_in_a_forked_worker(monkeypatch, seconds: float = 30.0) -> None:
    """Make pypdf hang on opening any PDF, in this process and in extractor workers forked from it (a
    spawned worker would not see the patch), with no idle spawned worker left to take the job instead."""
    import pypdf

    real_init = pypdf.PdfReader.__init__

    def hanging_init(self, *args, **kwargs):
        time.sleep(seconds)
        real_init(self, *args, **kwargs)

    monkeypatch.setattr(pypdf.PdfReader, "__init__", hanging_init)
    monkeypatch.setattr(extract, "mp", types.SimpleNamespace(get_context=lambda _method: multiprocessing.get_context("fork")))
    monkeypatch.setattr(extract, "_IDLE", [])


def test_an_upload_that_hangs_the_pdf_parser_is_rejected_within_the_time_limit(settings, embedder, tmp_path, monkeypatch):
    upload = make_pdf(tmp_path / "upload" / "hang.pdf", PAGES)
    slow_pypdf_in_a_forked_worker(monkeypatch)
    adv = Advisor(dataclasses.replace(settings, file_timeout=1.0), embedder=embedder)
    before = sorted(p.relative_to(settings.corpus_dir) for p in Path(settings.corpus_dir).rglob("*"))
    t = time.monotonic()
    with pytest.raises(UploadRejected) as caught:
        adv.add_resource(upload, "hang.pdf", title="Hanging PDF")
    assert time.monotonic() - t < 10  # not the 30 s the parser would take
    message = str(caught.value)
    assert message.startswith("hang.pdf: ") and "took longer than 1s" in message and "\n" not in message
    assert "skipped" not in message  # a build's wording, not an upload's
    assert sorted(p.relative_to(settings.corpus_dir) for p in Path(settings.corpus_dir).rglob("*")) == before


def test_uploads_through_the_facade_are_checked_by_the_worker(settings, embedder, tmp_path, monkeypatch):
    calls: list[str] = []
    real = extract.Extractor.check_pdf

    def recording(self, path, rel):
        calls.append(rel)
        assert self.timeout == 7.0  # Settings.file_timeout
        return real(self, path, rel)

    monkeypatch.setattr(extract.Extractor, "check_pdf", recording)
    adv = Advisor(dataclasses.replace(settings, file_timeout=7.0), embedder=embedder)
    added = adv.add_resource(make_pdf(tmp_path / "up" / "good.pdf", PAGES), "Good Notes.pdf", title="Good notes")
    assert added.file_path.is_file() and calls == ["Good-Notes.pdf"]

    damaged = tmp_path / "up" / "fake.pdf"
    damaged.write_bytes(b"%PDF-1.7\nthis is not really a pdf\n")
    with pytest.raises(UploadRejected, match=r"^fake\.pdf: (corrupt or truncated PDF|PDF has no pages)"):
        adv.add_resource(damaged, "fake.pdf")
    locked = make_pdf(tmp_path / "up" / "locked.pdf", PAGES, password="pw")
    with pytest.raises(UploadRejected, match=r"^locked\.pdf: encrypted PDF \(a password is required\)$"):
        adv.add_resource(locked, "locked.pdf")


def test_check_upload_turns_the_checkers_failures_into_one_line_rejections(tmp_path):
    path = make_pdf(tmp_path / "a.pdf", PAGES)

    def timed_out(p, name):
        raise DocumentError(name, "reading took longer than 2s (extraction stopped), skipped")

    def broken(p, name):
        raise RuntimeError("the file reader process did not start")

    with pytest.raises(UploadRejected, match=r"^a\.pdf: reading took longer than 2s \(extraction stopped\)$"):
        check_upload(path, read_pdf=timed_out)
    with pytest.raises(UploadRejected, match=r"^a\.pdf: the PDF could not be checked \(RuntimeError\)"):
        check_upload(path, read_pdf=broken)
    with pytest.raises(UploadRejected, match="no pages"):
        check_upload(path, read_pdf=lambda p, name: 0)
    assert check_upload(path, read_pdf=lambda p, name: 3).format == "pdf"
    # what is not a PDF is refused before any parser sees it
    (tmp_path / "x.pdf").write_bytes(b"MZ" + b"\x00" * 100)
    with pytest.raises(UploadRejected, match="not a PDF file"):
        check_upload(tmp_path / "x.pdf", read_pdf=lambda p, name: pytest.fail("parsed a non-PDF"))
