"""Study paths over the topic prerequisite graph, and comparisons of how resources treat a topic."""

from __future__ import annotations


from ..library.catalog import Topic
from ..ingest.passages import chunk_kinds
from ..types import ComparisonRow, Hit, Resource, Step



def prerequisite_order(targets: list[str], topics: dict[str, Topic], limit: int = 12) -> list[str]:
    """Prerequisites of the targets, deepest first (a topological order), then the targets themselves."""
    order: list[str] = []
    seen: set[str] = set()

    def visit(tid: str, depth: int) -> None:
        if tid in seen or tid not in topics or depth > 6:
            return
        seen.add(tid)
        for pre in topics[tid].prerequisites:
            visit(pre, depth + 1)
        order.append(tid)

    for t in targets:
        visit(t, 0)
    if len(order) > limit:  # keep the targets and their nearest prerequisites
        near = {p for t in targets if t in topics for p in topics[t].prerequisites}
        keep = [t for t in order if t in targets or t in near]
        rest = [t for t in order if t not in keep]
        order = [t for t in order if t in keep or t in rest[-(limit - len(keep)):]] if len(keep) < limit else keep
    return order


def best_resource_for(topic: str, resources: dict[str, Resource], indexed: set[str]) -> tuple[Resource | None, str | None]:
    """A resource that teaches a topic: a chapter on it beats a mention; free, gentler and indexed ones first."""
    level_rank = {"intro": 0, "intermediate": 1, "advanced": 2}
    best, best_key, best_chapter = None, None, None
    for r in resources.values():
        if not r.from_catalog:
            continue
        chapter = next((c.title for c in r.chapters if topic in c.topics), None)
        if chapter is None and topic not in r.topics:
            continue
        key = (chapter is None, r.id not in indexed, not r.is_free, level_rank.get(r.level or "", 1), r.id)
        if best_key is None or key < best_key:
            best, best_key, best_chapter = r, key, chapter
    return best, best_chapter


def compare(hits: list[Hit], resources: dict[str, Resource], page_of) -> list[ComparisonRow]:
    rows: dict[str, ComparisonRow] = {}
    for h in hits:
        r = resources.get(h.resource_id)
        if r is None:
            continue
        row = rows.setdefault(r.id, ComparisonRow(r))
        page = page_of(h.chunk)
        kinds = chunk_kinds(h.chunk)
        for kind, bucket in (("definition", row.defines), (("proof", "theorem"), row.proves),
                             ("example", row.examples), ("exercise", row.exercises)):
            wanted = kind if isinstance(kind, tuple) else (kind,)
            if set(wanted) & set(kinds) and page not in bucket:
                bucket.append(page)
        if page not in row.pages:
            row.pages.append(page)
    return list(rows.values())


def render_comparison(rows: list[ComparisonRow]) -> str:
    def cell(values: list[str]) -> str:
        return ", ".join(values[:4]) + (" …" if len(values) > 4 else "") if values else "–"

    lines = ["| resource | defines | proves | examples | exercises | pages | math depth |", "|---|---|---|---|---|---|---|"]
    for row in rows:
        title = row.resource.title.replace("|", "/")
        lines.append(f"| {title} | {cell(row.defines)} | {cell(row.proves)} | {cell(row.examples)} | "
                     f"{cell(row.exercises)} | {cell(row.pages)} | {row.resource.math_depth or '–'} |")
    return "\n".join(lines)


def render_path(steps: list[Step], citation) -> str:
    lines = []
    for n, s in enumerate(steps, 1):
        line = f"{n}. **{s.name}**"
        if s.resource is not None:
            line += f" — {s.resource.title}" + (f", chapter “{s.chapter}”" if s.chapter else "")
        if s.passage is not None:
            line += f" (see {citation(s.passage)})"
        lines.append(line)
    return "\n".join(lines)
