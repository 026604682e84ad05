import dataclasses
import json
import os
import threading

import pytest

from advisor.store.build import build
from advisor.config import Settings
from advisor.store.embeddings import FakeEmbedder
from advisor.errors import IndexBusyError, IndexCorruptError, NoIndexError
from advisor.store.index import IndexStore
from advisor.service import Advisor
from pdfgen import make_pdf

pytestmark = pytest.mark.both_stores  # each test that builds an index runs on both stores


def test_first_build_indexes_texts_and_catalog(advisor, corpus):
    info = advisor.info()
    assert info["counts"]["files"] == 3
    assert info["counts"]["catalog_records"] == 2
    paths = advisor.loaded.texts.paths()
    assert paths == {"texts/learning-notes/notes.pdf", "texts/opt/lecture.pdf", "texts/misc/bayes.md"}
    manifest = advisor.loaded.manifest
    assert manifest["model"] == "fake-hash" and manifest["dimension"] == 64
    assert manifest["chunking"] == {"max_tokens": 64, "overlap_tokens": 8}
    assert len(manifest["files"]["texts/opt/lecture.pdf"]["sha256"]) == 64
    # the record claims its folder; an unclaimed file is a resource of its own, titled from its metadata
    assert advisor.loaded.file_resource["texts/learning-notes/notes.pdf"] == "learning-notes"
    rid = advisor.loaded.file_resource["texts/opt/lecture.pdf"]
    assert advisor.loaded.resources[rid].title == "Optimization Lecture"


def test_unchanged_corpus_embeds_nothing(advisor, embedder):
    before = embedder.calls
    report = advisor.index()
    assert report.noop and embedder.calls == before


def test_changed_added_and_removed_files_are_handled_incrementally(advisor, corpus, embedder):
    (corpus / "texts" / "misc" / "bayes.md").write_text("# Bayes\n\nA changed note about conjugate priors.\n")
    make_pdf(corpus / "texts" / "new" / "svd.pdf", ["Singular value decomposition of a matrix explained."])
    os.remove(corpus / "texts" / "opt" / "lecture.pdf")
    before = embedder.calls
    report = advisor.index()
    assert report.changed == ["texts/misc/bayes.md"]
    assert report.added == ["texts/new/svd.pdf"]
    assert report.removed == ["texts/opt/lecture.pdf"]
    new_chunks, _ = advisor.loaded.texts.rows_for_paths({"texts/misc/bayes.md", "texts/new/svd.pdf"})
    assert embedder.calls - before == len(new_chunks)
    paths = advisor.loaded.texts.paths()
    assert "texts/opt/lecture.pdf" not in paths and "texts/new/svd.pdf" in paths
    assert advisor.search("conjugate priors")[0].chunk.path == "texts/misc/bayes.md"


def test_touching_a_file_without_changing_it_embeds_nothing(advisor, corpus, embedder):
    path = corpus / "texts" / "misc" / "bayes.md"
    os.utime(path, ns=(1, 1))
    before = embedder.calls
    advisor.index()
    assert embedder.calls == before


def test_different_settings_force_a_full_rebuild_with_a_reason(advisor, settings, embedder):
    bigger = FakeEmbedder(dimension=64, max_tokens=40)
    adv = Advisor(Settings(**{**settings.__dict__, "overlap_tokens": 4}), embedder=bigger)
    report = adv.index()
    assert "different settings" in report.full_rebuild_reason and "overlap_tokens" in report.full_rebuild_reason
    assert bigger.calls > 0 and report.chunks_embedded == bigger.calls


def test_bad_files_are_skipped_with_reasons_and_the_rest_indexed(settings, embedder, corpus):
    (corpus / "texts" / "bad").mkdir()
    (corpus / "texts" / "bad" / "empty.pdf").write_bytes(b"")
    (corpus / "texts" / "bad" / "broken.pdf").write_bytes(b"%PDF-1.4\ngarbage")
    (corpus / "texts" / "bad" / "slides.pptx").write_bytes(b"PK")
    report = Advisor(settings, embedder=embedder).index()
    reasons = dict(report.skipped)
    assert "empty file" in reasons["texts/bad/empty.pdf"]
    assert "corrupt" in reasons["texts/bad/broken.pdf"]
    assert "unsupported" in reasons["texts/bad/slides.pptx"]
    assert report.chunks_total > 0


def test_symlink_out_of_the_corpus_is_skipped(settings, embedder, corpus, tmp_path):
    outside = tmp_path / "secret.md"
    outside.write_text("# Secret\n\nprivate text")
    os.symlink(outside, corpus / "texts" / "link.md")
    report = Advisor(settings, embedder=embedder).index()
    assert "outside" in dict(report.skipped)["texts/link.md"]


