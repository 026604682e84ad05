"""library.add_resource: a valid catalog record plus the file, inside the corpus, indexable at once."""

from __future__ import annotations

import os

import pytest

from advisor.library.catalog import load_catalog, parse_record, split_front_matter, validate
from advisor.config import Settings
from advisor.store.embeddings import FakeEmbedder
from advisor.library.resources import LibraryError, add_resource, resolve_topics, slugify
from advisor.service import Advisor
from test_web_support import make_corpus, make_pdf


@pytest.fixture
def corpus(tmp_path):
    return make_corpus(tmp_path, evil=False)


@pytest.fixture
def pdf(tmp_path):
    path = tmp_path / "upload" / "rnn-cheatsheet.pdf"
    path.parent.mkdir()
    path.write_bytes(make_pdf([["Recurrent neural networks cheatsheet", "An RNN keeps a hidden state; LSTM and GRU cells",
                                 "use gates. Backpropagation through time trains recurrent neural networks."]]))
    return path


def test_writes_file_and_valid_record(corpus, pdf):
    added = add_resource(corpus, pdf, title="RNN cheatsheet", authors="Afshine Amidi, Shervine Amidi",
                         url="https://example.org/rnn", topics=["Recurrent neural networks"], year="2019")
    assert added.id == "rnn-cheatsheet"
    assert added.file_key == "texts/rnn-cheatsheet/rnn-cheatsheet.pdf"
    assert (corpus / added.file_key).read_bytes() == pdf.read_bytes()
    assert added.record_path == corpus / "catalog" / "rnn-cheatsheet.md"
    catalog = load_catalog(corpus)
    assert catalog.problems == []
    assert validate(catalog) == []
    r = catalog.resources["rnn-cheatsheet"]
    assert (r.title, r.authors, r.year, r.url) == ("RNN cheatsheet", ["Afshine Amidi", "Shervine Amidi"], 2019,
                                                   "https://example.org/rnn")
    # defaults from the brief: a PDF is a book, free, intermediate, moderate maths
    assert (r.kind, r.access, r.level, r.math_depth) == ("book", "free", "intermediate", "moderate")
    assert r.topics == ["recurrent-neural-networks"]
    meta, _ = split_front_matter(added.record_path.read_text(encoding="utf-8"), "x")
    assert meta["id"] == "rnn-cheatsheet"


def test_markdown_defaults_to_lecture_notes(corpus, tmp_path):
    src = tmp_path / "kkt.md"
    src.write_text("# KKT\n\nThe KKT conditions and Lagrange duality in convex optimization.\n", encoding="utf-8")
    added = add_resource(corpus, src)
    assert added.record.kind == "lecture-notes"
    assert added.title == "Kkt"
    assert added.topics_inferred and added.record.topics == ["convex-optimization"]


def test_topic_names_aliases_and_ids_map_to_ids(corpus):
    from advisor.library.catalog import load_topics

    vocab = load_topics(corpus / "topics.yaml")
    ids, unknown = resolve_topics(["VC dimension", "shattering", "convex-optimization", "Earth mover's distance",
                                   "LSTM", "basket weaving"], vocab)
    assert ids == ["vc-dimension", "convex-optimization", "wasserstein-distance", "recurrent-neural-networks"]
    assert unknown == ["basket weaving"]
    assert resolve_topics("Spectral theorem, ML", vocab) == (["spectral-theorem", "machine-learning"], [])


def test_unknown_topic_is_refused_and_nothing_is_written(corpus, pdf):
    before = sorted(p.relative_to(corpus) for p in corpus.rglob("*"))
    with pytest.raises(LibraryError, match="unknown topic"):
        add_resource(corpus, pdf, topics=["underwater basket weaving"])
    assert sorted(p.relative_to(corpus) for p in corpus.rglob("*")) == before


