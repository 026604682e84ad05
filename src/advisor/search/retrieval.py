"""Hybrid retrieval: BM25 and dense candidates fused by reciprocal rank, grouped into resources."""

from __future__ import annotations

import re
from typing import Callable, Sequence

import numpy as np

from ..errors import UserInputError
from ..ingest.passages import chunk_kinds
from ..library.topics import Topic, TopicMatcher
from ..store.embeddings import Embedder, encode_queries, separate_query_path
from ..store.hybrid import HybridIndex
from ..store.index import LoadedIndex
from ..store.keywords import keyword_tokens
from ..textnorm import normalize
from ..types import Filters, Hit, ResourceMatch
from .fields import STOP_WORDS
from .intent import (IntentReader, condense, content_words, question_intent, reacting, topic_words,
                     without_flavour)
from .learned import LearnedOrder
from .recommend import ResourceRanker, Signals
from .spelling import Speller, english_dictionary


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


SAMPLE_STRIDE = 16  # best_positive's sample: every 16th score


def best_positive(scores: np.ndarray, n: int) -> np.ndarray:
    """Positions of the n highest positive scores, best first, ties by position: exact, without sorting
    the whole array.

    The n-th best score of any subset is at most the n-th best of the whole, so the n-th best of every
    SAMPLE_STRIDE-th score is a floor that keeps only about n x SAMPLE_STRIDE passages to partition. At 1M
    passages, where a question's common words match nearly all of them, this is ~1 ms instead of ~9.
    """
    if n <= 0 or not scores.size:
        return np.zeros(0, dtype=np.int64)
    sample = scores[::SAMPLE_STRIDE]
    floor = 0.0
    if sample.size > n:
        floor = float(np.partition(sample, sample.size - n)[sample.size - n])
    keep = np.flatnonzero(scores >= floor) if floor > 0 else np.flatnonzero(scores > 0)
    if keep.size > n:  # everything tied with the n-th best stays, so ties go by position below
        values = scores[keep]
        keep = keep[values >= np.partition(values, keep.size - n)[keep.size - n]]
    return keep[np.lexsort((keep, -scores[keep]))][:n]  # score, then position


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


# a capitalised word not at the start of a sentence ("the Quillbrook-Varga theorem", "Hahn-Banach")
_PROPER_NAME = re.compile(r"(?<![.?!]\s)(?<!^)(?<=\s)[A-Z][a-z]{2,}(?:-[A-Z][a-z]+)*\b")


