"""TEI P5 input → the publish subset of TEI P5.

A TEI file is parsed safely (no DTD, no entities, no network), checked to be a
TEI P5 document (``TEI`` or ``teiCorpus`` in the TEI namespace), and its
``text`` is mapped into the subset that ``publish.rng`` describes: TEI P5
Guidelines ch. 3 (core), 4 (default text structure), 14 (tables, figures).
The result is validated against ``publish.rng``, like every normaliser's;
validating the input against ``tei_all`` would take seconds per file, so it is
left to ``publish validate --tei-all``. The header is made anew from what the
input's header says (title, authors, dates, language, licence); the original
file, with its header, stays the source of record (its sha256 is in
``sourceDesc``).

Nothing vanishes silently: an element outside the subset is mapped to its
nearest subset element, or its text is kept (``ab type="<name>"`` where it stood
alone, plain text inside a phrase), and the editorial record names each kind
with a count. An element with no text to keep (``gap``, ``anchor``, ``space``…)
is left out with a WARNING naming it.

Supports:

- [x] ``div``, ``div1``…``div7``, ``head`` → nested ``div``/``head`` (blocks after a
      subdivision go into a ``div`` of their own); ``front`` and ``back`` → ``div type="front|back"``
- [x] ``p``, ``ab``, ``lg``/``l``, ``quote``, ``q``, ``said``, ``hi``, ``lb``, ``foreign``, ``code``
- [x] ``list``/``item``/``label`` (gloss lists as ``label``/``item`` pairs), ``table``/``row``/``cell``
- [x] ``note`` (``place`` kept where the subset has it, else ``foot``)
- [x] ``ref``/``ptr`` → ``ref target`` (internal targets follow the new ids)
- [x] ``figure``/``graphic``/``figDesc``: images beside the file copied into the assets
- [x] ``choice`` with ``orig``/``reg``, ``sic``/``corr``, ``abbr``/``expan`` → ``orig``/``reg``
- [x] ``pb``, ``cb``, ``milestone`` → ``milestone unit="page|column|…" n=…``
- [x] ``emph``, ``title``, ``term``, ``mentioned``, ``gloss``, ``del`` … → ``hi rend=…``
- [x] ``sp``/``speaker``/``stage``, ``titlePage``, ``opener``, ``byline``, … → their text
      as ``ab type="speaker|stage|…"`` or inline text
- [x] ``egXML`` (TEI examples) → ``ab type="pre"`` holding the example's XML as text
- [x] teiHeader → title, authors, date, language, licence, source description
- [-] names, dates, numbers, ``seg``, ``rs``, editorial ``add``/``unclear``/``supplied`` …:
      text kept, the markup recorded by name and count
- [-] ``xml:id`` values: kept where unique on kept elements; ``div``, ``note``, ``figure`` renumbered
- [ ] TEI P4 (no namespace), ``teiCorpus`` beyond its first ``TEI``, stand-off markup, ``facsimile``
"""

from __future__ import annotations

from lxml import etree

from publish.errors import InputError, UnsupportedFormatError
from publish.log import LOGGER
from publish.metadata import ISO_DATE, LANGUAGE_TAG, Metadata
from publish.normalise import structure
from publish.normalise.base import Normalised, Source
from publish.normalise.resources import local_file
from publish.normalise.structure import Assets, Report, SourceIds, fill
from publish.tei import TEI_NS, T, first_text, localname, parse_bytes, tag, xml, xpath
from publish.tei.header import Decisions

NAME = "tei"
MEDIA_TYPE = "application/tei+xml"

DIVS = {"div", "div1", "div2", "div3", "div4", "div5", "div6", "div7"}
#: Outside the subset, kept as ``hi`` with this ``rend``.
AS_HI = {"emph": "italic", "title": "italic", "term": "italic", "mentioned": "italic",
         "gloss": "italic", "soCalled": "quoted", "del": "strikethrough", "add": "inserted",
         "gi": "code", "att": "code", "val": "code", "tag": "code", "ident": "code",
         "distinct": "italic", "foreign": None}
#: Outside the subset, kept as ``q``.
AS_Q = {"q", "said"}
CHOICE_PAIRS = {"orig": "orig", "sic": "orig", "abbr": "orig", "reg": "reg", "corr": "reg", "expan": "reg"}
MILESTONES = {"pb": "page", "cb": "column", "gb": "gathering"}
NOTE_PLACES = {"foot", "end", "margin", "inline"}
LIST_TYPES = {"ordered": "ordered", "numbered": "ordered", "bulleted": "unordered",
              "unordered": "unordered", "gloss": "gloss"}