@pytest.mark.parametrize("field, value, message", [
    ("url", "javascript:alert(1)", "not a well-formed http"),
    ("kind", "podcast", "kind 'podcast' is not one of"),
    ("year", "nineteen", "not a number"),
    ("level", "expert", "level 'expert'"),
])
def test_invalid_fields_are_refused(corpus, pdf, field, value, message):
    with pytest.raises(LibraryError, match=message):
        add_resource(corpus, pdf, topics=["VC dimension"], **{field: value})
    assert not (corpus / "texts" / "rnn-cheatsheet").exists()


def test_ids_are_unique_and_tricky_titles_round_trip(corpus, pdf):
    title = "Learning: theory # \"quoted\" 'single' {braces} [brackets] & more: --- yes"
    a = add_resource(corpus, pdf, title=title, topics=["VC dimension"])
    b = add_resource(corpus, pdf, title=title, topics=["VC dimension"])
    assert a.id != b.id and b.id == a.id + "-2"
    catalog = load_catalog(corpus)
    assert validate(catalog) == []
    assert catalog.resources[a.id].title == title
    meta, _ = split_front_matter(a.record_path.read_text(encoding="utf-8"), "x")
    assert meta["title"] == title


def test_traversal_in_the_file_name_stays_inside_the_corpus(corpus, pdf, tmp_path):
    added = add_resource(corpus, pdf, "../../../../outside.pdf", title="Escape attempt", topics=["ML"])
    assert added.file_path.resolve().is_relative_to(corpus.resolve())
    assert added.file_key == "texts/escape-attempt/outside.pdf"
    assert not (tmp_path / "outside.pdf").exists()


def test_title_that_slugs_to_nothing_uses_the_file_name(corpus, pdf):
    added = add_resource(corpus, pdf, title="∑∫∂", topics=["ML"])
    assert added.id == "rnn-cheatsheet"
    assert slugify("../../etc") == "etc"


def test_symlinked_texts_folder_pointing_outside_is_refused(tmp_path, pdf):
    corpus = make_corpus(tmp_path / "a", evil=False)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    for child in (corpus / "texts").iterdir():
        child.rename(outside / child.name)
    (corpus / "texts").rmdir()
    os.symlink(outside, corpus / "texts")
    with pytest.raises(LibraryError, match="outside the corpus"):
        add_resource(corpus, pdf, topics=["ML"])
    assert not any(p.name.startswith("rnn") for p in outside.iterdir())


def test_unsupported_suffix_is_refused(corpus, tmp_path):
    src = tmp_path / "tool.exe"
    src.write_bytes(b"MZ")
    with pytest.raises(LibraryError, match="unsupported file type"):
        add_resource(corpus, src)


def test_added_resource_is_indexed_under_its_record(corpus, pdf, tmp_path):
    advisor = Advisor(Settings(corpus_dir=corpus, index_dir=tmp_path / "index", min_similarity=0.0),
                      embedder=FakeEmbedder())
    advisor.index()
    added = add_resource(corpus, pdf, title="RNN cheatsheet", topics=["RNN"])
    assert advisor.is_stale()
    report = advisor.index()
    assert report.added == [added.file_key]
    info = {r["id"]: r for r in advisor.info()["resources"]}
    assert info[added.id]["files"] == 1 and info[added.id]["pages"] == 1
    answer = advisor.ask("How do recurrent neural networks with LSTM gates work?")
    assert added.id in [m.resource.id for m in answer.resources]
    assert any(h.chunk.path == added.file_key for h in answer.passages)
    assert advisor.file_path(added.file_key) == added.file_path.resolve()
    # the record parses on its own too
    parse_record(added.record_path.read_text(encoding="utf-8"), f"catalog/{added.id}.md")


def test_concurrent_uploads_of_one_title_get_distinct_ids(corpus, pdf):
    import threading

    results, errors = [], []

    def add():
        try:
            results.append(add_resource(corpus, pdf, title="Same title", topics=["ML"]).id)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=add) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(set(results)) == 6
    assert validate(load_catalog(corpus)) == []
