"""Web hardening: Host-header check (DNS rebinding), deny-by-default file route, login kept out of `ps`."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from test_web_support import make_advisor

from advisor.web import server
from advisor.web.files import corpus_file_routes
from advisor.web.server import (
    StartupError,
    allowed_hosts,
    auth_value,
    host_of,
    launch_kwargs,
    main,
    parser,
    read_auth_file,
)

ROOT = Path(__file__).resolve().parent.parent
PDF_KEY = "texts/linear-algebra-book/chapter7.pdf"
EVIL_HOST = "attacker.example"
MD = b"# Notes\n\nThe spectral theorem.\n"


@pytest.fixture(scope="module")
def advisor(tmp_path_factory):
    return make_advisor(tmp_path_factory.mktemp("hardening"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _upload(client: httpx.Client, **kw) -> httpx.Response:
    return client.post("/gradio_api/upload", files={"files": ("notes.md", MD, "text/markdown")}, **kw)


# --- 1. DNS rebinding: only the bound host names ----------------------------------------------------------------

def test_allowed_hosts_are_the_local_names_the_bound_host_and_the_flag():
    assert allowed_hosts(parser().parse_args([]), environ={}) == ["localhost", "127.0.0.1", "[::1]"]
    args = parser().parse_args(["--host", "0.0.0.0", "--allowed-host", "MyBox.lan", "--allowed-host", "::1",
                                "--allowed-host", "192.168.1.20"])
    assert allowed_hosts(args, environ={}) == ["localhost", "127.0.0.1", "[::1]", "0.0.0.0", "mybox.lan", "192.168.1.20"]
    assert allowed_hosts(parser().parse_args(["--host", "::"]), environ={"ADVISOR_ALLOWED_HOSTS": "a.lan, fe80::1,"}) \
        == ["localhost", "127.0.0.1", "[::1]", "[::]", "a.lan", "[fe80::1]"]
    assert allowed_hosts(parser().parse_args(["--share"]), environ={})[-1] == "*.gradio.live"
    with pytest.raises(StartupError, match="not a host name"):
        allowed_hosts(parser().parse_args(["--allowed-host", "http://x/"]), environ={})


@pytest.mark.parametrize("header, host", [
    ("127.0.0.1:7860", "127.0.0.1"), ("LocalHost", "localhost"), ("[::1]:7860", "[::1]"), ("[::1]", "[::1]"),
    ("attacker.example:7860", "attacker.example"), ("localhost.", "localhost"),
    ("::1", None), ("[::1", None), ("a b", None), ("localhost:x", None), ("", None), (None, None),
])
def test_host_of(header, host):
    assert host_of(header) == host


def test_launched_app_refuses_foreign_host_headers(advisor):
    from advisor.web.ui import build_ui

    port = _free_port()
    args = parser().parse_args(["--port", str(port)])
    demo = build_ui(advisor)
    demo.launch(prevent_thread_lock=True,
                **launch_kwargs(args, None, 5 * 1024 * 1024, corpus_file_routes(advisor), allowed_hosts(args)))
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            evil = {"Host": EVIL_HOST}
            for r in (client.get("/", headers=evil), client.get(f"/corpus-file/{PDF_KEY}", headers=evil),
                      _upload(client, headers=evil), client.get("/", headers={"Host": f"{EVIL_HOST}:{port}"}),
                      client.get("/", headers={"Host": f"127.0.0.1.{EVIL_HOST}"})):
                assert r.status_code == 400, (r.request.url, r.status_code)
                assert r.text.startswith("Invalid host header")
            for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}"):
                assert client.get("/", headers={"Host": host}).status_code == 200, host
            r = client.get(f"/corpus-file/{PDF_KEY}")
            assert r.status_code == 200 and r.content.startswith(b"%PDF-")
            r = _upload(client)
            assert r.status_code == 200 and r.json()[0].endswith("notes.md")
    finally:
        demo.close()


# --- 2. the file route decides from the server's own login setting -------------------------------------------------

def test_file_route_with_a_login_denies_requests_without_a_session(advisor):
    client = TestClient(FastAPI(routes=corpus_file_routes(advisor, auth=("ada", "s3cret!"))))
    assert client.get(f"/corpus-file/{PDF_KEY}").status_code == 401
    client.cookies.set("access-token-x", "forged")
    assert client.get(f"/corpus-file/{PDF_KEY}").status_code == 401
    with pytest.raises(TypeError):
        corpus_file_routes(advisor, auth="ada:s3cret!")
    # no login configured: served (localhost use)
    open_client = TestClient(FastAPI(routes=corpus_file_routes(advisor)))
    assert open_client.get(f"/corpus-file/{PDF_KEY}").status_code == 200


def test_file_route_stays_closed_when_gradio_hides_its_login(advisor):
    from advisor.web.ui import build_ui

    auth = ("ada", "s3cret!")
    demo = build_ui(advisor)
    port = _free_port()
    demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, auth=auth, quiet=True,
                ssr_mode=False, app_kwargs={"routes": corpus_file_routes(advisor, auth=auth)})
    try:
        app = demo.server_app
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=base, timeout=10) as user:
            assert user.post("/login", data={"username": "ada", "password": "s3cret!"}).status_code == 200
            assert user.get(f"/corpus-file/{PDF_KEY}").status_code == 200
            # a Gradio release that renames its login attributes must not open the route
            app.auth, app.auth_dependency = None, None
            with httpx.Client(base_url=base, timeout=10) as anon:
                assert anon.get(f"/corpus-file/{PDF_KEY}").status_code == 401
            assert user.get(f"/corpus-file/{PDF_KEY}").status_code == 200
            # a session is only good for a user of the server's own login setting
            app.tokens["planted"] = "mallory"
            with httpx.Client(base_url=base, timeout=10, cookies={f"access-token-{app.cookie_id}": "planted"}) as other:
                assert other.get(f"/corpus-file/{PDF_KEY}").status_code == 401
            # nor when Gradio keeps its sessions somewhere else
            del app.tokens
            assert user.get(f"/corpus-file/{PDF_KEY}").status_code == 401
    finally:
        demo.close()


# --- 3. the login out of `ps` ---------------------------------------------------------------------------------------

def test_auth_flag_logs_a_warning_and_the_alternatives_do_not(tmp_path, caplog):
    caplog.set_level(logging.WARNING, logger="advisor.web")
    assert auth_value(parser().parse_args(["--auth", "ada:pw"]), environ={}) == "ada:pw"
    assert any("ps" in r.getMessage() and "ADVISOR_AUTH" in r.getMessage() and "--auth-file" in r.getMessage()
               for r in caplog.records)
    caplog.clear()
    assert auth_value(parser().parse_args([]), environ={"ADVISOR_AUTH": "ada:env"}) == "ada:env"
    secret = tmp_path / "login"
    secret.write_text("\nada:pw with spaces \n", encoding="utf-8")
    secret.chmod(0o600)
    assert auth_value(parser().parse_args(["--auth-file", str(secret)]), environ={"ADVISOR_AUTH": "x:y"}) == "ada:pw with spaces "
    assert caplog.records == []
    secret.chmod(0o644)
    read_auth_file(secret)
    assert any("chmod 600" in r.getMessage() for r in caplog.records)


def test_auth_file_problems_are_one_line_startup_errors(tmp_path):
    with pytest.raises(StartupError, match="cannot read --auth-file"):
        read_auth_file(tmp_path / "missing")
    (tmp_path / "empty").write_text("\n", encoding="utf-8")
    with pytest.raises(StartupError, match="is empty"):
        read_auth_file(tmp_path / "empty")
    with pytest.raises(StartupError, match="not both"):
        auth_value(parser().parse_args(["--auth", "a:b", "--auth-file", str(tmp_path / "empty")]), environ={})


def test_main_warns_about_the_auth_flag(monkeypatch, caplog, capsys):
    monkeypatch.delenv("ADVISOR_AUTH", raising=False)
    caplog.set_level(logging.WARNING, logger="advisor.web")
    assert main(["--auth", "ada:pw", "--max-upload-mb", "0"]) == 2  # stops before serving
    assert any(r.getMessage() == server.AUTH_FLAG_WARNING for r in caplog.records)


def test_refusal_to_bind_without_login_recommends_the_environment_and_the_file(monkeypatch, capsys):
    monkeypatch.delenv("ADVISOR_AUTH", raising=False)
    assert main(["--host", "0.0.0.0"]) == 2
    err = capsys.readouterr().err
    assert "ADVISOR_AUTH" in err and "--auth-file" in err and err.count("\n") == 1


# --- the whole app, as started by app.py --------------------------------------------------------------------------

def test_app_py_checks_hosts_and_guards_the_file_route_with_its_auth_file(advisor, tmp_path):
    port = _free_port()
    login = tmp_path / "login"
    login.write_text("ada:s3cret!\n", encoding="utf-8")
    login.chmod(0o600)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ADVISOR_", "GRADIO_"))}
    env.update({"ADVISOR_MODEL": "fake-hash", "HOME": str(tmp_path)})
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "app.py"), "--port", str(port), "--auth-file", str(login), "--no-auto-index",
         "--corpus-dir", str(advisor.settings.corpus_dir), "--index-dir", str(advisor.settings.index_dir)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, cwd=tmp_path)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            assert proc.poll() is None, proc.stdout.read().decode(errors="replace")
            try:
                if httpx.get(base + "/", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "app.py did not start"
            time.sleep(0.3)
        with httpx.Client(base_url=base, timeout=10) as client:
            evil = {"Host": EVIL_HOST}
            assert client.get("/", headers=evil).status_code == 400
            assert client.get(f"/corpus-file/{PDF_KEY}", headers=evil).status_code == 400
            assert _upload(client, headers=evil).status_code == 400
            assert client.get(f"/corpus-file/{PDF_KEY}").status_code == 401
            assert _upload(client).status_code == 401
            assert client.post("/login", data={"username": "ada", "password": "s3cret!"}).status_code == 200
            assert client.get(f"/corpus-file/{PDF_KEY}").status_code == 200
            assert client.get(f"/corpus-file/{PDF_KEY}", headers=evil).status_code == 400
    finally:
        proc.terminate()
        try:
            out = proc.communicate(timeout=20)[0].decode(errors="replace")
        except subprocess.TimeoutExpired:
            proc.kill()
            out = proc.communicate()[0].decode(errors="replace")
    assert "s3cret" not in out and "--auth puts the password" not in out
