"""The core (domain, formats, store, instruments, insights, guide, services) knows no front end."""

import ast
import re
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


# -- the store is sealed: no table or column is named outside it -----------------------------
_SQL = re.compile(
    r"\b(SELECT|INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|CREATE\s+(TABLE|INDEX|TRIGGER)"
    r"|ALTER\s+TABLE|DROP\s+TABLE|PRAGMA|WHERE|JOIN)\b"
)


def _schema() -> dict[str, set[str]]:
    import sqlite3

    from innerpace.store import migrations

    conn = sqlite3.connect(":memory:")
    migrations.migrate(conn, None)
    tables = [
        row[0]
        for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        if not row[0].startswith("sqlite_")
    ]
    return {t: {c[1] for c in conn.execute(f"PRAGMA table_info({t})")} for t in tables}


def _strings(path: Path) -> list[str]:
    tree = ast.parse(path.read_text("utf-8"), filename=str(path))
    found = [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]
    docstrings = {
        ast.get_docstring(node, clean=False)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
    }
    return [s for s in found if s not in docstrings]


def _outside_store() -> list[Path]:
    return [p for p in sorted(SRC.rglob("*.py")) if p.relative_to(SRC).parts[0] != "store"]


def test_no_module_outside_the_store_writes_sql():
    found = [
        f"{p.relative_to(SRC)}: {s[:60]!r}"
        for p in _outside_store()
        for s in _strings(p)
        if _SQL.search(s) and any(re.search(rf"\b{t}\b", s) for t in _schema())
    ]
    assert found == []


def test_no_module_outside_the_store_names_a_column_of_a_table():
    schema = _schema()
    qualified = {f"{t}.{c}" for t, columns in schema.items() for c in columns}
    found = [
        f"{p.relative_to(SRC)}: {s!r}"
        for p in _outside_store()
        for s in _strings(p)
        if any(q in s for q in qualified if re.search(rf"\b{re.escape(q)}\b", s))
    ]
    assert found == []


def test_the_seal_check_would_catch_a_query():
    sql = "SELECT note FROM checkins WHERE run_id = ?"
    assert _SQL.search(sql) and "checkins" in _schema() and "note" in _schema()["checkins"]


# -- the import graph has no cycle ----------------------------------------------------------


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """Every innerpace module and the innerpace modules it imports (anywhere in its body)."""
    paths = {module_name(p): p for p in SRC.rglob("*.py")}

    def resolve(name: str) -> str | None:
        while name and name not in paths:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {}
    for name, path in paths.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets: set[str | None] = set()
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                targets.update(
                    resolve(a.name) for a in node.names if a.name.startswith("innerpace")
                )
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    root = package
                    for _ in range(node.level - 1):
                        root = root.rpartition(".")[0]
                    base = f"{root}.{base}" if base else root
                if not base.startswith("innerpace"):
                    continue
                for alias in node.names:
                    full = f"{base}.{alias.name}"
                    targets.add(full if full in paths else resolve(base))
        graph[name] = {t for t in targets if t is not None and t != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(group)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_import_graph_has_no_cycle():
    assert [sorted(c) for c in cycles(import_graph())] == []


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [{"a", "b", "c"}]
    assert "innerpace.store" in import_graph()["innerpace.services.journal"]
