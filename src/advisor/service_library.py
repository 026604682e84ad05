"""The library side of the facade: the catalog, uploads, fetching free books, evaluation, files and citations.

`Advisor` (service.py) inherits these; faces still import only `service`.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from pathlib import Path

from .config import STORE_SCHEMES
from .errors import AdvisorError, UserInputError
from .fileops import inside
from .ingest.extract import check_pdf
from .library.catalog import Catalog, load_catalog, validate
from .library.fetch import FetchResult, fetch_resources
from .library.resources import AddedResource, add_resource, library_rows
from .library.topics import TopicMatcher
from .library.uploads import check_upload
from .search.answer import citation, focus_page
from .search.evaluate import read_questions, run_eval
from .types import Chunk, FetchStatus, Filters, Hit

log = logging.getLogger("advisor")


class LibraryOperations:
    """Mixed into Advisor, which provides settings, store, loaded, search(), ask() and the build methods."""

    # --- the index ------------------------------------------------------------------------------
    def info(self) -> dict:
        loaded = self.loaded
        manifest = loaded.manifest
        learned = self.retriever.ranker.learned
        per_resource: dict[str, dict] = {}
        for key, meta in manifest.get("files", {}).items():
            if meta.get("status") != "indexed":
                continue
            rid = loaded.file_resource.get(key, f"file:{key}")
            entry = per_resource.setdefault(rid, {"files": 0, "pages": 0, "chunks": 0, "last_indexed": ""})
            entry["files"] += 1
            entry["pages"] += meta.get("pages", 0) if meta.get("format") == "pdf" else 0
            entry["chunks"] += meta.get("chunks", 0)
            entry["last_indexed"] = max(entry["last_indexed"], meta.get("indexed_at", ""))
        return {
            "index_dir": self.store.label,
            "version": loaded.version,
            "model": manifest.get("model"),
            "dimension": manifest.get("dimension"),
            "chunking": manifest.get("chunking"),
            "built_at": manifest.get("built_at"),
            "build_seconds": manifest.get("build_seconds"),
            "roots": manifest.get("roots"),
            "counts": manifest.get("counts"),
            "skipped": [
                {"file": k, "reason": m.get("reason")} for k, m in manifest.get("files", {}).items()
                if m.get("status") != "indexed"
            ],
            "catalog_problems": manifest.get("catalog_problems", []),
            "resource_ranking": learned.describe() if learned is not None else {"ranking": "weighted"},
            # what only the shared store has (HNSW candidates, the postings cache); None for the file store
            "store_search": loaded.texts.describe() if hasattr(loaded.texts, "describe") else None,
            "warnings": [{"file": k, "unreadable_pages": m["unreadable_pages"], "pages": m.get("pages", 0)}
                         for k, m in manifest.get("files", {}).items() if m.get("unreadable_pages")],
            "resources": [
                {"id": rid, "title": r.title, "kind": r.kind, "access": r.access, **per_resource.get(rid, {"files": 0})}
                for rid, r in sorted(loaded.resources.items())
            ],
        }

    # --- the library ----------------------------------------------------------------------------
    def catalog(self) -> Catalog:
        return load_catalog(Path(self.settings.corpus_dir))

    def validate_catalog(self) -> dict:
        catalog = self.catalog()
        return {"records": len(catalog.resources), "topics": len(catalog.topics), "problems": validate(catalog)}

    def catalog_records(self, filters: Filters | None = None, topics: list[str] | None = None) -> tuple[list, int]:
        """Catalog records that pass the filters and cover any of the topics (ids or names); and the total."""
        catalog = self.catalog()
        wanted: set[str] = set()
        for t in topics or []:
            ids = [t] if t in catalog.topics else TopicMatcher(catalog.topics).find(t)
            if not ids:
                raise UserInputError(f"unknown topic '{t}'")
            wanted.update(ids)
        flt = filters or Filters()
        rows = [r for r in catalog.resources.values() if flt.allows(r) and (not wanted or wanted & set(r.topics))]
        return rows, len(catalog.resources)

    def library(self) -> tuple[list[dict], list[dict], dict | None, str | None]:
        """Every resource with its indexed status: (rows, skipped files, index info or None, index problem)."""
        info, problem = None, None
        try:
            info = self.info()
        except AdvisorError as exc:  # no index yet, or a damaged one: list the catalog, say what is wrong
            problem = str(exc)
        rows = library_rows(self.catalog(), Path(self.settings.corpus_dir), info)
        return rows, (info or {}).get("skipped", []), info, problem

    def add_resource(self, source: Path, filename: str | None = None, *, max_bytes: int | None = None,
                     **fields) -> AddedResource:
        """Check a file (size, type by content) and copy it into corpus/texts/<id>/ with a new catalog record.

        Raises UploadRejected naming the file and the reason; the index is rebuilt separately.
        """
        checked = check_upload(Path(source), filename or Path(source).name,
                               read_pdf=lambda path, name: check_pdf(path, name, self.settings.file_timeout),
                               **({"max_bytes": max_bytes} if max_bytes else {}))
        added = add_resource(Path(self.settings.corpus_dir), checked.path, checked.filename, **fields)
        self._topics = None
        return added

    def fetch(self, ids: list[str] | None = None, **options) -> list[FetchResult]:
        """Download official free PDFs of the named records (None: every record with a pdf_url)."""
        catalog = self.catalog()
        if ids is None:
            chosen = [r for r in catalog.resources.values() if r.pdf_url]
        else:
            unknown = [i for i in ids if i not in catalog.resources]
            if unknown:
                raise UserInputError(f"no catalog record with id: {', '.join(unknown)} (see `advisor catalog`)")
            chosen = [catalog.resources[i] for i in ids]
        return fetch_resources(chosen, Path(self.settings.corpus_dir), **options)

    def fetch_in_background(self, ids: list[str], **options) -> bool:
        """Download the named records' free PDFs one at a time in a thread, state per file in `fetch_status`.

        False if downloads are already running. Unknown ids raise UserInputError before anything starts.
        When at least one new file arrived, an incremental index build follows (the chat keeps answering).
        """
        catalog = self.catalog()
        unknown = [i for i in ids if i not in catalog.resources]
        if unknown:
            raise UserInputError(f"no catalog record with id: {', '.join(unknown)}")
        if not ids:
            raise UserInputError("choose at least one book to download")
        with self._lock:
            if self._fetch_thread is not None and self._fetch_thread.is_alive():
                return False
            status = FetchStatus(running=True, files={i: "pending" for i in dict.fromkeys(ids)},
                                 started_at=time.time())
            self.fetch_status = status
            chosen = [catalog.resources[i] for i in status.files]
            options = {"progress": False, **options}
            self._fetch_thread = threading.Thread(target=self._fetch_run, args=(status, chosen, options),
                                                  name="advisor-fetch", daemon=True)
            self._fetch_thread.start()
            return True

    def _fetch_run(self, status: FetchStatus, chosen: list, options: dict) -> None:
        corpus = Path(self.settings.corpus_dir)
        try:
            for resource in chosen:
                rid = str(resource.id)
                if status.cancel_requested:
                    status.files[rid] = "cancelled"
                    continue
                status.files[rid] = "downloading"
                result = fetch_resources([resource], corpus, **options)[0]
                if result.status == "downloaded":
                    status.new_files.append(result.path or rid)
                    status.files[rid] = "done"
                elif result.status == "skipped":
                    status.files[rid] = "already here"
                else:
                    reason = result.message.removeprefix(f"{rid}: ") or result.status
                    status.files[rid] = f"failed: {reason}"
            if status.new_files:
                # a build already running may predate these files: wait for it, then index them
                while not self.rebuild_in_background([corpus]):
                    self.wait_for_build()
                status.rebuild_started = True
        except Exception as exc:  # the web app must survive anything a download does
            status.error = f"downloads stopped: {type(exc).__name__}: {exc}"
            log.exception("background fetch failed")
        finally:
            status.finished_at = time.time()
            status.running = False

    def cancel_fetch(self) -> bool:
        """Stop the background downloads after the current file; False if none are running."""
        status = self.fetch_status
        if not status.running:
            return False
        status.cancel_requested = True
        return True

    def wait_for_fetch(self, timeout: float | None = None) -> FetchStatus:
        thread = self._fetch_thread
        if thread is not None:
            thread.join(timeout)
        return self.fetch_status

    def copy_index(self, target: str) -> int:
        """Copy the current index into another store (a postgresql:// URI or a folder), without embedding
        again; returns the number of passages copied. The target then serves exactly what this one does."""
        import dataclasses

        from .store.stores import copy_version, open_store

        shared = target.startswith(STORE_SCHEMES)
        other = dataclasses.replace(self.settings, store=target if shared else "",
                                    index_dir=self.settings.index_dir if shared else Path(target))
        destination = open_store(other)
        if not shared and Path(target).resolve() == Path(self.settings.index_dir).resolve() and not self.settings.store:
            raise UserInputError(f"{target}: that is the index being copied")
        try:
            return copy_version(self.store, destination)
        finally:
            destination.close()

    def evaluate(self, path: Path, mode: str = "hybrid") -> dict:
        """Retrieval quality on a JSONL question set (passages and/or resources; see README)."""
        questions = read_questions(Path(path))
        return run_eval(
            questions,
            search=lambda q: self.search(q, 10, mode=mode),
            recommend=lambda q, history: self.converse([*history, q], k_resources=10, k_passages=5).resources,
        )

    # --- files, pages and citations ------------------------------------------------------------------------
    def has_pages(self, chunk: Chunk) -> bool:
        meta = self.loaded.manifest.get("files", {}).get(chunk.path, {})
        return meta.get("format") == "pdf"

    def file_path(self, key: str) -> Path | None:
        """The on-disk file behind an indexed file key, only if it lies inside an indexed root."""
        meta = self.loaded.manifest.get("files", {}).get(key)
        if not meta or meta.get("status") != "indexed":
            return None
        root = Path(meta["root"]).resolve()
        path = (root / meta["rel"]).resolve()
        return path if inside(path, root) and path.is_file() else None

    def link_for(self, chunk: Chunk, question: str | None = None) -> str | None:
        """The file with #page= at the page of the passage that the question is about."""
        path = self.file_path(chunk.path)
        if path is None:
            return None
        try:
            shown = os.path.relpath(path)
        except ValueError:
            shown = str(path)
        return f"{shown}#page={self.page_for(chunk, question)}" if self.has_pages(chunk) else shown

    def page_for(self, chunk: Chunk, question: str | None = None) -> int:
        """The page a citation of this passage opens at: the one holding most of the question's words."""
        return focus_page(chunk, question)

    def citation(self, hit: Hit) -> str:
        """"Title, §section, p. 12" for a passage."""
        title = getattr(self.loaded.resources.get(hit.resource_id), "title", None) or hit.chunk.path
        return citation(title, hit.chunk, self.has_pages(hit.chunk))
