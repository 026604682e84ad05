"""Download the official free PDFs named in catalog records onto this machine.

``advisor fetch`` puts each file under ``<corpus_root>/texts/<id>/`` next to a
``FETCHED.json`` record, so the indexer later treats it like any shipped text.

Guarantees:

* Bytes are streamed into ``<name>.pdf.part`` in the destination directory; the
  final name only ever appears through ``os.replace`` of a complete, verified
  file (starts with ``%PDF-``, matches Content-Length when one was sent).
* A ``.part`` left by an interrupted or truncated download is resumed with an
  HTTP ``Range`` request carrying ``If-Range`` (the ETag or Last-Modified the
  server gave for the ``.part``, kept in ``<name>.pdf.validator.part``); a 200
  answer (range ignored, or the file changed upstream) restarts from zero, so
  bytes of two versions are never joined.
* A catalog record's ``sha256``, when given, must match the downloaded bytes;
  otherwise the download is discarded with "checksum mismatch".
* Redirects go to http(s) URLs only, and never from https down to http.
* A file whose sha256 matches its ``FETCHED.json`` (and the catalog pin, if
  any) is skipped without any network access.
* Each resource yields one :class:`FetchResult`; a failing resource never stops
  the others, and its ``message`` is one user-facing line naming the resource
  and the reason.

Only the standard library is used for the network, plus tqdm for progress bars.
"""

from __future__ import annotations

import json
import os
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..errors import FetchError
from ..fileops import atomic_write_text, sha256_file
from ..types import Resource
from .download import (PART_SUFFIX, USER_AGENT, _attempt, _discard_part, _Failure,
                       _Job, _opener, _part_head_ok, _unlink, _validator_file)

__all__ = [
    "FetchOptions",
    "FetchResult",
    "fetch_resources",
    "fetch_one",
    "destination",
    "USER_AGENT",
    "RECORD_NAME",
    "DEFAULT_MAX_BYTES",
]

RECORD_NAME = "FETCHED.json"
DEFAULT_MAX_BYTES = 500 * 2**20
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")

DOWNLOADED = "downloaded"
SKIPPED = "skipped"
FAILED = "failed"
NO_PDF_URL = "no-pdf-url"


@dataclass
class FetchResult:
    resource_id: str
    status: str  # "downloaded" | "skipped" | "failed" | "no-pdf-url"
    path: str | None  # final file relative to corpus_root, e.g. "texts/esl/esl.pdf"
    sha256: str | None
    bytes: int = 0
    message: str = ""  # one line, user-facing

    @property
    def ok(self) -> bool:
        """True when the file is in place (downloaded now or already present)."""
        return self.status in (DOWNLOADED, SKIPPED)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class FetchOptions:
    """The keyword arguments of :func:`fetch_one` and :func:`fetch_resources`.

    ``retries`` is the total number of attempts (at least 1); between attempts
    the wait is ``backoff * 2**(n-1)`` seconds. Connection errors, timeouts,
    5xx answers and truncated bodies are retried; 4xx answers are not.
    """

    timeout: float = 30.0
    retries: int = 3
    backoff: float = 1.0
    progress: bool = True
    max_bytes: int = DEFAULT_MAX_BYTES


# --------------------------------------------------------------------------- names


def _sanitize(name: str, fallback: str) -> str:
    """Keep only [A-Za-z0-9._-]; never '.', '..' or a hidden name."""
    cleaned = _UNSAFE.sub("_", name).lstrip(".")
    return cleaned or fallback


def _safe_id(resource_id: str) -> str:
    return _sanitize(str(resource_id), "resource")


def _file_name(resource_id: str, url: str) -> str:
    safe_id = _safe_id(resource_id)
    path = urllib.parse.urlsplit(url).path
    last = urllib.parse.unquote(path.rsplit("/", 1)[-1])
    # A segment like "a%2F..%2Fb.pdf" decodes to something with slashes: keep its tail only.
    last = re.split(r"[/\\]", last)[-1]
    if last.lower().endswith(".pdf"):
        name = _sanitize(last, "")
        if name.lower().endswith(".pdf") and len(name) > len(".pdf"):
            return name
    return f"{safe_id}.pdf"


def destination(resource: Resource, corpus_root: Path) -> Path:
    """Where ``resource`` is (or would be) stored; requires a pdf_url."""
    if not resource.pdf_url:
        raise FetchError(f"{resource.id}: no pdf_url in the catalog record")
    return Path(corpus_root) / "texts" / _safe_id(resource.id) / _file_name(resource.id, resource.pdf_url)


def _rel(path: Path, corpus_root: Path) -> str:
    try:
        return path.relative_to(corpus_root).as_posix()
    except ValueError:
        return path.as_posix()


# --------------------------------------------------------------------------- records



