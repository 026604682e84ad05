"""Plain records passed between the stages of the pipeline."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Chapter:
    title: str
    topics: list[str] = field(default_factory=list)
    pages: list[int] | None = None  # [first, last] as printed in the book, when known


@dataclass
class Resource:
    """A learning resource: a catalog record, or a file that no record claims."""

    id: str
    title: str
    authors: list[str] = field(default_factory=list)
    year: int | None = None
    kind: str = "book"
    url: str | None = None
    pdf_url: str | None = None
    access: str | None = None
    license: str | None = None
    level: str | None = None
    math_depth: str | None = None
    prerequisites: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    chapters: list[Chapter] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    description: str = ""
    source: str | None = None  # catalog file it came from, relative to the corpus root
    from_catalog: bool = True
    aliases: list[str] = field(default_factory=list)  # names learners use that the title lacks: "ESL", "Bishop"
    sha256: str | None = None  # pins the official PDF's bytes when known

    @property
    def is_free(self) -> bool:
        return self.access in ("free", "free-online")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Resource":
        data = dict(data)
        data["chapters"] = [Chapter(**c) for c in data.get("chapters") or []]
        return cls(**data)


@dataclass
class Block:
    """A run of text from one page (PDF) or one section (Markdown, HTML, text)."""

    text: str
    page: int = 1  # 1-based PDF page index; 1 for formats without pages
    page_label: str | None = None
    section: tuple[str, ...] = ()


@dataclass
class Document:
    path: str  # relative to the indexed root, with forward slashes
    title: str
    blocks: list[Block]
    kind: str = "pdf"  # pdf | markdown | text | html | catalog
    n_pages: int = 1
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass
class Chunk:
    id: str
    path: str
    text: str
    page_start: int
    page_end: int
    label_start: str | None = None
    label_end: str | None = None
    section: tuple[str, ...] = ()
    kind: str = "prose"  # passage kind: definition, theorem, proof, ... or catalog

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["section"] = list(self.section)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Chunk":
        data = dict(data)
        data["section"] = tuple(data.get("section") or ())
        return cls(**data)


@dataclass
class Hit:
    """A retrieved chunk with its scores and the resource it belongs to."""

    chunk: Chunk
    score: float
    resource_id: str
    dense: float | None = None  # cosine similarity, when the dense retriever saw it
    bm25: float | None = None
    dense_rank: int | None = None
    bm25_rank: int | None = None


@dataclass
class ResourceMatch:
    resource: Resource
    score: float
    reasons: list[str] = field(default_factory=list)
    hits: list[Hit] = field(default_factory=list)
    matched_topics: list[str] = field(default_factory=list)


@dataclass
class Answer:
    question: str
    covered: bool
    resources: list[ResourceMatch]
    passages: list[Hit]
    text: str = ""  # rendered Markdown reply
    notes: list[str] = field(default_factory=list)
    study_path: list[Any] = field(default_factory=list)  # guide.Step, prerequisites first
    comparison: list[Any] = field(default_factory=list)  # guide.ComparisonRow per resource
