"""Projections with statsmodels: a random walk with drift (ARIMA(0,1,0) with a trend term),
on the level (steady absolute growth) or, for a positive series, on logarithms (steady
percentage growth) — whichever made the smaller one-step errors over the years fitted.
Intervals and the chance of a target come from its predictive distribution, widened for the
drift's own uncertainty (σ_h = σ√(h(1 + h/T)), T yearly changes seen) and taken as Student-t
with T − 1 degrees of freedom, since σ is estimated from a handful of changes. The point is
the predictive median, so it lies inside its interval.

Why this model (docs/foresight.md): the catalogue's series are five or six yearly points. A
drift model has two parameters and widens its interval with the horizon as √h; Holt's ETS
needs four or five for the same points.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
from scipy.stats import t as student
from statsmodels.tsa.arima.model import ARIMA

METHOD = "ARIMA(0,1,0)+drift (statsmodels)"


def _one_step_error(values: np.ndarray, log: bool) -> float:
    """Σ|error| of "last year plus the mean change" (in the series' own units)."""
    if log:
        growth = np.diff(np.log(values)).mean()
        return float(np.abs(values[1:] - values[:-1] * np.exp(growth)).sum())
    return float(np.abs(np.diff(values) - np.diff(values).mean()).sum())


class DriftForecaster:
    """Fits one series and answers the outlook's questions about its future years."""

    def __init__(self, values: list[float]) -> None:
        raw = np.asarray(values, dtype=float)
        self.log = bool(np.all(raw > 0)) and _one_step_error(raw, True) < _one_step_error(
            raw, False
        )
        y = np.log(raw) if self.log else raw
        self.last = float(y[-1])
        diffs = np.diff(y)
        self.changes = len(diffs)
        self.flat = bool(np.allclose(diffs, diffs[0])) if len(diffs) else True
        if self.flat:  # a straight line: no noise to estimate, the path is certain
            self.drift, self.sigma = float(diffs[0]) if len(diffs) else 0.0, 0.0
            return
        with warnings.catch_warnings():
            # Five points are few for the optimiser's start values; it says so, and converges.
            warnings.simplefilter("ignore")
            fitted = ARIMA(y, order=(0, 1, 0), trend="t").fit()
        self.drift = float(fitted.params[0])
        self.sigma = math.sqrt(float(fitted.params[-1]))

    @property
    def method(self) -> str:
        return f"{METHOD}, {'logarithms' if self.log else 'levels'}"

    def _back(self, x: float) -> float:
        return math.exp(x) if self.log else x

    def _forward(self, x: float) -> float:
        if self.log:
            return math.log(x) if x > 0 else -math.inf
        return x

    def _spread(self, h: int) -> tuple[float, float]:
        """The predictive centre and scale `h` years on."""
        seen = max(self.changes, 1)
        return self.last + h * self.drift, self.sigma * math.sqrt(h * (1 + h / seen))

    def at(self, h: int, level: float) -> tuple[float, float, float]:
        """The point and interval `h` years after the last observation."""
        mean, sd = self._spread(h)
        half = float(student.ppf(0.5 + level / 2, df=max(self.changes - 1, 1))) * sd
        return self._back(mean), self._back(mean - half), self._back(float(mean + half))

    def chance_at_least(self, h: int, value: float) -> float:
        """P(the value `h` years on ≥ `value`)."""
        mean, sd = self._spread(h)
        threshold = self._forward(value)
        if sd == 0:
            return 1.0 if mean >= threshold else 0.0
        return float(student.sf((threshold - mean) / sd, df=max(self.changes - 1, 1)))
