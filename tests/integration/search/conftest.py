"""The real CSL records (../shared/data/csl, beside the repository) for search tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fourchain.domain.matching import Document

REPO = Path(__file__).resolve().parents[3]
CSL = REPO.parent / "shared" / "data" / "csl" / "csl_dev_1k.jsonl"
ENGLISH = REPO / "tests" / "data" / "csl_english_queries.jsonl"


@pytest.fixture(scope="session")
def csl_records() -> list[dict[str, object]]:
    if not CSL.exists():
        pytest.skip(f"CSL records not found at {CSL} (the shared data folder beside the repo)")
    with open(CSL, encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


@pytest.fixture(scope="session")
def csl_abstracts(csl_records: list[dict[str, object]]) -> list[Document]:
    """Each record's abstract alone: titles and keywords are the queries."""
    return [Document(str(r["id"]), {"abstract": str(r["abstract"])}) for r in csl_records]


@pytest.fixture(scope="session")
def english_queries() -> list[dict[str, str]]:
    return [json.loads(line) for line in ENGLISH.read_text(encoding="utf-8").splitlines()]
