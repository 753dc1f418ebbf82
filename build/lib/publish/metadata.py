"""Document metadata: the sidecar TOML file, and what a source says of itself.

A seed ``seeds/<id>.<ext>`` may have a sidecar ``seeds/<id>.toml``. Every key
is optional; unknown keys are an error, so a typo is never silently ignored::

    title = "…"                 # the document's title
    author = ["…"]              # a string or a list of strings
    date = 2023-01-29           # the source's date: TOML date or "YYYY[-MM[-DD]]"
    language = "en"             # BCP 47 tag of the text
    source = "…"                # what the source is: sourceDesc
    publisher = "…"             # who publishes this edition
    licence = "…"               # the licence, as text
    licence_url = "https://…"   # the licence, as a URL
    collection = "…"            # the collection (BagIt Bag-Group-Identifier)
    encoding = "windows-1252"   # force the source's character encoding

Sidecar values win over what the normaliser found in the source.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import tomllib
from pathlib import Path

from publish.errors import InputError

ISO_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


@dataclasses.dataclass(frozen=True)
class Metadata:
    """What is known about a document; ``None`` means not known."""

    title: str | None = None
    title_supplied: bool = False
    author: tuple[str, ...] = ()
    date: str | None = None
    language: str | None = None
    source: str | None = None
    publisher: str | None = None
    licence: str | None = None
    licence_url: str | None = None
    collection: str | None = None
    encoding: str | None = None

    def over(self, found: Metadata) -> Metadata:
        """These values, falling back to ``found`` where this has none."""
        merged = {}
        for field in dataclasses.fields(self):
            mine = getattr(self, field.name)
            merged[field.name] = mine if mine not in (None, ()) else getattr(found, field.name)
        # A title is "supplied" only if it came from the normaliser's guess.
        merged["title_supplied"] = not self.title and found.title_supplied
        return Metadata(**merged)


SIDECAR_KEYS = {f.name for f in dataclasses.fields(Metadata)} - {"title_supplied"}


def load_sidecar(path: Path) -> Metadata:
    """Read and check a sidecar TOML file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise InputError(f"sidecar is not valid TOML: {err}", path) from None
    return metadata_from_mapping(data, path)


def metadata_from_mapping(data: dict, path: Path | str | None) -> Metadata:
    """Check a mapping of metadata (sidecar or front matter) and make :class:`Metadata`."""
    unknown = sorted(set(data) - SIDECAR_KEYS)
    if unknown:
        raise InputError(f"unknown metadata key(s) {', '.join(unknown)}; "
                         f"known: {', '.join(sorted(SIDECAR_KEYS))}", path)
    values = {key: _check_value(key, value, path) for key, value in data.items()}
    return Metadata(**values)


#: What XML 1.0 cannot hold (§2.2 Char), which TOML's escapes (``"\u0007"``) can still write.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _check_value(key: str, value, path):
    if key == "author":
        authors = [value] if isinstance(value, str) else value
        if not isinstance(authors, list) or not all(isinstance(a, str) for a in authors):
            raise InputError("metadata 'author' must be a string or a list of strings", path)
        for author in authors:
            _check_characters(key, author, path)
        return tuple(a.strip() for a in authors if a.strip())
    if key == "date":
        return normalise_date(value, path)
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"metadata '{key}' must be a non-empty string", path)
    _check_characters(key, value, path)
    value = " ".join(value.split())
    if key == "language" and not registered(value):
        raise InputError(f"metadata 'language' is not a valid BCP 47 tag (RFC 5646, IANA registry): "
                         f"{value!r}", path)
    return value


def _check_characters(key: str, value: str, path) -> None:
    """Refuse a control character (or other non-character) that no XML, and so no master, can hold."""
    found = NOT_XML.search(value)
    if found:
        raise InputError(f"metadata '{key}' holds the control character U+{ord(found.group()):04X}, "
                         "which XML cannot hold; remove it", path)


def registered(tag: str) -> bool:
    """Whether a tag is well-formed (RFC 5646) and each subtag is in the IANA registry (langcodes' copy)."""
    import langcodes  # only for a tag a sidecar or front matter gives

    return langcodes.tag_is_valid(tag)


def normalise_date(value, path) -> str:
    """A TOML date or an ISO 8601 ``YYYY[-MM[-DD]]`` string, as a string."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and ISO_DATE.match(value.strip()):
        return value.strip()
    raise InputError(f"metadata 'date' must be YYYY, YYYY-MM or YYYY-MM-DD, not {value!r}", path)
