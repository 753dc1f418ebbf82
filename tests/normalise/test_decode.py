"""Tests for publish.normalise.decode: BOMs, UTF-8, legacy detection, refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from publish.errors import InputError
from publish.normalise.decode import decode

PATH = Path("doc.txt")
CHINESE = ("省政府党组召开会议，深入学习贯彻习近平总书记在二十届中央纪委二次全会上的重要讲话精神。"
           "会议强调，要坚持严的基调、严的措施、严的氛围长期不变。\n")
FRENCH = ("Le café de l’été était très agréable — « voilà » dit-il. "
          "Über die Brücke gehen Mädchen, à la fenêtre où l’on voit la mer.\n")
JAPANESE = ("吾輩は猫である。名前はまだ無い。どこで生れたかとんと見当がつかぬ。"
            "何でも薄暗いじめじめした所でニャーニャー泣いていた事だけは記憶している。\n")


@pytest.mark.parametrize("data, text, encoding, bom", [
    (b"plain ASCII\n", "plain ASCII\n", "US-ASCII", False),
    ("café\n".encode(), "café\n", "UTF-8", False),
    (b"\xef\xbb\xbf" + "café\n".encode(), "café\n", "UTF-8", True),
    (b"\xff\xfe" + "café 中文\n".encode("utf-16-le"), "café 中文\n", "UTF-16LE", True),
    (b"\xfe\xff" + "café 中文\n".encode("utf-16-be"), "café 中文\n", "UTF-16BE", True),
    (CHINESE.encode("gb18030"), CHINESE, "GB18030", False),
    (FRENCH.encode("cp1252"), FRENCH, "windows-1252", False),
    (JAPANESE.encode("shift_jis"), JAPANESE, "Shift_JIS", False),
])
def test_decodes_and_names_the_encoding(data, text, encoding, bom):
    decoded = decode(data, PATH)
    assert (decoded.text, decoded.encoding, decoded.bom) == (text, encoding, bom)


@pytest.mark.parametrize("data, message", [
    (b"", "empty file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
    ("Café résumé naïve".encode("cp1252"), "unsure of the character encoding"),
    (b"line one\nbad \x01 here\n", r"line 2, column 5: character U\+0001"),
    (b"\xff\xfe\x00\xd8", "not valid UTF-16LE"),
])
def test_refuses_with_a_clear_reason(data, message):
    with pytest.raises(InputError, match=message) as caught:
        decode(data, PATH)
    assert caught.value.one_line().startswith("doc.txt: ")


def test_sidecar_encoding_forces_the_decoding():
    decoded = decode("Café résumé naïve".encode("cp1252"), PATH, forced="windows-1252")
    assert (decoded.text, decoded.encoding) == ("Café résumé naïve", "windows-1252")


def test_forced_encoding_must_fit_the_bytes():
    with pytest.raises(InputError, match="not valid shift_jis"):
        decode(b"\x81\x20\xff", PATH, forced="shift_jis")
