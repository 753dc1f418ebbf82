"""Tests for publish.render.pdf.weasyprint_patch: the patch is made on WeasyPrint 70 only, and undone.

The version check is called with real version strings; the patch itself is
checked on the installed WeasyPrint, whose private function it wraps.
"""

from __future__ import annotations

import pytest
import weasyprint
from weasyprint.pdf import tags

from publish.errors import RenderError
from publish.render.pdf.weasyprint_patch import (
    WEASYPRINT_MAJOR,
    check_version,
    structure_origins,
)


def test_the_installed_weasyprint_is_the_one_the_patch_was_written_for():
    assert weasyprint.__version__.split(".")[0] == str(WEASYPRINT_MAJOR) == "70"
    check_version(weasyprint.__version__)


@pytest.mark.parametrize("version", ["70.0", "70.1", "70.2.post1", "70.0b1"])
def test_any_release_of_the_same_major_version_is_accepted(version):
    check_version(version)


@pytest.mark.parametrize("version", ["71.0", "69.2", "7.0", "700.1", "170.0"])
def test_another_major_version_is_refused_naming_both(version):
    with pytest.raises(RenderError) as raised:
        check_version(version)
    message = raised.value.one_line()
    assert f"WeasyPrint {version} is installed" in message and "WeasyPrint 70.x" in message
    assert raised.value.exit_code == 70


def test_the_private_function_is_wrapped_only_inside_the_block():
    original = tags._build_box_tree
    with structure_origins() as origins:
        assert tags._build_box_tree is not original
        assert origins == {}
    assert tags._build_box_tree is original
    with pytest.raises(ValueError), structure_origins():
        raise ValueError("a failed render")
    assert tags._build_box_tree is original
