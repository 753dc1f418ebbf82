"""Language, script and direction of a text, from the text alone.

Pure functions: no logging, no I/O beyond loading the model once. The caller
decides what an unsure answer means (publish writes ``und`` and warns).

- :func:`identify` names the language with py3langid (its model ships in the
  wheel; nothing is downloaded), checks that the answer is written in the
  text's script, and answers ``und`` below :data:`THRESHOLD`.
- :func:`scripts` counts letters per Unicode script (ISO 15924 codes, from
  fontTools' copy of the Unicode Character Database).
- :func:`direction` is the direction of the first strong character (UAX #9,
  rules P2–P3).

Measurements behind the choices: docs/language-detection.md.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from fontTools import unicodedata as ucd

TOOL = "py3langid"

#: Below this calibrated probability the answer is ``und``. On the corpus in
#: tests/fixtures/scripts no wrong answer scored 0.60 or more on any paragraph
#: of 20 characters or more (152 paragraphs); see docs/language-detection.md.
THRESHOLD = 0.60

#: Fewer letters than this and no guess is made.
MIN_LETTERS = 20

#: Scripts written right to left (ISO 15924), living and historic, from the
#: Unicode Script property and UAX #9 (every letter in them is bidi class R or AL).
RTL_SCRIPTS = frozenset({
    "Adlm",  # Adlam
    "Arab",  # Arabic
    "Armi",  # Imperial Aramaic
    "Avst",  # Avestan
    "Chrs",  # Chorasmian
    "Cprt",  # Cypriot
    "Elym",  # Elymaic
    "Hatr",  # Hatran
    "Hebr",  # Hebrew
    "Hung",  # Old Hungarian
    "Khar",  # Kharoshthi
    "Lydi",  # Lydian
    "Mand",  # Mandaic
    "Mani",  # Manichaean
    "Mend",  # Mende Kikakui
    "Merc",  # Meroitic Cursive
    "Mero",  # Meroitic Hieroglyphs
    "Narb",  # Old North Arabian
    "Nbat",  # Nabataean
    "Nkoo",  # N'Ko
    "Orkh",  # Old Turkic
    "Ougr",  # Old Uyghur
    "Palm",  # Palmyrene
    "Phli",  # Inscriptional Pahlavi
    "Phlp",  # Psalter Pahlavi
    "Phnx",  # Phoenician
    "Prti",  # Inscriptional Parthian
    "Rohg",  # Hanifi Rohingya
    "Samr",  # Samaritan
    "Sarb",  # Old South Arabian
    "Sogd",  # Sogdian
    "Sogo",  # Old Sogdian
    "Syrc",  # Syriac
    "Thaa",  # Thaana
    "Yezi",  # Yezidi
})

#: Scripts in which py3langid's languages are written, where that is not Latin.
#: An answer whose language is not written in the text's main script is refused
#: (py3langid knows no Inuktitut, so it calls syllabics Amharic with 1.00).
LANGUAGE_SCRIPTS: dict[str, frozenset[str]] = {
    lang: frozenset(scripts.split()) for lang, scripts in {
        "am": "Ethi", "ar": "Arab", "ary": "Arab", "arz": "Arab", "as": "Beng",
        "ba": "Cyrl", "be": "Cyrl", "bg": "Cyrl", "bn": "Beng", "dz": "Tibt",
        "el": "Grek", "fa": "Arab", "grc": "Grek", "gom": "Deva Latn", "gu": "Gujr",
        "hbo": "Hebr", "he": "Hebr", "hi": "Deva", "hy": "Armn", "ja": "Jpan Hani Hira Kana",
        "ka": "Geor", "kk": "Cyrl", "km": "Khmr", "kn": "Knda", "ko": "Hang Hani",
        "ku": "Latn Arab", "ky": "Cyrl", "lo": "Laoo", "mk": "Cyrl", "ml": "Mlym",
        "mn": "Cyrl Mong", "mr": "Deva", "my": "Mymr", "ne": "Deva", "or": "Orya",
        "pa": "Guru Arab", "ps": "Arab", "ru": "Cyrl", "sa": "Deva", "sdh": "Arab",
        "si": "Sinh", "sr": "Cyrl Latn", "ta": "Taml", "te": "Telu", "tg": "Cyrl",
        "th": "Thai", "tt": "Cyrl", "ug": "Arab", "uk": "Cyrl", "ur": "Arab",
        "uz": "Latn Cyrl", "uzs": "Arab", "wuu": "Hani", "yue": "Hani", "zh": "Hani",
        "zxx": "",
    }.items()
}

#: Scripts that name their language: used when the model knows none of the
#: text's language (Thaana is Dhivehi; N'Ko, Cherokee, Yi, Vai likewise).
SCRIPT_LANGUAGE = {
    "Armn": "hy", "Cher": "chr", "Jpan": "ja", "Kore": "ko", "Geor": "ka", "Gujr": "gu", "Guru": "pa",
    "Knda": "kn", "Khmr": "km", "Laoo": "lo", "Mlym": "ml",
    "Nkoo": "nqo", "Orya": "or", "Sinh": "si", "Taml": "ta", "Telu": "te",
    "Thaa": "dv", "Thai": "th", "Vaii": "vai", "Yiii": "ii",
}

#: Kana and Hangul decide between the CJK languages (Japanese text is mostly Han).
_JAPANESE = {"Hira", "Kana"}
_SCRIPT_PARTS = {"Jpan": {"Hani", "Hira", "Kana"}, "Kore": {"Hani", "Hang"}}

# fontTools names a few code points with these pseudo-scripts
_NOT_A_SCRIPT = {"Zyyy", "Zinh", "Zzzz"}


@dataclass(frozen=True)
class Identification:
    """The language of a text (BCP 47 primary subtag, or ``und``)."""

    language: str
    confidence: float
    tool: str = TOOL

    @property
    def sure(self) -> bool:
        return self.language != "und"


@lru_cache(maxsize=1 << 16)
def _letter_script(ch: str) -> str | None:
    """The script of a letter, or ``None`` for anything else (cached: texts repeat their letters)."""
    if unicodedata.category(ch)[0] != "L":
        return None
    script = ucd.script(ch)
    return None if script in _NOT_A_SCRIPT else script


def scripts(text: str) -> dict[str, int]:
    """Letters per script (ISO 15924 code), most frequent first.

    Only letters (general category L*) are counted: not marks, digits or
    punctuation, and no letter whose Script is Common or Inherited.
    """
    # Count characters first (in C), then look up each distinct one's script once.
    counts: Counter[str] = Counter()
    for ch, n in Counter(text).items():
        script = _letter_script(ch)
        if script:
            counts[script] += n
    return dict(counts.most_common())


def main_script(text: str) -> str | None:
    """The script with most letters; Han mixed with kana is ``Jpan``, with Hangul ``Kore``.

    Han is given as ``Hani``: the Unicode Script property does not tell
    simplified from traditional characters.
    """
    return main_script_of(scripts(text))


def main_script_of(counts: dict[str, int]) -> str | None:
    """:func:`main_script` from letter counts already made by :func:`scripts`."""
    if not counts:
        return None
    letters = sum(counts.values())
    first = next(iter(counts))
    kana = counts.get("Hira", 0) + counts.get("Kana", 0)
    if first in _JAPANESE or (first == "Hani" and kana >= 0.1 * letters):
        return "Jpan"
    if first == "Hang" or (first == "Hani" and counts.get("Hang", 0) >= 0.1 * letters):
        return "Kore"
    return first


def direction(text: str) -> str:
    """'rtl' if the first strong character is R or AL, else 'ltr' (also for no strong one)."""
    for ch in text:
        bidi = unicodedata.bidirectional(ch)
        if bidi == "L":
            return "ltr"
        if bidi in ("R", "AL"):
            return "rtl"
    return "ltr"


def has_strong(text: str) -> bool:
    """Whether ``text`` has a strong character (bidi class L, R or AL) to take a direction from."""
    return any(unicodedata.bidirectional(ch) in ("L", "R", "AL") for ch in text)


def script_direction(script: str | None) -> str:
    return "rtl" if script in RTL_SCRIPTS else "ltr"


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _written_in(language: str, script: str) -> bool:
    allowed = LANGUAGE_SCRIPTS.get(language, frozenset({"Latn"}))
    if script == "Jpan":
        return language == "ja"
    if script == "Kore":
        return language == "ko"
    return script in allowed


def identify(text: str, threshold: float = THRESHOLD) -> Identification:
    """The language of ``text``; ``und`` when unsure.

    Unsure means: fewer than :data:`MIN_LETTERS` letters, a calibrated
    probability below ``threshold``, or an answer in a language not written in
    the text's main script. In the last two cases a script used by one
    language only (:data:`SCRIPT_LANGUAGE`) still names it, with the share of
    the text's letters in that script as the confidence.
    """
    counts = scripts(text)
    letters = sum(counts.values())
    if letters < MIN_LETTERS:
        return Identification("und", 0.0)
    script = main_script_of(counts)
    language, confidence = _identifier().classify(text)
    confidence = float(confidence)
    if confidence >= threshold and _written_in(language, script) and language != "zxx":
        return Identification(language, round(confidence, 4))
    fallback = SCRIPT_LANGUAGE.get(script)
    if fallback:
        share = _share(counts, _SCRIPT_PARTS.get(script, {script}), letters)
        if share >= threshold:
            return Identification(fallback, round(share, 4), f"{TOOL}+script")
    return Identification("und", round(confidence, 4))


def _share(counts: dict[str, int], wanted: set[str], letters: int) -> float:
    return sum(n for s, n in counts.items() if s in wanted) / letters
