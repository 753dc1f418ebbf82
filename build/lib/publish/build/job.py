"""What the build hands to the per-document task (the job, a seed's files) and gets back.

Kept apart from :mod:`publish.build.task` so that planning a build (and a
build with nothing to do) imports no normaliser or renderer.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from publish.layout import sidecar_path

#: How often a document may be in flight when its worker dies before it fails
#: (the default of Dask's ``distributed.scheduler.allowed-failures``).
ALLOWED_FAILURES = 3
#: Output keys of a document's assets (images): ``asset:<url>``, the URL relative to the master.
ASSET_PREFIX = "asset:"


@dataclasses.dataclass(frozen=True)
class SeedFiles:
    """A seed's bytes and its sidecar's, for workers that cannot read the client's files."""

    name: str
    data: bytes
    sidecar: bytes | None = None
    #: Images beside the seed that it points at: (path relative to the seed's folder, bytes).
    resources: tuple[tuple[str, bytes], ...] = ()

    @classmethod
    def read(cls, seed: Path, resources: tuple[str, ...] = ()) -> SeedFiles:
        sidecar = sidecar_path(seed)
        return cls(seed.name, seed.read_bytes(), sidecar.read_bytes() if sidecar.is_file() else None,
                   tuple((name, (seed.parent / name).read_bytes()) for name in resources))

    def materialise(self, folder: Path) -> Path:
        """Write the seed (and its sidecar and images) under its own name, as normalisers expect."""
        folder.mkdir(parents=True)
        seed = folder / self.name
        seed.write_bytes(self.data)
        if self.sidecar is not None:
            sidecar_path(seed).write_bytes(self.sidecar)
        for name, data in self.resources:
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(data)
        return seed


@dataclasses.dataclass(frozen=True)
class Job:
    """One document to build: its id, its seed and the outputs to make (the master first)."""

    identifier: str
    seed: Path
    outputs: tuple[str, ...]
    files: SeedFiles | None = None
    #: Where the outputs will be written; only to name them in messages.
    dist: Path = Path("dist")
    #: Images beside the seed that it mentions (see :func:`publish.build.plan.source_record`).
    resources: tuple[str, ...] = ()
    #: The document's own SOURCE_DATE_EPOCH (:mod:`publish.build.dates`); ``None``: the options'.
    epoch: int | None = None


@dataclasses.dataclass(frozen=True)
class Rendered:
    """A job's result: output kind (or ``asset:<url>``) → bytes, or the reason it failed."""

    identifier: str
    files: dict[str, bytes] = dataclasses.field(default_factory=dict)
    reason: str = ""
    exit_code: int = 0
    seconds: float = 0.0
    logs: tuple[tuple[int, str], ...] = ()
    #: Editions that failed while the master was made: (kind, reason, exit code).
    failed: tuple[tuple[str, str, int], ...] = ()
