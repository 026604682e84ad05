"""Study paths over the topic prerequisite graph, and comparisons of how resources treat a topic."""

from __future__ import annotations


from ..library.catalog import Topic
from ..ingest.passages import chunk_kinds
from ..types import ComparisonRow, Hit, Resource, Step



# Foundations a learner takes first, when two topics are equally deep in the prerequisite graph.
FOUNDATIONS = ("mathematical-proofs", "vectors", "matrices", "linear-algebra", "vector-spaces", "calculus",
               "multivariable-calculus", "probability", "random-variables", "statistics", "optimization")


def prerequisite_order(targets: list[str], topics: dict[str, Topic], limit: int = 12) -> list[str]:
    """Prerequisites of the targets, then the targets: foundations first, as a learner would take them.

    Topics are ordered by their depth in the prerequisite graph (a topic always after its prerequisites),
    equally deep ones by how foundational they are (linear algebra, calculus, probability, optimization).
    """
    depth: dict[str, int] = {}

    def level(tid: str, seen: frozenset = frozenset()) -> int:
        if tid not in depth:
            pres = [p for p in topics[tid].prerequisites if p in topics and p not in seen]
            depth[tid] = 1 + max((level(p, seen | {tid}) for p in pres), default=-1)
        return depth[tid]

    chosen: list[str] = []

    def visit(tid: str, hops: int) -> None:
        if tid in chosen or tid not in topics or hops > 6:
            return
        chosen.append(tid)
        for pre in topics[tid].prerequisites:
            visit(pre, hops + 1)

    for t in targets:
        visit(t, 0)
    if len(chosen) > limit:  # keep the targets and the prerequisites nearest to them
        near = [t for t in chosen if t in targets] + [p for t in targets if t in topics for p in topics[t].prerequisites]
        rest = [t for t in chosen if t not in near]
        chosen = list(dict.fromkeys(near + rest))[:max(limit, len(set(near)))]
    rank = {t: i for i, t in enumerate(FOUNDATIONS)}
    # a target is the topic itself, last, unless another step builds on it: "never took linear algebra; what before
    # ESL?" names linear algebra, which comes before ESL's machine learning, not after it
    below = set().union(*(_ancestors(t, topics) for t in chosen))
    last = {t for t in targets if t not in below}
    return sorted(chosen, key=lambda t: (t in last, level(t), rank.get(t, len(rank)), t))


def _ancestors(tid: str, topics: dict[str, Topic]) -> set[str]:
    """Every topic `tid` builds on, directly or not (a cycle back to `tid` is cut where it closes). Each topic is
    visited once: walking every path instead grows with the number of paths through a diamond-rich vocabulary."""
    out: set[str] = set()
    stack = [tid]
    while stack:
        for p in topics[stack.pop()].prerequisites:
            if p in topics and p != tid and p not in out:
                out.add(p)
                stack.append(p)
    return out


def best_resource_for(topic: str, resources: dict[str, Resource], indexed: set[str]) -> tuple[Resource | None, str | None]:
    """The resource that teaches a topic best for a learner on the way: a text that teaches (not a research paper)
    that treats it centrally (a chapter on it, or among its first topics) beats one that touches it; then free,
    gentler, indexed ones first.
    A resource that does not list the topic is never named for it."""
    level_rank = {"intro": 0, "intermediate": 1, "advanced": 2}
    best, best_key, best_chapter = None, None, None
    for r in resources.values():
        if not r.from_catalog:
            continue
        chapter = next((c.title for c in r.chapters if topic in c.topics), None)
        if chapter is None and topic not in r.topics:
            continue
        central = chapter is not None or r.topics.index(topic) < 3
        # a research paper teaches a step only when nothing else covers it
        key = (r.kind == "paper", not central, not r.is_free, level_rank.get(r.level or "", 1), r.id not in indexed,
               len(r.topics), r.id)
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
