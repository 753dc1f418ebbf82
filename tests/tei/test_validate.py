"""Every TEI master is valid against publish.rng and the official tei_all.rng."""

from __future__ import annotations

from pathlib import Path

import pytest

from publish.errors import InvalidTEIError
from publish.normalise import normalise_file
from publish.tei import T, parse_bytes, serialise
from publish.tei.validate import check_publish_schema, first_error, publish_schema

from tests.conftest import CORPUS, SAMPLE, shared_path


def masters(options):
    paths = [SAMPLE] + (sorted(CORPUS.rglob("*.txt")) if CORPUS.is_dir() else [])
    return [(p, parse_bytes(serialise(normalise_file(p, options)))) for p in paths]


def test_plain_text_masters_are_valid_tei_p5(options, tei_all):
    shared_path(CORPUS)
    for path, tree in masters(options):
        assert first_error(publish_schema(), tree) is None, path
        assert first_error(tei_all, tree) is None, f"{path}: {first_error(tei_all, tree)}"


def test_invalid_tree_is_refused_naming_the_line(options):
    tree = normalise_file(SAMPLE, options)
    tree.getroot().find(".//{*}body").append(T.table())
    with pytest.raises(InvalidTEIError, match=r"doc\.xml: not valid against publish\.rng: line \d+"):
        check_publish_schema(tree, Path("doc.xml"))
