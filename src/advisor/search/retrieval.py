"""Hybrid retrieval: BM25 and dense candidates fused by reciprocal rank, grouped into resources."""

from __future__ import annotations

import math
from typing import Callable, Sequence

import numpy as np

from ..library.topics import Topic, TopicMatcher
from ..store.embeddings import Embedder
from ..errors import UserInputError
from ..store.index import HybridIndex, LoadedIndex
from .intent import IntentReader, attribute_preferences, question_intent
from ..store.keywords import keyword_tokens
from ..ingest.passages import chunk_kinds
from ..textnorm import normalize
from ..types import Filters, Hit, Resource, ResourceMatch


def rrf(rankings: Sequence[Sequence[int]], k: int = 60, weights: Sequence[float] | None = None) -> dict[int, float]:
    """Reciprocal rank fusion of ranked id lists."""
    fused: dict[int, float] = {}
    for n, ranking in enumerate(rankings):
        w = 1.0 if weights is None else weights[n]
        for rank, item in enumerate(ranking):
            fused[item] = fused.get(item, 0.0) + w / (k + rank + 1)
    return fused


def convex_fusion(dense: dict[int, float], bm25: dict[int, float], alpha: float = 0.7) -> dict[int, float]:
    """alpha * z(dense) + (1 - alpha) * z(BM25) over the candidates, each score standardized over them.

    Unlike rank fusion this keeps how far apart the scores are: a passage that is a close second on
    one side and absent from the other's short list is not pushed below weak matches of both.
    Candidates missing from one side must be given their score there (0 when BM25 finds no term).
    """
    ids = list(dense.keys() | bm25.keys())
    if not ids:
        return {}
    fused = np.zeros(len(ids))
    for weight, scores in ((alpha, dense), (1.0 - alpha, bm25)):
        if weight == 0:
            continue
        values = np.array([scores.get(i, 0.0) for i in ids], dtype=np.float64)
        spread = values.std()
        if spread > 0:
            fused += weight * (values - values.mean()) / spread
    return dict(zip(ids, fused.tolist()))


def one_per_place(hits: list[Hit]) -> list[Hit]:
    """The best passage of each (file, first page, section): overlapping windows of one page would
    otherwise fill several slots with one citation and push the next place down."""
    seen: set[tuple] = set()
    out = []
    for h in hits:
        c = h.chunk
        place = (c.path, c.page_start, c.section)
        if place not in seen:
            seen.add(place)
            out.append(h)
    return out



EXPANSION_WEIGHT = 0.5


