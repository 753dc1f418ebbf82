"""Render every corpus text with plain WeasyPrint and templates/scripts.css; report what went wrong.

    PYTHONPATH=. python tools/render_scripts.py OUTDIR [--und] [--sheet docs/scripts-contact-sheet.png]

One PDF page per text in tests/fixtures/scripts/, laid out as section.text is in
templates/print.css (justified, indented). For each text it prints the faces
WeasyPrint embedded, the code points it found in no font (tofu), and the
letters of the source that pdftotext does not give back. With --und the pages
say lang="und-<Script>" instead of the language, as for a text whose language
could not be identified. --sheet joins the Arabic, Hindi, Chinese, Tamil and
Amharic pages (pdftoppm -r 60) into one PNG.
"""

from __future__ import annotations

import html
import subprocess
import sys
import unicodedata
from collections import Counter
from pathlib import Path

from contact_sheet import side_by_side  # beside this file: tools/ is sys.path[0]

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "fixtures" / "scripts"
CSS = ROOT / "templates" / "scripts.css"
BASE = """
@page { size: 148mm 210mm; margin: 20mm 17mm 22mm 19mm; }  /* as templates/print.css */
html { font-size: 10.5pt; line-height: 1.45; hyphens: auto; }
section.text { text-align: justify; }
section.text p { margin: 0; text-indent: 1.2em; }
section.text h1 { font-size: 13pt; text-align: start; margin: 0 0 3mm; }
section.text h2 { font-size: 10.5pt; text-align: start; margin: 2mm 0 1mm; }
p.label { font: 7pt "Noto Sans"; color: #666; text-indent: 0; text-align: left; margin-bottom: 2mm; direction: ltr; }
"""
SHEET = ["ar-Arab", "hi-Deva", "zh-Hans", "ta-Taml", "am-Ethi"]


def page(stem: str, und: bool) -> str:
    from publish import langid

    text = (CORPUS / f"{stem}.txt").read_text(encoding="utf-8")
    script = langid.main_script(text)
    lang = f"und-{script}" if und else stem.replace("-Latn", "").replace("-Cyrl", "")
    lang = {"ja-Jpan": "ja", "ko-Kore": "ko"}.get(lang, lang)
    rtl = langid.script_direction(script) == "rtl"
    paras = [p.strip() for p in text.split("\n\n") if p.strip()]
    body = [f'<p class="label">{stem} · lang="{lang}"{" · dir=rtl" if rtl else ""}</p>']
    for i, p in enumerate(paras):
        tag = "h1" if i == 0 and len(paras) > 2 else ("h2" if len(p) < 25 and len(paras) > 2 else "p")
        body.append(f"<{tag}>{html.escape(p)}</{tag}>")
    attrs = ' dir="rtl"' if rtl else ""
    return f'<section class="text" lang="{lang}"{attrs} style="page-break-after: always">{"".join(body)}</section>'


def letters(text: str) -> Counter:
    """Letters with their counts, so a ligature that hides one of two lams shows."""
    return Counter(c for c in unicodedata.normalize("NFC", text) if unicodedata.category(c)[0] == "L")


def main(argv: list[str]) -> None:
    import weasyprint

    out = Path(argv[0])
    out.mkdir(parents=True, exist_ok=True)
    und = "--und" in argv
    stems = [p.stem for p in sorted(CORPUS.glob("*.txt"))]
    css = [weasyprint.CSS(string=BASE), weasyprint.CSS(filename=str(CSS))]
    problems = 0
    for stem in stems:
        doc = weasyprint.HTML(string=f"<html><body>{page(stem, und)}</body></html>").render(stylesheets=css)
        pdf = out / f"{stem}.pdf"
        doc.write_pdf(pdf)
        missing = sorted({cp for font in doc.fonts.values() for cp in font.missing})
        faces = sorted({(font.family.decode() if isinstance(font.family, bytes) else font.family) for font in doc.fonts.values()} - {"Noto Sans"})
        extracted = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"],
                                   capture_output=True, text=True, check=True).stdout
        source = (CORPUS / f"{stem}.txt").read_text(encoding="utf-8")
        lost = letters(source) - letters(extracted)
        lost = "".join(sorted(lost.elements()))
        problems += bool(missing or lost)
        print(f"{stem:10} pages {len(doc.pages)} faces {', '.join(faces)}"
              + (f"  TOFU {[f'U+{c:04X}' for c in missing]}" if missing else "")
              + (f"  NOT EXTRACTED {len(lost)}: {lost[:40]} {sorted({f'U+{ord(c):04X}' for c in lost})[:12]}" if lost else ""))
    if "--sheet" in argv:
        sheet(out, Path(argv[argv.index("--sheet") + 1]))
    print(f"{len(stems)} texts, {problems} with tofu or letters lost in extraction")


def sheet(out: Path, target: Path) -> None:
    from PIL import Image

    images = []
    for stem in SHEET:
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile",
                        str(out / f"{stem}.pdf"), str(out / stem)], check=True)
        images.append(Image.open(out / f"{stem}.png").convert("L"))
    side_by_side(images, target)


if __name__ == "__main__":
    main(sys.argv[1:])
