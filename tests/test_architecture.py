"""The core (domain, formats, store, instruments, insights, guide, services) knows no front end."""

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "innerpace"
FRONT_ENDS = ("cli", "web")
FORBIDDEN_IN_CORE = ("innerpace.cli", "innerpace.web", "typer", "starlette", "uvicorn", "jinja2")


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def core_files() -> list[Path]:
    return [
        p
        for p in sorted(SRC.rglob("*.py"))
        if p.relative_to(SRC).parts[0] not in FRONT_ENDS and p.name != "__main__.py"
    ]


@pytest.mark.parametrize("path", core_files(), ids=lambda p: str(p.relative_to(SRC)))
def test_the_core_never_imports_a_front_end(path):
    bad = {
        name
        for name in imports_of(path)
        if any(name == f or name.startswith(f + ".") for f in FORBIDDEN_IN_CORE)
    }
    assert not bad, f"{path.relative_to(SRC)} imports {sorted(bad)}"


def test_only_the_store_speaks_sql():
    outside = [
        str(p.relative_to(SRC))
        for p in sorted(SRC.rglob("*.py"))
        if p.relative_to(SRC).parts[0] != "store" and "sqlite3" in imports_of(p)
    ]
    assert outside == []


def test_the_domain_uses_the_standard_library_only():
    allowed_roots = {"innerpace", "__future__"}
    for path in sorted((SRC / "domain").rglob("*.py")):
        for name in imports_of(path):
            root = name.split(".")[0]
            assert root in allowed_roots or _is_stdlib(root), f"{path.name} imports {name}"


def _is_stdlib(name: str) -> bool:
    import sys

    return name in sys.stdlib_module_names
