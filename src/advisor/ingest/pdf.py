"""PDF loading: pages (in parts, for two workers), page labels, the outline as sections, running headers removed."""

from __future__ import annotations

import io
import logging
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

from ..errors import DocumentError
from ..types import Block, Document
from .textclean import clean, find_running_lines, header_title, line_key, normalize, strip_running_lines, tidy

MAX_PDF_PAGES = 5000


@dataclass
class PdfPages:
    """The expensive part of reading a PDF: the raw text of one range of its pages."""

    n_pages: int
    raw: list[str]
    labels: list[str | None]
    outline: list[tuple[int, int, str]]
    meta_title: str | None
    unreadable: int = 0  # pages of this range whose text extraction failed (kept as empty pages)


# Document.metadata key of a PDF with pages whose text could not be extracted: how many (absent when none)
UNREADABLE_PAGES = "unreadable_pages"


def load_pdf(path: Path, rel: str) -> Document:
    return assemble_pdf(path, rel, [read_pdf_pages(path, rel)])


def read_pdf_pages(path: Path, rel: str, part: int = 0, parts: int = 1) -> PdfPages:
    """Open, check and extract one of `parts` equal page ranges (two processes can share a book)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reader, n_pages = _open_pdf(path, rel)
        first, stop = n_pages * part // parts, n_pages * (part + 1) // parts
        texts = [_extract_page(reader, i) for i in range(first, stop)]
        if part == 0:
            labels, outline, meta_title = _page_labels(reader, n_pages), _outline(reader), _meta_title(reader)
        else:  # the first part carries what concerns the whole file
            labels, outline, meta_title = [], [], None
    raw = [t or "" for t in texts]
    return PdfPages(n_pages, raw, labels, outline, meta_title, unreadable=sum(t is None for t in texts))


def check_pdf(path: Path, rel: str) -> int:
    """The number of pages of a PDF that opens (not damaged, not encrypted, within the page limit); what an
    upload must pass. Raises DocumentError like read_pdf_pages, without extracting any text."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _open_pdf(path, rel)[1]


def _open_pdf(path: Path, rel: str):
    """(reader, number of pages) of a PDF that opens and is not empty; DocumentError otherwise."""
    import pypdf

    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    data = read_bytes(path, rel)
    if not data.startswith(b"%PDF") and b"%PDF" not in data[:1024]:
        raise DocumentError(rel, "not a PDF file (no %PDF header)")
    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not _decrypt_empty(reader):
            raise DocumentError(rel, "encrypted PDF (a password is required), skipped")
        n_pages = len(reader.pages)
    except DocumentError:
        raise
    except Exception as exc:  # pypdf raises many unrelated types on damaged files
        raise DocumentError(rel, f"corrupt or truncated PDF ({_short(exc)})") from None
    if n_pages == 0:
        raise DocumentError(rel, "PDF has no pages")
    if n_pages > MAX_PDF_PAGES:
        raise DocumentError(rel, f"PDF has {n_pages} pages, more than the {MAX_PDF_PAGES} page limit")
    return reader, n_pages


def assemble_pdf(path: Path, rel: str, parts: list[PdfPages]) -> Document:
    """Clean and section the pages read by read_pdf_pages (all parts, in order) into a Document."""
    head = parts[0]
    raw_pages = [t for part in parts for t in part.raw]
    n_pages, labels, outline = head.n_pages, head.labels, head.outline
    unreadable = sum(part.unreadable for part in parts)
    if len(raw_pages) != n_pages:
        raise DocumentError(rel, f"read {len(raw_pages)} of {n_pages} pages, skipped")
    if unreadable == n_pages:
        raise DocumentError(rel, f"text extraction failed on every page ({n_pages}), skipped")
    if not any(len(t.strip()) > 20 for t in raw_pages):
        raise DocumentError(rel, "no text layer (scanned or image-only PDF), skipped")

    pages = [[line for line in normalize(t).split("\n")] for t in raw_pages]
    running = find_running_lines(pages)
    # a header on most pages names the document, not a section
    common = {key for key in running if sum(key in {line_key(x) for x in p[:2]} for p in pages) > len(pages) / 2}
    blocks: list[Block] = []
    chapter, subsection = "", ""
    for i, lines in enumerate(pages):
        kept, removed = strip_running_lines(lines, running)
        text = tidy("\n".join(kept))
        if not outline:
            for line in removed:
                title = header_title(line) if line_key(line) not in common else None
                if title and re.match(r"(?i)chapter\b", title):
                    if title != chapter:
                        chapter, subsection = title, ""
                elif title:
                    subsection = title
            header_section = tuple(t for t in (chapter, subsection) if t)
        for section, part in _split_by_outline(text, i, outline) if outline else [(header_section, text)]:
            if part.strip():
                blocks.append(Block(part, page=i + 1, page_label=labels[i], section=section))
    first_heading = next((b.text.split("\n", 1)[0] for b in blocks if b.text.strip()), "")
    title = head.meta_title or (outline[0][2] if outline else "") or first_heading[:120] or path.stem
    return Document(rel, title, blocks, format="pdf", n_pages=n_pages,
                    metadata={UNREADABLE_PAGES: unreadable} if unreadable else {})


