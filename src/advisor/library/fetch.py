"""Download the official free PDFs named in catalog records onto this machine.

``advisor fetch`` puts each file under ``<corpus_root>/texts/<id>/`` next to a
``FETCHED.json`` record, so the indexer later treats it like any shipped text.

Guarantees:

* Bytes are streamed into ``<name>.pdf.part`` in the destination directory; the
  final name only ever appears through ``os.replace`` of a complete, verified
  file (starts with ``%PDF-``, matches Content-Length when one was sent).
* A ``.part`` left by an interrupted or truncated download is resumed with an
  HTTP ``Range`` request; a server that ignores the range (answers 200) makes
  the download start again from zero.
* A file whose sha256 matches its ``FETCHED.json`` is skipped without any
  network access.
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


def _already_present(dest: Path, url: str) -> str | None:
    """sha256 of ``dest`` if it exists and matches its FETCHED.json record for ``url``."""
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
    """Follow redirects only to http(s) URLs."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: D401
        scheme = urllib.parse.urlsplit(newurl).scheme.lower()
        if scheme not in ("http", "https"):
            raise _Failure(f"redirected to a non-http(s) URL ({newurl})", retry=False)
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


def _part_head_ok(part: Path) -> bool:
    try:
        with open(part, "rb") as fh:
            return fh.read(len(_PDF_MAGIC)) == _PDF_MAGIC
    except OSError:
        return False


def _attempt(
    resource: Resource,
    url: str,
    part: Path,
    opener: urllib.request.OpenerDirector,
    timeout: float,
    max_bytes: int,
    progress: bool,
) -> None:
    """One HTTP request that leaves the complete body in ``part``, or raises _Failure.

    OSError from the local file system is re-raised as FetchError("disk error ...").
    """
    from tqdm import tqdm

    offset = 0
    try:
        if part.exists():
            offset = part.stat().st_size
            # A .part that is not the start of a PDF cannot be resumed into one.
            if offset and not _part_head_ok(part):
                _unlink(part)
                offset = 0
    except OSError as exc:
        raise FetchError(f"{resource.id}: disk error: {exc.strerror or exc} ({part})") from exc

    headers = {"User-Agent": USER_AGENT, "Accept": "application/pdf,*/*;q=0.8", "Accept-Encoding": "identity"}
    if offset:
        headers["Range"] = f"bytes={offset}-"
    request = urllib.request.Request(url, headers=headers)

    try:
        response = opener.open(request, timeout=timeout)
    except _Failure:
        raise
    except urllib.error.HTTPError as exc:
        exc.close()
        if exc.code == 416 and offset:
            # Our .part is no prefix of what the server has now: start over.
            _unlink(part)
            raise _Failure(f"the server rejected the resume request ({url})", retry=True, kind="restart") from exc
        raise _http_failure(exc.code, url) from exc
    except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
        raise _network_failure(exc, url) from exc

    with response:
        status = response.status
        content_type = response.headers.get("Content-Type", "") or ""
        length_header = response.headers.get("Content-Length")
        try:
            length = int(length_header) if length_header is not None else None
        except ValueError:
            length = None

        if status == 206 and offset:
            start, total = _parse_content_range(response.headers.get("Content-Range"))
            if start != offset:
                _unlink(part)
                raise _Failure(f"the server resumed at the wrong offset ({url})", retry=True, kind="restart")
            if total is None and length is not None:
                total = offset + length
            mode = "ab"
        elif 200 <= status < 300 and status != 206:
            offset = 0  # server ignored the range (or there was none): restart from zero
            total = length
            mode = "wb"
        else:
            raise _http_failure(status, url)

        if total is not None and total > max_bytes:
            raise _Failure(f"file exceeds the {_format_limit(max_bytes)} limit", retry=False)

        received = offset
        head = b""
        bar = tqdm(
            total=total,
            initial=offset,
            unit="B",
            unit_scale=True,
            unit_divisor=1024,
            desc=str(resource.id),
            file=sys.stderr,
            disable=not progress,
            leave=False,
            dynamic_ncols=True,
        )
        try:
            try:
                fh = open(part, mode)
            except OSError as exc:
                raise FetchError(f"{resource.id}: disk error: {exc.strerror or exc} ({part})") from exc
            with fh:
                # read1 returns what has arrived instead of waiting for a full chunk, so a
                # stalled connection loses nothing already received (it stays in the .part).
                read = getattr(response, "read1", response.read)
                while True:
                    try:
                        chunk = read(_CHUNK)
                    except http.client.IncompleteRead as exc:
                        chunk = exc.partial or b""
                        if chunk:
                            _write(fh, chunk, resource, part)
                            received += len(chunk)
                        break
                    except (OSError, http.client.HTTPException) as exc:
                        raise _network_failure(exc, url) from exc
                    if not chunk:
                        break
                    if offset == 0 and len(head) < len(_PDF_MAGIC):
                        head += chunk[: len(_PDF_MAGIC) - len(head)]
                        if len(head) >= len(_PDF_MAGIC) and head != _PDF_MAGIC:
                            # Reject early: no point downloading a whole error page.
                            raise _not_pdf(head + chunk[len(head):], content_type, url)
                    received += len(chunk)
                    if received > max_bytes:
                        raise _Failure(f"file exceeds the {_format_limit(max_bytes)} limit", retry=False)
                    _write(fh, chunk, resource, part)
                    bar.update(len(chunk))
                try:
                    fh.flush()
                    os.fsync(fh.fileno())
                except OSError as exc:
                    raise FetchError(f"{resource.id}: disk error: {exc.strerror or exc} ({part})") from exc
        finally:
            bar.close()

    if total is not None and received < total:
        raise _Failure(f"download incomplete ({received} of {total} bytes)", retry=True, kind="incomplete")
    if received == 0 or not _part_head_ok(part):
        _unlink(part)
        raise _not_pdf(head, content_type, url)


