"""The language of a document and of its paragraphs, when nothing else names it.

BCP 47 (RFC 5646) tags in ``xml:lang`` (TEI P5 §vi.1, att.global). The
sidecar's ``language`` or the document's own metadata always wins: then the
text is not identified at all. Otherwise :func:`publish.langid.identify`
names the language from the text, or answers ``und`` when unsure, and the
file is named in a WARNING. The confidence policy is publish.langid's
(docs/language-detection.md).

Paragraphs in another language than the document's are marked with their own
``xml:lang`` when that is clear (:func:`mark_blocks`), so an English
report quoting a Russian paragraph says so. Direction is not recorded in the
TEI: it follows from the script, which the renderers read from the text.
"""

from __future__ import annotations

from importlib import metadata
from pathlib import Path
from typing import NamedTuple

from lxml import etree

from publish import langid
from publish.log import LOGGER
from publish.tei import localname, xml
from publish.tei.header import LanguageUsage

#: Leaf blocks whose language may differ from the document's.
BLOCKS = frozenset({"p", "ab", "head", "l", "item", "cell", "quote", "note", "label"})

#: Text whose language the editor did not write: the unnormalised form and notes
#: (a note has its own paragraphs, identified on their own).
_SKIPPED = frozenset({"orig"})

#: A paragraph in the document's script is marked as another language only
#: when py3langid is this sure: Latin-script paragraphs full of names and
#: loanwords are where a wrong answer scores high (py3langid on this corpus:
#: no wrong answer ≥ 0.60, but a paragraph override is a stronger claim).
SAME_SCRIPT_THRESHOLD = 0.95

#: Blocks in the document's own script are identified until this many
#: characters have been read. py3langid reads about 100 KB a second here, so a
#: 500 KB document would pay seconds for paragraphs that almost never differ;
#: a block in another script than the document's is always identified.
SAME_SCRIPT_BUDGET = 100_000

#: The whole text is identified from its first characters only, for the same reason.
SAMPLE = 100_000


def text_of(element: etree._Element) -> str:
    """The element's text without the ``orig`` of a ``choice`` (its ``reg`` is read)."""
    parts = [element.text or ""] if localname(element) not in _SKIPPED else []
    for child in element:
        if isinstance(child.tag, str) and localname(child) not in _SKIPPED:
            parts.append(text_of(child))
        parts.append(child.tail or "")
    return "".join(parts)


def settle(text: etree._Element, given: str | None, path: Path) -> LanguageUsage:
    """The document's language: ``given`` (from metadata) if any, else identified from ``text``.

    The whole text is identified first. A mixed text may be unsure as a
    whole yet clear block by block: then the language of the surely identified
    blocks holding at least :data:`publish.langid.THRESHOLD` of the letters is
    the document's (tool ``py3langid+blocks``, confidence that share). Blocks
    in other languages are marked (:func:`mark_blocks`).
    """
    version = metadata.version(langid.TOOL)
    words = text_of(text)
    document_script = langid.main_script(words)
    blocks = identify_blocks(text, document_script)
    if given:
        return LanguageUsage(given, tool_version=version,
                             paragraphs=mark_blocks(blocks, given, document_script))
    found = langid.identify(words[:SAMPLE])
    if not found.sure:
        found = _by_blocks(blocks) or found
    if not found.sure and sum(langid.scripts(words).values()) >= langid.MIN_LETTERS:
        LOGGER.warning("%s: the language could not be identified from the text (%s: no language "
                       "of its script with confidence %.2f or more); written as und: give "
                       "'language' in a sidecar", path, langid.TOOL, langid.THRESHOLD)
    return LanguageUsage(found.language, found.tool, version, found.confidence,
                         mark_blocks(blocks, found.language, document_script))


class Block(NamedTuple):
    """A leaf block, its letters per script and what py3langid says of it (``None``: not asked)."""

    element: etree._Element
    scripts: dict[str, int]
    found: langid.Identification | None

    @property
    def letters(self) -> int:
        return sum(self.scripts.values())

    @property
    def sure(self) -> bool:
        return self.found is not None and self.found.sure


def identify_blocks(text: etree._Element, document_script: str | None) -> list[Block]:
    """Each leaf block not inside an ``xml:lang`` of the source, with its scripts and language.

    Blocks in the document's script are identified within :data:`SAME_SCRIPT_BUDGET`.
    """
    found, budget = [], SAME_SCRIPT_BUDGET
    for element in text.iter():
        if not _is_leaf_block(element) or _has_own_language(element, text):
            continue
        words = text_of(element)
        counts = langid.scripts(words)
        same = langid.main_script_of(counts) == document_script
        if same and budget <= 0:
            found.append(Block(element, counts, None))
            continue
        budget -= len(words) if same else 0
        found.append(Block(element, counts, langid.identify(words)))
    return found


def _by_blocks(blocks: list[Block]) -> langid.Identification | None:
    letters: dict[str, int] = {}
    for block in blocks:
        if block.sure:
            letters[block.found.language] = letters.get(block.found.language, 0) + block.letters
    total = sum(block.letters for block in blocks)
    if not letters:
        return None
    language, count = max(letters.items(), key=lambda item: item[1])
    share = count / total
    return langid.Identification(language, round(share, 4), f"{langid.TOOL}+blocks") \
        if share >= langid.THRESHOLD else None


def mark_blocks(blocks: list[Block], document: str,
                document_script: str | None) -> tuple[tuple[str, int], ...]:
    """Set ``xml:lang`` on the blocks clearly in another language than ``document``.

    A block is marked when it is identified surely and either its main script
    differs from the document's or the answer is at least
    :data:`SAME_SCRIPT_THRESHOLD`. Returns ``(language, blocks)``, most first.
    """
    primary = document.split("-")[0].lower()
    counts: dict[str, int] = {}
    for block in blocks:
        if not block.sure or block.found.language == primary:
            continue
        same_script = langid.main_script_of(block.scripts) == document_script
        if same_script and block.found.confidence < SAME_SCRIPT_THRESHOLD:
            continue
        block.element.set(xml("lang"), block.found.language)
        counts[block.found.language] = counts.get(block.found.language, 0) + 1
    return tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def _is_leaf_block(element: etree._Element) -> bool:
    if not isinstance(element.tag, str) or localname(element) not in BLOCKS:
        return False
    return not any(isinstance(d.tag, str) and localname(d) in BLOCKS for d in element.iterdescendants())


def _has_own_language(element: etree._Element, top: etree._Element) -> bool:
    node = element
    while node is not None and node is not top:
        if node.get(xml("lang")):
            return True
        node = node.getparent()
    return False
