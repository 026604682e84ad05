"""advisor.library.fetch against a real HTTP server on 127.0.0.1 (no external network)."""

from __future__ import annotations

import hashlib
import http.client
import io
import json
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from advisor.library.fetch import FetchResult, destination, fetch_one, fetch_resources
from advisor.types import Resource


def _make_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(72, 72)
    # Padding so that the body spans several read chunks.
    writer.add_metadata({"/Padding": "x" * 200_000})
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


PDF = _make_pdf()
PDF_SHA = hashlib.sha256(PDF).hexdigest()
OTHER_PDF = PDF.replace(b"x" * 1000, b"y" * 1000, 1)  # same length, different sha
HTML = b"<!DOCTYPE html><html><head><title>Login</title></head><body>Please sign in</body></html>"
FAST = dict(timeout=2.0, retries=2, backoff=0, progress=False)
# Last-Modified of the two editions served under /versioned/.
DATES = {PDF: "Mon, 01 Jan 2024 00:00:00 GMT", OTHER_PDF: "Tue, 02 Jan 2024 00:00:00 GMT"}


class _Handler(BaseHTTPRequestHandler):
    server: "_Server"

    def log_message(self, *args):  # keep test output quiet
        pass

    def _send(self, status: int, body: bytes, ctype: str = "application/pdf", length: int | None = None,
              extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        if length is not None:
            self.send_header("Content-Length", str(length))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: N802
        srv = self.server
        with srv.lock:
            srv.requests.append((self.path, dict(self.headers)))
            hits = sum(1 for p, _ in srv.requests if p == self.path)
        path = self.path
        if path in ("/files/esl.pdf", "/download?id=7", "/redirected/ok.pdf"):
            self._send(200, srv.pdf, length=len(srv.pdf))
        elif path == "/nolength.pdf":
            self._send(200, PDF)  # close-delimited body, no Content-Length
        elif path == "/missing.pdf":
            self._send(404, b"not here", ctype="text/plain", length=8)
        elif path == "/forbidden.pdf":
            self._send(403, b"no", ctype="text/plain", length=2)
        elif path == "/html.pdf":
            self._send(200, HTML, ctype="text/html; charset=utf-8", length=len(HTML))
        elif path == "/truncated.pdf":
            self._send(200, PDF[: len(PDF) // 2], length=len(PDF))  # then the connection closes
        elif path == "/range/book.pdf":
            rng = self.headers.get("Range")
            if rng and rng.startswith("bytes=") and rng.endswith("-"):
                start = int(rng[len("bytes="):-1])
                body = PDF[start:]
                self._send(206, body, length=len(body),
                           extra={"Content-Range": f"bytes {start}-{len(PDF) - 1}/{len(PDF)}"})
            else:
                self._send(200, PDF, length=len(PDF))
        elif path == "/norange/book.pdf":
            self._send(200, PDF, length=len(PDF))  # ignores Range
        elif path == "/slow.pdf":
            time.sleep(1.0)
            self._send(200, PDF, length=len(PDF))
        elif path == "/stall.pdf":
            self.send_response(200)
            self.send_header("Content-Type", "application/pdf")
            self.send_header("Content-Length", str(len(PDF)))
            self.end_headers()
            self.wfile.write(PDF[:1000])
            self.wfile.flush()
            time.sleep(0.6)
        elif path == "/flaky.pdf":
            if hits == 1:
                self._send(500, b"oops", ctype="text/plain", length=4)
            else:
                self._send(200, PDF, length=len(PDF))
        elif path == "/down.pdf":
            self._send(503, b"down", ctype="text/plain", length=4)
        elif path == "/to-ftp.pdf":
            self._send(302, b"", length=0, extra={"Location": "ftp://example.invalid/book.pdf"})
        elif path == "/to-ok.pdf":
            self._send(302, b"", length=0, extra={"Location": "/redirected/ok.pdf"})
        elif path == "/to-http.pdf":
            port = srv.server_address[1]
            self._send(302, b"", length=0, extra={"Location": f"http://127.0.0.1:{port}/redirected/ok.pdf"})
        elif path == "/versioned/book.pdf":
            self._versioned()
        elif path == "/huge.pdf":
            self._send(200, PDF, length=len(PDF))
        elif path == "/huge-nolength.pdf":
            self._send(200, PDF)
        else:
            self._send(404, b"?", ctype="text/plain", length=1)

    def _versioned(self) -> None:
        """Names its edition by ETag or Last-Modified and honours If-Range (unless told not to)."""
        srv = self.server
        body = srv.pdf
        if srv.validator == "etag":
            name, current = "ETag", f'"{hashlib.sha256(body).hexdigest()[:16]}"'
        else:
            name, current = "Last-Modified", DATES[body]
        rng, if_range = self.headers.get("Range"), self.headers.get("If-Range")
        if srv.cut_next:
            srv.cut_next = False
            self._send(200, body[: len(body) // 2], length=len(body), extra={name: current})
        elif rng and (if_range in (None, current) or srv.ignore_if_range):
            start = int(rng[len("bytes="):-1])
            self._send(206, body[start:], length=len(body) - start,
                       extra={name: current, "Content-Range": f"bytes {start}-{len(body) - 1}/{len(body)}"})
        else:
            self._send(200, body, length=len(body), extra={name: current})


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.lock = threading.Lock()
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.pdf = PDF
        self.validator = "etag"  # how /versioned/ names its edition: "etag" or "last-modified"
        self.cut_next = False  # /versioned/: send only half of the next body
        self.ignore_if_range = False  # /versioned/: answer 206 even when If-Range does not match

    def handle_error(self, request, client_address):  # client gave up (timeouts): not an error here
        pass

    def hits(self, path: str) -> list[dict[str, str]]:
        with self.lock:
            return [h for p, h in self.requests if p == path]


@pytest.fixture(scope="module")
def _server():
    srv = _Server()
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


@pytest.fixture
def server(_server, monkeypatch):
    for var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)
    with _server.lock:
        _server.requests.clear()
    _server.pdf = PDF
    _server.validator = "etag"
    _server.cut_next = False
    _server.ignore_if_range = False
    return _server


def url(server: _Server, path: str) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}{path}"


def res(rid: str, pdf_url: str | None, sha256: str | None = None) -> Resource:
    return Resource(id=rid, title=rid.upper(), pdf_url=pdf_url, access="free", sha256=sha256)


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir()) if directory.exists() else []


# --------------------------------------------------------------------------- success paths


def test_download_places_file_record_and_user_agent(server, tmp_path):
    r = fetch_one(res("esl", url(server, "/files/esl.pdf")), tmp_path, **FAST)

    assert isinstance(r, FetchResult)
    assert r.status == "downloaded", r.message
    assert r.path == "texts/esl/esl.pdf"
    assert r.sha256 == PDF_SHA
    assert r.bytes == len(PDF)
    final = tmp_path / r.path
    assert final.read_bytes() == PDF
    assert len(PdfReader(str(final)).pages) == 1
    assert leftovers(final.parent) == ["FETCHED.json", "esl.pdf"]  # no .part, no temp files

    record = json.loads((final.parent / "FETCHED.json").read_text())
    assert record["id"] == "esl"
    assert record["url"] == url(server, "/files/esl.pdf")
    assert record["file"] == "esl.pdf"
    assert record["sha256"] == PDF_SHA
    assert record["bytes"] == len(PDF)
    assert record["fetched_at"].startswith("20") and "T" in record["fetched_at"]

    (headers,) = server.hits("/files/esl.pdf")
    assert headers.get("User-Agent") == "advisor-fetch/0.1"
    assert "Range" not in headers


def test_second_run_skips_without_network_and_tampering_refetches(server, tmp_path):
    resource = res("esl", url(server, "/files/esl.pdf"))
    first = fetch_resources([resource], tmp_path, **FAST)[0]
    assert first.status == "downloaded"

    second = fetch_resources([resource], tmp_path, **FAST)[0]
    assert second.status == "skipped"
    assert second.path == "texts/esl/esl.pdf" and second.sha256 == PDF_SHA
    assert len(server.hits("/files/esl.pdf")) == 1  # no request the second time

    # A file that no longer matches its record is fetched again.
    (tmp_path / "texts/esl/esl.pdf").write_bytes(PDF[:-10])
    third = fetch_one(resource, tmp_path, **FAST)
    assert third.status == "downloaded"
    assert (tmp_path / "texts/esl/esl.pdf").read_bytes() == PDF
    assert len(server.hits("/files/esl.pdf")) == 2


def test_new_content_updates_record(server, tmp_path):
    resource = res("esl", url(server, "/files/esl.pdf"))
    assert fetch_one(resource, tmp_path, **FAST).sha256 == PDF_SHA
    # Same URL, file deleted, server now has a new edition.
    (tmp_path / "texts/esl/esl.pdf").unlink()
    server.pdf = OTHER_PDF
    r = fetch_one(resource, tmp_path, **FAST)
    assert r.status == "downloaded"
    new_sha = hashlib.sha256(OTHER_PDF).hexdigest()
    assert r.sha256 == new_sha != PDF_SHA
    assert json.loads((tmp_path / "texts/esl/FETCHED.json").read_text())["sha256"] == new_sha


def test_url_without_pdf_name_uses_id_and_no_content_length(server, tmp_path):
    a = fetch_one(res("islr", url(server, "/download?id=7")), tmp_path, **FAST)
    assert a.status == "downloaded" and a.path == "texts/islr/islr.pdf"
    b = fetch_one(res("nl", url(server, "/nolength.pdf")), tmp_path, **FAST)
    assert b.status == "downloaded" and b.sha256 == PDF_SHA and b.path == "texts/nl/nolength.pdf"


def test_redirect_to_http_is_followed(server, tmp_path):
    r = fetch_one(res("red", url(server, "/to-ok.pdf")), tmp_path, **FAST)
    assert r.status == "downloaded"
    assert r.path == "texts/red/to-ok.pdf"  # named after the catalog URL, not the redirect target
    assert r.sha256 == PDF_SHA


# --------------------------------------------------------------------------- resume


def test_resume_with_range_request(server, tmp_path):
    resource = res("book", url(server, "/range/book.pdf"))
    dest = destination(resource, tmp_path)
    dest.parent.mkdir(parents=True)
    half = len(PDF) // 2
    Path(str(dest) + ".part").write_bytes(PDF[:half])

    r = fetch_one(resource, tmp_path, **FAST)

    assert r.status == "downloaded", r.message
    (headers,) = server.hits("/range/book.pdf")
    assert headers.get("Range") == f"bytes={half}-"
    assert r.sha256 == PDF_SHA and dest.read_bytes() == PDF
    assert not Path(str(dest) + ".part").exists()


def test_server_ignoring_range_restarts_from_zero(server, tmp_path):
    resource = res("book", url(server, "/norange/book.pdf"))
    dest = destination(resource, tmp_path)
    dest.parent.mkdir(parents=True)
    Path(str(dest) + ".part").write_bytes(PDF[:5000])

    r = fetch_one(resource, tmp_path, **FAST)

    assert r.status == "downloaded", r.message
    assert server.hits("/norange/book.pdf")[0].get("Range") == "bytes=5000-"
    assert r.bytes == len(PDF) and dest.read_bytes() == PDF  # not prefix + full body


def test_truncated_download_keeps_part_then_resumes(server, tmp_path):
    resource = res("trunc", url(server, "/truncated.pdf"))
    r = fetch_one(resource, tmp_path, **FAST)

    assert r.status == "failed"
    assert r.message.startswith("trunc: download incomplete (")
    assert f"of {len(PDF)} bytes)" in r.message
    dest = destination(resource, tmp_path)
    assert not dest.exists()
    part = Path(str(dest) + ".part")
    assert part.exists() and PDF.startswith(part.read_bytes())
    assert not (dest.parent / "FETCHED.json").exists()

    # The same resource now points at a server that honours Range: the .part is reused.
    resumed = Resource(id="trunc", title="T", pdf_url=url(server, "/range/book.pdf"))
    dest2 = destination(resumed, tmp_path)
    Path(str(dest2) + ".part").write_bytes(part.read_bytes())
    r2 = fetch_one(resumed, tmp_path, **FAST)
    assert r2.status == "downloaded" and r2.sha256 == PDF_SHA
    assert server.hits("/range/book.pdf")[0]["Range"] == f"bytes={part.stat().st_size}-"


@pytest.mark.parametrize("validator", ["etag", "last-modified"])
@pytest.mark.parametrize("changed", [False, True])
def test_resume_sends_if_range_so_a_changed_file_restarts(server, tmp_path, validator, changed):
    server.validator = validator
    server.cut_next = True
    resource = res("book", url(server, "/versioned/book.pdf"))
    first = fetch_one(resource, tmp_path, timeout=2.0, retries=1, backoff=0, progress=False)
    assert first.status == "failed" and "download incomplete" in first.message
    stored = server.hits("/versioned/book.pdf")[0]  # headers we sent; the reply named edition 1
    assert "If-Range" not in stored and "Range" not in stored

    if changed:
        server.pdf = OTHER_PDF
    r = fetch_one(resource, tmp_path, **FAST)

    assert r.status == "downloaded", r.message
    expected = OTHER_PDF if changed else PDF
    assert r.sha256 == hashlib.sha256(expected).hexdigest()  # never half of one edition + half of the other
    second = server.hits("/versioned/book.pdf")[1]
    assert second.get("Range") == f"bytes={len(PDF) // 2}-"
    edition_1 = f'"{PDF_SHA[:16]}"' if validator == "etag" else DATES[PDF]
    assert second.get("If-Range") == edition_1
    assert leftovers(tmp_path / "texts/book") == ["FETCHED.json", "book.pdf"]


def test_resume_answered_with_another_edition_restarts(server, tmp_path):
    """A server that ignores If-Range still names the edition it sends: a different one is not appended."""
    server.cut_next = True
    server.ignore_if_range = True
    resource = res("book", url(server, "/versioned/book.pdf"))
    assert fetch_one(resource, tmp_path, timeout=2.0, retries=1, backoff=0, progress=False).status == "failed"

    server.pdf = OTHER_PDF
    r = fetch_one(resource, tmp_path, **FAST)

    assert r.status == "downloaded", r.message
    assert r.sha256 == hashlib.sha256(OTHER_PDF).hexdigest()
    hits = server.hits("/versioned/book.pdf")
    assert len(hits) == 3 and "Range" in hits[1] and "Range" not in hits[2]


# --------------------------------------------------------------------------- failures


def test_404_is_not_retried(server, tmp_path):
    r = fetch_one(res("esl", url(server, "/missing.pdf")), tmp_path, timeout=2.0, retries=3, backoff=0,
                  progress=False)
    assert r.status == "failed" and r.path is None and r.sha256 is None
    assert r.message == f"esl: not found (HTTP 404) at {url(server, '/missing.pdf')}"
    assert len(server.hits("/missing.pdf")) == 1
    assert leftovers(tmp_path / "texts/esl") == []


def test_403_is_reported(server, tmp_path):
    r = fetch_one(res("esl", url(server, "/forbidden.pdf")), tmp_path, **FAST)
    assert r.status == "failed" and "HTTP 403" in r.message and r.message.startswith("esl: ")
    assert len(server.hits("/forbidden.pdf")) == 1


def test_html_instead_of_pdf_is_rejected(server, tmp_path):
    u = url(server, "/html.pdf")
    r = fetch_one(res("esl", u), tmp_path, **FAST)
    assert r.status == "failed"
    assert r.message == f"esl: the server returned an HTML page, not a PDF ({u})"
    assert leftovers(tmp_path / "texts/esl") == []  # neither final file nor .part


def test_timeout_is_retried_then_reported(server, tmp_path):
    start = time.monotonic()
    r = fetch_one(res("esl", url(server, "/slow.pdf")), tmp_path, timeout=0.5, retries=2, backoff=0,
                  progress=False)
    assert r.status == "failed"
    assert r.message == "esl: timed out after 2 attempts"
    assert len(server.hits("/slow.pdf")) == 2
    assert time.monotonic() - start < 2.5
    assert not (tmp_path / "texts/esl/slow.pdf").exists()


def test_stalled_body_times_out_and_keeps_part(server, tmp_path):
    resource = res("stall", url(server, "/stall.pdf"))
    r = fetch_one(resource, tmp_path, timeout=0.2, retries=1, backoff=0, progress=False)
    assert r.status == "failed" and r.message == "stall: timed out after 1 attempt"
    dest = destination(resource, tmp_path)
    assert not dest.exists()
    assert Path(str(dest) + ".part").read_bytes() == PDF[:1000]


def test_500_then_200_is_retried(server, tmp_path):
    r = fetch_one(res("flaky", url(server, "/flaky.pdf")), tmp_path, timeout=2.0, retries=3, backoff=0,
                  progress=False)
    assert r.status == "downloaded", r.message
    assert r.sha256 == PDF_SHA
    assert len(server.hits("/flaky.pdf")) == 2


def test_persistent_5xx_gives_up_after_retries(server, tmp_path):
    r = fetch_one(res("down", url(server, "/down.pdf")), tmp_path, timeout=2.0, retries=3, backoff=0,
                  progress=False)
    assert r.status == "failed"
    assert r.message.startswith("down: server error (HTTP 503)") and r.message.endswith("after 3 attempts")
    assert len(server.hits("/down.pdf")) == 3


def test_backoff_waits_between_attempts(server, tmp_path):
    start = time.monotonic()
    r = fetch_one(res("down", url(server, "/down.pdf")), tmp_path, timeout=2.0, retries=3, backoff=0.05,
                  progress=False)
    assert r.status == "failed"
    assert time.monotonic() - start >= 0.05 + 0.1  # 0.05 then 0.1


def test_connection_refused(tmp_path, monkeypatch):
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now
    for var in ("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)
    r = fetch_one(res("esl", f"http://127.0.0.1:{port}/x.pdf"), tmp_path, timeout=1.0, retries=2, backoff=0,
                  progress=False)
    assert r.status == "failed"
    assert r.message.startswith("esl: could not connect") and r.message.endswith("after 2 attempts")


def test_size_limit_from_content_length_and_while_streaming(server, tmp_path):
    a = fetch_one(res("big", url(server, "/huge.pdf")), tmp_path, max_bytes=100 * 1024, **FAST)
    assert a.status == "failed" and a.message == "big: file exceeds the 100 KiB limit"
    b = fetch_one(res("big2", url(server, "/huge-nolength.pdf")), tmp_path, max_bytes=100 * 1024, **FAST)
    assert b.status == "failed" and b.message == "big2: file exceeds the 100 KiB limit"
    assert leftovers(tmp_path / "texts/big") == [] and leftovers(tmp_path / "texts/big2") == []


def test_default_limit_is_reported_in_mib():
    from advisor.library.download import _format_limit
    from advisor.library.fetch import DEFAULT_MAX_BYTES

    assert DEFAULT_MAX_BYTES == 500 * 2**20
    assert _format_limit(DEFAULT_MAX_BYTES) == "500 MiB"
    assert _format_limit(1000) == "1000 bytes"


def test_no_pdf_url_and_bad_schemes(tmp_path):
    r = fetch_one(res("esl", None), tmp_path, **FAST)
    assert r.status == "no-pdf-url" and r.message == "esl: no pdf_url in the catalog record"
    for bad in ("file:///etc/passwd", "ftp://example.org/book.pdf", "example.org/book.pdf"):
        r = fetch_one(res("esl", bad), tmp_path, **FAST)
        assert r.status == "failed", bad
        assert r.message.startswith("esl: only http and https URLs can be fetched") and bad in r.message
    assert not (tmp_path / "texts").exists()


def test_redirect_to_ftp_is_refused(server, tmp_path):
    r = fetch_one(res("esl", url(server, "/to-ftp.pdf")), tmp_path, **FAST)
    assert r.status == "failed"
    assert r.message == "esl: redirected to a non-http(s) URL (ftp://example.invalid/book.pdf)"


class _PlainHTTPS(urllib.request.HTTPHandler):
    """Carries https:// URLs over plain HTTP to the local server.

    Redirect policy depends on the URL schemes only, so no certificate is needed to test it.
    """

    handler_order = 400  # ahead of the default HTTPSHandler

    def https_open(self, req):
        return self.do_open(http.client.HTTPConnection, req)


def test_redirect_from_https_to_http_is_refused(server, tmp_path, monkeypatch):
    import advisor.library.download as download
    import advisor.library.fetch as fetch

    monkeypatch.setattr(fetch, "_opener", lambda: urllib.request.build_opener(download._SchemeGuard(), _PlainHTTPS()))
    https = url(server, "/to-http.pdf").replace("http://", "https://", 1)

    r = fetch_one(res("esl", https), tmp_path, **FAST)

    target = url(server, "/redirected/ok.pdf")
    assert r.status == "failed"
    assert r.message == f"esl: refused a redirect from https to http ({target})"
    assert server.hits("/redirected/ok.pdf") == []
    assert leftovers(tmp_path / "texts/esl") == []

    # https to https is still followed, and a plain http catalog URL may redirect within http.
    ok = fetch_one(res("same", url(server, "/to-ok.pdf").replace("http://", "https://", 1)), tmp_path, **FAST)
    assert ok.status == "downloaded", ok.message


def test_pinned_sha256_is_checked_and_a_mismatch_is_not_kept(server, tmp_path):
    good = fetch_one(res("esl", url(server, "/files/esl.pdf"), sha256=PDF_SHA.upper()), tmp_path, **FAST)
    assert good.status == "downloaded" and good.sha256 == PDF_SHA

    wrong = "0" * 64
    r = fetch_one(res("bad", url(server, "/files/esl.pdf"), sha256=wrong), tmp_path, **FAST)
    assert r.status == "failed" and r.path is None
    assert r.message == f"bad: checksum mismatch (expected {wrong}, got {PDF_SHA})"
    assert leftovers(tmp_path / "texts/bad") == []  # neither the file, nor a .part, nor a record

    # A file already present is not skipped when the catalog pins other bytes.
    other = hashlib.sha256(OTHER_PDF).hexdigest()
    again = fetch_one(res("esl", url(server, "/files/esl.pdf"), sha256=other), tmp_path, **FAST)
    assert again.status == "failed" and again.message.startswith("esl: checksum mismatch (expected ")
    assert len(server.hits("/files/esl.pdf")) == 3


def test_disk_error_is_reported(server, tmp_path):
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "esl").write_text("a file where the directory should be")
    r = fetch_one(res("esl", url(server, "/files/esl.pdf")), tmp_path, **FAST)
    assert r.status == "failed" and r.message.startswith("esl: disk error: ")
    assert "\n" not in r.message


def test_one_failure_does_not_stop_the_others(server, tmp_path):
    resources = [
        res("gone", url(server, "/missing.pdf")),
        res("esl", url(server, "/files/esl.pdf")),
        res("nourl", None),
        res("ftp", "ftp://example.org/a.pdf"),
        res("html", url(server, "/html.pdf")),
        res("flaky", url(server, "/flaky.pdf")),
    ]
    results = fetch_resources(resources, tmp_path, **FAST)
    assert [r.resource_id for r in results] == ["gone", "esl", "nourl", "ftp", "html", "flaky"]
    assert [r.status for r in results] == ["failed", "downloaded", "no-pdf-url", "failed", "failed", "downloaded"]
    for r in results:
        assert r.message.startswith(f"{r.resource_id}: ") and "\n" not in r.message
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.pdf")) == [
        "texts/esl/esl.pdf",
        "texts/flaky/flaky.pdf",
    ]


# --------------------------------------------------------------------------- names and progress


@pytest.mark.parametrize(
    "rid, pdf_url, expected",
    [
        ("esl", "https://h/x/ESLII_print12.pdf", "texts/esl/ESLII_print12.pdf"),
        ("esl", "https://h/x/book%20one.PDF?dl=1", "texts/esl/book_one.PDF"),
        ("esl", "https://h/x/..%2F..%2Fevil.pdf", "texts/esl/evil.pdf"),
        ("esl", "https://h/x/..pdf", "texts/esl/esl.pdf"),
        ("esl", "https://h/book", "texts/esl/esl.pdf"),
        ("esl", "https://h/", "texts/esl/esl.pdf"),
        ("../../etc", "https://h/a.pdf", "texts/_.._etc/a.pdf"),
        ("a b/c", "https://h/view?file=a.pdf", "texts/a_b_c/a_b_c.pdf"),
    ],
)
def test_destination_names_are_sanitized(tmp_path, rid, pdf_url, expected):
    dest = destination(res(rid, pdf_url), tmp_path)
    assert dest.relative_to(tmp_path).as_posix() == expected
    assert dest.resolve().is_relative_to((tmp_path / "texts").resolve())


def test_progress_bar_goes_to_stderr_only_when_enabled(server, tmp_path, capsys):
    fetch_one(res("quiet", url(server, "/files/esl.pdf")), tmp_path, timeout=2.0, retries=1, backoff=0,
              progress=False)
    out = capsys.readouterr()
    assert out.out == "" and out.err == ""

    fetch_one(res("loud", url(server, "/files/esl.pdf")), tmp_path, timeout=2.0, retries=1, backoff=0,
              progress=True)
    out = capsys.readouterr()
    assert out.out == ""
    assert "loud" in out.err
