"""The reserve pool as an XLSX workbook (Chinese headers first, English beside)."""

from __future__ import annotations

from pathlib import Path
from typing import IO

from openpyxl import Workbook
from openpyxl.styles import Font

from fourchain.domain.cells import escape_text
from fourchain.services.cultivation import PoolEntry

HEADERS = (
    "排名 Rank",
    "统一社会信用代码 Credit code",
    "企业名称 Name",
    "产业集群 Cluster",
    "所在区 District",
    "园区 Zone",
    "预筛结果 Pre-screen",
    "差距合计 Gap (relative)",
    "未达标项 Shortfalls",
    "需人工评审 Manual review",
)
VERDICT_ZH = {
    "likely": "较可能 likely",
    "near": "接近 near",
    "not_yet": "尚未 not yet",
    "unknown": "数据不全 unknown",
}


def _safe(text: str | None) -> str:
    """Cells that a spreadsheet would run as formulas are written as text."""
    return escape_text(text or "")


def write_pool(entries: list[PoolEntry], title: str, path: Path | IO[bytes]) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "后备库 pool"
    sheet.append([title])
    sheet["A1"].font = Font(bold=True)
    sheet.append(["预筛结果，非认定结论 — a pre-screen, not a qualification decision"])
    sheet.append(list(HEADERS))
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for e in entries:
        sheet.append(
            [
                e.rank,
                e.info.credit_code,
                _safe(e.info.name),
                e.info.cluster or "",
                e.info.district or "",
                e.info.zone or "",
                VERDICT_ZH[e.verdict],
                round(e.gap, 4),
                _safe("\n".join(e.shortfalls)),
                _safe("；".join(e.manual)),
            ]
        )
    for column, width in zip("ABCDEFGHIJ", (6, 22, 30, 18, 10, 18, 14, 12, 80, 40), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A4"
    book.save(path)
