"""Checking an uploaded file before it joins the library: size, and type by content (not by name)."""

from __future__ import annotations

import codecs
import logging
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..config import DEFAULT_MAX_UPLOAD_MB
from ..errors import DocumentError, UploadRejected
from .resources import SUPPORTED_SUFFIXES, sanitize_filename

# Well-known binary signatures, to say what a rejected file actually is.
_SIGNATURES: list[tuple[bytes, str]] = [
    (b"MZ", "a Windows executable"),
    (b"\x7fELF", "a Linux executable"),
    (b"\xcf\xfa\xed\xfe", "a macOS executable"),
    (b"\xca\xfe\xba\xbe", "a macOS/Java binary"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
    (b"#!", "a script"),
]


# Opens a PDF and returns its number of pages, or raises DocumentError saying why it cannot be read. The
# facade passes one that runs in the time-limited extractor (library/ must not import ingest/).
PdfChecker = Callable[[Path, str], int]


@dataclass
class CheckedUpload:
    path: Path  # where the upload currently is (a temp file)
    filename: str  # sanitized name to store it under
    format: str  # pdf | markdown | text
    size: int


def check_upload(path: Path | str, original_name: str | None = None,
                 max_bytes: int = DEFAULT_MAX_UPLOAD_MB * 1024 * 1024,
                 read_pdf: PdfChecker | None = None) -> CheckedUpload:
    """Accept a PDF, Markdown or UTF-8 text file whose content matches its name; raise UploadRejected otherwise.

    A PDF is opened by `read_pdf` (Advisor.add_resource passes the extractor's, which parses in a worker
    process under Settings.file_timeout); without one it is parsed here, in this process, with no time limit.
    """
    path = Path(path)
    shown = sanitize_filename(original_name or path.name)
    if not path.is_file():
        raise UploadRejected(f"{shown}: the upload did not arrive, try again")
    size = path.stat().st_size
    if size == 0:
        raise UploadRejected(f"{shown}: the file is empty")
    if size > max_bytes:
        raise UploadRejected(
            f"{shown}: {size / 1024 / 1024:.1f} MB is larger than the {max_bytes / 1024 / 1024:.0f} MB upload limit"
        )
    suffix = Path(shown).suffix
    fmt = SUPPORTED_SUFFIXES.get(suffix)
    if fmt is None:
        raise UploadRejected(
            f"{shown}: unsupported file type ({suffix or 'no extension'}); upload a PDF, Markdown (.md) or text (.txt) file"
        )
    with open(path, "rb") as fh:
        head = fh.read(8192)
    looks_pdf = head.lstrip(b"\xef\xbb\xbf\r\n\t ").startswith(b"%PDF-")
    if fmt == "pdf":
        if not looks_pdf:
            what = _what_is(head)
            raise UploadRejected(f"{shown}: not a PDF file{f' (it is {what})' if what else ''}, although it is named .pdf")
        if read_pdf is None:
            _check_pdf(path, shown)
        else:
            _check_pdf_with(read_pdf, path, shown)
    else:
        if looks_pdf:
            raise UploadRejected(f"{shown}: this is a PDF named {suffix}; rename it to .pdf")
        what = _what_is(head)
        if what and what != "a script":
            raise UploadRejected(f"{shown}: not a text file (it is {what})")
        _check_text(path, shown)
    return CheckedUpload(path=path, filename=shown, format=fmt, size=size)


def _what_is(head: bytes) -> str | None:
    for magic, what in _SIGNATURES:
        if head.startswith(magic):
            return what
    return None


def _check_pdf(path: Path, shown: str) -> None:
    import pypdf

    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            reader = pypdf.PdfReader(str(path), strict=False)
            if reader.is_encrypted:
                try:
                    ok = reader.decrypt("")
                except Exception:
                    ok = 0
                if not ok:
                    raise UploadRejected(f"{shown}: the PDF is encrypted (a password is required)")
            pages = len(reader.pages)
        except UploadRejected:
            raise
        except Exception as exc:  # pypdf raises many types on damaged files
            raise UploadRejected(f"{shown}: damaged or truncated PDF ({type(exc).__name__})") from None
    if pages == 0:
        raise UploadRejected(f"{shown}: the PDF has no pages")


def _check_pdf_with(read_pdf: PdfChecker, path: Path, shown: str) -> None:
    try:
        pages = read_pdf(path, shown)
    except DocumentError as exc:  # damaged, encrypted, too many pages, took too long, crashed the reader
        raise UploadRejected(f"{shown}: {exc.reason.removesuffix(', skipped')}") from None
    except Exception as exc:  # the check itself failed: refuse the file rather than take it unchecked
        raise UploadRejected(f"{shown}: the PDF could not be checked ({type(exc).__name__}), try again") from None
    if not pages:
        raise UploadRejected(f"{shown}: the PDF has no pages")


def _check_text(path: Path, shown: str) -> None:
    decoder = codecs.getincrementaldecoder("utf-8")(errors="strict")
    printable = 0
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            if b"\x00" in block:
                raise UploadRejected(f"{shown}: binary content (NUL bytes) in a text file")
            try:
                text = decoder.decode(block)
            except UnicodeDecodeError:
                raise UploadRejected(f"{shown}: not UTF-8 text; save it as UTF-8 and upload it again") from None
            printable += sum(1 for ch in text if ch.isprintable() or ch in "\n\r\t")
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise UploadRejected(f"{shown}: not UTF-8 text (truncated character at the end)") from None
    if printable == 0:
        raise UploadRejected(f"{shown}: the file has no readable text")


__all__ = ["CheckedUpload", "DEFAULT_MAX_UPLOAD_MB", "PdfChecker", "UploadRejected", "check_upload"]
