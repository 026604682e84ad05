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

import http.client
import json
import os
import re
import socket
import sys
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

USER_AGENT = "advisor-fetch/0.1"
RECORD_NAME = "FETCHED.json"
DEFAULT_MAX_BYTES = 500 * 2**20
PART_SUFFIX = ".part"
# Ends in .part so that the corpus scanner ignores it like the .part it describes.
VALIDATOR_SUFFIX = ".validator" + PART_SUFFIX
_CHUNK = 64 * 1024
_PDF_MAGIC = b"%PDF-"
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


def _format_limit(n: int) -> str:
    if n >= 2**20 and n % 2**20 == 0:
        return f"{n // 2**20} MiB"
    if n >= 1024 and n % 1024 == 0:
        return f"{n // 1024} KiB"
    return f"{n} bytes"


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


# --------------------------------------------------------------------------- network


class _Failure(Exception):
    """A failure of one attempt: ``retry`` says whether another attempt may help."""

    def __init__(self, reason: str, retry: bool, kind: str = "other"):
        super().__init__(reason)
        self.reason = reason
        self.retry = retry
        self.kind = kind  # timeout | connection | server | incomplete | other


class _SchemeGuard(urllib.request.HTTPRedirectHandler):
    """Follow redirects only to http(s) URLs, and never from https to http."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: D401
        scheme = urllib.parse.urlsplit(newurl).scheme.lower()
        if scheme not in ("http", "https"):
            raise _Failure(f"redirected to a non-http(s) URL ({newurl})", retry=False)
        if scheme == "http" and urllib.parse.urlsplit(req.full_url).scheme.lower() == "https":
            # Over plain http anyone on the path could substitute the file the catalog
            # asked to receive over https.
            raise _Failure(f"refused a redirect from https to http ({newurl})", retry=False)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _opener() -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(_SchemeGuard())


def _http_failure(code: int, url: str) -> _Failure:
    if code == 404 or code == 410:
        return _Failure(f"not found (HTTP {code}) at {url}", retry=False)
    if code in (401, 403):
        return _Failure(f"access denied (HTTP {code}) at {url}", retry=False)
    if 500 <= code < 600:
        return _Failure(f"server error (HTTP {code}) at {url}", retry=True, kind="server")
    return _Failure(f"HTTP error {code} at {url}", retry=False)


def _is_timeout(exc: BaseException) -> bool:
    if isinstance(exc, (TimeoutError, socket.timeout)):
        return True
    reason = getattr(exc, "reason", None)
    return isinstance(reason, (TimeoutError, socket.timeout))


def _network_failure(exc: BaseException, url: str) -> _Failure:
    if _is_timeout(exc):
        return _Failure(f"timed out ({url})", retry=True, kind="timeout")
    reason = getattr(exc, "reason", None) or exc
    text = getattr(reason, "strerror", None) or str(reason) or type(reason).__name__
    return _Failure(f"could not connect ({text}) to {url}", retry=True, kind="connection")


def _looks_like_html(head: bytes, content_type: str) -> bool:
    if "html" in content_type.lower():
        return True
    probe = head.lstrip()[:64].lower()
    return probe.startswith(b"<!doctype html") or probe.startswith(b"<html") or b"<head" in probe


def _not_pdf(head: bytes, content_type: str, url: str) -> _Failure:
    if _looks_like_html(head, content_type):
        return _Failure(f"the server returned an HTML page, not a PDF ({url})", retry=False)
    shown = f"Content-Type {content_type}" if content_type else "no %PDF- header"
    return _Failure(f"the server returned something that is not a PDF ({shown}) ({url})", retry=False)


def _parse_content_range(value: str | None) -> tuple[int | None, int | None]:
    """``bytes 100-199/200`` -> (100, 200); unknown parts are None."""
    m = re.match(r"\s*bytes\s+(\d+)-\d+/(\d+|\*)", value or "")
    if not m:
        return None, None
    total = None if m.group(2) == "*" else int(m.group(2))
    return int(m.group(1)), total


def _unlink(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass


def _disk_error(rid: str, exc: OSError, path: Path) -> FetchError:
    return FetchError(f"{rid}: disk error: {exc.strerror or exc} ({path})")


def _too_big(max_bytes: int) -> _Failure:
    return _Failure(f"file exceeds the {_format_limit(max_bytes)} limit", retry=False)


def _part_head_ok(part: Path) -> bool:
    try:
        with open(part, "rb") as fh:
            return fh.read(len(_PDF_MAGIC)) == _PDF_MAGIC
    except OSError:
        return False


# --------------------------------------------------------------------------- partial downloads


def _validator_file(part: Path) -> Path:
    return part.with_name(part.name[: -len(PART_SUFFIX)] + VALIDATOR_SUFFIX)


def _discard_part(part: Path) -> None:
    _unlink(part)
    _unlink(_validator_file(part))


def _validator_of(headers) -> tuple[str, str] | None:
    """The header that names this version of the file, as (name, value)."""
    etag = (headers.get("ETag") or "").strip()
    if etag and not etag.startswith("W/"):  # If-Range accepts strong ETags only
        return ("ETag", etag)
    modified = (headers.get("Last-Modified") or "").strip()
    return ("Last-Modified", modified) if modified else None


def _read_validator(part: Path) -> tuple[str, str] | None:
    try:
        name, _, value = _validator_file(part).read_text(encoding="ascii").strip().partition(": ")
    except (OSError, ValueError):
        return None
    # The value goes into a request header: anything odd is dropped, not sent.
    if name in ("ETag", "Last-Modified") and re.fullmatch(r"[\x20-\x7e]{1,512}", value):
        return (name, value)
    return None


def _store_validator(rid: str, part: Path, validator: tuple[str, str] | None) -> None:
    path = _validator_file(part)
    try:
        if validator is None:
            _unlink(path)
        else:
            path.write_text(f"{validator[0]}: {validator[1]}\n", encoding="ascii", errors="replace")
    except OSError as exc:
        raise _disk_error(rid, exc, path) from exc


# --------------------------------------------------------------------------- one attempt


@dataclass
class _Job:
    """One resource's download, as every step of it needs to know."""

    rid: str
    url: str
    part: Path
    opener: urllib.request.OpenerDirector
    options: FetchOptions


