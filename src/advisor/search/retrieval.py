"""Hybrid retrieval: BM25 and dense candidates fused by reciprocal rank, grouped into resources."""

from __future__ import annotations

import math
import re
from typing import Callable, Sequence

import numpy as np

from ..library.catalog import Topic
from ..store.embeddings import Embedder
from ..errors import UserInputError
from ..store.index import HybridIndex, LoadedIndex
from .intent import IntentReader
from ..store.keywords import keyword_tokens
from ..ingest.passages import chunk_kinds, question_intent
from ..ingest.textclean import normalize
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


class TopicMatcher:
    """Finds vocabulary topics named in a text by their name or any alias, on word boundaries."""

    def __init__(self, topics: dict[str, Topic]):
        self.topics = topics
        self.patterns: list[tuple[re.Pattern, str, str]] = []  # (pattern, topic id, its first word lowered)
        for t in topics.values():
            for term in t.terms:
                norm = _norm_term(term)
                if len(norm) < 2:
                    continue
                # short all-caps abbreviations must match case-sensitively ("MAP" is not "map")
                flags = 0 if (term.isupper() and len(term) <= 4) else re.I
                source = term if flags == 0 else norm
                body = r"[\s\-]+".join(re.escape(w) for w in source.split())
                first = re.split(r"[\s\-]+", norm)[0]
                self.patterns.append((re.compile(rf"(?<!\w){body}s?(?!\w)", flags), t.id, first))

    def find(self, text: str) -> list[str]:
        """Topics named in the text; a match inside a longer one ("dimension" in "VC dimension") is dropped."""
        return [tid for tid, _ in self.find_spans(text)]

    def find_spans(self, text: str) -> list[tuple[str, str]]:
        """(topic id, the words that named it) for each topic named in the text."""
        plain = normalize(text)
        lowered = _norm_term(plain)
        spans: list[tuple[int, int, str]] = []
        for pattern, tid, first in self.patterns:
            if first not in lowered:
                continue  # cheap literal pre-check: most of the ~1,400 patterns cannot match
            target = plain if pattern.flags & re.I == 0 else lowered
            for m in pattern.finditer(target):
                spans.append((m.start(), m.end(), tid))
        found: dict[str, str] = {}
        for a, b, tid in sorted(spans, key=lambda s: (s[0], -(s[1] - s[0]))):
            nested = any(a2 <= a and b <= b2 and (b2 - a2) > (b - a) and t2 != tid for a2, b2, t2 in spans)
            if not nested and tid not in found:
                found[tid] = plain[a:b]
        return list(found.items())

    def counts(self, text: str) -> dict[str, int]:
        """How often each topic is named in a (long) text, e.g. to guess a document's topics."""
        plain = normalize(text)
        lowered = _norm_term(plain)
        counts: dict[str, int] = {}
        for pattern, tid, first in self.patterns:
            if first not in lowered:
                continue
            n = len(pattern.findall(plain if pattern.flags & re.I == 0 else lowered))
            if n:
                counts[tid] = counts.get(tid, 0) + n
        return counts

    def expansion(self, text: str) -> str:
        """The other spelling of an acronym the text uses or spells out: KKT <-> Karush-Kuhn-Tucker.

        Only an acronym and the phrase whose initials it is are exchanged: a topic's looser aliases
        ("convolution" for CNNs, "mean" for expectation) would send a keyword query elsewhere.
        """
        said_words = set(_norm_term(text).split())
        extra: dict[str, str] = {}
        for tid, said in self.find_spans(text):
            topic = self.topics[tid]
            if _is_abbreviation(said):
                phrases = [t for t in topic.terms if not _is_abbreviation(t) and _spells_out(t, said)]
                others = phrases[:1] or [topic.name]  # one spelling: the name comes first
            elif len(_words(said)) > 1:
                others = [a for a in topic.terms if _is_abbreviation(a) and _spells_out(said, a)]
            else:
                continue
            for other in others:
                if not set(_norm_term(other).split()) <= said_words:
                    extra.setdefault(_norm_term(other), other)
        return " ".join(extra.values())


