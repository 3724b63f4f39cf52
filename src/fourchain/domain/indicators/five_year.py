"""The five-year bulletin written from the indicators: Chinese (default) or English prose, in the
register of a bureau's bulletin, with the charts behind it. Only figures the data gives are said."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from fourchain.domain.foresight.outlook import Outlook
from fourchain.domain.foresight.report import outlook_section
from fourchain.domain.indicators.bulletin import Bulletin, Chart, Figure, Section, Sentence, figure
from fourchain.domain.indicators.composite import DIMENSION_LABELS, FusionScore
from fourchain.domain.indicators.missing_reasons import reason_in
from fourchain.domain.indicators.numbers import change_verb_zh, rounded

Series = Mapping[int, float | None]
# The national five-year plans, by first year: a report on exactly one of them names it.
PLAN_NAMES = {2016: "“十三五”", 2021: "“十四五”", 2026: "“十五五”"}


@dataclass(frozen=True)
class FiveYearInputs:
    """What the bulletin is written from (services/reports.py gathers it)."""

    year: int
    series: Mapping[str, Series]  # yearly indicators, base year .. year
    spans: Mapping[str, float | None]  # span indicators over the plan period (year-4 .. year)
    fusion: Sequence[FusionScore]
    chain_names: Mapping[str, tuple[str, str]]  # chain key -> (zh, en)
    not_derivable: Mapping[str, str]
    city_zh: str = "厦门市"
    city_en: str = "Xiamen"
    outlook: Sequence[Outlook] = ()  # projections to the next plan's end, if asked for

    @property
    def start(self) -> int:
        return self.year - 4

    @property
    def base(self) -> int:
        return self.year - 5


class _Writer:
    def __init__(self, data: FiveYearInputs, lang: str) -> None:
        self.d = data
        self.lang = lang
        self.zh = lang == "zh"

    def t(self, zh: str, en: str) -> str:
        return zh if self.zh else en

    def at(self, indicator: str, year: int) -> float | None:
        return self.d.series.get(indicator, {}).get(year)

    def latest(self, indicator: str) -> int | None:
        """The last year up to the report year with a value."""
        years = [y for y, v in self.d.series.get(indicator, {}).items() if v is not None]
        years = [y for y in years if y <= self.d.year]
        return max(years) if years else None

    def fig(self, indicator: str, year: int, **kw: object) -> Figure | None:
        value = self.at(indicator, year)
        return None if value is None else figure(indicator, year, value, self.lang, **kw)  # type: ignore[arg-type]

    def span_fig(self, indicator: str, **kw: object) -> Figure | None:
        value = self.d.spans.get(indicator)
        if value is None:
            return None
        return figure(indicator, self.d.year, value, self.lang, span_start=self.d.start, **kw)  # type: ignore[arg-type]

    def trend(self, indicator: str, scale: float = 1.0) -> dict[str, float]:
        values = self.d.series.get(indicator, {})
        return {
            str(y): v / scale
            for y, v in sorted(values.items())
            if v is not None and self.d.base <= y <= self.d.year
        }

    # -- sections -------------------------------------------------------------------------

    def innovation_input(self) -> Section:
        s = Section("input", self.t("一、科技创新投入持续加大", "1. R&D investment keeps rising"))
        last = self.latest("rd_intensity")
        first = self.fig("rd_intensity", self.d.base)
        if last is not None and first is not None:
            now = self.fig("rd_intensity", last)
            gap = self.fig("rd_intensity_gap_national", last)
            assert now is not None
            if self.zh:
                verb = change_verb_zh(first.value, now.value)
                text = f"全社会研发经费投入强度由{{y0}}年的{{a}}{verb}{{y1}}年的{{b}}"
                text += "，高于全国平均水平{gap}。" if gap and gap.value > 0 else "。"
            else:
                text = "Whole-society R&D spending rose from {a} of GDP in {y0} to {b} in {y1}"
                text += ", {gap} above the national average." if gap and gap.value > 0 else "."
            s.say(Sentence.of(text, y0=self.d.base, y1=last, a=first, b=now, gap=gap or ""))
        growth = self.span_fig("enterprise_rd_growth", decimals=1)
        if growth is not None:
            s.say(
                Sentence.of(
                    self.t(
                        "{y0}—{y1}年，全市企业研发经费年均增长{g}。",
                        "Enterprise R&D spending grew by {g} a year on average in {y0}-{y1}.",
                    ),
                    y0=self.d.start,
                    y1=self.d.year,
                    g=growth,
                )
            )
        ratio = self.fig("above_scale_rd_revenue_ratio", self.d.year)
        change = self.fig("above_scale_rd_revenue_ratio_change_vs_2020", self.d.year)
        if ratio is not None:
            text = self.t(
                "规模以上工业企业研发经费占营业收入比重达{r}",
                "Above-scale industrial firms spent {r} of their main business revenue on R&D",
            )
            if change is not None and change.value > 0:
                text += self.t("，较{y0}年提高{c}", ", {c} more than in {y0}")
            s.say(Sentence.of(text + self.t("。", "."), r=ratio, c=change or "", y0=self.d.base))
        s.charts.append(
            Chart(
                "rd_intensity",
                self.t("全社会研发经费投入强度（%）", "R&D intensity (% of GDP)"),
                "line",
                "%",
                ("rd_intensity", "above_scale_rd_revenue_ratio"),
                {
                    self.t("研发投入强度", "R&D intensity"): self.trend("rd_intensity"),
                    self.t("规上工业研发占比", "Above-scale industry R&D ratio"): self.trend(
                        "above_scale_rd_revenue_ratio"
                    ),
                },
            )
        )
        return s

    def enterprises(self) -> Section:
        s = Section("enterprises", self.t("二、创新主体梯次壮大", "2. A growing ladder of firms"))
        y = self.d.year
        hnte = self.fig("hnte_count", y)
        gains = [self.at("hnte_net_gain_per_year", yr) for yr in range(self.d.start, y + 1)]
        if hnte is not None:
            text = self.t("国家高新技术企业达{n}", "National high-tech enterprises number {n}")
            known = [g for g in gains if g is not None]
            low = min(known) if known and len(known) == len(gains) else None
            if low is not None and low > 0:
                least = figure("hnte_net_gain_per_year", y, low, self.lang, span_start=self.d.start)
                text += self.t(
                    "，每年净增均不少于{g}", ", with a net gain of at least {g} every year"
                )
                s.say(Sentence.of(text + self.t("。", "."), n=hnte, g=least))
            else:
                s.say(Sentence.of(text + self.t("。", "."), n=hnte))
        giants = self.fig("little_giants", y)
        if giants is not None:
            share = self.fig("little_giants_province_share", y, decimals=0)
            growth = self.fig("little_giants_growth_vs_2020", y, decimals=1)
            text = self.t(
                "国家级专精特新“小巨人”企业{n}", "There are {n} national little giant enterprises"
            )
            if share is not None:
                text += self.t("，占全省{p}", ", {p} of the province's total")
            if growth is not None and self.d.base == 2020:
                text += self.t("，较2020年增长{g}", ", up {g} on 2020")
            s.say(Sentence.of(text + self.t("。", "."), n=giants, p=share or "", g=growth or ""))
        champions = self.fig("single_champions", y)
        if champions is not None:
            s.say(
                Sentence.of(
                    self.t(
                        "国家级制造业单项冠军企业{n}。",
                        "{n} firms are national single-item champions.",
                    ),
                    n=champions,
                )
            )
        s.charts.append(
            Chart(
                "ladder",
                self.t("创新主体数量（家）", "Firms on the ladder"),
                "bar",
                self.t("家", "firms"),
                ("hnte_count", "little_giants"),
                {
                    self.t("高新技术企业", "High-tech enterprises"): self.trend("hnte_count"),
                    self.t("专精特新“小巨人”", "Little giants"): self.trend("little_giants"),
                },
            )
        )
        return s

    def platforms(self) -> Section:
        s = Section("platforms", self.t("三、创新平台与协同创新", "3. Platforms and collaboration"))
        y = self.d.year
        labs = self.fig("national_key_labs", y, word="家")
        consortia = self.fig("innovation_consortia", y, word="个")
        centres = self.span_fig("enterprise_rd_centres", word="家")
        if labs is not None:
            s.say(
                Sentence.of(
                    self.t(
                        "全市拥有全国重点实验室{n}。",
                        "The city hosts {n} national key laboratories.",
                    ),
                    n=labs,
                )
            )
        if consortia is not None and consortia.value > 0:
            s.say(
                Sentence.of(
                    self.t(
                        "组建龙头企业牵头的创新联合体{n}。",
                        "Leading firms head {n} innovation consortia.",
                    ),
                    n=consortia,
                )
            )
        if centres is not None:
            s.say(
                Sentence.of(
                    self.t(
                        "{y0}—{y1}年累计支持企业研发中心{n}。",
                        "{n} enterprise R&D centres were supported in {y0}-{y1}.",
                    ),
                    y0=self.d.start,
                    y1=y,
                    n=centres,
                )
            )
        projects = self.span_fig("conversion_projects", word="项")
        if projects is not None:
            s.say(
                Sentence.of(
                    self.t(
                        "实施企业高新技术成果转化项目{n}。",
                        "{n} enterprise high-tech achievement conversion projects were run.",
                    ),
                    n=projects,
                )
            )
        patents = self.fig("high_value_patents_per_10k", y)
        base = self.fig("high_value_patents_per_10k", self.d.base)
        if patents is not None:
            text = self.t(
                "每万人口高价值发明专利拥有量达{p}",
                "High-value invention patents reached {p} per 10,000 residents",
            )
            if base is not None and base.value > 0:
                times = rounded(patents.value / base.value, 1)
                text += self.t(
                    f"，是{{y0}}年{{b}}的{times}倍", f", {times} times the {{y0}} level of {{b}}"
                )
            s.say(Sentence.of(text + self.t("。", "."), p=patents, y0=self.d.base, b=base or ""))
        s.charts.append(
            Chart(
                "patents",
                self.t(
                    "每万人口高价值发明专利拥有量（件）", "High-value patents per 10,000 residents"
                ),
                "line",
                self.t("件", "patents"),
                ("high_value_patents_per_10k",),
                {self.t("每万人口", "per 10,000"): self.trend("high_value_patents_per_10k")},
            )
        )
        return s

    def industry(self) -> Section:
        s = Section("industry", self.t("四、产业创新能级提升", "4. Industry moves up"))
        y = self.d.year
        pillar = self.fig("pillar_clusters_scale", y)
        emerging = self.fig("strategic_emerging_scale", y)
        if pillar is not None:
            text = self.t("四大支柱产业集群规模达{p}", "The pillar clusters reached {p}")
            if emerging is not None:
                text += self.t("，战略性新兴产业规模达{e}", "; strategic emerging industries {e}")
            s.say(Sentence.of(text + self.t("。", "."), p=pillar, e=emerging or ""))
        share = self.fig("strategic_emerging_output_share", y, decimals=1)
        if share is not None:
            s.say(
                Sentence.of(
                    self.t(
                        "战略性新兴产业占规模以上工业产值比重达{s}。",
                        "Strategic emerging industries made {s} of above-scale industrial output.",
                    ),
                    s=share,
                )
            )
        output = self.fig("new_energy_output", y)
        growth = [self.at("new_energy_growth", yr) for yr in range(y - 2, y + 1)]
        if output is not None and all(g is not None for g in growth):
            low = figure(
                "new_energy_growth",
                y,
                min(g for g in growth if g is not None),
                self.lang,
                decimals=1,
            )
            s.say(
                Sentence.of(
                    self.t(
                        "新能源产业产值达{o}，近三年增速均在{g}以上。",
                        "New energy output reached {o}, growing by more than {g} in each of the "
                        "last three years.",
                    ),
                    o=output,
                    g=low,
                )
            )
        bio = self.fig("biomedicine_revenue_years_over_100bn", y, word="年")
        if bio is not None and bio.value >= 2:
            s.say(
                Sentence.of(
                    self.t(
                        "生物医药产业营收连续{n}超千亿元。",
                        "Biomedicine revenue has exceeded CNY 100 billion for {n} in a row.",
                    ),
                    n=bio,
                )
            )
        yi = 1e8
        s.charts.append(
            Chart(
                "clusters",
                self.t("产业规模（亿元）", "Industry scale (CNY 100 million)"),
                "bar",
                self.t("亿元", "CNY 100 m"),
                ("pillar_clusters_scale", "strategic_emerging_scale", "new_energy_output"),
                {
                    self.t("支柱产业集群", "Pillar clusters"): self.trend(
                        "pillar_clusters_scale", yi
                    ),
                    self.t("战略性新兴产业", "Strategic emerging"): self.trend(
                        "strategic_emerging_scale", yi
                    ),
                    self.t("新能源", "New energy"): self.trend("new_energy_output", yi),
                },
            )
        )
        return s

    def fusion(self) -> Section:
        s = Section("fusion", self.t("五、四链融合发展", "5. Four-chain fusion"))
        ranked = sorted(self.d.fusion, key=lambda f: -f.index)
        if not ranked:
            return s
        names = [self._chain(f.chain) for f in ranked[:3]]
        top = [figure("fusion_index", self.d.year, f.index, self.lang) for f in ranked[:3]]
        slots: dict[str, Figure | str | int] = {f"c{i}": n for i, n in enumerate(names)}
        slots |= {f"v{i}": v for i, v in enumerate(top)}
        lead = self.t(
            "四链融合指数位居前列的产业链为", "The chains with the highest fusion index are "
        )
        parts = [self.t("{c%d}（{v%d}）", "{c%d} ({v%d})") % (i, i) for i in range(len(names))]
        s.say(Sentence.of(lead + self.t("、", ", ").join(parts) + self.t("。", "."), **slots))
        dims = "、".join(zh for zh, _ in DIMENSION_LABELS.values())
        s.say(
            Sentence.of(
                self.t(
                    f"该指数综合{dims}四个维度，按欧盟区域创新记分牌方法标准化后等权合成。",
                    "The index combines the innovation, industry, capital and talent chains, "
                    "normalised and weighted equally as the EU Regional Innovation Scoreboard "
                    "does.",
                )
            )
        )
        s.charts.append(
            Chart(
                "fusion",
                self.t(f"{self.d.year}年四链融合指数", f"Four-chain fusion index, {self.d.year}"),
                "bar",
                self.t("指数", "index"),
                ("fusion_index",),
                {
                    self.t("四链融合指数", "Fusion index"): {
                        self._chain(f.chain): f.index for f in ranked
                    }
                },
            )
        )
        return s

    def _chain(self, key: str) -> str:
        zh, en = self.d.chain_names.get(key, (key, key))
        return zh if self.zh else en


def write_five_year(data: FiveYearInputs, lang: str = "zh") -> Bulletin:
    """The bulletin for the five years ending in data.year, in `lang` ("zh" or "en")."""
    w = _Writer(data, lang)
    sections = [w.innovation_input(), w.enterprises(), w.platforms(), w.industry(), w.fusion()]
    if data.outlook:
        sections.append(outlook_section(data.outlook, lang, len(sections) + 1))
    plan = PLAN_NAMES.get(data.start, "")
    title = w.t(
        f"{data.city_zh}{plan}科技创新发展报告（{data.start}—{data.year}年）",
        f"{data.city_en}: science and technology innovation, {data.start}-{data.year}",
    )
    subtitle = w.t(
        "由科技创新登记数据自动生成 · 所有数字均可追溯至指标",
        "Generated from the innovation registry · every figure traces to its indicator",
    )
    reasons = {key: reason_in(lang, why) for key, why in data.not_derivable.items()}
    return Bulletin(title, subtitle, data.year, lang, sections, reasons)
