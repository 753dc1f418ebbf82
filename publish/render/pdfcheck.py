"""``publish validate x.pdf``: the PDF/A-3 checks we can make without veraPDF.

veraPDF cannot be installed here, so this checks, with pikepdf and
``qpdf --check``, the requirements of ISO 19005-3 (PDF/A-3) that an archive
relies on and that our pipeline could get wrong:

* §6.6.2: an XMP packet declaring ``pdfaid:part`` and ``pdfaid:conformance``,
  whose ``dc:title`` agrees with the Info ``/Title`` (§6.6.2.3.1);
* §6.2.3: a PDF/A OutputIntent with an ICC profile;
* §6.1.3: a trailer ``/ID``, and no encryption;
* §6.2.11.4 and §6.2.11.7: every font embedded, with a ToUnicode map
  (Type 3 fonts carry their glyphs in the file and need no font program);
* §6.6.1 and §6.1.2: no JavaScript or other forbidden actions;
* §6.2.10 and §6.2.4: no transparency group without a colour space when there
  is no OutputIntent, no transfer functions or halftones in ExtGState, no
  PostScript or reference XObjects;
* §6.8: each embedded file is an associated file (listed once in ``/AF``,
  with ``/AFRelationship`` and a MIME ``/Subtype``), the TEI source is there
  with ``/AFRelationship /Source`` and, for ``dist/pdf/<id>.pdf``, is
  byte-identical to ``dist/tei/<id>.xml`` when that file exists;
* level A (ISO 32000-1 §14.8): ``StructTreeRoot``, ``MarkInfo /Marked true``
  and a document ``/Lang``;
* fixity of the content: every ``FlateDecode`` stream inflates with zlib's
  own check (RFC 1950 Adler-32). qpdf and pikepdf recover a damaged stream
  silently (``qpdf --check`` passes a PDF with 16 bytes overwritten inside
  a font), so this decodes each one strictly.

Each problem is one line; an empty list means every check passed.
"""

from __future__ import annotations

import shutil
import subprocess
import zlib
from pathlib import Path

import pikepdf

from publish.layout import master_of
from publish.options import Options

STANDARD_BLEND_MODES = {"/Normal", "/Compatible", "/Multiply", "/Screen", "/Overlay", "/Darken",
                        "/Lighten", "/ColorDodge", "/ColorBurn", "/HardLight", "/SoftLight",
                        "/Difference", "/Exclusion", "/Hue", "/Saturation", "/Color", "/Luminosity"}
FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")


def check_pdf(path: Path, options: Options) -> list[str]:
    """Every PDF/A-3 problem found in ``path`` (see the module docstring), plus ``qpdf --check``."""
    path = Path(path)
    try:
        pdf = pikepdf.open(path)
    except pikepdf.PasswordError:
        return ["encrypted with a password (PDF/A forbids encryption)"]
    except pikepdf.PdfError as err:
        return [f"not a readable PDF: {err}"]
    with pdf:
        problems = []
        for check in (check_streams, check_identification, check_output_intent, check_trailer,
                      check_fonts, check_actions, check_transparency):
            problems += check(pdf)
        problems += check_associated_files(pdf, master_of(path))
        problems += qpdf_check(path)
    return problems


def check_streams(pdf: pikepdf.Pdf) -> list[str]:
    """Each stream whose first filter is FlateDecode inflates completely, its Adler-32 checksum right."""
    problems = []
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Stream):
            continue
        filters = obj.get("/Filter")
        first = filters if isinstance(filters, pikepdf.Name) else (filters[0] if filters else None)
        if first != "/FlateDecode":
            continue
        try:
            zlib.decompress(obj.read_raw_bytes())
        except zlib.error as error:
            number, generation = obj.objgen
            problems.append(f"stream {number} {generation} R does not decode (FlateDecode: {error}): "
                            "the file is damaged")
    return problems


def check_identification(pdf: pikepdf.Pdf) -> list[str]:
    """XMP ``pdfaid`` part and conformance; title agreement; level A tagging."""
    if "/Metadata" not in pdf.Root:
        return ["no XMP metadata stream in the catalogue (PDF/A requires one)"]
    try:
        meta = pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False)
        status = meta.pdfa_status
        title = meta.get("dc:title")
    except Exception as err:  # noqa: BLE001  a broken packet is a finding, not a crash
        return [f"XMP metadata cannot be read: {err}"]
    if not status:
        return ["XMP declares no pdfaid:part and pdfaid:conformance: not PDF/A"]
    problems = []
    part, level = status[:-1], status[-1:]
    if part not in {"1", "2", "3", "4"} or (part != "4" and level not in {"A", "B", "U"}):
        problems.append(f"XMP declares an unknown PDF/A identification {status!r}")
    info_title = str(pdf.docinfo.get("/Title", "")) if pdf.trailer.get("/Info") is not None else ""
    if info_title and title != info_title:
        problems.append("Info /Title and XMP dc:title differ")
    if level == "A":
        problems += check_tagging(pdf)
    return problems