class Retriever:
    def __init__(self, index: LoadedIndex, embedder: Embedder, topics: dict[str, Topic], *,
                 candidates: int = 60, rrf_k: int = 60, expand: bool = True,
                 reranker: Callable[[str, list[Hit]], list[Hit]] | None = None, evidence_similarity: float = 0.45,
                 kind_boost: float = 0.0, fusion: str = "convex", dense_weight: float = 0.7,
                 learned: LearnedOrder | None = None):
        self.index = index
        self.embedder = embedder
        self.matcher = TopicMatcher(topics)
        self.candidates = candidates
        self.rrf_k = rrf_k
        self.expand = expand
        self.reranker = reranker
        self.intents = IntentReader(index.resources, [term for t in topics.values() for term in t.terms],
                                    {tid: list(t.terms) for tid, t in topics.items()})
        records = [r for r in index.resources.values() if r.from_catalog]
        # titles are spelt right too: "Foundatoins of Data Science" names the book as surely as the right spelling
        self.speller = Speller([term for t in topics.values() for term in t.terms] + [r.title for r in records],
                               [r.description for r in records] + [r.title for r in records],
                               getattr(embedder, "whole_words", set)(),
                               [a for r in records for a in r.authors], [a for r in records for a in r.aliases],
                               english_dictionary())
        self.ranker = ResourceRanker(index.resources, topics, self.matcher, evidence_similarity, self.intents,
                                     learned)
        self.evidence_similarity = evidence_similarity
        self.kind_boost = kind_boost
        if fusion not in ("convex", "rrf"):
            raise UserInputError(f"ADVISOR_FUSION={fusion!r} is not a fusion method (convex or rrf)")
        self.fusion = fusion
        self.dense_weight = dense_weight
        self.collapse_places = True  # one passage per (file, page, section); off only to measure it
        self.topic_words_only = True  # keyword query without meta words; off only to measure it
        self._topic_passages: dict[tuple, Hit | None] = {}

    def embed_query(self, query: str) -> np.ndarray:
        """The question as the passages were embedded (int8 under onnx-int8)."""
        return self.embedder.encode([normalize(query)])[0]

    def record_vector(self, query: str, qvec: np.ndarray | None = None) -> np.ndarray:
        """The question as the catalog records were embedded: fp32 even under onnx-int8 (see
        store.embeddings.encode_queries), else the passage-side vector `qvec` itself."""
        if qvec is not None and not separate_query_path(self.embedder):
            return qvec
        return encode_queries(self.embedder, [normalize(query)])[0]

    def query_tokens(self, query: str) -> tuple[list[str], list[str]]:
        """Keyword tokens of the question, and of its expansion (other spellings of its acronyms)."""
        extra = self.matcher.expansion(query) if self.expand else ""
        # words about the asking ("which book covers") never pull a passage by themselves
        asked = topic_words(query) if self.topic_words_only else query
        return keyword_tokens(asked), keyword_tokens(extra) if extra else []

    def keyword_scores(self, idx: HybridIndex, query: str) -> np.ndarray:
        """BM25 of the question's words plus half that of its expansion."""
        asked, extra = self.query_tokens(query)
        return idx.keyword_scores([(asked, 1.0), (extra, EXPANSION_WEIGHT)])

    def search(self, query: str, k: int = 10, filters: Filters | None = None, mode: str = "hybrid",
               qvec: np.ndarray | None = None) -> list[Hit]:
        """Ranked passages from the full texts (catalog records are not passages)."""
        qvec = self.embed_query(query) if qvec is None and mode != "bm25" else qvec
        wanted = max(k, 30) if self.reranker is not None else k
        hits = self._search_index(self.index.texts, query, qvec, filters, mode, self.candidates, wanted)
        if self.collapse_places:
            hits = one_per_place(hits)
        if self.reranker is not None and hits:
            hits = self.reranker(query, hits[: max(k, 30)])
        return hits[:k]

    def topic_passage(self, name: str, filters: Filters | None = None) -> Hit | None:
        """The best passage on a vocabulary topic, searched by its name, if it is close enough to be evidence.

        Study paths ask the same few hundred topic names again and again (a path has ~10 steps, and every path
        through probability asks for "Probability"), and the answer changes only with the filters or the index,
        which gets a new Retriever: so each is searched once (at 1M passages a search costs ~40 ms of CPU)."""
        key = (name, filters.key() if filters is not None else None)
        if key not in self._topic_passages:
            good = [h for h in self.search(name, 1, filters) if (h.dense or 0) >= self.evidence_similarity]
            if len(self._topic_passages) >= 4096:  # bounded: filters multiply the keys
                self._topic_passages.clear()
            self._topic_passages[key] = good[0] if good else None
        return self._topic_passages[key]

    def _search_index(self, idx: HybridIndex, query: str, qvec, filters, mode: str, n: int,
                      wanted: int | None = None) -> list[Hit]:
        """The fused candidates, best first, as hits: all of them, or (`wanted`) at least enough for that many
        places, fetched in batches (the shared store sends each passage's text: only those that are shown)."""
        if not len(idx):
            return []
        allowed = self._allowed_mask(idx, filters)
        want = n if allowed is None else min(len(idx), n * 4)
        # the shared store searches vectors in the database while the keyword side is added up here
        dense_found = idx.dense_search_later(qvec, want) if mode in ("hybrid", "dense") else None
        bm25_ids: list[int] = []
        bm25_scores: dict[int, float] = {}
        if mode in ("hybrid", "bm25"):
            bm25_all = self.keyword_scores(idx, query)
            if allowed is not None:
                bm25_all = np.where(allowed, bm25_all, 0.0)
            bm25_ids = [int(i) for i in best_positive(bm25_all, n)]
            bm25_scores = {i: float(bm25_all[i]) for i in bm25_ids}
        dense_ids: list[int] = []
        dense_scores: dict[int, float] = {}
        if dense_found is not None:
            ids, scores = dense_found()
            for i, s in zip(ids.tolist(), scores.tolist()):
                if allowed is None or allowed[i]:
                    dense_ids.append(i)
                    dense_scores[i] = s
            dense_ids = dense_ids[:n]
        if mode != "hybrid" or self.fusion == "rrf":
            fused = rrf([dense_ids, bm25_ids], k=self.rrf_k)
            bonus = lambda i: fused[i] * self.kind_boost  # noqa: E731
        else:
            # each side's score for the other side's candidates, so none is scored as absent
            missing = sorted(set(bm25_ids) - dense_scores.keys())
            if missing:
                dense_scores.update(zip(missing, idx.dense_scores(missing, qvec)))
            candidates = set(dense_ids) | set(bm25_ids)
            fused = convex_fusion({i: dense_scores[i] for i in candidates},
                                  {i: float(bm25_all[i]) for i in candidates} if bm25_ids else {}, self.dense_weight)
            bonus = lambda i: self.kind_boost  # noqa: E731  (fused scores are in standard deviations)
        kinds = question_intent(query) if self.kind_boost else ()
        found = idx.fetch(fused) if kinds else {}  # the kind bonus reorders: every candidate's kind is needed
        for i in (list(fused) if kinds else ()):
            if set(chunk_kinds(found[i])) & set(kinds):
                fused[i] += bonus(i)
        order = sorted(fused, key=lambda i: -fused[i])
        dense_rank = {i: r for r, i in enumerate(dense_ids)}
        bm25_rank = {i: r for r, i in enumerate(bm25_ids)}
        hits: list[Hit] = []
        batch = len(order) if wanted is None else 2 * wanted  # a place can hold several candidates
        for start in range(0, len(order), max(batch, 1)):
            part = order[start:start + batch]
            found.update(idx.fetch([i for i in part if i not in found]))  # one round trip in the shared store
            hits += [Hit(chunk=found[i], score=fused[i], resource_id=self._resource_of(found[i]),
                         dense=dense_scores.get(i), bm25=bm25_scores.get(i),
                         dense_rank=dense_rank.get(i), bm25_rank=bm25_rank.get(i)) for i in part]
            if wanted is not None and len(one_per_place(hits) if self.collapse_places else hits) >= wanted:
                break
        return hits

    def _resource_of(self, chunk) -> str:
        return self.index.resource_of(chunk)

    def _allowed_mask(self, idx: HybridIndex, filters: Filters | None) -> np.ndarray | None:
        if filters is None or not filters.active:
            return None
        return idx.mask(frozenset(rid for rid, r in self.index.resources.items() if filters.allows(r)))

    def in_context(self, question: str, history: Sequence[str], shown: str | None = None) -> tuple[str, tuple | None]:
        """The text to search for a message of a conversation (intent.condense), spelling set right, and the
        reaction it is to the previous answer: (the resource that answer put first, the message), when the message
        has no subject of its own ("something easier?" moves away from it); else None.

        `history` holds the earlier turns as searched; `shown` is the resource the previous answer put first."""
        own = self.has_subject(question) if history else True  # read once: it asks the question reader
        # an option weighed and set aside ("I considered X, though it's heavy going") is neither asked nor judged
        text = self.intents.without_asides(self.speller.fix(condense(question, list(history), lambda _: own)))
        follow_up = (shown, question) if history and shown in self.index.resources and not own else None
        return text, follow_up

    def has_subject(self, text: str) -> bool:
        """Whether a message names a topic of its own to learn. "is there a free one?" names none; "rigorous but
        not measure theory" names one only to refuse it, "I've done a probability course" one the learner has had,
        and "koller & friedman is $100, free alternative?" a resource, not what it is about."""
        text = self.speller.fix(text)
        intent = self.intents.read(text)
        # ... and what they lack is why they ask, said of the subject before ("never took linear algebra" after
        # "kolter's review before cs229"; "I have no measure theory. less hardcore?" after Villani)
        aside = set(self.matcher.find(f"{intent.unwanted} {intent.buried} {intent.lacks}")) \
            | set(self.matcher.find(" ".join(intent.knows)))
        if set(self.matcher.find(without_flavour(intent.rest or text))) - aside:
            return True
        # a name outside the topic vocabulary, capitalised mid-sentence, that few records or passages use names a
        # subject of its own ("which book proves the Quillbrook-Varga theorem?", "what about Hahn-Banach?"); an
        # everyday word rare in a small library ("budget", "condensed") does not
        words = set(content_words(intent.rest or text))
        names = [m.group(0) for m in _PROPER_NAME.finditer(intent.rest or text) if m.group(0).lower() in words]
        return any(self._specific(t) for w in names for t in keyword_tokens(w) if t not in STOP_WORDS)

    def _specific(self, term: str) -> bool:
        """A term that a few records or passages use, and no more ("banach", not "since" or "standard")."""
        fields, texts = self.ranker.fields, self.index.texts
        records = len(fields.holders(term))
        passages = int(np.count_nonzero(texts.bm25_scores([term]))) if len(texts) else 0
        if records > max(2, len(fields.ids) // 50) or passages > max(3, len(texts) // 500):
            return False
        return records > 0 or (passages > 0 and len(term) >= 4)

    def recommend(self, query: str, passages: list[Hit], k: int = 5, filters: Filters | None = None,
                  qvec: np.ndarray | None = None, rvec: np.ndarray | None = None,
                  follow_up: tuple | None = None) -> list[ResourceMatch]:
        """Resources ranked by their whole record, the question's topics, and their passages' relevance."""
        return self.ranker.rank(self.resource_signals(query, passages, qvec, rvec, follow_up), k, filters, passages)

    def resource_signals(self, query: str, passages: list[Hit], qvec: np.ndarray | None = None,
                         rvec: np.ndarray | None = None, follow_up: tuple | None = None) -> Signals:
        """`rvec`: the question's record-side vector when the caller has it (record_vector); `follow_up`: the
        reaction in_context found, if any."""
        rvec = self.record_vector(query, qvec) if rvec is None else rvec

        def similarities(text: str) -> dict[str, float]:
            vec = rvec if text == query else self.record_vector(text)
            return record_similarities(self.index.catalog, vec, self._resource_of)

        intent = self.intents.read(query)
        if follow_up is not None:
            intent = reacting(intent, *follow_up)
        return self.ranker.signals(query, intent, similarities, passages)


def record_similarities(catalog_index, qvec: np.ndarray, resource_of: Callable) -> dict[str, float]:
    """Best cosine of the question to each record's chunks (the catalog index is small: search it all)."""
    n = len(catalog_index)
    if not n:
        return {}
    ids, scores = catalog_index.dense_search(qvec, n)
    out: dict[str, float] = {}
    for i, s in zip(ids.tolist(), scores.tolist()):
        rid = resource_of(catalog_index.chunks[i])
        if s > out.get(rid, -1.0):
            out[rid] = float(s)
    return out
