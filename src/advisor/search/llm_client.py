"""The HTTP client for a local LLM behind any OpenAI-compatible chat endpoint (server-sent events).

Works with Ollama, llama.cpp's server, llama-cpp-python's server, LM Studio and vLLM: all of them serve
POST {base_url}/chat/completions with `stream: true`. Only the standard library is used (http.client).
"""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
from typing import Iterator
from urllib.parse import urlsplit

from ..config import LLMConfig
from ..errors import LLMError

MAX_ERROR_CHARS = 200


class ChatClient:
    """Streaming chat completions against one OpenAI-compatible server (standard library only)."""

    def __init__(self, config: LLMConfig):
        self.config = config
        self.base_url = config.base_url
        parts = urlsplit(self.base_url)
        self._https = parts.scheme == "https"
        self._host = parts.hostname or "127.0.0.1"
        self._port = parts.port or (443 if self._https else 80)
        self._path = parts.path
        self._model = config.model

    def _connect(self, read_timeout: float | None = None) -> http.client.HTTPConnection:
        cls = http.client.HTTPSConnection if self._https else http.client.HTTPConnection
        conn = cls(self._host, self._port, timeout=self.config.connect_timeout)
        try:
            conn.connect()
        except (socket.timeout, TimeoutError):
            raise LLMError(f"no LLM server answered at {self.base_url} within {self.config.connect_timeout:g}s") from None
        except ConnectionRefusedError:
            raise LLMError(f"no LLM server at {self.base_url} (connection refused)") from None
        except OSError as exc:
            raise LLMError(f"cannot reach the LLM server at {self.base_url} ({_oneline(exc)})") from None
        assert conn.sock is not None
        conn.sock.settimeout(self.config.read_timeout if read_timeout is None else read_timeout)
        return conn

    def _headers(self, body: bool) -> dict[str, str]:
        headers = {"Accept": "text/event-stream, application/json", "User-Agent": "advisor"}
        if body:
            headers["Content-Type"] = "application/json"
        if self.config.api_key:
            headers["Authorization"] = f"Bearer {self.config.api_key}"
        return headers

    def _request(self, method: str, path: str, payload: dict | None, read_timeout: float | None = None):
        conn, resp, _ = self._open(method, path, payload, read_timeout)
        return conn, resp

    def _open(self, method: str, path: str, payload: dict | None, read_timeout: float | None = None,
              on_connect=None):
        """(connection, response, socket): the socket too, because http.client drops conn.sock when the
        server says it will close the connection after the body (HTTP/1.0, Connection: close).
        on_connect(socket) runs before the request is sent."""
        conn = self._connect(read_timeout)
        sock = conn.sock
        if on_connect is not None:
            on_connect(sock)
        try:
            data = json.dumps(payload).encode() if payload is not None else None
            conn.request(method, self._path + path, body=data, headers=self._headers(data is not None))
            resp = conn.getresponse()
        except (socket.timeout, TimeoutError):
            conn.close()
            waited = self.config.read_timeout if read_timeout is None else read_timeout
            raise LLMError(f"the LLM server at {self.base_url} sent nothing within {waited:g}s") from None
        except (OSError, http.client.HTTPException) as exc:
            conn.close()
            raise LLMError(f"the LLM server at {self.base_url} failed: {_oneline(exc)}") from None
        if resp.status != 200:
            try:
                detail = _error_detail(resp.read(4096))
            except (OSError, http.client.HTTPException):
                detail = ""
            conn.close()
            raise LLMError(f"the LLM server at {self.base_url} answered HTTP {resp.status}"
                           + (f": {detail}" if detail else ""))
        return conn, resp, sock

    def model(self) -> str:
        """The configured model, else the first one the server lists (Ollama needs a name; llama.cpp does not)."""
        if self._model:
            return self._model
        try:
            conn, resp = self._request("GET", "/models", None)
            try:
                listed = json.loads(resp.read(1 << 20) or b"{}")
            finally:
                conn.close()
            models = listed.get("data") or listed.get("models") or []
            first = models[0] if models else {}
            self._model = (first.get("id") or first.get("name") or first.get("model")) if isinstance(first, dict) else None
        except LLMError as exc:
            if "HTTP" not in str(exc):
                raise  # unreachable: no point in trying the chat endpoint
        except (ValueError, OSError, http.client.HTTPException, AttributeError):
            pass
        self._model = self._model or "default"
        return self._model

    def stream_chat(self, messages: list[dict]) -> Iterator[str]:
        """The reply's text pieces as they arrive. Raises LLMError (never hangs past the timeouts).

        total_timeout is wall-clock from this call: keep-alive comments (": ping"), empty events or a
        server that trickles bytes without ever finishing a line do not extend it."""
        clock = _Deadline(self.config.total_timeout)
        payload = {
            "model": self.model(), "messages": messages, "stream": True,
            "temperature": self.config.temperature, "max_tokens": self.config.max_tokens,
        }
        too_long = f"the LLM reply took longer than {self.config.total_timeout:g}s"
        remaining = clock.at - time.monotonic()
        if remaining <= 0:
            raise LLMError(too_long)
        try:
            conn, resp, _ = self._open("POST", "/chat/completions", payload, min(self.config.read_timeout, remaining),
                                       on_connect=clock.watch)  # the watchdog covers waiting for the headers too
        except LLMError:
            clock.cancel()
            if clock.expired:
                raise LLMError(too_long) from None
            raise

        def before_read() -> None:
            if not clock.limit_next_read(self.config.read_timeout):
                raise LLMError(too_long)

        try:
            if "text/event-stream" not in (resp.getheader("Content-Type") or ""):
                # a server that ignores stream=true answers with one JSON object
                before_read()
                body = json.loads(resp.read(8 << 20) or b"{}")
                if clock.expired:
                    raise LLMError(too_long)
                _raise_for_error(body, self.base_url)
                text = ((body.get("choices") or [{}])[0].get("message") or {}).get("content") or ""
                if text:
                    yield text
                return
            for event in _sse_events(resp, before_read):
                if clock.expired:
                    raise LLMError(too_long)
                if event is None:  # a comment or a field line: proof of life, not progress
                    continue
                if event == "[DONE]":
                    return
                try:
                    data = json.loads(event)
                except ValueError:
                    continue
                _raise_for_error(data, self.base_url)
                for choice in data.get("choices") or []:
                    piece = (choice.get("delta") or choice.get("message") or {}).get("content")
                    if piece:
                        yield piece
            if clock.expired:  # the watchdog cut the stream short
                raise LLMError(too_long)
        except (socket.timeout, TimeoutError):
            if clock.expired or clock.capped:
                raise LLMError(too_long) from None
            raise LLMError(f"the LLM server at {self.base_url} stopped sending for {self.config.read_timeout:g}s") from None
        except (OSError, http.client.HTTPException, json.JSONDecodeError) as exc:
            if clock.expired:
                raise LLMError(too_long) from None
            raise LLMError(f"the LLM stream from {self.base_url} broke: {_oneline(exc)}") from None
        finally:
            clock.cancel()
            resp.close()
            conn.close()