@dataclass
class _Body:
    """How the response body continues the .part."""

    offset: int  # bytes of the .part that the body follows; 0 means the .part is rewritten
    total: int | None  # size of the whole file, when the server said
    content_type: str
    validator: tuple[str, str] | None  # what names the version the .part now holds


def _attempt(job: _Job) -> None:
    """One HTTP request that leaves the complete body in ``job.part``, or raises _Failure.

    OSError from the local file system is re-raised as FetchError("disk error ...").
    """
    offset = _resume_offset(job)
    validator = _read_validator(job.part) if offset else None
    response = _request(job, offset, validator)
    with response:
        body = _plan_body(job, response, offset, validator)
        received, head = _receive(job, response, body)
    _verify_part(job, body, received, head)


def _resume_offset(job: _Job) -> int:
    """How many bytes of an earlier download can be kept."""
    part = job.part
    try:
        if not part.exists():
            return 0
        offset = part.stat().st_size
        # A .part that is not the start of a PDF cannot be resumed into one.
        if offset and not _part_head_ok(part):
            _discard_part(part)
            return 0
        return offset
    except OSError as exc:
        raise _disk_error(job.rid, exc, part) from exc


def _request(job: _Job, offset: int, validator: tuple[str, str] | None):
    headers = {"User-Agent": USER_AGENT, "Accept": "application/pdf,*/*;q=0.8", "Accept-Encoding": "identity"}
    if offset:
        headers["Range"] = f"bytes={offset}-"
        if validator:
            # Without it a file changed upstream would arrive as its tail only, to be
            # joined to the old file's head; with it the server sends the whole new file.
            headers["If-Range"] = validator[1]
    request = urllib.request.Request(job.url, headers=headers)
    try:
        return job.opener.open(request, timeout=job.options.timeout)
    except _Failure:
        raise
    except urllib.error.HTTPError as exc:
        exc.close()
        if exc.code == 416 and offset:
            # Our .part is no prefix of what the server has now: start over.
            _discard_part(job.part)
            raise _Failure(f"the server rejected the resume request ({job.url})", retry=True, kind="restart") from exc
        raise _http_failure(exc.code, job.url) from exc
    except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
        raise _network_failure(exc, job.url) from exc


