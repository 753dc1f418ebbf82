"""One document's way through publish: seed → TEI master → editions, all as bytes.

This is the one per-document pipeline (docutils' ``Publisher``): the
single-file commands (``publish normalise``, ``publish pdf``, …) and every
build (in this process, the local pool or a Dask cluster) call it, so all of
them make the same bytes. Nothing here writes a file: the caller writes what
it returns, atomically (:mod:`publish.build.store`, :mod:`publish.fileio`).

The steps are the rows of :data:`publish.formats.FORMATS`: the master is
normalised from the seed (:mod:`publish.normalise`), checked against the
package's RELAX NG subset there, parsed back from its bytes once, and handed
to each renderer.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from publish.errors import PublishError, RenderError
from publish.formats import format_for, load
from publish.layout import asset_folder_name
from publish.normalise import normalise_with_assets, read_source
from publish.options import Options
from publish.tei import TEI_NS, serialise
from publish.tei.master import Master
from publish.tei.validate import check_publish_schema


@dataclasses.dataclass(frozen=True)
class Products:
    """A document's outputs: the master (with its assets), each edition's bytes, and what failed.

    ``failures`` maps an edition that could not be made to ``(reason, exit code)``:
    the master is complete without it, so it is still kept.
    """

    master: Master
    editions: dict[str, bytes]
    failures: dict[str, tuple[str, int]] = dataclasses.field(default_factory=dict)

    def outputs(self) -> dict[str, bytes]:
        """Output kind → bytes, the master first."""
        return {"tei": self.master.data, **self.editions}


def normalise(seed: Path, options: Options, shown: Path | None = None) -> Master:
    """Normalise a seed (and its sidecar) into its TEI master.

    ``shown`` is where the master will be written, for messages.
    """
    tree, assets = normalise_with_assets(read_source(seed), options)
    identifier = Path(seed).stem
    folder = asset_folder_name(identifier)
    # Parsed back from its bytes: the renderers see exactly what the archive keeps.
    return Master.from_bytes(identifier, serialise(tree),
                             {f"{folder}/{name}": data for name, data in assets}, path=shown)


def load_master(path: Path) -> Master:
    """Read a master from disk, with its images, and check it against the package's schema."""
    master = Master.read(path)
    check_publish_schema(master.tree, path)
    return master


def render(master: Master, kind: str, options: Options) -> bytes:
    """One edition of a master: the renderer its :data:`~publish.formats.FORMATS` row names."""
    check_paragraphs(master, kind, options)
    return load(format_for(kind).render)(master, options)


#: The elements that are laid out as one paragraph (TEI P5 §1.3 chunks and their kin).
PARAGRAPHS = ("p", "ab", "head", "l", "item", "cell", "label", "note", "quote")


def check_paragraphs(master: Master, kind: str, options: Options) -> None:
    """Refuse, within seconds, an edition whose longest paragraph exceeds ``max_paragraph``.

    WeasyPrint breaks a paragraph into lines in time that grows faster than its
    length (a 20 MB paragraph ran for over 7 minutes), so the limit is checked on
    the master before any layout; the master itself is lossless and always kept.
    """
    longest = 0
    for element in master.tree.iter(*(f"{{{TEI_NS}}}{name}" for name in PARAGRAPHS)):
        longest = max(longest, sum(len(text) for text in element.itertext()))
        if longest > options.max_paragraph:
            raise RenderError(
                f"a paragraph of more than {options.max_paragraph:,} characters is over the limit "
                f"for the {kind} edition (--max-paragraph, default {Options.max_paragraph:,}); "
                "the TEI master is kept; split the paragraph or raise the limit with "
                "--max-paragraph CHARS", master.shown)


def produce(seed: Path, kinds: tuple[str, ...], options: Options,
            shown: Path | None = None) -> Products:
    """The master of a seed and the editions ``kinds`` names (the master's own kind is implied).

    A failing normalisation raises; a failing edition is recorded in
    :attr:`Products.failures` and the others are still made.
    """
    master = normalise(seed, options, shown)
    editions, failures = {}, {}
    for kind in kinds:
        if not format_for(kind).rendered:
            continue
        try:
            editions[kind] = render(master, kind, options)
        except PublishError as error:
            failures[kind] = (error.one_line(), error.exit_code)
        except Exception as error:  # noqa: BLE001  a bug in one renderer must not lose the master
            failures[kind] = (f"{master.shown}: internal error in the {kind} renderer: "
                              f"{type(error).__name__}: {error}", PublishError.exit_code)
    return Products(master, editions, failures)