def read_bytes(path: Path, rel: str) -> bytes:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(rel, f"cannot read file ({exc.strerror or exc})") from None
    if not data:
        raise DocumentError(rel, "empty file (0 bytes), skipped")
    return data


def _decrypt_empty(reader) -> bool:
    try:
        return bool(reader.decrypt(""))
    except Exception:
        return False


def _short(exc: Exception) -> str:
    msg = str(exc).split("\n")[0][:80]
    return f"{type(exc).__name__}: {msg}" if msg else type(exc).__name__


def _extract_page(reader, i: int) -> str | None:
    """The text of page i ("" when it has none), or None when extracting it failed."""
    try:
        return reader.pages[i].extract_text() or ""
    except Exception:
        return None  # one broken page must not lose the rest of the book; it is counted, not hidden


def _page_labels(reader, n: int) -> list[str | None]:
    try:
        labels = list(reader.page_labels)
    except Exception:
        labels = []
    if len(labels) != n:
        return [None] * n
    return [str(lbl) if lbl not in (None, "") else None for lbl in labels]


def _meta_title(reader) -> str | None:
    try:
        title = (reader.metadata or {}).get("/Title")
    except Exception:
        return None
    title = clean(str(title)) if title else ""
    if len(title) < 3 or title.lower() in ("untitled", "title") or title.lower().endswith((".dvi", ".pdf", ".tex")):
        return None
    return title


def _outline(reader) -> list[tuple[int, int, str]]:
    """Flattened bookmarks: (0-based page, depth, title), in reading order."""
    entries: list[tuple[int, int, str]] = []

    def walk(items, depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
                continue
            try:
                page = reader.get_destination_page_number(item)
                title = clean(str(item.title))
            except Exception:
                continue
            if page is not None and page >= 0 and title:
                entries.append((page, depth, title))

    try:
        walk(reader.outline, 0)
    except Exception:
        return []
    entries.sort(key=lambda e: e[0])  # stable: keeps reading order within a page
    return entries


def _section_at(outline: list[tuple[int, int, str]], upto: int) -> tuple[str, ...]:
    stack: list[tuple[int, str]] = []
    for _page, depth, title in outline[:upto]:
        while stack and stack[-1][0] >= depth:
            stack.pop()
        stack.append((depth, title))
    return tuple(t for _, t in stack)


def _split_by_outline(text: str, page: int, outline) -> list[tuple[tuple[str, ...], str]]:
    """Split a page where a bookmark that starts on it has its heading in the text."""
    before = sum(1 for e in outline if e[0] < page)
    starting = [k for k in range(before, len(outline)) if outline[k][0] == page]
    if not starting:
        return [(_section_at(outline, before), text)]
    parts: list[tuple[tuple[str, ...], str]] = []
    cursor, upto = 0, before
    for k in starting:
        pos = _find_heading(text, outline[k][2], cursor)
        if pos is None:
            continue
        if pos > cursor:
            parts.append((_section_at(outline, upto), text[cursor:pos]))
        cursor, upto = pos, k + 1
    # bookmarks on this page whose heading text was not found still apply from here on
    last = starting[-1] + 1
    parts.append((_section_at(outline, max(upto, last) if cursor == 0 else upto), text[cursor:]))
    return parts


def _find_heading(text: str, title: str, start: int) -> int | None:
    words = re.findall(r"\w+", title)
    if not words:
        return None
    pattern = r"\W*".join(re.escape(w) for w in words[:8])
    match = re.compile(pattern, re.I).search(text, start)
    if not match:
        return None
    line_start = text.rfind("\n", 0, match.start()) + 1
    return line_start


# --- Markdown and reStructuredText -------------------------------------------------------------
