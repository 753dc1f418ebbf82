"""PRONOM format identification: what a file is, by The National Archives' registry of formats.

Archives identify formats by PRONOM unique identifiers (PUIDs), as
Archivematica does with Siegfried. publish asks Siegfried too, through
pygfried (Siegfried's engine as a Python extension, whose wheel carries the
signature file, so nothing is fetched): every seed, to record its PUID in the
teiHeader's ``sourceDesc`` and its PREMIS record, and every edition, for
PREMIS and the site's download table.

A seed whose content contradicts its name is refused (:func:`contradiction`):
a ``.docx`` that is really a ``.doc``, an ``.html`` that is a PDF. Siegfried
says ``extension mismatch`` when a byte or container signature names a format
the extension does not; publish refuses when that format cannot be what the
extension's normaliser reads (text for ``.txt``, ``.md``, ``.html`` and
``.xml``; a Word OOXML package for ``.docx``).
"""

from __future__ import annotations

import dataclasses
import functools
import os
import tempfile
from pathlib import Path

#: The PUIDs of a Word OOXML document (Word 2007 and later, macro-enabled, strict).
WORD_OOXML = frozenset({"fmt/412", "fmt/523", "fmt/1827"})
#: Seed suffixes whose normaliser reads text.
TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xhtml", ".xml"})


@dataclasses.dataclass(frozen=True)
class Identification:
    """Siegfried's answer for one file: the PUID, the format's name and version, and why."""

    puid: str
    name: str
    version: str
    mime: str
    basis: str
    warning: str

    @property
    def known(self) -> bool:
        return bool(self.puid) and self.puid != "UNKNOWN"

    @property
    def by_signature(self) -> bool:
        """Identified by the bytes (a byte, container or XML signature), not by the name alone."""
        return self.basis.startswith(("byte match", "container", "xml match"))

    @property
    def certainty(self) -> str:
        """TEI ``@cert``: high for a signature match, medium for text or extension alone."""
        return "high" if self.by_signature else "medium"

    @property
    def title(self) -> str:
        """The format's name with its version, as a person reads it ("Acrobat PDF/A … 3a")."""
        return f"{self.name} {self.version}".strip() if self.name else self.puid


@dataclasses.dataclass(frozen=True)
class Tool:
    """Siegfried's version and the signature files it identifies by (recorded in provenance)."""

    version: str
    signatures: str


@functools.cache
def scanner():
    """One Siegfried scanner per process (loading the signatures takes about 0.1 s)."""
    import pygfried

    return pygfried.Scanner()


@functools.cache
def tool() -> Tool:
    """Siegfried's version and its PRONOM signature files (``DROID_SignatureFile_V125.xml; …``)."""
    import pygfried

    with tempfile.NamedTemporaryFile(suffix=".txt") as probe:
        result = scanner().identify(probe.name, detailed=True)
    details = next((i.get("details", "") for i in result.get("identifiers", []) if i.get("name") == "pronom"), "")
    return Tool(pygfried.version(), details)


def identify(path: Path) -> Identification:
    """What Siegfried says the file at ``path`` is (by its bytes and its name)."""
    result = scanner().identify(os.fspath(path), detailed=True)
    matches = [m for file in result.get("files", []) for m in file.get("matches", []) if m.get("ns") == "pronom"]
    match = matches[0] if matches else {}
    return Identification(match.get("id", "UNKNOWN") or "UNKNOWN", match.get("format", ""),
                          match.get("version", ""), match.get("mime", ""), match.get("basis", ""),
                          match.get("warning", ""))


def identify_bytes(name: str, data: bytes) -> Identification:
    """What Siegfried says a file named ``name`` holding ``data`` is (written to a private temporary file)."""
    with tempfile.TemporaryDirectory(prefix="publish-build-pronom-") as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        return identify(path)


def contradiction(suffix: str, found: Identification) -> str | None:
    """Why a seed's content is not what its suffix says, or None (see the module docstring)."""
    if not (found.known and found.by_signature and "extension mismatch" in found.warning):
        return None
    suffix = suffix.lower()
    textual = found.mime.startswith("text/") or found.mime.endswith(("xml", "+xml")) or not found.mime
    if suffix in TEXT_SUFFIXES and not textual:
        return f"its content is {found.title} ({found.puid}, {found.mime}), not the text a {suffix} holds"
    if suffix == ".docx" and found.puid not in WORD_OOXML:
        return f"its content is {found.title} ({found.puid}), not a Word OOXML document as .docx says"
    return None
