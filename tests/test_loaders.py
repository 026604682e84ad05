import pytest

from advisor.errors import DocumentError
from advisor.ingest.loaders import load_document
from pdfgen import make_pdf, raw_pdf


def test_pdf_pages_labels_and_outline_sections(tmp_path):
    path = make_pdf(tmp_path / "b.pdf", [
        "Front page text that is long enough",
        "Running Head\nChapter 1 Vectors\nA vector space is a set with addi-\ntion and scalar multiplication.\n1",
        "Running Head\nMore about vectors and the span of a list.\n2",
        "Running Head\n1.2 Norms\nThe Euclidean norm is defined as follows.\n3",
    ], outline=[("Chapter 1 Vectors", 1, 0), ("1.2 Norms", 3, 1)],
        labels=[(0, 0, "roman", 1), (1, 3, "decimal", 1)], title="Test Book")
    doc = load_document(path, "b.pdf")
    assert doc.title == "Test Book" and doc.n_pages == 4
    by_page = {b.page: b for b in doc.blocks}
    assert by_page[1].page_label == "i" and by_page[2].page_label == "1"
    assert by_page[2].section == ("Chapter 1 Vectors",)
    assert by_page[4].section == ("Chapter 1 Vectors", "1.2 Norms")
    assert "addition and scalar" in by_page[2].text  # hyphenation joined
    assert "Running Head" not in by_page[3].text  # running header dropped
    assert not by_page[3].text.rstrip().endswith("2")  # page number dropped


def test_heading_in_the_middle_of_a_page_splits_the_page(tmp_path):
    path = make_pdf(tmp_path / "b.pdf", [
        "Intro\nSome opening words on page one.",
        "End of the introduction section text.\n2 Matrices\nMatrices are arrays of numbers.",
    ], outline=[("Intro", 0, 0), ("2 Matrices", 1, 0)])
    doc = load_document(path, "b.pdf")
    page2 = [b for b in doc.blocks if b.page == 2]
    assert [b.section for b in page2] == [("Intro",), ("2 Matrices",)]
    assert "Matrices are arrays" in page2[1].text and "Matrices are arrays" not in page2[0].text


@pytest.mark.parametrize("content, reason", [
    (b"", "empty file"),
    (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog", "corrupt or truncated"),
    (b"<html>not a pdf</html>", "not a PDF"),
])
def test_bad_pdfs_raise_one_line_reasons(tmp_path, content, reason):
    path = tmp_path / "bad.pdf"
    path.write_bytes(content)
    with pytest.raises(DocumentError) as err:
        load_document(path, "sub/bad.pdf")
    assert reason in str(err.value) and str(err.value).startswith("sub/bad.pdf: ")
    assert "\n" not in str(err.value)


def test_encrypted_pdf_with_password_is_skipped_but_empty_password_is_read(tmp_path):
    locked = make_pdf(tmp_path / "locked.pdf", ["Secret content about matrices here"], password="s3cret")
    with pytest.raises(DocumentError, match="encrypted"):
        load_document(locked, "locked.pdf")
    opened = make_pdf(tmp_path / "open.pdf", ["Readable content about matrices here"], password="")
    assert "Readable content" in load_document(opened, "open.pdf").blocks[0].text


def test_pdf_without_text_layer_says_scanned(tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(raw_pdf(["", ""]))
    with pytest.raises(DocumentError, match="scanned"):
        load_document(path, "scan.pdf")


def test_markdown_headings_become_sections_and_front_matter_gives_title(tmp_path):
    path = tmp_path / "n.md"
    path.write_text("---\ntitle: My Notes\n---\n# Top\n\nIntro text.\n\n## Sub :label:`x`\n\nSee :eqref:`eq1` here.\n\n"
                    "```{.python .input}\nprint('framework code')\n```\n\n```\nplain code kept\n```\n")
    doc = load_document(path, "n.md")
    assert doc.title == "My Notes"
    sections = [b.section for b in doc.blocks]
    assert ("Top",) in sections and ("Top", "Sub") in sections
    text = " ".join(b.text for b in doc.blocks)
    assert "framework code" not in text and "plain code kept" in text and "See eq1 here" in text


def test_malformed_front_matter_in_a_text_still_indexes_the_body(tmp_path):
    path = tmp_path / "n.md"
    path.write_text("---\ntitle: [unclosed\n---\n# Heading\n\nBody text survives.\n")
    doc = load_document(path, "n.md")
    assert "Body text survives." in " ".join(b.text for b in doc.blocks)


def test_html_drops_scripts_and_keeps_headings(tmp_path):
    path = tmp_path / "p.html"
    path.write_text("<html><head><title>Page &amp; Title</title><script>alert(1)</script></head>"
                    "<body><h1>Kernels</h1><p>A kernel is an inner product.</p><style>x{}</style></body></html>")
    doc = load_document(path, "p.html")
    assert doc.title == "Page & Title"
    assert doc.blocks[-1].section == ("Kernels",)
    assert "alert" not in " ".join(b.text for b in doc.blocks)


def test_non_utf8_text_is_decoded_not_rejected(tmp_path):
    path = tmp_path / "t.txt"
    path.write_bytes("Caf\u00e9 na\u00efve estimator".encode("cp1252"))
    assert load_document(path, "t.txt").blocks[0].text == "Café naïve estimator"


def test_rst_sections_and_math(tmp_path):
    path = tmp_path / "g.rst"
    path.write_text("Guide\n=====\n\nIntro.\n\nWasserstein\n-----------\n\n.. math::\n\n    W_p(a, b)\n\nText.\n")
    doc = load_document(path, "g.rst")
    assert ("Guide", "Wasserstein") in [b.section for b in doc.blocks]
    assert "W_p(a, b)" in " ".join(b.text for b in doc.blocks)


def test_unsupported_type(tmp_path):
    path = tmp_path / "x.docx"
    path.write_bytes(b"PK")
    with pytest.raises(DocumentError, match="unsupported"):
        load_document(path, "x.docx")
