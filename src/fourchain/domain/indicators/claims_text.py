"""Claims read from a press release's text: each figure of a sentence (3.46%, 0.77个百分点,
超过2500家, 2万亿元, 近百项, 第14位, 连续两年) with its bound, period and comparison, and the
indicator it is a value of — rows in the layout of published_figures.csv.

Bounds come from the words: 超过/超/逾/突破/以上/多/余 → lower bound, 近/约/左右 → about.
Periods come from the nearest period words before the figure in its sentence (2024年,
2021—2025年, 1—8月, 前三季度, “十四五”以来, 五年来, 连续三年), else from the claim's kind and the
release's year. Sentences come from `release.sentences` (simplified, NFKC: ASCII punctuation).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from fourchain.domain.indicators.claim_patterns import PATTERNS, ClaimPattern, PeriodKind
from fourchain.domain.indicators.claims import CLAIM_COLUMNS, Bound, Claim, Period
from fourchain.domain.indicators.release import body_sentences, lines
from fourchain.errors import InvalidInput

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
_CN_DIGITS |= {"六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_NUM = "[零〇一二两三四五六七八九十百千]+"
_NUM = rf"(?:\d+(?:\.\d+)?|{_CN_NUM})"
_MULTIPLIERS = {"万亿": Decimal(10) ** 12, "亿": Decimal(10) ** 8, "万": Decimal(10) ** 4}
_COUNT_WORDS = "家个项件所只款名座条人台种批户位"
_LOWER_BEFORE = re.compile(r"(?:超过|超|逾|突破|多于|不少于|不低于)$")
_ABOUT_BEFORE = re.compile(r"(?:接近|将近|近|约|大约)$")
_DECLINE = re.compile(r"(?:下降|减少|回落|下滑)了?$")
_LEAD = re.compile(r"(?:超过|超|逾|突破|多于|不少于|不低于|接近|将近|近|约|大约)$")
_FIGURE = re.compile(
    rf"(?P<num>{_NUM})(?P<more>多|余|几)?(?P<mult>万亿|亿|万)?"
    rf"(?P<unit>%|个百分点|元|年|[{_COUNT_WORDS}])(?P<after>以上|左右|多)?"
)
_RANK = re.compile(rf"第(?P<num>\d+|{_CN_NUM})(?P<word>位|名)?")
_RANK_LEAD = re.compile(r"(?:排名|排|位列|位居|居|名列|列)(?:全国|全省|全球|全市)?$")
_CONSECUTIVE = re.compile(rf"连续(?P<num>\d+|{_CN_NUM})年")
_YEAR_SPAN = re.compile(r"(?P<a>(?:19|20)\d{2})年?\s*[—–\-~至到]\s*(?P<b>(?:19|20)\d{2})年")
_MONTHS = re.compile(
    r"(?:(?P<y>(?:19|20)\d{2})年)?(?P<a>\d{1,2})(?:月(?:份)?)?\s*[—–\-~至到]\s*(?P<b>\d{1,2})月"
)
_QUARTERS = {"前三季度": (1, 9), "上半年": (1, 6), "前两季度": (1, 6), "一季度": (1, 3)}
_QUARTER = re.compile(r"(?:(?P<y>(?:19|20)\d{2})年)?(?:第)?(?P<q>前三季度|上半年|前两季度|一季度)")
_PLAN = re.compile(r"[“\"]?(?P<plan>十三五|十四五|十五五)[”\"]?(?:以来|期间|时期)")
_PLAN_YEARS = {"十三五": (2016, 2020), "十四五": (2021, 2025), "十五五": (2026, 2030)}
_FIVE_YEARS = re.compile(r"(?:近|过去|这)?五年(?:来|间|以来)")
_YEAR = re.compile(r"(?<![较比于和与\d])(?P<y>(?:19|20)\d{2})年(?!\d{1,2}月\d)")
_BASE_YEAR = re.compile(r"(?:较|比)(?P<y>(?:19|20)\d{2})年")
_DATE = re.compile(r"(?P<y>20\d{2})(?:年\d{1,2}月\d{1,2}日|-\d{2}-\d{2})")
_YEAR_ON_YEAR = re.compile(r"同比")
_DOUBLE = re.compile(
    r"(?:是|为)(?P<y>(?:19|20)\d{2})年(?:末)?的(?:两|2)倍|比(?P<z>(?:19|20)\d{2})年翻(?:一)?番"
)
_PP_CHANGE = re.compile(
    r"(?:较|比)(?P<y>(?:19|20)\d{2})年(?:末)?(?P<dir>提高|提升|增加|上升|下降|降低)"
    r"(?P<x>\d+(?:\.\d+)?)个百分点"
)
_CLAUSE_END = re.compile(r"[,;:]")
CLOSE = 6  # characters: a 首次 this close before a figure makes it a first


@dataclass(frozen=True)
class Figure:
    """A number with its unit as a sentence writes it."""

    start: int
    end: int
    value: Decimal
    unit: str  # percent, percentage points, yuan, count, years, rank
    bound: Bound
    text: str


@dataclass(frozen=True)
class ExtractedClaim:
    claim: Claim
    figure: str  # the words it was read from: 超过2500家
    first_time: bool = False

    @property
    def mapped(self) -> bool:
        return bool(self.claim.indicator)

    @property
    def unit_text(self) -> str:
        """The unit as published_figures.csv writes it: 'yuan (lower bound; first time)'."""
        qualifiers = [] if self.claim.bound is Bound.EXACT else [self.claim.bound.value]
        if self.first_time:
            qualifiers.append("first time")
        return f"{self.claim.unit} ({'; '.join(qualifiers)})" if qualifiers else self.claim.unit

    def row(self) -> dict[str, str]:
        c = self.claim
        values = (c.id, c.indicator, c.topic, c.claim, plain(c.value), self.unit_text)
        return dict(zip(CLAIM_COLUMNS, (*values, str(c.period), c.comparison), strict=True))


@dataclass(frozen=True)
class Sentence:
    text: str
    claims: tuple[ExtractedClaim, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Release:
    year: int
    sentences: tuple[Sentence, ...]

    @property
    def claims(self) -> list[ExtractedClaim]:
        return [c for s in self.sentences for c in s.claims]


def plain(value: Decimal) -> str:
    """2E+12 -> '2000000000000', 3.460 stays '3.460' (its precision is part of the claim)."""
    return f"{value:f}"


def chinese_number(text: str) -> int:
    """一百二十 -> 120, 两 -> 2, 十 -> 10, 百 -> 100, 三十五 -> 35, 千 -> 1000."""
    total, digit = 0, None
    for char in text:
        if char in _CN_DIGITS:
            digit = _CN_DIGITS[char]
        else:
            total += (1 if digit is None else digit) * _CN_UNITS[char]
            digit = None
    return total + (digit or 0)


def _number(text: str) -> Decimal:
    return Decimal(text) if text[0].isdigit() else Decimal(chinese_number(text))


def _bound(sentence: str, start: int, end_words: str) -> Bound:
    before = sentence[max(0, start - 3) : start]
    if _LOWER_BEFORE.search(before) or end_words in ("以上", "多", "余", "几"):
        return Bound.LOWER
    if _ABOUT_BEFORE.search(before) or end_words == "左右":
        return Bound.ABOUT
    return Bound.EXACT


def bound_words(sentence: str, match: re.Match[str]) -> Bound:
    return _bound(sentence, match.start(), match.group("more") or match.group("after") or "")


def figures(sentence: str) -> list[Figure]:
    """Every figure of a sentence, in order. Years (2025年) are periods, not figures; 倍 and
    连续N年 used as a period are left to the caller."""
    found: list[Figure] = []
    taken: list[tuple[int, int]] = []
    for match in _RANK.finditer(sentence):
        lead = sentence[max(0, match.start() - 6) : match.start()]
        if match.group("word") or _RANK_LEAD.search(lead):
            value = _number(match.group("num"))
            found.append(
                Figure(match.start(), match.end(), value, "rank", Bound.EXACT, match.group())
            )
            taken.append(match.span())
    for match in _FIGURE.finditer(sentence):
        if any(a <= match.start() < b for a, b in taken):
            continue
        num, unit = match.group("num"), match.group("unit")
        consecutive = _CONSECUTIVE.match(sentence, max(0, match.start() - 2))
        if unit == "年" and not consecutive and not match.group("more"):
            continue  # 十几年 and 连续两年 are figures, 2025年 a date
        if re.fullmatch(r"(?:19|20)\d{2}", num) and unit in ("年", "月"):
            continue
        value = _number(num)
        small_words = not num[0].isdigit() and value < 10 and unit not in ("年", "%")
        if small_words and bound_words(sentence, match) is Bound.EXACT:
            continue  # 两个创新, 四个方面: words, not figures
        if match.group("mult"):
            value *= _MULTIPLIERS[match.group("mult")]
        if unit == "元":
            name = "yuan"
        elif unit == "%":
            name = "percent"
        elif unit == "个百分点":
            name = "percentage points"
        elif unit == "年":
            name = "years"
        else:
            name = "count"
        if name == "percent" and _DECLINE.search(
            sentence, max(0, match.start() - 3), match.start()
        ):
            value = -value  # 下降2.1%: a growth of -2.1 %
        bound = bound_words(sentence, match)
        leading = _LEAD.search(sentence, max(0, match.start() - 3), match.start())
        text = (
            leading.group() if leading else ""
        ) + match.group()  # 超过2500家, 近百项: as written
        found.append(Figure(match.start(), match.end(), value, name, bound, text))
    return sorted(found, key=lambda f: f.start)


def release_year(texts: Sequence[str]) -> int | None:
    """The year a release speaks from: its date (2025年10月23日), else the latest year named."""
    for text in texts:
        if match := _DATE.search(text):
            return int(match.group("y"))
    years = [int(m.group("y")) for t in texts for m in _YEAR.finditer(t)]
    return max(years) if years else None


def _periods(sentence: str, year: int) -> list[tuple[int, Period]]:
    """Period words of a sentence as (end position, period)."""
    found: list[tuple[int, Period]] = []
    spans: list[tuple[int, int]] = []

    def add(match: re.Match[str], period: Period) -> None:
        spans.append(match.span())
        found.append((match.end(), period))

    for match in _YEAR_SPAN.finditer(sentence):
        add(match, Period(int(match.group("a")), int(match.group("b"))))
    for match in _MONTHS.finditer(sentence):
        if any(a <= match.start() < b for a, b in spans):
            continue
        y = int(match.group("y") or year)
        a, b = int(match.group("a")), int(match.group("b"))
        if 1 <= a <= b <= 12:
            add(match, Period(y, y, (a, b)))
    for match in _QUARTER.finditer(sentence):
        y = int(match.group("y") or year)
        add(match, Period(y, y, _QUARTERS[match.group("q")]))
    for match in _PLAN.finditer(sentence):
        add(match, Period(*_PLAN_YEARS[match.group("plan")]))
    for match in _FIVE_YEARS.finditer(sentence):
        add(match, Period(year - 4, year))
    for match in _CONSECUTIVE.finditer(sentence):
        n = int(_number(match.group("num")))
        add(match, Period(year - n + 1, year))
    for match in _YEAR.finditer(sentence):
        if not any(a <= match.start() < b for a, b in spans):
            y = int(match.group("y"))
            found.append((match.end(), Period(y, y)))
    return sorted(found, key=lambda p: p[0])


def _clause_start(sentence: str, position: int) -> int:
    return max(sentence.rfind(c, 0, position) for c in ",;:")


def _clause_end(sentence: str, position: int) -> int:
    match = _CLAUSE_END.search(sentence, position)
    return match.start() if match else len(sentence)


def _distance(sentence: str, figure: Figure, word: str) -> int | None:
    """How near the words stand to the figure: before it anywhere in the sentence, after it
    only within its clause."""
    clause_end = _clause_end(sentence, figure.end)
    best: int | None = None
    for match in re.finditer(word, sentence):
        if match.end() <= figure.start:
            gap = figure.start - match.end()
        elif match.start() >= figure.end:
            if match.start() >= clause_end:
                continue
            gap = match.start() - figure.end
        else:
            gap = 0
        best = gap if best is None else min(best, gap)
    return best


def pattern_for(sentence: str, figure: Figure) -> ClaimPattern | None:
    """The pattern whose words stand nearest the figure (ties: the one with more words)."""
    best: tuple[tuple[int, ...], int] | None = None
    chosen: ClaimPattern | None = None
    for pattern in PATTERNS:
        unit = pattern.unit
        if unit != figure.unit and not (unit == "per 10000 residents" and figure.unit == "count"):
            continue
        if unit == "per 10000 residents" and "每万人" not in sentence[: figure.start]:
            continue
        distances = [_distance(sentence, figure, word) for word in pattern.words]
        if any(d is None for d in distances):
            continue
        key = (tuple(sorted(d for d in distances if d is not None)), -len(distances))
        if best is None or (key[0][0], key[1], key[0]) < (best[0][0], best[1], best[0]):
            best, chosen = key, pattern
    return chosen


def _period(sentence: str, figure: Figure, pattern: ClaimPattern | None, year: int) -> Period:
    kind = pattern.kind if pattern else PeriodKind.YEAR
    clause_start = _clause_start(sentence, figure.start)
    before = [(end, p) for end, p in _periods(sentence, year) if end <= figure.start]
    in_clause = [p for end, p in before if end > clause_start]
    # Outside its clause, a single year speaks of another figure more often than of a span.
    outside = [p for end, p in before if kind is not PeriodKind.SPAN or not p.is_year]
    said = in_clause[-1] if in_clause else outside[-1] if outside else None
    if kind is PeriodKind.CONSECUTIVE:
        end = said.end if said and said.is_year else year
        return Period(end - int(figure.value) + 1, end)
    if kind is PeriodKind.SINCE:
        bases = [int(m.group("y")) for m in _BASE_YEAR.finditer(sentence, 0, figure.start)]
        end = said.end if said else year
        return Period(bases[-1], end) if bases else Period(end, end)
    if said is None:
        return Period(year - 4, year) if kind is PeriodKind.SPAN else Period(year, year)
    if kind is PeriodKind.SPAN and said.is_year:
        return Period(said.start - 4, said.start)
    if kind is PeriodKind.YEAR and said.months is None and not said.is_year:
        return Period(said.end, said.end)
    return said


def _comparison(sentence: str, figure: Figure, period: Period, pattern: ClaimPattern | None) -> str:
    if pattern is not None and pattern.comparison:
        return pattern.comparison
    clause_start = _clause_start(sentence, figure.start)
    if _YEAR_ON_YEAR.search(sentence, clause_start + 1, figure.start):
        return f"same period {period.end - 1}"
    after = sentence[figure.end : _clause_end(sentence, _clause_end(sentence, figure.end) + 1)]
    if (match := _DOUBLE.match(after.lstrip(",")) or _DOUBLE.search(after[:20])) is not None:
        return f"double the {match.group('y') or match.group('z')} level"
    if (match := _PP_CHANGE.search(after[:24])) is not None and figure.unit == "percent":
        sign = "-" if match.group("dir") in ("下降", "降低") else "+"
        return f"{sign}{match.group('x')} pp on {match.group('y')}"
    return ""


def _claim_id(indicator: str, period: Period, taken: set[str]) -> str:
    base = f"{indicator or 'unmapped'}_{str(period).replace('..', '_')}"
    id_, n = base, 2
    while id_ in taken:
        id_, n = f"{base}_{n}", n + 1
    taken.add(id_)
    return id_


def sentence_claims(sentence: str, year: int, taken: set[str] | None = None) -> Sentence:
    """The claims of one (normalised) sentence, the release speaking from `year`."""
    ids = set() if taken is None else taken
    found: list[ExtractedClaim] = []
    every = figures(sentence)
    threshold_of: Figure | None = None  # 连续4年突破千亿元: 千亿元 is the years claim's bar
    for figure in every:
        clause_end = _clause_end(sentence, figure.end)
        in_clause = [f for f in every if figure.end <= f.start < clause_end]
        if figure.unit == "years" and any(f.unit == "percent" for f in in_clause):
            continue  # 连续三年增长30%以上: a period, not a claim
        if threshold_of is not None and figure.start < _clause_end(sentence, threshold_of.end):
            continue
        pattern = pattern_for(sentence, figure)
        if pattern is None and figure.unit == "years":
            continue
        if pattern is not None and pattern.kind is PeriodKind.CONSECUTIVE:
            threshold_of = figure
        period = _period(sentence, figure, pattern, year)
        claim = Claim(
            id=_claim_id(pattern.indicator if pattern else "", period, ids),
            indicator=pattern.indicator if pattern else "",
            claim=pattern.claim if pattern else sentence[: figure.end][-40:],
            value=figure.value,
            unit=figure.unit if pattern is None else pattern.unit,
            bound=figure.bound,
            period=period,
            topic=pattern.topic if pattern else "",
            comparison=_comparison(sentence, figure, period, pattern),
        )
        first = "首次" in sentence[max(0, figure.start - CLOSE) : figure.start]
        found.append(ExtractedClaim(claim, figure.text, first))
    return Sentence(sentence, tuple(found))


def read_release(
    raw: str, to_simplified: Callable[[str], str] = str, year: int | None = None
) -> Release:
    """Every sentence of a raw release (HTML or text) with the claims it makes. `year`: the
    year it speaks from (default: its date, else the latest year it names)."""
    every = lines(raw, to_simplified)
    texts = body_sentences(every)
    speaking = year or release_year(every)
    if speaking is None:
        if any(figures(t) for t in texts):
            raise InvalidInput("the release names no year: say which year it speaks from")
        speaking = 0
    taken: set[str] = set()
    seen: set[tuple[str, Decimal, str, str]] = set()
    read: list[Sentence] = []
    for text in texts:
        sentence = sentence_claims(text, speaking, taken)
        fresh = []
        for found in sentence.claims:  # a headline repeats a claim of the body: once is enough
            key = (
                found.claim.indicator,
                found.claim.value,
                found.unit_text,
                str(found.claim.period),
            )
            if not found.mapped or key not in seen:
                seen.add(key)
                fresh.append(found)
        read.append(Sentence(sentence.text, tuple(fresh)))
    return Release(speaking, tuple(read))
