"""WeasyPrint's ``finisher`` hook: the checks and fixes made on the PDF before it is written."""

from __future__ import annotations

from pathlib import Path

import pydyf

from publish.options import Options
from publish.render.pdf.glyphs import refuse_missing_glyphs
from publish.render.pdf.metadata import Edition, write_metadata
from publish.render.pdf.pdfa import (
    TEI_MEDIA_TYPE,
    deduplicate_associated_files,
    set_embedded_media_type,
)
from publish.render.pdf.tags import (
    join_elements_split_by_pages,
    mark_margin_boxes_as_artifacts,
)


class Finisher:
    """WeasyPrint's ``finisher`` hook: check and complete the PDF in memory."""

    def __init__(self, edition: Edition, tei_path: Path, options: Options,
                 origins: dict[int, tuple[object, object]]) -> None:
        self.edition, self.tei_path, self.options = edition, tei_path, options
        self.origins = origins  # filled while WeasyPrint tags

    def __call__(self, document, pdf: pydyf.PDF) -> None:
        """Refuse tofu first, then fix the PDF/A-3 details WeasyPrint leaves (module docstring)."""
        refuse_missing_glyphs(document, self.tei_path)
        deduplicate_associated_files(pdf)
        set_embedded_media_type(pdf, TEI_MEDIA_TYPE)
        mark_margin_boxes_as_artifacts(pdf)
        join_elements_split_by_pages(pdf, self.origins)
        write_metadata(pdf, self.edition, self.options)
