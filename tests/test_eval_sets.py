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


@pytest.mark.parametrize("name", ["passages.jsonl", "heldout.jsonl"])
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
    dev = read_questions(EVAL / "passages.jsonl")
    held = read_questions(EVAL / "heldout.jsonl")
    assert not {q.id for q in dev} & {q.id for q in held}
    assert not {q.question for q in dev} & {q.question for q in held}
    intents = {json.loads(line)["intent"] for line in (EVAL / "heldout.jsonl").read_text().splitlines() if line}
    assert {"prove", "derive", "define"} <= intents
