"""The tagged PDF's structure tree, completed (ISO 32000-1 §14.7, §14.8; ISO 19005-3 level A).

Two fixes to WeasyPrint's tags: running headers and folios become artifacts
(:func:`mark_margin_boxes_as_artifacts`), and the pieces of an element that a
page break split are joined again (:func:`join_elements_split_by_pages`, with
the origins that :mod:`publish.render.pdf.weasyprint_patch` records).
"""

from __future__ import annotations

import pydyf

from publish.render.pdf.objects import object_number, pdf_object


def mark_margin_boxes_as_artifacts(pdf: pydyf.PDF) -> None:
    """Mark running headers and folios as artifacts (ISO 32000-1 §14.8.2.2).

    WeasyPrint tags margin-box text as ``/Span`` with an MCID whose structure
    element is left out of the structure tree: content that is neither real
    content nor an artifact. Such elements become ``/Artifact`` marked content
    and their ``ParentTree`` entries become null.
    """
    if "StructTreeRoot" not in pdf.catalog:
        return
    root = pdf_object(pdf, pdf.catalog["StructTreeRoot"])
    reachable = reachable_elements(pdf, root)
    parent_tree = pdf_object(pdf, root["ParentTree"])["Nums"]
    mcids_by_page: dict[int, set[int]] = {}
    for number, element in enumerate(pdf.objects):
        if (isinstance(element, dict) and element.get("Type") == "/StructElem"
                and number not in reachable and "Pg" in element):
            page = object_number(element["Pg"])
            mcids_by_page.setdefault(page, set()).update(k for k in element["K"] if isinstance(k, int))
    page_numbers = {object_number(ref): index for index, ref in enumerate(pdf.page_references)}
    for page, mcids in mcids_by_page.items():
        stream = pdf_object(pdf, pdf.objects[page]["Contents"])
        artifact_marked_content(stream, mcids)
        entries = parent_tree[2 * page_numbers[page] + 1]
        for mcid in mcids:
            if mcid < len(entries):
                entries[mcid] = "null"


def reachable_elements(pdf: pydyf.PDF, root: dict) -> set[int]:
    """Object numbers of the structure elements reachable from the structure tree root."""
    seen: set[int] = set()
    todo = [k for k in root["K"]]
    while todo:
        kid = todo.pop()
        if isinstance(kid, int):
            continue
        number = object_number(kid)
        element = pdf.objects[number]
        if number in seen or not isinstance(element, dict) or element.get("Type") != "/StructElem":
            continue
        seen.add(number)
        todo.extend(element.get("K", ()))
    return seen


def artifact_marked_content(stream: pydyf.Stream, mcids: set[int]) -> None:
    """Turn ``/Tag <</MCID n>> BDC`` for the given MCIDs into ``/Artifact BMC``."""
    ops = stream.stream
    for index in range(len(ops) - 2, 0, -1):
        item = ops[index]
        if isinstance(item, dict) and item.get("MCID") in mcids and ops[index + 1] == b"BDC":
            ops[index - 1:index + 2] = ["/Artifact", b"BMC"]


def join_elements_split_by_pages(pdf: pydyf.PDF, origins: dict[int, tuple[object, object]]) -> None:
    """Make one structure element of the pieces a page break made (ISO 32000-1 §14.7.2).

    Siblings of one structure type from the same HTML element on different
    pages are joined into the first: its ``/K`` takes the later pieces' kids
    (marked-content ids become marked-content references with their page),
    and the ``ParentTree`` points at it. A paragraph over two pages is then
    one ``/P``, and the text section one ``/Sect``.
    """
    if "StructTreeRoot" not in pdf.catalog or not origins:
        return
    root = pdf_object(pdf, pdf.catalog["StructTreeRoot"])
    replaced: dict[bytes, bytes] = {}
    for reference in root["K"]:
        join_kids(pdf, pdf_object(pdf, reference), origins, replaced)
    if replaced:
        nums = pdf_object(pdf, root["ParentTree"])["Nums"]
        for index in range(1, len(nums), 2):
            entry = nums[index]
            if isinstance(entry, list):
                nums[index] = pydyf.Array(replaced.get(bytes(e), e) if isinstance(e, bytes) else e
                                          for e in entry)
            elif isinstance(entry, bytes):
                nums[index] = replaced.get(entry, entry)


def join_kids(pdf: pydyf.PDF, element: dict, origins: dict, replaced: dict[bytes, bytes]) -> None:
    """Join split siblings among ``element``'s kids, then do the same below each kid."""
    def origin(item):
        return origins.get(id(item), (None, None))[1]

    kept: list = []
    for kid in element.get("K", ()):
        previous = pdf_object(pdf, kept[-1]) if kept and isinstance(kept[-1], bytes) else None
        current = pdf_object(pdf, kid) if isinstance(kid, bytes) else None
        if (isinstance(previous, dict) and isinstance(current, dict)
                and current.get("Type") == previous.get("Type") == "/StructElem"
                and current["S"] == previous["S"] and current.get("Pg") != previous.get("Pg")
                and origin(current) is not None and origin(current) is origin(previous)):
            for grandchild in current["K"]:
                if isinstance(grandchild, int):  # an MCID on the later page
                    grandchild = pydyf.Dictionary({"Type": "/MCR", "Pg": current["Pg"], "MCID": grandchild})
                elif isinstance(grandchild, bytes):
                    child = pdf_object(pdf, grandchild)
                    if isinstance(child, dict) and child.get("Type") == "/StructElem":
                        child["P"] = previous.reference
                previous["K"].append(grandchild)
            current["K"] = pydyf.Array()
            replaced[bytes(current.reference)] = previous.reference
            continue
        kept.append(kid)
    if "K" in element:
        element["K"] = pydyf.Array(kept)
    for kid in kept:
        if isinstance(kid, bytes):
            child = pdf_object(pdf, kid)
            if isinstance(child, dict) and child.get("Type") == "/StructElem":
                join_kids(pdf, child, origins, replaced)
