"""The LLM reply deadline (total_timeout) is wall-clock: keep-alives or a byte-by-byte trickle don't extend it."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from advisor.config import LLMConfig
from advisor.errors import LLMError
from advisor.search.llm_client import ChatClient

SERVER_GIVES_UP = 15.0  # seconds: the stub never outlives a test, even against a client that never stops reading


class StubServer:
    """An OpenAI-compatible endpoint on 127.0.0.1 whose chat reply is written by `behaviour(wfile, stop)`."""

    def __init__(self, behaviour):
        self.stop = threading.Event()
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"  # the body ends when the connection closes

            def log_message(self, *args):
                pass

            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                try:
                    behaviour(self.wfile, stub.stop)
                except OSError:  # the client hung up: what a timed-out client does
                    pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()


def pings_forever(wfile, stop):
    """An SSE keep-alive comment every 50 ms and never a token."""
    end = time.monotonic() + SERVER_GIVES_UP
    while not stop.is_set() and time.monotonic() < end:
        wfile.write(b": ping\n\n")
        wfile.flush()
        time.sleep(0.05)


def trickles_forever(wfile, stop):
    """One byte every 50 ms, never completing a line."""
    end = time.monotonic() + SERVER_GIVES_UP
    while not stop.is_set() and time.monotonic() < end:
        wfile.write(b"d")
        wfile.flush()
        time.sleep(0.05)


def pings_then_answers(wfile, stop):
    for _ in range(3):
        wfile.write(b": ping\n\n")
        wfile.flush()
        time.sleep(0.05)
    for piece in ("The VC ", "dimension [1]."):
        wfile.write(b"data: " + json.dumps({"choices": [{"delta": {"content": piece}}]}).encode() + b"\n\n")
        wfile.flush()
    wfile.write(b"data: [DONE]\n\n")
    wfile.flush()


def run_with_limit(client: ChatClient, limit: float) -> tuple[object, float, bool]:
    """(pieces or the exception, seconds taken, finished); the stream runs in a thread so a hang fails the test."""
    box: dict = {}

    def consume():
        try:
            box["result"] = list(client.stream_chat([{"role": "user", "content": "hi"}]))
        except Exception as exc:  # noqa: BLE001 - the test inspects it
            box["result"] = exc

    start = time.monotonic()
    t = threading.Thread(target=consume, daemon=True)
    t.start()
    t.join(limit)
    return box.get("result"), time.monotonic() - start, not t.is_alive()


def config(url: str, **kw) -> LLMConfig:
    return LLMConfig(url=url, model="stub", connect_timeout=2.0, **kw)


@pytest.mark.parametrize("behaviour", [pings_forever, trickles_forever], ids=["keep-alive-pings", "byte-trickle"])
def test_total_timeout_is_wall_clock(behaviour):
    with StubServer(behaviour) as stub:
        client = ChatClient(config(stub.url, read_timeout=5.0, total_timeout=0.8))
        result, took, finished = run_with_limit(client, 6.0)
    assert finished, "the reply never timed out"
    assert isinstance(result, LLMError), result
    assert "took longer than 0.8s" in str(result)
    assert 0.7 <= took < 3.0


def test_keep_alives_within_the_deadline_do_not_disturb_a_reply():
    with StubServer(pings_then_answers) as stub:
        client = ChatClient(config(stub.url, read_timeout=5.0, total_timeout=5.0))
        result, _, finished = run_with_limit(client, 10.0)
    assert finished and result == ["The VC ", "dimension [1]."]


def test_silence_is_still_the_read_timeout_when_it_comes_first():
    def silent(wfile, stop):
        stop.wait(SERVER_GIVES_UP)

    with StubServer(silent) as stub:
        client = ChatClient(config(stub.url, read_timeout=0.5, total_timeout=30.0))
        result, took, finished = run_with_limit(client, 6.0)
    assert finished and isinstance(result, LLMError)
    assert "stopped sending for 0.5s" in str(result) and took < 3.0


def test_a_server_that_trickles_its_headers_still_times_out():
    class Slow(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            end = time.monotonic() + SERVER_GIVES_UP
            try:
                self.wfile.write(b"HTTP/1.0 200 OK\r\n")
                while time.monotonic() < end:
                    self.wfile.write(b"X-Pad: 1\r\n")
                    self.wfile.flush()
                    time.sleep(0.05)
            except OSError:
                pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        client = ChatClient(config(f"http://127.0.0.1:{httpd.server_address[1]}/v1", read_timeout=5.0, total_timeout=0.8))
        result, took, finished = run_with_limit(client, 6.0)
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert finished and isinstance(result, LLMError), result
    assert "took longer than 0.8s" in str(result) and took < 3.0
