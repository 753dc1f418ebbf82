"""Markdown → TEI P5: CommonMark with tables, footnotes and front matter.

Parsed by markdown-it-py (CommonMark 0.31 spec) with GFM tables and
strikethrough, and mdit-py-plugins' footnotes (the PHP Markdown Extra / pandoc
``[^1]`` syntax); its HTML goes through the one HTML→TEI mapping
(:mod:`publish.normalise.xhtml_to_tei`), so raw HTML in the Markdown is held to
the HTML normaliser's safety rules. Front matter is YAML 1.1 (``---``, read with
``yaml.safe_load``) or TOML 1.0 (``+++``, read with ``tomllib``); it supplies
metadata as the sidecar does (the sidecar wins).

Supports:

- [x] YAML (``---``) or TOML (``+++``) front matter → title, author, date, language, …
      (``authors``, ``lang`` and ``license`` are read as their sidecar names;
      other keys are ignored and recorded)
- [x] ATX and setext headings → nested ``div``/``head``; the first heading is the title
      when the front matter gives none
- [x] paragraphs, block quotes → ``quote``, thematic breaks → ``milestone``; quotes nested
      deeper than 40 are flattened into the 40th (WARNING); other nesting deeper than
      markdown-it's 256 levels is refused (it would drop the rest)
- [x] bullet and ordered lists, nested, tight or loose → ``list``/``item``
- [x] GFM pipe tables → ``table`` with a ``role="label"`` header row
- [x] footnotes ``[^1]`` → ``note place="foot"`` where referred to; a second reference points at it
- [x] emphasis, strong, strikethrough, code spans → ``hi``, ``code``; hard breaks → ``lb``
- [x] links → ``ref target`` (autolinks included; ``javascript:`` refused by markdown-it)
- [x] images → ``figure``/``graphic``/``figDesc`` (alt text), from files beside the source
      or ``data:`` URLs, copied into the assets
- [x] fenced and indented code → ``ab type="pre"``, whitespace kept
- [x] raw HTML blocks and inline HTML → mapped as HTML (scripts etc. dropped, WARNING)
- [x] encodings as for plain text (BOM, UTF-8, detected legacy encodings), recorded
- [-] remote images: never fetched; the figure keeps the alt text (WARNING)
- [-] pandoc extensions (``%`` title blocks, grid tables, definition lists,
      attributes): read as CommonMark, so kept as text
- [ ] math (``$…$``): kept as text
"""

from __future__ import annotations

import dataclasses
import re
import tomllib

import yaml
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

from publish.errors import InputError
from publish.log import LOGGER
from publish.metadata import SIDECAR_KEYS, Metadata, metadata_from_mapping
from publish.normalise.base import Normalised, Source
from publish.normalise.decode import decode
from publish.normalise.document import from_document
from publish.normalise.words import html_reading
from publish.normalise.xhtml_parse import drop_unsafe, parse_html

NAME = "markdown"
MEDIA_TYPE = "text/markdown"