def _write(fh, chunk: bytes, resource: Resource, part: Path) -> None:
    try:
        fh.write(chunk)
    except OSError as exc:
        raise FetchError(f"{resource.id}: disk error: {exc.strerror or exc} ({part})") from exc


def _final_message(failure: _Failure, attempts: int) -> str:
    if failure.kind == "timeout":
        return f"timed out after {attempts} attempt{'s' if attempts != 1 else ''}"
    if failure.kind in ("connection", "server") and attempts > 1:
        return f"{failure.reason} after {attempts} attempts"
    if failure.kind == "incomplete":
        return f"{failure.reason}; run fetch again to resume"
    return failure.reason


# --------------------------------------------------------------------------- public API


def fetch_one(
    resource: Resource,
    corpus_root: Path,
    *,
    timeout: float = 30.0,
    retries: int = 3,
    backoff: float = 1.0,
    progress: bool = True,
    max_bytes: int = DEFAULT_MAX_BYTES,
    _opener_: urllib.request.OpenerDirector | None = None,
) -> FetchResult:
    """Download ``resource.pdf_url`` into ``corpus_root/texts/<id>/``.

    ``retries`` is the total number of attempts (at least 1); between attempts
    the wait is ``backoff * 2**(n-1)`` seconds. Connection errors, timeouts,
    5xx answers and truncated bodies are retried; 4xx answers are not.
    Never raises for a download problem: the outcome is in the result.
    """
    corpus_root = Path(corpus_root)
    rid = str(resource.id)
    url = (resource.pdf_url or "").strip()
    if not url:
        return FetchResult(rid, NO_PDF_URL, None, None, 0, f"{rid}: no pdf_url in the catalog record")

    scheme = urllib.parse.urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        shown = f"'{scheme}:'" if scheme else "a URL without a scheme"
        return FetchResult(
            rid, FAILED, None, None, 0, f"{rid}: only http and https URLs can be fetched, not {shown} ({url})"
        )

    dest = destination(resource, corpus_root)
    rel = _rel(dest, corpus_root)
    part = dest.with_name(dest.name + PART_SUFFIX)

    sha = _already_present(dest, url)
    if sha is not None:
        size = dest.stat().st_size
        return FetchResult(rid, SKIPPED, rel, sha, size, f"{rid}: already present ({rel})")

    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return FetchResult(rid, FAILED, None, None, 0, f"{rid}: disk error: {exc.strerror or exc} ({dest.parent})")

    opener = _opener_ or _opener()
    attempts_allowed = max(1, int(retries))
    attempt = 0
    restarted = False
    try:
        while True:
            attempt += 1
            try:
                _attempt(resource, url, part, opener, timeout, max_bytes, progress)
                break
            except _Failure as failure:
                if failure.kind == "restart" and not restarted:
                    restarted = True  # a stale .part: one free retry from zero
                    attempt -= 1
                    continue
                if not failure.retry or attempt >= attempts_allowed:
                    # A valid PDF prefix cut off by the network is kept for resume;
                    # anything else (error page, over the limit, gone) is dropped.
                    resumable = failure.kind in ("timeout", "connection", "server", "incomplete")
                    if not (resumable and _part_head_ok(part)):
                        _unlink(part)
                    return FetchResult(rid, FAILED, None, None, 0, f"{rid}: {_final_message(failure, attempt)}")
                if backoff > 0:
                    time.sleep(backoff * 2 ** (attempt - 1))

        sha = sha256_file(part)
        size = part.stat().st_size
        old = _read_record(dest.parent)
        os.replace(part, dest)
        _write_record(
            dest.parent,
            {
                "id": rid,
                "url": url,
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
    except FetchError as exc:
        return FetchResult(rid, FAILED, None, None, 0, str(exc))
    except OSError as exc:
        return FetchResult(rid, FAILED, None, None, 0, f"{rid}: disk error: {exc.strerror or exc}")

    return FetchResult(rid, DOWNLOADED, rel, sha, size, f"{rid}: downloaded {size} bytes to {rel}")


def fetch_resources(
    resources: list[Resource],
    corpus_root: Path,
    *,
    timeout: float = 30.0,
    retries: int = 3,
    backoff: float = 1.0,
    progress: bool = True,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> list[FetchResult]:
    """Fetch each resource in turn; one result per resource, in input order."""
    opener = _opener()
    results: list[FetchResult] = []
    for resource in resources:
        try:
            result = fetch_one(
                resource,
                corpus_root,
                timeout=timeout,
                retries=retries,
                backoff=backoff,
                progress=progress,
                max_bytes=max_bytes,
                _opener_=opener,
            )
        except Exception as exc:  # a bug or oddity in one resource must not stop the rest
            rid = str(getattr(resource, "id", "?"))
            reason = " ".join(str(exc).split()) or type(exc).__name__
            result = FetchResult(rid, FAILED, None, None, 0, f"{rid}: unexpected error: {reason}")
        results.append(result)
    return results
