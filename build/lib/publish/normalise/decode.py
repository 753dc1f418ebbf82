"""Bytes to text: byte-order marks, UTF-8, and cautious detection of legacy encodings.

Follows the WHATWG Encoding Standard's BOM sniffing (a BOM wins), then strict
UTF-8, then charset-normalizer for legacy encodings (GB18030, Windows-1252,
Shift_JIS, ...). Detection must be *sure*: when the plausible candidates decode
to different texts and language coherence does not single one out, decoding is
refused rather than guessed into mojibake. The one tie that is broken is the
WHATWG one: when a language was recognised and windows-1252 fits as well as
its single-byte rivals, windows-1252 (the Encoding Standard's legacy default)
is taken. The encoding is recorded with its
IANA name so that :func:`publish.tei.text.source_bytes` can restore the bytes.
"""

from __future__ import annotations

import codecs
import dataclasses
import re
from pathlib import Path

from publish.errors import InputError

BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32LE"),
    (codecs.BOM_UTF32_BE, "UTF-32BE"),
    (codecs.BOM_UTF8, "UTF-8"),
    (codecs.BOM_UTF16_LE, "UTF-16LE"),
    (codecs.BOM_UTF16_BE, "UTF-16BE"),
)

#: Python codec name → IANA charset name, for the encodings we may detect.
IANA_NAMES = {
    "utf_8": "UTF-8", "cp1252": "windows-1252", "latin_1": "ISO-8859-1",
    "iso8859_15": "ISO-8859-15", "gb18030": "GB18030", "gb2312": "GB18030", "gbk": "GB18030",
    "shift_jis": "Shift_JIS", "cp932": "Windows-31J", "euc_jp": "EUC-JP", "big5": "Big5",
    "euc_kr": "EUC-KR", "cp1250": "windows-1250", "cp1251": "windows-1251",
    "cp1256": "windows-1256", "cp1255": "windows-1255", "koi8_r": "KOI8-R",
    "iso8859_2": "ISO-8859-2", "cp949": "windows-949",
}
#: A narrower, standard codec to prefer when it decodes the bytes identically.
NARROWER = {"cp932": "shift_jis", "gbk": "gb18030", "gb2312": "gb18030"}

#: XML 1.0 §2.2 Char excludes these (tab, LF and CR are allowed).
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

#: Chosen among equally plausible candidates once a language is recognised.
WHATWG_DEFAULT = "cp1252"
#: Coherence (language fit) the best candidate must lead the next by.
COHERENCE_MARGIN = 0.03
#: Candidates whose chaos is within this of the best are "plausible".
CHAOS_TIE = 0.01


@dataclasses.dataclass(frozen=True)
class Decoded:
    """Decoded text, the IANA name of its encoding, and whether a BOM preceded it."""

    text: str
    encoding: str
    bom: bool = False


def decode(data: bytes, path: Path, forced: str | None = None) -> Decoded:
    """Decode ``data`` or raise :class:`InputError` naming ``path`` and the reason."""
    if not data:
        raise InputError("empty file: there is no text to normalise", path)
    decoded = _decode_bom(data, path) or _decode_forced(data, path, forced)
    if decoded is None:
        if b"\x00" in data:
            raise InputError("binary file (it holds NUL bytes), not text", path)
        decoded = _decode_utf8(data) or _detect_legacy(data, path)
    check_xml_chars(decoded.text, path)
    return decoded


def _decode_bom(data: bytes, path: Path) -> Decoded | None:
    for bom, name in BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data[len(bom):].decode(name), name, bom=True)
            except UnicodeDecodeError as err:
                raise InputError(f"starts with a {name} byte-order mark but is not valid "
                                 f"{name} at byte {err.start + len(bom)}", path) from None
    return None


def _decode_forced(data: bytes, path: Path, forced: str | None) -> Decoded | None:
    if not forced:
        return None
    try:
        codec = codecs.lookup(forced)
    except LookupError:
        raise InputError(f"unknown encoding {forced!r} in the sidecar", path) from None
    try:
        return Decoded(data.decode(codec.name), IANA_NAMES.get(codec.name.replace("-", "_"), forced))
    except UnicodeDecodeError as err:
        raise InputError(f"not valid {forced} at byte {err.start}", path) from None


def _decode_utf8(data: bytes) -> Decoded | None:
    if data.isascii():  # the narrowest true name: US-ASCII is a subset of UTF-8
        return Decoded(data.decode("ascii"), "US-ASCII")
    try:
        return Decoded(data.decode("utf-8"), "UTF-8")
    except UnicodeDecodeError:
        return None


def _detect_legacy(data: bytes, path: Path) -> Decoded:
    """Detect a legacy encoding with charset-normalizer, refusing when unsure."""
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data))
    if not matches:
        raise InputError("not text in any known encoding (binary data?)", path)
    best = matches[0]
    rivals = [m for m in matches[1:]
              if m.chaos <= best.chaos + CHAOS_TIE and str(m) != str(best)
              and m.coherence + COHERENCE_MARGIN > best.coherence]
    tied = [best, *rivals]
    default = next((m for m in tied if m.encoding == WHATWG_DEFAULT), None)
    if rivals and default is not None and best.coherence > 0:
        # A language was recognised, and single-byte rivals fit it equally well:
        # take the WHATWG Encoding Standard's legacy default, windows-1252.
        best, rivals = default, []
    if rivals:
        names = ", ".join(dict.fromkeys(_iana(m.encoding) for m in [best, *rivals]))
        raise InputError(f"unsure of the character encoding (could be {names}); "
                         f"set 'encoding' in the sidecar", path)
    codec = _narrowest(best.encoding, data, str(best))
    return Decoded(data.decode(codec), _iana(codec))


def _narrowest(codec: str, data: bytes, text: str) -> str:
    narrower = NARROWER.get(codec)
    if narrower:
        try:
            if data.decode(narrower) == text:
                return narrower
        except UnicodeDecodeError:
            pass
    return codec


def _iana(codec: str) -> str:
    return IANA_NAMES.get(codec, codec)


def check_xml_chars(text: str, path: Path) -> None:
    """Refuse characters XML 1.0 cannot carry, naming line and column (1-based)."""
    found = XML_ILLEGAL.search(text)
    if found:
        line = text.count("\n", 0, found.start()) + 1
        column = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
        raise InputError(f"line {line}, column {column}: character U+{ord(found.group()):04X} "
                         f"cannot be carried by XML 1.0", path)