#: Elements whose children stand in running text (so an unknown child is a phrase).
PHRASE_PARENTS = {"p", "ab", "l", "head", "hi", "q", "ref", "label", "item", "cell", "note",
                  "quote", "figDesc", "foreign", "said", "seg", "s", "emph", "title", "term",
                  "speaker", "stage", "fw", "add", "del", "name", "persName", "placeName",
                  "orgName", "date", "num", "rs", "unclear", "supplied", "sic", "corr", "orig",
                  "reg", "abbr", "expan", "bibl", "titlePart", "docAuthor", "byline",
                  "dateline", "salute", "signed", "trailer", "docImprint", "docDate"}


def normalise(source: Source) -> Normalised:
    """Normalise a TEI P5 document into the publish subset."""
    document = parse_bytes(source.data, source.path)
    root = document.getroot()
    if localname(root) == "teiCorpus" and etree.QName(root).namespace == TEI_NS:
        found_tei = root.find(tag("TEI"))
        if found_tei is None:
            raise InputError("teiCorpus holds no TEI document", source.path)
        root = found_tei
    if etree.QName(root).namespace != TEI_NS or localname(root) != "TEI":
        raise UnsupportedFormatError(
            f"not a TEI P5 document: the root element is <{etree.QName(root).localname}> in "
            f"{etree.QName(root).namespace or 'no namespace'} (TEI P5 uses {TEI_NS})", source.path)
    text = root.find(tag("text"))
    if text is None:
        raise InputError("the TEI document has no <text>", source.path)
    converter = TeiConverter(source)
    tei_text = converter.text(text)
    return Normalised(text=tei_text, found=header_metadata(root),
                      decisions=converter.decisions(), assets=converter.assets.items(),
                      encoding=document.docinfo.encoding or "UTF-8",
                      bom=source.data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")))


class TeiConverter:
    """Maps a TEI ``text`` into the subset, recording what it did by element name."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.assets = Assets(source.identifier)
        self.report = Report()
        self.ids = SourceIds()

    def text(self, text: etree._Element) -> etree._Element:
        parts = {localname(c): c for c in text if isinstance(c.tag, str)}
        body = T.body()
        front, main, back = parts.get("front"), parts.get("body", parts.get("group")), parts.get("back")
        if main is None:
            raise InputError("the TEI <text> has no <body>", self.source.path)
        if front is None and back is None:
            fill(body, self.children(main), "block")
        else:
            divisions = []
            for part, kind in ((front, "front"), (main, "body"), (back, "back")):
                if part is not None:
                    divisions.append(fill(T.div(type=kind), self.children(part), "block"))
            fill(body, divisions, "block")
        settle(body)
        if not len(body) and not (body.text or "").strip():
            raise InputError("no text: the TEI body is empty", self.source.path)
        tei_text = T.text(body)
        tei_text.set(xml("space"), "preserve")
        structure.assign_ids(tei_text, self.ids)
        return tei_text

    def decisions(self) -> Decisions:
        return Decisions(
            normalization=("The TEI text was mapped into the publish subset of TEI P5; "
                           "the input's teiHeader was replaced by this one (the original file is kept "
                           "as the source of record).",) + self.report.sentences(),
            segmentation=("Divisions and their heads are kept; blocks after a subdivision are put in "
                          "a div of their own.",
                          "div, note and figure elements have xml:ids from their position "
                          "(div-1-2, note-3, fig-1); references to them follow."))

    # -- walking -----------------------------------------------------------

    def children(self, element: etree._Element) -> list:
        pieces: list = []
        if element.text:
            pieces.append(element.text)
        for child in element:
            if isinstance(child.tag, str):
                pieces.extend(self.convert(child))
            if child.tail:
                pieces.append(child.tail)
        return pieces

    def convert(self, element: etree._Element) -> list:
        namespace = etree.QName(element).namespace
        name = localname(element)
        if namespace != TEI_NS:
            return self.foreign_markup(element, namespace)
        handler = getattr(self, "tei_" + name, None)
        if name in DIVS:
            handler = self.tei_div
        if handler is not None:
            return handler(element)
        if name in AS_HI:
            return [self.mapped(element, self.hi_like(element, name), "flex" if name == "foreign" else "phrase")]
        if name in AS_Q:
            return [self.mapped(element, T.q(), "phrase")]
        if name in MILESTONES:
            milestone = self.copy_global(element, T.milestone(unit=MILESTONES[name]))
            self.report.mapped[f"{name} → milestone"] += 1
            return [milestone]
        return self.unknown(element, name)

    def mapped(self, source: etree._Element, target: etree._Element, mode: str) -> etree._Element:
        name = localname(source)
        if name != localname(target):
            self.report.mapped[f"{name} → {localname(target)}"] += 1
        return fill(self.copy_global(source, target), self.children(source), mode)

    def copy_global(self, source: etree._Element, target: etree._Element) -> etree._Element:
        """Carry ``xml:id``, ``xml:lang``, ``rend`` and ``n`` over (att.global)."""
        for attribute in (xml("id"), "rend", "n"):
            if source.get(attribute) and target.get(attribute) is None:
                target.set(attribute, source.get(attribute))
        language = source.get(xml("lang"))
        if language and LANGUAGE_TAG.match(language):
            target.set(xml("lang"), language)
        return target

    def hi_like(self, element: etree._Element, name: str) -> etree._Element:
        if name == "foreign":
            return T.foreign()
        return T.hi(rend=element.get("rend") or AS_HI[name])

    def unknown(self, element: etree._Element, name: str) -> list:
        """Outside the subset: its text as ``ab type=name`` when it stood alone, else inline."""
        if not has_text(element):
            self.dropped(name)
            return []
        pieces = self.children(element)
        self.report.kept_text[name] += 1
        if stands_alone(element) and has_loose_text(element):
            return [fill(self.copy_global(element, T.ab(type=name)), pieces, "phrase")]
        return pieces

    def dropped(self, name: str) -> None:
        if not self.report.dropped[name]:
            LOGGER.warning("%s: <%s> is outside the publish subset and has no text; left out "
                           "(each is counted in the editorial record)", self.source.path, name)
        self.report.dropped[name] += 1

    def foreign_markup(self, element: etree._Element, namespace: str | None) -> list:
        """Markup in another namespace (TEI examples, MathML…): its XML kept as text."""
        label = f"{{{namespace}}}{localname(element)}" if namespace else localname(element)
        self.report.kept_text[label] += 1
        source = "".join(etree.tostring(c, encoding="unicode", with_tail=True) for c in element)
        source = (element.text or "") + source
        return [T.ab(source.strip("\n"), type="pre")] if source.strip() else []

    # -- the subset --------------------------------------------------------

    def tei_div(self, element):
        div = self.copy_global(element, T.div())
        kind = element.get("type")
        if kind:
            div.set("type", kind)
        if localname(element) != "div":
            self.report.mapped[f"{localname(element)} → div"] += 1
        return [fill(div, self.children(element), "block")]

    def tei_head(self, element):
        return [fill(self.copy_global(element, T.head()), self.children(element), "phrase")]

    def tei_p(self, element):
        return [fill(self.copy_global(element, T.p()), self.children(element), "phrase")]

    def tei_ab(self, element):
        ab = self.copy_global(element, T.ab())
        if element.get("type"):
            ab.set("type", element.get("type"))
        return [fill(ab, self.children(element), "phrase")]

    def tei_lb(self, element):
        return [T.lb()]

    def tei_hi(self, element):
        return [fill(self.copy_global(element, T.hi()), self.children(element), "phrase")]

    def tei_code(self, element):
        return [T.code("".join(element.itertext()))]

    def tei_quote(self, element):
        return [fill(self.copy_global(element, T.quote()), self.children(element), "flex")]

    def tei_cit(self, element):
        self.report.kept_text["cit"] += 1
        return self.children(element)

    def tei_lg(self, element):
        lg = self.copy_global(element, T.lg())
        for piece in self.children(element):
            if isinstance(piece, str):
                if piece.strip():
                    lg.append(T.l(piece.strip()))
            elif localname(piece) in ("l", "lg", "milestone", "note"):
                lg.append(piece)
            elif localname(piece) == "head" and not any(localname(c) != "head" for c in lg):
                lg.append(piece)
            else:
                lg.append(fill(T.l(), [piece], "phrase"))
        return [lg] if len(lg) else []

    def tei_l(self, element):
        line = fill(self.copy_global(element, T.l()), self.children(element), "phrase")
        if element.getparent() is not None and localname(element.getparent()) != "lg":
            self.report.mapped["l outside lg → lg/l"] += 1
            return [T.lg(line)]  # the subset, like TEI's lg content, keeps verse lines in groups
        return [line]

    def tei_note(self, element):
        note = self.copy_global(element, T.note())
        place = element.get("place")
        note.set("place", place if place in NOTE_PLACES else "foot")
        if element.get("type"):
            note.set("type", element.get("type"))
        return [fill(note, self.children(element), "flex")]

    def tei_ref(self, element):
        target, why = structure.safe_link((element.get("target") or "").split(" ")[0] or None)
        pieces = self.children(element)
        if target is None:
            self.report.mapped[f"ref ({why}) → its text"] += 1
            return pieces
        return [fill(self.copy_global(element, T.ref(target=target)), pieces, "phrase")]

    def tei_ptr(self, element):
        target, _why = structure.safe_link((element.get("target") or "").split(" ")[0] or None)
        self.report.mapped["ptr → ref"] += 1
        if target is None:
            return [element.get("target") or ""]
        return [T.ref(target, target=target)]

    def tei_milestone(self, element):
        return [self.copy_global(element, T.milestone(unit=element.get("unit") or "section"))]

    def tei_choice(self, element):
        pairs = {}
        for child in element:
            role = CHOICE_PAIRS.get(localname(child)) if isinstance(child.tag, str) else None
            if role and role not in pairs:
                pairs[role] = fill(getattr(T, role)(), self.children(child), "phrase")
        if len(pairs) == 2:
            if localname(element[0]) not in ("orig", "reg"):
                self.report.mapped["choice (sic/corr, abbr/expan) → orig/reg"] += 1
            return [T.choice(pairs["orig"], pairs["reg"])]
        self.report.kept_text["choice"] += 1
        chosen = next((c for c in element if isinstance(c.tag, str)
                       and CHOICE_PAIRS.get(localname(c)) == "reg"), None)
        return self.children(chosen if chosen is not None else element)

    def tei_list(self, element):
        kind = LIST_TYPES.get(element.get("type", ""))
        has_labels = any(localname(c) == "label" for c in element if isinstance(c.tag, str))
        tei_list = self.copy_global(element, T.list())
        if has_labels:
            kind = "gloss"
        if kind:
            tei_list.set("type", kind)
        label = None
        for child in element:
            if not isinstance(child.tag, str):
                continue
            name = localname(child)
            if name == "head" and not len(tei_list):
                tei_list.append(fill(T.head(), self.children(child), "phrase"))
            elif name == "label":
                label = fill(self.copy_global(child, T.label()), self.children(child), "limited")
            else:
                content = self.children(child) if name == "item" else self.convert(child)
                if name != "item" and not content:
                    continue
                if has_labels:
                    tei_list.append(label if label is not None else T.label())
                    label = None
                item = T.item() if name != "item" else self.copy_global(child, T.item())
                tei_list.append(fill(item, content, "flex"))
        if label is not None:
            tei_list.extend([label, T.item()])
        return [tei_list] if any(localname(c) == "item" for c in tei_list) else []

    def tei_table(self, element):
        table = self.copy_global(element, T.table())
        for child in element:
            if not isinstance(child.tag, str):
                continue
            if localname(child) == "head" and not len(table):
                table.append(fill(T.head(), self.children(child), "phrase"))
            elif localname(child) == "row":
                row = self.copy_global(child, T.row())
                if child.get("role") in ("label", "data"):
                    row.set("role", child.get("role"))
                for cell in child:
                    if not isinstance(cell.tag, str) or localname(cell) != "cell":
                        continue
                    tei_cell = self.copy_global(cell, T.cell())
                    for attribute in ("role", "rows", "cols"):
                        value = cell.get(attribute)
                        if attribute == "role" and value in ("label", "data"):
                            tei_cell.set("role", value)
                        elif attribute != "role" and (value or "").isdigit() and int(value) > 0:
                            tei_cell.set(attribute, value)
                    row.append(fill(tei_cell, self.children(cell), "flex"))
                if len(row):
                    table.append(row)
        return [table] if any(localname(c) == "row" for c in table) else []

    def tei_figure(self, element):
        caption, graphic, description, rest = None, None, None, []
        for child in element:
            if not isinstance(child.tag, str):
                continue
            name = localname(child)
            if name == "head" and caption is None:
                caption = fill(T.head(), self.children(child), "phrase")
            elif name == "graphic" and graphic is None:
                graphic = child
            elif name == "figDesc" and description is None:
                description = " ".join("".join(child.itertext()).split())
            else:
                rest.extend(self.convert(child))
        figure = self.image(graphic, description, caption) if graphic is not None else \
            structure.figure(None, description, caption)
        self.copy_global(element, figure)
        extra = [p for p in rest if not isinstance(p, str) or p.strip()]
        if extra:
            figure.insert(len(figure) - (1 if description else 0), fill(T.p(), extra, "phrase"))
        if not len(figure):
            self.dropped("figure")
            return []
        return [figure]

    def tei_graphic(self, element):
        return [self.image(element, None, None)]

    def image(self, graphic: etree._Element, description: str | None, caption) -> etree._Element:
        """A ``figure`` with the picture copied into the assets, never fetched from afar."""
        url = (graphic.get("url") or "").strip()
        scheme = url.split(":", 1)[0].lower() if ":" in url.split("/")[0] else ""
        if scheme == "data":
            data, why = structure.data_url_bytes(url), "a malformed data: URL"
        elif scheme:
            data, why = None, f"a {scheme}: resource is never fetched"
        else:
            data, why = local_file(self.source.path, url) if url else (None, "no url")
        stored = self.assets.add(data) if data else None
        if data and stored is None:
            why = "not a PNG, JPEG or GIF image"
        if stored is None:
            LOGGER.warning("%s: graphic %s not included: %s", self.source.path, url[:80], why)
        self.report.mapped["graphic → figure"] += 1
        description = description or graphic.findtext(tag("desc"))
        return structure.figure(stored, description, caption, None if stored else f"{why} ({url[:80]})")

    def tei_egXML(self, element):
        return self.foreign_markup(element, etree.QName(element).namespace)

    def tei_gap(self, element):
        self.dropped("gap")
        return []


def has_text(element: etree._Element) -> bool:
    """Whether an element holds any text, or any graphic, at any depth."""
    return bool("".join(element.itertext()).strip()) or any(
        localname(e) == "graphic" for e in element.iter())


def has_loose_text(element: etree._Element) -> bool:
    return bool((element.text or "").strip()) or any((c.tail or "").strip() for c in element) or \
        not any(isinstance(c.tag, str) for c in element)


def stands_alone(element: etree._Element) -> bool:
    """Whether an element stands among blocks, not inside running text."""
    parent = element.getparent()
    if parent is None or localname(parent) in PHRASE_PARENTS:
        return False
    return not (parent.text or "").strip() and not any((c.tail or "").strip() for c in parent)


def settle(container: etree._Element) -> None:
    """Make divisions valid: heads first, and no block after a subdivision.

    A ``head`` that follows other content becomes ``ab type="heading"``; blocks
    that follow a ``div`` go into a new ``div`` of their own, so nothing moves
    out of order and nothing is lost (TEI P5 §4.1, the content of ``div``).
    """
    seen_content = seen_div = False
    pending: list[etree._Element] = []
    for child in list(container):
        name = localname(child)
        if name == "head" and (seen_content or seen_div):
            child.tag = tag("ab")
            child.set("type", "heading")
            name = "ab"
        if name == "div":
            if pending:
                wrap_after(container, pending)
                pending = []
            seen_div = True
            settle(child)
        elif name != "head":
            seen_content = True
            if seen_div:
                pending.append(child)
    if pending:
        wrap_after(container, pending)


def wrap_after(container: etree._Element, blocks: list[etree._Element]) -> None:
    div = T.div()
    container.insert(container.index(blocks[0]), div)
    div.text = "\n"
    for block in blocks:
        div.append(block)
    div.tail = "\n"


def header_metadata(root: etree._Element) -> Metadata:
    """What the input's teiHeader says: title, authors, date, language, licence, source."""
    header = root.find(tag("teiHeader"))
    if header is None:
        return Metadata()

    def text(expr: str) -> str | None:
        value = first_text(header, expr)
        value = " ".join((value or "").split())
        return value[:500] or None

    title = text("tei:fileDesc/tei:titleStmt/tei:title[@type='main']") or \
        text("tei:fileDesc/tei:titleStmt/tei:title")
    authors = tuple(dict.fromkeys(" ".join("".join(a.itertext()).split())
                                  for a in xpath(header, "tei:fileDesc/tei:titleStmt/tei:author")))
    whens = xpath(header, "tei:fileDesc/tei:sourceDesc//tei:date/@when"
                          " | tei:fileDesc/tei:publicationStmt/tei:date/@when")
    # The first @when whose day, month or year prefix is an ISO date (a time is cut off).
    date = next((prefix for when in whens for prefix in (when[:10], when[:7], when[:4])
                 if ISO_DATE.match(prefix)), None)
    language = root.get(xml("lang")) or first_text(header, "tei:profileDesc/tei:langUsage/tei:language/@ident")
    licence_url = first_text(header, "tei:fileDesc/tei:publicationStmt/tei:availability/tei:licence/@target")
    return Metadata(
        title=title, author=tuple(a for a in authors if a),
        date=date, language=language if language and LANGUAGE_TAG.match(language) else None,
        source=text("tei:fileDesc/tei:sourceDesc"),
        licence=text("tei:fileDesc/tei:publicationStmt/tei:availability"),
        licence_url=licence_url if licence_url and licence_url.startswith(("http://", "https://")) else None)

