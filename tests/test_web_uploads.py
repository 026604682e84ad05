"""Upload validation: type by content, size limit, safe file names."""

from __future__ import annotations

import pytest

from advisor.library.resources import sanitize_filename
from advisor.errors import UploadRejected
from advisor.library.uploads import check_upload
from test_web_support import make_pdf

PE_HEADER = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200 + b"This program cannot be run in DOS mode"


def write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_accepts_real_pdf_markdown_and_text(tmp_path):
    pdf = check_upload(write(tmp_path, "Notes.pdf", make_pdf([["Hello VC dimension"]])))
    assert (pdf.format, pdf.filename) == ("pdf", "Notes.pdf")
    md = check_upload(write(tmp_path, "notes.md", "# Title\n\nSome $x^2$ maths, ünïcödé.\n".encode()))
    assert md.format == "markdown"
    txt = check_upload(write(tmp_path, "notes.TXT", b"\xef\xbb\xbfplain text with a BOM\n"))
    assert (txt.format, txt.filename) == ("text", "notes.txt")


def test_renamed_executable_is_rejected_by_content(tmp_path):
    with pytest.raises(UploadRejected, match=r"not a PDF file \(it is a Windows executable\)"):
        check_upload(write(tmp_path, "book.pdf", PE_HEADER))
    with pytest.raises(UploadRejected, match="not a text file"):
        check_upload(write(tmp_path, "notes.md", b"\x7fELF\x02\x01\x01" + b"\x00" * 50))


def test_pdf_with_only_a_header_is_rejected(tmp_path):
    with pytest.raises(UploadRejected, match="damaged or truncated PDF|no pages"):
        check_upload(write(tmp_path, "fake.pdf", b"%PDF-1.7\nthis is not really a pdf\n"))


def test_binary_and_non_utf8_text_are_rejected(tmp_path):
    with pytest.raises(UploadRejected, match="NUL"):
        check_upload(write(tmp_path, "data.txt", b"text\x00\x01\x02 more"))
    with pytest.raises(UploadRejected, match="not UTF-8"):
        check_upload(write(tmp_path, "latin.md", "café résumé".encode("latin-1")))
    with pytest.raises(UploadRejected, match="this is a PDF named .txt"):
        check_upload(write(tmp_path, "paper.txt", make_pdf([["x"]])))


@pytest.mark.parametrize("name", ["setup.exe", "page.html", "archive.zip", "script.sh", "noextension"])
def test_unsupported_types_are_rejected(tmp_path, name):
    with pytest.raises(UploadRejected, match="unsupported file type"):
        check_upload(write(tmp_path, name, b"hello"))


def test_size_limit_and_empty_files(tmp_path):
    big = write(tmp_path, "big.txt", b"a" * 2048)
    with pytest.raises(UploadRejected, match="larger than the .* upload limit"):
        check_upload(big, max_bytes=1024)
    assert check_upload(big, max_bytes=4096).size == 2048
    with pytest.raises(UploadRejected, match="empty"):
        check_upload(write(tmp_path, "empty.md", b""))


def test_original_name_is_sanitized(tmp_path):
    path = write(tmp_path, "upload.bin", make_pdf([["x"]]))
    checked = check_upload(path, "../../../etc/cron.d/evil.pdf")
    assert checked.filename == "evil.pdf"


@pytest.mark.parametrize("raw, expected", [
    ("../../etc/passwd.pdf", "passwd.pdf"),
    ("..\\..\\windows\\win.ini.md", "win.ini.md"),
    ("/absolute/path/book.PDF", "book.pdf"),
    (".hidden.md", "hidden.md"),
    ("..", "document"),
    ("....pdf", "document.pdf"),
    ("", "document"),
    ("con<>:|?*\".pdf", "con.pdf"),
    ("Über Lineare Algebra (2nd ed).pdf", "Uber-Lineare-Algebra-2nd-ed.pdf"),
    ("a\x00b.txt", "ab.txt"),
    ("notes.md\x00.exe", "notes.md.exe"),
])
def test_sanitize_filename(raw, expected):
    assert sanitize_filename(raw) == expected


def test_sanitize_filename_is_bounded_and_safe():
    name = sanitize_filename("x" * 500 + ".pdf")
    assert len(name) <= 100 and name.endswith(".pdf")
    for raw in ["../a", "a/../../b.md", "~/.ssh/id_rsa", "C:\\x\\y.txt", "\u202egnp.exe.pdf"]:
        safe = sanitize_filename(raw)
        assert "/" not in safe and "\\" not in safe and not safe.startswith(".")
        assert set(safe) <= set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
