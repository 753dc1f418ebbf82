"""Make one BagIt bag (RFC 8493) per document, atomically and reproducibly.

The bag is made with bagit-python in a temporary folder beside its final
place, validated, and only then renamed into place; an existing bag is moved
aside first and removed after, so the final name always holds a whole bag or
none. What bagit-python leaves to chance is fixed, because the same inputs and
``SOURCE_DATE_EPOCH`` must give the same bytes:

* ``bagit.txt`` says ``BagIt-Version: 1.0`` (RFC 8493 §2.1.1), not 0.97;
* ``Bagging-Date`` is the build date, not today, and ``Bag-Software-Agent``
  names publish and the bagit-python version;
* tag manifest lines are sorted by file name (bagit-python lists them in
  directory order);
* folders are 0755 and files 0644.
"""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import datetime as dt
import logging
import os
import shutil
import tempfile
import uuid
import zipfile
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

import bagit
from lxml import etree

from publish import __version__
from publish.build.run import find_seeds
from publish.deposit.archive import DIR_MODE, FILE_MODE, remove_tree, write_tar
from publish.deposit.provenance import Event, PayloadFile, Tool, normalisation_events, premis_record
from publish.errors import DepositError, PublishError
from publish.formats import FORMATS, Format
from publish.layout import Layout, file_sha256, sidecar_path
from publish.log import LOGGER
from publish.options import Options
from publish.tei import first_text, parse_bytes, parse_file

CHECKSUMS = ("sha256", "sha512")
BAGIT_TXT = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
PREMIS_PATH = "data/metadata/premis.xml"

@dataclasses.dataclass(frozen=True)
class Inputs:
    """The files of one document that go into its bag: its seed, and one per FORMATS row."""

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

    def payload(self) -> list[tuple[str, Path, str, str]]:
        """(path in the bag, file, role, media type) for every input, in bag order."""
        rows = [(f"data/source/{self.seed.name}", self.seed, "source", "")]
        if self.sidecar is not None:
            rows.append((f"data/source/{self.sidecar.name}", self.sidecar, "sidecar", "application/toml"))
        for row, path in self.outputs:
            rows.append((f"data/{row.folder}/{path.name}", path, row.role or row.kind, row.media_type))
        return rows


@dataclasses.dataclass(frozen=True)
class Deposited:
    """A bag made: where it is, its tar if any, and its Payload-Oxum."""

    identifier: str
    bag: Path
    archive: Path | None
    oxum: str


def deposit_document(identifier: str, seeds_dir: Path, dist: Path, archive: bool,
                     options: Options) -> Deposited:
    """Check one document's inputs and write its bag (and tar); refuse rather than half-do."""
    inputs = find_inputs(identifier, find_seeds(Layout(seeds=seeds_dir)), dist)
    tei = parse_file(inputs.tei)
    check_source_checksum(tei, inputs)
    events = validation_events(inputs, options)
    final, tar = Layout(dist=dist).bag(identifier), Layout(dist=dist).bag_archive(identifier)
    # An existing tar is refreshed too: a tar must never disagree with its bag.
    archive = archive or tar.is_file()
    if archive and tar.exists() and not tar.is_file():
        raise DepositError("deposit refused: this is not a file, so the tar cannot be written", tar)
    final.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{identifier}.", suffix=".tmp", dir=final.parent))
    scratch_tar = scratch.with_name(f"{scratch.name}.tar")
    try:
        fill_payload(scratch, inputs, tei, events, options)
        oxum = make_bag(scratch, bag_info(tei, inputs, options))
        if archive:
            write_tar(scratch, identifier, scratch_tar, options.source_date_epoch)
        replace_folder(scratch, final)
        if archive:  # the bag is in place; its tar follows in one rename
            os.replace(scratch_tar, tar)
    except OSError as error:
        raise DepositError(f"deposit refused: {error.strerror or error}: {error.filename or ''}",
                           final) from None
    finally:
        remove_tree(scratch)
        scratch_tar.unlink(missing_ok=True)
    LOGGER.info("wrote %s (Payload-Oxum %s)", final, oxum)
    return Deposited(identifier, final, tar if archive else None, oxum)


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


