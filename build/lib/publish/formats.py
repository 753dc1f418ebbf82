"""The output tables: every kind of output publish makes, one row each.

Like pandoc's ``writers`` list, these are literal tables beside the code they
name. ``FORMATS`` lists the per-document outputs, made from one TEI master
each; ``COLLECTIONS`` lists the collection outputs, made after the documents
from the manifest and every master's header. The CLI (``--only``), the build,
``publish validate``, ``publish deposit`` and the Makefile all read these
rows, so a new output is one module and one row.

Functions are named as ``"module:function"`` and imported only when used, so
a build that has nothing to do imports no renderer.

A per-document renderer is ``render(master: publish.tei.master.Master,
options: publish.options.Options) -> bytes``: it gets the parsed master, its
bytes and its assets and returns the edition's bytes. It writes no file and
does not re-read or re-validate the master. A checker is ``check(path: Path,
options) -> list[str]``, one line per problem (empty: valid). A warm-up is
``warm_up(templates: Path) -> None``, run once per worker process.

A collection renderer is ``render(collection: publish.collection.Collection,
options) -> dict[str, bytes]``: relative path inside its folder → bytes.
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Callable


@dataclasses.dataclass(frozen=True)
class Format:
    """One per-document output kind: where it goes, how it is made and checked."""

    kind: str
    #: What it is, as help and messages name it ("PDF/A-3 edition").
    title: str
    suffix: str
    #: Folder under ``dist/``.
    folder: str
    media_type: str
    #: ``"module:function"``, (Master, Options) → bytes; ``None`` for the master itself.
    render: str | None
    #: ``"module:function"``, (Path, Options) → list of problems.
    check: str
    #: What the check is, as the provenance record says it.
    check_description: str
    #: ``"module:function"`` run once per worker, or ``None``.
    warm_up: str | None = None
    #: Python distributions whose versions name the renderer and the checker in provenance.
    render_libraries: tuple[str, ...] = ()
    check_libraries: tuple[str, ...] = ()
    #: Its role in a deposit's PREMIS record.
    role: str = ""
    #: Module with ``tools``, ``inputs`` and batch ``checks`` for the cached
    #: report (:mod:`publish.validation.run`), or ``None``: then ``check`` is
    #: run per file.
    validation: str | None = None
    #: The files under ``templates/`` the renderer reads: a change to one re-renders
    #: this output only (tests/test_formats.py checks that each template is named).
    templates: tuple[str, ...] = ()

    @property
    def rendered(self) -> bool:
        """Whether this output is rendered from the master (every kind but the master)."""
        return self.render is not None


FORMATS: tuple[Format, ...] = (
    # The master comes first: every other row is rendered from it.
    Format("tei", "TEI P5 master", ".xml", "tei", "application/tei+xml", None,
           "publish.check:check_tei", "TEI master against publish.rng (RELAX NG)",
           check_libraries=("lxml",), role="master", validation="publish.validation.tei"),
    Format("pdf", "PDF/A-3 edition", ".pdf", "pdf", "application/pdf", "publish.render.pdf:render",
           "publish.render.pdfcheck:check_pdf", "PDF/A-3 checks (publish.render.pdfcheck; pikepdf)",
           warm_up="publish.render.pdf:warm_up",
           render_libraries=("weasyprint",), check_libraries=("pikepdf",), role="pdf",
           validation="publish.validation.pdf",
           templates=("tei-to-xhtml.xsl", "print.css", "scripts.css")),
    Format("epub", "EPUB 3 edition", ".epub", "epub", "application/epub+zip", "publish.render.epub:render",
           "publish.render.epubcheck:check_epub",
           "EPUB 3 checks (EPUBCheck) and accessibility checks (DAISY Ace, where installed)",
           render_libraries=("ebooklib",), check_libraries=("epubcheck",), role="epub",
           validation="publish.validation.epub",
           # print.css and scripts.css too: the page list comes from the PDF's layout.
           templates=("tei-to-xhtml.xsl", "epub.css", "cover.svg.j2", "print.css", "scripts.css")),
)


@dataclasses.dataclass(frozen=True)
class CollectionFormat:
    """One collection output: a folder under ``dist/`` made from every document."""

    kind: str
    #: Folder under ``dist/``.
    folder: str
    media_type: str
    #: ``"module:function"``, (Collection, Options) → {relative path: bytes}.
    render: str
    #: ``"module:function"``, (Path, Options) → list of problems, or ``None``.
    check: str | None = None
    render_libraries: tuple[str, ...] = ()
    #: Its own folder under ``templates/``: editing it rebuilds this output, not the editions.
    templates: str | None = None


COLLECTIONS: tuple[CollectionFormat, ...] = (
    # The reading room: browse pages, a page per document with its editions, and the search index.
    CollectionFormat("site", "site", "text/html", "publish.site:render",
                     render_libraries=("Jinja2", "pagefind-bin-extended"), templates="site"),
    # OPDS 1.2 and 2.0 catalogues and their PNG covers, beside the reading site.
    CollectionFormat("opds", "site/opds", "application/atom+xml;profile=opds-catalog",
                     "publish.opds:render", render_libraries=("lxml", "resvg-py")),
)


def load(target: str) -> Callable:
    """The function a table names as ``"module:function"``."""
    module, function = target.split(":")
    return getattr(importlib.import_module(module), function)


def format_for(kind: str) -> Format:
    """The :data:`FORMATS` row of an output kind."""
    for row in FORMATS:
        if row.kind == kind:
            return row
    raise KeyError(kind)


def collection_templates() -> tuple[str, ...]:
    """The folders under ``templates/`` that only collection outputs read."""
    return tuple(row.templates for row in COLLECTIONS if row.templates)


def kinds() -> tuple[str, ...]:
    """Every per-document output kind, in build order (the master first)."""
    return tuple(row.kind for row in FORMATS)


def collection_kinds() -> tuple[str, ...]:
    """Every collection output kind, in build order."""
    return tuple(row.kind for row in COLLECTIONS)