def check_tagging(pdf: pikepdf.Pdf) -> list[str]:
    """Level A: a structure tree, ``MarkInfo /Marked true`` and ``/Lang`` (ISO 32000-1 §14.8)."""
    problems = []
    if "/StructTreeRoot" not in pdf.Root:
        problems.append("declares level A but has no StructTreeRoot (not tagged)")
    mark_info = pdf.Root.get("/MarkInfo")
    if mark_info is None or not bool(mark_info.get("/Marked", False)):
        problems.append("declares level A but MarkInfo /Marked is not true")
    if not str(pdf.Root.get("/Lang", "")).strip():
        problems.append("declares level A but the catalogue has no /Lang")
    return problems


def check_output_intent(pdf: pikepdf.Pdf) -> list[str]:
    """A ``/GTS_PDFA1`` OutputIntent with an ICC profile (ISO 19005-3 §6.2.3)."""
    for intent in pdf.Root.get("/OutputIntents", []):
        if intent.get("/S") == "/GTS_PDFA1":
            profile = intent.get("/DestOutputProfile")
            if not isinstance(profile, pikepdf.Stream):
                return ["the PDF/A OutputIntent has no DestOutputProfile"]
            if profile.read_bytes()[36:40] != b"acsp":
                return ["the PDF/A OutputIntent's DestOutputProfile is not an ICC profile"]
            return []
    return ["no PDF/A OutputIntent (/GTS_PDFA1) with an ICC profile"]


def check_trailer(pdf: pikepdf.Pdf) -> list[str]:
    """A trailer ``/ID`` of two strings, and no encryption (ISO 19005-3 §6.1.3)."""
    problems = []
    identifier = pdf.trailer.get("/ID")
    if not isinstance(identifier, pikepdf.Array) or len(identifier) != 2:
        problems.append("no trailer /ID (PDF/A requires one)")
    if pdf.is_encrypted or "/Encrypt" in pdf.trailer:
        problems.append("encrypted (PDF/A forbids encryption)")
    return problems


def dictionaries(pdf: pikepdf.Pdf):
    """Every dictionary in the file: indirect ones, stream dictionaries and those nested inside.

    Indirect objects are each visited once from ``pdf.objects``; direct
    dictionaries (an ExtGState inside a resource dictionary, say) are found by
    walking into each object without following references.
    """
    for obj in pdf.objects:
        todo = [obj.stream_dict if isinstance(obj, pikepdf.Stream) else obj]
        while todo:
            item = todo.pop()
            if isinstance(item, pikepdf.Dictionary):
                yield item
                children = item.values()
            elif isinstance(item, pikepdf.Array):
                children = list(item)
            else:
                continue
            todo.extend(child for child in children
                        if isinstance(child, (pikepdf.Dictionary, pikepdf.Array)) and not child.is_indirect)


def check_fonts(pdf: pikepdf.Pdf) -> list[str]:
    """Every font embedded, with a ToUnicode map (ISO 19005-3 §6.2.11.4, §6.2.11.7.2)."""
    problems = []
    for font in dictionaries(pdf):
        if font.get("/Type") != "/Font" or font.get("/Subtype") == "/CIDFontType0" \
                or font.get("/Subtype") == "/CIDFontType2":
            continue  # descendant fonts are checked through their Type 0 parent
        name = str(font.get("/BaseFont", "(unnamed)"))[1:] or "(unnamed)"
        if font.get("/Subtype") == "/Type0":
            descendant = font.get("/DescendantFonts", [None])[0]
            descriptor = descendant.get("/FontDescriptor") if descendant is not None else None
        elif font.get("/Subtype") == "/Type3":
            descriptor = "glyphs in the file"
        else:
            descriptor = font.get("/FontDescriptor")
        if descriptor is None or (descriptor != "glyphs in the file"
                                  and not any(key in descriptor for key in FONT_FILES)):
            problems.append(f"font {name} is not embedded")
        if "/ToUnicode" not in font:
            problems.append(f"font {name} has no ToUnicode map (text cannot be extracted)")
    return problems


def check_actions(pdf: pikepdf.Pdf) -> list[str]:
    """No JavaScript, Launch or other forbidden actions (ISO 19005-3 §6.6.1)."""
    forbidden = {"/JavaScript", "/Launch", "/Sound", "/Movie", "/ResetForm", "/ImportData",
                 "/Hide", "/SetOCGState", "/Rendition", "/Trans", "/GoTo3DView"}
    problems = set()
    names = pdf.Root.get("/Names")
    if names is not None and "/JavaScript" in names:
        problems.add("the catalogue's name tree holds JavaScript")
    for dictionary in dictionaries(pdf):
        action = dictionary.get("/S")
        if dictionary.get("/Type", "/Action") == "/Action" and action in forbidden:
            problems.add(f"a {str(action)[1:]} action (PDF/A forbids it)")
        if "/JS" in dictionary:
            problems.add("JavaScript (PDF/A forbids it)")
    return sorted(problems)


