"""The report's SVG charts: round axes, every value drawn, text escaped."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from fourchain.adapters.reports.svg_charts import _bounds, bar_chart, line_chart, nice_ceiling

SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize(
    ("value", "ceiling"), [(0.37, 0.5), (1.0, 1.0), (1.2, 2.0), (2.2, 2.5), (4.1, 5.0), (730, 1000)]
)
def test_axis_steps_are_one_two_two_and_a_half_or_five_times_a_power_of_ten(
    value: float, ceiling: float
) -> None:
    assert nice_ceiling(value) == pytest.approx(ceiling)


def test_bars_start_at_zero_and_lines_just_under_their_lowest_value() -> None:
    series = {"a": {"2020": 3.08, "2025": 3.53}}
    assert _bounds(series, zero_based=True)[0] == 0.0
    low, top = _bounds(series, zero_based=False)
    assert 0 < low < 3.08 and top >= 3.53


@pytest.mark.parametrize("draw", [line_chart, bar_chart])
def test_a_chart_is_valid_svg_with_a_mark_per_value_and_escaped_text(draw: object) -> None:
    series = {"研发<强度>": {"2020": 3.08, "2021": 3.17, "2022": 3.25}}
    svg = draw("图 & 表", series, "%")  # type: ignore[operator]
    root = ET.fromstring(svg)  # parses: the & and < were escaped
    assert root.find(f"{SVG}title").text == "图 & 表"  # type: ignore[union-attr]
    marks = root.findall(f"{SVG}circle") + root.findall(f"{SVG}rect")
    assert len([m for m in marks if m.get("width") != "10"]) >= 3
    assert "研发<强度>" in "".join(root.itertext())


def test_a_rotated_long_first_label_is_not_cut_at_the_left_edge() -> None:
    """The PDF cut the first bar label: the image now reaches as far left as that label."""
    names = [f"第{i}个很长的产业集群名称" for i in range(12)]
    svg = bar_chart("集群", {"企业": {n: float(i + 1) for i, n in enumerate(names)}}, "家")
    root = ET.fromstring(svg)
    left, _top, width, _height = (float(v) for v in root.attrib["viewBox"].split())
    first = next(t for t in root.iter("{http://www.w3.org/2000/svg}text") if t.text == names[0])
    reach = float(first.attrib["x"]) - 11 * 10 * 0.8192  # 11 glyphs at 10 px, cos 35°
    assert left < 0 and left <= reach and width == float(root.attrib["width"])
    short = ET.fromstring(bar_chart("年", {"a": {"2024": 1.0, "2025": 2.0}}, "家"))
    assert short.attrib["viewBox"].startswith("0 0 ")
