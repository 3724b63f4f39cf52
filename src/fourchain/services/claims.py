"""The claims check: each published claim computed from the registry and judged against it;
claims read from a press release's text."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from fourchain.domain.indicators.catalogue import CATALOGUE, NOT_IN_REGISTRY, SpanRule
from fourchain.domain.indicators.claims import (
    CLAIM_COLUMNS,
    Claim,
    Verdict,
    judge,
    judge_each,
    not_derivable,
    parse_claims,
)
from fourchain.domain.indicators.claims_text import ExtractedClaim, Release, read_release
from fourchain.errors import InvalidInput, NotFound
from fourchain.services.ports import IndicatorSource


def read_claims(path: Path) -> list[Claim]:
    """A claims file in the format of published_figures.csv (UTF-8, header row)."""
    if not path.is_file():
        raise NotFound(f"no claims file at {path}")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidInput(f"{path}: not UTF-8 text ({error.reason})") from None
    return claims_from_text(text, str(path))


def claims_from_text(text: str, name: str) -> list[Claim]:
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    absent = [
        column for column in ("id", "indicator", "value", "unit", "period") if column not in header
    ]
    if absent:
        raise InvalidInput(
            f"{name}:1: missing column(s) {', '.join(absent)}; expected {','.join(CLAIM_COLUMNS)}"
        )
    return parse_claims(list(reader), name)


def _why_not(claim: Claim, missing: dict[str, str]) -> str | None:
    """The reason a claim cannot be computed, or None when it can be."""
    indicator = CATALOGUE.get(claim.indicator)
    if indicator is None:
        return NOT_IN_REGISTRY
    if claim.indicator in missing:
        return missing[claim.indicator]
    if claim.unit != indicator.unit:
        return f"published in {claim.unit!r}, but the indicator is in {indicator.unit!r}"
    if claim.period.months is not None:
        if not indicator.monthly:
            return "the registry keeps yearly figures; a span of months cannot be derived from it"
        if claim.period.start != claim.period.end:
            return "a span of months is derived within one year only"
    if indicator.id == "fusion_index":
        return "the fusion index is per industry chain, not one city figure"
    return None


def check_claims(source: IndicatorSource, claims: Sequence[Claim]) -> list[Verdict]:
    """Every claim judged: consistent, inconsistent (with both numbers) or not derivable (why).
    The values all claims need are computed in one pass."""
    missing = source.missing()
    derivable = [c for c in claims if _why_not(c, missing) is None and c.period.months is None]
    years = sorted(
        {y for c in derivable if not CATALOGUE[c.indicator].is_span for y in c.period.years}
    )
    spans = sorted(
        {(c.period.start, c.period.end) for c in derivable if CATALOGUE[c.indicator].is_span}
    )
    values: dict[tuple[str, int, int | None], float | None] = {}
    if years or spans:
        for id_, year, value, start in source.compute(years, spans):
            values[(id_, year, start)] = value
    verdicts: list[Verdict] = []
    for claim in claims:
        reason = _why_not(claim, missing)
        if reason is not None:
            verdicts.append(not_derivable(claim, reason))
        elif claim.period.months is not None:
            verdicts.append(_judge_months(source, claim))
        else:
            verdicts.append(_judge(claim, values))
    return verdicts


def _judge(claim: Claim, values: dict[tuple[str, int, int | None], float | None]) -> Verdict:
    indicator = CATALOGUE[claim.indicator]
    period = claim.period
    if indicator.is_span:
        value = values.get((indicator.id, period.end, period.start))
        if value is None:
            return not_derivable(claim, f"the registry has no data for it over {period}")
        return judge(claim, value)
    if indicator.span_rule is SpanRule.EACH and not period.is_year:
        return judge_each(claim, {y: values.get((indicator.id, y, None)) for y in period.years})
    value = values.get((indicator.id, period.end, None))
    if value is None:
        return not_derivable(
            claim,
            f"the registry has no data for it in {period.end} "
            "(a record or statistic it reads is missing)",
        )
    return judge(claim, value)


# --- claims read from a press release's text (docs/claims-extraction.md)

NO_INDICATOR = "no indicator of the catalogue matches this figure"
# The encodings a Chinese release comes in: UTF-8, the mainland's GB18030, Taiwan and Hong
# Kong's Big5 (each decoded strictly: the first that reads the whole file wins).
RELEASE_ENCODINGS = ("utf-8-sig", "gb18030", "big5")
MAX_RELEASE_CHARS = 1_000_000


@dataclass(frozen=True)
class CheckedSentence:
    """A sentence of a release with each of its claims' verdicts."""

    text: str
    verdicts: tuple[tuple[ExtractedClaim, Verdict], ...]


def release_text(path: Path) -> str:
    """A release file's text (HTML or plain), in whichever of RELEASE_ENCODINGS reads it."""
    if not path.is_file():
        raise NotFound(f"no release file at {path}")
    data = path.read_bytes()
    for encoding in RELEASE_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InvalidInput(f"{path}: not text in {', '.join(RELEASE_ENCODINGS)}")


def extract(
    raw: str, to_simplified: Callable[[str], str], year: int | None = None, name: str = "text"
) -> Release:
    """A release's sentences with their claims; `name` (the file) names it in errors."""
    if len(raw) > MAX_RELEASE_CHARS:
        raise InvalidInput(f"{name}: longer than {MAX_RELEASE_CHARS:,} characters")
    try:
        return read_release(raw, to_simplified, year)
    except InvalidInput as error:
        raise InvalidInput(f"{name}: {error.message}") from None


def claims_csv(claims: Sequence[ExtractedClaim]) -> str:
    """Claims in the CSV layout of published_figures.csv (header, one claim a row)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CLAIM_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for claim in claims:
        writer.writerow(claim.row())
    return out.getvalue()


def claims_json(claims: Sequence[ExtractedClaim]) -> list[dict[str, str]]:
    return [{**c.row(), "figure": c.figure} for c in claims]


def check_release(source: IndicatorSource, release: Release) -> list[CheckedSentence]:
    """Every sentence with its claims judged; a figure no indicator matches is not derivable."""
    mapped = [c.claim for c in release.claims if c.mapped]
    verdicts = {v.claim.id: v for v in check_claims(source, mapped)} if mapped else {}
    checked: list[CheckedSentence] = []
    for sentence in release.sentences:
        pairs = tuple(
            (c, verdicts.get(c.claim.id) or not_derivable(c.claim, NO_INDICATOR))
            for c in sentence.claims
        )
        checked.append(CheckedSentence(sentence.text, pairs))
    return checked


def _judge_months(source: IndicatorSource, claim: Claim) -> Verdict:
    period = claim.period
    assert period.months is not None
    first, last = period.months
    value = source.compute_months(claim.indicator, period.start, first, last)
    if value is None:
        return not_derivable(claim, f"the registry has no data for it over {period}")
    return judge(claim, value)