def validation_events(inputs: Inputs, options: Options) -> list[Event]:
    """Validate the TEI, PDF and EPUB now; refuse on the first failure; record each pass."""
    from publish.check import validate_file

    in_bag = {path: bag_path for bag_path, path, _role, _media in inputs.payload()}
    events = []
    for row, path in inputs.outputs:
        kind, what = row.kind, row.check_description
        try:
            problems = validate_file(path, options)
        except ImportError as error:
            raise DepositError(f"deposit refused: cannot check the {kind.upper()} ({error})", path) from None
        if problems:
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            raise DepositError(f"deposit refused: the {kind.upper()} failed validation: {problems[0]}{more}",
                               path)
        events.append(Event(
            kind="validation", when=options.build_date_iso, detail=f"Validation of the {what}.",
            outcome="pass", outcome_note="No problem was found.",
            tool=Tool("publish validate", __version__, library_versions(row.check_libraries)),
            outcomes=(in_bag[path],)))
    return events


def rendering_events(inputs: Inputs, tei: etree._ElementTree) -> list[Event]:
    """One ``creation`` event per edition, dated as the edition dates itself."""
    build_date = first_text(tei, "//tei:publicationStmt/tei:date/@when") or ""
    paths = {path: bag_path for bag_path, path, _role, _media in inputs.payload()}
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
            sources=(paths[inputs.tei],), outcomes=(paths[path],)))
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


# -- the bag ------------------------------------------------------------------

def fill_payload(scratch: Path, inputs: Inputs, tei: etree._ElementTree, events: list[Event],
                 options: Options) -> None:
    """Copy the inputs byte for byte into ``scratch`` and write the PREMIS record beside them.

    The files go in at the top of ``scratch``; ``bagit.make_bag`` moves them into ``data/``.
    """
    urn = first_text(tei, "//tei:publicationStmt/tei:idno[@type='URN']") or document_urn(inputs)
    source_type = first_text(tei, "//tei:sourceDesc/tei:bibl/tei:note[@type='mediaType']") or ""
    files = []
    for bag_path, path, role, media_type in inputs.payload():
        target = scratch / bag_path.removeprefix("data/")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        files.append(PayloadFile(bag_path, role, target.stat().st_size, file_sha256(target),
                                 media_type or source_type or "application/octet-stream", path.name))
    # The copy must be the original: the TEI's checksum is checked against the bag's file.
    if files[0].sha256 != first_text(tei, "//tei:sourceDesc/tei:bibl/tei:idno[@type='sha256']"):
        raise DepositError("deposit refused: the copied source differs from the TEI's sha256", inputs.seed)
    master = f"data/tei/{inputs.identifier}.xml"
    history = (normalisation_events(tei, files[0].path, master) + events[:1]
               + rendering_events(inputs, tei) + events[1:] + [packaging_event(options)])
    record = scratch / PREMIS_PATH.removeprefix("data/")
    record.parent.mkdir(parents=True, exist_ok=True)
    record.write_bytes(premis_record(urn, files, history))


def packaging_event(options: Options) -> Event:
    """The making of the bag itself (PREMIS ``information package creation``)."""
    return Event(kind="information package creation", when=options.build_date_iso,
                 detail="BagIt bag (RFC 8493) with sha256 and sha512 payload and tag manifests.",
                 outcome="success",
                 outcome_note="The bag was validated with bagit-python before it was moved into place.",
                 tool=Tool("bagit-python", bagit.VERSION), outcomes=())


def document_urn(inputs: Inputs) -> str:
    """The URN as publish.tei.header makes it, if the TEI somehow lacks one."""
    from publish.tei.header import document_urn as urn
    return urn(inputs.identifier)


