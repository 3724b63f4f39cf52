"""Ibis 12 calls DuckDB 2's deprecated `fetch_arrow_table`; silence that one warning around our
calls (tests run with warnings as errors) until Ibis moves to `to_arrow_table`."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def ibis_on_duckdb() -> Iterator[None]:
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", message=r"fetch_arrow_table\(\) is deprecated", category=DeprecationWarning
        )
        yield


def rows(expr: Any) -> list[dict[str, Any]]:
    """Run an Ibis expression and return its rows as dicts."""
    with ibis_on_duckdb():
        result: list[dict[str, Any]] = expr.to_pyarrow().to_pylist()
    return result
