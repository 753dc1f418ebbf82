"""What a deposit and the preservation store both carry: one document's checked files and provenance.

A BagIt bag (:mod:`publish.deposit.bag`, RFC 8493) and an OCFL object version
(:mod:`publish.preserve`, OCFL 1.1) hold the same files under the same names
(``source/``, one folder per row of :data:`publish.formats.FORMATS`,
``metadata/premis.xml``) and refuse for the same reasons, so both start here:
:func:`check_document` finds the inputs, refuses a stale master or a missing or
invalid edition with :class:`publish.errors.DepositError`, and records each
check as a PREMIS event; :func:`provenance_record` writes the PREMIS 3 record
(:mod:`publish.deposit.provenance`) for the files as the package names them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import zipfile
from importlib import metadata
from pathlib import Path

from lxml import etree

from publish import __version__, pronom
from publish.deposit.provenance import Event, PayloadFile, Tool, normalisation_events, premis_record
from publish.errors import DepositError
from publish.formats import FORMATS, Format
from publish.layout import Layout, file_sha256, find_seeds, sidecar_path
from publish.log import LOGGER
from publish.normalise import seed_suffixes
from publish.options import Options
from publish.tei import first_text, parse_bytes, parse_file

#: Where the PREMIS record sits in a package, beside the payload folders.
PREMIS_NAME = "metadata/premis.xml"


@dataclasses.dataclass(frozen=True)
class Inputs:
    """The files of one document that go into a package: its seed, and one per FORMATS row."""

    identifier: str
    seed: Path
    sidecar: Path | None
    #: Every output of :data:`publish.formats.FORMATS`, in its order (the master first).
    outputs: tuple[tuple[Format, Path], ...]

    @property
    def tei(self) -> Path:
        return self.outputs[0][1]

    @property
    def editions(self) -> tuple[tuple[Format, Path], ...]:
        """The rendered outputs: every row but the master."""
        return tuple((row, path) for row, path in self.outputs if row.rendered)

    def payload(self, prefix: str = "data/") -> list[tuple[str, Path, str, str]]:
        """(name in the package, file, role, media type) for every input, in package order.

        ``prefix`` is ``data/`` in a bag (RFC 8493 §2.1.2) and empty in an OCFL
        version, whose logical paths are the same names without it.
        """
        rows = [(f"{prefix}source/{self.seed.name}", self.seed, "source", "")]
        if self.sidecar is not None:
            rows.append((f"{prefix}source/{self.sidecar.name}", self.sidecar, "sidecar", "application/toml"))
        for row, path in self.outputs:
            rows.append((f"{prefix}{row.folder}/{path.name}", path, row.role or row.kind, row.media_type))
        return rows


@dataclasses.dataclass(frozen=True)
class Checked:
    """A document whose inputs passed every check: the inputs, the parsed master, the checks' events."""

    inputs: Inputs
    tei: etree._ElementTree
    #: One ``validation`` event per FORMATS row, in its order, naming the files as ``prefix`` does.
    validations: list[Event]
    prefix: str

    @property
    def urn(self) -> str:
        """The document's ``urn:uuid`` from ``publicationStmt/idno[@type='URN']``."""
        found = first_text(self.tei, "//tei:publicationStmt/tei:idno[@type='URN']")
        return found or document_urn(self.inputs)


def check_document(identifier: str, seeds_dir: Path, dist: Path, options: Options,
                   prefix: str = "data/") -> Checked:
    """Find one document's inputs and check them all; refuse (DepositError) on the first fault."""
    inputs = find_inputs(identifier, find_seeds(Layout(seeds=seeds_dir), seed_suffixes), dist)
    tei = parse_file(inputs.tei)
    check_source_checksum(tei, inputs)
    return Checked(inputs, tei, validation_events(inputs, options, prefix, Layout(dist=dist)), prefix)


def provenance_record(checked: Checked, files: list[PayloadFile], packaging: Event) -> bytes:
    """The PREMIS 3 record of a package: its files, then normalisation, checks, renderings, packaging."""
    tei, inputs, events = checked.tei, checked.inputs, checked.validations
    # The copy must be the original: the TEI's checksum is checked against the package's file.
    if files[0].sha256 != first_text(tei, "//tei:sourceDesc/tei:bibl/tei:idno[@type='sha256']"):
        raise DepositError("deposit refused: the copied source differs from the TEI's sha256", inputs.seed)
    master = {path: name for name, path, _role, _media in inputs.payload(checked.prefix)}[inputs.tei]
    history = (normalisation_events(tei, files[0].path, master) + events[:1]
               + rendering_events(inputs, tei, checked.prefix) + events[1:] + [packaging])
    return premis_record(checked.urn, files, history)


