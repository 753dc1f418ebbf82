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
import dataclasses
import logging
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import bagit
from lxml import etree

from publish import __version__
from publish.deposit.archive import DIR_MODE, FILE_MODE, write_tar
from publish.deposit.package import (
    PREMIS_NAME,
    Checked,
    Inputs,
    check_document,
    payload_file,
    provenance_record,
)
from publish.deposit.provenance import Event, Tool
from publish.errors import DepositError, PublishError
from publish.fileio import exchange, remove_tree
from publish.formats import FORMATS
from publish.layout import SIDECAR_SUFFIX, Layout
from publish.log import LOGGER
from publish.options import Options
from publish.tei import first_text

CHECKSUMS = ("sha256", "sha512")
BAGIT_TXT = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"


@dataclasses.dataclass(frozen=True)
class Deposited:
    """A bag made: where it is, its tar if any, and its Payload-Oxum."""

    identifier: str
    bag: Path
    archive: Path | None
    oxum: str


def current_bag(layout: Layout, identifier: str, record: object, archive: bool) -> Deposited | None:
    """The document's bag (and tar) if it already holds exactly the inputs its record names; else None.

    The bag's sha256 payload manifest is compared with the digests the build
    recorded for the seed, the sidecar and every output (the PREMIS record is
    left out: it only describes them), so an unchanged document's bag and tar
    are not made again: a deposit after one correction makes one new bag.
    """
    final, tar = layout.bag(identifier), layout.bag_archive(identifier)
    manifest = final / "manifest-sha256.txt"
    if not isinstance(record, dict) or record.get("deleted") or not manifest.is_file():
        return None
    if archive or tar.exists():  # a tar must never be older than its bag
        if not tar.is_file() or tar.stat().st_mtime_ns < manifest.stat().st_mtime_ns:
            return None
    expected = {f"data/source/{record.get('seed')}": record.get("input_sha256")}
    if record.get("sidecar_sha256"):
        expected[f"data/source/{identifier}{SIDECAR_SUFFIX}"] = record["sidecar_sha256"]
    outputs = record.get("outputs") or {}
    for row in FORMATS:
        expected[f"data/{row.folder}/{identifier}{row.suffix}"] = outputs.get(row.kind)
    try:
        lines = manifest.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    found = {name: digest for digest, _, name in (line.strip().partition(" ") for line in lines)}
    found = {name.strip(): digest for name, digest in found.items() if name.strip() != f"data/{PREMIS_NAME}"}
    if found != expected:
        return None
    oxum = next((line.split(":", 1)[1].strip() for line in (final / "bag-info.txt").read_text(
        encoding="utf-8").splitlines() if line.startswith("Payload-Oxum:")), "")
    return Deposited(identifier, final, tar if tar.is_file() else None, oxum)


def deposit_document(identifier: str, seeds_dir: Path, dist: Path, archive: bool,
                     options: Options) -> Deposited:
    """Check one document's inputs and write its bag (and tar); refuse rather than half-do."""
    checked = check_document(identifier, seeds_dir, dist, options)
    final, tar = Layout(dist=dist).bag(identifier), Layout(dist=dist).bag_archive(identifier)
    # An existing tar is refreshed too: a tar must never disagree with its bag.
    archive = archive or tar.is_file()
    if archive and tar.exists() and not tar.is_file():
        raise DepositError("deposit refused: this is not a file, so the tar cannot be written", tar)
    final.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{identifier}.", suffix=".tmp", dir=final.parent))
    scratch_tar = scratch.with_name(f"{scratch.name}.tar")
    try:
        fill_payload(scratch, checked, options)
        oxum = make_bag(scratch, bag_info(checked.tei, checked.inputs, options))
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


# -- the bag ------------------------------------------------------------------

def fill_payload(scratch: Path, checked: Checked, options: Options) -> None:
    """Copy the inputs byte for byte into ``scratch`` and write the PREMIS record beside them.

    The files go in at the top of ``scratch``; ``bagit.make_bag`` moves them into ``data/``.
    """
    files = []
    for bag_path, path, role, media_type in checked.inputs.payload():
        target = scratch / bag_path.removeprefix("data/")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        files.append(payload_file(bag_path, target, role, media_type, checked.tei))
    record = scratch / PREMIS_NAME
    record.parent.mkdir(parents=True, exist_ok=True)
    record.write_bytes(provenance_record(checked, files, packaging_event(options)))


def packaging_event(options: Options) -> Event:
    """The making of the bag itself (PREMIS ``information package creation``)."""
    return Event(kind="information package creation", when=options.build_date_iso,
                 detail="BagIt bag (RFC 8493) with sha256 and sha512 payload and tag manifests.",
                 outcome="success",
                 outcome_note="The bag was validated with bagit-python before it was moved into place.",
                 tool=Tool("bagit-python", bagit.VERSION), outcomes=())


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