def _content_length(headers) -> int | None:
    value = headers.get("Content-Length")
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _plan_body(job: _Job, response, offset: int, validator: tuple[str, str] | None) -> _Body:
    """Resume or restart, as the status says; refuse a resume from another version of the file."""
    status, headers = response.status, response.headers
    content_type = headers.get("Content-Type", "") or ""
    length = _content_length(headers)
    if status == 206 and offset:
        start, total = _parse_content_range(headers.get("Content-Range"))
        if start != offset:
            _discard_part(job.part)
            raise _Failure(f"the server resumed at the wrong offset ({job.url})", retry=True, kind="restart")
        current = (headers.get(validator[0]) or "").strip() if validator else ""
        if current and current != validator[1]:
            # A server that ignores If-Range still names the version it sends.
            _discard_part(job.part)
            raise _Failure(f"the file changed on the server ({job.url})", retry=True, kind="restart")
        if total is None and length is not None:
            total = offset + length
        body = _Body(offset, total, content_type, validator or _validator_of(headers))
    elif 200 <= status < 300 and status != 206:
        # The range was ignored or refused by If-Range: the body is the whole file.
        body = _Body(0, length, content_type, _validator_of(headers))
    else:
        raise _http_failure(status, job.url)
    if body.total is not None and body.total > job.options.max_bytes:
        raise _too_big(job.options.max_bytes)
    return body


def _receive(job: _Job, response, body: _Body) -> tuple[int, bytes]:
    """Stream the body into the .part; returns (bytes in the .part, first bytes of a new file)."""
    from tqdm import tqdm

    bar = tqdm(
        total=body.total,
        initial=body.offset,
        unit="B",
        unit_scale=True,
        unit_divisor=1024,
        desc=job.rid,
        file=sys.stderr,
        disable=not job.options.progress,
        leave=False,
        dynamic_ncols=True,
    )
    try:
        try:
            fh = open(job.part, "ab" if body.offset else "wb")
        except OSError as exc:
            raise _disk_error(job.rid, exc, job.part) from exc
        with fh:
            # Only now does the .part hold this version: its name must not be stored earlier.
            _store_validator(job.rid, job.part, body.validator)
            received, head = _copy_body(job, response, fh, body, bar)
            try:
                fh.flush()
                os.fsync(fh.fileno())
            except OSError as exc:
                raise _disk_error(job.rid, exc, job.part) from exc
    finally:
        bar.close()
    return received, head


def _copy_body(job: _Job, response, fh, body: _Body, bar) -> tuple[int, bytes]:
    received, head = body.offset, b""
    max_bytes = job.options.max_bytes
    # read1 returns what has arrived instead of waiting for a full chunk, so a
    # stalled connection loses nothing already received (it stays in the .part).
    read = getattr(response, "read1", response.read)
    while True:
        try:
            chunk = read(_CHUNK)
        except http.client.IncompleteRead as exc:
            chunk = exc.partial or b""
            if chunk:
                _write(fh, chunk, job)
                received += len(chunk)
            break
        except (OSError, http.client.HTTPException) as exc:
            raise _network_failure(exc, job.url) from exc
        if not chunk:
            break
        if body.offset == 0 and len(head) < len(_PDF_MAGIC):
            head += chunk[: len(_PDF_MAGIC) - len(head)]
            if len(head) >= len(_PDF_MAGIC) and head != _PDF_MAGIC:
                # Reject early: no point downloading a whole error page.
                raise _not_pdf(head + chunk[len(head):], body.content_type, job.url)
        received += len(chunk)
        if received > max_bytes:
            raise _too_big(max_bytes)
        _write(fh, chunk, job)
        bar.update(len(chunk))
    return received, head


def _write(fh, chunk: bytes, job: _Job) -> None:
    try:
        fh.write(chunk)
    except OSError as exc:
        raise _disk_error(job.rid, exc, job.part) from exc


def _verify_part(job: _Job, body: _Body, received: int, head: bytes) -> None:
    if body.total is not None and received < body.total:
        raise _Failure(f"download incomplete ({received} of {body.total} bytes)", retry=True, kind="incomplete")
    if received == 0 or not _part_head_ok(job.part):
        _discard_part(job.part)
        raise _not_pdf(head, body.content_type, job.url)


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
