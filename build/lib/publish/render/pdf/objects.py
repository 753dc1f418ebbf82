"""Reading pydyf's in-memory PDF: the object a reference points at (ISO 32000-1 §7.3.10)."""

from __future__ import annotations

import pydyf


def object_number(reference) -> int:
    """The object number of a reference such as ``b"12 0 R"`` (ISO 32000-1 §7.3.10)."""
    return int(bytes(reference).split()[0])


def pdf_object(pdf: pydyf.PDF, reference) -> object:
    """The object a reference such as ``b"12 0 R"`` points at."""
    return pdf.objects[object_number(reference)]
