"""Rendering escapes everything that comes from documents, records or users."""

from __future__ import annotations

import re

from advisor.types import BuildReport, BuildStatus, Progress
from advisor.types import Answer, Chunk, Hit, Resource, ResourceMatch
from advisor.web.render import card_html, esc, esc_math, file_url, passage_html, reply_markdown
from advisor.web.status import index_status_html, library_html, progress_html

EVIL = '<img src=x onerror="alert(1)"><script>alert(2)</script><a href="javascript:alert(3)">x</a>'


def no_live_html(out: str) -> None:
    """No tag or attribute from the payload survives as markup."""
    for needle in ("<img", "<script", "<a href=\"javascript", "onerror=\"", "javascript:alert(3)\">"):
        assert needle not in out, needle


def evil_match() -> ResourceMatch:
    r = Resource(id="evil", title="Title " + EVIL, authors=["<b>Mallory</b>", "Eve\"><svg onload=alert(4)>"],
                 year=2020, kind="book<script>", access="free", level="intro", math_depth="moderate",
                 url="javascript:alert(5)")
    chunk = Chunk("evil-1", "texts/evil/a b#c.pdf", "Quote " + EVIL, 3, 3, section=("Section " + EVIL,))
    hit = Hit(chunk, 1.0, "evil")
    return ResourceMatch(resource=r, score=1.0, reasons=["covers " + EVIL], hits=[hit])


def linker(chunk):
    return file_url(chunk.path, chunk.page_start)


def test_card_escapes_title_authors_reasons_and_drops_javascript_urls():
    out = card_html(1, evil_match(), linker, lambda c: True)
    no_live_html(out)
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in out
    assert "&lt;b&gt;Mallory&lt;/b&gt;" in out
    assert "javascript:alert(5)" not in out  # not a link
    assert 'href="/corpus-file/texts/evil/a%20b%23c.pdf#page=3"' in out
    assert 'target="_blank"' in out and 'rel="noopener noreferrer"' in out
    assert "adv-free" in out and "maths: moderate" in out and "intro" in out and "2020" in out


def test_passage_escapes_quote_and_section_and_links_the_page():
    m = evil_match()
    out = passage_html(1, m.hits[0], "Book " + EVIL, "quote", linker, lambda c: True)
    no_live_html(out)
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in out
    assert "§Section &lt;img" in out
    assert re.search(r'<a class="adv-page" href="/corpus-file/texts/evil/a%20b%23c\.pdf#page=3"[^>]*>p\. 3</a>', out)


def test_whole_reply_is_safe_and_has_cards_and_passages():
    m = evil_match()
    answer = Answer("q <script>", True, [m], [m.hits[0]], notes=["searched for: " + EVIL])
    out = reply_markdown(answer, {"evil": "Evil " + EVIL}, linker, lambda c: True, intro="Intro")
    no_live_html(out)
    assert out.count('class="adv-card"') == 1 and out.count('class="adv-passage"') == 1
    assert "#### Recommended resources" in out and "#### Cited passages" in out
    # HTML blocks must not be broken by blank lines inside them (Markdown would resume there)
    for block in re.findall(r'<div class="adv-(?:cards|passages)">.*?\n', out + "\n"):
        assert "\n\n" not in block


def test_not_covered_reply():
    out = reply_markdown(Answer("q", False, [], [], text="Nothing in the indexed corpus covers this."), {},
                         linker, lambda c: True)
    assert "Nothing in the indexed corpus covers this" in out


def test_latex_pairs_survive_and_stray_delimiters_are_neutralized():
    assert esc_math("the map $f: X \\to Y$ with $$\\sum_i x_i = 1$$") == "the map $f: X \\to Y$ with $$\\sum_i x_i = 1$$"
    assert esc_math("inline \\(a < b\\) and \\[x\\]") == "inline \\(a &lt; b\\) and \\[x\\]"
    # an unmatched $ cannot pair with one in another quote and swallow markup in between
    assert "$" not in esc_math("costs $5 only")
    assert esc_math("costs $5 only") == 'costs <span class="adv-lit">&#36;</span>5 only'
    assert "\\(" not in esc_math("open \\( never closed")
    # Gradio's LaTeX placeholders cannot be forged by a document
    assert "%%%" not in esc_math("%%%LATEX_BLOCK_0%%%")
    # adjacent pairs do not form a $$ display delimiter
    assert "$$" not in esc_math("$a$$b$")
    # tags inside math are escaped too
    assert "<" not in esc_math("$<script>alert(1)</script>$")
    lone = ('<span class="adv-lit">&#36;</span>', '<span class="adv-lit">&#92;</span>')
    assert esc("$x$ \\(y\\)") == f"{lone[0]}x{lone[0]} {lone[1]}(y{lone[1]})"


