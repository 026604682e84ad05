"""A follow-up about the previous answer's resources ("which of those is free?", "any of them for beginners?"):
the filters its wishes tighten, and the previous resources that pass them, ranked for the new question."""

from __future__ import annotations

import copy

from ..types import Answer, Filters, ResourceMatch
from .intent import attribute_preferences

_ATTRS = {"access": "free_only", "kind": "kinds", "level": "levels", "math_depth": "math_depths"}


def with_preferences(base: Filters, question: str) -> tuple[Filters, list[str]]:
    """Filters tightened by what a follow-up asks for ("free", "a book", "for beginners"), and those words."""
    prefs = attribute_preferences(question)
    merged = copy.deepcopy(base)
    asked: list[str] = []
    for attr, values in prefs.items():
        if attr not in _ATTRS:  # a refused kind, a year: no filter says them (the ranking still weighs them)
            continue
        if attr == "access":
            merged.free_only = True
            asked.append("free")
            continue
        name = _ATTRS[attr]
        current = getattr(merged, name)
        chosen = [v for v in values if not current or v in current] or list(values)
        setattr(merged, name, chosen)
        asked.append({"kind": "of kind ", "level": "at level ", "math_depth": "with maths "}[attr] + " or ".join(chosen))
    return merged, asked


def restrict_answer(answer: Answer, previous: list[ResourceMatch], filters: Filters,
                    limit_resources: int = 5, limit_passages: int = 5) -> tuple[Answer, list[ResourceMatch]]:
    """Keep only the previous answer's resources that pass `filters`, ranked for the new question.

    Those the new answer ranks come first, in its order (with its reasons); the rest follow in their previous
    order. Returns the restricted answer and the kept matches (empty when none of the previous ones qualifies).
    """
    fresh = {m.resource.id: m for m in answer.resources}
    rank = {m.resource.id: i for i, m in enumerate(answer.resources)}
    kept: list[ResourceMatch] = []
    for old in previous:
        if not filters.allows(old.resource):
            continue
        match = fresh.get(old.resource.id)
        if match is None:
            match = copy.copy(old)
        kept.append(match)
    kept.sort(key=lambda m: rank.get(m.resource.id, len(rank)))  # stable: unranked keep their order
    kept = kept[:limit_resources]
    kept_ids = {m.resource.id for m in kept}
    passages = [h for h in answer.passages if h.resource_id in kept_ids][:limit_passages]
    if not passages:  # fall back to the evidence the previous answer showed for them
        passages = [h for m in kept for h in m.hits][:limit_passages]
    restricted = Answer(question=answer.question, covered=bool(kept), resources=kept, passages=passages,
                        text=answer.text, notes=list(answer.notes))
    return restricted, kept
