"""The evaluation contract: passage questions (page-level gold) and resource questions (record ids or title gold)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..errors import UserInputError
from ..types import Hit, ResourceMatch


@dataclass
class Question:
    id: str
    question: str
    gold: list[dict] | None = None
    gold_titles: list[str] | None = None
    type: str | None = None  # question type, for per-type figures (named, prerequisites, ...)
    gold_ids: list[str] | None = None  # catalog record ids: exact where a title substring is ambiguous
    history: list[str] | None = None  # the learner's earlier messages of a conversation, in order

    def resource_gold(self, rid: str, title: str) -> bool:
        """Whether a resource is a gold answer: by record id when the question gives ids, else by title."""
        if self.gold_ids:
            return rid in self.gold_ids
        title = title.lower()
        return any(t.lower() in title for t in self.gold_titles or [])


def read_questions(path: Path) -> list[Question]:
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise UserInputError(f"{path}: cannot read ({exc.strerror})") from None
    out = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError:
            raise UserInputError(f"{path}:{n}: not valid JSON") from None
        if not isinstance(obj, dict) or not obj.get("question"):
            raise UserInputError(f"{path}:{n}: needs a 'question'")
        if not obj.get("gold") and not obj.get("gold_titles") and not obj.get("gold_ids"):
            raise UserInputError(f"{path}:{n}: needs 'gold', 'gold_ids' or 'gold_titles'")
        for g in obj.get("gold") or []:
            if not isinstance(g, dict) or "file" not in g or len(g.get("pages", [])) != 2:
                raise UserInputError(f"{path}:{n}: each gold entry needs 'file' and 'pages': [first, last]")
        history = obj.get("history") or []
        if not isinstance(history, list) or not all(isinstance(m, str) and m.strip() for m in history):
            raise UserInputError(f"{path}:{n}: 'history' must be a list of the earlier messages (non-empty strings)")
        out.append(Question(str(obj.get("id", n)), obj["question"], obj.get("gold"), obj.get("gold_titles"),
                            obj.get("type") or obj.get("intent"), obj.get("gold_ids"), history or None))
    return out


def path_matches(path: str, gold_file: str) -> bool:
    """Suffix match on a path-separator boundary: 'a/b.pdf' matches 'x/a/b.pdf', not 'xa/b.pdf'."""
    path, gold_file = path.replace("\\", "/"), gold_file.replace("\\", "/").lstrip("/")
    return path == gold_file or path.endswith("/" + gold_file)


def passage_hit(hit: Hit, gold: list[dict]) -> bool:
    c = hit.chunk
    for g in gold:
        first, last = int(g["pages"][0]), int(g["pages"][1])
        if path_matches(c.path, g["file"]) and c.page_start <= last and c.page_end >= first:
            return True
    return False


def first_rank(flags: list[bool]) -> int | None:
    return next((i + 1 for i, f in enumerate(flags) if f), None)


def summarize(ranks: list[int | None], cutoffs: tuple[int, ...]) -> dict:
    n = len(ranks)
    out: dict = {"n": n}
    for c in cutoffs:
        out[f"hit@{c}"] = round(sum(1 for r in ranks if r is not None and r <= c) / n, 4) if n else None
    out["mrr@10"] = round(sum(1.0 / r for r in ranks if r is not None and r <= 10) / n, 4) if n else None
    return out


def run_eval(questions: list[Question], search: Callable[[str], list[Hit]],
             recommend: Callable[[str, list[str]], list[ResourceMatch]]) -> dict:
    """`recommend(question, history)`: the resources for a question, after the earlier messages of its
    conversation (none for a single question)."""
    passage_ranks: list[int | None] = []
    resource_ranks: list[int | None] = []
    by_type: dict[str, list[int | None]] = {}
    per_question = []
    for q in questions:
        row: dict = {"id": q.id, "question": q.question, "type": q.type}
        if q.history:
            row["history"] = q.history
        if q.gold:
            hits = search(q.question)[:10]
            rank = first_rank([passage_hit(h, q.gold) for h in hits])
            passage_ranks.append(rank)
            row.update(kind="passages", rank=rank, top=[f"{h.chunk.path}#page={h.chunk.page_start}" for h in hits[:3]])
        else:
            matches = recommend(q.question, q.history or [])[:10]
            rank = first_rank([q.resource_gold(m.resource.id, m.resource.title) for m in matches])
            resource_ranks.append(rank)
            if q.type:
                by_type.setdefault(q.type, []).append(rank)
            row.update(kind="resources", rank=rank, top=[m.resource.title for m in matches[:3]])
        per_question.append(row)
    return {
        "passages": summarize(passage_ranks, (1, 5)),
        "resources": summarize(resource_ranks, (1, 3)),
        "resources_by_type": {t: summarize(r, (1, 3)) for t, r in sorted(by_type.items())},
        "questions": per_question,
    }
