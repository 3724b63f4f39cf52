"""The claims check: each published claim computed from the registry and judged against it."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
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


def _judge_months(source: IndicatorSource, claim: Claim) -> Verdict:
    period = claim.period
    assert period.months is not None
    first, last = period.months
    value = source.compute_months(claim.indicator, period.start, first, last)
    if value is None:
        return not_derivable(claim, f"the registry has no data for it over {period}")
    return judge(claim, value)
