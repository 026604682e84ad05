"""Fault injection: killed builds, damaged files, pathological inputs."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from advisor.errors import DocumentError
from advisor.ingest.extract import Extractor
from advisor.store.index import IndexStore
from advisor.service import Advisor
from pdfgen import make_pdf, raw_pdf

REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.both_stores  # each test that builds an index runs on both stores


def cli_env(settings, **extra):
    env = {**os.environ, "ADVISOR_MODEL": "fake", "ADVISOR_CORPUS_DIR": str(settings.corpus_dir),
           "ADVISOR_INDEX_DIR": str(settings.index_dir), "ADVISOR_OVERLAP_TOKENS": str(settings.overlap_tokens),
           "ADVISOR_STORE": settings.store, "PYTHONPATH": str(REPO / "src")}
    env.update(extra)
    return env


def run_index(settings, **extra):
    return subprocess.run([sys.executable, "-m", "advisor", "index", "--quiet"], env=cli_env(settings, **extra),
                          capture_output=True, text=True, timeout=120)


# `advisor index --quiet` with the fail points wrapped: the one ADVISOR_FAILPOINT names records the index folder as
# it is at that moment (and who holds the build lock) in $FAILPOINT_STATE, then kills the process as before.
SPIED_INDEX = r"""
import json, os, sys, traceback
from pathlib import Path
from advisor.store import index, pipeline

real_failpoint = index.failpoint

def spy(name):
    if os.environ.get("ADVISOR_FAILPOINT") == name:
        d = Path(os.environ["ADVISOR_INDEX_DIR"])
        Path(os.environ["FAILPOINT_STATE"]).write_text(json.dumps({
            "point": name, "pid": os.getpid(), "lock": (d / ".lock").read_text().strip(),
            "current": (d / "CURRENT").read_text().strip(),
            "entries": sorted(p.name for p in d.iterdir()),
            "staging": {p.name: sorted(c.name for c in p.iterdir()) for p in d.iterdir() if p.name.startswith(".tmp-")},
            "stack": [f.name for f in traceback.extract_stack()],
        }))
    real_failpoint(name)

