"""A small registry for the web tests: three enterprises with panels and certificates, two
institutions, one chain; and one account per role, bound to objects of its own."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import Engine

from fourchain.adapters.db.tables import (
    certificates,
    chain_links,
    chains,
    enterprise_years,
    enterprises,
    institutions,
)
from fourchain.domain.accounts import Role
from fourchain.domain.credit_code import make_credit_code

OWN = make_credit_code("91350200MA0000001")  # the enterprise user's own enterprise
OTHER = make_credit_code("91350200MA0000002")  # another enterprise, with figures
THIRD = make_credit_code("91350200MA0000003")  # an enterprise with no figures at all
MISSING = make_credit_code("91350200MA0000009")  # no such enterprise
OWN_INSTITUTION = "INST-001"
OTHER_INSTITUTION = "INST-002"
MISSING_INSTITUTION = "INST-999"
YEARS = (2023, 2024, 2025)
PASSWORD = "correct-horse-battery"
# Distinctive figures (revenue, R&D expense, net profit), so that a leak is easy to spot in any
# answer, whatever its format: raw JSON, thousands separators, or ten-thousands of yuan.
FIGURES = {
    OWN: (123456789.0, 13579246.0, 8642097.0),
    OTHER: (987654321.0, 97531864.0, 7531864.0),
}
LEAK_MARKERS = {
    OWN: ("123456789", "123,456,789", "12345.7", "1357.9", "13579246", "13,579,246"),
    OTHER: ("987654321", "987,654,321", "98765.4", "9753.2", "97531864", "97,531,864"),
}


@dataclass(frozen=True)
class Login:
    username: str
    role: Role | None


# One account per role; None is the anonymous public.
ACCOUNTS: dict[str, Login] = {
    "admin": Login("admin", Role.BUREAU_ADMIN),
    "analyst": Login("analyst", Role.BUREAU_ANALYST),
    "ent": Login("ent", Role.ENTERPRISE_USER),
    "inst": Login("inst", Role.INSTITUTION_USER),
    "expert": Login("expert", Role.EXPERT_REVIEWER),
    "public": Login("", None),
}


def seed_registry(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(
            chains.insert(),
            [
                {
                    "key": "ic_chain",
                    "name_zh": "集成电路",
                    "name_en": "Integrated circuits",
                    "cluster": "electronic_information",
                }
            ],
        )
        connection.execute(
            chain_links.insert(),
            [
                {
                    "key": "ic_design",
                    "chain": "ic_chain",
                    "name_zh": "芯片设计",
                    "name_en": "Chip design",
                    "position": "upstream",
                },
                {
                    "key": "ic_packaging",
                    "chain": "ic_chain",
                    "name_zh": "封装测试",
                    "name_en": "Packaging and test",
                    "position": "downstream",
                },
            ],
        )
        rows = [
            (OWN, "厦门星海微电子有限公司", "思明", "electronic_information", "ic_design"),
            (OTHER, "厦门远帆生物科技有限公司", "湖里", "biomedicine", None),
            (THIRD, "厦门蓝湾新材料有限公司", "集美", "new_materials", "ic_packaging"),
        ]
        connection.execute(
            enterprises.insert(),
            [
                {
                    "credit_code": code,
                    "name": name,
                    "district": district,
                    "cluster": cluster,
                    "chain_link": link,
                    "founded": date(2015, 3, 1),
                }
                for code, name, district, cluster, link in rows
            ],
        )
        panel = []
        for code, (revenue, rd_expense, profit) in FIGURES.items():
            for year in YEARS:
                panel.append(
                    {
                        "credit_code": code,
                        "year": year,
                        "employees": 100 + year % 10,
                        "rd_staff": 20,
                        "revenue": revenue,
                        "rd_expense": rd_expense,
                        "net_profit": profit,
                    }
                )
        connection.execute(enterprise_years.insert(), panel)
        connection.execute(
            certificates.insert(),
            [
                {
                    "credit_code": OWN,
                    "tier": "hnte",
                    "number": "GR202335000001",
                    "issued": date(2023, 11, 1),
                    "expires": date(2026, 10, 31),
                    "issuer": "福建省",
                },
                {
                    "credit_code": OWN,
                    "tier": "tech_sme",
                    "number": "2024350200000001",
                    "issued": date(2024, 4, 1),
                    "expires": date(2024, 12, 31),
                    "issuer": "厦门市",
                },
                {
                    "credit_code": OTHER,
                    "tier": "srdi_sme",
                    "number": "ZJTX-2024-002",
                    "issued": date(2024, 6, 1),
                    "expires": date(2027, 5, 31),
                    "issuer": "福建省",
                },
            ],
        )
        connection.execute(
            institutions.insert(),
            [
                {
                    "id": OWN_INSTITUTION,
                    "name": "厦门大学",
                    "kind": "university",
                    "level": "national",
                    "district": "思明",
                    "host_credit_code": None,  # executemany takes its keys from the first row
                },
                {
                    "id": OTHER_INSTITUTION,
                    "name": "厦门中试平台",
                    "kind": "pilot_platform",
                    "level": "municipal",
                    "district": "海沧",
                    "host_credit_code": OTHER,
                },
            ],
        )


NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
