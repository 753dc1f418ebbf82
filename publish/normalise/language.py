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
    blocks = identify_blocks(text)
    if given:
        return LanguageUsage(given, tool_version=version, paragraphs=mark_blocks(text, blocks, given))
    words = text_of(text)
    found = langid.identify(words)
    if not found.sure:
        found = _by_blocks(blocks) or found
    if not found.sure and sum(langid.scripts(words).values()) >= langid.MIN_LETTERS:
        LOGGER.warning("%s: the language could not be identified from the text (%s: no language "
                       "of its script with confidence %.2f or more); written as und: give "
                       "'language' in a sidecar", path, langid.TOOL, langid.THRESHOLD)
    return LanguageUsage(found.language, found.tool, version, found.confidence,
                         mark_blocks(text, blocks, found.language))


Block = tuple[etree._Element, str, langid.Identification]


def identify_blocks(text: etree._Element) -> list[Block]:
    """Each leaf block not inside an ``xml:lang`` of the source, with its text and language."""
    found = []
    for block in text.iter():
        if _is_leaf_block(block) and not _has_own_language(block, text):
            words = text_of(block)
            found.append((block, words, langid.identify(words)))
    return found


def _by_blocks(blocks: list[Block]) -> langid.Identification | None:
    letters: dict[str, int] = {}
    total = 0
    for _block, words, found in blocks:
        count = sum(langid.scripts(words).values())
        total += count
        if found.sure:
            letters[found.language] = letters.get(found.language, 0) + count
    if not letters:
        return None
    language, count = max(letters.items(), key=lambda item: item[1])
    share = count / total
    return langid.Identification(language, round(share, 4), f"{langid.TOOL}+blocks") \
        if share >= langid.THRESHOLD else None


def mark_blocks(text: etree._Element, blocks: list[Block], document: str) -> tuple[tuple[str, int], ...]:
    """Set ``xml:lang`` on the blocks clearly in another language than ``document``.

    A block is marked when it is identified surely and either its main script
    differs from the document's or the answer is at least
    :data:`SAME_SCRIPT_THRESHOLD`. Returns ``(language, blocks)``, most first.
    """
    document_script = langid.main_script(text_of(text))
    primary = document.split("-")[0].lower()
    counts: dict[str, int] = {}
    for block, words, found in blocks:
        if not found.sure or found.language == primary:
            continue
        if langid.main_script(words) == document_script and found.confidence < SAME_SCRIPT_THRESHOLD:
            continue
        block.set(xml("lang"), found.language)
        counts[found.language] = counts.get(found.language, 0) + 1
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
