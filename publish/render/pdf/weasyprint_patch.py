"""The one place publish reaches into WeasyPrint's internals, for one known version.

WeasyPrint 70 tags page by page (``weasyprint.pdf.tags._build_box_tree``, a
private function that calls itself through its module), so an element split
by a page break becomes one structure element per page, and nothing in its
public API says which pieces belong together. :func:`structure_origins`
wraps that function for the length of one ``write_pdf`` to record it, for
:func:`publish.render.pdf.tags.join_elements_split_by_pages`.

A private function may change in any release, so the patch is made only on
the major version it was written for (:data:`WEASYPRINT_MAJOR`); on another
the render fails, naming both versions, rather than tag a PDF wrongly.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from publish.errors import RenderError

#: The WeasyPrint major version whose ``weasyprint.pdf.tags`` this module patches.
WEASYPRINT_MAJOR = 70


def check_version(version: str) -> None:
    """Refuse a WeasyPrint whose major version is not :data:`WEASYPRINT_MAJOR`, naming both."""
    if version.split(".")[0] != str(WEASYPRINT_MAJOR):
        raise RenderError(f"WeasyPrint {version} is installed, but publish.render.pdf.weasyprint_patch "
                          f"patches the internals of WeasyPrint {WEASYPRINT_MAJOR}.x "
                          f"(weasyprint.pdf.tags._build_box_tree); install weasyprint {WEASYPRINT_MAJOR}.x "
                          "or update the patch")


@contextlib.contextmanager
def structure_origins() -> Iterator[dict[int, tuple[object, object]]]:
    """Record the HTML element each structure element WeasyPrint makes comes from.

    Yields ``id(structure element) → (structure element, HTML element)``,
    filled while WeasyPrint tags; WeasyPrint's own function is back in place
    when the block ends, however it ends.
    """
    import weasyprint
    from weasyprint.layout.absolute import AbsolutePlaceholder
    from weasyprint.pdf import tags

    check_version(weasyprint.__version__)
    origins: dict[int, tuple[object, object]] = {}
    original = tags._build_box_tree

    def recording(box, *args, **kwargs):
        source = box._box if isinstance(box, AbsolutePlaceholder) else box
        for element in original(box, *args, **kwargs):
            # Keep the element itself so its id() is not reused while recorded.
            origins.setdefault(id(element), (element, getattr(source, "element", None)))
            yield element

    tags._build_box_tree = recording
    try:
        yield origins
    finally:
        tags._build_box_tree = original
