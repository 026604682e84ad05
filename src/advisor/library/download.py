"""One resumable HTTP download into a ``.part`` file: request, resume (Range + If-Range), receive, verify.

The catalog side (names, records, retries, the final move) is in fetch.py; this module only moves bytes.
"""

from __future__ import annotations

import http.client
import os
import re
import socket
import sys
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import FetchError

if TYPE_CHECKING:
    from .fetch import FetchOptions


USER_AGENT = "advisor-fetch/0.1"
PART_SUFFIX = ".part"
# Ends in .part so that the corpus scanner ignores it like the .part it describes.
VALIDATOR_SUFFIX = ".validator" + PART_SUFFIX
_CHUNK = 64 * 1024
_PDF_MAGIC = b"%PDF-"


def _format_limit(n: int) -> str:
    if n >= 2**20 and n % 2**20 == 0:
        return f"{n // 2**20} MiB"
    if n >= 1024 and n % 1024 == 0:
        return f"{n // 1024} KiB"
    return f"{n} bytes"


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
