"""Start-up rules: localhost by default, a login required beyond it, background indexing when needed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from advisor.config import Settings
from advisor.store.embeddings import FakeEmbedder
from advisor.service import Advisor
from advisor.web.server import (StartupError, is_loopback, launch_kwargs, main, max_upload_bytes, parse_auth, parser,
                                resolve_auth, start_indexing_if_needed)
from test_web_support import make_corpus

ROOT = Path(__file__).resolve().parent.parent


def test_defaults_bind_localhost_7860_without_share():
    args = parser().parse_args([])
    assert (args.host, args.port, args.share, args.auth) == ("127.0.0.1", 7860, False, None)


@pytest.mark.parametrize("host, loopback", [
    ("127.0.0.1", True), ("localhost", True), ("::1", True), ("[::1]", True), ("127.0.0.2", True),
    ("0.0.0.0", False), ("::", False), ("192.168.1.20", False), ("myhost.example.org", False), ("", False),
])
def test_is_loopback(host, loopback):
    assert is_loopback(host) is loopback


def test_auth_is_required_beyond_localhost():
    assert resolve_auth("127.0.0.1", False, None) is None
    with pytest.raises(StartupError, match="refusing to bind 0.0.0.0 without a login"):
        resolve_auth("0.0.0.0", False, None)
    with pytest.raises(StartupError, match="refusing to bind"):
        resolve_auth("192.168.1.20", False, "")
    assert resolve_auth("0.0.0.0", False, "ada:pw:with:colons") == ("ada", "pw:with:colons")
    with pytest.raises(StartupError, match="--share"):
        resolve_auth("127.0.0.1", True, None)
    assert resolve_auth("127.0.0.1", True, "u:p") == ("u", "p")


@pytest.mark.parametrize("bad", ["nopassword", "user:", ":pw", " :pw"])
def test_malformed_auth_is_refused(bad):
    with pytest.raises(StartupError, match="USER:PASSWORD"):
        parse_auth(bad)


def test_main_refuses_public_bind_without_auth_in_one_line(capsys, monkeypatch):
    monkeypatch.delenv("ADVISOR_AUTH", raising=False)
    assert main(["--host", "0.0.0.0"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("advisor: error: refusing to bind 0.0.0.0") and "\n" not in err


def test_env_auth_counts(monkeypatch):
    monkeypatch.setenv("ADVISOR_AUTH", "ada:secret")
    args = parser().parse_args(["--host", "0.0.0.0"])
    import os

    assert resolve_auth(args.host, args.share, args.auth or os.environ.get("ADVISOR_AUTH")) == ("ada", "secret")


def test_app_py_refuses_public_bind_as_a_process(monkeypatch):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(ROOT)}
    proc = subprocess.run([sys.executable, str(ROOT / "app.py"), "--host", "0.0.0.0"], capture_output=True, text=True,
                          env=env, timeout=60, cwd=ROOT)
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "--auth" in proc.stderr


def test_upload_limit(monkeypatch):
    assert max_upload_bytes(None) == 200 * 1024 * 1024
    assert max_upload_bytes(5) == 5 * 1024 * 1024
    monkeypatch.setenv("ADVISOR_MAX_UPLOAD_MB", "12")
    assert max_upload_bytes(None) == 12 * 1024 * 1024
    monkeypatch.setenv("ADVISOR_MAX_UPLOAD_MB", "lots")
    with pytest.raises(StartupError):
        max_upload_bytes(None)
    with pytest.raises(StartupError):
        max_upload_bytes(0)


def test_launch_settings():
    args = parser().parse_args(["--max-upload-mb", "3"])
    kw = launch_kwargs(args, None, 3 * 1024 * 1024, routes=[])
    assert kw["server_name"] == "127.0.0.1" and kw["server_port"] == 7860 and kw["share"] is False
    assert kw["auth"] is None and kw["max_file_size"] == 3 * 1024 * 1024
    assert kw["app_kwargs"] == {"routes": []} and kw["ssr_mode"] is False


def test_background_index_at_start_only_when_missing_or_stale(tmp_path):
    corpus = make_corpus(tmp_path)
    # the fake embedder's name is the model setting, so that a fresh index is not "stale"
    adv = Advisor(Settings(corpus_dir=corpus, index_dir=tmp_path / "index", model="fake-hash"), embedder=FakeEmbedder())
    assert start_indexing_if_needed(adv) is True
    status = adv.wait_for_build(60)
    assert status.error is None and adv.store.exists()
    assert start_indexing_if_needed(adv) is False  # fresh: nothing to do
    (corpus / "texts" / "free-notes" / "more.md").write_text("# More\n\nKKT conditions.\n", encoding="utf-8")
    assert start_indexing_if_needed(adv) is True  # stale: update in the background
    assert adv.wait_for_build(60).report.added == ["texts/free-notes/more.md"]
