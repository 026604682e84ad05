"""Starting the web app: flags, the localhost/auth rule, background indexing, launch."""

from __future__ import annotations

import argparse
import ipaddress
import logging
import os
import re
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
    ap.add_argument("--auth", metavar="USER:PASSWORD",
                    help="require this login; visible to every local user in `ps`: prefer ADVISOR_AUTH or --auth-file")
    ap.add_argument("--auth-file", type=Path, metavar="PATH",
                    help="read the login USER:PASSWORD from the first line of this file (keep it chmod 600)")
    ap.add_argument("--allowed-host", action="append", default=[], metavar="NAME",
                    help="a host name the app may be reached by, besides localhost, 127.0.0.1, [::1] and --host "
                         "(repeatable; e.g. the machine's name or LAN address when binding 0.0.0.0). Requests "
                         "naming any other host get HTTP 400 (DNS rebinding protection). Env ADVISOR_ALLOWED_HOSTS: "
                         "comma-separated names, added to these")
    ap.add_argument("--corpus-dir", type=Path, help="corpus with catalog/ and texts/ (env ADVISOR_CORPUS_DIR)")
    ap.add_argument("--index-dir", type=Path, help="index directory (env ADVISOR_INDEX_DIR)")
    ap.add_argument("--model", help="embedding model: packaged name or local path (env ADVISOR_MODEL)")
    ap.add_argument("--store", help="postgresql://... : serve the shared Postgres store instead of --index-dir "
                                    "(env ADVISOR_STORE; docs/deployment.md)")
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
            "set ADVISOR_AUTH=USER:PASSWORD (or pass --auth-file PATH or --auth USER:PASSWORD), or bind 127.0.0.1"
        )
    if auth is None and share:
        raise StartupError("--share publishes the app on the internet: set ADVISOR_AUTH=USER:PASSWORD "
                           "(or pass --auth-file PATH or --auth USER:PASSWORD)")
    return auth


AUTH_FLAG_WARNING = ("--auth puts the password in the command line, where every user of this machine can read it "
                     "(ps, /proc); set ADVISOR_AUTH or use --auth-file PATH instead")


def auth_value(args, environ=None) -> str | None:
    """The USER:PASSWORD setting: --auth, else --auth-file, else ADVISOR_AUTH. Warns when it came from --auth."""
    environ = os.environ if environ is None else environ
    if args.auth is not None and getattr(args, "auth_file", None) is not None:
        raise StartupError("give either --auth or --auth-file, not both")
    if args.auth is not None:
        log.warning(AUTH_FLAG_WARNING)
        return args.auth
    if getattr(args, "auth_file", None) is not None:
        return read_auth_file(args.auth_file)
    return environ.get("ADVISOR_AUTH")


def read_auth_file(path: Path) -> str:
    try:
        text = Path(path).read_text(encoding="utf-8")
        mode = Path(path).stat().st_mode
    except (OSError, UnicodeDecodeError) as exc:
        raise StartupError(f"cannot read --auth-file {path}: {getattr(exc, 'strerror', None) or exc}") from None
    if os.name == "posix" and mode & 0o077:
        log.warning("--auth-file %s can be read by other users of this machine: chmod 600 it", path)
    line = next((ln.rstrip("\r\n") for ln in text.splitlines() if ln.strip()), "")
    if not line:
        raise StartupError(f"--auth-file {path} is empty: write USER:PASSWORD on its first line")
    return line


LOCAL_HOST_NAMES = ("localhost", "127.0.0.1", "[::1]")
SHARE_HOST_PATTERN = "*.gradio.live"


def normalize_host_name(name: str) -> str:
    """A Host-header host as browsers send it: lower case, IPv6 literals in brackets, no port."""
    name = (name or "").strip().lower()
    if name.startswith("[") and name.endswith("]"):
        name = name[1:-1]
    try:
        ip = ipaddress.ip_address(name)
    except ValueError:
        if not name or any(c in name for c in "/:@ \t\\?#[]"):
            raise StartupError(f"{name!r} (--host, --allowed-host or ADVISOR_ALLOWED_HOSTS) is not a host name "
                               "or IP address") from None
        return name.rstrip(".")
    return f"[{ip.compressed}]" if ip.version == 6 else ip.compressed


def allowed_hosts(args, environ=None) -> list[str]:
    """The Host-header names the app answers to: localhost, 127.0.0.1, [::1], --host, every --allowed-host and
    ADVISOR_ALLOWED_HOSTS (comma-separated), and gradio.live names with --share (its tunnel forwards the public name)."""
    environ = os.environ if environ is None else environ
    from_env = [n for n in (environ.get("ADVISOR_ALLOWED_HOSTS") or "").split(",") if n.strip()]
    names = list(LOCAL_HOST_NAMES) + [args.host] + list(getattr(args, "allowed_host", None) or []) + from_env
    hosts: list[str] = []
    for name in names:
        host = normalize_host_name(name)
        if host not in hosts:
            hosts.append(host)
    if getattr(args, "share", False):
        hosts.append(SHARE_HOST_PATTERN)
    return hosts


