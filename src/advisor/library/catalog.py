"""Catalog records (Markdown with YAML front matter), the topic vocabulary, and their validation."""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import yaml

from ..errors import CatalogError
from .topics import Topic, find_cycle, load_topics
from ..types import ACCESS, LEVELS, MATH_DEPTHS, RESOURCE_KINDS, Chapter, Resource

REQUIRED = ("id", "title", "kind", "access", "level", "math_depth", "topics")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
FRONT_MATTER_RE = re.compile(r"\A---\s*\n(.*?)\n---\s*(?:\n|\Z)(.*)\Z", re.S)
LIST_FIELDS = ("authors", "aliases", "prerequisites", "topics", "files", "related")


def split_front_matter(text: str, path: str) -> tuple[dict, str]:
    """Return (front matter, body). Text without front matter gives ({}, text)."""
    match = FRONT_MATTER_RE.match(text.lstrip("\ufeff"))
    if not match:
        return {}, text
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" (line {where.line + 2})" if where is not None else ""
        raise CatalogError(path, f"malformed YAML front matter{line}") from None
    if not isinstance(meta, dict):
        raise CatalogError(path, "front matter is not a mapping of fields")
    return meta, match.group(2)


def parse_record(text: str, path: str) -> Resource:
    """Parse one record; structural problems raise CatalogError naming the file."""
    meta, body = split_front_matter(text, path)
    if not meta:
        raise CatalogError(path, "no YAML front matter (expected a block between --- lines)")
    missing = [k for k in REQUIRED if meta.get(k) in (None, "", [])]
    if missing:
        raise CatalogError(path, f"missing required field(s): {', '.join(missing)}")
    for key in LIST_FIELDS:
        value = meta.get(key)
        if value is None:
            meta[key] = []
        elif isinstance(value, str):
            meta[key] = [value]
        elif not isinstance(value, list):
            raise CatalogError(path, f"field '{key}' must be a list")
        meta[key] = [str(v) for v in meta[key]]
    chapters = []
    for i, ch in enumerate(meta.get("chapters") or []):
        if isinstance(ch, str):
            ch = {"title": ch}
        if not isinstance(ch, dict) or not ch.get("title"):
            raise CatalogError(path, f"chapter {i + 1} needs a title")
        pages = ch.get("pages")
        if pages is not None and not (
            isinstance(pages, list) and len(pages) == 2 and all(isinstance(p, int) for p in pages)
        ):
            raise CatalogError(path, f"chapter '{ch['title']}': pages must be [first, last]")
        chapters.append(Chapter(str(ch["title"]), [str(t) for t in ch.get("topics") or []], pages))
    year = meta.get("year")
    if year is not None and not isinstance(year, int):
        raise CatalogError(path, f"year must be a number, not {year!r}")
    known = {
        "id", "title", "authors", "year", "kind", "url", "pdf_url", "access", "license", "level",
        "math_depth", "prerequisites", "topics", "chapters", "files", "related", "aliases", "sha256",
    }
    unknown = sorted(set(meta) - known)
    if unknown:
        raise CatalogError(path, f"unknown field(s): {', '.join(unknown)}")
    return Resource(
        id=str(meta["id"]),
        title=str(meta["title"]).strip(),
        authors=meta["authors"],
        year=year,
        kind=str(meta["kind"]),
        url=_opt(meta.get("url")),
        pdf_url=_opt(meta.get("pdf_url")),
        access=str(meta["access"]),
        license=_opt(meta.get("license")),
        level=str(meta["level"]),
        math_depth=str(meta["math_depth"]),
        prerequisites=meta["prerequisites"],
        topics=meta["topics"],
        chapters=chapters,
        files=meta["files"],
        related=meta["related"],
        description=body.strip(),
        source=path,
        aliases=meta["aliases"],
        sha256=_opt(meta.get("sha256")),
    )


def _opt(value) -> str | None:
    return None if value in (None, "") else str(value)




@dataclass
class Catalog:
    resources: dict[str, Resource]
    topics: dict[str, Topic]
    problems: list[str]  # one line each: records skipped while loading

    def get(self, rid: str) -> Resource | None:
        return self.resources.get(rid)


