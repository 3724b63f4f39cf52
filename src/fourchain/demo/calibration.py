"""The figures the demo city is calibrated to (the city's published claims and the synthetic
paths chosen to meet them under docs/indicators.md). Changing one needs the tests' too."""

from __future__ import annotations

FIRST_YEAR = 2020
LAST_YEAR = 2025
YEARS = tuple(range(FIRST_YEAR, LAST_YEAR + 1))
FIRMS_AT_SCALE_1 = 30_000

# Year-end holders per tier. Only HNTE 2025 (4,735, net gain > 500 in each of 2021-2025),
# little giants 2020 / 2025 (49 / 213) and champions 2025 (18) are published; the rest is a
# plausible synthetic path that leads to them. Years before 2020 seed the 3-year renewals.
TIER_PATHS: dict[str, dict[int, int]] = {
    "hnte": {
        2014: 620, 2015: 760, 2016: 930, 2017: 1150, 2018: 1420, 2019: 1740,
        2020: 2080, 2021: 2620, 2022: 3150, 2023: 3680, 2024: 4200, 2025: 4735,
    },
    "little_giant": {2019: 20, 2020: 49, 2021: 80, 2022: 118, 2023: 152, 2024: 184, 2025: 213},
    "single_champion": {
        2016: 3, 2017: 4, 2018: 5, 2019: 6, 2020: 8, 2021: 10, 2022: 12, 2023: 14, 2024: 16,
        2025: 18,
    },
    "srdi_sme": {
        2018: 120, 2019: 220, 2020: 380, 2021: 620, 2022: 900, 2023: 1150, 2024: 1400,
        2025: 1620,
    },
    "innovative_sme": {2022: 1100, 2023: 1950, 2024: 2700, 2025: 3250},
    "tech_sme": {2020: 3100, 2021: 3800, 2022: 4500, 2023: 5200, 2024: 5900, 2025: 6600},
}  # fmt: skip

# Institutions whose counts are published: national key labs active at end 2025, innovation
# consortia active at end 2025, enterprise R&D centres recognised in 2021-2025.
NATIONAL_KEY_LABS_2025 = 7
INNOVATION_CONSORTIA_2025 = 11
RD_CENTRES_2021_2025 = 411

# Whole-society R&D intensity (percent) and GDP (yuan). 2020 and 2024 are published; the
# other years are a synthetic path between and after them.
RD_INTENSITY = {2020: 3.08, 2021: 3.17, 2022: 3.25, 2023: 3.36, 2024: 3.46, 2025: 3.53}
GDP = {
    2020: 638.4e9, 2021: 703.4e9, 2022: 780.2e9, 2023: 806.6e9, 2024: 858.9e9, 2025: 905.0e9,
}  # fmt: skip
# National R&D intensity: 2024 = 3.46 - 0.77 (published gap); other years plausible.
CHINA_RD_INTENSITY = {2020: 2.40, 2021: 2.43, 2022: 2.54, 2023: 2.65, 2024: 2.69, 2025: 2.75}
POPULATION = {
    2020: 5_180_000, 2021: 5_280_000, 2022: 5_308_000, 2023: 5_329_000, 2024: 5_350_000,
    2025: 5_372_000,
}  # fmt: skip
# The province's little giants: 213 / 507 = 42.0 % in 2025.
FUJIAN_LITTLE_GIANTS = {2020: 126, 2021: 200, 2022: 300, 2023: 377, 2024: 450, 2025: 507}

# High-value invention patents per 10,000 residents: 29.5 in 2025, at most half in 2020.
HIGH_VALUE_PER_10K = {2020: 14.3, 2025: 29.5}

# Above-scale industrial R&D / main business revenue, percent: 2.14 (2020), 2.52 (2025);
# the years between follow a straight line so no firm's R&D jumps.
ABOVE_SCALE_RD_RATIO = {2020: 2.14, 2021: 2.22, 2022: 2.29, 2023: 2.37, 2024: 2.44, 2025: 2.52}
ABOVE_SCALE_THRESHOLD = 20_000_000.0
INDUSTRIAL_SECTIONS = ("B", "C", "D")
# Strategic emerging share of above-scale industrial revenue (published: > 40 % in 2025).
STRATEGIC_SHARE_RANGE = (42.0, 60.0)

# Cluster output, in 100 million yuan (亿元), converted to yuan when written. Pillars sum to
# over 2 trillion in 2025, the strategic emerging four to over 500 billion; new energy grows
# over 30 % a year in 2023-2025 and first passes 100 billion in 2025; biomedicine is at or
# over 100 billion from 2022 on but not in 2021.
CLUSTER_OUTPUT_YI: dict[str, tuple[float, ...]] = {
    "electronic_information": (4650, 5180, 5520, 5760, 6080, 6450),
    "machinery_equipment": (2050, 2260, 2390, 2520, 2650, 2780),
    "trade_logistics": (6900, 7600, 8100, 8500, 8900, 9300),
    "financial_services": (1480, 1620, 1760, 1880, 2010, 2150),
    "biomedicine": (820, 940, 1030, 1080, 1145, 1210),
    "new_materials": (1450, 1630, 1760, 1890, 2020, 2150),
    "new_energy": (260, 340, 420, 560, 755, 1035),
    "culture_tourism_creative": (640, 700, 760, 830, 900, 960),
    "artificial_intelligence": (120, 160, 200, 245, 295, 350),
    "hydrogen_storage": (25, 34, 45, 58, 75, 95),
}
MACRO_SOURCE = "synthetic demo"
