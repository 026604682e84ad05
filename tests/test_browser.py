"""The app in a real browser (Debian chromium + playwright) with the real embedding model.

Starts `python app.py` once per module on a free loopback port over a small temp corpus (the expensive part);
each test then opens its own browser context and page, so its own Gradio session and conversation: asks an
example question, follows a page citation to the PDF, asks a follow-up after asking its question first, checks
LaTeX and that document HTML never runs, uploads a PDF through the Library tab, rebuilds, and gets an answer
citing the upload. Every test passes alone and in any order. Screenshots go to tests/artifacts/ (git-ignored).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from test_web_support import XSS_MARKER, XSS_PAYLOAD, make_pdf

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
CS229 = ROOT / "corpus" / "texts" / "cs229-cheatsheets" / "cheatsheet-supervised-learning.pdf"
CS230_RNN = ROOT / "corpus" / "texts" / "cs230-cheatsheets" / "cheatsheet-recurrent-neural-networks.pdf"

EVIL_TITLE = "Evil {{7*7}} ${7*7} <img src=x onerror=window.__advisor_xss=9> VC paper"

LATEX_NOTES = """# Optimal transport notes

## Wasserstein distance

The Wasserstein distance $W_1(P, Q)$ between distributions is
$$W_1(P,Q) = \\inf_{\\gamma \\in \\Pi(P,Q)} \\mathbb{E}_{(x,y) \\sim \\gamma} \\|x - y\\|$$
and by Kantorovich-Rubinstein duality \\[ W_1 = \\sup_{\\|f\\|_L \\le 1} \\mathbb{E}_P f - \\mathbb{E}_Q f \\]
where the critic \\(f\\) is 1-Lipschitz, as used by the WGAN critic.
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _corpus(root: Path) -> Path:
    corpus = root / "corpus"
    (corpus / "catalog").mkdir(parents=True)
    (corpus / "texts" / "cs229-cheatsheets").mkdir(parents=True)
    shutil.copy(ROOT / "corpus" / "topics.yaml", corpus / "topics.yaml")
    for rid in ("cs229-cheatsheets", "kearns-vazirani"):
        text = (ROOT / "corpus" / "catalog" / f"{rid}.md").read_text(encoding="utf-8")
        (corpus / "catalog" / f"{rid}.md").write_text(re.sub(r"(?m)^related: .*$", "related: []", text),
                                                      encoding="utf-8")
    shutil.copy(CS229, corpus / "texts" / "cs229-cheatsheets" / CS229.name)
    # a record whose title tries template and HTML injection: it must show up as plain text
    (corpus / "catalog" / "evil-record.md").write_text(
        "---\nid: evil-record\ntitle: '" + EVIL_TITLE.replace("'", "''") + "'\nkind: paper\naccess: paid\n"
        "level: advanced\nmath_depth: rigorous\ntopics: [vc-dimension]\n---\nA paper on VC dimension.\n",
        encoding="utf-8")
    (corpus / "texts" / "ot-notes").mkdir()
    (corpus / "texts" / "ot-notes" / "wasserstein.md").write_text(LATEX_NOTES, encoding="utf-8")
    (corpus / "texts" / "evil").mkdir()
    (corpus / "texts" / "evil" / "eigen-hacks.pdf").write_bytes(make_pdf([
        ["Eigenvalue hacking handbook", "Eigenvalue hacking with a payload: " + XSS_PAYLOAD,
         "<iframe src=javascript:" + XSS_MARKER + "=5></iframe> eigenvalue hacking ends here."],
    ]))
    return corpus


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.skip("needs Debian chromium: apt-get install -y chromium")
    pytest.importorskip("playwright.sync_api")
    root = tmp_path_factory.mktemp("browser")
    corpus = _corpus(root)
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ADVISOR_", "GRADIO_"))}
    env.update(GRADIO_ANALYTICS_ENABLED="False", HF_HUB_OFFLINE="1", PYTHONUNBUFFERED="1")
    log = open(root / "app.log", "w")
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "app.py"), "--host", "127.0.0.1", "--port", str(port),
         "--corpus-dir", str(corpus), "--index-dir", str(root / "index")],
        cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    cold_start = None
    try:
        deadline = time.time() + 90
        while time.time() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"app exited with {proc.returncode}: {(root / 'app.log').read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(url + "/", timeout=2) as r:
                    if r.status == 200:
                        cold_start = time.perf_counter() - started
                        break
            except OSError:
                time.sleep(0.1)
        assert cold_start is not None, "app did not serve / within 90 s"
        print(f"\ncold start to HTTP 200 on /: {cold_start:.1f} s")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / "cold-start.txt").write_text(f"{cold_start:.2f} s to HTTP 200 on / (fresh temp corpus, no index)\n")
        yield {"url": url, "corpus": corpus, "root": root, "cold_start": cold_start}
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)  # the app and the build workers it started
            proc.wait(15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()
        shutil.copy(root / "app.log", ARTIFACTS / "browser-app.log") if ARTIFACTS.exists() else None


@pytest.fixture(scope="module")
def browser(server):
    """One chromium for the module; each test gets its own context from it (see `fresh_page`)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def fresh_page(server, browser):
    """A new browser context and page on the app: its own cookies, Gradio session and conversation.

    It does not wait for the index: the start-up test wants to see the first build running.
    """
    context = browser.new_context(viewport={"width": 1360, "height": 1000})
    pg = context.new_page()
    pg.errors = []
    pg.on("pageerror", lambda exc: pg.errors.append(str(exc)))
    pg.on("dialog", lambda d: (pg.errors.append(f"dialog: {d.message}"), d.dismiss()))
    try:
        pg.goto(server["url"])
        pg.wait_for_selector("#adv-question textarea", timeout=60_000)
        yield pg
    finally:
        context.close()


@pytest.fixture
def page(fresh_page):
    """A fresh page once the index is loaded and no build runs (whichever test happens to run first)."""
    wait_for_index(fresh_page)
    return fresh_page


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def wait_for_index(page, timeout_s: float = 150) -> None:
    """Until the header shows a loaded index and no build is running."""
    page.wait_for_function(
        "() => { const s = document.querySelector('#adv-header-status'); const b = document.querySelector('#adv-banner');"
        " return s && s.innerText.includes('chunks') && !(b && b.innerText.includes('Building the index')); }",
        timeout=timeout_s * 1000,
    )


def bot_messages(page) -> int:
    return page.locator("#adv-chatbot .bot-row").count()


def ask(page, question: str | None = None, example: str | None = None, timeout_s: float = 90):
    """Ask by typing (or by clicking an example); returns the last reply's element."""
    before = bot_messages(page)
    if example:
        page.locator("#adv-chatbot").get_by_text(example, exact=True).click()
    else:
        page.fill("#adv-question textarea", question)
        page.click("#adv-ask")
    page.wait_for_function(
        "(n) => { const rows = document.querySelectorAll('#adv-chatbot .bot-row');"
        " return rows.length > n && !rows[rows.length - 1].innerText.includes('Searching the library'); }",
        arg=before, timeout=timeout_s * 1000,
    )
    page.wait_for_timeout(400)  # let KaTeX finish
    return page.locator("#adv-chatbot .bot-row").last


def scroll_to(page, locator) -> None:
    locator.evaluate("el => el.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(300)


def clear_upload(page) -> None:
    """Empty the file field (a rejected file stays in it so the user can see what was refused)."""
    for _ in range(5):
        clear = page.locator("#adv-upload button[aria-label='Clear']")
        if not clear.count() and page.locator("#adv-upload input[type=file]").count():
            return
        if clear.count():
            clear.first.click()
        page.wait_for_timeout(500)
    raise AssertionError("the file field did not clear")


def upload_file(page, path: Path) -> None:
    """Put a file in the Library's file field and wait until Gradio has received it."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in range(3):
        clear_upload(page)
        page.set_input_files("#adv-upload input[type=file]", str(path))
        try:
            page.locator("#adv-upload").get_by_text(path.name[:12]).wait_for(timeout=10_000)  # long names are elided
            return
        except PlaywrightTimeout:
            shot(page, f"upload-retry-{attempt}")
    raise AssertionError(f"{path.name} never showed up in the file field")


def card_titles(reply) -> list[str]:
    """The titles of a reply's resource cards, without their rank numbers."""
    return reply.locator(".adv-card .adv-card-title").evaluate_all(
        "els => els.map(el => [...el.childNodes].filter(n => !(n.classList && n.classList.contains('adv-rank')))"
        ".map(n => n.textContent).join('').trim())")


def test_01_starts_fast_and_builds_the_first_index_in_the_background(server, fresh_page):
    page = fresh_page
    assert server["cold_start"] < 60
    page.wait_for_selector("#adv-header-status .adv-status", timeout=30_000)
    page.wait_for_timeout(300)
    shot(page, "01-start")  # mid-build when this test runs first: the banner shows files, pages and an ETA
    wait_for_index(page)
    status = page.inner_text("#adv-header-status")
    assert "Index:" in status
    chunks = re.search(r"([\d,]+) chunks", status)
    assert chunks and int(chunks.group(1).replace(",", "")) > 0, status


def test_02_example_question_shows_cards_and_page_citations(server, page):
    reply = ask(page, example="Which book covers VC dimension proofs?")
    cards = reply.locator(".adv-card")
    assert cards.count() >= 1
    text = reply.inner_text()
    assert "Recommended resources".lower() in text.lower() and "Cited passages".lower() in text.lower()
    assert reply.locator(".adv-badge").count() >= 4  # access, kind, level, maths depth
    assert reply.locator(".adv-reasons li").count() >= 1
    page_link = reply.locator("a.adv-page").first
    href = page_link.get_attribute("href")
    assert re.fullmatch(r"/corpus-file/texts/cs229-cheatsheets/cheatsheet-supervised-learning\.pdf#page=\d+", href)
    assert page_link.get_attribute("target") == "_blank"
    response = page.request.get(server["url"] + href.split("#")[0])
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.body()[:5] == b"%PDF-"
    assert page.request.get(server["url"] + "/corpus-file/topics.yaml").status == 404
    assert page.request.get(server["url"] + "/corpus-file/texts/..%2f..%2fapp.log").status == 404
    scroll_to(page, reply)
    shot(page, "02-answer-cards")
    scroll_to(page, reply.locator(".adv-passages"))
    shot(page, "03-answer-passages")


def test_03_which_of_those_is_free(page):
    """A follow-up narrows this conversation's previous answer: the test asks that answer's question first."""
    first = ask(page, example="Which book covers VC dimension proofs?")
    previous = card_titles(first)
    assert previous, first.inner_text()
    cards = first.locator(".adv-card")
    free = {title for i, title in enumerate(previous) if cards.nth(i).locator(".adv-free").count()}

    reply = ask(page, "which of those is free?")
    text = reply.inner_text()
    n = len(previous)
    resources = f"{n} resource{'s' if n != 1 else ''} in my previous answer"
    if free:  # the cs229 cheatsheets (free) answer the VC question in this corpus: this branch is the usual one
        assert f"Of the {resources}" in text, text[:400]
        assert set(card_titles(reply)) == free  # exactly the free ones among the previous cards
        assert reply.locator(".adv-paid").count() == 0
    else:
        assert f"None of the {resources} is free" in text, text[:400]
    scroll_to(page, reply)
    shot(page, "04-follow-up")


def test_04_latex_renders(page):
    reply = ask(page, "What is the Wasserstein distance used by the WGAN critic?")
    assert reply.locator(".adv-quote .katex").count() >= 2
    assert reply.locator(".adv-quote .katex-display").count() >= 1  # $$...$$ or \[...\]
    scroll_to(page, reply.locator(".adv-passages"))
    shot(page, "05-latex")


def test_05_document_html_never_executes(page):
    reply = ask(page, "eigenvalue hacking handbook payload")
    # the payload was indexed from the hostile PDF and is quoted from it ...
    sources = [a.get_attribute("href") or "" for a in reply.locator(".adv-passages a").all()]
    assert any(h.startswith("/corpus-file/texts/evil/eigen-hacks.pdf") for h in sources), sources
    quotes = reply.locator(".adv-quote").all_inner_texts()
    assert any("<script>" in q and "onerror" in q and XSS_MARKER in q for q in quotes), quotes  # ... as text
    assert page.evaluate(f"() => typeof {XSS_MARKER}") == "undefined"
    assert page.locator("#adv-chatbot script, #adv-chatbot img[src='x'], #adv-chatbot svg[onload],"
                        " #adv-chatbot iframe").count() == 0
    assert not [e for e in page.errors if "advisor_xss" in e or "dialog" in e]
    scroll_to(page, reply.locator(".adv-passages"))
    shot(page, "06-escaped-html")


def test_06_rejected_upload_shows_an_error(server, page, tmp_path):
    page.get_by_role("tab", name="Library").click()
    page.wait_for_selector("#adv-library table")
    fake = tmp_path / "totally-a-book.pdf"
    fake.write_bytes(b"MZ\x90\x00\x03" + b"\x00" * 256 + b"This program cannot be run in DOS mode")
    upload_file(page, fake)
    page.click("#adv-add-btn")
    toast = page.locator(".toast-body").filter(has_text="not a PDF")
    toast.first.wait_for(timeout=15_000)
    assert "totally-a-book.pdf" in toast.first.inner_text()
    # the result line is updated after the toast (a loaded machine shows "processing" between the two)
    page.wait_for_function("() => document.querySelector('#adv-add-result').innerText.includes('Upload rejected')",
                           timeout=15_000)
    assert "Upload rejected" in page.inner_text("#adv-add-result")
    assert page.locator("#adv-add .error, #adv-library .error").count() == 0  # no per-component error state
    shot(page, "07-upload-rejected")
    assert not (server["corpus"] / "texts" / "totally-a-book").exists()
    clear_upload(page)


def test_07_upload_rebuild_and_ask_about_it(server, page, tmp_path):
    page.get_by_role("tab", name="Library").click()
    page.wait_for_selector("#adv-library table")
    upload = tmp_path / CS230_RNN.name
    shutil.copy(CS230_RNN, upload)
    upload_file(page, upload)
    page.fill("#adv-title textarea, #adv-title input", "RNN cheatsheet")
    page.fill("#adv-authors textarea, #adv-authors input", "Afshine Amidi, Shervine Amidi")
    page.click("#adv-add-btn")
    page.wait_for_function("() => document.querySelector('#adv-add-result').innerText.includes('Added')",
                           timeout=30_000)
    assert (server["corpus"] / "texts" / "rnn-cheatsheet" / CS230_RNN.name).exists()
    assert (server["corpus"] / "catalog" / "rnn-cheatsheet.md").exists()
    library_text = page.inner_text("#adv-library")
    assert "not indexed yet" in library_text
    assert EVIL_TITLE in library_text  # template syntax and tags shown literally
    shot(page, "08-library-added")
    page.click("#adv-rebuild")
    # the banner still shows the first build's outcome: wait for this build's ("1 added")
    page.wait_for_function("() => document.querySelector('#adv-banner').innerText.includes('Building the index')"
                           " || document.querySelector('#adv-banner').innerText.includes('(1 added')",
                           timeout=15_000)
    shot(page, "09-rebuilding")
    page.wait_for_function("() => document.querySelector('#adv-banner').innerText.includes('(1 added')",
                           timeout=120_000)
    # the banner can show the report a moment before the build thread is marked done; the library refreshes
    # on the tick after that, so wait for it rather than read it at once
    page.wait_for_function("() => [...document.querySelectorAll('#adv-library tr')].some("
                           "r => r.innerText.includes('rnn-cheatsheet') && r.cells[3]"
                           " && r.cells[3].innerText.trim() === 'indexed')", timeout=30_000)
    row = page.locator("#adv-library tr").filter(has_text="rnn-cheatsheet")
    assert row.locator("td").nth(3).inner_text().strip() == "indexed"
    from pypdf import PdfReader

    assert row.locator("td").nth(5).inner_text().strip() == str(len(PdfReader(CS230_RNN).pages))
    shot(page, "10-library-rebuilt")

    page.get_by_role("tab", name="Chat").click()
    reply = ask(page, "How does an LSTM recurrent neural network handle vanishing gradients?")
    hrefs = [a.get_attribute("href") for a in reply.locator(".adv-passages a").all()]
    ours = [h for h in hrefs if h and h.startswith("/corpus-file/texts/rnn-cheatsheet/")]
    assert ours, hrefs
    r = page.request.get(server["url"] + ours[0].split("#")[0])
    assert r.status == 200 and r.headers["content-type"] == "application/pdf"
    assert "RNN cheatsheet" in reply.inner_text()
    scroll_to(page, reply)
    shot(page, "11-answer-from-upload")
    assert page.evaluate(f"() => typeof {XSS_MARKER}") == "undefined"


def test_08_comparison_table_and_study_path_render(page):
    """The comparison is a table, the study path an ordered list, both with links."""
    reply = ask(page, "Compare how the VC dimension is treated in my books")
    table = reply.locator("table.adv-compare")
    assert table.count() == 1
    headers = [h.strip() for h in table.locator("th").all_inner_texts()]
    assert headers[:3] == ["Resource", "Defines", "Proves"]
    assert table.locator("tbody tr").count() >= 1
    assert table.locator("tbody tr a[href^='http']").count() >= 1  # the resource links to its page
    scroll_to(page, table)
    shot(page, "08-comparison-table")
    reply = ask(page, "What should I learn before the VC dimension?")
    steps = reply.locator("ol.adv-path > li")
    assert steps.count() >= 2
    texts = steps.all_inner_texts()
    assert "VC dimension" in texts[-1]  # the topic itself comes last, its foundations first
    assert reply.locator("ol.adv-path a").count() >= 1
    scroll_to(page, reply.locator("ol.adv-path"))
    shot(page, "09-study-path")
