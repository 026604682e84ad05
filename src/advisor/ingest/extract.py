"""Reading files in a separate process, so a PDF that loops or explodes can be stopped.

The worker is a long-lived spawned process (no fork of a process that holds torch threads); on a
timeout it is killed and a fresh one takes over for the next file.
"""

from __future__ import annotations

import multiprocessing as mp
import threading
import time
from pathlib import Path

from ..errors import DocumentError
from ..types import Document

_IDLE: list = []  # (process, pipe) of idle healthy workers; daemon processes end with us
_IDLE_LOCK = threading.Lock()
DEFAULT_TIMEOUT = 120.0
STARTUP_TIMEOUT = 60.0  # seconds for one file
MAX_TEXT_CHARS = 40_000_000  # an extraction that produces more than this is not a book


def _serve(conn) -> None:
    import logging
    import signal
    import warnings

    # Ctrl-C in the terminal reaches the whole process group: the parent decides what stops (it kills this
    # worker as it exits), so the worker neither dies mid-file nor prints a KeyboardInterrupt traceback
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    from .loaders import load_document
    from .pdf import check_pdf, read_pdf_pages

    logging.disable(logging.WARNING)
    warnings.simplefilter("ignore")
    conn.send(("ready", None))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):  # the parent is gone (it exited, or was killed)
            return
        if job is None:
            return
        kind, path, rel, part, parts = job
        try:
            if kind == "check":  # an upload: open and count the pages, extract nothing
                result, size = check_pdf(Path(path), rel), 0
            elif parts > 1:
                result = read_pdf_pages(Path(path), rel, part, parts)
                size = sum(len(t) for t in result.raw) * parts
            else:
                result = load_document(Path(path), rel)
                size = sum(len(b.text) for b in result.blocks)
            if size > MAX_TEXT_CHARS:
                raise DocumentError(rel, f"extracted text is too large ({size // 1_000_000} million characters), skipped")
            message = ("ok", result)
        except DocumentError as exc:
            message = ("skip", exc.reason)
        except Exception as exc:  # a loader bug: report it, keep serving
            message = ("error", f"could not be read ({type(exc).__name__}: {str(exc)[:80]})")
        try:
            conn.send(message)
        except OSError:  # the parent is gone while this file was read
            return


class Extractor:
    """Loads documents in a worker process with a per-file time limit."""

    def __init__(self, timeout: float = DEFAULT_TIMEOUT):
        self.timeout = timeout
        self._ctx = mp.get_context("spawn")
        self._proc = None
        self._conn = None
        self._starting = False

    def _start(self) -> None:
        """Take an idle worker or spawn one; _await_ready() waits for a spawned one to start."""
        with _IDLE_LOCK:
            while _IDLE:
                proc, conn = _IDLE.pop()
                if proc.is_alive():
                    self._proc, self._conn = proc, conn
                    self._starting = False
                    return
        parent, child = self._ctx.Pipe()
        self._proc = self._ctx.Process(target=_serve, args=(child,), name="advisor-extract", daemon=True)
        self._proc.start()
        child.close()
        self._conn = parent
        self._starting = True

    def _await_ready(self) -> None:
        # the time limit is for reading a file, not for starting Python in the worker
        if not self._starting:
            return
        self._starting = False
        assert self._conn is not None
        if not self._conn.poll(STARTUP_TIMEOUT) or self._conn.recv()[0] != "ready":
            self._kill()
            raise RuntimeError("the file reader process did not start")

    def _ensure_started(self) -> None:
        if self._proc is None or not self._proc.is_alive():
            self._start()

    def _send(self, path: Path, rel: str, part: int = 0, parts: int = 1, kind: str = "read") -> None:
        self._ensure_started()
        self._await_ready()
        assert self._conn is not None
        self._conn.send((kind, str(path), rel, part, parts))

    def _receive(self, rel: str, deadline: float):
        assert self._conn is not None and self._proc is not None
        while not self._conn.poll(0.2):
            if time.monotonic() > deadline:
                self._kill()
                raise DocumentError(rel, f"reading took longer than {self.timeout:g}s (extraction stopped), skipped")
            if not self._proc.is_alive():
                self._kill()
                raise DocumentError(rel, "the reader crashed on this file (out of memory or a parser fault), skipped")
        try:
            status, payload = self._conn.recv()
        except EOFError:
            self._kill()
            raise DocumentError(rel, "the reader crashed on this file, skipped") from None
        if status == "ok":
            return payload
        if status == "skip":
            raise DocumentError(rel, payload)
        raise RuntimeError(payload)

    def load(self, path: Path, rel: str) -> Document:
        """The document, or DocumentError (skip: corrupt, timeout...) or RuntimeError (loader bug)."""
        self._send(path, rel)
        return self._receive(rel, time.monotonic() + self.timeout)

    def check_pdf(self, path: Path, rel: str) -> int:
        """The pages of a PDF that opens cleanly (an upload's check), under the same time limit as reading;
        DocumentError otherwise (damaged, encrypted, too many pages, took too long)."""
        self._send(path, rel, kind="check")
        return self._receive(rel, time.monotonic() + self.timeout)

    def load_pdf_split(self, path: Path, rel: str, helper: "Extractor") -> Document:
        """A PDF read by this worker and `helper`, half the pages each, under one time limit.

        Worth it only while nothing else needs the CPU: at the start of a build, the model has no
        text to embed until the first file is read.
        """
        from .loaders import require_text
        from .pdf import assemble_pdf

        self._ensure_started()
        helper._ensure_started()  # both workers start (or are taken from the pool) at once
        deadline = time.monotonic() + self.timeout
        self._send(path, rel, 0, 2)
        helper._send(path, rel, 1, 2)
        try:
            first = self._receive(rel, deadline)
        except BaseException:
            helper._kill()  # its half is of no use now; a fresh worker serves the next file
            raise
        second = helper._receive(rel, deadline)
        return require_text(assemble_pdf(path, rel, [first, second]))

    def _kill(self) -> None:
        if self._proc is not None:
            self._proc.kill()
            self._proc.join(5)
        if self._conn is not None:
            self._conn.close()
        self._proc = self._conn = None

    def close(self) -> None:
        """A healthy worker is kept for the next build in this process (starting one costs a second)."""
        if self._conn is not None and self._proc is not None and self._proc.is_alive():
            with _IDLE_LOCK:
                _IDLE.append((self._proc, self._conn))
            self._proc = self._conn = None
            return
        self._kill()

    def __enter__(self) -> "Extractor":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def check_pdf(path: Path, rel: str, timeout: float = DEFAULT_TIMEOUT) -> int:
    """Extractor.check_pdf with a worker of its own (taken from the idle pool when one is there)."""
    with Extractor(timeout=timeout) as extractor:
        return extractor.check_pdf(Path(path), rel)
