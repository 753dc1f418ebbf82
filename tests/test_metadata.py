"""Tests for publish.metadata: sidecar TOML files and their checks."""

from __future__ import annotations

import pytest

from publish.errors import InputError
from publish.metadata import Metadata, load_sidecar

from tests.conftest import SAMPLE


def test_sample_sidecar_holds_what_the_archive_needs():
    meta = load_sidecar(SAMPLE.with_suffix(".toml"))
    assert meta.date == "2023-01-29"
    assert meta.language == "en"
    assert "Liaoning" in meta.source and "English translation" in meta.source
    assert meta.title and meta.publisher and meta.licence


@pytest.mark.parametrize("text, message", [
    ('titel = "typo"', "unknown metadata key"),
    ("date = 2023-13-01", "not valid TOML"),
    ('date = "29 January 2023"', "must be YYYY, YYYY-MM or YYYY-MM-DD"),
    ('language = "english language"', "not a valid BCP 47 tag"),
    ('language = "xx-invalid"', "not a valid BCP 47 tag"),
    ('language = "en-xyzzy"', "not a valid BCP 47 tag"),
    ('title = "Bell\\u0007 rung"', "'title' holds the control character U[+]0007"),
    ('title = "Nul\\u0000"', "'title' holds the control character U[+]0000"),
    ('author = ["Esc\\u001b[31m"]', "'author' holds the control character U[+]001B"),
    ('source = "\\ufffe"', "'source' holds the control character U[+]FFFE"),
    ("author = [1, 2]", "must be a string or a list of strings"),
    ('title = ""', "must be a non-empty string"),
])
def test_bad_sidecars_are_refused_by_name(tmp_path, text, message):
    sidecar = tmp_path / "doc.toml"
    sidecar.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=message) as caught:
        load_sidecar(sidecar)
    assert str(sidecar) in caught.value.one_line()


@pytest.mark.parametrize("tag", ["en", "en-GB", "zh-Hant-TW", "sr-Cyrl", "de-1901", "yue", "und", "fr-x-local"])
def test_registered_language_tags_are_taken(tmp_path, tag):
    sidecar = tmp_path / "doc.toml"
    sidecar.write_text(f'language = "{tag}"', encoding="utf-8")
    assert load_sidecar(sidecar).language == tag


def test_a_control_character_in_a_sidecar_is_one_line_exit_65(tmp_path):
    """Once an internal error (lxml's ValueError, exit 1); now a refusal naming the sidecar and the key."""
    import subprocess
    import sys

    (tmp_path / "doc.txt").write_text("A letter.\n", encoding="utf-8")
    (tmp_path / "doc.toml").write_text('title = "Bell\\u0007"\n', encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "publish", "normalise", str(tmp_path / "doc.txt"),
                             "-o", str(tmp_path / "doc.xml")], capture_output=True, text=True)
    assert result.returncode == 65, result.stderr
    [line] = result.stderr.splitlines()
    assert "doc.toml" in line and "'title'" in line and "U+0007" in line
    assert not (tmp_path / "doc.xml").exists()


def test_sidecar_values_win_and_gaps_fall_back():
    found = Metadata(title="Guess", title_supplied=True, date="2020-01-01")
    merged = Metadata(title="Given").over(found)
    assert (merged.title, merged.title_supplied, merged.date) == ("Given", False, "2020-01-01")
    assert Metadata().over(found).title_supplied is True
