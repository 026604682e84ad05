"""Adding a resource to the library: the file goes to corpus/texts/<id>/, its record to corpus/catalog/<id>.md.

Nothing is ever written outside the corpus folder: file names are reduced to safe characters, ids are
slugs, and every destination is checked to resolve inside the corpus before anything is written.
"""

from __future__ import annotations

import re
import shutil
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..fileops import atomic_copy, atomic_write_text, inside
from ..types import ACCESS, LEVELS, MATH_DEPTHS, RESOURCE_KINDS
from .topics import TopicMatcher
from .catalog import Catalog, load_topics, parse_record, validate
from ..errors import CatalogError, UserInputError
from ..types import Resource

SUPPORTED_SUFFIXES = {".pdf": "pdf", ".md": "markdown", ".markdown": "markdown", ".txt": "text", ".text": "text"}
MAX_NAME_CHARS = 100
MAX_ID_CHARS = 60
MAX_TOPICS_INFERRED = 8
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class LibraryError(UserInputError):
    """A resource could not be added; the message says why, in one line."""


@dataclass
class AddedResource:
    id: str
    title: str
    file_key: str  # texts/<id>/<name>, the key the index will know the file by
    file_path: Path
    record_path: Path
    record: Resource
    topics_inferred: bool = False
    notes: list[str] = field(default_factory=list)


# --- names ----------------------------------------------------------------------------------------

def sanitize_filename(name: str, default_stem: str = "document") -> str:
    """A bare, safe file name: no directories, no leading dots, only [A-Za-z0-9._-], a lowercase suffix."""
    name = unicodedata.normalize("NFKD", str(name or ""))
    name = name.encode("ascii", "ignore").decode("ascii")
    name = re.split(r"[\\/]", name)[-1]  # drop any directory part, POSIX or Windows
    name = name.replace("\x00", "")
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    stem = _UNSAFE.sub("-", stem).strip(".-_")
    stem = re.sub(r"-{2,}", "-", stem)
    stem = re.sub(r"\.{2,}", ".", stem)
    suffix = _UNSAFE.sub("", suffix).lower()[:10]
    if not stem:
        stem = default_stem
    suffix = f".{suffix}" if suffix else ""
    stem = stem[: MAX_NAME_CHARS - len(suffix)].rstrip(".-_") or default_stem
    return stem + suffix


def slugify(text: str) -> str:
    text = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    slug = slug[:MAX_ID_CHARS].rstrip("-")
    return slug if slug and slug[0].isalnum() else ""


def unique_id(corpus_dir: Path, base: str) -> str:
    corpus_dir = Path(corpus_dir)
    base = slugify(base) or "resource"
    candidate, n = base, 1
    while (corpus_dir / "catalog" / f"{candidate}.md").exists() or (corpus_dir / "texts" / candidate).exists():
        n += 1
        suffix = f"-{n}"
        candidate = base[: MAX_ID_CHARS - len(suffix)].rstrip("-") + suffix
    return candidate


def title_from_filename(name: str) -> str:
    stem = Path(name).stem
    words = re.sub(r"[_\-.]+", " ", stem).strip()
    return (words[:1].upper() + words[1:]) if words else "Untitled document"


def split_people(value) -> list[str]:
    """'A. Smith, B. Jones and C. Li' or a list -> ['A. Smith', 'B. Jones', 'C. Li']."""
    if value is None:
        return []
    items = value if isinstance(value, (list, tuple)) else re.split(r"[;,\n]|\band\b", str(value))
    return [" ".join(str(x).split()) for x in items if str(x).strip()]


# --- topics ---------------------------------------------------------------------------------------

def resolve_topics(wanted, vocabulary: dict) -> tuple[list[str], list[str]]:
    """Topic ids for what the user typed (ids, names or aliases); returns (ids, the ones not understood)."""

    if isinstance(wanted, str):
        wanted = re.split(r"[,;\n]", wanted)
    matcher = None
    by_name = {t.name.lower(): t.id for t in vocabulary.values()}
    ids: list[str] = []
    unknown: list[str] = []
    for raw in wanted or []:
        term = " ".join(str(raw).split())
        if not term:
            continue
        found: list[str] = []
        if term in vocabulary:
            found = [term]
        elif term.lower() in vocabulary:
            found = [term.lower()]
        elif term.lower() in by_name:
            found = [by_name[term.lower()]]
        else:
            matcher = matcher or TopicMatcher(vocabulary)
            found = matcher.find(term)
        if not found:
            unknown.append(term)
        for tid in found:
            if tid not in ids:
                ids.append(tid)
    return ids, unknown