def check_transparency(pdf: pikepdf.Pdf) -> list[str]:
    """Transparency and graphics state PDF/A-3 allows (ISO 19005-3 §6.2.4, §6.2.8, §6.2.10)."""
    problems = set()
    has_intent = any(i.get("/S") == "/GTS_PDFA1" for i in pdf.Root.get("/OutputIntents", []))
    for dictionary in dictionaries(pdf):
        group = dictionary.get("/Group")
        if isinstance(group, pikepdf.Dictionary) and group.get("/S") == "/Transparency" \
                and "/CS" not in group and not has_intent:
            problems.add("a transparency group without /CS and no PDF/A OutputIntent")
        if dictionary.get("/Type") == "/ExtGState" or "/BM" in dictionary or "/TR" in dictionary:
            if "/TR" in dictionary or "/HTP" in dictionary:
                problems.add("an ExtGState with a transfer function or halftone phase (forbidden)")
            if dictionary.get("/TR2", "/Default") != "/Default":
                problems.add("an ExtGState /TR2 other than /Default (forbidden)")
            modes = dictionary.get("/BM")
            for mode in (modes if isinstance(modes, pikepdf.Array) else [modes] if modes else []):
                if str(mode) not in STANDARD_BLEND_MODES:
                    problems.add(f"a non-standard blend mode {mode} (forbidden)")
        if dictionary.get("/Subtype") == "/PS" or (dictionary.get("/Subtype") == "/Form"
                                                   and "/Ref" in dictionary):
            problems.add("a PostScript or reference XObject (forbidden)")
    return sorted(problems)


def check_associated_files(pdf: pikepdf.Pdf, tei: Path) -> list[str]:
    """Embedded files are associated files; the TEI source is embedded once (ISO 19005-3 §6.8)."""
    problems = []
    listed = [entry for entry in pdf.Root.get("/AF", [])]
    keys = [entry.objgen for entry in listed]
    if len(set(keys)) != len(keys):
        problems.append("the catalogue /AF lists the same associated file more than once")
    for filespec in listed:
        name = str(filespec.get("/UF", filespec.get("/F", "(unnamed)")))
        if "/AFRelationship" not in filespec:
            problems.append(f"associated file {name} has no /AFRelationship")
        if "/F" not in filespec or "/UF" not in filespec:
            problems.append(f"associated file {name} lacks /F or /UF")
        stream = filespec.get("/EF", {}).get("/F")
        if stream is not None and "/Subtype" not in stream.stream_dict:
            problems.append(f"embedded file {name} has no MIME type (/Subtype)")
    embedded = {e.objgen for e in dictionaries(pdf) if e.get("/Type") == "/Filespec" and "/EF" in e}
    if embedded - set(keys):
        problems.append("an embedded file is not an associated file (not in the catalogue /AF)")
    sources = list({f.objgen: f for f in listed if f.get("/AFRelationship") == "/Source"}.values())
    if len(sources) != 1:
        problems.append(f"{len(sources)} associated files with /AFRelationship /Source "
                        "(expected the TEI master, once)")
        return problems
    source = sources[0]
    data = source["/EF"]["/F"].read_bytes()
    if str(source["/EF"]["/F"].stream_dict.get("/Subtype", "")) not in ("/text/xml", "/application/xml"):
        problems.append("the /Source file is not declared text/xml")
    if b"http://www.tei-c.org/ns/1.0" not in data[:4096]:
        problems.append("the /Source file is not a TEI document")
    if tei.is_file() and tei.read_bytes() != data:
        problems.append(f"the embedded TEI differs from {tei}")
    return problems


def qpdf_check(path: Path) -> list[str]:
    """``qpdf --check``: the file's structure and streams are sound."""
    qpdf = shutil.which("qpdf")
    if qpdf is None:
        return ["qpdf is not installed, so the structure was not checked (apt-get install qpdf)"]
    result = subprocess.run([qpdf, "--check", str(path)], capture_output=True, text=True)
    # Exit 3 means warnings only; qpdf still reports them, and PDF/A wants none.
    if result.returncode != 0:
        lines = [line for line in (result.stderr + result.stdout).splitlines()
                 if line.strip() and not line.startswith(("checking ", "PDF Version", "File is not"))]
        return [f"qpdf --check: {lines[0] if lines else 'failed'}"]
    return []
