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
    ('language = "english language"', "not a BCP 47 tag"),
    ("author = [1, 2]", "must be a string or a list of strings"),
    ('title = ""', "must be a non-empty string"),
])
def test_bad_sidecars_are_refused_by_name(tmp_path, text, message):
    sidecar = tmp_path / "doc.toml"
    sidecar.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=message) as caught:
        load_sidecar(sidecar)
    assert str(sidecar) in caught.value.one_line()


def test_sidecar_values_win_and_gaps_fall_back():
    found = Metadata(title="Guess", title_supplied=True, date="2020-01-01")
    merged = Metadata(title="Given").over(found)
    assert (merged.title, merged.title_supplied, merged.date) == ("Given", False, "2020-01-01")
    assert Metadata().over(found).title_supplied is True
