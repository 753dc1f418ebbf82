"""The full-text index: Pagefind, run at build time over the document pages.

The binary is Pagefind's *extended* build, shipped in the PyPI wheel
``pagefind-bin-extended`` (no download at install or run time). The extended
build is the one that segments Chinese and Japanese text into words when it
indexes a page whose ``lang`` is ``zh…`` or ``ja…``; with the standard build
(``pagefind-bin``) a word inside a Chinese sentence is not found (measured in
Chromium: 展览 in 举办了许多展览活动).

Pagefind writes one index per page language; ``templates/site/search.js``
merges them in the browser. Only the document pages are indexed (their
``data-pagefind-body``); they are written to a private temporary folder,
Pagefind writes its bundle beside them, and the bundle comes back as bytes,
so the renderer writes no file of the site itself.

**Reproducible bytes.** Pagefind 1.5.2 names its files by digests of their
content and reads the pages in a fixed order, but three lists come out in a
hash map's (random) order on every run: the languages in
``pagefind-entry.json``, the filters in each language's
``pagefind.<hash>.pf_meta``, and the values in each ``filter/<hash>.pf_filter``
(both gzip of ``pagefind_dcd`` + CBOR, RFC 8949). :func:`in_fixed_order`
sorts all three; a rewritten file gets a name from the digest of its new
bytes, and what names it is rewritten to match. Nothing else in the bundle
differs between runs (``tests/site/test_render.py`` renders twice;
``tests/build/test_run.py`` compares a one-job and a two-job build).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import subprocess
import tempfile
from pathlib import Path

import cbor2

from publish.errors import RenderError

BUNDLE = "pagefind"
ENTRY = f"{BUNDLE}/pagefind-entry.json"
#: What a ``.pf_meta`` file starts with before its CBOR body (Pagefind's format tag).
META_TAG = b"pagefind_dcd"
#: Where the filters are in a ``.pf_meta`` body: [version, pages, index chunks, filters, sorts, meta fields].
META_FILTERS = 3


def pagefind_binary() -> Path:
    """The extended Pagefind binary from the ``pagefind-bin-extended`` wheel."""
    try:
        from pagefind_bin_extended import get_executable
    except ImportError:
        raise RenderError("the site's search needs Pagefind: pip install pagefind-bin-extended") from None
    return get_executable()


def search_bundle(pages: dict[str, bytes]) -> dict[str, bytes]:
    """Index ``pages`` (relative path → HTML); the bundle's files, as ``pagefind/…`` → bytes.

    No pages, no bundle: Pagefind refuses an empty site, and there is nothing to find.
    """
    if not pages:
        return {}
    with tempfile.TemporaryDirectory(prefix="publish-pagefind-") as folder:
        site = Path(folder, "site")
        for name, data in pages.items():
            path = site / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        output = Path(folder, BUNDLE)
        command = [str(pagefind_binary()), "--site", str(site), "--output-path", str(output), "--silent"]
        try:
            subprocess.run(command, check=True, capture_output=True, timeout=600)
        except subprocess.CalledProcessError as error:
            message = (error.stderr or error.stdout or b"").decode(errors="replace").strip()
            raise RenderError(f"Pagefind failed: {message.splitlines()[-1] if message else error}") from None
        files = {f"{BUNDLE}/{path.relative_to(output).as_posix()}": path.read_bytes()
                 for path in sorted(output.rglob("*")) if path.is_file()}
    return in_fixed_order(files)


def in_fixed_order(files: dict[str, bytes]) -> dict[str, bytes]:
    """The bundle with its languages, filters and filter values sorted by name (see above)."""
    files = dict(files)
    entry = json.loads(files[ENTRY])
    for language, info in sorted(entry["languages"].items()):
        body = read_cbor(files.pop(f"{BUNDLE}/pagefind.{info['hash']}.pf_meta"), entry["version"])
        if not isinstance(body[META_FILTERS], list):
            raise unknown_layout(entry["version"])
        filters = []
        for name, digest in sorted(body[META_FILTERS]):
            values = read_cbor(files.pop(f"{BUNDLE}/filter/{digest}.pf_filter"), entry["version"])
            data = write_cbor([values[0], sorted(values[1])])
            digest = f"{language}_{hashlib.sha256(data).hexdigest()[:12]}"
            files[f"{BUNDLE}/filter/{digest}.pf_filter"] = data
            filters.append([name, digest])
        body[META_FILTERS] = filters
        meta = write_cbor(body)
        info["hash"] = f"{language}_{hashlib.sha256(meta).hexdigest()[:14]}"
        files[f"{BUNDLE}/pagefind.{info['hash']}.pf_meta"] = meta
    files[ENTRY] = json.dumps(entry, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    return files


def read_cbor(data: bytes, version: str):
    """The CBOR body of a Pagefind data file (gzip of the tag and the body)."""
    data = gzip.decompress(data)
    body = cbor2.loads(data[len(META_TAG):]) if data.startswith(META_TAG) else None
    if not isinstance(body, list) or len(body) < 2:
        raise unknown_layout(version)
    return body


def write_cbor(body) -> bytes:
    # mtime 0: gzip writes no time, as Pagefind's own files have none.
    return gzip.compress(META_TAG + cbor2.dumps(body), compresslevel=9, mtime=0)


def unknown_layout(version: str) -> RenderError:
    return RenderError(f"Pagefind {version} wrote data of a layout publish does not know; "
                       "check publish/site/search.py against it")
