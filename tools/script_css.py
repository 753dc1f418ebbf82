"""Write templates/scripts.css, the PDF's faces by language and by script (issue 11).

    python tools/script_css.py > templates/scripts.css

One table, SCRIPTS, gives for each ISO 15924 script the languages written in
it and its own faces. Every stack is the script's own faces followed by the
universal stack (one face per script, the Extension B-and-beyond Han faces,
symbols, music, monochrome emoji), because a :lang() rule's font-family
replaces the whole stack it inherits: an Arabic word inside an English
paragraph must still find Noto Naskh Arabic, never fontconfig's DejaVu.
Measurements behind the choices: docs/fonts.md.
"""

from __future__ import annotations

TAIL = ['"Noto Sans Symbols"', '"Noto Sans Symbols2"', '"Noto Sans Math"', '"Noto Music"', '"Symbola"']
# HanaMinB: CJK Extensions B to E. Not HanaMinA (Noto CJK has the BMP and
# Extension A) nor BabelStone Han (Extensions F, G): both have glyphs of their
# own in the private-use area (BabelStone all of U+E000-F8FF), through which a
# private-use character would be drawn as a stranger's glyph, silently, instead
# of failing. An @font-face alias with a unicode-range does not help: WeasyPrint
# 70 then takes the whole range as covered and draws .notdef for what it lacks.
HAN_TAIL = ['"HanaMinB"']
LATIN = ['"Noto Serif"', '"Junicode Two Beta"']
LATIN_LANGS = ["en", "fr", "de", "es", "it", "pt", "nl", "la", "is", "pl", "tr", "vi", "id", "sw",
               "enm", "ang", "non", "fro"]

# script: (languages, faces); faces before the Latin fallback
SCRIPTS: dict[str, tuple[list[str], list[str]]] = {
    # Urdu in Naskh too: with Noto Nastaliq Urdu, WeasyPrint's ToUnicode map loses
    # 98 of the corpus text's letters (docs/fonts.md); Nastaliq once spans carry /ActualText
    "Arab": (["ar", "fa", "ps", "sd", "ug", "ckb", "ks", "azb", "uzs", "ur", "pnb", "skr"],
             ['"Noto Naskh Arabic"']),
    "Hebr": (["he", "yi", "lad", "hbo"], ['"Noto Serif Hebrew"']),
    "Thaa": (["dv"], ['"Noto Sans Thaana"']),
    "Nkoo": (["nqo"], ['"Noto Sans NKo"']),
    "Syrc": (["syr", "aii", "syc", "tru"], ['"Noto Sans Syriac"']),
    "Adlm": ([], ['"Noto Sans Adlam"']),
    "Samr": (["smp"], ['"Noto Sans Samaritan"']),
    "Mand": (["mid"], ['"Noto Sans Mandaic"']),
    "Rohg": (["rhg"], ['"Noto Sans Hanifi Rohingya"']),
    "Deva": (["hi", "mr", "ne", "sa", "mai", "bho", "kok", "new", "doi"], ['"Noto Serif Devanagari"']),
    "Beng": (["bn", "as", "mni"], ['"Noto Serif Bengali"']),
    "Guru": (["pa"], ['"Noto Serif Gurmukhi"']),
    "Gujr": (["gu"], ['"Noto Serif Gujarati"']),
    "Orya": (["or"], ['"Noto Sans Oriya"']),
    "Taml": (["ta"], ['"Noto Serif Tamil"']),
    "Telu": (["te"], ['"Noto Serif Telugu"']),
    "Knda": (["kn", "tcy"], ['"Noto Serif Kannada"']),
    "Mlym": (["ml"], ['"Noto Serif Malayalam"']),
    "Sinh": (["si"], ['"Noto Serif Sinhala"']),
    "Thai": (["th"], ['"Noto Serif Thai"']),
    "Laoo": (["lo"], ['"Noto Serif Lao"']),
    "Khmr": (["km"], ['"Noto Serif Khmer"']),
    "Mymr": (["my", "shn", "mnw", "ksw"], ['"Noto Serif Myanmar"']),
    "Tibt": (["bo", "dz"], ['"Noto Serif Tibetan"']),
    "Mong": (["mn-Mong"], ['"Noto Sans Mongolian"']),
    "Ethi": (["am", "ti", "gez", "tig"], ['"Noto Serif Ethiopic"']),
    "Tfng": (["zgh", "tzm-Tfng", "shi-Tfng"], ['"Noto Sans Tifinagh"']),
    "Cher": (["chr"], ['"Noto Sans Cherokee"']),
    "Cans": (["iu", "cr", "oj-Cans", "nsk"], ['"Noto Sans Canadian Aboriginal"']),
    "Yiii": (["ii"], ['"Noto Sans Yi"', '"Noto Serif CJK SC"']),
    "Vaii": (["vai"], ['"Noto Sans Vai"']),
    "Armn": (["hy"], ['"Noto Serif Armenian"']),
    "Geor": (["ka"], ['"Noto Serif Georgian"']),
    "Grek": (["el", "grc"], ['"Noto Serif"']),
    "Cyrl": (["ru", "uk", "be", "bg", "mk", "sr", "kk", "ky", "tg", "tt", "ba", "mn"], ['"Noto Serif"']),
    # Han: the language decides the regional glyph forms; Hani alone means Chinese
    "Hani": (["zh", "zh-Hans", "zh-CN", "zh-SG", "yue-Hans", "wuu", "vi-Hani"], ['"Noto Serif CJK SC"']),
    "Hant": (["zh-Hant", "zh-TW", "zh-MO", "yue", "yue-Hant", "nan-Hant"], ['"Noto Serif CJK TC"']),
    "Hant-HK": (["zh-HK", "zh-Hant-HK", "yue-HK"], ['"Noto Serif CJK HK"']),
    "Jpan": (["ja"], ['"Noto Serif CJK JP"']),
    "Kore": (["ko"], ['"Noto Serif CJK KR"']),
}
HAN = {"Hani", "Hant", "Hant-HK", "Jpan", "Kore"}
# without spaces between words: never stretch the few spaces there are
NO_SPACES = ["Thai", "Laoo", "Khmr", "Mymr"]
RTL = ["Arab", "Hebr", "Thaa", "Nkoo", "Syrc", "Adlm", "Samr", "Mand", "Rohg"]
TALL = {"Arab": 1.7, "Mymr": 1.8, "Tibt": 1.8, "Sinh": 1.6, "Khmr": 1.7,
        "Thai": 1.6, "Laoo": 1.6, "Deva": 1.6, "Beng": 1.6, "Guru": 1.6, "Gujr": 1.6,
        "Orya": 1.6, "Taml": 1.6, "Telu": 1.7, "Knda": 1.7, "Mlym": 1.6, "Syrc": 1.6, "Nkoo": 1.6}


