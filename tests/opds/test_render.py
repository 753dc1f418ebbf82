"""The ``opds`` collection output in a build: reproducible bytes; a rebuild rewrites only what changed."""

from __future__ import annotations

import shutil

from publish.build.manifest import load_manifest
from publish.build.plan import BuildRequest
from publish.build.run import build
from publish.collection import Collection, read_collection
from publish.layout import Layout
from publish.opds import render

from tests.conftest import shared_path
from tests.opds.schemas import OPDS_SCHEMAS, atom_problems, json_problems


def snapshot(folder) -> dict[str, tuple[int, bytes]]:
    return {str(p.relative_to(folder)): (p.stat().st_mtime_ns, p.read_bytes())
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_render_gives_the_bytes_the_build_wrote_every_time(built):
    layout = Layout(dist=built.dist, seeds=built.project / "seeds")
    documents = load_manifest(layout)["documents"]
    first = render(read_collection(layout, documents), built.options)
    second = render(read_collection(layout, documents), built.options)
    assert first == second
    on_disk = {name: data for name, (_, data) in snapshot(built.opds).items()}
    assert first == on_disk


def test_a_changed_document_rewrites_only_its_covers_and_the_feeds_that_list_it(built, tmp_path):
    project = tmp_path / "project"
    shutil.copytree(built.project, project)
    opds = project / "dist" / "site" / "opds"
    request = BuildRequest(seeds_dir=project / "seeds", dist=project / "dist", jobs=1,
                           outputs=("tei", "opds"), quiet=True)

    before = snapshot(opds)
    assert build(request, built.options) == 0
    assert snapshot(opds) == before, "a build with nothing to do touched the catalogue"

    sidecar = project / "seeds" / "notice-03.toml"
    sidecar.write_text(sidecar.read_text(encoding="utf-8").replace("Notice 03", "Notice 03, corrected"),
                       encoding="utf-8")
    assert build(request, built.options) == 0
    after = snapshot(opds)
    changed = {name for name in after if after[name] != before.get(name)}
    assert {"covers/notice-03.png", "covers/notice-03-thumbnail.png"} <= changed
    assert {"all.atom", "all.opds.json", "complete.atom", "language-en.atom"} <= changed
    assert not {name for name in changed if name.startswith("covers/") and "notice-03" not in name}
    # Feeds that do not list notice 03 keep their bytes and their files.
    assert not changed & {"language-de.atom", "language-zh.opds.json", "root.atom", "search.osdx"}
    assert set(after) == set(before)


def test_an_empty_collection_still_makes_valid_catalogues(tmp_path, options):
    """Before the first document is built: a root, empty feeds, no covers, every file valid."""
    shared_path(OPDS_SCHEMAS)
    files = render(Collection(Layout(dist=tmp_path / "dist"), ()), options)
    assert not any(name.startswith("covers/") for name in files)
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
        if name.endswith(".opds.json"):
            assert json_problems(tmp_path / name) == [], name
        elif name.endswith(".atom"):
            assert atom_problems(tmp_path / name) == [], name
    assert {"root.atom", "root.opds.json", "all.atom", "complete.atom", "search.osdx"} <= set(files)
