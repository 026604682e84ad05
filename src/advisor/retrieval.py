"""Hybrid retrieval: BM25 and dense candidates fused by reciprocal rank, grouped into resources."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np

from .catalog import Topic
from .embeddings import Embedder
from .index import HybridIndex, LoadedIndex
from .keywords import keyword_tokens
from .textclean import normalize
from .types import Hit, Resource, ResourceMatch


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


def rrf(rankings: Sequence[Sequence[int]], k: int = 60, weights: Sequence[float] | None = None) -> dict[int, float]:
    """Reciprocal rank fusion of ranked id lists."""
    fused: dict[int, float] = {}
    for n, ranking in enumerate(rankings):
        w = 1.0 if weights is None else weights[n]
        for rank, item in enumerate(ranking):
            fused[item] = fused.get(item, 0.0) + w / (k + rank + 1)
    return fused


class TopicMatcher:
    """Finds vocabulary topics named in a text by their name or any alias, on word boundaries."""

    def __init__(self, topics: dict[str, Topic]):
        self.topics = topics
        self.patterns: list[tuple[re.Pattern, str]] = []
        for t in topics.values():
            for term in t.terms:
                norm = _norm_term(term)
                if len(norm) < 2:
                    continue
                # short all-caps abbreviations must match case-sensitively ("MAP" is not "map")
                flags = 0 if (term.isupper() and len(term) <= 4) else re.I
                source = term if flags == 0 else norm
                body = r"[\s\-]+".join(re.escape(w) for w in source.split())
                self.patterns.append((re.compile(rf"(?<!\w){body}s?(?!\w)", flags), t.id))

    def find(self, text: str) -> list[str]:
        plain = normalize(text)
        lowered = _norm_term(plain)
        found: list[str] = []
        for pattern, tid in self.patterns:
            target = plain if pattern.flags & re.I == 0 else lowered
            if tid not in found and pattern.search(target):
                found.append(tid)
        return found

    def expansion(self, topic_ids: list[str]) -> str:
        return " ".join(term for tid in topic_ids for term in self.topics[tid].terms)


def _norm_term(text: str) -> str:
    return re.sub(r"[\u2010-\u2015\-]", " ", normalize(text).lower())


class Retriever:
    def __init__(self, index: LoadedIndex, embedder: Embedder, topics: dict[str, Topic], *,
                 candidates: int = 60, rrf_k: int = 60, expand: bool = True,
                 reranker: Callable[[str, list[Hit]], list[Hit]] | None = None):
        self.index = index
        self.embedder = embedder
        self.matcher = TopicMatcher(topics)
        self.candidates = candidates
        self.rrf_k = rrf_k
        self.expand = expand
        self.reranker = reranker

    def embed_query(self, query: str) -> np.ndarray:
        return self.embedder.encode([normalize(query)])[0]

    def query_tokens(self, query: str, topic_ids: list[str]) -> list[str]:
        extra = self.matcher.expansion(topic_ids) if self.expand else ""
        return keyword_tokens(f"{query} {extra}")

    def search(self, query: str, k: int = 10, filters: Filters | None = None, mode: str = "hybrid",
               qvec: np.ndarray | None = None) -> list[Hit]:
        """Ranked passages from the full texts (catalog records are not passages)."""
        topic_ids = self.matcher.find(query)
        qvec = self.embed_query(query) if qvec is None and mode != "bm25" else qvec
        hits = self._search_index(self.index.texts, query, topic_ids, qvec, filters, mode, self.candidates)
        if self.reranker is not None and hits:
            hits = self.reranker(query, hits[: max(k, 30)])
        return hits[:k]

    def _search_index(self, idx: HybridIndex, query: str, topic_ids, qvec, filters, mode: str, n: int) -> list[Hit]:
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
            scores = idx.bm25_scores(self.query_tokens(query, topic_ids))
            if allowed is not None:
                scores = np.where(allowed, scores, 0.0)
            if scores.size and scores.max() > 0:
                top = np.argpartition(-scores, min(n, len(scores)) - 1)[:n]
                top = top[np.argsort(-scores[top], kind="stable")]
                bm25_ids = [int(i) for i in top if scores[i] > 0]
                bm25_scores = {i: float(scores[i]) for i in bm25_ids}
        fused = rrf([dense_ids, bm25_ids], k=self.rrf_k)
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
        if chunk.kind == "catalog":
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
        record_hits = self._search_index(self.index.catalog, query, topic_ids, qvec, filters, "hybrid", self.candidates)
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
            # diminishing credit for a resource's 2nd, 3rd... passage
            nth = len(by_resource[h.resource_id])
            evidence[h.resource_id] = evidence.get(h.resource_id, 0.0) + 1.0 / (self.rrf_k + rank + 1) / nth
        passage_rank = sorted(evidence, key=lambda r: -evidence[r])

        overlap: dict[str, float] = {}
        if topic_ids:
            for rid, r in self.index.resources.items():
                if filters is not None and not filters.allows(r):
                    continue
                own = set(r.topics) | {t for c in r.chapters for t in c.topics}
                n = len(own & set(topic_ids))
                if n:
                    overlap[rid] = n
        topic_rank = sorted(overlap, key=lambda r: (-overlap[r], r))

        fused = rrf([record_rank, passage_rank, topic_rank], k=self.rrf_k)
        prefs = attribute_preferences(query)
        matches = []
        for rid, score in fused.items():
            r = self.index.resources.get(rid)
            if r is None or (filters is not None and not filters.allows(r)):
                continue
            boost = sum(1 for attr, values in prefs.items() if getattr(r, attr, None) in values)
            matched = [t for t in topic_ids if t in set(r.topics) | {x for c in r.chapters for x in c.topics}]
            matches.append(ResourceMatch(
                resource=r, score=score * (1.0 + 0.35 * boost), hits=by_resource.get(rid, [])[:3],
                matched_topics=matched,
            ))
            matches[-1].reasons = []  # filled by the answer composer, which knows the wording
        matches.sort(key=lambda m: -m.score)
        return matches[:k]


# Words in a question that say what kind of resource the learner wants (not what topic).
_PREFERENCES: list[tuple[str, str, tuple[str, ...]]] = [
    (r"\b(free|open[- ]access|no cost|without paying)\b", "access", ("free", "free-online")),
    (r"\b(course|mooc|lectures?|class|videos?|watch)\b", "kind", ("course", "video-series")),
    (r"\b(book|textbook)\b", "kind", ("book",)),
    (r"\b(cheat ?sheets?|reference cards?|quick reference|refresher|summary)\b", "kind", ("cheatsheet",)),
    (r"\b(paper|article|original)\b", "kind", ("paper",)),
    (r"\b(lecture notes|notes)\b", "kind", ("lecture-notes",)),
    (r"\b(tutorial)\b", "kind", ("tutorial",)),
    (r"\b(rigou?rous|proofs?|prove|theorem|theoretical|theory|formal|mathematically|more math)", "math_depth", ("rigorous", "proof-heavy")),
    (r"\b(intuitive|intuition|visual|gentle|practical|hands-on|applied)\b", "math_depth", ("applied", "moderate")),
    (r"\b(beginner|introductory|intro|first course|new to|starting out|basics)\b", "level", ("intro",)),
    (r"\b(advanced|graduate|research[- ]level|phd)\b", "level", ("advanced",)),
]


def attribute_preferences(query: str) -> dict[str, tuple[str, ...]]:
    prefs: dict[str, tuple[str, ...]] = {}
    lowered = query.lower()
    for pattern, attr, values in _PREFERENCES:
        if re.search(pattern, lowered):
            prefs[attr] = tuple(dict.fromkeys(prefs.get(attr, ()) + values))
    return prefs
