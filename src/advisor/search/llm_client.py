"""The HTTP client for a local LLM behind any OpenAI-compatible chat endpoint (server-sent events).

Works with Ollama, llama.cpp's server, llama-cpp-python's server, LM Studio and vLLM: all of them serve
POST {base_url}/chat/completions with `stream: true`. Only the standard library is used (http.client).
"""

from __future__ import annotations

import http.client
import json
import socket
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

    def _connect(self) -> http.client.HTTPConnection:
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
        conn.sock.settimeout(self.config.read_timeout)
        return conn

    def _headers(self, body: bool) -> dict[str, str]:
        headers = {"Accept": "text/event-stream, application/json", "User-Agent": "advisor"}
        if body:
            headers["Content-Type"] = "application/json"
        if self.config.api_key:
            headers["Authorization"] = f"Bearer {self.config.api_key}"
        return headers

    def _request(self, method: str, path: str, payload: dict | None):
        conn = self._connect()
        try:
            data = json.dumps(payload).encode() if payload is not None else None
            conn.request(method, self._path + path, body=data, headers=self._headers(data is not None))
            resp = conn.getresponse()
        except (socket.timeout, TimeoutError):
            conn.close()
            raise LLMError(f"the LLM server at {self.base_url} sent nothing within {self.config.read_timeout:g}s") from None
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
        return conn, resp

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
        """The reply's text pieces as they arrive. Raises LLMError (never hangs past the timeouts)."""
        payload = {
            "model": self.model(), "messages": messages, "stream": True,
            "temperature": self.config.temperature, "max_tokens": self.config.max_tokens,
        }
        deadline = time.monotonic() + self.config.total_timeout
        conn, resp = self._request("POST", "/chat/completions", payload)
        try:
            if "text/event-stream" not in (resp.getheader("Content-Type") or ""):
                # a server that ignores stream=true answers with one JSON object
                body = json.loads(resp.read(8 << 20) or b"{}")
                _raise_for_error(body, self.base_url)
                text = ((body.get("choices") or [{}])[0].get("message") or {}).get("content") or ""
                if text:
                    yield text
                return
            for event in _sse_events(resp):
                if time.monotonic() > deadline:
                    raise LLMError(f"the LLM reply took longer than {self.config.total_timeout:g}s")
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
        except (socket.timeout, TimeoutError):
            raise LLMError(f"the LLM server at {self.base_url} stopped sending for {self.config.read_timeout:g}s") from None
        except (OSError, http.client.HTTPException) as exc:
            raise LLMError(f"the LLM stream from {self.base_url} broke: {_oneline(exc)}") from None
        finally:
            conn.close()


def _sse_events(resp) -> Iterator[str]:
    """The data of each server-sent event (multi-line data joined with newlines)."""
    data: list[str] = []
    while True:
        raw = resp.readline(1 << 20)
        if not raw:
            break
        line = raw.decode("utf-8", "replace").rstrip("\r\n")
        if not line:
            if data:
                yield "\n".join(data)
                data = []
            continue
        if line.startswith(":"):
            continue
        if line.startswith("data:"):
            data.append(line[5:].lstrip(" ") if line[5:6] == " " else line[5:])
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
