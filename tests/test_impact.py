"""The shared store's keyword reader: exact best passages from impact-ordered postings, read in as few bytes as
the bound allows (store/impact.py, without a database)."""

import numpy as np
import pytest

from advisor.store.impact import ImpactReader


def _lists(rng, n, lengths, scale):
    """term -> (ids, scores) highest score first, as the shared store keeps them."""
    out = {}
    for i, (length, top) in enumerate(zip(lengths, scale)):
        ids = rng.choice(n, size=length, replace=False).astype(np.int32)
        scores = np.sort(rng.gamma(2.0, top / 4, size=length).astype(np.float32))[::-1]
        out[f"t{i}"] = (ids, scores)
    return out


def _fetcher(lists, calls):
    def fetch(terms, skip, size):
        calls.append(size)
        rows = []
        for t in terms:
            if t in lists:
                ids, scores = lists[t]
                end = None if size is None else skip[t] + size
                rows.append((t, ids[skip[t]:end].tobytes(), scores[skip[t]:end].tobytes()))
        return rows
    return fetch


def _exact(lists, counts, n):
    out = np.zeros(n, dtype=np.float32)
    for t, w in counts.items():
        if t in lists:
            out[lists[t][0]] += w * lists[t][1]
    return out


@pytest.mark.parametrize("seed", range(12))
def test_the_best_passages_are_exact_whatever_the_head_and_weights(seed):
    rng = np.random.default_rng(seed)
    n = 3000
    lists = _lists(rng, n, rng.integers(1, 2500, size=5), rng.uniform(0.2, 6.0, size=5))
    counts = {"t0": 1.0, "t1": 2.0, "t2": 0.5, "t3": 1.5, "t4": 1.0, "absent": 1.0}
    exact = _exact(lists, counts, n)
    for need in (1, 7, 60):
        for head in (1, 10, 300, 5000):
            scores = np.zeros(n, dtype=np.float32)
            ImpactReader(_fetcher(lists, []), counts, scores, need, head).run()
            best = np.argsort(-scores, kind="stable")[:need]
            assert sorted(exact[best]) == pytest.approx(sorted(np.sort(exact)[-need:]), abs=1e-4)
            assert np.all(scores <= exact + 1e-4)


def test_a_rare_strong_term_settles_after_the_heads_and_reads_no_more():
    rng = np.random.default_rng(0)
    n = 5000
    rare = (np.arange(0, 40, dtype=np.int32), np.linspace(9.0, 5.0, 40).astype(np.float32))
    common = (rng.permutation(n).astype(np.int32), np.sort(rng.uniform(0.001, 0.05, n).astype(np.float32))[::-1])
    lists, calls = {"rare": rare, "common": common}, []
    scores = np.zeros(n, dtype=np.float32)
    ImpactReader(_fetcher(lists, calls), {"rare": 1.0, "common": 1.0}, scores, 10, 100).run()
    assert calls == [100]  # one round of heads: the common term's unread postings cannot reach the tenth best
    exact = _exact(lists, {"rare": 1.0, "common": 1.0}, n)
    assert set(np.argsort(-scores)[:10]) == set(np.argsort(-exact)[:10])


def test_without_a_need_every_score_is_read_in_full():
    rng = np.random.default_rng(1)
    lists, calls = _lists(rng, 800, [500, 50], [1.0, 3.0]), []
    scores = np.zeros(800, dtype=np.float32)
    ImpactReader(_fetcher(lists, calls), {"t0": 1.0, "t1": 1.0}, scores, None, 10).run()
    assert calls == [None]
    assert np.allclose(scores, _exact(lists, {"t0": 1.0, "t1": 1.0}, 800))
