"""Reading in worker processes: one PDF split between two workers reads exactly as one worker reads it."""

import random
import time
from pathlib import Path

import pytest

from advisor.errors import DocumentError
from advisor.ingest.extract import Extractor
from advisor.ingest.loaders import load_document
from advisor.service import Advisor
from pdfgen import make_pdf

REPO = Path(__file__).resolve().parents[1]


def book(tmp_path: Path, n_pages: int) -> Path:
    words = "matrix vector eigen value proof lemma kernel space norm basis rank trace limit series sum".split()
    rng = random.Random(n_pages)
    pages = ["Running Header Of The Book\n" + "\n".join(" ".join(rng.choice(words) for _ in range(8)) for _ in range(4))
             for _ in range(n_pages)]
    outline = [(f"Chapter {c + 1}", 3 * c, 0) for c in range((n_pages + 2) // 3)]
    return make_pdf(tmp_path / "book.pdf", pages, outline=outline, labels=[(0, n_pages - 1, "decimal", 10)],
                    title="A Book of Lemmas")


@pytest.mark.parametrize("n_pages", [1, 2, 7, 12])
def test_a_pdf_split_between_two_workers_reads_like_one(tmp_path, n_pages):
    path = book(tmp_path, n_pages)
    whole = load_document(path, "book.pdf")
    with Extractor() as ex, Extractor() as helper:
        split = ex.load_pdf_split(path, "book.pdf", helper)
    assert (split.title, split.n_pages, split.format) == (whole.title, whole.n_pages, whole.format)
    assert [(b.text, b.page, b.page_label, b.section) for b in split.blocks] == \
           [(b.text, b.page, b.page_label, b.section) for b in whole.blocks]
    if n_pages >= 7:  # a running header is found across both halves
        assert "Running Header" not in " ".join(b.text for b in split.blocks)


def test_a_bad_pdf_split_fails_with_its_reason_and_both_workers_go_on(tmp_path):
    encrypted = make_pdf(tmp_path / "locked.pdf", ["secret text on a page"] * 4, password="pw")
    good = book(tmp_path, 5)
    with Extractor() as ex, Extractor() as helper:
        with pytest.raises(DocumentError, match="encrypted"):
            ex.load_pdf_split(encrypted, "locked.pdf", helper)
        assert ex.load_pdf_split(good, "book.pdf", helper).n_pages == 5
        assert helper.load(good, "book.pdf").n_pages == 5


def test_the_time_limit_covers_both_halves_of_a_split_read():
    slow = REPO / "corpus/texts/ladr4e/LADR4e.pdf"
    small = REPO / "corpus/texts/cs229-cheatsheets/cheatsheet-supervised-learning.pdf"
    with Extractor(timeout=0.5) as ex, Extractor(timeout=0.5) as helper:
        t = time.monotonic()
        with pytest.raises(DocumentError, match="longer than 0.5s"):
            ex.load_pdf_split(slow, "ladr.pdf", helper)
        assert time.monotonic() - t < 5
        ex.timeout = helper.timeout = 60
        assert ex.load_pdf_split(small, "cs.pdf", helper).n_pages == 4


def test_catalog_records_are_embedded_while_the_first_file_is_read(settings, embedder, monkeypatch):
    calls: list[str] = []
    encode = embedder.encode

    def recording_encode(texts, **kw):
        calls.extend("catalog" if "Ada Author" in t else "text" for t in texts)  # records name their authors
        return encode(texts, **kw)

    slow_load = Extractor.load

    def slow(self, path, rel):
        time.sleep(1.0)  # a big first book
        return slow_load(self, path, rel)

    monkeypatch.setattr(embedder, "encode", recording_encode)
    monkeypatch.setattr(Extractor, "load", slow)
    report = Advisor(settings, embedder=embedder).index()
    assert report.chunks_embedded == len(calls) and "catalog" in calls and "text" in calls
    assert calls.index("text") > max(i for i, c in enumerate(calls) if c == "catalog")  # catalog first, in the wait
    assert report.timings["catalog_embed"] > 0


def test_only_a_pdf_the_model_waits_for_is_split(settings, embedder, monkeypatch):
    split_calls: list[str] = []
    original = Extractor.load_pdf_split

    def spy(self, path, rel, helper):
        split_calls.append(rel)
        return original(self, path, rel, helper)

    monkeypatch.setattr(Extractor, "load_pdf_split", spy)
    for record in (settings.corpus_dir / "catalog").iterdir():
        record.unlink()  # no catalog to embed: the model has nothing to do until the first file is read
    report = Advisor(settings, embedder=embedder).index()
    assert split_calls and all(rel.endswith(".pdf") for rel in split_calls)
    assert report.files_total == 3 and not report.skipped
