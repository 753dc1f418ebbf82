"""Join the first text page of built PDFs into docs/scripts-contact-sheet.png.

    python tools/contact_sheet.py DIST_PDF_FOLDER docs/scripts-contact-sheet.png [STEM...]

The PDFs are the real pipeline's (``publish build`` of tests/fixtures/scripts/,
no sidecars, as tests/test_scripts.py builds them); page 2 is the first page of
text (page 1 is the title page). Each is rasterised by ``pdftoppm -r 60``.
Default stems: Arabic, Hindi, Chinese, Tamil and Amharic, as issue 11 asks.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

STEMS = ["ar-Arab", "hi-Deva", "zh-Hans", "ta-Taml", "am-Ethi"]


def main(argv: list[str]) -> None:
    from PIL import Image

    folder, target, stems = Path(argv[0]), Path(argv[1]), argv[2:] or STEMS
    images = []
    with tempfile.TemporaryDirectory() as scratch:
        for stem in stems:
            prefix = Path(scratch) / stem
            subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "2", "-l", "2", "-singlefile",
                            str(folder / f"{stem}.pdf"), str(prefix)], check=True)
            images.append(Image.open(f"{prefix}.png").convert("L"))
    side_by_side(images, target)


def side_by_side(images: list, target: Path, gap: int = 8) -> None:
    """Write grey page images in one row on a grey ground, as a 64-colour PNG."""
    from PIL import Image

    canvas = Image.new("L", (sum(i.width for i in images) + gap * (len(images) + 1),
                             max(i.height for i in images) + 2 * gap), 160)
    x = gap
    for image in images:
        canvas.paste(image, (x, gap))
        x += image.width + gap
    canvas = canvas.quantize(colors=64)
    canvas.save(target, optimize=True)
    print(f"{target}: {target.stat().st_size // 1024} KB, {canvas.width}x{canvas.height}")


if __name__ == "__main__":
    main(sys.argv[1:])
