"""The domain imports only the standard library, itself and fourchain.errors."""

import ast
import sys
from pathlib import Path

import fourchain.domain

DOMAIN = Path(fourchain.domain.__file__).parent
ALLOWED_OWN = ("fourchain.domain", "fourchain.errors")


def _imports(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def test_every_domain_module_imports_only_the_standard_library_and_the_domain() -> None:
    offenders = []
    for path in sorted(DOMAIN.rglob("*.py")):
        for name in _imports(path):
            top = name.split(".")[0]
            if top == "fourchain":
                if not name.startswith(ALLOWED_OWN):
                    offenders.append(f"{path.name}: {name}")
            elif top not in sys.stdlib_module_names and top != "__future__":
                offenders.append(f"{path.name}: {name}")
    assert offenders == []
