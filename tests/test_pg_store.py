"""The shared Postgres store's own guarantees: generations, kill -9, concurrent builds and readers, lost connections.

The behaviour both stores share (build, incremental update, search, filters, faults) is tested once in
test_build.py, test_retrieval.py and test_faults.py, parametrized over both stores.
"""

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from advisor.config import Settings
from advisor.errors import StoreError, UserInputError
from advisor.service import Advisor

pytestmark = [pytest.mark.postgres]
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def settings(tmp_path, corpus, pg_uri) -> Settings:  # this module is about the Postgres store only
    return Settings(corpus_dir=corpus, index_dir=tmp_path / "unused", model="fake", overlap_tokens=8, store=pg_uri)


def cli(settings, *args, **env):
    full = {**os.environ, "ADVISOR_MODEL": "fake", "ADVISOR_CORPUS_DIR": str(settings.corpus_dir),
            "ADVISOR_STORE": settings.store, "ADVISOR_OVERLAP_TOKENS": str(settings.overlap_tokens),
            "PYTHONPATH": str(REPO / "src"), **env}
    return subprocess.Popen([sys.executable, "-m", "advisor", *args], env=full, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def generations(adv: Advisor) -> list[tuple[int, str]]:
    return adv.store.generations()


def tables(adv: Advisor) -> set[str]:
    rows = adv.store.db.run(lambda conn: conn.execute(
        "SELECT tablename FROM pg_tables WHERE tablename ~ '^advisor_g[0-9]+_'").fetchall())
    return {r[0] for r in rows}


@pytest.mark.parametrize("point", ["embedding", "staging", "embedding-written", "before-pointer", "after-pointer"])
def test_kill_9_mid_build_leaves_the_previous_generation_served(advisor, corpus, settings, embedder, point):
    before = advisor.loaded.version
    (corpus / "texts" / "misc" / "bayes.md").write_text("# Changed\n\nThe conjugate prior of a Bernoulli is a Beta.\n")
    proc = cli(settings, "index", "--quiet", ADVISOR_FAILPOINT=point)
    proc.communicate(timeout=120)
    assert proc.returncode == -signal.SIGKILL

    states = dict(generations(advisor))
    reader = Advisor(settings, embedder=embedder)
    served = reader.load().version
    if point == "after-pointer":  # the switch committed: the new generation serves, the old one is kept
        assert served != before and len(states) == 2
    else:
        assert served == before
        if point != "embedding":  # a half-written generation is left, never current
            assert sorted(states.values()) == ["building", "ready"]
    assert reader.search("VC dimension")
    # the next build drops the killed build's leftovers and serves the change
    again = cli(settings, "index", "--quiet")
    _, err = again.communicate(timeout=120)
    assert again.returncode == 0, err
    assert "building" not in dict(generations(advisor)).values()
    assert reader.search("conjugate prior Beta")[0].chunk.path == "texts/misc/bayes.md"
    live = {g for g, _ in generations(advisor)}
    assert {int(t.split("_")[1][1:]) for t in tables(advisor)} == live
    reader.close()


def test_old_generations_are_dropped_after_the_switch_but_the_previous_one_is_kept(advisor, corpus):
    for i in range(3):
        (corpus / "texts" / "misc" / "bayes.md").write_text(f"# Bayes {i}\n\nversion {i} of the posterior note.\n")
        advisor.index()
    gens = generations(advisor)
    assert [s for _, s in gens] == ["ready", "ready"]
    assert advisor.loaded.version == f"generation {gens[-1][0]}"
    assert len(tables(advisor)) == 2 * 3  # texts, catalog and terms of two generations


def test_two_processes_building_at_once_one_builds_the_other_is_told(advisor, corpus, settings):
    for i in range(30):
        (corpus / "texts" / "misc" / f"note{i}.md").write_text(f"# Note {i}\n\n" + "gradient descent step " * 200)
    procs = [cli(settings, "index", "--quiet") for _ in range(2)]
    results = [(p.wait(120), p.stderr.read()) for p in procs]
    codes = sorted(code for code, _ in results)
    assert codes[0] == 0  # at least one built
    for code, err in results:
        if code:
            assert code == 1 and "already building" in err and err.count("\n") == 1
    assert "building" not in dict(generations(advisor)).values()
    assert advisor.search("gradient descent step")[0].chunk.path.startswith("texts/misc/note")


def test_readers_never_fail_or_see_half_a_build_during_switches(advisor, corpus, settings, embedder):
    reader = Advisor(settings, embedder=embedder)
    baseline = [h.chunk.path for h in reader.search("KKT conditions", k=3)]
    failures, answers = [], []
    stop = threading.Event()

    def ask():
        while not stop.is_set():
            try:
                answers.append([h.chunk.path for h in reader.search("KKT conditions", k=3)])
            except Exception as exc:  # any error at all is a failed query
                failures.append(repr(exc))

    threads = [threading.Thread(target=ask) for _ in range(3)]
    for t in threads:
        t.start()
    try:
        for i in range(4):  # four switches, from "another process" (a second advisor)
            (corpus / "texts" / "misc" / f"extra{i}.md").write_text(f"# Extra {i}\n\nMatrix norms, part {i}.\n")
            Advisor(settings, embedder=embedder).index()
    finally:
        stop.set()
        for t in threads:
            t.join(30)
    assert not failures
    assert len(answers) > 10 and all(a == baseline for a in answers)
    assert reader.loaded.version == advisor.store.current_version()  # picked up without a restart
    reader.close()


def test_a_dropped_connection_is_retried_never_answered_wrong(advisor):
    baseline = [(h.chunk.path, round(h.score, 6)) for h in advisor.search("VC dimension", k=3)]

    def kill_backends():
        advisor.store.db.run(lambda conn: conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()").fetchall())

    kill_backends()  # every pooled connection but the killer's is now dead
    assert [(h.chunk.path, round(h.score, 6)) for h in advisor.search("VC dimension", k=3)] == baseline

    stop, outcomes = threading.Event(), []

    def keep_killing():
        while not stop.is_set():
            try:
                kill_backends()
            except StoreError:
                pass
            time.sleep(0.005)

    killer = threading.Thread(target=keep_killing)
    killer.start()
    try:
        for _ in range(40):
            try:
                outcomes.append([(h.chunk.path, round(h.score, 6)) for h in advisor.search("VC dimension", k=3)])
            except StoreError as exc:  # allowed: a clear one-line error, never a wrong answer
                assert "\n" not in str(exc)
                outcomes.append("error")
    finally:
        stop.set()
        killer.join(10)
    answered = [o for o in outcomes if o != "error"]
    assert answered and all(o == baseline for o in answered)


def test_an_unreachable_database_is_one_clear_line(tmp_path, corpus):
    bad = f"postgresql://advisor@/advisor?host={tmp_path}/no-such-socket-dir"
    proc = subprocess.run([sys.executable, "-m", "advisor", "info", "--store", bad], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(REPO / "src"), "ADVISOR_CORPUS_DIR": str(corpus)},
                          timeout=60)
    assert proc.returncode == 1
    assert proc.stderr.startswith("advisor: error:") and proc.stderr.count("\n") == 1
    assert "cannot" in proc.stderr and "password" not in proc.stderr.lower()


def test_a_store_setting_that_is_not_a_database_uri_is_refused():
    with pytest.raises(UserInputError, match="ADVISOR_STORE"):
        Settings(store="mysql://somewhere/db")


def test_a_laptop_index_copies_into_the_shared_store_without_embedding_again(tmp_path, corpus, pg_uri, embedder):
    laptop = Advisor(Settings(corpus_dir=corpus, index_dir=tmp_path / "index", model="fake", overlap_tokens=8),
                     embedder=embedder)
    laptop.index()
    calls = embedder.calls
    copied = laptop.copy_index(pg_uri)
    assert copied == len(laptop.loaded.texts) and embedder.calls == calls
    shared = Advisor(Settings(corpus_dir=corpus, index_dir=tmp_path / "unused", model="fake", overlap_tokens=8,
                              store=pg_uri), embedder=embedder)
    for query in ("VC dimension", "KKT conditions", "posterior"):
        assert ([(h.chunk.path, round(h.score, 5)) for h in shared.search(query, k=5)]
                == [(h.chunk.path, round(h.score, 5)) for h in laptop.search(query, k=5)])
    assert shared.index().noop  # the copy records the same files and hashes: nothing to rebuild
    assert shared.loaded.manifest["fingerprint"] == laptop.loaded.manifest["fingerprint"]
    shared.close()


def test_an_upload_in_one_app_process_is_served_by_another_after_its_rebuild(advisor, settings, embedder, tmp_path):
    other = Advisor(settings, embedder=embedder)  # a second app process on the same store and corpus
    assert not other.search("reproducing kernel Hilbert space", k=1) or \
        "kernels" not in other.search("reproducing kernel Hilbert space", k=1)[0].chunk.path
    note = tmp_path / "kernels.md"
    note.write_text("# Kernel notes\n\nA positive definite kernel defines a reproducing kernel Hilbert space.\n")
    added = advisor.add_resource(note, note.name, title="Kernel notes", topics=[])
    advisor.rebuild_in_background()
    assert advisor.wait_for_build(60).error is None
    hit = other.search("reproducing kernel Hilbert space", k=1)[0]
    assert hit.resource_id == added.id
    rows = {r["id"]: r for r in other.library()[0]}
    assert rows[added.id]["state"] == "indexed"
    other.close()


def test_a_read_only_role_serves_questions_and_a_build_with_it_is_one_clear_line(advisor, settings, embedder,
                                                                                 pg_server, corpus):
    from psycopg.conninfo import conninfo_to_dict

    parts = conninfo_to_dict(settings.store)
    name = parts["dbname"]
    pg_server.psql(f"DROP ROLE IF EXISTS reader_{name}; CREATE ROLE reader_{name} LOGIN;")
    pg_server.psql(f"\\c {name}\nGRANT SELECT ON ALL TABLES IN SCHEMA public TO reader_{name};")
    reader_uri = f"postgresql://reader_{name}@/{name}?host={parts['host']}"
    reader = Advisor(Settings(**{**settings.__dict__, "store": reader_uri}), embedder=embedder)
    assert reader.search("VC dimension")[0].chunk.path == advisor.search("VC dimension")[0].chunk.path
    (corpus / "texts" / "misc" / "new.md").write_text("# New\n\nSomething new about matrix norms.\n")
    with pytest.raises(StoreError, match="cannot write the index") as err:
        reader.index()
    assert "\n" not in str(err.value)
    assert reader.search("VC dimension")  # still served
    reader.close()
    pg_server.psql(f"\\c {name}\nREVOKE ALL ON ALL TABLES IN SCHEMA public FROM reader_{name};")


def test_keyword_scores_are_the_file_stores_read_from_impact_ordered_postings(tmp_path, corpus, pg_uri, embedder):
    laptop = Advisor(Settings(corpus_dir=corpus, index_dir=tmp_path / "index", model="fake", overlap_tokens=8),
                     embedder=embedder)
    laptop.index()
    shared = Advisor(Settings(corpus_dir=corpus, index_dir=tmp_path / "unused", model="fake", overlap_tokens=8,
                              store=pg_uri), embedder=embedder)
    shared.index()
    texts = shared.loaded.texts
    assert texts.impact_ordered
    from advisor.store.keywords import keyword_tokens

    groups = [(keyword_tokens("the dimension of a matrix"), 1.0), (keyword_tokens("dimension of a vector space"), 0.5)]
    exact = laptop.loaded.texts.keyword_scores(groups)
    assert np.count_nonzero(exact) > 1
    assert np.allclose(texts.keyword_scores(groups), exact, atol=1e-5)
    assert texts.cache.size_mb > 0  # the tiny corpus's lists all fit the default budget: read again from the app
    assert np.allclose(texts.keyword_scores(groups), exact, atol=1e-5)
    one = keyword_tokens("dimension")
    assert np.allclose(texts.bm25_scores(one), laptop.loaded.texts.bm25_scores(one), atol=1e-5)
    shared.close()


class CountingDatabase:
    def __init__(self, db):
        self.db, self.calls = db, 0

    def run(self, fn):
        self.calls += 1
        return self.db.run(fn)

    @property
    def is_open(self):
        return self.db.is_open


def test_only_the_longest_postings_that_fit_the_budget_are_kept_and_then_read_from_the_app(advisor):
    from advisor.store.pg_passages import PostingsCache

    table = advisor.loaded.texts.terms_table
    sizes = advisor.store.db.run(lambda conn: conn.execute(
        f"SELECT term, octet_length(ids) + octet_length(scores) FROM {table} "
        f"ORDER BY octet_length(ids) DESC, term").fetchall())
    assert len(sizes) > 5 and sizes[0][1] > sizes[-1][1]
    budget = sum(size for _, size in sizes[:3])
    db = CountingDatabase(advisor.store.db)
    cache = PostingsCache(db, table, budget / 2**20)
    assert cache.eligible == {term for term, _ in sizes[:3]}
    common, rare = sizes[0][0], sizes[-1][0]
    uncached = PostingsCache(advisor.store.db, table, 0).postings([common, rare, "notaword"])
    assert set(uncached) == {common, rare}

    first = cache.postings([common, rare, "notaword"])
    calls = db.calls
    again = cache.postings([common])
    assert db.calls == calls  # the common term's list came from the app
    cache.postings([rare])
    assert db.calls == calls + 1  # the rare one is read from the database each time

    def as_dict(postings):
        return dict(zip(postings[0].tolist(), postings[1].tolist()))

    for term in (common, rare):  # the same postings, a kept list in passage order
        assert as_dict(first[term]) == as_dict(uncached[term])
    assert np.all(np.diff(again[common][0]) > 0) and as_dict(again[common]) == as_dict(uncached[common])
    assert 0 < cache.size_mb * 2**20 <= budget
    assert PostingsCache(db, table, 0).eligible == frozenset()
    longest = sizes[0][1] // 8  # postings of the longest list (a 4-byte id and a 4-byte score each)
    # shorter lists are left out, whatever the budget
    assert PostingsCache(db, table, 1.0, min_postings=longest).eligible == {t for t, size in sizes if size == sizes[0][1]}
    assert PostingsCache(db, table, 1.0, min_postings=longest + 1).eligible == frozenset()


def test_the_hnsw_and_postings_cache_settings_reach_the_store(advisor, settings, embedder, monkeypatch):
    monkeypatch.setenv("ADVISOR_HNSW_EF_SEARCH", "321")
    monkeypatch.setenv("ADVISOR_POSTINGS_CACHE_MB", "0")
    tuned = Settings.from_env(corpus_dir=settings.corpus_dir, index_dir=settings.index_dir, model="fake",
                              overlap_tokens=8, store=settings.store)
    reader = Advisor(tuned, embedder=embedder)
    hits = reader.search("KKT conditions", k=3)
    texts = reader.loaded.texts
    assert (texts.ef_search, texts.cache.budget) == (321, 0)
    assert hits and [h.chunk.path for h in hits] == [h.chunk.path for h in advisor.search("KKT conditions", k=3)]
    assert texts.cache.size_mb == 0  # nothing kept with no budget
    shown = reader.info()["store_search"]
    assert shown["hnsw_ef_search"] == 321 and shown["postings_cache"]["budget_mb"] == 0
    assert shown["postings_cache"]["eligible_terms"] == 0
    assert advisor.info()["store_search"]["postings_cache"]["eligible_terms"] > 10  # the default budget fits many
    reader.close()
    shown_by_cli = cli(settings, "info", ADVISOR_HNSW_EF_SEARCH="150", ADVISOR_POSTINGS_CACHE_MB="256")
    out, _ = shown_by_cli.communicate(timeout=120)
    assert "Shared store: HNSW ef_search 150; postings cache 256 MB per app process" in out


def test_a_dense_search_started_ahead_runs_on_its_own_thread_and_gives_the_same_passages(advisor, embedder):
    texts = advisor.loaded.texts
    q = embedder.encode(["Lagrange multipliers and the KKT conditions"])[0]
    threads = []
    search = texts.dense_search

    def recording(query, k):
        threads.append(threading.current_thread().name)
        return search(query, k)

    texts.dense_search = recording
    try:
        collect = texts.dense_search_later(q, 5)
        ids, scores = collect()
    finally:
        del texts.dense_search
    assert threads and threads[0].startswith("advisor-dense")  # not the caller's thread: it overlaps the keyword side
    ids_now, scores_now = texts.dense_search(q, 5)
    assert ids.tolist() == ids_now.tolist() and np.allclose(scores, scores_now)


def test_a_loaded_generation_fills_its_postings_cache_in_the_background(advisor):
    from advisor.store.pg_passages import PostingsCache

    texts = advisor.store.load().texts  # loading starts the fill
    deadline = time.time() + 30
    while texts.cache.size_mb == 0 or set(texts.cache._lists) != texts.cache.eligible:
        assert time.time() < deadline, "the cache was not filled"
        time.sleep(0.05)
    db = CountingDatabase(advisor.store.db)
    texts.cache.db = db
    some = sorted(texts.cache.eligible)[:5]
    assert set(texts.cache.postings(some)) == set(some) and db.calls == 0  # all kept: no database read
    gone = PostingsCache(advisor.store.db, "advisor_g999_impact", 1.0)
    gone.fill()  # a dropped generation's table: the fill stops quietly, questions report the store's errors
    assert gone.size_mb == 0
    later = PostingsCache(advisor.store.db, texts.terms_table, 1.0)
    assert later.eligible
    advisor.store.db.close()
    later.fill()  # a closed store: the fill does not open the pool again
    assert not advisor.store.db.is_open and later.size_mb == 0
