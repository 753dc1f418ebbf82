"""The TEI copier's handlers for the elements of the publish subset (and their kin).

Each ``tei_<name>`` maps one TEI P5 element onto the subset that ``publish.rng``
describes: ch. 3 of the Guidelines (``p``, ``hi``, ``quote``, ``lg``/``l``, ``note``,
``ref``, ``choice``, ``list``, ``milestone``), ch. 4 (``div``, ``head``), ch. 14
(``table``/``row``/``cell``, ``figure``/``graphic``/``figDesc``) and ch. 22
(``egXML``, kept as its text).
"""

from __future__ import annotations

from lxml import etree

from publish.log import LOGGER
from publish.normalise import structure
from publish.normalise.resources import local_file
from publish.normalise.structure import fill
from publish.tei import T, localname, tag

CHOICE_PAIRS = {"orig": "orig", "sic": "orig", "abbr": "orig", "reg": "reg", "corr": "reg", "expan": "reg"}
NOTE_PLACES = {"foot", "end", "margin", "inline"}
LIST_TYPES = {"ordered": "ordered", "numbered": "ordered", "bulleted": "unordered",
              "unordered": "unordered", "gloss": "gloss"}


class SubsetElements:
    """Handlers ``tei_<name>``, mixed into :class:`publish.normalise.tei_body.TeiConverter`.

    They use its walking (``children``, ``convert``, ``copy_global``, ``dropped``,
    ``foreign_markup``) and its ``assets``, ``report`` and ``source``.
    """

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