def infer_topics(text: str, vocabulary: dict, limit: int = MAX_TOPICS_INFERRED) -> list[str]:
    """The vocabulary topics a text mentions most often."""

    if not text.strip() or not vocabulary:
        return []
    counts = TopicMatcher(vocabulary).counts(text)
    return sorted(counts, key=lambda t: (-counts[t], t))[:limit]


def text_sample(path: Path, fmt: str, max_chars: int = 60_000, max_pages: int = 12) -> str:
    """The first part of a document's text, for guessing its topics (best effort, never raises)."""
    try:
        if fmt == "pdf":
            import logging
            import warnings

            import pypdf

            logging.getLogger("pypdf").setLevel(logging.CRITICAL)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                reader = pypdf.PdfReader(str(path), strict=False)
                if reader.is_encrypted:
                    reader.decrypt("")
                parts = []
                for page in reader.pages[:max_pages]:
                    parts.append(page.extract_text() or "")
                    if sum(map(len, parts)) > max_chars:
                        break
                return "\n".join(parts)[:max_chars]
        with open(path, "rb") as fh:
            return fh.read(max_chars * 2).decode("utf-8", errors="ignore")[:max_chars]
    except Exception:
        return ""


# --- the record -----------------------------------------------------------------------------------

def record_text(meta: dict, description: str) -> str:
    front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, default_flow_style=None, width=10_000)
    body = " ".join(description.split()) if description else ""
    return f"---\n{front}---\n{body}\n"



def _choice(name: str, value, allowed: tuple[str, ...], default: str) -> str:
    value = (str(value).strip().lower() if value not in (None, "") else default)
    if value not in allowed:
        raise LibraryError(f"{name} '{value}' is not one of {', '.join(allowed)}")
    return value


def add_resource(
    corpus_dir: Path,
    source: Path,
    filename: str | None = None,
    *,
    title: str | None = None,
    authors=None,
    year: int | str | None = None,
    url: str | None = None,
    topics=None,
    kind: str | None = None,
    access: str | None = None,
    level: str | None = None,
    math_depth: str | None = None,
    description: str | None = None,
) -> AddedResource:
    """Copy `source` to corpus/texts/<id>/<safe name> and write a valid catalog record for it.

    The index is not touched: rebuild (incrementally) to make the resource searchable.
    """
    corpus_dir = Path(corpus_dir)
    source = Path(source)
    name, file_format = _checked_source(corpus_dir, source, filename)
    # every field is checked before anything is written: a rejected upload leaves no trace
    title = " ".join(str(title or "").split()) or title_from_filename(name)
    if len(title) > 300:
        raise LibraryError("title is too long (at most 300 characters)")
    people = split_people(authors)
    year_value = _year(year)
    url = (url or "").strip() or None
    vocabulary = load_topics(corpus_dir / "topics.yaml")
    topic_ids, inferred = _choose_topics(topics, vocabulary, title, source, file_format)
    meta: dict = {"id": "", "title": title}
    if people:
        meta["authors"] = people
    if year_value is not None:
        meta["year"] = year_value
    meta["kind"] = _choice("kind", kind, RESOURCE_KINDS, "book" if file_format == "pdf" else "lecture-notes")
    if url:
        meta["url"] = url
    meta["access"] = _choice("access", access, ACCESS, "free")
    meta["level"] = _choice("level", level, LEVELS, "intermediate")
    meta["math_depth"] = _choice("math depth", math_depth, MATH_DEPTHS, "moderate")
    meta["topics"] = topic_ids
    body = description or f"Added through the advisor library on {time.strftime('%Y-%m-%d')} from the file {name}."

    rid = _claim_id(corpus_dir, title if slugify(title) else Path(name).stem)
    meta["id"] = rid
    text = record_text(meta, body)
    texts_dir = corpus_dir / "texts" / rid
    record = _checked_record(text, rid, vocabulary, texts_dir)
    file_path = texts_dir / name
    record_path = corpus_dir / "catalog" / f"{rid}.md"
    _store(source, file_path, record_path, text, corpus_dir, texts_dir)
    notes = []
    if inferred:
        notes.append("topics guessed from the text: " + ", ".join(topic_ids))
    return AddedResource(
        id=rid, title=title, file_key=f"texts/{rid}/{name}", file_path=file_path, record_path=record_path,
        record=record, topics_inferred=inferred, notes=notes,
    )


def _checked_source(corpus_dir: Path, source: Path, filename: str | None) -> tuple[str, str]:
    """The safe file name to store `source` under, and its format; LibraryError if it cannot be added."""
    if not source.is_file():
        raise LibraryError(f"{source.name or source}: no such file")
    if not corpus_dir.is_dir():
        raise LibraryError(f"corpus folder {corpus_dir} does not exist")
    name = sanitize_filename(filename or source.name)
    suffix = Path(name).suffix
    if suffix not in SUPPORTED_SUFFIXES:
        shown = suffix or "no extension"
        raise LibraryError(f"unsupported file type ({shown}): add a PDF, Markdown (.md) or text (.txt) file")
    return name, SUPPORTED_SUFFIXES[suffix]