def _words(term: str) -> list[str]:
    return _norm_term(term).split()


def _spells_out(phrase: str, acronym: str) -> bool:
    """Whether the phrase's initials and the acronym's letters agree (one may stop early: ELBO, KL)."""
    initials = "".join(w[0] for w in _words(phrase))
    letters = re.sub(r"[^a-z]", "", acronym.lower()).removesuffix("s") or acronym.lower()
    return len(initials) > 1 and len(letters) > 1 and (initials.startswith(letters) or letters.startswith(initials))


def _is_abbreviation(term: str) -> bool:
    letters = re.sub(r"[^A-Za-z]", "", term)
    return 2 <= len(letters) <= 6 and letters.isupper()


def _norm_term(text: str) -> str:
    return re.sub(r"[\u2010-\u2015\-]", " ", normalize(text).lower())


# Expansion terms count half: they bridge an acronym and its spelling, they are not what was asked
# (at full weight they cost 0.007 passage MRR and 0.013 resource MRR; docs/evaluation.md).
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


# Words in a question that say what kind of resource the learner wants (not what topic).
_PREFERENCES: list[tuple[str, str, tuple[str, ...]]] = [
    (r"\b(free|open[- ]access|no cost|without paying|can't afford|cannot afford)\b", "access", ("free", "free-online")),
    (r"\b(course|mooc|lectures?|class|videos?|watch)\b", "kind", ("course", "video-series")),
    (r"\b(book|textbook)\b", "kind", ("book",)),
    (r"\b(cheat ?sheets?|reference cards?|quick reference|refresher|formula sheet)\b", "kind", ("cheatsheet",)),
    (r"\b(paper|article|original)\b", "kind", ("paper",)),
    (r"\b(lecture notes|notes)\b", "kind", ("lecture-notes",)),
    (r"\btutorial\b", "kind", ("tutorial",)),
    (r"\b(rigou?rous|rigou?r|proofs?|prove[sd]?|proving|theorems?|theoretical|formal|derivations?|derive)\b"
     r"|\b(the|actual|real|more|heavier|deeper) maths?\b|\bmath(s|ematics)?[- ](behind|heavy|heavier)\b"
     r"|\bmathematical(ly)?\b|\bnot just (how to )?(apply|use|call)|\btoo (applied|light|hand-?wavy|shallow|easy)\b"
     r"|\b(just|only) (sklearn|api|library) calls?\b",
     "math_depth", ("rigorous", "proof-heavy")),
    (r"\b(intuitive|intuition|visual|gentle|hands-on|without (much )?math|no proofs|minimal proofs)\b",
     "math_depth", ("applied", "moderate")),
    (r"\b(beginners?|introductory|first course|new to|starting out|basics|from scratch)\b", "level", ("intro",)),
    (r"\b(advanced|graduate|research[- ]level|phd)\b", "level", ("advanced",)),
]
# Values at the far end from what was asked for are demoted, not removed.
_OPPOSITE = {("math_depth", "rigorous"): ("applied",), ("math_depth", "applied"): ("proof-heavy",),
             ("level", "intro"): ("advanced",), ("level", "advanced"): ("intro",)}


def attribute_preferences(query: str) -> dict[str, tuple[str, ...]]:
    prefs: dict[str, tuple[str, ...]] = {}
    lowered = query.lower()
    for pattern, attr, values in _PREFERENCES:
        if re.search(pattern, lowered):
            prefs[attr] = tuple(dict.fromkeys(prefs.get(attr, ()) + values))
    return prefs


def preference_factor(r: Resource, prefs: dict[str, tuple[str, ...]]) -> float:
    factor = 1.0
    for attr, wanted in prefs.items():
        value = getattr(r, attr, None)
        if value in wanted:
            factor *= 1.3
        elif any(value in _OPPOSITE.get((attr, w), ()) for w in wanted):
            factor *= 0.4
    return factor
