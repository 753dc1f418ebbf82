"""Renderers: TEI → XHTML once (:mod:`publish.render.xhtml`), then PDF or EPUB.

A renderer reads only the TEI master and ``templates/``; it never sees the
source format. ``RENDERERS`` is the registry: output kind → the function that
renders a TEI file to that kind, as ``"module:function"``.
"""

RENDERERS = (
    # kind   suffix   function
    ("pdf",  ".pdf",  "publish.render.pdf:render_pdf"),
    ("epub", ".epub", "publish.render.epub:render_epub"),
)
