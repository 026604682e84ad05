"""A deterministic OpenAI-compatible chat server on 127.0.0.1 for tests (http.server in a thread, port 0).

It records every request. Its reply is `reply` (a string, or a callable taking the request's messages),
streamed as server-sent events in pieces of `chunk` characters with `delay` seconds between them, after
`first_delay` seconds. Like a model that obeys whatever its instructions say, it answers PWNED when the
*instruction* part of the prompt (the system prompt, and the user message outside the fenced data block)
contains an injection; text inside the data block is ignored, as it must be.
"""

from __future__ import annotations

import json
import socket
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable

INJECTION = re.compile(r"ignore (all )?previous instructions", re.I)
DATA_BLOCK = re.compile(r"^BEGIN DATA (\w+)\n(.*?)\nEND DATA \1$", re.S | re.M)
DEFAULT_REPLY = ("The VC dimension is the size of the largest set a class can shatter [1]. "
                 "It bounds the generalization gap, $\\epsilon \\le \\sqrt{d/n}$ [2], see also [9].")


def split_prompt(messages: list[dict]) -> tuple[str, str]:
    """(instruction area, data area): data is what stands inside BEGIN DATA <id> ... END DATA <id>."""
    instructions: list[str] = []
    data: list[str] = []
    for m in messages:
        content = m.get("content") or ""
        if m.get("role") == "user":
            data.extend(block.group(2) for block in DATA_BLOCK.finditer(content))
            content = DATA_BLOCK.sub("", content)
        instructions.append(content)
    return "\n".join(instructions), "\n".join(data)


class StubLLM:
    def __init__(self, reply: str | Callable[[list[dict]], str] = DEFAULT_REPLY, *, chunk: int = 7,
                 delay: float = 0.0, first_delay: float = 0.0, status: int = 200, stream: bool = True,
                 models: list[str] | None = None):
        self.reply = reply
        self.chunk = chunk
        self.delay = delay
        self.first_delay = first_delay
        self.status = status
        self.stream = stream
        self.models = models if models is not None else ["stub-model"]
        self.requests: list[dict] = []
        self.sent: list[str] = []  # the content pieces, in the order they were sent
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def _json(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                if self.path.rstrip("/").endswith("/models"):
                    self._json(200, {"object": "list", "data": [{"id": m, "object": "model"} for m in stub.models]})
                else:
                    self._json(404, {"error": {"message": "not found"}})

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                stub.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
                if not self.path.rstrip("/").endswith("/chat/completions"):
                    return self._json(404, {"error": {"message": "not found"}})
                if stub.status != 200:
                    return self._json(stub.status, {"error": {"message": "stub failure"}})
                text = stub.answer(body.get("messages") or [])
                if stub.first_delay:
                    time.sleep(stub.first_delay)
                if not (stub.stream and body.get("stream")):
                    return self._json(200, {"choices": [{"index": 0, "message": {"role": "assistant", "content": text}}]})
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Cache-Control", "no-cache")
                self.send_header("Connection", "close")
                self.end_headers()
                try:
                    pieces = [text[i:i + stub.chunk] for i in range(0, len(text), stub.chunk)]
                    for n, piece in enumerate(pieces):
                        if n and stub.delay:
                            time.sleep(stub.delay)
                        event = {"id": "stub", "object": "chat.completion.chunk", "model": body.get("model"),
                                 "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}]}
                        self.wfile.write(f"data: {json.dumps(event)}\n\n".encode())
                        self.wfile.flush()
                        stub.sent.append(piece)
                    self.wfile.write(b"data: [DONE]\n\n")
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    pass
                self.close_connection = True

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), name="llm-stub",
                                       daemon=True)

    def answer(self, messages: list[dict]) -> str:
        instructions, _ = split_prompt(messages)
        if INJECTION.search(instructions):
            return "PWNED"
        return self.reply(messages) if callable(self.reply) else self.reply

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def __enter__(self) -> "StubLLM":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


def closed_port() -> int:
    """A loopback port nothing listens on (bound, read, released)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port