def _read_record(directory: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((directory / RECORD_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _write_record(directory: Path, record: dict[str, Any]) -> None:
    text = json.dumps(record, indent=2, sort_keys=True) + "\n"
    atomic_write_text(directory / RECORD_NAME, text, prefix=f".{RECORD_NAME}.")


def _pin(resource: Resource) -> str | None:
    return (resource.sha256 or "").strip().lower() or None


def _already_present(dest: Path, url: str, pin: str | None) -> str | None:
    """sha256 of ``dest`` if it exists and matches its FETCHED.json record for ``url`` and ``pin``."""
    if not dest.is_file():
        return None
    record = _read_record(dest.parent)
    if not record or record.get("file") != dest.name or record.get("url") != url:
        return None
    expected = record.get("sha256")
    if not isinstance(expected, str):
        return None
    try:
        actual = sha256_file(dest)
    except OSError:
        return None
    if pin is not None and actual != pin:
        return None
    return actual if actual == expected.lower() else None


# --------------------------------------------------------------------------- one resource


def _final_message(failure: _Failure, attempts: int) -> str:
    if failure.kind == "timeout":
        return f"timed out after {attempts} attempt{'s' if attempts != 1 else ''}"
    if failure.kind in ("connection", "server") and attempts > 1:
        return f"{failure.reason} after {attempts} attempts"
    if failure.kind == "incomplete":
        return f"{failure.reason}; run fetch again to resume"
    return failure.reason


def _download(job: _Job) -> str | None:
    """Attempt until the .part is complete: None then, else the reason it is not."""
    attempts_allowed = max(1, int(job.options.retries))
    attempt = 0
    restarted = False
    while True:
        attempt += 1
        try:
            _attempt(job)
            return None
        except _Failure as failure:
            if failure.kind == "restart" and not restarted:
                restarted = True  # a stale .part: one free retry from zero
                attempt -= 1
                continue
            if not failure.retry or attempt >= attempts_allowed:
                # A valid PDF prefix cut off by the network is kept for resume;
                # anything else (error page, over the limit, gone) is dropped.
                resumable = failure.kind in ("timeout", "connection", "server", "incomplete")
                if not (resumable and _part_head_ok(job.part)):
                    _discard_part(job.part)
                return _final_message(failure, attempt)
        if job.options.backoff > 0:
            time.sleep(job.options.backoff * 2 ** (attempt - 1))


def _move_into_place(job: _Job, dest: Path, sha: str, size: int) -> None:
    old = _read_record(dest.parent)
    os.replace(job.part, dest)
    _unlink(_validator_file(job.part))
    _write_record(
        dest.parent,
        {
            "id": job.rid,
            "url": job.url,
            "file": dest.name,
            "sha256": sha,
            "bytes": size,
            "fetched_at": datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        },
    )
    # A file fetched earlier from another URL under another name would be indexed twice.
    if old and isinstance(old.get("file"), str) and old["file"] != dest.name:
        stale = dest.parent / _sanitize(old["file"], "")
        if stale.name == old["file"] and stale.suffix.lower() == ".pdf" and stale.is_file():
            _unlink(stale)


def _failed(rid: str, message: str) -> FetchResult:
    return FetchResult(rid, FAILED, None, None, 0, message)


def _unfetchable(rid: str, url: str) -> FetchResult | None:
    if not url:
        return FetchResult(rid, NO_PDF_URL, None, None, 0, f"{rid}: no pdf_url in the catalog record")
    scheme = urllib.parse.urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        shown = f"'{scheme}:'" if scheme else "a URL without a scheme"
        return _failed(rid, f"{rid}: only http and https URLs can be fetched, not {shown} ({url})")
    return None


def _fetch(
    resource: Resource, corpus_root: Path, options: FetchOptions, opener: urllib.request.OpenerDirector
) -> FetchResult:
    rid = str(resource.id)
    url = (resource.pdf_url or "").strip()
    refused = _unfetchable(rid, url)
    if refused is not None:
        return refused

    dest = destination(resource, corpus_root)
    rel = _rel(dest, corpus_root)
    pin = _pin(resource)
    sha = _already_present(dest, url, pin)
    if sha is not None:
        size = dest.stat().st_size
        return FetchResult(rid, SKIPPED, rel, sha, size, f"{rid}: already present ({rel})")

    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return _failed(rid, f"{rid}: disk error: {exc.strerror or exc} ({dest.parent})")

    job = _Job(rid, url, dest.with_name(dest.name + PART_SUFFIX), opener, options)
    try:
        reason = _download(job)
        if reason is not None:
            return _failed(rid, f"{rid}: {reason}")
        sha = sha256_file(job.part)
        size = job.part.stat().st_size
        if pin is not None and sha != pin:
            # Not the bytes the catalog vouches for: nothing of them may stay to be indexed or resumed.
            _discard_part(job.part)
            return _failed(rid, f"{rid}: checksum mismatch (expected {pin}, got {sha})")
        _move_into_place(job, dest, sha, size)
    except FetchError as exc:
        return _failed(rid, str(exc))
    except OSError as exc:
        return _failed(rid, f"{rid}: disk error: {exc.strerror or exc}")

    return FetchResult(rid, DOWNLOADED, rel, sha, size, f"{rid}: downloaded {size} bytes to {rel}")


# --------------------------------------------------------------------------- public API


def fetch_one(resource: Resource, corpus_root: Path, **options: Any) -> FetchResult:
    """Download ``resource.pdf_url`` into ``corpus_root/texts/<id>/``.

    ``options`` are the fields of :class:`FetchOptions`. Never raises for a
    download problem: the outcome is in the result.
    """
    return _fetch(resource, Path(corpus_root), FetchOptions(**options), _opener())


def fetch_resources(resources: list[Resource], corpus_root: Path, **options: Any) -> list[FetchResult]:
    """Fetch each resource in turn; one result per resource, in input order.

    ``options`` are the fields of :class:`FetchOptions`, as for :func:`fetch_one`.
    """
    settings = FetchOptions(**options)  # a bad option is the caller's error, raised before any download
    opener = _opener()
    results: list[FetchResult] = []
    for resource in resources:
        try:
            result = _fetch(resource, Path(corpus_root), settings, opener)
        except Exception as exc:  # a bug or oddity in one resource must not stop the rest
            rid = str(getattr(resource, "id", "?"))
            reason = " ".join(str(exc).split()) or type(exc).__name__
            result = _failed(rid, f"{rid}: unexpected error: {reason}")
        results.append(result)
    return results
