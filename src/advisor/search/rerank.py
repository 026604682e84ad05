"""Optional reranking of the fused candidates by a local cross-encoder (off unless configured)."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from ..errors import ModelError
from ..types import Hit

Reranker = Callable[[str, list[Hit]], list[Hit]]


class CrossEncoderReranker:
    """Scores (question, passage) pairs with a sentence-transformers CrossEncoder from a local directory."""

    def __init__(self, path: str, weight: float = 1.0):
        if not Path(path).expanduser().is_dir():
            raise ModelError(f"reranker '{path}' is not a local model directory (advisor never downloads models)")
        try:
            from sentence_transformers import CrossEncoder

            self.model = CrossEncoder(str(Path(path).expanduser()), device="cpu")
        except Exception as exc:
            raise ModelError(f"cannot load reranker from {path}: {str(exc).splitlines()[0][:120]}") from None
        self.weight = weight

    def __call__(self, query: str, hits: list[Hit]) -> list[Hit]:
        if not hits:
            return hits
        scores = self.model.predict([(query, h.chunk.text) for h in hits], show_progress_bar=False)
        # keep the fused order as a tie-breaker: rank-fuse the two orderings rather than trust raw logits
        by_model = sorted(range(len(hits)), key=lambda i: -float(scores[i]))
        fused = {i: 1.0 / (60 + r + 1) for r, i in enumerate(range(len(hits)))}
        for r, i in enumerate(by_model):
            fused[i] += self.weight / (60 + r + 1)
        order = sorted(fused, key=lambda i: -fused[i])
        out = []
        for i in order:
            h = hits[i]
            h.score = fused[i]
            out.append(h)
        return out


def load_reranker(path: str | None) -> Reranker | None:
    return CrossEncoderReranker(path) if path else None
