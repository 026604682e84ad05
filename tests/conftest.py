import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from advisor.config import Settings  # noqa: E402
from advisor.store.embeddings import FakeEmbedder  # noqa: E402
from advisor.service import Advisor  # noqa: E402
from pdfgen import make_pdf  # noqa: E402

REPO = Path(__file__).resolve().parents[1]

TOPICS = """
topics:
  vc-dimension:
    name: VC dimension
    aliases: ["Vapnik-Chervonenkis dimension", shattering]
    prerequisites: [probability]
  probability: {name: Probability, aliases: [probability theory]}
  kkt-conditions: {name: KKT conditions, aliases: [KKT, "Karush-Kuhn-Tucker"], prerequisites: [convex-optimization]}
  convex-optimization: {name: Convex optimization, aliases: [convexity]}
  linear-algebra: {name: Linear algebra}
"""

RECORD = """---
id: {id}
title: "{title}"
authors: [Ada Author]
year: 2020
kind: {kind}
url: https://example.org/{id}
access: {access}
level: intermediate
math_depth: {depth}
topics: [{topics}]
---
{body}
"""

LEARNING_PAGES = [
    "Learning Theory Notes\nThese notes introduce learning theory for beginners.",
    "Learning Theory Notes\nChapter 2 Shattering\nA hypothesis class shatters a set of points when it realizes every labeling.\n"
    "The VC dimension is the size of the largest set that can be shattered.",
    "Learning Theory Notes\nTheorem 2.3 (VC bound). With probability at least 1 - delta the generalization error\n"
    "is bounded by the training error plus a term growing with the VC dimension.\nProof. Apply Hoeffding and a union bound.",
]
OPT_PAGES = [
    "Optimization Lecture\nConvex sets and convex functions are the subject of this lecture.",
    "Optimization Lecture\nThe KKT conditions are necessary for optimality under constraint qualification.\n"
    "Stationarity, primal feasibility, dual feasibility and complementary slackness.",
]


def write_corpus(root: Path) -> Path:
    (root / "catalog").mkdir(parents=True)
    (root / "topics.yaml").write_text(TOPICS)
    (root / "catalog" / "learning-notes.md").write_text(RECORD.format(
        id="learning-notes", title="Learning Theory Notes", kind="lecture-notes", access="free", depth="rigorous",
        topics="vc-dimension, probability", body="Proves the VC bound for beginners in learning theory."))
    (root / "catalog" / "convex-book.md").write_text(RECORD.format(
        id="convex-book", title="Convex Optimization Book", kind="book", access="paid", depth="rigorous",
        topics="kkt-conditions, convex-optimization", body="Duality, KKT conditions and interior point methods."))
    make_pdf(root / "texts" / "learning-notes" / "notes.pdf", LEARNING_PAGES,
             outline=[("Introduction", 0, 0), ("Chapter 2 Shattering", 1, 0)])
    make_pdf(root / "texts" / "opt" / "lecture.pdf", OPT_PAGES, title="Optimization Lecture")
    (root / "texts" / "misc").mkdir(parents=True)
    (root / "texts" / "misc" / "bayes.md").write_text(
        "---\ntitle: Bayes Notes\n---\n# Bayes rule\n\nThe posterior is proportional to likelihood times prior.\n\n"
        "## MAP estimation\n\nMaximum a posteriori estimation picks the mode of the posterior.\n")
    return root


@pytest.fixture
def corpus(tmp_path) -> Path:
    return write_corpus(tmp_path / "corpus")


@pytest.fixture
def store_kind(request) -> str:
    """Which store the `settings` fixture uses: "file" unless a `both_stores` test is parametrized."""
    return getattr(request, "param", "file")


def pytest_generate_tests(metafunc):
    # tests marked both_stores run against the file store and the Postgres one: parametrized, not duplicated
    if metafunc.definition.get_closest_marker("both_stores") and "store_kind" in metafunc.fixturenames:
        kinds = ["file", pytest.param("postgres", marks=pytest.mark.postgres)]
        if metafunc.definition.get_closest_marker("file_store_only"):
            kinds = ["file"]
        metafunc.parametrize("store_kind", kinds, indirect=True)


@pytest.fixture(scope="session")
def pg_server():
    """A real Postgres 16 with pgvector (the pgserver package), on a Unix socket, for this test session."""
    pgserver = pytest.importorskip("pgserver", reason="pgserver (requirements-dev.txt) runs the Postgres tests")
    import tempfile

    # not under pytest's tmp_path: pytest deletes old basetemp folders when another session starts
    server = pgserver.get_server(tempfile.mkdtemp(prefix="advisor-pg-"), cleanup_mode="delete")
    yield server
    server.cleanup()


@pytest.fixture
def pg_uri(pg_server):
    """A fresh, empty database on the session's server; dropped afterwards."""
    import uuid

    name = f"t_{uuid.uuid4().hex[:12]}"
    pg_server.psql(f"CREATE DATABASE {name};")
    yield pg_server.get_uri(name)
    pg_server.psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE);")


@pytest.fixture
def settings(tmp_path, corpus, store_kind, request) -> Settings:
    store = request.getfixturevalue("pg_uri") if store_kind == "postgres" else ""
    return Settings(corpus_dir=corpus, index_dir=tmp_path / "index", model="fake", overlap_tokens=8, store=store)


@pytest.fixture
def embedder() -> FakeEmbedder:
    return FakeEmbedder()  # the same the CLI builds for ADVISOR_MODEL=fake


@pytest.fixture
def advisor(settings, embedder) -> Advisor:
    adv = Advisor(settings, embedder=embedder)
    adv.index()
    yield adv
    adv.close()


@pytest.fixture
def real_corpus_file():
    def get(rel: str) -> Path:
        return REPO / "corpus" / rel
    return get


def copy_into(src: Path, dest: Path) -> Path:
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(src, dest)
    return dest
