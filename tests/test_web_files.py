"""GET /corpus-file/{key}: only files the index knows, inside the indexed roots; login when the app has one."""

from __future__ import annotations

import json
import os
import socket

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from advisor.config import Settings
from advisor.store.embeddings import FakeEmbedder
from advisor.service import Advisor
from advisor.web.files import corpus_file_routes, resolve_key
from test_web_support import make_advisor, make_corpus

PDF_KEY = "texts/linear-algebra-book/chapter7.pdf"
MD_KEY = "texts/free-notes/generalization.md"


@pytest.fixture(scope="module")
def advisor(tmp_path_factory):
    return make_advisor(tmp_path_factory.mktemp("files"))


@pytest.fixture(scope="module")
def client(advisor):
    app = FastAPI(routes=corpus_file_routes(advisor))
    return TestClient(app)


def test_serves_an_indexed_pdf_inline(client, advisor):
    r = client.get(f"/corpus-file/{PDF_KEY}")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/pdf"
    assert r.headers["content-disposition"].startswith("inline")
    assert r.content == (advisor.settings.corpus_dir / PDF_KEY).read_bytes()
    assert client.head(f"/corpus-file/{PDF_KEY}").status_code == 200


def test_non_pdf_documents_are_plain_text_in_a_sandbox(client):
    r = client.get(f"/corpus-file/{MD_KEY}")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/plain")
    assert "sandbox" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"
    evil = client.get("/corpus-file/texts/evil/evil-notes.txt")
    assert evil.status_code == 200 and evil.headers["content-type"].startswith("text/plain")


@pytest.mark.parametrize("key", [
    "texts/linear-algebra-book/missing.pdf",
    "topics.yaml",  # in the corpus but not an indexed text
    "catalog/free-notes.md",  # catalog records are not served
    "texts/../topics.yaml",
    "texts/linear-algebra-book/../../topics.yaml",
    "texts/%2e%2e/%2e%2e/etc/passwd",
    "..%2f..%2f..%2fetc%2fpasswd",
    "%2Fetc%2Fpasswd",
    "/etc/passwd",
    "texts\\..\\topics.yaml",
    "texts/linear-algebra-book/chapter7.pdf%00.txt",
])
def test_refuses_unknown_keys_and_traversal(client, key):
    r = client.get(f"/corpus-file/{key}")
    assert r.status_code == 404, key
    assert b"root:" not in r.content


def test_resolve_key_rejects_what_the_manifest_would_not_vouch_for(advisor):
    assert resolve_key(advisor, PDF_KEY) == (advisor.settings.corpus_dir / PDF_KEY).resolve()
    for key in ("", "..", "texts/./x", "/etc/passwd", "texts/../texts/free-notes/generalization.md", "a\x00b"):
        assert resolve_key(advisor, key) is None


def test_manifest_entry_pointing_outside_its_root_is_refused(tmp_path):
    adv = make_advisor(tmp_path)
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret", encoding="utf-8")
    current = adv.store.current_dir()
    manifest = json.loads((current / "manifest.json").read_text(encoding="utf-8"))
    entry = dict(manifest["files"][MD_KEY])
    entry["rel"] = "../../secret.txt"
    manifest["files"]["texts/free-notes/sneaky.md"] = entry
    (current / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    fresh = Advisor(adv.settings, embedder=FakeEmbedder())
    client = TestClient(FastAPI(routes=corpus_file_routes(fresh)))
    assert client.get("/corpus-file/texts/free-notes/sneaky.md").status_code == 404
    assert client.get(f"/corpus-file/{MD_KEY}").status_code == 200


def test_symlink_out_of_the_corpus_is_never_served(tmp_path):
    corpus = make_corpus(tmp_path / "c")
    outside = tmp_path / "outside.md"
    outside.write_text("# Secret\n\nspectral theorem secret notes\n", encoding="utf-8")
    os.symlink(outside, corpus / "texts" / "free-notes" / "link.md")
    adv = Advisor(Settings(corpus_dir=corpus, index_dir=tmp_path / "index"), embedder=FakeEmbedder())
    adv.index()
    client = TestClient(FastAPI(routes=corpus_file_routes(adv)))
    assert client.get("/corpus-file/texts/free-notes/link.md").status_code == 404


def test_deleted_file_and_missing_index_give_404(tmp_path):
    adv = make_advisor(tmp_path)
    client = TestClient(FastAPI(routes=corpus_file_routes(adv)))
    (adv.settings.corpus_dir / MD_KEY).unlink()
    assert client.get(f"/corpus-file/{MD_KEY}").status_code == 404
    empty = Advisor(Settings(corpus_dir=adv.settings.corpus_dir, index_dir=tmp_path / "none"), embedder=FakeEmbedder())
    client = TestClient(FastAPI(routes=corpus_file_routes(empty)))
    assert client.get(f"/corpus-file/{PDF_KEY}").status_code == 404


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_file_route_requires_the_app_login_when_auth_is_on(advisor):
    from advisor.web.ui import build_ui

    demo = build_ui(advisor)
    port = _free_port()
    demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, auth=("ada", "s3cret!"),
                app_kwargs={"routes": corpus_file_routes(advisor)}, quiet=True, ssr_mode=False)
    try:
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=base, timeout=10) as anon:
            assert anon.get(f"/corpus-file/{PDF_KEY}").status_code == 401
            assert anon.get(f"/corpus-file/{PDF_KEY}", cookies={"access-token-x": "forged"}).status_code == 401
        with httpx.Client(base_url=base, timeout=10) as user:
            assert user.post("/login", data={"username": "ada", "password": "s3cret!"}).status_code == 200
            r = user.get(f"/corpus-file/{PDF_KEY}")
            assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
            assert user.get("/corpus-file/topics.yaml").status_code == 404
    finally:
        demo.close()


def test_launched_app_serves_the_page_and_the_file_route_without_login(advisor):
    from advisor.web.ui import build_ui

    demo = build_ui(advisor)
    port = _free_port()
    demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True, ssr_mode=False,
                app_kwargs={"routes": corpus_file_routes(advisor)})
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            assert client.get("/").status_code == 200
            r = client.get(f"/corpus-file/{PDF_KEY}")
            assert r.status_code == 200 and r.content.startswith(b"%PDF-")
            assert client.get("/corpus-file/nope.pdf").status_code == 404
    finally:
        demo.close()