def load_catalog(corpus_dir: Path, strict_topics: bool = False) -> Catalog:
    """Load every record under corpus/catalog; malformed records are skipped and reported.

    A malformed topics.yaml would silently empty the topic vocabulary: with `strict_topics` (the index
    build) it is an error naming the file, otherwise it is reported among the problems.
    """
    corpus_dir = Path(corpus_dir)
    resources: dict[str, Resource] = {}
    problems: list[str] = []
    try:
        topics = load_topics(corpus_dir / "topics.yaml")
    except CatalogError as exc:
        if strict_topics:
            raise
        topics, problems = {}, [str(exc)]
    for path in sorted((corpus_dir / "catalog").glob("*.md")):
        rel = path.relative_to(corpus_dir).as_posix()
        try:
            record = parse_record(path.read_text(encoding="utf-8", errors="replace"), rel)
        except CatalogError as exc:
            problems.append(str(exc))
            continue
        if record.id in resources:
            problems.append(f"{rel}: duplicate resource id '{record.id}' (also in {resources[record.id].source})")
            continue
        resources[record.id] = record
    return Catalog(resources, topics, problems)


def validate(catalog: Catalog) -> list[str]:
    """Semantic checks beyond parsing. Returns one line per problem (empty when all is well)."""
    problems = list(catalog.problems)
    topics = catalog.topics
    for r in catalog.resources.values():
        where = r.source or r.id
        if not ID_RE.match(r.id):
            problems.append(f"{where}: id '{r.id}' must be lowercase letters, digits and dashes")
        if r.source and Path(r.source).stem != r.id:
            problems.append(f"{where}: id '{r.id}' does not match the file name")
        for name, value, allowed in (
            ("kind", r.kind, RESOURCE_KINDS), ("access", r.access, ACCESS),
            ("level", r.level, LEVELS), ("math_depth", r.math_depth, MATH_DEPTHS),
        ):
            if value not in allowed:
                problems.append(f"{where}: {name} '{value}' is not one of {', '.join(allowed)}")
        for label, url in (("url", r.url), ("pdf_url", r.pdf_url)):
            if url and not _well_formed_url(url):
                problems.append(f"{where}: {label} '{url}' is not a well-formed http(s) URL")
        if topics:
            used = [*r.topics, *r.prerequisites, *(t for c in r.chapters for t in c.topics)]
            for t in sorted(set(used) - set(topics)):
                problems.append(f"{where}: topic '{t}' is not in topics.yaml")
        for rel in r.related:
            if rel not in catalog.resources:
                problems.append(f"{where}: related id '{rel}' has no record")
    for t in topics.values():
        for p in t.prerequisites:
            if p not in topics:
                problems.append(f"topics.yaml: '{t.id}' prerequisite '{p}' is not a topic")
    cycle = find_cycle({t.id: [p for p in t.prerequisites if p in topics] for t in topics.values()})
    if cycle:
        problems.append("topics.yaml: prerequisite cycle " + " -> ".join(cycle))
    return problems


def _well_formed_url(url: str) -> bool:
    parsed = urlparse(url)
    return parsed.scheme in ("http", "https") and bool(parsed.netloc) and " " not in url




def record_text(r: Resource, topics: dict[str, Topic]) -> str:
    """What a record says, as one passage for retrieval: facts first, then the description."""

    def names(ids: list[str]) -> str:
        return ", ".join(topics[t].name if t in topics else t.replace("-", " ") for t in ids)

    lines = [r.title]
    if r.authors:
        lines.append("by " + ", ".join(r.authors) + (f" ({r.year})" if r.year else ""))
    lines.append(f"{r.kind}; level {r.level}; math depth {r.math_depth}; access {r.access}")
    if r.topics:
        lines.append("Topics: " + names(r.topics))
    if r.prerequisites:
        lines.append("Prerequisites: " + names(r.prerequisites))
    if r.chapters:
        lines.append("Chapters: " + "; ".join(c.title for c in r.chapters))
    if r.description:
        lines.append(r.description)
    return "\n".join(lines)


def claims(r: Resource, key: str) -> bool:
    """Whether a record owns an indexed file (by its `files` globs or the texts/<id>/ convention)."""
    if key.startswith(f"texts/{r.id}/"):
        return True
    for pattern in r.files:
        pattern = pattern.rstrip("/")
        if pattern.endswith("/**"):
            if key.startswith(pattern[:-2]):
                return True
        elif fnmatch.fnmatch(key, pattern) or key.startswith(pattern + "/"):
            return True
    return False