#: YAML front matter between ``---`` lines (closing ``---`` or ``...``); TOML between ``+++``.
FRONT_MATTER = {
    "YAML": re.compile(r"\A---[ \t]*\r?\n(?P<body>.*?\n)?(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S),
    "TOML": re.compile(r"\A\+\+\+[ \t]*\r?\n(?P<body>.*?\n)?\+\+\+[ \t]*(?:\r?\n|\Z)", re.S),
}
#: Front-matter spellings common in static-site generators → the sidecar's keys.
ALIASES = {"authors": "author", "lang": "language", "license": "licence",
           "license_url": "licence_url", "licence-url": "licence_url", "license-url": "licence_url"}


#: markdown-it's nesting limit (``maxNesting``; 20 in the ``commonmark`` preset), raised
#: to what a TEI master holds (libxml2 parses 256 levels). At the limit markdown-it
#: drops the rest of the block without a word, so reaching it is refused, never passed.
MAX_NESTING = 256
#: Block quotes nested deeper than this (``>>>>…``) are flattened into the deepest
#: one, with a WARNING, before parsing: the HTML layer keeps at most
#: :data:`publish.normalise.xhtml_parse.MAX_DEPTH` levels in all.
MAX_QUOTES = 40
QUOTE_MARKERS = re.compile(r"^((?:[ ]{0,3}>[ ]?){" + str(MAX_QUOTES) + r"})(?:[ ]{0,3}>[ ]?)+", re.M)


def parser() -> MarkdownIt:
    """CommonMark with raw HTML, GFM tables and strikethrough, and footnotes."""
    return (MarkdownIt("commonmark", {"html": True, "maxNesting": MAX_NESTING})
            .enable("table").enable("strikethrough").use(footnote_plugin))


def render(text: str, source: Source) -> str:
    """The HTML of a Markdown text; deep quotes flattened, nesting markdown-it would drop refused."""
    text, count = QUOTE_MARKERS.subn(r"\1", text)
    if count:
        LOGGER.warning("%s: block quotes nested more than %d deep on %d line(s) are flattened into "
                       "the %dth level (their text is kept)", source.path, MAX_QUOTES, count, MAX_QUOTES)
    md, env = parser(), {}
    tokens = md.parse(text, env)
    deepest = max((token.level for token in tokens), default=0)
    if deepest >= MAX_NESTING - 1:
        line = next((t.map[0] + 1 for t in tokens if t.level >= MAX_NESTING - 2 and t.map), None)
        raise InputError(f"lists or quotations nested {MAX_NESTING} deep"
                         + (f" (from line {line})" if line else "")
                         + f"; markdown-it reads at most {MAX_NESTING} levels, and would leave the "
                         "rest out: nest less deeply", source.path)
    return md.renderer.render(tokens, md.options, env)


def normalise(source: Source) -> Normalised:
    """Normalise a Markdown source into a TEI ``text`` and its record."""
    decoded = decode(source.data, source.path, source.encoding)
    text = decoded.text.lstrip("\ufeff")
    found, text, ignored = front_matter(text, source)
    document = parse_html(render(text, source), source.path)
    reading = html_reading(document)  # the text of the rendered HTML, before anything is dropped
    drop_unsafe(document, source.path)
    extra = ("The Markdown was read as CommonMark with GFM tables, strikethrough and footnotes.",)
    if ignored:
        extra += (f"Front-matter keys not used: {', '.join(ignored)}.",)
    result = from_document(source, document, found, encoding=decoded.encoding, bom=decoded.bom,
                           extra=extra)
    return dataclasses.replace(result, reading=reading, reading_of="the text of its rendered HTML")


def front_matter(text: str, source: Source) -> tuple[Metadata, str, list[str]]:
    """The metadata in YAML or TOML front matter, the text after it, and keys not used."""
    for language, pattern in FRONT_MATTER.items():  # noqa: B007  read after the loop
        match = pattern.match(text)
        if match:
            break
    else:
        return Metadata(), text, []
    body = match.group("body") or ""
    try:
        data = tomllib.loads(body) if language == "TOML" else yaml.safe_load(body)
    except (tomllib.TOMLDecodeError, yaml.YAMLError) as err:
        problem = " ".join(str(err).split())
        raise InputError(f"front matter is not valid {language}: {problem}", source.path) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return Metadata(), text, []  # a thematic break and text, not front matter
    mapping, ignored = {}, []
    for key, value in data.items():
        name = ALIASES.get(str(key).lower(), str(key).lower())
        if name in SIDECAR_KEYS and name != "encoding":
            mapping[name] = value
        else:
            ignored.append(str(key))
    if ignored:
        LOGGER.info("%s: front-matter keys not used: %s", source.path, ", ".join(ignored))
    return metadata_from_mapping(mapping, source.path), text[match.end():], ignored
