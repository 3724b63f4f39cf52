"""HTML to PDF with WeasyPrint, imported lazily and with its one known import warning filtered.

WeasyPrint 70 warns (DeprecationWarning, "HarfBuzz-Subset will be required by future versions")
when it loads on a machine without libharfbuzz-subset; it then subsets fonts with fontTools and
the PDF is the same. The warning is filtered here, around the import and for that message
only, so a suite that turns warnings into errors still passes on a bare machine and any other
warning from WeasyPrint still surfaces.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

HARFBUZZ_SUBSET_WARNING = "HarfBuzz-Subset will be required"


def _weasyprint() -> Any:
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", message=HARFBUZZ_SUBSET_WARNING, category=DeprecationWarning
        )
        import weasyprint  # imported here: loading Pango costs a second

    return weasyprint


def write_pdf(html: str, base_url: str, path: Path) -> None:
    """Render `html` (resolving relative addresses against `base_url`) to a PDF at `path`."""
    _weasyprint().HTML(string=html, base_url=base_url).write_pdf(path)