def payload_file(name: str, path: Path, role: str, media_type: str, tei: etree._ElementTree) -> PayloadFile:
    """How PREMIS describes one file of the package (its bytes read from ``path``)."""
    source_type = first_text(tei, "//tei:sourceDesc/tei:bibl/tei:note[@type='mediaType']") or ""
    found = pronom.identify(path)
    tool = pronom.tool()
    return PayloadFile(name, role, path.stat().st_size, file_sha256(path),
                       media_type or source_type or "application/octet-stream", path.name,
                       found.puid if found.known else None,
                       f"{found.title} ({found.puid}), identified by Siegfried {tool.version} "
                       f"with {tool.signatures}; basis: {found.basis}" if found.known else "")


# -- inputs and their checks ------------------------------------------------

def find_inputs(identifier: str, seeds: list[Path], dist: Path) -> Inputs:
    """The seed (found by stem), its sidecar, and the TEI, PDF and EPUB made from it."""
    matches = [seed for seed in seeds if seed.stem == identifier]
    if not matches:
        folder = seeds[0].parent if seeds else "the seeds folder"
        raise DepositError(f"no seed named {identifier} in {folder}", identifier)
    if len(matches) > 1:
        raise DepositError(f"more than one seed is named {identifier}: "
                           f"{', '.join(s.name for s in matches)}", identifier)
    seed = matches[0]
    sidecar = sidecar_path(seed)
    layout = Layout(dist=dist)
    inputs = Inputs(identifier, seed, sidecar if sidecar.is_file() else None,
                    tuple((row, layout.output(row.kind, identifier)) for row in FORMATS))
    for row, path in inputs.outputs:
        if not path.is_file():
            what = "edition" if row.rendered else "master"
            raise DepositError(f"deposit refused: no {row.kind.upper()} {what}; "
                               "run `publish build` first", path)
    return inputs


def check_source_checksum(tei: etree._ElementTree, inputs: Inputs) -> None:
    """The TEI's sourceDesc names this seed and its sha256 (TEI P5 §2.2.7); else it is stale."""
    recorded = first_text(tei, "//tei:sourceDesc/tei:bibl/tei:idno[@type='sha256']")
    filename = first_text(tei, "//tei:sourceDesc/tei:bibl/tei:idno[@type='filename']")
    actual = file_sha256(inputs.seed)
    if recorded is None:
        raise DepositError("deposit refused: the TEI's sourceDesc records no sha256 of its source",
                           inputs.tei)
    if recorded.strip() != actual or filename != inputs.seed.name:
        raise DepositError(f"deposit refused: the TEI's sourceDesc records {filename} with sha256 "
                           f"{recorded.strip()}, but {inputs.seed} has {actual}; rebuild the TEI",
                           inputs.tei)


def validation_events(inputs: Inputs, options: Options, prefix: str = "data/",
                      layout: Layout | None = None) -> list[Event]:
    """Validate the TEI, PDF and EPUB (from the check cache where these bytes were checked); record each pass.

    Refuses on the first failure. Results come from :mod:`publish.validation`,
    kept in ``layout``'s ``dist/.checks/``, so a deposit after a validated
    build, or after :func:`publish.deposit.deposit_all` checked the whole
    batch at once, reruns no checker.
    """
    from publish.validation.run import validate_paths

    in_package = {path: name for name, path, _role, _media in inputs.payload(prefix)}
    layout = layout if layout is not None else Layout(dist=inputs.tei.parent.parent)
    try:
        results = validate_paths([path for _row, path in inputs.outputs], options, layout)
    except ImportError as error:
        raise DepositError(f"deposit refused: cannot check the outputs ({error})", inputs.tei) from None
    events = []
    for (row, path), result in zip(inputs.outputs, results, strict=True):
        kind, what = row.kind, row.check_description
        problems = result.failures
        if problems:
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            raise DepositError(f"deposit refused: the {kind.upper()} failed validation: {problems[0]}{more}",
                               path)
        events.append(Event(
            kind="validation", when=options.build_date_iso, detail=f"Validation of the {what}.",
            outcome="pass", outcome_note="No problem was found.",
            tool=Tool("publish validate", __version__, checker_versions(row, result.tools)),
            outcomes=(in_package[path],)))
    return events


