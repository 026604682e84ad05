"""The loopback load test (bench/load_test.py): its helpers, and a smaller run against the real app process."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _load_bench():
    spec = importlib.util.spec_from_file_location("advisor_load_test", ROOT / "bench" / "load_test.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


lt = _load_bench()


def test_each_session_asks_a_fixed_plan_ending_with_the_new_files_question():
    plans = [lt.session_questions(s, 4) for s in range(50)]
    assert all(len(p) == 4 and p[-1] == lt.PROBE for p in plans)
    assert sum(p[1] == lt.FOLLOW_UP for p in plans) == 17  # every third session asks a follow-up
    assert lt.session_questions(7, 1) == [lt.PROBE]
    assert len({q for p in plans for q in p}) > 10  # not one question over and over


def test_the_corpus_copy_has_the_new_files_record_but_not_its_text(tmp_path):
    corpus = lt.make_corpus(tmp_path / "corpus")
    assert (corpus / "topics.yaml").is_file()
    assert len(list((corpus / "catalog").glob("*.md"))) == len(lt.CATALOG_IDS)
    assert (corpus / "catalog" / f"{lt.NEW_RESOURCE}.md").is_file()
    assert all((corpus / "texts" / rel).is_file() for rel in lt.TEXTS)
    assert not (corpus / "texts" / lt.NEW_TEXT).exists()
    assert lt.add_new_file(corpus) == corpus / lt.NEW_KEY


def _chat(question, reply, turn=0):
    earlier = [{"role": "user", "content": "q"}, {"role": "assistant", "content": "a"}] * turn
    return (earlier + [{"role": "user", "content": [{"type": "text", "text": question}]},
                       {"role": "assistant", "content": [{"type": "text", "text": reply}]}], "")


def test_replies_are_classified():
    q = "Where is Bayes' rule <proved>?"
    escaped = "Where is Bayes' rule &lt;proved&gt;?"
    good = "#### Recommended resources\n\n<div>…</div>"
    assert lt.check_reply(_chat(escaped, good), q, 0) == ("answered", "")
    assert lt.check_reply(_chat(escaped, good, turn=2), q, 2) == ("answered", "")
    assert lt.check_reply(_chat(escaped, good, turn=1), q, 2)[1].startswith("conversation has 4 messages")
    assert lt.check_reply(_chat("another question", good), q, 0) == ("failed", "reply to another question")
    assert lt.check_reply(_chat(escaped, "**Something went wrong** (KeyError)."), q, 0) == ("failed", "error reply")
    assert lt.check_reply(_chat(escaped, "**The index is being built** — 2 of 3 files"), q, 0)[1] == "index being built"
    assert lt.check_reply(_chat(escaped, "_Searching the library…_"), q, 0) == ("failed", "placeholder only")
    assert lt.check_reply(_chat(escaped, "   "), q, 0) == ("failed", "empty reply")
    assert lt.check_reply(_chat(escaped, "Some other answer"), q, 0) == ("answered", "unrecognised reply format")
    assert lt.check_reply(None, q, 0)[0] == "failed"


def test_percentiles():
    assert lt.percentile([], 50) is None
    assert lt.percentile([2.0], 95) == 2.0
    values = [float(i) for i in range(1, 101)]
    assert lt.percentile(values, 50) == pytest.approx(50.5)
    assert lt.percentile(values, 95) == pytest.approx(95.05)


def test_summary_counts_failures_and_the_rebuild_window():
    R = lt.Request
    reqs = [R(0, 0, "a", 0.0, 1.0, "answered"), R(0, 1, lt.PROBE, 1.0, 3.0, "answered", cites_new=False),
            R(1, 0, "b", 0.0, 2.5, "answered"), R(1, 1, lt.PROBE, 6.0, 7.0, "answered", cites_new=True),
            R(2, 0, "c", 0.0, None, "failed", "timed out"), R(2, 1, "d")]
    rebuild = {"triggered": True, "completed": True, "start_s": 2.0, "end_s": 5.0}
    s = lt.summarize(reqs, rebuild, 0)
    assert (s["requests_planned"], s["sent"], s["answered"], s["failed"], s["not_sent"]) == (6, 5, 4, 1, 1)
    assert s["failure_reasons"] == {"timed out": 1, "not sent": 1}
    assert s["latency_s"]["max"] == 2.5 and s["wall_seconds"] == 7.0
    assert rebuild["completed_during_run"] and rebuild["seconds"] == 3.0
    assert rebuild["answered_while_building"] == 2  # the two answers that ended inside [2, 5]
    assert (rebuild["probe_answers_after_rebuild"], rebuild["probe_answers_after_rebuild_citing_new_file"]) == (1, 1)


@pytest.mark.slow
def test_fifty_concurrent_sessions_while_rebuilding():
    """50 sessions x 2 questions against `python app.py` (fake model) on 127.0.0.1, a rebuild mid-run."""
    pytest.importorskip("gradio_client")
    rep = lt.run(sessions=50, questions=2, fake=True, request_timeout=60, deadline=150, startup_timeout=150,
                 rebuild_timeout=90, log=lambda *a, **k: None)
    assert "error" not in rep, rep.get("error", "") + "\n" + rep.get("app_log_tail", "")
    load, rebuild = rep["load"], rep["rebuild"]
    assert load["requests_planned"] == load["sent"] == load["answered"] == 100, load
    assert load["failed"] == 0 and load["not_sent"] == 0, load["failure_reasons"]
    assert load["unrecognised_replies"] == 0
    assert rebuild["triggered"] and rebuild["completed"], rebuild
    assert rebuild["answered_while_building"] > 0  # the chat kept answering from the old index meanwhile
    assert rebuild["probe_answers_after_rebuild"] == rebuild["probe_answers_after_rebuild_citing_new_file"]
    assert rep["post_run_probe"]["outcome"] == "answered" and rep["post_run_probe"]["cites_new_file"]
    assert load["latency_s"]["p50"] is not None and load["latency_s"]["p95"] >= load["latency_s"]["p50"]
    assert rep["app_exit_status"] is not None  # the app process was stopped
    assert rep["ok"]


@pytest.mark.slow
@pytest.mark.postgres
def test_two_app_processes_on_the_shared_store_answer_every_question_while_one_rebuilds():
    """30 sessions split over two `app.py` processes serving one Postgres store; the rebuild is clicked in one,
    and the other answers from the new generation afterwards without a restart."""
    pytest.importorskip("gradio_client")
    pytest.importorskip("pgserver", reason="pgserver (requirements-dev.txt) runs the Postgres tests")
    rep = lt.run(sessions=30, questions=2, fake=True, request_timeout=60, deadline=150, startup_timeout=150,
                 rebuild_timeout=90, log=lambda *a, **k: None, shared=True)
    assert "error" not in rep, rep.get("error", "") + "\n" + rep.get("app_log_tail", "")
    load, rebuild = rep["load"], rep["rebuild"]
    assert load["answered"] == load["requests_planned"] == 60 and load["failed"] == 0, load["failure_reasons"]
    assert rebuild["triggered"] and rebuild["completed"], rebuild
    assert len(rebuild["other_processes_saw_it_after_s"]) == 1
    probes = rep["post_run_probes"]
    assert len({p["app"] for p in probes}) == 2
    assert all(p["outcome"] == "answered" and p["cites_new_file"] for p in probes), probes
    assert len(rep["app_exit_status"]) == 2 and rep["ok"]