def test_a_quote_cut_inside_a_formula_does_not_set_its_prose_as_maths():
    # the passage starts inside "$... = 0$", so its dollars pair up the wrong way round
    text = ("Y) = 0$. In addition, we can use the covariance. Recall that if $X$ and $Y$ are two "
            "independent random variables then $\\textrm{Var}(X+Y) = \\textrm{Var}(X) + \\textrm{Var}(Y)$.")
    out = esc_math(text)
    assert '<span class="adv-lit">&#36;</span>. In addition, we can use the covariance' in out
    assert "$X$" in out and "$Y$" in out and "$\\textrm{Var}(X+Y) = \\textrm{Var}(X) + \\textrm{Var}(Y)$" in out


def test_macros_that_notes_define_for_themselves_are_expanded_inside_maths_only():
    out = esc_math("the mean $$\\E[\\bx] = \\sum_i x_i$$ of \\E, and $\\Expect_q[\\bz \\giv \\bx]$")
    assert "$$\\mathbb{E}[\\mathbf{x}] = \\sum_i x_i$$" in out
    assert "$\\mathbb{E}_q[\\mathbf{z} \\mid \\mathbf{x}]$" in out
    assert "of " + '<span class="adv-lit">&#92;</span>E' in out  # outside maths it is text
    assert "\\Delta" in esc_math("$\\Delta x$")  # a longer KaTeX command is not a macro


def test_file_url_quotes_keys():
    assert file_url("texts/a b/c#d?.pdf", 7) == "/corpus-file/texts/a%20b/c%23d%3F.pdf#page=7"
    assert file_url("texts/x/notes.md") == "/corpus-file/texts/x/notes.md"


def test_progress_banner_states():
    running = BuildStatus(running=True, progress=Progress(stage="embedding", files_done=3, files_total=4,
                                                          pages_done=120, chunks_done=800, elapsed=30.0))
    out = progress_html(running)
    assert "3 of 4 files" in out and "120 PDF pages" in out and "800 chunks embedded" in out
    assert "about 10 s left" in out and 'style="width:75%"' in out
    assert "previous index" in out and "answers as soon as it is ready" in progress_html(running, has_index=False)
    assert "loading the embedding model" in progress_html(BuildStatus(running=True))
    failed = progress_html(BuildStatus(error="disk <full>"))
    assert "Index build failed" in failed and "disk &lt;full&gt;" in failed
    done = progress_html(BuildStatus(report=BuildReport(files_total=3, added=["a"], chunks_total=10, pages_read=5),
                                     started_at=1.0, finished_at=3.0))
    assert "Index updated: 3 files (1 added" in done and "in 2 s" in done
    assert progress_html(BuildStatus()) == ""


def test_index_status_and_library_escape():
    info = {"counts": {"chunks": 7, "files": 2, "pages": 5, "resources": 3}, "model": "m<odel>",
            "built_at": "2026-01-01T10:00:00Z"}
    out = index_status_html(info)
    assert "<b>7</b> chunks" in out and "m&lt;odel&gt;" in out and "2026-01-01" in out
    assert "first one is being built" in index_status_html(None, building=True)
    assert "Rebuild index" in index_status_html(None, "index damaged <x>")
    rows = [{"id": "x", "title": EVIL, "kind": "book", "access": "paid", "status": "indexed", "state": "indexed",
             "files": 1, "pages": 2, "chunks": 3, "last_indexed": "2026-01-01T10:00:00Z"}]
    lib = library_html(rows, [{"file": "<b>f</b>", "reason": "bad <i>"}])
    no_live_html(lib)
    assert "adv-paid" in lib and "1 resources, 1 with indexed full text" in lib and "&lt;b&gt;f&lt;/b&gt;" in lib
