"""Renderers: TEI → XHTML once (:mod:`publish.render.xhtml`), then each edition.

A renderer reads only the TEI master (:class:`publish.tei.master.Master`) and
``templates/``; it never sees the source format. The editions and their
renderers are rows of :data:`publish.formats.FORMATS`.
"""
