"""The catalogue covers the shared definitions and the published figures the registry supports."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from fourchain.domain.indicators.catalogue import CATALOGUE, INDICATORS, Level
from fourchain.domain.indicators.definitions_zh import DEFINITIONS_ZH

REPO = Path(__file__).parents[4]
DEFINITIONS = REPO / "docs" / "indicators.md"
PUBLISHED = REPO.parent / "shared" / "domain" / "published_figures.csv"


def _defined_ids() -> list[str]:
    rows = [
        line
        for line in DEFINITIONS.read_text(encoding="utf-8").splitlines()
        if line.startswith("| `")
    ]
    return [re.match(r"\| `([a-z0-9_]+)`", line).group(1) for line in rows]  # type: ignore[union-attr]


def test_every_definition_in_the_shared_table_is_in_the_catalogue() -> None:
    missing = [i for i in _defined_ids() if i not in CATALOGUE]
    assert missing == []


def test_every_indicator_is_named_in_both_languages_and_has_a_unit_and_records() -> None:
    for indicator in INDICATORS:
        assert indicator.name_zh and indicator.name_en and indicator.unit, indicator.id
        assert indicator.definition and indicator.expression and indicator.records, indicator.id
        assert indicator.levels and all(isinstance(level, Level) for level in indicator.levels)


def test_ids_are_unique() -> None:
    assert len(CATALOGUE) == len(INDICATORS)


def test_the_units_match_the_published_files_units() -> None:
    if not PUBLISHED.exists():
        pytest.skip(f"shared published figures not found at {PUBLISHED}")
    with PUBLISHED.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            indicator = CATALOGUE.get(row["indicator"])
            if indicator is not None:
                unit = row["unit"].split("(")[0].strip()
                assert unit == indicator.unit, row["id"]


def test_every_indicator_has_a_chinese_definition_for_the_chinese_edition() -> None:
    assert set(DEFINITIONS_ZH) == set(CATALOGUE)
