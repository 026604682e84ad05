"""Starting the web app: flags, the localhost/auth rule, background indexing, launch."""

from __future__ import annotations

import argparse
import ipaddress
import logging
import os
import sys
import threading
from pathlib import Path

from ..config import DEFAULT_MAX_UPLOAD_MB

log = logging.getLogger("advisor.web")
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7860


class StartupError(Exception):
    """A one-line reason the app refuses to start."""


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="app.py", description="Advisor in the browser: chat and library.")
    ap.add_argument("--host", default=DEFAULT_HOST,
                    help="interface to bind (default 127.0.0.1; anything else needs --auth)")
    ap.add_argument("--port", type=int, default=DEFAULT_PORT, help="port (default 7860)")
    ap.add_argument("--share", action="store_true", help="also publish a temporary public gradio.live link (needs --auth)")
    ap.add_argument("--auth", metavar="USER:PASSWORD", help="require this login (env ADVISOR_AUTH)")
    ap.add_argument("--corpus-dir", type=Path, help="corpus with catalog/ and texts/ (env ADVISOR_CORPUS_DIR)")
    ap.add_argument("--index-dir", type=Path, help="index directory (env ADVISOR_INDEX_DIR)")
    ap.add_argument("--model", help="embedding model: packaged name or local path (env ADVISOR_MODEL)")
    ap.add_argument("--max-upload-mb", type=int, default=None,
                    help=f"largest accepted upload in MB (default {DEFAULT_MAX_UPLOAD_MB}, env ADVISOR_MAX_UPLOAD_MB)")
    ap.add_argument("--no-auto-index", action="store_true",
                    help="don't build or update the index at start-up when it is missing or stale")
    return ap


def is_loopback(host: str) -> bool:
    host = (host or "").strip().strip("[]")
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name or 0.0.0.0-style wildcard: reachable from elsewhere


def parse_auth(value: str | None) -> tuple[str, str] | None:
    if value is None or value == "":
        return None
    user, sep, password = value.partition(":")
    if not sep or not user.strip() or not password:
        raise StartupError("--auth / ADVISOR_AUTH must be USER:PASSWORD with both parts non-empty")
    return user.strip(), password


def resolve_auth(host: str, share: bool, auth_value: str | None) -> tuple[str, str] | None:
    """The login to require; refuses to serve beyond this machine without one."""
    auth = parse_auth(auth_value)
    if auth is None and not is_loopback(host):
        raise StartupError(
            f"refusing to bind {host} without a login: anyone on the network could use the app; "
            "pass --auth USER:PASSWORD (or set ADVISOR_AUTH), or bind 127.0.0.1"
        )
    if auth is None and share:
        raise StartupError("--share publishes the app on the internet: pass --auth USER:PASSWORD (or set ADVISOR_AUTH)")
    return auth


def max_upload_bytes(flag: int | None) -> int:
    raw = flag if flag is not None else os.environ.get("ADVISOR_MAX_UPLOAD_MB")
    try:
        mb = int(raw) if raw not in (None, "") else DEFAULT_MAX_UPLOAD_MB
    except ValueError:
        raise StartupError(f"ADVISOR_MAX_UPLOAD_MB={raw!r} is not a whole number of megabytes") from None
    if mb <= 0:
        raise StartupError("--max-upload-mb must be positive")
    return mb * 1024 * 1024


def index_needed(advisor) -> bool:
    """No index yet, or the corpus changed since it was built (cheap: stats and hashes, no model)."""
    try:
        return not advisor.store.exists() or advisor.is_stale()
    except Exception as exc:  # a damaged manifest or an unreadable corpus: let the build report it
        log.warning("could not check the index (%s); rebuilding", exc)
        return True


def start_indexing_if_needed(advisor) -> bool:
    """Build in the background when there is no index or the corpus changed; True when a build started."""
    return advisor.rebuild_in_background() if index_needed(advisor) else False


def warm_up(advisor) -> None:
    """Load the index and the model now, so that the first question doesn't wait for them."""
    def run():
        try:
            if not advisor.build_status.running:
                advisor.load()
            advisor.embedder.encode(["warm up"])
        except Exception as exc:  # reported in the UI when someone asks
            log.info("warm-up skipped: %s", exc)

    threading.Thread(target=run, name="advisor-warm-up", daemon=True).start()


def launch_kwargs(args, auth, upload_bytes: int, routes) -> dict:
    from .ui import CSS, theme

    return dict(
        server_name=args.host, server_port=args.port, share=bool(args.share), auth=auth,
        auth_message="Advisor: sign in to continue." if auth else None,
        max_file_size=upload_bytes, app_kwargs={"routes": routes}, css=CSS, theme=theme(), show_error=False,
        footer_links=[], ssr_mode=False, quiet=False, run_history=False, enable_monitoring=False,
        mcp_server=False, pwa=False,
    )


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        auth = resolve_auth(args.host, args.share, args.auth if args.auth is not None else os.environ.get("ADVISOR_AUTH"))
        upload_bytes = max_upload_bytes(args.max_upload_mb)
    except StartupError as exc:
        print(f"advisor: error: {exc}", file=sys.stderr)
        return 2
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")

    from ..config import Settings
    from ..errors import AdvisorError
    from ..service import Advisor
    from .files import corpus_file_routes
    from .ui import build_ui

    try:
        settings = Settings.from_env(corpus_dir=args.corpus_dir, index_dir=args.index_dir, model=args.model)
    except AdvisorError as exc:
        print(f"advisor: error: {exc}", file=sys.stderr)
        return 2
    if not Path(settings.corpus_dir).is_dir():
        print(f"advisor: error: corpus folder {settings.corpus_dir} does not exist", file=sys.stderr)
        return 2
    advisor = Advisor(settings)
    needed = False if args.no_auto_index else index_needed(advisor)
    demo = build_ui(advisor, max_upload_bytes=upload_bytes)
    demo.queue(default_concurrency_limit=4)
    try:
        demo.launch(prevent_thread_lock=True, **launch_kwargs(args, auth, upload_bytes, corpus_file_routes(advisor)))
    except OSError as exc:
        print(f"advisor: error: cannot serve on {args.host}:{args.port} ({exc})", file=sys.stderr)
        return 1
    # only now, so that loading the model does not slow down serving the first page
    if needed and advisor.rebuild_in_background():
        log.info("index missing or stale: building it in the background; the app is usable meanwhile")
    elif not advisor.build_status.running:
        warm_up(advisor)
    try:
        demo.block_thread()
    except KeyboardInterrupt:
        pass
    return 0