_HOST_NAME = re.compile(r"[a-z0-9_-]+(\.[a-z0-9_-]+)*\.?")


def host_of(header: str | None) -> str | None:
    """The host of a Host header ("Example.org:7860" -> "example.org", "[::1]:7860" -> "[::1]"), None if malformed."""
    if not header:
        return None
    header = header.strip().lower()
    if header.startswith("["):
        end = header.find("]")
        if end < 0:
            return None
        host, rest = header[1:end], header[end + 1:]
        try:
            host = f"[{ipaddress.IPv6Address(host).compressed}]"
        except ValueError:
            return None
    else:
        host, sep, port = header.partition(":")
        rest = sep + port
        if not _HOST_NAME.fullmatch(host):
            return None
        host = host.rstrip(".")
    if rest and not (rest.startswith(":") and rest[1:].isdigit() and len(rest) <= 6):
        return None
    return host


class HostCheckMiddleware:
    """Answers HTTP 400 to any request whose Host header names a host the app was not started for.

    A web page on attacker.example can make its own name resolve to 127.0.0.1 (DNS rebinding) and then
    read the local app as "same origin"; the browser still sends `Host: attacker.example`, which is refused here."""

    def __init__(self, app, allowed_hosts: list[str]):
        self.app = app
        self.exact = frozenset(h for h in allowed_hosts if not h.startswith("*."))
        self.suffixes = tuple(h[1:] for h in allowed_hosts if h.startswith("*."))
        self.refused: set[str | None] = set()

    def allows(self, host_header: str | None) -> bool:
        host = host_of(host_header)
        if host is None:
            return False
        return host in self.exact or any(host.endswith(s) and len(host) > len(s) for s in self.suffixes)

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        hosts = [v for k, v in scope.get("headers") or [] if k == b"host"]
        host = hosts[0].decode("latin-1") if len(hosts) == 1 else None
        if self.allows(host):
            await self.app(scope, receive, send)
            return
        if len(self.refused) < 100 and host not in self.refused:  # once per name: an attack retries a lot
            self.refused.add(host)
            log.warning("refused requests for host %r: not an allowed host (see --allowed-host)", host)
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        from starlette.responses import PlainTextResponse

        await PlainTextResponse("Invalid host header (the app was not started with --allowed-host for this name)",
                                status_code=400)(scope, receive, send)


def host_check_middleware(hosts: list[str]) -> list:
    """For FastAPI(middleware=...) / launch(app_kwargs={"middleware": ...})."""
    from starlette.middleware import Middleware

    return [Middleware(HostCheckMiddleware, allowed_hosts=list(hosts))]


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
            advisor.warm_up_model()
        except Exception as exc:  # reported in the UI when someone asks
            log.info("warm-up skipped: %s", exc)

    threading.Thread(target=run, name="advisor-warm-up", daemon=True).start()


def launch_kwargs(args, auth, upload_bytes: int, routes, hosts: list[str] | None = None) -> dict:
    """Keyword arguments for demo.launch(). With `hosts` (see allowed_hosts), requests naming any other
    host are refused with HTTP 400; main() always passes them."""
    from .ui import CSS, theme

    app_kwargs: dict = {"routes": routes}
    if hosts is not None:
        app_kwargs["middleware"] = host_check_middleware(hosts)
    return dict(
        server_name=args.host, server_port=args.port, share=bool(args.share), auth=auth,
        auth_message="Advisor: sign in to continue." if auth else None,
        max_file_size=upload_bytes, app_kwargs=app_kwargs, css=CSS, theme=theme(), show_error=False,
        footer_links=[], ssr_mode=False, quiet=False, run_history=False, enable_monitoring=False,
        mcp_server=False, pwa=False,
    )


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    try:
        auth = resolve_auth(args.host, args.share, auth_value(args))
        upload_bytes = max_upload_bytes(args.max_upload_mb)
        hosts = allowed_hosts(args)
    except StartupError as exc:
        print(f"advisor: error: {exc}", file=sys.stderr)
        return 2
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    from ..config import Settings
    from ..errors import AdvisorError
    from ..service import Advisor
    from .files import corpus_file_routes
    from .ui import build_ui

    try:
        settings = Settings.from_env(corpus_dir=args.corpus_dir, index_dir=args.index_dir, model=args.model,
                                     store=args.store)
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
        demo.launch(prevent_thread_lock=True,
                    **launch_kwargs(args, auth, upload_bytes, corpus_file_routes(advisor, auth=auth), hosts))
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
    if advisor.build_status.running:
        # a build thread inside the model's native code cannot stop at once, and interpreter shutdown under
        # it aborts ("terminate called without an active exception"); versions are written atomically, so
        # leaving now loses nothing but the unfinished build
        print("advisor: stopped; the unfinished index build is dropped and the previous index is kept",
              file=sys.stderr, flush=True)
        sys.stdout.flush()
        os._exit(0)
    return 0
