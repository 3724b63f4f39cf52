"""The four-chain fusion index: a composite built the way the EU Regional Innovation Scoreboard
builds its Summary Innovation Index (outliers tamed, min-max normalised, averaged).

For each measure, over the chains of one year:
1. outliers — values above mean + 2 sd or below mean − 2 sd — are replaced by the highest
   (lowest) value that is not an outlier, as RIS does before normalising;
2. min-max normalisation to [0, 1]: (x − min) / (max − min); when every chain has the same
   value the measure says nothing about their differences and each gets 0.5;
3. a dimension's score is the equal-weight mean of its measures' normalised values;
4. the index is the arithmetic mean of the four dimensions' scores, times 100.
A chain with no value for a measure (no data) counts as the minimum of that measure.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# The chain dimensions and the measures each reads (keys of the measures mapping).
DIMENSIONS: dict[str, tuple[str, ...]] = {
    "innovation": ("institutions", "invention_patents", "conversions"),
    "industry": ("output", "enterprises", "tiered_enterprises"),
    "capital": ("equity_financing",),
    "talent": ("st_staff",),
}
DIMENSION_LABELS: dict[str, tuple[str, str]] = {
    "innovation": ("创新链", "Innovation chain"),
    "industry": ("产业链", "Industry chain"),
    "capital": ("资金链", "Capital chain"),
    "talent": ("人才链", "Talent chain"),
}
MEASURES: tuple[str, ...] = tuple(m for ms in DIMENSIONS.values() for m in ms)
OUTLIER_SD = 2.0


@dataclass(frozen=True)
class FusionScore:
    chain: str
    index: float  # 0..100
    dimensions: dict[str, float]  # 0..100 each


def tame_outliers(values: Sequence[float]) -> list[float]:
    """Replace values beyond mean ± 2 sd by the extreme values that are not outliers."""
    if len(values) < 3:
        return list(values)
    mean = sum(values) / len(values)
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (len(values) - 1))
    if sd == 0:
        return list(values)
    high, low = mean + OUTLIER_SD * sd, mean - OUTLIER_SD * sd
    inside = [v for v in values if low <= v <= high]
    top, bottom = max(inside), min(inside)
    return [top if v > high else bottom if v < low else v for v in values]


def min_max(values: Sequence[float]) -> list[float]:
    lowest, highest = min(values), max(values)
    if highest == lowest:
        return [0.5] * len(values)
    return [(v - lowest) / (highest - lowest) for v in values]


def fusion_index(measures: Mapping[str, Mapping[str, float | None]]) -> list[FusionScore]:
    """`measures[chain][measure]` -> one score per chain, in the chains' sorted order."""
    chains = sorted(measures)
    if not chains:
        return []
    normalised: dict[str, list[float]] = {}
    for measure in MEASURES:
        raw = [measures[chain].get(measure) for chain in chains]
        present = [float(v) for v in raw if v is not None and math.isfinite(float(v))]
        floor = min(present) if present else 0.0
        filled = [float(v) if v is not None and math.isfinite(float(v)) else floor for v in raw]
        normalised[measure] = min_max(tame_outliers(filled))
    scores: list[FusionScore] = []
    for i, chain in enumerate(chains):
        dims = {
            dim: 100 * sum(normalised[m][i] for m in members) / len(members)
            for dim, members in DIMENSIONS.items()
        }
        scores.append(FusionScore(chain, sum(dims.values()) / len(dims), dims))
    return scores
