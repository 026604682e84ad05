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


async def _authorized(request: Request) -> bool:
    """Gradio's own login, when the app has one: its session cookie, or its auth dependency."""
    app = request.app
    auth = getattr(app, "auth", None)
    dependency = getattr(app, "auth_dependency", None)
    if auth is None and dependency is None:
        return True
    if dependency is not None:
        user = dependency(request)
        if inspect.isawaitable(user):
            user = await user
        return user is not None
    cookie_id = getattr(app, "cookie_id", "")
    token = request.cookies.get(f"access-token-{cookie_id}") or request.cookies.get(f"access-token-unsecure-{cookie_id}")
    return token is not None and token in getattr(app, "tokens", {})


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


def corpus_file_routes(advisor) -> list[APIRoute]:
    """Routes to pass to the Gradio app (launch(app_kwargs={"routes": ...})) or any FastAPI app."""

    async def corpus_file(key: str, request: Request):
        if not await _authorized(request):
            raise HTTPException(status_code=401, detail="Not authenticated")
        path = await run_in_threadpool(resolve_key, advisor, key)
        if path is None:
            raise HTTPException(status_code=404, detail="No such file in the index")
        return file_response(path)

    return [APIRoute(f"{FILE_ROUTE}/{{key:path}}", corpus_file, methods=["GET", "HEAD"], include_in_schema=False,
                     name="corpus_file")]


__all__ = ["corpus_file_routes", "file_response", "resolve_key"]
