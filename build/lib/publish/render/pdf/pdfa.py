"""The PDF/A-3 details WeasyPrint leaves to fix: associated files (ISO 19005-3 §6.8).

The TEI master is embedded as the edition's source, listed once in the
catalogue's ``/AF`` and declared with its MIME type.
"""

from __future__ import annotations

import pydyf

from publish.render.pdf.objects import pdf_object

#: ISO 19005-3 part and conformance level; see the README for why "a".
PDF_VARIANT = "pdf/a-3a"
PDFA_PART, PDFA_CONFORMANCE = "3", "A"
#: The embedded master's MIME type, as the archive declares it.
TEI_MEDIA_TYPE = "text/xml"


def deduplicate_associated_files(pdf: pydyf.PDF) -> None:
    """List each associated file once in the catalogue's ``/AF`` (ISO 32000-2 §14.13).

    WeasyPrint appends each file specification twice: once from the
    ``EmbeddedFiles`` name tree and once from scanning for ``/Filespec``.
    """
    if "AF" not in pdf.catalog:
        return
    unique = []
    for reference in pdf.catalog["AF"]:
        if bytes(reference) not in map(bytes, unique):
            unique.append(reference)
    pdf.catalog["AF"] = pydyf.Array(unique)


def set_embedded_media_type(pdf: pydyf.PDF, media_type: str) -> None:
    """Give every embedded file the MIME type as ``/Subtype`` (ISO 19005-3 §6.8).

    WeasyPrint guesses from the file name, which gives ``application/xml``;
    the TEI master is declared ``text/xml`` as the archive expects.
    """
    for filespec in pdf.objects:
        if isinstance(filespec, dict) and filespec.get("Type") == "/Filespec":
            pdf_object(pdf, filespec["EF"]["F"]).extra["Subtype"] = "/" + media_type.replace("/", "#2f")
