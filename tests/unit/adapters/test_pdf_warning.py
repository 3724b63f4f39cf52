"""On a machine without libharfbuzz-subset, loading WeasyPrint through fourchain raises no
warning under warnings-as-errors, while a bare `import weasyprint` does (the library is hidden
from WeasyPrint's loader in a child interpreter, not removed from the machine)."""

from __future__ import annotations

import subprocess
import sys

import pytest

HIDE_HARFBUZZ_SUBSET = """
import warnings
import cffi
warnings.simplefilter("error")
_dlopen = cffi.FFI.dlopen
def dlopen(self, name, *args, **kwargs):
    if "harfbuzz-subset" in str(name):
        raise OSError(f"{name}: hidden by the test")
    return _dlopen(self, name, *args, **kwargs)
cffi.FFI.dlopen = dlopen
"""


@pytest.mark.parametrize(
    ("load", "warns"),
    [
        ("import weasyprint", True),
        ("from fourchain.adapters.reports import pdf; pdf._weasyprint()", False),
    ],
)
def test_the_harfbuzz_subset_warning_is_filtered_where_weasyprint_is_loaded(
    load: str, warns: bool
) -> None:
    done = subprocess.run(
        [sys.executable, "-c", HIDE_HARFBUZZ_SUBSET + load],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ("HarfBuzz-Subset will be required" in done.stderr) is warns, done.stderr
    assert (done.returncode != 0) is warns, done.stderr
