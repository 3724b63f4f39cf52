"""A programme's, its call's and its project's audit entries are structured and read in
Chinese and English on the log page: stage moves by their labels, money in 万元, no keys."""

from __future__ import annotations

import re
from datetime import date

from fourchain.bootstrap import Database
from fourchain.domain.accounts import Role
from fourchain.domain.audit import detail_fields
from fourchain.domain.market import Viewer
from fourchain.domain.programmes import AppraisalLevel, Evidence, Move, Outcome, OutcomeKind
from fourchain.entrypoints.web.audit_details import describe
from tests.integration.programmes.seed import ADMIN, make_desk, seed_project


def test_programme_entries_read_in_both_languages_without_keys(database: Database) -> None:
    desk = make_desk(database)
    project_id = seed_project(desk)
    desk.move(ADMIN, project_id, Move.FORMAL_CHECK, Evidence(date(2023, 3, 10), "形审意见"))
    expert = Viewer(Role.EXPERT_REVIEWER, expert_id="e0", username="e0")
    desk.declare(
        expert, project_id, conflicted=True, statement="曾任牵头单位顾问", today=date(2023, 3, 11)
    )
    entries = [
        (e.event.action, e.event.object, e.event.detail)
        for e in database.audit_trail().store.in_order()
        if e.event.object.startswith("programme")
    ]
    zh = [describe(d, a, "zh_CN", o) for a, o, d in entries]
    en = [describe(d, a, "en", o) for a, o, d in entries]
    assert all(detail_fields(d) is not None for _, _, d in entries)
    assert zh == [
        "名称：重点研发计划",
        "标题：2023年度重点研发计划；2023 年",
        "标题：第三代半导体外延关键技术；财政资金（万元）：300；自筹资金（万元）：500",
        "形式审查 → 形式审查通过；文件：形审意见；日期：2023-03-10",
        "申报存在利益冲突；评审专家：e0；说明：曾任牵头单位顾问",
    ]
    assert en[3] == "Formal check → Formal check passed; Document: 形审意见; On 2023-03-10"
    for said in zh:
        assert not re.search(r"[a-z]_[a-z]|\w=\w|000000|formal", said), said


def test_an_outcome_is_said_by_its_kind(database: Database) -> None:
    desk = make_desk(database)
    project_id = seed_project(desk)
    for move, evidence in (
        (Move.FORMAL_CHECK, Evidence(date(2023, 3, 10))),
        (Move.SEND_TO_REVIEW, Evidence(date(2023, 4, 1))),
        (Move.APPROVE, Evidence(date(2023, 5, 1), "厦科〔2023〕8号", public_funding=2_500_000)),
        (Move.CONTRACT, Evidence(date(2023, 6, 1), "RW-2023-1", ends=date(2025, 5, 31))),
    ):
        desk.move(ADMIN, project_id, move, evidence)
    product = Outcome(
        OutcomeKind.PRODUCT,
        "碳化硅外延片",
        AppraisalLevel.INTERNATIONAL_ADVANCED,
        date(2025, 7, 1),
        "省科技厅",
    )
    desk.add_outcome(ADMIN, project_id, product)
    last = list(database.audit_trail().store.in_order())[-1].event
    assert describe(last.detail, last.action, "zh_CN", last.object) == (
        "登记成果：评价产品或技术 碳化硅外延片"
    )
    assert describe(last.detail, last.action, "en", last.object) == (
        "Outcome recorded: Appraised product 碳化硅外延片"
    )