def checker_versions(row: Format, tools: dict[str, str]) -> str:
    """The check libraries' versions, then each checking tool the result names (EPUBCheck, Ace)."""
    named = {name.lower() for name in row.check_libraries}
    extra = [f"{name} {version}" if not version.startswith("unavailable") else f"{name} (not run)"
             for name, version in sorted(tools.items()) if name.lower() not in named]
    return ", ".join([library_versions(row.check_libraries), *extra])


def rendering_events(inputs: Inputs, tei: etree._ElementTree, prefix: str = "data/") -> list[Event]:
    """One ``creation`` event per edition, dated as the edition dates itself."""
    build_date = first_text(tei, "//tei:publicationStmt/tei:date/@when") or ""
    names = {path: name for name, path, _role, _media in inputs.payload(prefix)}
    events = []
    for row, path in inputs.editions:
        kind, media_type = row.kind, row.media_type
        when = edition_date(kind, path) or build_date
        events.append(Event(
            kind="creation", when=when,
            detail=f"Rendering of the {kind.upper()} edition ({media_type}) from the TEI master "
                   f"by publish {kind}.",
            outcome="success", outcome_note="The edition was written and passed validation.",
            tool=Tool(f"publish {kind}", __version__, library_versions(row.render_libraries)),
            sources=(names[inputs.tei],), outcomes=(names[path],)))
    return events


def edition_date(kind: str, path: Path) -> str | None:
    """The date an edition records for itself: PDF CreationDate, EPUB dcterms:modified.

    Other kinds record none; the build date stands for them.
    """
    if kind not in ("pdf", "epub"):
        return None
    try:
        if kind == "pdf":
            import pikepdf
            with pikepdf.open(path) as pdf:
                raw = str(pdf.docinfo.get("/CreationDate", ""))
            return pdf_date_iso(raw)
        with zipfile.ZipFile(path) as epub:
            container = parse_bytes(epub.read("META-INF/container.xml"), path)
            rootfile = container.xpath("//*[local-name()='rootfile']/@full-path")
            opf = parse_bytes(epub.read(rootfile[0]), path)
            modified = opf.xpath("//*[local-name()='meta'][@property='dcterms:modified']/text()")
            return modified[0].strip() if modified else None
    except Exception as error:  # noqa: BLE001  any unreadable date falls back to the build date; say why
        LOGGER.debug("no date read from %s: %s", path, error)
        return None


def pdf_date_iso(raw: str) -> str | None:
    """A PDF date ``D:YYYYMMDDHHmmSS[Z|±HH'mm']`` (ISO 32000 §7.9.4) as ISO 8601 UTC."""
    text = raw.removeprefix("D:")
    if len(text) < 14 or not text[:14].isdigit():
        return None
    stamp = dt.datetime.strptime(text[:14], "%Y%m%d%H%M%S")
    zone = text[14:].replace("'", "")
    offset = dt.timedelta(0)
    if zone[:1] in "+-" and zone[1:5].isdigit():
        offset = dt.timedelta(hours=int(zone[1:3]), minutes=int(zone[3:5]))
        offset = -offset if zone[0] == "-" else offset
    utc = stamp.replace(tzinfo=dt.timezone(offset)).astimezone(dt.UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%SZ")


def library_versions(names: tuple[str, ...]) -> str:
    """``name version`` for each Python distribution, as recorded in the provenance."""
    parts = []
    for name in names:
        try:
            parts.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{name} (not installed)")
    if "lxml" in names:
        parts.append("libxml2 " + ".".join(map(str, etree.LIBXML_VERSION)))
    return ", ".join(parts)


def document_urn(inputs: Inputs) -> str:
    """The URN as publish.tei.header makes it, if the TEI somehow lacks one."""
    from publish.tei.header import document_urn as urn
    return urn(inputs.identifier)


def check_outputs(layout: Layout, identifiers: list[str], options: Options) -> None:
    """Check every output of these documents in one batch, so each package's checks come from the cache.

    One EPUBCheck JVM per core and one Ace browser for all the EPUBs, rather
    than one of each per document; outputs checked before (by a validated
    build) are not checked again. What fails is refused later, per document.
    """
    from publish.validation.run import validate_paths  # the checks: only when packaging

    paths = [layout.output(row.kind, identifier) for identifier in identifiers for row in FORMATS]
    validate_paths([path for path in paths if path.is_file()], options, layout, jobs=os.cpu_count() or 1)