def test_failed_build_leaves_previous_index_loadable(advisor, corpus, monkeypatch, settings, embedder, store_kind):
    old_version = advisor.loaded.version
    (corpus / "texts" / "misc" / "bayes.md").write_text("# Changed\n\nnew words")

    def boom(*a, **k):
        raise RuntimeError("disk full")

    # fails in the middle of writing the new version (the file store's save, the database's term postings)
    monkeypatch.setattr("advisor.store.hybrid.HybridIndex.save", boom)
    monkeypatch.setattr("advisor.store.postgres.build_bm25", boom)
    with pytest.raises(RuntimeError):
        Advisor(settings, embedder=embedder).index()
    again = Advisor(settings, embedder=embedder)
    assert again.load().version == old_version
    assert again.search("posterior")  # still answering
    if store_kind == "file":
        assert not [p for p in settings.index_dir.iterdir() if p.name.startswith(".tmp-")]
    again.close()


def test_concurrent_builds_are_serialized_by_a_lock(advisor, settings):
    store = advisor.store
    entered = threading.Event()
    release = threading.Event()

    def hold():
        with store.lock():
            entered.set()
            release.wait(5)

    t = threading.Thread(target=hold)
    t.start()
    entered.wait(5)
    try:
        with pytest.raises(IndexBusyError, match="already building"):
            with Advisor(settings).store.lock():
                pass
    finally:
        release.set()
        t.join()


@pytest.mark.file_store_only
def test_no_index_and_damaged_index_are_detected(settings, advisor):
    with pytest.raises(NoIndexError, match="advisor index"):
        IndexStore(settings.index_dir.parent / "nowhere").load()
    current = IndexStore(settings.index_dir).current_dir()
    vectors = current / "texts" / "vectors.npy"
    vectors.write_bytes(vectors.read_bytes()[:100])
    with pytest.raises(IndexCorruptError, match="rebuild"):
        IndexStore(settings.index_dir).load()


