"""The reading room: ``dist/site/``, a static site of every document (issue 12).

The ``site`` row of :data:`publish.formats.COLLECTIONS`. :func:`render` gets
the :class:`publish.collection.Collection` and returns every file of the site
as ``{relative path: bytes}``; the build writes only those whose bytes
changed. Layout of the site:

==============================  ==============================================
path                            what
==============================  ==============================================
``index.html``, ``by-date/``    every document, by title and by date, and the facets
``<facet>/<slug>/[by-date/]``   the documents of one collection, language, year or format
``doc/<id>/``                   a document's page; its address is made from the id only
``doc/<id>/<id>.{pdf,epub,xml}`` the editions and the master, copied, so the folder is self-contained
``doc/<id>/<id>_assets/``       the master's images, where the reading view's ``img`` points
``doc/<id>/cite.{bib,ris,json}`` the citations
``search/``                     the search page; ``pagefind/`` the index (:mod:`publish.site.search`)
``site.css``                    the one stylesheet
==============================  ==============================================

Pages come from the Jinja templates in ``templates/site/``; the text of a
page is the reading view (:mod:`publish.site.reading`). Every page is a pure
function of its documents, the templates and the build date, so the same
inputs give the same bytes, and a changed document changes only the pages
that show it and the search index.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path, PurePosixPath

import jinja2

from publish import __version__, pronom
from publish.collection import Collection, Entry
from publish.errors import RenderError
from publish.formats import format_for
from publish.options import Options
from publish.site import cite
from publish.site.browse import by_date, by_title, facets
from publish.site.facts import Document, Download, lang_attribute, read_document
from publish.site.reading import reading_view
from publish.site.search import search_bundle
from publish.tei.master import Master

#: What a document page offers for download, in this order.
DOWNLOADS = (("pdf", "PDF/A-3"), ("epub", "EPUB 3"), ("tei", "TEI P5 master"))
CITATIONS = (("BibTeX", "cite.bib", cite.bibtex), ("RIS", "cite.ris", cite.ris),
             ("CSL-JSON", "cite.json", cite.csl_json))
STATIC = ("site.css", "search/search.js")
#: The facets the search page filters by (Pagefind's data-pagefind-filter names on document pages).
SEARCH_FILTERS = ("collection", "language", "year")


@functools.cache
def environment(templates: Path) -> jinja2.Environment:
    """The Jinja environment of ``templates/site/``, autoescaping every page."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(templates / "site"), autoescape=True,
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    env.filters["filesize"] = filesize
    return env


def filesize(size: int) -> str:
    """A size as people read it, in SI units (1 kB = 1,000 bytes)."""
    for unit, scale in (("MB", 1_000_000), ("kB", 1_000)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return f"{size} bytes"


def render(collection: Collection, options: Options) -> dict[str, bytes]:
    """Every file of the site."""
    env = environment(Path(options.templates))
    common = {"site_name": options.site_title, "version": __version__,
              "built": options.build_datetime.date().isoformat()}
    files: dict[str, bytes] = {}
    docs: list[Document] = []
    readings: dict[str, str] = {}
    for entry in collection.entries:
        master = Master.read(entry.outputs["tei"])
        doc = read_document(entry.identifier, master.tree, downloads(entry, files))
        docs.append(doc)
        readings[doc.identifier] = reading_view(master, options.templates)
        for url, data in sorted(master.assets.items()):
            files[asset_path(doc, url)] = data
    groups = facets(docs)
    collection_paths = {v.name: v.path for f in groups if f.key == "collection" for v in f.values}
    pages: dict[str, bytes] = {}
    for doc in docs:
        pages[f"{doc.path}index.html"] = page(env, "document.html.j2", common, root="../../",
                                              title=doc.title,
                                              lang=lang_attribute(doc.language) or "en",
                                              dir=doc.dir, section="document", doc=wrap(doc),
                                              highwire=cite.highwire(doc), json_ld=cite.json_ld(doc),
                                              reading=readings[doc.identifier],
                                              collection_path=collection_paths.get(doc.collection, ""),
                                              citations=[{"label": label, "name": name, "text": make(doc)}
                                                         for label, name, make in CITATIONS])
        for _label, name, make in CITATIONS:
            files[f"{doc.path}{name}"] = make(doc).encode()
    files.update(pages)
    files.update(search_bundle(pages))
    files.update(browse_pages(env, common, docs, groups))
    files["search/index.html"] = page(env, "search.html.j2", common, root="../", title="Search",
                                      lang="en", dir="ltr", section="search",
                                      facets=[f for f in groups if f.key in SEARCH_FILTERS])
    for name in STATIC:
        files[name] = (Path(options.templates) / "site" / PurePosixPath(name).name).read_bytes()
    return files


def browse_pages(env, common, docs, groups) -> dict[str, bytes]:
    """The home page and one page per facet value, each sorted by title and by date."""
    lists = [("", "All documents", docs, groups)]
    for facet in groups:
        for value in facet.values:
            lists.append((value.path, f"{facet.label.capitalize()}: {value.name}", list(value.docs), ()))
    files = {}
    for here, heading, members, shown in lists:
        depth = here.count("/")
        for order, sort, extra in (("title", by_title, ""), ("date", by_date, "by-date/")):
            root = "../" * (depth + bool(extra))
            files[f"{here}{extra}index.html"] = page(
                env, "list.html.j2", common, root=root or "./", title=heading if here else common["site_name"],
                lang="en", dir="ltr", section="home" if not here else "browse", heading=heading,
                docs=[wrap(d) for d in sort(members)], facets=shown, order=order,
                here=("../" if extra else "./"))
    return files


def page(env: jinja2.Environment, template: str, common: dict, **values) -> bytes:
    return env.get_template(template).render(**common, **values).encode()


def wrap(doc: Document) -> dict:
    """A document's values as the templates read them (properties resolved once)."""
    return {"identifier": doc.identifier, "title": doc.title, "date": doc.date, "year": doc.year,
            "language": doc.language, "language_name": doc.language_name,
            "lang_attr": lang_attribute(doc.language), "dir": doc.dir, "collection": doc.collection,
            "summary": doc.summary, "formats": doc.formats, "path": doc.path, "facts": doc.facts,
            "licence_url": doc.licence_url, "downloads": doc.downloads}


def downloads(entry: Entry, files: dict[str, bytes]) -> tuple[Download, ...]:
    """Copy the document's editions and master into its folder; what the page says of each."""
    found = []
    for kind, label in DOWNLOADS:
        path = entry.outputs.get(kind)
        if path is None or not path.is_file():
            continue
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        recorded = (entry.record.get("outputs") or {}).get(kind)
        if recorded is not None and digest != recorded:  # a hand-over: the site copies only what was built
            raise RenderError(f"SHA-256 {digest} is not the {recorded} the build recorded when it wrote it: "
                              "the file changed since (rebuild it with publish build --force)", path)
        files[f"doc/{entry.identifier}/{path.name}"] = data
        identified = pronom.identify(path)
        found.append(Download(kind, label, path.name, format_for(kind).media_type, len(data), digest,
                              identified.title if identified.known else "",
                              identified.puid if identified.known else ""))
    return tuple(found)


def asset_path(doc: Document, url: str) -> str:
    """Where an image of the master goes: beside the page, at the URL the reading view uses."""
    parts = PurePosixPath(url).parts
    if not parts or ".." in parts or url.startswith("/"):
        raise RenderError(f"image URL outside the document's folder: {url}", doc.identifier)
    return f"{doc.path}{url}"
