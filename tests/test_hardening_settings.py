"""ADVISOR_* settings are validated: one line naming the variable, never a traceback or a hang."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from advisor import cli
from advisor.config import LLMConfig, Settings
from advisor.errors import UserInputError

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    for name in list(os.environ):
        if name.startswith("ADVISOR_"):
            monkeypatch.delenv(name)


@pytest.mark.parametrize("env, message", [
    ({"ADVISOR_TOP_K": "abc"}, "ADVISOR_TOP_K=abc: must be a whole number"),
    ({"ADVISOR_TOP_K": "0"}, "ADVISOR_TOP_K=0: must be at least 1"),
    ({"ADVISOR_TOP_K": "2.5"}, "ADVISOR_TOP_K=2.5: must be a whole number"),
    ({"ADVISOR_BATCH_SIZE": "0"}, "ADVISOR_BATCH_SIZE=0: must be at least 1"),
    ({"ADVISOR_BATCH_SIZE": "-4"}, "ADVISOR_BATCH_SIZE=-4: must be at least 1"),
    ({"ADVISOR_CANDIDATES": "0"}, "ADVISOR_CANDIDATES=0: must be at least 1"),
    ({"ADVISOR_OVERLAP_TOKENS": "-1"}, "ADVISOR_OVERLAP_TOKENS=-1: must be at least 0"),
    ({"ADVISOR_CHUNK_TOKENS": "64", "ADVISOR_OVERLAP_TOKENS": "64"},
     "ADVISOR_OVERLAP_TOKENS=64: must be less than ADVISOR_CHUNK_TOKENS (64)"),
    ({"ADVISOR_CHUNK_TOKENS": "32"}, "ADVISOR_OVERLAP_TOKENS=48: must be less than ADVISOR_CHUNK_TOKENS (32)"),
    ({"ADVISOR_DENSE_WEIGHT": "1.5"}, "ADVISOR_DENSE_WEIGHT=1.5: must be between 0 and 1"),
    ({"ADVISOR_DENSE_WEIGHT": "-0.1"}, "ADVISOR_DENSE_WEIGHT=-0.1: must be between 0 and 1"),
    ({"ADVISOR_MIN_SIMILARITY": "2"}, "ADVISOR_MIN_SIMILARITY=2: must be between 0 and 1"),
    ({"ADVISOR_MIN_SIMILARITY": "nan"}, "ADVISOR_MIN_SIMILARITY=nan: must be a number"),
    ({"ADVISOR_MIN_SIMILARITY": "high"}, "ADVISOR_MIN_SIMILARITY=high: must be a number"),
    ({"ADVISOR_FUSION": "borda"}, "ADVISOR_FUSION=borda: must be one of convex, rrf"),
    ({"ADVISOR_RESOURCE_RANKING": "random"}, "ADVISOR_RESOURCE_RANKING=random: must be one of learned, weighted"),
    ({"ADVISOR_POSTINGS_CACHE_MB": "-1"}, "ADVISOR_POSTINGS_CACHE_MB=-1: must be a number of megabytes, 0 or more"),
    ({"ADVISOR_POSTINGS_CACHE_MB": "inf"}, "ADVISOR_POSTINGS_CACHE_MB=inf: must be a number"),
    ({"ADVISOR_HNSW_EF_SEARCH": "0"}, "ADVISOR_HNSW_EF_SEARCH=0: must be between 1 and 1000"),
    ({"ADVISOR_HNSW_EF_SEARCH": "5000"}, "ADVISOR_HNSW_EF_SEARCH=5000: must be between 1 and 1000"),
    ({"ADVISOR_FILE_TIMEOUT": "0"}, "ADVISOR_FILE_TIMEOUT=0: must be a positive number of seconds"),
    ({"ADVISOR_FILE_TIMEOUT": "-5"}, "ADVISOR_FILE_TIMEOUT=-5: must be a positive number of seconds"),
    ({"ADVISOR_QUERY_EXPANSION": "maybe"}, "ADVISOR_QUERY_EXPANSION=maybe: must be one of 1/0, true/false, yes/no, on/off"),
    ({"ADVISOR_TOP_K": "1\n2"}, "ADVISOR_TOP_K='1\\n2': must be a whole number"),
])
def test_bad_values_are_one_line_errors_naming_the_variable(monkeypatch, env, message):
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    with pytest.raises(UserInputError) as info:
        Settings.from_env()
    assert str(info.value) == message
    assert "\n" not in str(info.value)


def test_good_values_and_boundaries_are_accepted(monkeypatch):
    for k, v in {"ADVISOR_TOP_K": " 3 ", "ADVISOR_BATCH_SIZE": "1", "ADVISOR_CANDIDATES": "1",
                 "ADVISOR_OVERLAP_TOKENS": "0", "ADVISOR_DENSE_WEIGHT": "1", "ADVISOR_MIN_SIMILARITY": "0",
                 "ADVISOR_FUSION": "rrf", "ADVISOR_FILE_TIMEOUT": "0.5", "ADVISOR_QUERY_EXPANSION": "off",
                 "ADVISOR_CHUNK_TOKENS": "", "ADVISOR_KIND_BOOST": "0"}.items():
        monkeypatch.setenv(k, v)
    s = Settings.from_env(index_dir=Path("elsewhere"))
    assert (s.top_k, s.batch_size, s.candidates, s.overlap_tokens) == (3, 1, 1, 0)
    assert (s.dense_weight, s.min_similarity, s.fusion, s.file_timeout) == (1.0, 0.0, "rrf", 0.5)
    assert s.query_expansion is False and s.index_dir == Path("elsewhere")
    # chunk_tokens 0 means the model's own length: any overlap is checked against that later, not here
    monkeypatch.setenv("ADVISOR_OVERLAP_TOKENS", "500")
    assert Settings.from_env().overlap_tokens == 500


def test_settings_built_in_code_are_validated_too():
    assert Settings().top_k == 10
    with pytest.raises(UserInputError, match=r"^ADVISOR_BATCH_SIZE=0: must be at least 1$"):
        Settings(batch_size=0)
    with pytest.raises(UserInputError, match="ADVISOR_FUSION"):
        replace(Settings(), fusion="borda")
    with pytest.raises(UserInputError, match="ADVISOR_TOP_K"):
        Settings(top_k="5")


def test_llm_timeout_must_be_positive(monkeypatch):
    monkeypatch.setenv("ADVISOR_LLM_TIMEOUT", "0")
    with pytest.raises(UserInputError, match=r"^ADVISOR_LLM_TIMEOUT=0: must be a positive number of seconds$"):
        LLMConfig.from_env()
    monkeypatch.setenv("ADVISOR_LLM_TIMEOUT", "soon")
    with pytest.raises(UserInputError, match="ADVISOR_LLM_TIMEOUT=soon"):
        LLMConfig.from_env()
    monkeypatch.setenv("ADVISOR_LLM_TIMEOUT", "2.5")
    assert LLMConfig.from_env().read_timeout == 2.5


def test_cli_main_reports_a_bad_setting_in_one_line(monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("ADVISOR_TOP_K", "abc")
    assert cli.main(["info", "--index-dir", str(tmp_path / "index")]) == 2
    err = capsys.readouterr().err
    assert err == "advisor: error: ADVISOR_TOP_K=abc: must be a whole number\n"


def _run_cli(args, env_extra, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("ADVISOR_")}
    env.update(env_extra)
    return subprocess.run([sys.executable, "-m", "advisor.cli", *args], capture_output=True, text=True,
                          env=env, timeout=60, cwd=tmp_path)


def test_advisor_info_with_a_bad_setting_prints_one_line_and_exits_non_zero(tmp_path):
    proc = _run_cli(["info"], {"ADVISOR_TOP_K": "abc"}, tmp_path)
    assert proc.returncode == 2
    assert proc.stderr == "advisor: error: ADVISOR_TOP_K=abc: must be a whole number\n"
    assert "Traceback" not in proc.stderr


def test_zero_batch_size_stops_the_build_instead_of_hanging(tmp_path):
    corpus = tmp_path / "corpus" / "texts"
    corpus.mkdir(parents=True)
    (corpus / "notes.md").write_text("# Notes\n\nThe spectral theorem.\n", encoding="utf-8")
    proc = _run_cli(["index", "--quiet", "--corpus-dir", str(tmp_path / "corpus"), "--index-dir", str(tmp_path / "index")],
                    {"ADVISOR_BATCH_SIZE": "0", "ADVISOR_MODEL": "fake"}, tmp_path)
    assert proc.returncode == 2
    assert proc.stderr == "advisor: error: ADVISOR_BATCH_SIZE=0: must be at least 1\n"
    assert not (tmp_path / "index").exists()
