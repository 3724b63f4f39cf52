"""The freshly built demo city answers an English query with Chinese records: `fourchain
demo` embeds the market's own records (achievements, experts, institutions) as it builds."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from fourchain.adapters.db.tables_market import achievements
from fourchain.bootstrap import market_matching, open_database
from fourchain.config import sqlite_url
from fourchain.domain.accounts import Role
from fourchain.domain.market import Viewer
from fourchain.domain.matching import DocumentKind
from fourchain.entrypoints.cli.main import run

pytestmark = pytest.mark.slow
# English renderings of the demo vocabulary's technical objects (demo/vocabulary.py).
ENGLISH = {
    "液压缸": "hydraulic cylinder",
    "减速器": "gear reducer",
    "伺服控制器": "servo controller",
    "驱动芯片": "driver chip",
    "柔性显示面板": "flexible display panel",
    "光电探测器": "photodetector",
    "射频滤波器": "radio frequency filter",
    "触控模组": "touch screen module",
    "冷链温控箱": "cold chain temperature controlled box",
    "风险评估模型": "risk assessment model",
}


def test_an_english_query_finds_chinese_achievements_on_the_fresh_demo(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "demo.db"
    assert run(["demo", "--db", str(path), "--build-only", "--scale", "0.05"]) == 0
    said = capsys.readouterr()
    assert "records embedded" in said.out + said.err
    database = open_database(sqlite_url(path), create=False)
    try:
        with database.engine.connect() as connection:
            titles = list(connection.scalars(select(achievements.c.title)))
        chinese, english = next(
            (term, words) for term, words in ENGLISH.items() if any(term in t for t in titles)
        )
        matching = market_matching(database)
        status = matching.status()
        assert status.vectors == "ready" and "enterprise" in status.message  # waiting
        found = matching.query(
            Viewer(Role.BUREAU_ANALYST),
            f"improving the {english}",
            kinds=frozenset({DocumentKind.ACHIEVEMENT}),
            top=5,
        )
    finally:
        database.dispose()
    assert found and all(f.cosine is not None for f in found)
    assert any(chinese in f.title for f in found), (english, [f.title for f in found])