def _year(year) -> int | None:
    if year in ("", None):
        return None
    try:
        value = int(str(year).strip())
    except ValueError:
        raise LibraryError(f"year '{year}' is not a number") from None
    if not 1000 <= value <= 2100:
        raise LibraryError(f"year {value} is out of range")
    return value


def _choose_topics(wanted, vocabulary: dict, title: str, source: Path, file_format: str) -> tuple[list[str], bool]:
    """The topics the user named, else ones guessed from the text; and whether they were guessed."""
    topic_ids, unknown = resolve_topics(wanted or [], vocabulary)
    if unknown:
        raise LibraryError(
            "unknown topic(s): " + ", ".join(unknown) + " (use topic names or ids from corpus/topics.yaml)"
        )
    if topic_ids:
        return topic_ids, False
    # the title is given twice so that it outweighs any one passage of the sample
    topic_ids = infer_topics(f"{title}\n{title}\n{text_sample(source, file_format)}", vocabulary)
    if not topic_ids:  # a record must name a topic (REQUIRED in catalog.py)
        topic_ids = ["machine-learning"] if "machine-learning" in vocabulary or not vocabulary else [next(iter(vocabulary))]
    return topic_ids, True


def _claim_id(corpus_dir: Path, base: str) -> str:
    """A free id, with its folder texts/<id>/ created (so no other upload can take it)."""
    for folder in (corpus_dir / "texts", corpus_dir / "catalog"):
        folder.mkdir(parents=True, exist_ok=True)
        if not inside(folder, corpus_dir):  # e.g. a symlinked texts/ pointing elsewhere
            raise LibraryError("refusing to write outside the corpus folder")
    for _ in range(20):  # mkdir is the atomic claim: two uploads of one title get two ids
        rid = unique_id(corpus_dir, base)
        try:
            (corpus_dir / "texts" / rid).mkdir()
            return rid
        except FileExistsError:
            continue
    raise LibraryError("could not find a free id for this resource")


def _checked_record(text: str, rid: str, vocabulary: dict, texts_dir: Path) -> Resource:
    """The record `text` parsed and validated; on failure the claimed texts/<id>/ folder is given back."""
    try:
        try:
            record = parse_record(text, f"catalog/{rid}.md")
        except CatalogError as exc:
            raise LibraryError(str(exc)) from None
        problems = validate(Catalog({rid: record}, vocabulary, []))
        if problems:
            raise LibraryError(problems[0])
    except BaseException:
        texts_dir.rmdir()
        raise
    return record


def _store(source: Path, file_path: Path, record_path: Path, text: str, corpus_dir: Path, texts_dir: Path) -> None:
    """Copy the file, then write its record; on failure neither is left behind."""
    try:
        if not (inside(file_path, corpus_dir) and inside(record_path, corpus_dir)):
            raise LibraryError("refusing to write outside the corpus folder")
        atomic_copy(source, file_path, prefix=".upload-")
        atomic_write_text(record_path, text, prefix=".record-")
    except BaseException:
        shutil.rmtree(texts_dir, ignore_errors=True)
        raise


def library_rows(catalog: Catalog, corpus: Path, info: dict | None) -> list[dict]:
    """Every resource with its status: indexed, pending (a record or text the index lacks), or record only."""
    indexed = {r["id"]: r for r in (info or {}).get("resources", [])}
    rows: list[dict] = []
    for rid in sorted(set(catalog.resources) | set(indexed)):
        rec = catalog.resources.get(rid)
        row = dict(indexed.get(rid) or {})
        row.setdefault("id", rid)
        if rec is not None:
            row.update(title=rec.title, kind=rec.kind, access=rec.access)
        files = row.get("files") or 0
        has_text = (corpus / "texts" / rid).is_dir() and any(p.is_file() for p in (corpus / "texts" / rid).rglob("*"))
        if rid not in indexed:
            row["state"], row["status"] = "pending", "new: not indexed yet (rebuild)"
        elif files:
            row["state"] = "indexed"
            row["status"] = "indexed" if rec is not None else "indexed file (no catalog record)"
        elif has_text:
            row["state"], row["status"] = "pending", "full text not indexed yet (rebuild)"
        else:
            row["state"], row["status"] = "record", "catalog record only"
        rows.append(row)
    order = {"indexed": 0, "pending": 1, "record": 2}
    rows.sort(key=lambda r: (order.get(r["state"], 3), str(r.get("title", "")).lower()))
    return rows
