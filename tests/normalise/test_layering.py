"""Format modules are readers, not libraries: none imports another (publish/normalise/).

Each row of :data:`publish.normalise.NORMALISERS` names a format module. What
readers share lives in modules that read no format (``structure``,
``xhtml_to_tei``, ``document``, ``titles`` …), so editing one reader cannot change
another's output. Read from the source with :mod:`ast`, so an import inside a
function counts too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import publish.normalise
from publish.normalise import NORMALISERS

PACKAGE = Path(publish.normalise.__file__).parent
FORMAT_MODULES = {row[1].__name__ for row in NORMALISERS}


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, by full name; ``from a import b`` counts ``a`` and ``a.b``."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolve against publish.normalise
                parent = publish.normalise.__name__.rsplit(".", node.level - 1)[0]
                base = f"{parent}.{base}" if base else parent
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def test_the_rows_name_the_format_modules():
    assert FORMAT_MODULES == {f"publish.normalise.{name}"
                              for name in ("text", "markdown", "html", "docx", "tei")}


@pytest.mark.parametrize("path", sorted(p for p in PACKAGE.glob("*.py") if p.name != "__init__.py"),
                         ids=lambda p: p.name)
def test_no_module_but_the_registry_imports_a_format_module(path):
    """Not a reader from another reader, nor from the shared layer (which would pass it on)."""
    own = f"publish.normalise.{path.stem}"
    assert not (imported_modules(path) & (FORMAT_MODULES - {own}))


def test_the_check_sees_both_spellings(tmp_path):
    source = tmp_path / "sample.py"
    source.write_text("from publish.normalise import text as t\n"
                      "def f():\n    from .html import from_document\n")
    assert {"publish.normalise.text", "publish.normalise.html"} <= imported_modules(source)
