""""Cite this" and machine-readable metadata for a document page.

- BibTeX ``@misc`` (the BibTeX 0.99 field set, as biblatex reads it too);
- RIS (Research Information Systems tagged format, ``TY  - GEN`` … ``ER  -``, CRLF lines);
- CSL-JSON (Citation Style Language 1.0.2 input data schema, ``type: document``);
- schema.org JSON-LD (``CreativeWork`` with ``encoding`` per download), read by Zotero and search engines;
- Highwire Press ``citation_*`` meta tags (Google Scholar inclusion guidelines).

The persistent identifier in every one of them is the document's ``urn:uuid``.
The site has no configured base URL, so links are relative to the page; none
is written into BibTeX, RIS or CSL-JSON, where a relative URL means nothing.
"""

from __future__ import annotations

import json

from publish.site.facts import Document

#: BibTeX's special characters and how to write them inside a braced field.
BIBTEX_ESCAPES = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%",
                  "$": r"\$", "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\^{}"}


def bibtex_value(text: str) -> str:
    return "".join(BIBTEX_ESCAPES.get(c, c) for c in text)


def bibtex(doc: Document) -> str:
    """A BibTeX ``@misc`` entry keyed by the document id."""
    fields = [("title", "{" + bibtex_value(doc.title) + "}")]
    if doc.facts.creators:
        # Corporate authors are braced whole, so BibTeX does not split them into first and last names.
        fields.append(("author", " and ".join("{" + bibtex_value(a) + "}" for a in doc.facts.creators)))
    if doc.date:
        fields.append(("year", doc.date[:4]))
        fields.append(("date", doc.date))
    if doc.facts.publisher:
        fields.append(("publisher", bibtex_value(doc.facts.publisher)))
    if doc.language != "und":
        fields.append(("language", doc.language))
    fields.append(("note", bibtex_value(doc.facts.urn)))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    key = "".join(c if c.isalnum() or c in "-_:" else "_" for c in doc.identifier)
    return f"@misc{{{key},\n{body}\n}}\n"


def ris(doc: Document) -> str:
    """An RIS record: one ``TAG  - value`` per line, CRLF, ending with ``ER  -``."""
    lines = [("TY", "GEN"), ("TI", doc.title)]
    lines += [("AU", author) for author in doc.facts.creators]
    if doc.date:
        parts = (doc.date.split("-") + ["", ""])[:3]
        lines.append(("PY", parts[0]))
        lines.append(("DA", "/".join(parts) + "/"))
    if doc.facts.publisher:
        lines.append(("PB", doc.facts.publisher))
    if doc.facts.description:
        lines.append(("AB", doc.facts.description))
    if doc.language != "und":
        lines.append(("LA", doc.language))
    lines += [("ID", doc.identifier), ("M1", doc.facts.urn)]
    text = "".join(f"{tag}  - {' '.join(value.split())}\r\n" for tag, value in lines)
    return text + "ER  - \r\n"


def date_parts(date: str) -> list[list[int]]:
    return [[int(part) for part in date.split("-")]]


def csl_json(doc: Document) -> str:
    """A CSL-JSON array holding one item."""
    item: dict = {"id": doc.identifier, "type": "document", "title": doc.title}
    if doc.facts.creators:
        item["author"] = [{"literal": author} for author in doc.facts.creators]
    if doc.date:
        item["issued"] = {"date-parts": date_parts(doc.date)}
    if doc.facts.publisher:
        item["publisher"] = doc.facts.publisher
    if doc.facts.description:
        item["abstract"] = doc.facts.description
    if doc.language != "und":
        item["language"] = doc.language
    if doc.collection:
        item["collection-title"] = doc.collection
    item["note"] = doc.facts.urn
    return json.dumps([item], ensure_ascii=False, indent=2) + "\n"


def json_ld(doc: Document) -> str:
    """schema.org JSON-LD for the page, safe inside a ``<script>`` element."""
    data: dict = {"@context": "https://schema.org", "@type": "CreativeWork", "@id": doc.facts.urn,
                  "identifier": doc.facts.urn, "name": doc.title, "url": "./"}
    if doc.facts.creators:
        # The header's author is a name that may be a person or an organisation; a plain
        # name says no more than the header does.
        data["author"] = list(doc.facts.creators)
    if doc.date:
        data["dateCreated"] = doc.date
    if doc.built:
        data["dateModified"] = doc.built
    if doc.facts.publisher:
        data["publisher"] = {"@type": "Organization", "name": doc.facts.publisher}
    if doc.facts.description:
        data["description"] = doc.facts.description
    if doc.language != "und":
        data["inLanguage"] = doc.language
    if doc.licence_url:
        data["license"] = doc.licence_url
    elif doc.facts.rights:
        data["license"] = doc.facts.rights
    if doc.collection:
        data["isPartOf"] = {"@type": "Collection", "name": doc.collection}
    data["encoding"] = [{"@type": "MediaObject", "encodingFormat": d.media_type, "contentUrl": d.name,
                         "contentSize": str(d.size), "sha256": d.sha256} for d in doc.downloads]
    text = json.dumps(data, ensure_ascii=False, indent=2)
    # "</" would end the script element early (HTML Living Standard, script data state).
    return text.replace("</", "<\\/")


def highwire(doc: Document) -> list[tuple[str, str]]:
    """Highwire Press ``citation_*`` meta tags as (name, content) pairs, in Google Scholar's order."""
    tags = [("citation_title", doc.title)]
    tags += [("citation_author", author) for author in doc.facts.creators]
    if doc.date:
        tags.append(("citation_publication_date", doc.date.replace("-", "/")))
    if doc.facts.publisher:
        tags.append(("citation_publisher", doc.facts.publisher))
    if doc.language != "und":
        tags.append(("citation_language", doc.language))
    tags.append(("citation_id", doc.facts.urn))
    for download in doc.downloads:
        if download.kind == "pdf":
            tags.append(("citation_pdf_url", download.name))
    return tags
