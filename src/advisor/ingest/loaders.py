"""One loader per format. Each turns a file into a Document of page- or section-level Blocks (PDF: pdf.py)."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Callable

from ..errors import CatalogError, DocumentError
from ..library.catalog import split_front_matter
from ..types import Block, Document
from .pdf import load_pdf, read_bytes
from .textclean import clean

_FENCE = re.compile(r"^(```+|~~~+)(.*)$")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_D2L_DIRECTIVE = re.compile(r"^:(label|width|begin_tab|end_tab|numref|bibliography)[:`].*$")
_INLINE_ROLE = re.compile(r":(eqref|numref|cite|ref|label|doc|math|class|func|meth|py:\w+):`([^`]*)`")
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_LIQUID = re.compile(r"\{%-?\s*(end)?\w+[^%]*-?%\}")
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def load_markdown(path: Path, rel: str) -> Document:
    text = _read_text(path, rel)
    try:
        meta, body = split_front_matter(text, rel)
    except CatalogError:
        meta, body = {}, text  # malformed front matter in a text is not fatal: index the body
    blocks = _sections_to_blocks(_markdown_sections(body))
    title = str(meta.get("title") or "").strip() or _first_heading(blocks) or path.stem
    return Document(rel, clean(title), blocks, format="markdown", metadata={k: v for k, v in meta.items() if _plain(v)})


def _plain(value) -> bool:
    return isinstance(value, (str, int, float, bool)) or value is None


def _markdown_sections(body: str) -> list[tuple[tuple[str, ...], list[str]]]:
    sections: list[tuple[tuple[str, ...], list[str]]] = [((), [])]
    stack: list[tuple[int, str]] = []
    in_fence, skip_fence = None, False
    for line in body.split("\n"):
        fence = _FENCE.match(line.strip())
        if fence:
            if in_fence is None:
                in_fence = fence.group(1)[0] * 3
                # d2l framework tabs ("{.python .input}") repeat the same code four times
                skip_fence = ".input" in fence.group(2) or "{" in fence.group(2)
                continue
            if line.strip().startswith(in_fence):
                in_fence = None
                continue
        if in_fence is not None:
            if not skip_fence:
                sections[-1][1].append(line)
            continue
        heading = _MD_HEADING.match(line)
        if heading:
            level, title = len(heading.group(1)), _inline(heading.group(2))
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, title))
            sections.append((tuple(t for _, t in stack), [title]))
            continue
        if _D2L_DIRECTIVE.match(line.strip()):
            continue
        sections[-1][1].append(_inline(line))
    return sections


def _inline(line: str) -> str:
    line = _INLINE_ROLE.sub(lambda m: "" if m.group(1) == "label" else m.group(2), line).rstrip()
    line = _IMAGE.sub(lambda m: m.group(1), line)
    line = _LINK.sub(lambda m: m.group(1), line)
    line = _LIQUID.sub("", line)
    return _TAG.sub("", line)


def _sections_to_blocks(sections) -> list[Block]:
    blocks = []
    for section, lines in sections:
        text = clean("\n".join(lines))
        if text:
            blocks.append(Block(text, page=1, section=section))
    return blocks


def _first_heading(blocks: list[Block]) -> str | None:
    for b in blocks:
        if b.section:
            return b.section[0]
    return None


_RST_UNDERLINE = re.compile(r"^([=\-~^\"'`#*+<>:.])\1{2,}\s*$")
_RST_DIRECTIVE = re.compile(r"^\.\.\s+[\w:-]+::.*$|^\s*:\w[\w-]*:.*$")


def load_rst(path: Path, rel: str) -> Document:
    lines = _read_text(path, rel).split("\n")
    sections: list[tuple[tuple[str, ...], list[str]]] = [((), [])]
    levels: list[str] = []
    stack: list[tuple[int, str]] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if line.strip() and _RST_UNDERLINE.match(nxt) and len(nxt.strip()) >= len(line.strip()) - 1 and not _RST_UNDERLINE.match(line):
            char = nxt.strip()[0]
            if char not in levels:
                levels.append(char)
            level = levels.index(char)
            while stack and stack[-1][0] >= level:
                stack.pop()
            title = _inline(line.strip())
            stack.append((level, title))
            sections.append((tuple(t for _, t in stack), [title]))
            i += 2
            continue
        if _RST_UNDERLINE.match(line) or (line.strip().startswith("..") and "::" not in line):
            i += 1
            continue
        if _RST_DIRECTIVE.match(line) and not line.strip().startswith(".. math::"):
            i += 1
            continue
        sections[-1][1].append(_inline(line.replace(".. math::", "")))
        i += 1
    blocks = _sections_to_blocks(sections)
    return Document(rel, _first_heading(blocks) or path.stem, blocks, format="text")


# --- Plain text and HTML -------------------------------------------------------------------------

def load_text(path: Path, rel: str) -> Document:
    text = clean(_read_text(path, rel))
    if not text:
        raise DocumentError(rel, "no text")
    title = text.split("\n", 1)[0][:120] or path.stem
    return Document(rel, title, [Block(text, page=1)], format="text")


def _read_text(path: Path, rel: str) -> str:
    data = read_bytes(path, rel)
    if b"\x00" in data[:4096]:
        raise DocumentError(rel, "binary content in a text file, skipped")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


class _HTMLText(HTMLParser):
    SKIP = {"script", "style", "noscript", "template", "svg", "head", "nav", "footer"}
    BLOCK = {"p", "div", "li", "br", "tr", "section", "article", "pre", "blockquote", "table", "dd", "dt"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sections: list[tuple[tuple[str, ...], list[str]]] = [((), [])]
        self.stack: list[tuple[int, str]] = []
        self.skip = 0
        self.heading: int | None = None
        self.buf: list[str] = []
        self.title = ""
        self.in_title = False

    def handle_starttag(self, tag, attrs):
        if tag == "title":
            self.in_title = True
        elif tag in self.SKIP:
            self.skip += 1
        elif re.fullmatch(r"h[1-6]", tag):
            self.heading, self.buf = int(tag[1]), []
        elif tag in self.BLOCK:
            self.sections[-1][1].append("\n")

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
        elif tag in self.SKIP:
            self.skip = max(0, self.skip - 1)
        elif self.heading is not None and tag == f"h{self.heading}":
            title = " ".join("".join(self.buf).split())
            while self.stack and self.stack[-1][0] >= self.heading:
                self.stack.pop()
            self.stack.append((self.heading, title))
            self.sections.append((tuple(t for _, t in self.stack), [title, "\n"]))
            self.heading = None

    def handle_data(self, data):
        if self.in_title:
            self.title += data
        elif self.skip:
            return
        elif self.heading is not None:
            self.buf.append(data)
        else:
            self.sections[-1][1].append(data)


def load_html(path: Path, rel: str) -> Document:
    parser = _HTMLText()
    parser.feed(_read_text(path, rel))
    parser.close()
    sections = [(s, ["".join(parts)]) for s, parts in parser.sections]
    blocks = _sections_to_blocks(sections)
    title = clean(html.unescape(parser.title)) or _first_heading(blocks) or path.stem
    return Document(rel, title, blocks, format="html")


LOADERS: dict[str, Callable[[Path, str], Document]] = {
    ".pdf": load_pdf,
    ".md": load_markdown,
    ".markdown": load_markdown,
    ".rst": load_rst,
    ".txt": load_text,
    ".text": load_text,
    ".html": load_html,
    ".htm": load_html,
}


def loader_for(path: Path) -> Callable[[Path, str], Document] | None:
    return LOADERS.get(path.suffix.lower())


def load_document(path: Path, rel: str) -> Document:
    loader = loader_for(path)
    if loader is None:
        raise DocumentError(rel, f"unsupported file type '{path.suffix or path.name}'")
    return require_text(loader(path, rel))


def require_text(doc: Document) -> Document:
    if not any(b.text.strip() for b in doc.blocks):
        raise DocumentError(doc.path, "no extractable text, skipped")
    return doc
