"""Shared helpers for the web tests: a tiny corpus with real (hand-written) PDFs, and an Advisor over it.

Imported by the other test_web_*.py modules; it holds no tests itself.
"""

from __future__ import annotations

import zlib
from pathlib import Path

from advisor.config import Settings
from advisor.store.embeddings import FakeEmbedder
from advisor.service import Advisor

XSS_MARKER = "window.__advisor_xss"
XSS_PAYLOAD = (
    f"<script>{XSS_MARKER}=1</script> <img src=x onerror=\"{XSS_MARKER}=2\"> "
    f"<svg onload=\"{XSS_MARKER}=3\"></svg> [click](javascript:{XSS_MARKER}=4) "
)


def _pdf_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_pdf(pages: list[list[str]]) -> bytes:
    """A valid PDF whose pages carry the given lines as real text (Helvetica), readable by pypdf."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    pages_id = len(objects) + 1 + 2 * len(pages) + 1  # reserved below, after the page objects
    kids = []
    for lines in pages:
        ops = ["BT", "/F1 11 Tf", "14 TL", "50 760 Td"]
        for line in lines:
            ops.append(f"({_pdf_escape(line)}) Tj T*")
        ops.append("ET")
        stream = zlib.compress("\n".join(ops).encode("cp1252", errors="replace"))
        content = add(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream")
        kids.append(add(
            b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
            b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (pages_id, content, font)
        ))
    catalog_id = add(b"")  # placeholder, filled once the pages id is known
    assert len(objects) + 1 == pages_id
    add(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids)))
    objects[catalog_id - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, catalog_id, xref)
    return bytes(out)


TOPICS = """\
topics:
  machine-learning:
    name: Machine learning
    aliases: [ML]
  vc-dimension:
    name: VC dimension
    aliases: ["Vapnik-Chervonenkis dimension", shattering, "growth function"]
    prerequisites: [machine-learning]
  spectral-theorem:
    name: Spectral theorem
    aliases: ["eigendecomposition of symmetric matrices"]
  convex-optimization:
    name: Convex optimization
    aliases: ["convex optimisation", "KKT conditions", "Lagrange duality"]
  wasserstein-distance:
    name: Wasserstein distance
    aliases: ["earth mover's distance", "optimal transport"]
  recurrent-neural-networks:
    name: Recurrent neural networks
    aliases: [RNN, LSTM, GRU]
"""

RECORDS = {
    "learning-theory-book": dict(
        title="Foundations of Learning Theory", authors='["Ada Lovelace", "Alan Turing"]', year=2019, kind="book",
        access="paid", level="advanced", math_depth="proof-heavy", topics="[vc-dimension, machine-learning]",
        body="A rigorous book on statistical learning theory with full proofs of VC dimension bounds.",
    ),
    "free-notes": dict(
        title="Free Lecture Notes on Generalization", authors='["Grace Hopper"]', year=2021, kind="lecture-notes",
        access="free", level="intermediate", math_depth="moderate", topics="[vc-dimension, convex-optimization]",
        body="Free lecture notes: VC dimension, shattering, and convex optimization basics.",
    ),
    "linear-algebra-book": dict(
        title="Linear Algebra Explained", authors='["Emmy Noether"]', year=2020, kind="book",
        access="free", level="intermediate", math_depth="rigorous", topics="[spectral-theorem]",
        body="A free linear algebra book; chapter 7 proves the spectral theorem.",
    ),
}


def write_record(corpus: Path, rid: str, spec: dict) -> None:
    (corpus / "catalog").mkdir(parents=True, exist_ok=True)
    (corpus / "catalog" / f"{rid}.md").write_text(
        "---\n"
        f"id: {rid}\ntitle: \"{spec['title']}\"\nauthors: {spec['authors']}\nyear: {spec['year']}\n"
        f"kind: {spec['kind']}\nurl: https://example.org/{rid}\naccess: {spec['access']}\nlevel: {spec['level']}\n"
        f"math_depth: {spec['math_depth']}\ntopics: {spec['topics']}\n---\n{spec['body']}\n",
        encoding="utf-8",
    )


def make_corpus(root: Path, *, evil: bool = True) -> Path:
    corpus = root / "corpus"
    (corpus / "texts").mkdir(parents=True)
    (corpus / "topics.yaml").write_text(TOPICS, encoding="utf-8")
    for rid, spec in RECORDS.items():
        write_record(corpus, rid, spec)
    book = corpus / "texts" / "learning-theory-book"
    book.mkdir()
    (book / "learning-theory.pdf").write_bytes(make_pdf([
        ["Foundations of Learning Theory", "Preface and notation for the book."],
        ["Chapter 3 The VC dimension", "Definition. A class H shatters a set S if every labeling is realized.",
         "The VC dimension of H is the size of the largest set shattered by H."],
        ["Theorem 3.4 (Sauer's lemma). The growth function is bounded by a polynomial.",
         "Proof. We prove the VC dimension bound by induction on the sample size.",
         "The generalization bound with VC dimension d follows from the growth function."],
    ]))
    notes = corpus / "texts" / "free-notes"
    notes.mkdir()
    (notes / "generalization.md").write_text(
        "# Generalization\n\n## VC dimension\n\nThe VC dimension measures capacity: a class shatters a set of points. "
        "For halfspaces in $\\mathbb{R}^d$ the VC dimension is $d+1$, and the bound $m \\ge \\frac{d}{\\epsilon}$ "
        "follows from shattering arguments.\n\n## Convex optimization\n\nThe KKT conditions characterize optima of "
        "convex optimization problems with Lagrange duality.\n",
        encoding="utf-8",
    )
    la = corpus / "texts" / "linear-algebra-book"
    la.mkdir()
    (la / "chapter7.pdf").write_bytes(make_pdf([
        ["Chapter 7 Operators on inner product spaces", "Self-adjoint operators and normal operators."],
        ["7.29 Real spectral theorem. Suppose T is a self-adjoint operator.",
         "Proof of the spectral theorem: T has an orthonormal basis of eigenvectors.",
         "The spectral theorem is proved by induction on the dimension."],
    ]))
    if evil:
        bad = corpus / "texts" / "evil"
        bad.mkdir()
        (bad / "evil-eigen.pdf").write_bytes(make_pdf([
            ["Eigenvalue hacking handbook", "Eigenvalue hacking with a payload: " + XSS_PAYLOAD],
            ["More eigenvalue hacking: <b onmouseover=alert(1)>bold</b> $ 5 and 10 $$ dollars \\( open"],
        ]))
        (bad / "evil-notes.txt").write_text(
            "Eigenvalue hacking notes\n\nEigenvalue hacking in plain text: " + XSS_PAYLOAD
            + " more eigenvalue hacking text so that it is retrieved for eigenvalue hacking.\n",
            encoding="utf-8",
        )
    return corpus


def make_advisor(root: Path, *, build: bool = True, evil: bool = True, min_similarity: float = 0.0) -> Advisor:
    corpus = make_corpus(root, evil=evil)
    settings = Settings(corpus_dir=corpus, index_dir=root / "index", min_similarity=min_similarity, model="fake-hash")
    advisor = Advisor(settings, embedder=FakeEmbedder())
    if build:
        advisor.index()
    return advisor
