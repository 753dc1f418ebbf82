"""One table of exit codes: the error classes. README's copy and every use must agree with it."""

from __future__ import annotations

import ast
import re

from publish import errors
from publish.errors import EXIT_CODES

from tests.conftest import ROOT


def readme_exit_codes() -> dict[int, str]:
    """The exit-code table under README's "Errors and exit codes" heading."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("### Errors and exit codes", 1)[1].split("\n#", 1)[0]
    return {int(code): meaning for code, meaning in re.findall(r"^\| (\d+) \| (.+?) \|$", section, re.M)}


def test_readme_lists_exactly_the_exit_codes_of_the_error_classes():
    assert set(readme_exit_codes()) == set(EXIT_CODES.values())


def test_every_error_kind_has_its_own_documented_line():
    documented = errors.__doc__
    for name in EXIT_CODES:
        if name != "PublishError":
            assert re.search(rf"^{name}\s+{EXIT_CODES[name]}\s", documented, re.M), name


def test_no_exit_code_is_written_as_a_bare_number():
    """``exit_code=65`` or ``return 67`` outside errors.py would be a second copy of the table."""
    found = []
    for path in sorted((ROOT / "publish").rglob("*.py")):
        if path.name == "errors.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            numbers = []
            if isinstance(node, ast.keyword) and node.arg == "exit_code":
                numbers.append(node.value)
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "exit":
                numbers.extend(node.args)
            found += [f"{path.name}:{n.lineno}" for n in numbers
                      if isinstance(n, ast.Constant) and isinstance(n.value, int) and n.value]
    assert not found, found
