import json

import pytest

from advisor import cli
from advisor.search.evaluate import path_matches, summarize


def test_gold_file_matches_on_a_path_separator_boundary():
    assert path_matches("texts/ladr4e/LADR4e.pdf", "ladr4e/LADR4e.pdf")
    assert path_matches("texts/ladr4e/LADR4e.pdf", "texts/ladr4e/LADR4e.pdf")
    assert not path_matches("texts/xladr4e/LADR4e.pdf", "ladr4e/LADR4e.pdf")
    assert not path_matches("texts/ladr4e/LADR4e.pdf", "4e.pdf")


def test_metrics_from_ranks():
    s = summarize([1, 3, None, 12], (1, 5))
    assert s == {"n": 4, "hit@1": 0.25, "hit@5": 0.5, "mrr@10": round((1 + 1 / 3) / 4, 4)}


def run(capsys, *args):
    code = cli.main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def cli_env(advisor, settings, monkeypatch):
    monkeypatch.setenv("ADVISOR_MODEL", "fake")
    monkeypatch.setenv("ADVISOR_CORPUS_DIR", str(settings.corpus_dir))
    monkeypatch.setenv("ADVISOR_OVERLAP_TOKENS", "8")
    return ["--index-dir", str(settings.index_dir)]


def test_eval_contract_json(cli_env, tmp_path, capsys):
    qfile = tmp_path / "q.jsonl"
    qfile.write_text("\n".join(json.dumps(q) for q in [
        {"id": "a", "question": "KKT conditions complementary slackness", "gold": [{"file": "opt/lecture.pdf", "pages": [2, 2]}]},
        {"id": "b", "question": "largest set that can be shattered", "gold": [{"file": "notes.pdf", "pages": [2, 3]}]},
        {"id": "c", "question": "posterior mode estimation", "gold": [{"file": "nothing/here.pdf", "pages": [1, 1]}]},
        {"id": "d", "question": "book about duality and KKT", "gold_titles": ["convex optimization"]},
    ]) + "\n")
    code, out, _ = run(capsys, "eval", str(qfile), "--json", *cli_env)
    assert code == 0
    result = json.loads(out)
    assert set(result) == {"passages", "resources", "resources_by_type", "questions"}
    assert set(result["passages"]) == {"n", "hit@1", "hit@5", "mrr@10"}
    assert set(result["resources"]) == {"n", "hit@1", "hit@3", "mrr@10"}
    assert result["passages"]["n"] == 3 and result["resources"]["n"] == 1
    ranks = {q["id"]: q["rank"] for q in result["questions"]}
    assert ranks["a"] == 1 and ranks["c"] is None and ranks["d"] == 1
    assert result["passages"]["hit@5"] == pytest.approx(2 / 3, abs=1e-3)


def test_search_and_ask_json(cli_env, capsys):
    code, out, _ = run(capsys, "search", "KKT", "--json", "-k", "2", *cli_env)
    data = json.loads(out)
    assert code == 0 and data["passages"][0]["path"] == "texts/opt/lecture.pdf"
    # the passage spans both pages of the lecture; KKT is on the second, so the link opens that one
    assert data["passages"][0]["page_start"] == 1 and data["passages"][0]["link"].endswith("lecture.pdf#page=2")
    code, out, _ = run(capsys, "ask", "which notes cover VC dimension?", "--json", *cli_env)
    data = json.loads(out)
    assert code == 0 and data["covered"] and data["resources"][0]["id"] == "learning-notes"


def test_chat_reads_follow_ups_with_the_questions_before_them(cli_env, capsys, monkeypatch):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("which notes cover VC dimension?\n\nis there a free one?\nexit\nignored\n"))
    code, out, _ = run(capsys, "chat", "--json", *cli_env)
    answers = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(answers) == 2  # the empty line is skipped, "exit" ends the conversation
    assert answers[0]["resources"][0]["id"] == "learning-notes"
    # the follow-up names no subject: it is asked about the previous question, not left uncovered
    assert answers[1]["covered"] and answers[1]["resources"][0]["id"] == "learning-notes"
    assert any(n.startswith("searched for: which notes cover VC dimension?") for n in answers[1]["notes"])


def test_info_json_lists_counts_and_resources(cli_env, capsys, monkeypatch):
    code, out, _ = run(capsys, "info", "--json", *cli_env)
    data = json.loads(out)
    assert code == 0 and data["counts"]["files"] == 3 and data["model"] == "fake-hash"
    assert any(r["id"] == "learning-notes" and r["files"] == 1 for r in data["resources"])
    assert data["resource_ranking"]["ranking"] == "learned" and data["resource_ranking"]["trees"] > 0
    code, out, _ = run(capsys, "info", *cli_env)
    assert "Resource ranking: learned (ranker.lgb.txt" in out
    assert data["store_search"] is None and "Shared store:" not in out  # the file store has no HNSW or cache
    monkeypatch.setenv("ADVISOR_RESOURCE_RANKING", "weighted")
    code, out, _ = run(capsys, "info", *cli_env)
    assert code == 0 and "Resource ranking: weighted score" in out


@pytest.mark.parametrize("args, message", [
    (["search", "   "], "empty query"),
    (["index", "/no/such/folder"], "no such file or folder"),
])
def test_user_errors_are_one_line_with_nonzero_exit(cli_env, capsys, args, message):
    code, out, err = run(capsys, *args, *cli_env)
    assert code != 0 and message in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_no_index_yet_says_run_advisor_index(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("ADVISOR_MODEL", "fake")
    code, _, err = run(capsys, "search", "anything", "--index-dir", str(tmp_path / "none"))
    assert code == 1 and "run `advisor index`" in err and err.count("\n") == 1


def test_index_command_reports_skipped_files(cli_env, capsys, settings):
    (settings.corpus_dir / "texts" / "bad.pdf").write_bytes(b"%PDF-1.4 junk")
    code, out, _ = run(capsys, "index", "--json", *cli_env)
    data = json.loads(out)
    assert code == 0
    assert any(s["file"] == "texts/bad.pdf" and "corrupt" in s["reason"] for s in data["skipped"])


def test_catalog_listing_filters(cli_env, capsys):
    code, out, _ = run(capsys, "catalog", "--free", "--json", *cli_env)
    ids = [r["id"] for r in json.loads(out)]
    assert code == 0 and ids == ["learning-notes"]
    code, out, _ = run(capsys, "catalog", "--topic", "Karush-Kuhn-Tucker", "--json", *cli_env)
    assert [r["id"] for r in json.loads(out)] == ["convex-book"]
