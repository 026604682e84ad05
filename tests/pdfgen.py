"""Tiny PDF writer for tests: real text layers, optional bookmarks, page labels and encryption."""

from __future__ import annotations

import io
from pathlib import Path


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def raw_pdf(pages: list[str], broken: frozenset[int] = frozenset()) -> bytes:
    """A PDF whose page i shows pages[i] (one text line per input line) in Helvetica.

    Pages in `broken` (0-based) declare an unknown stream filter, so pypdf's extract_text raises on them.
    """
    objects: list[bytes] = []
    n = len(pages)
    # 1: catalog, 2: pages, 3: font, then (page, content) pairs
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(n))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {n} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    for i, text in enumerate(pages):
        lines = text.split("\n")
        ops = ["BT", "/F1 10 Tf", "12 TL", "40 800 Td"]
        for line in lines:
            ops.append(f"({_escape(line)}) Tj T*")
        ops.append("ET")
        stream = "\n".join(ops).encode("cp1252", errors="replace")
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
            f"/Contents {5 + 2 * i} 0 R >>".encode()
        )
        bad = b" /Filter /NoSuchFilter" if i in broken else b""
        objects.append(b"<< /Length %d%s >>\nstream\n" % (len(stream), bad) + stream + b"\nendstream")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for num, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(f"{num} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def make_pdf(path: Path, pages: list[str], outline: list[tuple[str, int, int]] | None = None,
             labels: list[tuple[int, int, str, int]] | None = None, password: str | None = None,
             title: str | None = None) -> Path:
    """Write a PDF. outline: (title, 0-based page, depth 0/1); labels: (from, to, style, start)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.constants import PageLabelStyle

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(raw_pdf(pages))))
    parent = None
    for name, page, depth in outline or []:
        item = writer.add_outline_item(name, page, parent=parent if depth else None)
        if depth == 0:
            parent = item
    styles = {"roman": PageLabelStyle.LOWERCASE_ROMAN, "decimal": PageLabelStyle.DECIMAL}
    for start, end, style, first in labels or []:
        writer.set_page_label(start, end, style=styles[style], start=first)
    if title:
        writer.add_metadata({"/Title": title})
    if password is not None:
        writer.encrypt(user_password=password, owner_password="owner", algorithm="AES-128")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        writer.write(fh)
    return path
