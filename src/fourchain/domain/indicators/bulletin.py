"""The pieces of a bulletin: figures that know their indicator, sentences, charts and sections."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from fourchain.domain.indicators.catalogue import CATALOGUE
from fourchain.domain.indicators.definitions_zh import DEFINITIONS_ZH
from fourchain.domain.indicators.numbers import format_en, format_zh

_SLOT = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Figure:
    """A number in the prose, with the indicator (and year or span) it is a value of."""

    indicator: str
    year: int
    value: float
    text: str
    span_start: int | None = None

    @property
    def period(self) -> str:
        return str(self.year) if self.span_start is None else f"{self.span_start}-{self.year}"


def figure(
    indicator: str,
    year: int,
    value: float,
    lang: str,
    *,
    span_start: int | None = None,
    decimals: int | None = None,
    word: str | None = None,
) -> Figure:
    unit = CATALOGUE[indicator].unit
    text = (
        format_zh(value, unit, decimals, word) if lang == "zh" else format_en(value, unit, decimals)
    )
    return Figure(indicator, year, value, text, span_start)


@dataclass(frozen=True)
class Sentence:
    """Text with figures in it; `parts` alternates plain text and figures."""

    parts: tuple[str | Figure, ...]

    @classmethod
    def of(cls, template: str, **slots: Figure | str | int) -> Sentence:
        """'由{a}提升至{b}' with a=Figure(...) -> parts ('由', Figure, '提升至', Figure)."""
        parts: list[str | Figure] = []
        position = 0
        for match in _SLOT.finditer(template):
            parts.append(template[position : match.start()])
            value = slots[match.group(1)]
            parts.append(value if isinstance(value, Figure) else str(value))
            position = match.end()
        parts.append(template[position:])
        merged: list[str | Figure] = []
        for part in parts:
            if isinstance(part, str) and merged and isinstance(merged[-1], str):
                merged[-1] += part
            elif part != "":
                merged.append(part)
        return cls(tuple(merged))

    @property
    def figures(self) -> list[Figure]:
        return [part for part in self.parts if isinstance(part, Figure)]

    @property
    def text(self) -> str:
        return "".join(p if isinstance(p, str) else p.text for p in self.parts)


@dataclass(frozen=True)
class Chart:
    """A chart and the numbers behind it: series name -> {category: value}."""

    key: str
    title: str
    kind: str  # "line" or "bar"
    unit_label: str
    indicators: tuple[str, ...]
    series: Mapping[str, Mapping[str, float]]  # already in the unit_label's unit


@dataclass
class Section:
    key: str
    title: str
    sentences: list[Sentence] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)

    def say(self, sentence: Sentence | None) -> None:
        if sentence is not None:
            self.sentences.append(sentence)


@dataclass(frozen=True)
class Footnote:
    number: int
    indicator: str
    name: str
    definition: str


@dataclass
class Bulletin:
    title: str
    subtitle: str
    year: int
    lang: str
    sections: list[Section]
    not_derivable: dict[str, str] = field(default_factory=dict)

    def footnotes(self) -> list[Footnote]:
        """One note per indicator quoted, numbered in order of first appearance."""
        notes: dict[str, Footnote] = {}
        for section in self.sections:
            for sentence in section.sentences:
                for fig in sentence.figures:
                    if fig.indicator not in notes:
                        spec = CATALOGUE[fig.indicator]
                        zh = self.lang == "zh"
                        notes[fig.indicator] = Footnote(
                            len(notes) + 1,
                            fig.indicator,
                            spec.name_zh if zh else spec.name_en,
                            DEFINITIONS_ZH[fig.indicator] if zh else spec.definition,
                        )
        return list(notes.values())

    def figures(self) -> list[Figure]:
        return [f for s in self.sections for sentence in s.sentences for f in sentence.figures]