class Retriever:
    def __init__(self, index: LoadedIndex, embedder: Embedder, topics: dict[str, Topic], *,
                 candidates: int = 60, rrf_k: int = 60, expand: bool = True,
                 reranker: Callable[[str, list[Hit]], list[Hit]] | None = None, evidence_similarity: float = 0.45,
                 kind_boost: float = 0.0, fusion: str = "convex", dense_weight: float = 0.7):
        self.index = index
        self.embedder = embedder
        self.matcher = TopicMatcher(topics)
        self.candidates = candidates
        self.rrf_k = rrf_k
        self.expand = expand
        self.reranker = reranker
        self.intents = IntentReader(index.resources)
        self.evidence_similarity = evidence_similarity
        self.kind_boost = kind_boost
        if fusion not in ("convex", "rrf"):
            raise UserInputError(f"ADVISOR_FUSION={fusion!r} is not a fusion method (convex or rrf)")
        self.fusion = fusion
        self.dense_weight = dense_weight
        self.collapse_places = True  # one passage per (file, page, section); off only to measure it

    def embed_query(self, query: str) -> np.ndarray:
        return self.embedder.encode([normalize(query)])[0]

    def query_tokens(self, query: str) -> tuple[list[str], list[str]]:
        """Keyword tokens of the question, and of its expansion (other spellings of its acronyms)."""
        extra = self.matcher.expansion(query) if self.expand else ""
        return keyword_tokens(query), keyword_tokens(extra) if extra else []

    def keyword_scores(self, idx: HybridIndex, query: str) -> np.ndarray:
        asked, extra = self.query_tokens(query)
        scores = idx.bm25_scores(asked)
        if extra:
            scores = scores + EXPANSION_WEIGHT * idx.bm25_scores(extra)
        return scores

    def search(self, query: str, k: int = 10, filters: Filters | None = None, mode: str = "hybrid",
               qvec: np.ndarray | None = None) -> list[Hit]:
        """Ranked passages from the full texts (catalog records are not passages)."""
        qvec = self.embed_query(query) if qvec is None and mode != "bm25" else qvec
        hits = self._search_index(self.index.texts, query, qvec, filters, mode, self.candidates)
        if self.collapse_places:
            hits = one_per_place(hits)
        if self.reranker is not None and hits:
            hits = self.reranker(query, hits[: max(k, 30)])
        return hits[:k]

    def _search_index(self, idx: HybridIndex, query: str, qvec, filters, mode: str, n: int) -> list[Hit]:
        if not len(idx):
            return []
        allowed = self._allowed_mask(idx, filters)
        want = n if allowed is None else min(len(idx), n * 4)
        dense_ids: list[int] = []
        dense_scores: dict[int, float] = {}
        if mode in ("hybrid", "dense"):
            ids, scores = idx.dense_search(qvec, want)
            for i, s in zip(ids.tolist(), scores.tolist()):
                if allowed is None or allowed[i]:
                    dense_ids.append(i)
                    dense_scores[i] = s
            dense_ids = dense_ids[:n]
        bm25_ids: list[int] = []
        bm25_scores: dict[int, float] = {}
        if mode in ("hybrid", "bm25"):
            bm25_all = self.keyword_scores(idx, query)
            if allowed is not None:
                bm25_all = np.where(allowed, bm25_all, 0.0)
            if bm25_all.size and bm25_all.max() > 0:
                top = np.argpartition(-bm25_all, min(n, len(bm25_all)) - 1)[:n]
                top = top[np.argsort(-bm25_all[top], kind="stable")]
                bm25_ids = [int(i) for i in top if bm25_all[i] > 0]
                bm25_scores = {i: float(bm25_all[i]) for i in bm25_ids}
        if mode != "hybrid" or self.fusion == "rrf":
            fused = rrf([dense_ids, bm25_ids], k=self.rrf_k)
            bonus = lambda i: fused[i] * self.kind_boost  # noqa: E731
        else:
            # each side's score for the other side's candidates, so none is scored as absent
            missing = sorted(set(bm25_ids) - dense_scores.keys())
            if missing:
                dense_scores.update(zip(missing, (idx.vectors[missing] @ qvec).tolist()))
            candidates = set(dense_ids) | set(bm25_ids)
            fused = convex_fusion({i: dense_scores[i] for i in candidates},
                                  {i: float(bm25_all[i]) for i in candidates} if bm25_ids else {}, self.dense_weight)
            bonus = lambda i: self.kind_boost  # noqa: E731  (fused scores are in standard deviations)
        wanted = question_intent(query) if self.kind_boost else ()
        if wanted:
            for i in list(fused):
                if set(chunk_kinds(idx.chunks[i])) & set(wanted):
                    fused[i] += bonus(i)
        order = sorted(fused, key=lambda i: -fused[i])
        dense_rank = {i: r for r, i in enumerate(dense_ids)}
        bm25_rank = {i: r for r, i in enumerate(bm25_ids)}
        hits = []
        for i in order:
            chunk = idx.chunks[i]
            hits.append(Hit(
                chunk=chunk, score=fused[i], resource_id=self._resource_of(chunk),
                dense=dense_scores.get(i), bm25=bm25_scores.get(i),
                dense_rank=dense_rank.get(i), bm25_rank=bm25_rank.get(i),
            ))
        return hits

    def _resource_of(self, chunk) -> str:
        if chunk.passage_kind == "catalog":
            return chunk.path.rsplit("/", 1)[-1][:-3]
        return self.index.file_resource.get(chunk.path, f"file:{chunk.path}")

    def _allowed_mask(self, idx: HybridIndex, filters: Filters | None) -> np.ndarray | None:
        if filters is None or not filters.active:
            return None
        ok: dict[str, bool] = {}
        mask = np.zeros(len(idx), dtype=bool)
        for i, chunk in enumerate(idx.chunks):
            rid = self._resource_of(chunk)
            if rid not in ok:
                r = self.index.resources.get(rid)
                ok[rid] = r is not None and filters.allows(r)
            mask[i] = ok[rid]
        return mask

    def recommend(self, query: str, passages: list[Hit], k: int = 5, filters: Filters | None = None,
                  qvec: np.ndarray | None = None) -> list[ResourceMatch]:
        """Resources ranked by fusing: catalog-record retrieval, passage evidence, topic overlap."""
        topic_ids = self.matcher.find(query)
        qvec = self.embed_query(query) if qvec is None else qvec
        record_hits = self._search_index(self.index.catalog, query, qvec, filters, "hybrid", self.candidates)
        record_rank: list[str] = []
        best_record_hit: dict[str, Hit] = {}
        for h in record_hits:
            if h.resource_id not in best_record_hit:
                best_record_hit[h.resource_id] = h
                record_rank.append(h.resource_id)

        evidence: dict[str, float] = {}
        by_resource: dict[str, list[Hit]] = {}
        for rank, h in enumerate(passages):
            by_resource.setdefault(h.resource_id, []).append(h)
            if (h.dense or 0.0) < self.evidence_similarity:
                continue  # weak passages say little about which resource is right
            # diminishing credit for a resource's 2nd, 3rd... passage
            nth = len(by_resource[h.resource_id])
            evidence[h.resource_id] = evidence.get(h.resource_id, 0.0) + 1.0 / (self.rrf_k + rank + 1) / nth
        passage_rank = sorted(evidence, key=lambda r: -evidence[r])

        overlap = self._topic_overlap(topic_ids, filters)
        topic_rank = sorted(overlap, key=lambda r: -overlap[r])
        named_rank, exclude = self._named_resources(query, filters)
        # Records describe what a resource is for; passages only exist for the full texts we hold,
        # so they are weaker evidence about which resource to pick.
        fused = rrf([record_rank, passage_rank, topic_rank, named_rank], k=self.rrf_k, weights=(1.0, 0.5, 1.0, 1.5))
        prefs = attribute_preferences(query)
        matches = []
        for rid, score in fused.items():
            r = self.index.resources.get(rid)
            if r is None or rid in exclude or (filters is not None and not filters.allows(r)):
                continue
            own = resource_topics(r)
            matches.append(ResourceMatch(
                resource=r, score=score * preference_factor(r, prefs), hits=by_resource.get(rid, [])[:3],
                matched_topics=[t for t in topic_ids if t in own],
            ))
        matches.sort(key=lambda m: -m.score)
        return matches[:k]

    def _named_resources(self, query: str, filters: Filters | None) -> tuple[list[str], set[str]]:
        """Resources the question names, or, for "before X" / "after X" questions, what leads to or follows X."""
        intent = self.intents.read(query)
        if not intent.mentioned:
            return [], set()
        named = [self.index.resources[rid] for rid in intent.mentioned]
        if intent.compares or not (intent.wants_prerequisites or intent.wants_next_step):
            return intent.mentioned, set()
        if intent.wants_prerequisites:
            wanted = [t for r in named for t in r.prerequisites]
            scores = self._topic_overlap(list(dict.fromkeys(wanted)), filters)
            for rid in scores:
                if self.index.resources[rid].level == "advanced":
                    scores[rid] *= 0.5
        else:
            wanted = [t for r in named for t in r.topics]
            scores = self._topic_overlap(list(dict.fromkeys(wanted)), filters)
            floor = max(_DEPTH.index(r.math_depth) if r.math_depth in _DEPTH else 0 for r in named)
            for rid in list(scores):
                depth = self.index.resources[rid].math_depth
                if depth not in _DEPTH or _DEPTH.index(depth) <= floor:
                    scores[rid] *= 0.3
        ranking = [rid for rid in sorted(scores, key=lambda r: -scores[r]) if rid not in intent.mentioned]
        return ranking, set(intent.mentioned)

    def _topic_overlap(self, topic_ids: list[str], filters: Filters | None) -> dict[str, float]:
        """Resources sharing the question's topics, rare topics counting more (IDF over the catalog)."""
        if not topic_ids:
            return {}
        resources = [r for r in self.index.resources.values() if r.from_catalog]
        n = max(len(resources), 1)
        df = {t: sum(1 for r in resources if t in resource_topics(r)) for t in topic_ids}
        scores: dict[str, float] = {}
        for r in resources:
            if filters is not None and not filters.allows(r):
                continue
            own = resource_topics(r)
            score = sum(math.log(1 + n / df[t]) for t in topic_ids if t in own and df[t])
            if score:
                # a resource whose own topic list names it (not only a chapter) treats it centrally
                score += 0.1 * sum(1 for t in topic_ids if t in r.topics)
                scores[r.id] = score
        return scores


_DEPTH = ["applied", "moderate", "rigorous", "proof-heavy"]


def resource_topics(r: Resource) -> set[str]:
    return set(r.topics) | {t for c in r.chapters for t in c.topics}



# Values at the far end from what was asked for are demoted, not removed.
_OPPOSITE = {("math_depth", "rigorous"): ("applied",), ("math_depth", "applied"): ("proof-heavy",),
             ("level", "intro"): ("advanced",), ("level", "advanced"): ("intro",)}


def preference_factor(r: Resource, prefs: dict[str, tuple[str, ...]]) -> float:
    factor = 1.0
    for attr, wanted in prefs.items():
        value = getattr(r, attr, None)
        if value in wanted:
            factor *= 1.3
        elif any(value in _OPPOSITE.get((attr, w), ()) for w in wanted):
            factor *= 0.4
    return factor
