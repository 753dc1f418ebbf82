"""Tests for publish.render.pdfcheck: each PDF/A-3 check passes on our edition and names a breach.

One real edition of the sample seed is rendered per module, laid out as
``dist/`` is. Each test copies it, breaks one requirement of ISO 19005-3 with
pikepdf, and expects ``check_pdf`` to report exactly that problem.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pikepdf
import pytest

from publish.check import validate_file
from publish.layout import master_of
from publish.normalise import normalise_file
from publish.options import Options
from publish.render.pdfcheck import check_pdf
from publish.tei import serialise

from tests.conftest import EPOCH, SAMPLE, render_file


@pytest.fixture(scope="module")
def edition(tmp_path_factory) -> Path:
    """dist/pdf/<id>.pdf of the sample, with its master dist/tei/<id>.xml."""
    dist = tmp_path_factory.mktemp("dist")
    options = Options(source_date_epoch=EPOCH)
    tei = dist / "tei" / f"{SAMPLE.stem}.xml"
    tei.parent.mkdir()
    tei.write_bytes(serialise(normalise_file(SAMPLE, options)))
    return render_file(tei, "pdf", dist / "pdf" / f"{SAMPLE.stem}.pdf", options)


def broken(edition: Path, tmp_path: Path, change) -> Path:
    """A copy of the edition (without its TEI master beside it) with ``change(pdf)`` applied."""
    out = tmp_path / "broken.pdf"
    with pikepdf.open(edition) as pdf:
        change(pdf)
        pdf.save(out)
    return out


def test_our_edition_passes_every_check(edition, options):
    assert master_of(edition).is_file()
    assert check_pdf(edition, options) == []
    assert validate_file(edition, options) == []


def test_embedded_tei_must_equal_the_master_beside_it(edition, tmp_path, options):
    dist = tmp_path / "dist"
    shutil.copytree(edition.parent.parent, dist)
    master = dist / "tei" / f"{SAMPLE.stem}.xml"
    master.write_bytes(master.read_bytes().replace(b"Liaoning", b"Liaoning!"))
    assert check_pdf(dist / "pdf" / edition.name, options) == [f"the embedded TEI differs from {master}"]


def add_duplicate_af(pdf):
    pdf.Root.AF.append(pdf.Root.AF[0])


def drop_output_intents(pdf):
    del pdf.Root["/OutputIntents"]


def drop_pdfaid(pdf):
    xmp = pdf.Root.Metadata.read_bytes()
    xmp = xmp.replace(b"<pdfaid:part>3</pdfaid:part><pdfaid:conformance>A</pdfaid:conformance>", b"")
    pdf.Root.Metadata.write(xmp)


def add_javascript(pdf):
    pdf.Root.OpenAction = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Action, S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)")))


def fonts(pdf):
    return [f for f in pdf.objects if isinstance(f, pikepdf.Dictionary) and f.get("/Subtype") == "/Type0"]


def drop_tounicode(pdf):
    del fonts(pdf)[0]["/ToUnicode"]


def drop_font_program(pdf):
    descriptor = fonts(pdf)[0].DescendantFonts[0].FontDescriptor
    for key in ("/FontFile", "/FontFile2", "/FontFile3"):
        if key in descriptor:
            del descriptor[key]


def add_transfer_function(pdf):
    resources = pdf.pages[1].Resources
    resources.ExtGState.Bad = pikepdf.Dictionary(Type=pikepdf.Name.ExtGState, TR=pikepdf.Name.Identity)


def add_group_without_colour_space(pdf):
    del pdf.Root["/OutputIntents"]
    pdf.pages[1].obj.Group = pikepdf.Dictionary(S=pikepdf.Name.Transparency)


def drop_relationship(pdf):
    del pdf.Root.AF[0]["/AFRelationship"]


def drop_structure(pdf):
    del pdf.Root["/StructTreeRoot"]


@pytest.mark.parametrize("change, problem", [
    (add_duplicate_af, "the catalogue /AF lists the same associated file more than once"),
    (drop_output_intents, "no PDF/A OutputIntent (/GTS_PDFA1) with an ICC profile"),
    (drop_pdfaid, "XMP declares no pdfaid:part and pdfaid:conformance: not PDF/A"),
    (add_javascript, "JavaScript (PDF/A forbids it)"),
    (drop_tounicode, "has no ToUnicode map (text cannot be extracted)"),
    (drop_font_program, "is not embedded"),
    (add_transfer_function, "an ExtGState with a transfer function or halftone phase (forbidden)"),
    (add_group_without_colour_space, "a transparency group without /CS and no PDF/A OutputIntent"),
    (drop_relationship, "has no /AFRelationship"),
    (drop_structure, "declares level A but has no StructTreeRoot (not tagged)"),
])
def test_each_breach_is_named(edition, tmp_path, options, change, problem):
    problems = check_pdf(broken(edition, tmp_path, change), options)
    assert any(problem in line for line in problems), problems


def test_encryption_is_named(edition, tmp_path, options):
    out = tmp_path / "encrypted.pdf"
    with pikepdf.open(edition) as pdf:
        pdf.save(out, encryption=pikepdf.Encryption(owner="owner", user="", R=4))
    assert "encrypted (PDF/A forbids encryption)" in check_pdf(out, options)


def test_a_plain_pdf_is_not_pdfa(tmp_path, options):
    import weasyprint

    plain = tmp_path / "plain.pdf"
    weasyprint.HTML(string="<p>plain</p>").write_pdf(plain)  # no variant, no identifier
    problems = check_pdf(plain, options)
    for expected in ("no XMP metadata stream in the catalogue (PDF/A requires one)",
                     "no PDF/A OutputIntent (/GTS_PDFA1) with an ICC profile",
                     "no trailer /ID (PDF/A requires one)"):
        assert expected in problems


def test_a_damaged_file_is_reported_not_raised(edition, tmp_path, options):
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(edition.read_bytes()[: len(edition.read_bytes()) // 2])
    problems = check_pdf(damaged, options)
    assert problems and all("\n" not in line for line in problems)


def test_sixteen_bytes_overwritten_inside_a_font_stream_are_found(edition, tmp_path, options):
    """qpdf --check and pikepdf both pass this file (they recover the stream); the strict inflate does not."""
    data = edition.read_bytes()
    with pikepdf.open(edition) as pdf:
        font = next(obj for obj in pdf.objects if isinstance(obj, pikepdf.Stream)
                    and obj.get("/Filter") == "/FlateDecode" and obj.get("/Length1") is not None)
        raw, (number, _generation) = font.read_raw_bytes(), font.objgen
    start = data.index(raw) + len(raw) // 2
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(data[:start] + b"\0" * 16 + data[start + 16:])
    problems = check_pdf(damaged, options)
    assert any(line.startswith(f"stream {number} 0 R does not decode (FlateDecode") for line in problems), problems
