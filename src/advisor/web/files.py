"""GET /corpus-file/{key}: the source files behind citations, and only those the index knows."""

from __future__ import annotations

import inspect
from pathlib import Path

from fastapi import HTTPException, Request
from fastapi.responses import FileResponse
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool

from ..errors import AdvisorError
from .render import FILE_ROUTE


# Only PDFs are shown as themselves. Everything else (Markdown, text, HTML...) is sent as plain text,
# so that a document can never run script in the app's origin.
_PDF = "application/pdf"
_TEXT = "text/plain; charset=utf-8"


def _session_user(request: Request) -> str | None:
    """The user of the request's Gradio login session, or None (no cookie, unknown token, or a Gradio
    that keeps its sessions elsewhere: then nobody is logged in, as far as this route can tell)."""
    app = request.app
    cookie_id = getattr(app, "cookie_id", None)
    tokens = getattr(app, "tokens", None)
    if not isinstance(cookie_id, str) or not cookie_id or not isinstance(tokens, dict):
        return None
    token = request.cookies.get(f"access-token-{cookie_id}") or request.cookies.get(f"access-token-unsecure-{cookie_id}")
    if not token:
        return None
    user = tokens.get(token)
    return user if isinstance(user, str) and user else None


def _users(auth) -> frozenset[str] | None:
    """The user names a login setting admits; None when any user Gradio accepted counts (a callable)."""
    if callable(auth):
        return None
    if isinstance(auth, tuple) and len(auth) == 2 and all(isinstance(x, str) for x in auth):
        auth = [auth]
    if isinstance(auth, (str, bytes)) or not all(isinstance(a, (tuple, list)) and len(a) == 2 for a in auth):
        raise TypeError("auth must be a (user, password) pair, a list of them, or a callable")
    return frozenset(str(account[0]) for account in auth)


async def _authorized(request: Request, auth, users: frozenset[str] | None) -> bool:
    """Deny by default: when the server was started with a login (`auth`), only a request carrying a
    session of one of its users is served, whatever Gradio calls its own login attributes. Without a
    configured login, a login the app itself announces (Gradio's auth or auth dependency) is still honoured."""
    app = request.app
    if auth is not None:
        user = _session_user(request)
        return user is not None and (users is None or user in users)
    dependency = getattr(app, "auth_dependency", None)
    if dependency is not None:
        user = dependency(request)
        if inspect.isawaitable(user):
            user = await user
        return user is not None
    if getattr(app, "auth", None) is not None:
        return _session_user(request) is not None
    return True


def resolve_key(advisor, key: str) -> Path | None:
    """The file behind an index key, or None (unknown key, traversal attempt, no index)."""
    if not key or "\x00" in key or key.startswith(("/", "\\")) or "\\" in key:
        return None
    if any(part in ("..", ".") for part in key.split("/")):
        return None
    try:
        return advisor.file_path(key)
    except AdvisorError:  # no index yet, or a damaged one
        return None


def file_response(path: Path) -> FileResponse:
    is_pdf = path.suffix.lower() == ".pdf"
    headers = {"X-Content-Type-Options": "nosniff", "Cache-Control": "private, max-age=300"}
    if not is_pdf:
        headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return FileResponse(
        path, media_type=_PDF if is_pdf else _TEXT, headers=headers,
        filename=path.name, content_disposition_type="inline",
    )


def corpus_file_routes(advisor, auth=None) -> list[APIRoute]:
    """Routes to pass to the Gradio app (launch(app_kwargs={"routes": ...})) or any FastAPI app.

    `auth` is the login the server is started with (what it passes to launch(auth=...): a (user, password)
    pair, a list of them, or a callable). With one, the route serves only requests with a valid session
    of one of those users; anything it cannot verify is refused."""
    users = _users(auth) if auth is not None else None  # a malformed setting fails here, at start-up

    async def corpus_file(key: str, request: Request):
        if not await _authorized(request, auth, users):
            raise HTTPException(status_code=401, detail="Not authenticated")
        path = await run_in_threadpool(resolve_key, advisor, key)
        if path is None:
            raise HTTPException(status_code=404, detail="No such file in the index")
        return file_response(path)

    return [APIRoute(f"{FILE_ROUTE}/{{key:path}}", corpus_file, methods=["GET", "HEAD"], include_in_schema=False,
                     name="corpus_file")]


__all__ = ["corpus_file_routes", "file_response", "resolve_key"]