index.failpoint = pipeline.failpoint = spy
from advisor.cli import main
sys.exit(main(["index", "--quiet"]))
"""

VERSION_FILES = ["catalog", "manifest.json", "resources.json", "texts"]


def index_state(index_dir: Path) -> dict:
    return {"current": (index_dir / "CURRENT").read_text().strip(),
            "entries": sorted(p.name for p in index_dir.iterdir()),
            "staging": {p.name: sorted(c.name for c in p.iterdir()) for p in index_dir.iterdir()
                        if p.name.startswith(".tmp-")}}


@pytest.mark.file_store_only  # the Postgres store's generations: tests/test_pg_store.py
@pytest.mark.parametrize("point", ["embedding", "staging", "before-rename", "before-pointer", "after-pointer"])
def test_kill_9_at_any_point_leaves_a_loadable_index(advisor, corpus, settings, embedder, point, tmp_path):
    before = IndexStore(settings.index_dir).current_dir()
    (corpus / "texts" / "misc" / "bayes.md").write_text("# Changed\n\nThe conjugate prior of a Bernoulli is a Beta.\n")
    state_file = tmp_path / "failpoint.json"
    proc = subprocess.run([sys.executable, "-c", SPIED_INDEX], capture_output=True, text=True, timeout=120, check=False,
                          env=cli_env(settings, ADVISOR_FAILPOINT=point, FAILPOINT_STATE=str(state_file)))
    assert proc.returncode == -signal.SIGKILL, proc.stderr

    # the kill landed mid-build, at the named point: the build held the lock and had got exactly this far
    at_kill = json.loads(state_file.read_text())
    assert at_kill["point"] == point and at_kill["lock"] == str(at_kill["pid"]) and "build" in at_kill["stack"]
    versions = [n for n in at_kill["entries"] if n.startswith("v-")]
    new = [n for n in versions if n != before.name]
    staged = at_kill["staging"]
    if point == "embedding":  # still reading and embedding: nothing written yet
        assert at_kill["current"] == before.name and not staged and not new
    elif point == "staging":  # the staging folder exists, still empty
        assert at_kill["current"] == before.name and list(staged.values()) == [[]] and not new
    elif point == "before-rename":  # a complete version in the staging folder, not yet renamed
        assert at_kill["current"] == before.name and list(staged.values()) == [VERSION_FILES] and not new
    elif point == "before-pointer":  # renamed to v-*, CURRENT not yet switched to it
        assert at_kill["current"] == before.name and not staged and len(new) == 1
    else:  # CURRENT switched, the old version not yet collected
        assert len(new) == 1 and at_kill["current"] == new[0] and before.name in versions and not staged
    assert ("read_and_embed" if point == "embedding" else "_write_version") in at_kill["stack"]
    # SIGKILL cleaned nothing up: the folder is still as the failpoint saw it
    assert index_state(settings.index_dir) == {k: at_kill[k] for k in ("current", "entries", "staging")}
    if new:  # the renamed version is complete
        assert sorted(p.name for p in (settings.index_dir / new[0]).iterdir()) == VERSION_FILES

    after = Advisor(settings, embedder=embedder)
    loaded = after.load()
    # before the pointer moves the old version answers; after it, the new one
    assert loaded.directory == before if point != "after-pointer" else loaded.directory != before
    assert after.search("VC dimension")
    # the next build cleans up and succeeds
    proc = run_index(settings)
    assert proc.returncode == 0, proc.stderr
    names = {p.name for p in settings.index_dir.iterdir()}
    assert not [n for n in names if n.startswith(".tmp-") or n.startswith(".CURRENT.")]
    after.close()
    with Advisor(settings, embedder=embedder) as rebuilt:
        assert rebuilt.search("conjugate prior Beta")[0].chunk.path == "texts/misc/bayes.md"


def test_kill_9_at_random_moments_never_breaks_the_index(advisor, corpus, settings, embedder):
    for i in range(40):
        (corpus / "texts" / "misc" / f"note{i}.md").write_text(f"# Note {i}\n\n" + "gradient descent step " * 300)
    for delay in (0.3, 0.8, 1.5, 2.5):
        proc = subprocess.Popen([sys.executable, "-m", "advisor", "index", "--quiet"], env=cli_env(settings),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        with Advisor(settings, embedder=embedder) as after:  # a reader's pool closed by it, not by the GC
            assert after.search("shattering")


def test_second_concurrent_build_gets_a_clear_message(advisor, settings):
    with advisor.store.lock():
        proc = run_index(settings)
    assert proc.returncode == 1
    assert "already building" in proc.stderr and proc.stderr.count("\n") == 1


def test_extraction_time_limit_stops_a_slow_file_and_goes_on():
    slow = REPO / "corpus/texts/ladr4e/LADR4e.pdf"
    small = REPO / "corpus/texts/cs229-cheatsheets/cheatsheet-supervised-learning.pdf"
    with Extractor(timeout=0.5) as ex:
        t = time.monotonic()
        with pytest.raises(DocumentError, match="longer than 0.5s"):
            ex.load(slow, "ladr.pdf")
        assert time.monotonic() - t < 5
        ex.timeout = 60
        assert ex.load(small, "cs.pdf").n_pages == 4  # a fresh worker took over


def test_thousands_of_pages(tmp_path):
    path = tmp_path / "long.pdf"
    words = "matrix vector eigen value proof lemma kernel space norm basis rank trace limit series sum".split()
    rng = __import__("random").Random(0)
    pages = ["\n".join(" ".join(rng.choice(words) for _ in range(9)) for _ in range(3)) for _ in range(2500)]
    path.write_bytes(raw_pdf(pages))
    with Extractor(timeout=120) as ex:
        doc = ex.load(path, "long.pdf")
    assert doc.n_pages == 2500 and doc.blocks[-1].page == 2500


def test_page_limit_is_a_clear_skip(tmp_path, monkeypatch):
    from advisor.ingest import loaders, pdf

    monkeypatch.setattr(pdf, "MAX_PDF_PAGES", 10)
    path = tmp_path / "long.pdf"
    path.write_bytes(raw_pdf([f"page {i} text here" for i in range(11)]))
    with pytest.raises(DocumentError, match="more than the 10 page limit"):
        loaders.load_document(path, "long.pdf")


def test_duplicate_catalog_ids_and_bad_front_matter_do_not_stop_indexing(settings, embedder, corpus):
    (corpus / "catalog" / "copy.md").write_text((corpus / "catalog" / "convex-book.md").read_text())
    (corpus / "catalog" / "broken.md").write_text("---\ntitle: [\n---\nbody")
    report = Advisor(settings, embedder=embedder).index()
    assert any("duplicate resource id 'convex-book'" in p for p in report.catalog_problems)
    assert any(p.startswith("catalog/broken.md: malformed YAML") for p in report.catalog_problems)
    assert report.chunks_total > 0


def test_image_only_and_encrypted_pdfs_in_a_build(settings, embedder, corpus):
    (corpus / "texts" / "scan.pdf").write_bytes(raw_pdf(["", "", ""]))
    make_pdf(corpus / "texts" / "locked.pdf", ["secret text that is long enough"], password="pw")
    make_pdf(corpus / "texts" / "open.pdf", ["empty password text about eigenvalues"], password="")
    report = Advisor(settings, embedder=embedder).index()
    reasons = dict(report.skipped)
    assert "scanned" in reasons["texts/scan.pdf"] and "encrypted" in reasons["texts/locked.pdf"]
    assert "texts/open.pdf" not in reasons