def selectors(script: str) -> list[str]:
    """:lang() for its languages, and und-<Script> for text whose language is unknown."""
    langs = list(SCRIPTS[script][0])
    if "-" not in script:
        langs.append(f"und-{script}")
    return [f":lang({lang})" for lang in langs]


def universal_faces() -> list[str]:
    """The root's stack: Latin, CJK, one face per script, symbols, then the Han extensions.

    Noto Serif CJK SC right after Latin, or CJK punctuation (。) is drawn by the
    first script face that has it (Noto Sans Mongolian). The symbol faces before
    HanaMin, which also has U+1D11E but not as Noto Music draws it.
    """
    faces = LATIN + ['"Noto Serif CJK SC"']
    for script, (_, own) in SCRIPTS.items():
        if script not in HAN:
            faces += [face for face in own if face not in faces]
    return faces + TAIL + HAN_TAIL


def stack(script: str) -> str:
    """The script's own faces, then every other face of the universal stack."""
    own = SCRIPTS[script][1]
    return ", ".join(own + [f for f in universal_faces() if f not in own] + ["serif"])


def universal() -> str:
    return ",\n    ".join(universal_faces() + ["serif"])


def main() -> None:
    out = ["/* Generated by tools/script_css.py (issue 11): edit its table, not this file.",
           "   Faces by language (:lang() matches by BCP 47 prefix) and by script: text whose",
           "   language is unknown carries lang=\"und-<Script>\" in the XHTML (ISO 15924, from",
           "   publish.langid.main_script), so it still gets its script's face. Fonts: Debian",
           "   fonts-noto-core, fonts-noto-cjk, fonts-hanazono, fonts-symbola (see the",
           "   Makefile and docs/fonts.md). */", "",
           ]
    out += ["html {", f"  font-family: {universal()};", "}", ""]
    # one-subtag tags first, then longer ones (zh-Hant, vi-Hani, und-Khmr): with
    # equal specificity the later rule wins, and :lang(vi) also matches vi-Hani
    latin = [f":lang({lang})" for lang in LATIN_LANGS + ["und-Latn"]]
    out.append("/* Latin: the universal stack again, for Latin inside another script's element */")
    out.append(f"{', '.join(latin)}\n  {{ font-family: {universal()}; }}")
    for short in (True, False):
        out.append("" if short else "\n/* Longer tags, and und-<Script> for an unknown language */")
        for script in SCRIPTS:
            sel = [s for s in selectors(script) if ("-" not in s) == short]
            if sel:
                out.append(f"{', '.join(sel)}\n  {{ font-family: {stack(script)}; }}")
    out.append("")
    out.append("/* Scripts written without spaces between words: Pango breaks lines at word")
    out.append("   boundaries (libthai, ICU-like dictionaries), but justify would stretch the")
    out.append("   few spaces into word-wide gaps; WeasyPrint has no text-justify. */")
    sel = [s for script in NO_SPACES for s in selectors(script)]
    out.append(f"{', '.join(sel)}\n  {{ text-align: start; hyphens: manual; }}")
    out.append("section.text " + ", section.text ".join(
        f"p{s}" for script in NO_SPACES for s in selectors(script)) + " { text-align: start; }")
    out.append("")
    out.append("/* Room for stacked marks and tall clusters */")
    for script, height in TALL.items():
        out.append(f"{', '.join(selectors(script))} {{ line-height: {height}; }}")
    out.append("")
    out.append("/* Right-to-left: the direction comes from dir=\"rtl\" on <html> and on each")
    out.append("   paragraph whose first strong character disagrees (publish.langid); the")
    out.append("   stylesheet needs no direction of its own. text-align: justify and start")
    out.append("   both follow the paragraph's direction in WeasyPrint. */")
    print("\n".join(out))


if __name__ == "__main__":
    main()
