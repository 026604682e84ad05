"""The one facade that the CLI and the web app both call.

Faces (cli.py, web/) import this module, types, errors and config, nothing else: every library, store and
search operation they need is a method here, and the few presentation helpers they share with the search
layer (quotes, citations, page labels) are re-exported below.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import Callable

import numpy as np

from .search.answer import ACCESS_WORDS, best_quote, compose, math_spans, page_text, render_markdown, section_title
from .store.build import build
from .library.topics import Topic, load_topics, topics_from_dict
from .search.evidence import diversify, on_topic, topic_terms
from .search.intent import is_aside, refers_to_previous, wants_comparison, wants_path
from .config import Settings
from .store.embeddings import Embedder, encode_queries, load_embedder
from .errors import AdvisorError, UserInputError
from .search.guide import best_resource_for, compare, prerequisite_order
from .store.index import LoadedIndex
from .store.stores import open_store
from .search.learned import load_order
from .search.rerank import load_reranker
from .search.preferences import resource_topics
from .search.retrieval import Retriever
from .search.scope import restrict_answer, with_preferences
from .service_library import LibraryOperations
from .types import (Answer, BuildReport, BuildStatus, ComparisonRow, FetchStatus, Filters, Hit, Progress,
                    ResourceMatch, Scope, Step)

__all__ = [
    "Advisor", "ACCESS_WORDS", "best_quote", "check_query", "math_spans", "page_text", "section_title",
]

log = logging.getLogger("advisor")
MAX_QUERY_CHARS = 2000


class Advisor(LibraryOperations):
    def __init__(self, settings: Settings | None = None, embedder: Embedder | None = None):
        self.settings = settings or Settings.from_env()
        self._embedder = embedder
        self._index: LoadedIndex | None = None
        self._store = None
        self._retriever: Retriever | None = None
        self._topics: dict[str, Topic] | None = None
        self._lock = threading.RLock()
        self._loading = threading.Lock()
        self.build_status = BuildStatus()
        self._build_thread: threading.Thread | None = None
        self.fetch_status = FetchStatus()
        self._fetch_thread: threading.Thread | None = None

    # --- plumbing -------------------------------------------------------------------------------
    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            with self._lock:
                if self._embedder is None:
                    self._embedder = load_embedder(self.settings.model, self.settings.device, backend=self.settings.backend)
        return self._embedder

    @property
    def store(self):
        """The file store in index_dir, or the shared Postgres store (ADVISOR_STORE): one interface."""
        if self._store is None:
            with self._lock:
                if self._store is None:
                    self._store = open_store(self.settings)
        return self._store

    def __enter__(self) -> "Advisor":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Release the store's connections (the Postgres store's pool); the advisor reopens them if used again."""
        with self._lock:
            store, self._store = self._store, None
        if store is not None:
            store.close()

    @property
    def topics(self) -> dict[str, Topic]:
        if self._topics is None:
            try:
                self._topics = load_topics(Path(self.settings.corpus_dir) / "topics.yaml")
            except AdvisorError as exc:  # answer without topics rather than fail, but say why
                log.warning("topic vocabulary not loaded: %s", exc)
                self._topics = {}
        return self._topics

    def load(self) -> LoadedIndex:
        """Load the current index version (raises NoIndexError / IndexCorruptError)."""
        loaded = self.store.load()
        if loaded.manifest.get("topics"):  # the vocabulary the index was built with (older ones: the corpus's)
            self._topics = topics_from_dict(loaded.manifest["topics"])
        retriever = Retriever(
            loaded, self.embedder, self.topics, candidates=self.settings.candidates,
            rrf_k=self.settings.rrf_k, expand=self.settings.query_expansion, kind_boost=self.settings.kind_boost,
            reranker=load_reranker(self.settings.reranker), fusion=self.settings.fusion,
            dense_weight=self.settings.dense_weight, learned=load_order(self.settings.resource_ranking),
        )
        with self._lock:
            self._index, self._retriever = loaded, retriever
        return loaded

    @property
    def loaded(self) -> LoadedIndex:
        if self._index is None:
            return self.load()
        return self._index

    @property
    def retriever(self) -> Retriever:
        if self._retriever is None or self._swapped_elsewhere():
            with self._loading:  # queries arriving together after a switch share one load
                if self._retriever is None or self._swapped_elsewhere():
                    self.load()
        assert self._retriever is not None
        return self._retriever

    def _swapped_elsewhere(self) -> bool:
        """A build in another process (`advisor index`) moved CURRENT: pick up the new version."""
        if self._index is None or (self._build_thread is not None and self._build_thread.is_alive()):
            return False
        current = self.store.current_version()
        return current is not None and current != self._index.version

    # --- building -------------------------------------------------------------------------------
    def index(self, paths: list[Path] | None = None, *, rebuild: bool = False, progress: bool = False,
              on_progress: Callable[[Progress], None] | None = None, remove: list[Path] | None = None,
              only: bool = False, texts: bool = True) -> BuildReport:
        """Build or update the index; `paths` add to the indexed roots (replace them with `only`), `remove` drops."""
        if not rebuild and not paths and not remove and self._up_to_date():
            # nothing changed: answer from stats and hashes, without loading the model
            manifest = self.store.read_manifest() or {}
            report = BuildReport(index_dir=self.store.label, noop=True,
                                 files_total=len(manifest.get("files", {})),
                                 unchanged=len(manifest.get("files", {})),
                                 chunks_total=manifest.get("counts", {}).get("chunks", 0))
            report.skipped = [(k, m.get("reason", "")) for k, m in manifest.get("files", {}).items()
                              if m.get("status") != "indexed"]
            if on_progress:
                on_progress(Progress(stage="done", files_done=report.files_total, files_total=report.files_total))
            return report
        report = build(self.settings, self.embedder, paths, rebuild=rebuild, progress=progress, on_progress=on_progress,
                       remove=remove, only=only, texts=texts, store=self.store)
        self._topics = None
        if self._index is None or self.store.current_version() != self._index.version:
            self.load()  # swap in the new version; readers holding the old one finish undisturbed
        return report

    def _up_to_date(self) -> bool:
        """Nothing to build: files unchanged and the index opens (a damaged one is rebuilt).

        Takes the build lock, so a build running elsewhere is reported rather than called up to date.
        """
        with self.store.lock():
            if self.is_stale():
                return False
            if self._index is not None and self._index.version == self.store.current_version():
                return True  # versions are never rewritten in place: the loaded one is this one
            try:
                self.store.load()
                return True
            except AdvisorError:
                return False

    def rebuild_in_background(self, paths: list[Path] | None = None, rebuild: bool = False) -> bool:
        """Start a build in a thread; the current index keeps answering until the new one is swapped in."""
        with self._lock:
            if self._build_thread is not None and self._build_thread.is_alive():
                return False
            self.build_status = BuildStatus(running=True, started_at=time.time())

            def run() -> None:
                status = self.build_status
                track = lambda p: setattr(status, "progress", p)  # noqa: E731
                try:
                    if not paths and not self.store.exists():
                        # a first index: the catalog records first (seconds), so resources are recommended at
                        # once; passages follow when the full texts are in, switched in atomically
                        status.report = self.index(texts=False, on_progress=track)
                        status.stage = "catalog ready; reading the full texts"
                    status.report = self.index(paths, rebuild=rebuild, on_progress=track)
                except AdvisorError as exc:
                    status.error = str(exc)
                except Exception as exc:  # the web app must survive any build failure
                    status.error = f"index build failed: {type(exc).__name__}: {exc}"
                finally:
                    status.running = False
                    status.finished_at = time.time()

            self._build_thread = threading.Thread(target=run, name="advisor-build", daemon=True)
            self._build_thread.start()
            return True

    def wait_for_build(self, timeout: float | None = None) -> BuildStatus:
        thread = self._build_thread
        if thread is not None:
            thread.join(timeout)
        return self.build_status

    def is_stale(self) -> bool:
        """Whether `advisor index` would change anything (cheap: stats and hashes only)."""
        manifest = self.store.read_manifest()
        if manifest is None:
            return True
        from .store.build import dry_run

        return dry_run(self.settings, manifest)

    def warm_up_model(self) -> None:
        """Load the model (both paths of onnx-int8) so that the first question does not wait for it."""
        self.embedder.encode(["warm up"])
        encode_queries(self.embedder, ["warm up"])

    # --- asking ---------------------------------------------------------------------------------
    def search(self, query: str, k: int | None = None, filters: Filters | None = None, mode: str = "hybrid") -> list[Hit]:
        query = self.retriever.speller.fix(check_query(query))  # "gausian processes": searched as meant
        return self.retriever.search(query, k or self.settings.top_k, filters, mode=mode)

    def ask(self, question: str, *, filters: Filters | None = None, history: list[str] | None = None,
            shown: str | None = None, previous: list[ResourceMatch] | None = None, k_resources: int = 5,
            k_passages: int = 5) -> Answer:
        """`history`: the earlier turns of a conversation as searched (each answer's `query`); `shown`: the
        resource id the previous answer put first ("something easier?" moves away from it); `previous`: that
        answer's resources, which a question about them ("which of those is free?") is answered from (`shown`
        defaults to the first of them)."""
        question = check_query(question)
        shown = shown or (previous[0].resource.id if previous else None)
        if self.about_previous(question, previous or []):
            return self._among_previous(question, filters or Filters(), history, shown, previous, k_resources,
                                        k_passages)
        retriever = self.retriever
        # a mistyped topic word is set right for every part of the answer ("searched for: ..." says so), and a
        # follow-up is searched with the turn it leans on
        query, follow_up = retriever.in_context(question, history or [], shown)
        qvec = retriever.embed_query(query)
        passages = retriever.search(query, max(k_passages, 20), filters, qvec=qvec)
        rvec = retriever.record_vector(query, qvec)  # a second encoding only under onnx-int8: once per question
        resources = retriever.recommend(query, passages, k_resources, filters, qvec=qvec, rvec=rvec, follow_up=follow_up)
        covered = self.covers(query, qvec, rvec)
        named_topics = [self.topics[t].terms for t in retriever.matcher.find(query) if t in self.topics]
        shown = diversify(on_topic(passages, topic_terms(named_topics)), k_passages)
        index = retriever.index
        titles = {rid: r.title for rid, r in index.resources.items()}
        path = self.study_path(query, filters) if covered and wants_path(question) else []
        table = self.compare(query, filters) if covered and wants_comparison(question) else []
        answer = compose(question, covered, resources, shown, titles, self.topics,
                         lambda c: self.link_for(c, query), self.has_pages,
                         study_path=path, comparison=table)
        answer.query = query
        answer.follows = query != retriever.speller.fix(question)
        answer.aside = bool(history) and is_aside(question)
        if query != question:
            answer.notes.append(f"searched for: {query}")
        answer.notes.extend(self._fetchable(resources[:3]))
        return answer

    def _among_previous(self, question: str, filters: Filters, history, shown, previous: list[ResourceMatch],
                        k_resources: int, k_passages: int) -> Answer:
        """The previous answer's resources that pass what the follow-up asks, ranked for it; none passing, the
        whole library's answer with the same wishes (Answer.scope says which)."""
        tightened, asked = with_preferences(filters, question)
        wide = self.ask(question, filters=tightened, history=history, shown=shown,
                        k_resources=max(50, len(previous)), k_passages=max(30, k_passages))
        restricted, kept = restrict_answer(wide, previous, tightened, k_resources, k_passages)
        if not kept:
            restricted = Answer(question=wide.question, covered=wide.covered, resources=wide.resources[:k_resources],
                                passages=wide.passages[:k_passages], text=wide.text, notes=wide.notes)
        restricted.query, restricted.follows = wide.query, wide.follows
        restricted.scope = Scope(previous=len(previous), asked=asked, kept=len(kept))
        # the text says what is shown, not the wide answer it was chosen from
        titles = {rid: r.title for rid, r in self.retriever.index.resources.items()}
        restricted.text = render_markdown(restricted, titles, lambda c: self.link_for(c, wide.query), self.has_pages)
        return restricted

    def about_previous(self, question: str, previous: list[ResourceMatch]) -> bool:
        """Whether `ask(question, previous=previous)` answers from the previous answer's resources."""
        return bool(previous) and refers_to_previous(question)

    def converse(self, messages: list[str], *, filters: Filters | None = None, k_resources: int = 5,
                 k_passages: int = 5) -> Answer:
        """The answer to the last of a learner's messages, the earlier ones asked first as the chat asks them:
        each searched with the turn it leans on, reacting to what the answer before it put first, and a question
        about that answer's resources answered from them."""
        history: list[str] = []
        previous: list[ResourceMatch] = []
        answer = None
        for message in messages:
            answer = self.ask(message, filters=filters, history=history, previous=previous,
                              k_resources=k_resources, k_passages=k_passages)
            history.append(answer.query)
            if not answer.aside:  # a remark in passing leaves the previous answer the one a follow-up is about
                previous = answer.resources if answer.covered else []
        if answer is None:
            raise UserInputError("a conversation needs at least one message")
        return answer

    def _fetchable(self, resources) -> list[str]:
        """Recommended free books whose text is not in the library yet: one line each on how to get it."""
        held = set(self.loaded.file_resource.values())
        return [f"{m.resource.title} is free to read but not in your library yet: the Library tab's "
                f"\"Get the free books\" (or `advisor fetch {m.resource.id}` then `advisor index`) downloads it "
                "from the author's site to your machine and indexes it"
                for m in resources if m.resource.from_catalog and m.resource.is_free and m.resource.pdf_url
                and m.resource.id not in held]

    def ask_stream(self, question: str, *, filters: Filters | None = None, history: list[str] | None = None,
                   shown: str | None = None, k_resources: int = 5, k_passages: int = 5, llm: bool = True,
                   llm_config=None, linker=None):
        """Growing Markdown snapshots (an llm.LLMStream): the local model's cited reply, else the extractive answer.

        Retrieval runs now (errors raise here, as in ask); iterating never raises. See advisor.llm.
        """
        from .search.grounding import stream_answer

        return stream_answer(self, question, history, filters, shown=shown, config=llm_config, linker=linker,
                             k_resources=k_resources, k_passages=k_passages, enabled=llm)

    def study_path(self, question: str, filters: Filters | None = None) -> list[Step]:
        """Ordered prerequisites of what the question names, each with a resource, chapter and passage."""
        retriever = self.retriever
        targets = retriever.matcher.find(question)
        for rid in retriever.intents.read(question).mentioned:
            targets += [t for t in retriever.index.resources[rid].topics[:3] if t not in targets]
        topics = self.topics
        indexed = set(retriever.index.file_resource.values())
        steps = []
        for tid in prerequisite_order(targets, topics):
            resource, chapter = best_resource_for(tid, retriever.index.resources, indexed)
            steps.append(Step(tid, topics[tid].name, resource, chapter, retriever.topic_passage(topics[tid].name, filters)))
        return steps

    def compare(self, topic_question: str, filters: Filters | None = None) -> list[ComparisonRow]:
        """Per resource: where it defines, proves, illustrates and drills the topic."""
        retriever = self.retriever
        hits = retriever.search(topic_question, 60, filters)
        relevant = [h for h in hits if (h.dense or 0) >= retriever.evidence_similarity or h.bm25_rank is not None
                    and h.bm25_rank < 10]
        return compare(relevant, retriever.index.resources,
                       lambda c: page_text(c) if self.has_pages(c) else "full text")

    def covers(self, query: str, qvec: np.ndarray, rvec: np.ndarray | None = None) -> bool:
        """Calibrated check that the corpus has something on the question (see docs/evaluation.md)."""
        retriever = self.retriever
        index = retriever.index
        best = 0.0
        rvec = retriever.record_vector(query, qvec) if rvec is None else rvec
        for part, vec in ((index.texts, qvec), (index.catalog, rvec)):
            _, scores = part.dense_search(vec, 1)
            if scores.size:
                best = max(best, float(scores[0]))
        if best >= self.settings.min_similarity:
            return True
        # a vocabulary topic or a known resource named outright counts when some record covers it
        topics = set(retriever.matcher.find(query))
        if any(topics & resource_topics(r) for r in index.resources.values()):
            return True
        # ... and so does a coined term few records use ("where does AdaMax come from?": the Adam paper's record)
        return bool(retriever.intents.read(query).mentioned) or bool(retriever.ranker.fields.rare_mentions(query))


def check_query(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise UserInputError("empty query: ask a question, e.g. \"where is the KKT theorem proved?\"")
    if len(text) > MAX_QUERY_CHARS:
        raise UserInputError(f"query too long ({len(text)} characters, at most {MAX_QUERY_CHARS})")
    return text

