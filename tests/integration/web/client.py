"""Starlette's TestClient, imported without its warning about plain httpx.

Starlette 1.x prefers the `httpx2` package and warns (a deprecation, an error under our
`filterwarnings = error`) when it falls back to `httpx`, which is what is installed here. The
client works the same; this keeps the warning from failing collection.
"""

from __future__ import annotations

import warnings

from starlette.exceptions import StarletteDeprecationWarning

with warnings.catch_warnings():
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from starlette.testclient import TestClient

__all__ = ["TestClient"]
