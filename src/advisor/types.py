"""Plain records passed between the layers, and the vocabularies that describe a resource."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

# What a catalog record may say of a resource (its `kind` is a resource kind, never a passage kind).
RESOURCE_KINDS = ("book", "course", "lecture-notes", "cheatsheet", "paper", "video-series", "tutorial")
ACCESS = ("free", "free-online", "paid", "archived")
LEVELS = ("intro", "intermediate", "advanced")
MATH_DEPTHS = ("applied", "moderate", "rigorous", "proof-heavy")
# how a paper written to teach a field, not to bring a result, calls itself in its title or first sentence
_EXPOSITORY = re.compile(r"\b(survey|review|tutorial|overview|monograph|primer|introduction)\b", re.I)


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

    @property
    def is_expository(self) -> bool:
        """A survey, review or tutorial paper: it teaches its field as a text does ("the best next read")."""
        return self.kind == "paper" and bool(_EXPOSITORY.search(f"{self.title} {self.description.split('. ')[0]}"))

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
    format: str = "pdf"  # pdf | markdown | text | html | catalog
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
    passage_kind: str = "prose"  # definition, theorem, proof, ... (comma-joined) or catalog
    # (offset in text, page) where each later page begins: a passage across pages links to the page it quotes
    page_breaks: tuple[tuple[int, int], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["section"] = list(self.section)
        data["page_breaks"] = [list(b) for b in self.page_breaks]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Chunk":
        data = dict(data)
        if "kind" in data:  # indexes written before passage and resource kinds had separate names
            data["passage_kind"] = data.pop("kind")
        data["section"] = tuple(data.get("section") or ())
        data["page_breaks"] = tuple((int(o), int(p)) for o, p in data.get("page_breaks") or ())
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
    study_path: list["Step"] = field(default_factory=list)  # prerequisites first
    comparison: list["ComparisonRow"] = field(default_factory=list)  # one row per resource
    query: str = ""  # what was searched: the question, or with the earlier turn a follow-up leans on
    follows: bool = False  # whether the question was read as a follow-up, with the earlier turn
    scope: "Scope | None" = None  # set when the question was about the previous answer's resources
    aside: bool = False  # said in passing ("random: anyone still use MATLAB?"): the thread goes on from the turn before


@dataclass
class Scope:
    """How a follow-up about the previous answer's resources ("which of those is free?") was answered."""
    previous: int  # how many resources the previous answer had
    asked: list[str]  # what the follow-up asked of them, in words ("free", "of kind course")
    kept: int  # how many of them qualified (0: the answer is from the whole library)

    def describe(self) -> str:
        """The sentence an answer opens with (plain text; the web escapes it)."""
        n, what = self.previous, " and ".join(self.asked)
        them = f"{n} resource{'s' if n != 1 else ''} in my previous answer"
        if not self.kept:
            return f"None of the {them} is {what or 'a match'}. From the whole library:"
        if what:
            return f"Of the {them}, {'these are' if self.kept > 1 else 'this one is'} {what}:"
        return f"Of the {them}, ranked for this question:"


@dataclass
class Filters:
    free_only: bool = False
    kinds: list[str] = field(default_factory=list)
    levels: list[str] = field(default_factory=list)
    math_depths: list[str] = field(default_factory=list)

    def allows(self, r: Resource) -> bool:
        if self.free_only and not r.is_free:
            return False
        if self.kinds and r.kind not in self.kinds:
            return False
        if self.levels and r.level not in self.levels:
            return False
        if self.math_depths and r.math_depth not in self.math_depths:
            return False
        return True

    @property
    def active(self) -> bool:
        return bool(self.free_only or self.kinds or self.levels or self.math_depths)

    def key(self) -> tuple | None:
        """What is filtered, hashable (None: nothing), for results kept per filter setting."""
        return (self.free_only, tuple(self.kinds), tuple(self.levels), tuple(self.math_depths)) if self.active else None


@dataclass
class Step:
    topic: str
    name: str
    resource: Resource | None = None
    chapter: str | None = None
    passage: Hit | None = None


@dataclass
class ComparisonRow:
    resource: Resource
    defines: list[str] = field(default_factory=list)
    proves: list[str] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)
    exercises: list[str] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)


@dataclass
class Progress:
    stage: str  # scanning | reading | embedding | catalog | writing | done
    files_done: int = 0
    files_total: int = 0
    pages_done: int = 0
    chunks_done: int = 0
    chunks_queued: int = 0
    elapsed: float = 0.0

    @property
    def eta_seconds(self) -> float | None:
        if self.files_done == 0 or self.files_total == 0 or self.stage in ("done", "scanning"):
            return None
        return self.elapsed / self.files_done * (self.files_total - self.files_done)


@dataclass
class BuildReport:
    files_total: int = 0
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    catalog_problems: list[str] = field(default_factory=list)
    chunks_total: int = 0
    chunks_embedded: int = 0
    pages_read: int = 0
    full_rebuild_reason: str | None = None
    notes: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    index_dir: str = ""
    noop: bool = False

    def to_dict(self) -> dict:
        return {
            **{k: v for k, v in self.__dict__.items() if k != "skipped"},
            "skipped": [{"file": f, "reason": r} for f, r in self.skipped],
        }


@dataclass
class BuildStatus:
    running: bool = False
    progress: Progress | None = None
    report: BuildReport | None = None
    error: str | None = None
    started_at: float | None = None
    finished_at: float | None = None
    stage: str | None = None  # what is already served while the build goes on


@dataclass
class FetchStatus:
    """Downloads of free books started from the web app: one line of state per resource, in order.

    Each value of `files` is "pending", "downloading", "done", "already here", "cancelled" or "failed: <reason>".
    """

    running: bool = False
    files: dict[str, str] = field(default_factory=dict)
    new_files: list[str] = field(default_factory=list)  # downloaded now, relative to the corpus root
    cancel_requested: bool = False
    rebuild_started: bool = False
    error: str | None = None
    started_at: float | None = None
    finished_at: float | None = None

    @property
    def finished(self) -> int:
        return sum(1 for s in self.files.values() if s not in ("pending", "downloading"))
