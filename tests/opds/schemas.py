"""The OPDS schemas from ../shared/schemas/opds/, read in place, with the two fixes SOURCE.md documents.

OPDS 1.2: ``opds1/opds.rng`` (trang's RELAX NG XML form of the upstream
``opds.rnc``, with ``atom.rng`` beside it; no conversion is made here). Its
``atomUri`` pattern lost two backslashes upstream (``\\nrt`` for ``\\\\\\n\\r\\t``),
so it rejects every IRI holding an ``r`` or a ``t``; the pattern is put back in
memory, as the 2010 original reads. The files are not changed.

OPDS 2.0: every ``opds2/**/*.schema.json`` registered under its own ``$id`` in
a :class:`referencing.Registry` that refuses to fetch, so no ``$ref`` leaves
the disk. Readium's BCP 47 patterns use ECMA-262 named groups ``(?<name>``,
which Python's ``re`` spells ``(?P<name>``; they are rewritten in memory.
``format`` is checked (jsonschema's ``format-nongpl`` checkers).
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

from lxml import etree

from tests.conftest import SHARED

OPDS_SCHEMAS = SHARED / "schemas" / "opds"
RNG_NS = "http://relaxng.org/ns/structure/1.0"
UPSTREAM_ATOM_URI = '.*[ <>{}|^`"\\nrt].*'
FIXED_ATOM_URI = '.*[ <>{}|^`"\\\\\\n\\r\\t].*'
FEED_SCHEMA = "https://specs.opds.io/schema/feed.schema.json"
NAMED_GROUP = re.compile(r"\(\?<(?=[A-Za-z_])")


@functools.cache
def opds12_schema(root: Path = OPDS_SCHEMAS) -> etree.RelaxNG:
    """The OPDS 1.2 RELAX NG schema with the upstream ``atomUri`` typo mended in memory."""
    doc = etree.parse(str(root / "opds1" / "opds.rng"))
    (param,) = doc.xpath('//r:define[@name="atomUri"]//r:param[@name="pattern"]', namespaces={"r": RNG_NS})
    assert param.text == UPSTREAM_ATOM_URI, "the upstream schema changed: check SOURCE.md again"
    param.text = FIXED_ATOM_URI
    return etree.RelaxNG(doc)


def python_patterns(node):
    """A schema with every ``pattern``'s ECMA-262 named groups in Python's spelling."""
    if isinstance(node, dict):
        return {k: NAMED_GROUP.sub("(?P<", v) if k == "pattern" and isinstance(v, str) else python_patterns(v)
                for k, v in node.items()}
    return [python_patterns(v) for v in node] if isinstance(node, list) else node


def offline(uri: str):
    raise LookupError(f"not in ../shared/schemas/opds/opds2: {uri}")


@functools.cache
def opds2_validator(root: Path = OPDS_SCHEMAS):
    """A draft-07 validator of OPDS 2.0 feeds whose every ``$ref`` resolves on disk."""
    from jsonschema import Draft7Validator, FormatChecker
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT7

    documents = [python_patterns(json.loads(p.read_text(encoding="utf-8")))
                 for p in sorted((root / "opds2").rglob("*.schema.json"))]
    registry = Registry(retrieve=offline).with_resources(
        (d["$id"], Resource.from_contents(d, default_specification=DRAFT7)) for d in documents)
    return Draft7Validator(registry[FEED_SCHEMA].contents, registry=registry, format_checker=FormatChecker())


def atom_problems(path: Path) -> list[str]:
    """The RELAX NG errors of one OPDS 1.2 feed (empty: valid)."""
    schema = opds12_schema()
    valid = schema.validate(etree.parse(str(path)))
    return [] if valid else [f"{path.name}:{e.line}: {e.message}" for e in schema.error_log]


def json_problems(path: Path) -> list[str]:
    """The JSON Schema errors of one OPDS 2.0 feed (empty: valid)."""
    document = json.loads(path.read_bytes())
    return [f"{path.name}: {'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in opds2_validator().iter_errors(document)]
