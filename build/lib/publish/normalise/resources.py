"""Files a document refers to, read from beside it: never above its folder, never remote.

Shared by the normalisers whose sources name images by relative URL (RFC 3986
§4.2: a path, percent-decoded): HTML, Markdown and TEI (``graphic/@url``).
A ``data:`` URL is decoded by :func:`publish.normalise.structure.data_url_bytes`;
anything with another scheme is never fetched, and the callers say so (a
URL in a log line is cut by :func:`short`).
"""

from __future__ import annotations

import urllib.parse
from pathlib import Path


def local_file(source: Path, src: str) -> tuple[bytes | None, str]:
    """An image file in the source's folder or below it; never above, never a link out."""
    relative = urllib.parse.unquote(urllib.parse.urlsplit(src).path)
    if relative.startswith("/") or "\\" in relative or ".." in relative.split("/"):
        return None, "a path outside the source's folder"
    folder = source.resolve().parent
    try:
        candidate = (folder / relative).resolve(strict=True)
    except RuntimeError:
        return None, "a symbolic link loop"
    except OSError:
        return None, "no such file beside the source"
    if folder not in candidate.parents:
        return None, "a symbolic link out of the source's folder (copy the file in instead)"
    if not candidate.is_file():
        return None, "not a regular file (a FIFO, device, socket or folder)"
    if candidate.stat().st_size > 50 * 1024 * 1024:
        return None, "larger than 50 MB"
    return candidate.read_bytes(), ""


def short(url: str, length: int = 80) -> str:
    """A URL cut for a log line (data: URLs can be megabytes)."""
    return url if len(url) <= length else url[:length] + "…"