@pytest.mark.file_store_only
def test_edited_manifest_is_detected(settings, advisor):
    current = IndexStore(settings.index_dir).current_dir()
    manifest = json.loads((current / "manifest.json").read_text())
    manifest["counts"]["chunks"] += 5
    (current / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(IndexCorruptError, match="manifest"):
        IndexStore(settings.index_dir).load()


@pytest.mark.file_store_only
def test_damaged_index_is_rebuilt_not_trusted(settings, advisor, embedder):
    current = IndexStore(settings.index_dir).current_dir()
    (current / "texts" / "chunks.jsonl").write_text("{not json")
    report = build(settings, embedder)
    assert "unusable" in report.full_rebuild_reason
    assert Advisor(settings, embedder=embedder).search("shattering")


@pytest.mark.file_store_only
def test_old_versions_are_garbage_collected(advisor, corpus, settings):
    (corpus / "texts" / "misc" / "bayes.md").write_text("# Changed\n\nnew words here")
    advisor.index()
    versions = [p for p in settings.index_dir.iterdir() if p.name.startswith("v-")]
    assert len(versions) == 1 and versions[0] == IndexStore(settings.index_dir).current_dir()


@pytest.mark.file_store_only
def test_garbage_collection_spares_folders_the_index_did_not_write(advisor, corpus, settings):
    old_version = IndexStore(settings.index_dir).current_dir()
    photos = settings.index_dir / "v-photos"  # someone's folder: no manifest at all
    (photos / "2019").mkdir(parents=True)
    (photos / "2019" / "beach.jpg").write_bytes(b"\xff\xd8 not really a jpeg")
    garbage = settings.index_dir / "v-garbage"  # a manifest, but not one of ours
    garbage.mkdir()
    (garbage / "manifest.json").write_text("{not json")
    foreign = settings.index_dir / "v-foreign"  # valid JSON, but no fingerprint
    foreign.mkdir()
    (foreign / "manifest.json").write_text(json.dumps({"album": "holidays"}))
    (corpus / "texts" / "misc" / "bayes.md").write_text("# Changed\n\nnew words here")
    advisor.index()
    assert (photos / "2019" / "beach.jpg").read_bytes() == b"\xff\xd8 not really a jpeg"
    assert (garbage / "manifest.json").read_text() == "{not json"
    assert json.loads((foreign / "manifest.json").read_text()) == {"album": "holidays"}
    # the version this index wrote before is still collected
    assert not old_version.exists()
    assert advisor.loaded.directory == IndexStore(settings.index_dir).current_dir() != old_version


def test_a_serving_advisor_picks_up_a_build_made_by_another_process(advisor, corpus, settings, embedder):
    other = Advisor(settings, embedder=embedder)
    (corpus / "texts" / "misc" / "svd.md").write_text("# SVD\n\nThe singular value decomposition factors any matrix.\n")
    other.index()
    hits = advisor.search("singular value decomposition factors", k=1)
    assert hits[0].chunk.path == "texts/misc/svd.md"


def test_approximate_index_above_the_threshold_round_trips(tmp_path, monkeypatch):
    import numpy as np

    from advisor.store import hybrid as index_mod
    from advisor.errors import IndexCorruptError
    from advisor.types import Chunk

    monkeypatch.setattr(index_mod, "APPROX_THRESHOLD", 500)
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(3000, 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    chunks = [Chunk(f"c{i}", "a.md", f"text number {i} about topic {i % 7}", 1, 1) for i in range(3000)]
    built = index_mod.HybridIndex(chunks, vectors)
    assert type(built.dense).__name__ == "IndexIVFFlat"
    built.save(tmp_path / "v")
    loaded = index_mod.HybridIndex.load(tmp_path / "v", 16)
    ids, _ = loaded.dense_search(vectors[42], 10)
    assert 42 in ids.tolist()  # a stored vector finds itself
    exact = np.argsort(-(vectors @ vectors[7]))[:10]
    got, _ = loaded.dense_search(vectors[7], 10)
    assert len(set(exact.tolist()) & set(got.tolist())) >= 8
    np.save(tmp_path / "v" / "vectors.npy", vectors[:2999])
    with pytest.raises(IndexCorruptError):
        index_mod.HybridIndex.load(tmp_path / "v", 16)


@pytest.mark.file_store_only
def test_keyword_index_from_token_ids_scores_like_one_from_token_strings(advisor):
    import bm25s
    import numpy as np

    from advisor.ingest.chunking import embedding_text
    from advisor.store.hybrid import build_bm25
    from advisor.store.keywords import keyword_tokens

    chunks = advisor.loaded.texts.chunks
    by_ids = build_bm25(chunks)
    by_strings = bm25s.BM25()
    by_strings.index([keyword_tokens(embedding_text(c)) or [""] for c in chunks], show_progress=False)
    for query in ("KKT conditions", "VC dimension shattered", "posterior prior likelihood"):
        tokens = keyword_tokens(query)
        a = by_strings.get_scores_from_ids([by_strings.vocab_dict[t] for t in tokens if t in by_strings.vocab_dict])
        b = by_ids.get_scores_from_ids([by_ids.vocab_dict[t] for t in tokens if t in by_ids.vocab_dict])
        assert np.max(a) > 0 and np.allclose(a, b)


@pytest.mark.file_store_only
def test_index_from_an_older_keyword_analysis_is_not_mixed_with_the_current_one(advisor, settings, embedder, monkeypatch):
    import advisor.store.index as index_mod
    from advisor.store.build import dry_run
    from advisor.store.keywords import KEYWORDS_VERSION

    store = IndexStore(settings.index_dir)
    manifest_path = store.current_dir() / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    assert manifest["keywords_version"] == KEYWORDS_VERSION
    manifest["keywords_version"] = KEYWORDS_VERSION - 1
    manifest_path.write_text(json.dumps(manifest))
    # the saved keyword index is unreadable garbage to this version: loading must rebuild, not read it
    for path in (store.current_dir() / "texts" / "bm25").iterdir():
        path.write_bytes(b"old analysis")
    assert dry_run(settings, manifest)
    loaded = store.load()
    assert loaded.texts.bm25.vocab_dict and loaded.texts.bm25_scores(["kkt"]).max() > 0

    before = embedder.calls
    report = advisor.index()
    assert not report.noop and embedder.calls == before  # vectors reused, keyword index rewritten
    assert any("keyword" in note for note in report.notes)
    assert store.read_manifest()["keywords_version"] == KEYWORDS_VERSION
    assert advisor.index().noop
    assert advisor.search("KKT conditions", mode="bm25")[0].chunk.path == "texts/opt/lecture.pdf"


def test_index_paths_add_to_the_roots_and_removal_is_explicit(advisor, corpus, tmp_path):
    extra = tmp_path / "extra"
    make_pdf(extra / "one.pdf", ["One extra page about eigenvalues and eigenvectors."])
    before = set(advisor.info()["resources"][i]["id"] for i in range(len(advisor.info()["resources"])))
    report = advisor.index([extra / "one.pdf"])
    info = advisor.info()
    assert len(info["roots"]) == 2  # the corpus stays: uploads into corpus/ keep being indexed
    assert any(k.endswith("one.pdf") for k in advisor.loaded.manifest["files"])
    assert any(k.startswith("texts/") for k in advisor.loaded.manifest["files"])
    assert report.notes == []
    report = advisor.index(remove=[extra / "one.pdf"])
    assert any("no longer indexed" in n for n in report.notes)
    assert not any(k.endswith("one.pdf") for k in advisor.loaded.manifest["files"])
    assert before <= {r["id"] for r in advisor.info()["resources"]}
    report = advisor.index([extra], only=True)
    assert any("no longer indexed (--only)" in n and str(corpus) in n for n in report.notes)
    assert all(not k.startswith("texts/") for k, m in advisor.loaded.manifest["files"].items()
               if m.get("status") == "indexed")
    with pytest.raises(Exception, match="not an indexed folder"):
        advisor.index(remove=[tmp_path / "never-indexed"])


def test_a_record_change_outside_its_embedded_text_still_reaches_the_index(advisor, corpus):
    path = corpus / "catalog" / "convex-book.md"
    path.write_text(path.read_text().replace("title: \"Convex Optimization Book\"",
                                             "title: \"Convex Optimization Book\"\naliases: [\"CVXBOOK\"]"))
    assert advisor.is_stale()
    report = advisor.index()
    assert not report.noop and report.chunks_embedded == 0  # nothing to embed again, but a new version
    assert advisor.loaded.resources["convex-book"].aliases == ["CVXBOOK"]
    assert advisor.ask("is CVXBOOK any good?").resources[0].resource.id == "convex-book"


def test_the_topic_vocabulary_travels_with_the_index(advisor, corpus, settings, embedder, tmp_path):
    # a topic alias changed is a new version, though no text is embedded again
    topics = corpus / "topics.yaml"
    topics.write_text(topics.read_text().replace('aliases: [KKT, "Karush-Kuhn-Tucker"]',
                                                 'aliases: [KKT, "Karush-Kuhn-Tucker", "complementary slackness"]'))
    assert advisor.is_stale()
    report = advisor.index()
    assert not report.noop and report.chunks_embedded == 0
    assert "complementary slackness" in advisor.topics["kkt-conditions"].aliases
    # an app process without the corpus beside it (a shared store, another folder) reads questions with it too
    elsewhere = Advisor(dataclasses.replace(settings, corpus_dir=tmp_path / "nowhere"), embedder=embedder)
    try:
        assert elsewhere.loaded and set(elsewhere.topics) == set(advisor.topics)
        assert elsewhere.topics["kkt-conditions"].aliases == advisor.topics["kkt-conditions"].aliases
        asked = elsewhere.ask("where are KKT conditions proved?")
        assert asked.resources[0].resource.id == "convex-book"
    finally:
        elsewhere.close()


def test_records_cut_another_way_are_embedded_again_and_the_texts_are_not(advisor, monkeypatch):
    import advisor.store.build as build_module

    records = len(advisor.loaded.catalog.chunks)
    assert not advisor.is_stale()
    monkeypatch.setattr(build_module, "CATALOG_LAYOUT", "records cut some other way")
    assert advisor.is_stale()  # an index whose records were cut another way is out of date
    report = advisor.index()
    assert report.chunks_embedded == records and report.pages_read == 0 and report.changed == []


def test_an_upload_is_indexed_by_the_library_rebuild_even_after_only_another_root(advisor, corpus, tmp_path):
    from advisor.web.ui import Handlers

    other = tmp_path / "other"
    make_pdf(other / "x.pdf", ["Other notes about Markov chains and their stationary distributions."])
    advisor.index([other], only=True)
    note = tmp_path / "kernels.md"
    note.write_text("# Kernel notes\n\nA positive definite kernel defines a reproducing kernel Hilbert space.\n")
    added = advisor.add_resource(note, note.name, title="Kernel notes", topics=[])
    Handlers(advisor).rebuild()
    assert advisor.wait_for_build(60).error is None
    rows = {r["id"]: r for r in advisor.library()[0]}
    assert rows[added.id]["state"] == "indexed"


def test_queries_right_after_a_switch_share_one_loaded_index(advisor, settings, embedder, corpus, monkeypatch):
    import time as _time

    other = Advisor(settings, embedder=embedder)  # another process's build moves CURRENT
    (corpus / "texts" / "misc" / "new.md").write_text("# New\n\nSomething new about matrix norms.\n")
    other.index()
    loads = []
    store_type = type(advisor.store)
    real_load = store_type.load

    def counted(self):
        loads.append(1)
        _time.sleep(0.2)  # a slow load: every waiting query would start its own without the lock
        return real_load(self)

    monkeypatch.setattr(store_type, "load", counted)
    threads = [threading.Thread(target=lambda: advisor.search("matrix norms")) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert len(loads) == 1
