"""Run every benchmark script in this folder, one after another, with its default arguments."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent


def main() -> int:
    failures = 0
    for script in sorted(HERE.glob("bench_*.py")):
        print(f"\n=== {script.name} ===", flush=True)
        result = subprocess.run([sys.executable, str(script)], check=False)
        if result.returncode != 0:
            failures += 1
            print(f"{script.name} exited with {result.returncode}", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