class _Deadline:
    """A wall-clock limit for one reply: each read waits at most what is left, and a watchdog shuts the
    connection down when time is up, so that no blocking read (even a byte-by-byte trickle) outlives it."""

    def __init__(self, seconds: float):
        self.at = time.monotonic() + seconds
        self.capped = False  # the last read's timeout was cut down to what was left
        self._fired = threading.Event()
        self._timer: threading.Timer | None = None
        self._sock = None

    @property
    def expired(self) -> bool:
        return self._fired.is_set() or time.monotonic() >= self.at

    def watch(self, sock: socket.socket | None) -> None:
        self._sock = sock
        self._timer = threading.Timer(max(0.0, self.at - time.monotonic()), self._fire)
        self._timer.daemon = True
        self._timer.start()

    def limit_next_read(self, read_timeout: float) -> bool:
        """Set the socket timeout for the next read; False when no time is left."""
        remaining = self.at - time.monotonic()
        if remaining <= 0 or self._fired.is_set():
            return False
        self.capped = remaining < read_timeout
        if self._sock is not None:
            try:
                self._sock.settimeout(min(read_timeout, remaining))
            except OSError:  # already shut down: the read that follows ends the stream
                pass
        return True

    def _fire(self) -> None:
        self._fired.set()
        try:
            if self._sock is not None:
                self._sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()


def _sse_events(resp, before_read=None) -> Iterator[str | None]:
    """The data of each server-sent event (multi-line data joined with newlines).

    Yields None for every line that completes no event (comments such as ": ping", other fields),
    so that the caller can enforce its deadline while a server only sends keep-alives."""
    data: list[str] = []
    while True:
        if before_read is not None:
            before_read()
        raw = resp.readline(1 << 20)
        if not raw:
            break
        line = raw.decode("utf-8", "replace").rstrip("\r\n")
        if not line:
            if data:
                yield "\n".join(data)
                data = []
            else:
                yield None
            continue
        if line.startswith("data:"):
            data.append(line[5:].lstrip(" ") if line[5:6] == " " else line[5:])
        else:  # ":" comments, event:, id:, retry: ...
            yield None
    if data:
        yield "\n".join(data)


def _raise_for_error(data, base_url: str) -> None:
    if isinstance(data, dict) and data.get("error"):
        err = data["error"]
        msg = err.get("message") if isinstance(err, dict) else err
        raise LLMError(f"the LLM server at {base_url} reported: {_oneline(msg)}")


def _error_detail(body: bytes) -> str:
    try:
        data = json.loads(body)
        err = data.get("error", data) if isinstance(data, dict) else data
        msg = err.get("message", err) if isinstance(err, dict) else err
        return _oneline(msg)
    except ValueError:
        return _oneline(body.decode("utf-8", "replace"))


def _oneline(value) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= MAX_ERROR_CHARS else text[: MAX_ERROR_CHARS - 1] + "…"