def bag_info(tei: etree._ElementTree, inputs: Inputs, options: Options) -> dict[str, str]:
    """The ``bag-info.txt`` fields (RFC 8493 §2.2.2) taken from the teiHeader."""
    info = {
        "Bagging-Date": options.build_datetime.date().isoformat(),
        "Bag-Software-Agent": f"publish {__version__} (bagit-python {bagit.VERSION})",
        "External-Identifier": first_text(tei, "//tei:publicationStmt/tei:idno[@type='URN']"),
        "Internal-Sender-Identifier": inputs.identifier,
        "Source-Organization": first_text(tei, "//tei:publicationStmt/tei:publisher"),
        "Bag-Group-Identifier": collection(tei, inputs),
    }
    title = first_text(tei, "//tei:titleStmt/tei:title")
    description = first_text(tei, "//tei:sourceDesc/tei:bibl/tei:note[@type='description']")
    info["External-Description"] = " ".join(
        part.strip().rstrip(".") + "." for part in (title, description) if part)
    return {key: " ".join(value.split()) for key, value in info.items() if value}


def collection(tei: etree._ElementTree, inputs: Inputs) -> str | None:
    """The collection: the TEI's ``seriesStmt/title`` (TEI P5 §2.2.5), else the sidecar's."""
    series = first_text(tei, "//tei:fileDesc/tei:seriesStmt/tei:title")
    if series:
        return series
    if inputs.sidecar is None:
        return None
    from publish.metadata import load_sidecar
    try:
        return load_sidecar(inputs.sidecar).collection
    except PublishError as error:
        raise DepositError(f"deposit refused: {error.message}", inputs.sidecar) from None


@contextlib.contextmanager
def quiet_bagit() -> Iterator[None]:
    """Keep bagit-python's own log lines off the terminal; publish reports its errors itself."""
    logger = logging.getLogger("bagit")
    previous = logger.disabled
    logger.disabled = True
    try:
        yield
    finally:
        logger.disabled = previous


def make_bag(folder: Path, info: dict[str, str]) -> str:
    """Turn ``folder`` into a valid, reproducible bag; return its Payload-Oxum."""
    try:
        with quiet_bagit():
            bagit.make_bag(str(folder), dict(info), checksums=list(CHECKSUMS))
            (folder / "bagit.txt").write_text(BAGIT_TXT, encoding="utf-8")
            bag = bagit.Bag(str(folder))
            bag.save()  # rewrites bag-info.txt and the tag manifests for the new bagit.txt
            sort_tag_manifests(folder)
            fix_modes(folder)
            bag = bagit.Bag(str(folder))
            bag.validate()
    except (bagit.BagError, OSError, RuntimeError) as error:
        raise DepositError(f"deposit refused: the bag could not be made: {error}", folder) from None
    return bag.info["Payload-Oxum"]


def sort_tag_manifests(folder: Path) -> None:
    """Sort tag manifest lines by file name, so their bytes do not depend on the file system."""
    for algorithm in CHECKSUMS:
        manifest = folder / f"tagmanifest-{algorithm}.txt"
        lines = manifest.read_text(encoding="utf-8").splitlines()
        lines.sort(key=lambda line: line.split(None, 1)[1])
        manifest.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")


def fix_modes(folder: Path) -> None:
    """Folders 0755, files 0644: temporary folders are 0700, and a bag is for sharing."""
    os.chmod(folder, DIR_MODE)
    for path in folder.rglob("*"):
        os.chmod(path, DIR_MODE if path.is_dir() else FILE_MODE)


def replace_folder(new: Path, final: Path) -> None:
    """Move ``new`` to ``final``, so that ``final`` is always a whole bag, old or new.

    An existing bag is swapped with the new one in one step where the system
    can (Linux ``renameat2`` with ``RENAME_EXCHANGE``); elsewhere it is moved
    aside first, so ``final`` is for a moment absent but never half a bag.
    """
    if final.exists() and exchange(new, final):
        remove_tree(new)  # it now holds the old bag
        return
    aside = None
    if final.exists():
        aside = final.with_name(f".{final.name}.old-{uuid.uuid4().hex}")
        os.rename(final, aside)
    try:
        os.rename(new, final)
    except OSError as error:
        if aside is not None:
            os.rename(aside, final)
        raise DepositError(f"deposit refused: cannot move the bag into place: {error.strerror}",
                           final) from None
    if aside is not None:
        remove_tree(aside)


def exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically with Linux ``renameat2(RENAME_EXCHANGE)``; False if unsupported."""
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange) == 0
