"""The shipped question sets are well formed: every gold file exists and every page is in it."""

import json
from functools import lru_cache
from pathlib import Path

import pytest

from advisor.search.evaluate import read_questions

EVAL = Path(__file__).parent / "eval"
CORPUS = Path(__file__).resolve().parents[1] / "corpus"


@lru_cache(maxsize=None)
def _pages(path: Path) -> int:
    import pypdf

    return len(pypdf.PdfReader(str(path)).pages)


@pytest.mark.parametrize("name", ["passages.jsonl", "passages_b.jsonl", "heldout.jsonl"])
def test_passage_gold_points_at_pages_that_exist(name):
    questions = read_questions(EVAL / name)
    assert len({q.id for q in questions}) == len(questions)
    for q in questions:
        for gold in q.gold:
            path = CORPUS / gold["file"]
            first, last = gold["pages"]
            assert path.is_file(), f"{q.id}: {gold['file']} is not in corpus/"
            limit = _pages(path) if path.suffix == ".pdf" else 1
            assert 1 <= first <= last <= limit, f"{q.id}: pages {first}-{last} outside 1-{limit}"


def test_held_out_questions_are_not_development_questions():
    dev = read_questions(EVAL / "passages.jsonl") + read_questions(EVAL / "passages_b.jsonl")
    held = read_questions(EVAL / "heldout.jsonl")
    assert not {q.id for q in dev} & {q.id for q in held}
    assert not {q.question for q in dev} & {q.question for q in held}
    intents = {json.loads(line)["intent"] for line in (EVAL / "heldout.jsonl").read_text().splitlines() if line}
    assert {"prove", "derive", "define"} <= intents


RESOURCE_SETS = sorted(p.name for p in [*EVAL.glob("resources*.jsonl"), *EVAL.glob("conversations*.jsonl")])


@pytest.mark.parametrize("name", RESOURCE_SETS)
def test_resource_gold_names_catalog_records(name):
    from advisor.library.catalog import load_catalog

    resources = load_catalog(CORPUS).resources
    titles = [r.title for r in resources.values()]
    questions = read_questions(EVAL / name)
    assert questions and len({q.id for q in questions}) == len(questions)
    for q in questions:
        assert q.type, f"{q.id}: no type"
        assert bool(q.history) == name.startswith("conversations"), f"{q.id}: a conversation has earlier messages"
        for rid in q.gold_ids or []:
            assert rid in resources, f"{q.id}: gold id {rid} is not a catalog record"
        for t in q.gold_titles or []:
            assert any(t.lower() in title.lower() for title in titles), f"{q.id}: no catalog title contains {t!r}"


def test_resource_gold_by_id_is_exact_and_by_title_is_a_substring():
    from advisor.search.evaluate import Question

    by_id = Question("a", "q", gold_titles=["Mathematics for Machine Learning"], gold_ids=["mml-book"])
    assert by_id.resource_gold("mml-book", "Mathematics for Machine Learning")
    assert not by_id.resource_gold("other", "Mathematics for Machine Learning (course notes)")
    by_title = Question("b", "q", gold_titles=["mathematics for machine learning"])
    assert by_title.resource_gold("other", "Mathematics for Machine Learning (course notes)")
    assert not by_title.resource_gold("x", "Pattern Recognition")


def test_resource_sets_do_not_share_questions():
    # a conversation is its whole exchange: "what should I read right after it?" after other turns is another item
    seen: dict[tuple, str] = {}
    for name in RESOURCE_SETS:
        for q in read_questions(EVAL / name):
            key = (*(q.history or ()), q.question)
            assert key not in seen, f"{name} {q.id} repeats an item of {seen.get(key)}"  # ids only: held-out unread
            seen[key] = name
