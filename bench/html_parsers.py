"""Which HTML5 parser: speed and agreement on ../shared/corpus's HTML (issue 15).

Run with the candidates importable, e.g.
``pip install --target /tmp/h5 html5lib selectolax html5-parser`` then
``PYTHONPATH=/tmp/h5 python bench/html_parsers.py``. Each parser reads each
file (and the issue's object/embed/iframe/svg/video page); the text it yields
(without script and style, whitespace squeezed) is compared with html5lib's,
the WHATWG algorithm's reference implementation in Python.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus"
ISSUE_PAGE = (Path(__file__).resolve().parents[1] / "tests" / "normalise" / "fixtures" / "html"
              / "media-then-paragraphs.html").read_text(encoding="utf-8")
SKIP = {"script", "style", "template"}


def squeeze(parts) -> str:
    return " ".join("".join(parts).split())


def etree_text(root) -> str:
    """The text of an ElementTree or lxml tree without script and style, by a work list."""
    out, stack = [], [(root, False)]
    while stack:
        node, tail = stack.pop()
        if tail:
            out.append(node)
            continue
        if not isinstance(node.tag, str) or node.tag.rsplit("}", 1)[-1].lower() in SKIP:
            continue
        out.append(node.text or "")
        for child in reversed(node):
            stack.append((child.tail or "", True))
            stack.append((child, False))
    return squeeze(out)


MEDIA = {"object", "embed", "iframe", "svg", "video"}


def misnested(root) -> int:
    """How many ``p`` elements the parser put inside object/embed/iframe/svg/video."""
    count, stack = 0, [(root, False)]
    while stack:
        node, inside = stack.pop()
        if not isinstance(node.tag, str):
            continue
        name = node.tag.rsplit("}", 1)[-1].lower()
        count += inside and name == "p"
        stack.extend((child, inside or name in MEDIA) for child in node)
    return count


def trees() -> dict:
    import lxml.html
    import tinyhtml5
    found = {"tinyhtml5 2.1": lambda s: tinyhtml5.parse(s, namespace_html_elements=False),
             "lxml.html (its libxml2)": lambda s: lxml.html.document_fromstring(s.encode())}
    try:
        import html5lib
        found["html5lib"] = lambda s: html5lib.parse(s, namespaceHTMLElements=False)
    except ImportError:
        pass
    return found


def parsers() -> dict:
    import lxml.html
    import tinyhtml5
    found = {"tinyhtml5 2.1": lambda s: etree_text(tinyhtml5.parse(s, namespace_html_elements=False)),
             "lxml.html (its libxml2)": lambda s: etree_text(lxml.html.document_fromstring(s.encode()))}
    try:
        import html5lib
        found["html5lib"] = lambda s: etree_text(html5lib.parse(s, namespaceHTMLElements=False))
    except ImportError:
        pass
    try:
        import html5_parser
        found["html5-parser"] = lambda s: etree_text(html5_parser.parse(s))
    except (ImportError, RuntimeError) as error:  # it must share lxml's libxml2, which wheels do not
        print(f"html5-parser not usable: {' '.join(str(error).split())[:160]}")
    try:
        from selectolax.lexbor import LexborHTMLParser

        def lexbor(s):
            tree = LexborHTMLParser(s)
            for node in tree.css("script, style, template"):
                node.decompose()
            return squeeze([tree.root.text(deep=True, separator="")])
        found["selectolax (lexbor)"] = lexbor
    except ImportError:
        pass
    return found


def timed(parse, texts) -> float:
    start = time.perf_counter()
    for text in texts.values():
        parse(text)
    return time.perf_counter() - start


def main() -> None:
    files = sorted(p for p in CORPUS.rglob("*") if p.suffix in (".html", ".htm", ".html5"))
    texts = {p.name: p.read_text(encoding="utf-8", errors="replace") for p in files}
    texts["issue-15 page"] = ISSUE_PAGE
    size = sum(len(t) for t in texts.values())
    candidates = parsers()
    reference = ({name: candidates["html5lib"](text) for name, text in texts.items()}
                 if "html5lib" in candidates else {})
    print(f"{len(texts)} inputs, {size:,} characters; Python {sys.version.split()[0]}")
    print("| parser | ms for all inputs (best of 3) | text agrees with html5lib "
          "| issue page: p inside the media |")
    print("|---|---|---|---|")
    for label, parse in candidates.items():
        best = min(timed(parse, texts) for _ in range(3))
        agree = sum(parse(t) == reference.get(n) for n, t in texts.items())
        tree = trees().get(label)
        if tree:
            nested = f"{misnested(tree(ISSUE_PAGE))} of 3"
        else:
            from selectolax.lexbor import LexborHTMLParser
            nested = f"{len(LexborHTMLParser(ISSUE_PAGE).css(', '.join(m + ' p' for m in MEDIA)))} of 3"
        print(f"| {label} | {best * 1000:.0f} | {agree}/{len(texts)} | {nested} |")


if __name__ == "__main__":
    main()
