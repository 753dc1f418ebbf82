"""Imports run one way: no cycle in publish/, counting function-level imports too.

If a cycle could only be avoided by importing inside a function, adding that
import to the graph closes the cycle and this test fails; so no function-level
import is left that exists only to hide one.
"""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

from tests.conftest import ROOT

PACKAGE = ROOT / "publish"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(node: ast.AST, here: str, modules: set[str]) -> set[str]:
    """The publish modules an import statement uses.

    ``from a import b`` uses module ``a.b`` if there is one, else ``a``. A
    package's ``__init__``, which Python runs before any of its submodules, is
    not counted as a use by its submodules: it is the package's table of
    contents, not a dependency.
    """
    names = set()
    if isinstance(node, ast.Import):
        names = {alias.name for alias in node.names}
    elif isinstance(node, ast.ImportFrom):
        base = node.module or ""
        if node.level:
            package = here.rsplit(".", node.level)[0]
            base = f"{package}.{base}" if base else package
        names = {f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                 for alias in node.names}
    return {name for name in names if name in modules}


def import_graph() -> dict[str, set[str]]:
    paths = sorted(PACKAGE.rglob("*.py"))
    modules = {module_name(path) for path in paths}
    graph = {}
    for path in paths:
        here = module_name(path)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        graph[here] = set().union(*(imported(node, here, modules) for node in ast.walk(tree))) - {here}
    return graph


def test_no_import_cycle_even_with_function_level_imports():
    try:
        order = list(TopologicalSorter(import_graph()).static_order())
    except CycleError as error:
        raise AssertionError(f"import cycle: {' -> '.join(error.args[1])}") from None
    assert "publish.cli" in order


def test_nothing_below_build_imports_build():
    graph = import_graph()
    build = {name for name in graph if name.startswith("publish.build")}
    for name, targets in graph.items():
        if name.startswith(("publish.pipeline", "publish.normalise", "publish.render", "publish.tei",
                            "publish.layout", "publish.formats")):
            assert not targets & build, f"{name} imports {sorted(targets & build)}"
