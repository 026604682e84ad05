"""The learned order of the best-scored records (search/learned.py, bench/train_ranker.py)."""

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from advisor.errors import UserInputError
from advisor.search.learned import FEATURES, MODEL_PATH, LearnedOrder, features, load_order
from advisor.search.signals import Signals
from advisor.types import Resource, ResourceMatch

ROOT = Path(__file__).resolve().parent.parent


def _train_ranker():
    spec = importlib.util.spec_from_file_location("train_ranker", ROOT / "bench" / "train_ranker.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _record(rid: str, **kw) -> Resource:
    return Resource(rid, f"Book {rid}", ["A. Author"], kind=kw.pop("kind", "book"), level=kw.pop("level", "intro"),
                    math_depth="moderate", access="free", topics=["linear-algebra"], **kw)


def _signals(values: dict[str, dict[str, float]]) -> Signals:
    return Signals(values=values)


def _matches(sig: Signals, records: list[Resource]) -> list[ResourceMatch]:
    ms = [ResourceMatch(resource=r, score=sig.score(r.id)) for r in records]
    return sorted(ms, key=lambda m: -m.score)


def test_features_describe_the_record_and_its_signals_never_its_id():
    a, b = _record("aaa"), _record("zzz")
    sig = _signals({"fields": {"aaa": 0.5, "zzz": 0.5}, "dense": {"aaa": 0.8, "zzz": 0.8}})
    rows = features(sig, _matches(sig, [a, b]))
    assert rows.shape == (2, len(FEATURES))
    position = FEATURES.index("position")
    same = [i for i in range(len(FEATURES)) if i != position]
    assert np.array_equal(rows[0, same], rows[1, same], equal_nan=True)  # two records alike but for the id: alike but for position
    c = _record("ccc", level="advanced")
    rows = features(sig, _matches(sig, [a, c]))
    assert rows[:, FEATURES.index("level")].tolist() != [0, 0]


def test_a_bare_record_says_nothing_of_its_level_depth_or_access():
    bare = Resource("mine", "My notes", kind="lecture-notes")
    sig = _signals({"dense": {"mine": 1.0}})
    row = features(sig, _matches(sig, [bare]))[0]
    for name in ("level", "depth", "free"):
        assert np.isnan(row[FEATURES.index(name)])
    assert row[FEATURES.index("kind_lecture-notes")] == 1.0


def test_the_shipped_model_loads_with_the_features_the_code_computes():
    order = load_order("learned")
    assert isinstance(order, LearnedOrder)
    assert tuple(order.booster.feature_name()) == FEATURES
    assert load_order("weighted") is None


def test_a_missing_or_stale_model_is_a_one_line_error_naming_the_file(tmp_path):
    missing = tmp_path / "nowhere.txt"
    with pytest.raises(UserInputError) as info:
        LearnedOrder(missing)
    assert str(missing) in str(info.value) and "\n" not in str(info.value)
    import lightgbm

    other = tmp_path / "other.txt"
    data = lightgbm.Dataset(np.random.default_rng(0).random((40, 3)), np.tile([1, 0, 0, 0], 10), group=[4] * 10,
                            feature_name=["a", "b", "c"])
    lightgbm.train({"objective": "lambdarank", "verbose": -1, "min_data_in_leaf": 1}, data, 5).save_model(str(other))
    with pytest.raises(UserInputError, match="trained on other features"):
        LearnedOrder(other)


def test_a_trained_order_puts_first_what_the_training_questions_put_first(tmp_path, monkeypatch):
    """Questions where the record the question names is gold though the weighted order put another first: the
    trained model learns to lift the named one, and the order it gives a new question says so."""
    tr = _train_ranker()
    monkeypatch.setitem(tr.PARAMS, "min_data_in_leaf", 5)
    rng = np.random.default_rng(0)
    records = [_record(f"r{i}") for i in range(6)]
    rows = []
    for _ in range(60):
        named = int(rng.integers(1, 6))  # never first in the weighted order
        values = {"fields": {r.id: float(1.0 - 0.1 * i) for i, r in enumerate(records)},
                  "named": {records[named].id: 1.0}, "dense": {r.id: float(rng.random()) for r in records}}
        sig = _signals(values)
        head = sorted(records, key=lambda r: -values["fields"][r.id])  # as the weighted order would be
        ms = [ResourceMatch(resource=r, score=1.0) for r in head]
        rows.append({"x": features(sig, ms), "gold": np.array([r.id == records[named].id for r in head])})
    path = tmp_path / "model.txt"
    tr.fit(rows).save_model(str(path))
    order = LearnedOrder(path)
    values = {"fields": {r.id: float(1.0 - 0.1 * i) for i, r in enumerate(records)}, "named": {"r4": 1.0}}
    ms = [ResourceMatch(resource=r, score=1.0) for r in records]
    ranked = order.order(_signals(values), ms)
    assert ranked[0].resource.id == "r4"
    assert sorted(m.resource.id for m in ranked) == [r.id for r in records]
    assert [m.score for m in ranked] == sorted((m.score for m in ranked), reverse=True)


def test_records_below_the_head_keep_their_order_under_it(monkeypatch):
    import advisor.search.learned as learned

    monkeypatch.setattr(learned, "HEAD", 3)
    records = [_record(f"r{i}") for i in range(6)]
    values = {"fields": {r.id: float(1.0 - 0.1 * i) for i, r in enumerate(records)}}
    ms = [ResourceMatch(resource=r, score=1.0) for r in records]
    ranked = load_order("learned").order(_signals(values), ms)
    assert [m.resource.id for m in ranked[3:]] == ["r3", "r4", "r5"]
    assert min(m.score for m in ranked[:3]) > max(m.score for m in ranked[3:])
    assert MODEL_PATH.exists()


def test_what_the_question_asks_is_a_feature_of_every_record_and_the_level_gap_is_per_record():
    from advisor.search.intent import Intent
    from advisor.search.learned import asked_features

    asked = asked_features(Intent(wants_prerequisites=True), {"level": ("intro",)}, [], True, False)
    assert asked["before"] and asked["lacks"] and not asked["knows"] and asked["level_asked"] == 0
    assert np.isnan(asked_features(Intent(), {}, [], False, False)["level_asked"])
    gentle, hard = _record("gentle", level="intro"), _record("hard", level="advanced")
    sig = _signals({"dense": {"gentle": 0.5, "hard": 0.9}})
    sig.asked = asked
    rows = features(sig, _matches(sig, [gentle, hard]))
    assert rows[:, FEATURES.index("asked_before")].tolist() == [1.0, 1.0]
    by_id = {m.resource.id: row for m, row in zip(_matches(sig, [gentle, hard]), rows)}
    assert by_id["gentle"][FEATURES.index("level_gap")] == 0 and by_id["hard"][FEATURES.index("level_gap")] == 2


def test_without_lightgbm_the_learned_order_says_what_to_install(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "lightgbm", None)  # import lightgbm then raises ImportError
    with pytest.raises(UserInputError, match="needs the lightgbm package") as info:
        LearnedOrder(MODEL_PATH)
    assert "\n" not in str(info.value)


def test_training_rows_are_the_head_each_question_was_answered_from(advisor):
    """bench/train_ranker.collect asks as the evaluation asks and records the head with its gold; the advisor's
    own order is back afterwards."""
    from advisor.search.evaluate import Question

    tr = _train_ranker()
    kept = advisor.retriever.ranker.learned
    questions = [("tiny", Question("t-1", "which notes prove the VC bound?", gold_ids=["learning-notes"], type="named")),
                 ("tiny", Question("t-2", "a book on KKT conditions and duality", gold_ids=["convex-book"])),
                 ("tiny", Question("t-3", "no gold here", gold_ids=None))]
    rows = tr.collect(advisor, questions)
    assert [r["id"] for r in rows] == ["t-1", "t-2"]
    for r in rows:
        assert r["x"].shape == (len(r["gold"]), len(FEATURES)) and r["gold"].sum() == 1
    assert rows[0]["type"] == "named" and rows[1]["type"] == "untyped"
    assert advisor.retriever.ranker.learned is kept
