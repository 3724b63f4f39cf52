"""A small profile builder for the cultivation tests."""

from __future__ import annotations

from datetime import date
from typing import Any

from fourchain.domain.cultivation import EnterpriseProfile
from fourchain.domain.registry import Certificate, Enterprise, EnterpriseYear, Tier

CODE = "91350200MA00000010"


def make_profile(
    years: dict[int, dict[str, Any]],
    *,
    founded: date | None = date(2010, 1, 1),
    certificates: list[tuple[Tier, date, date]] = (),  # type: ignore[assignment]
    **enterprise: Any,
) -> EnterpriseProfile:
    return EnterpriseProfile(
        Enterprise(CODE, "测试企业", founded=founded, **enterprise),
        {y: EnterpriseYear(CODE, y, **fields) for y, fields in years.items()},
        [Certificate(CODE, tier, issued, expires) for tier, issued, expires in certificates],
    )
