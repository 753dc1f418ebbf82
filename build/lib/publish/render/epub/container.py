"""The OCF zip container rewritten for reproducible bytes (EPUB 3.3 §4.2).

ebooklib's zip carries the time of writing and its own order; this one is the
same entries in a fixed order with fixed dates and modes.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

#: The earliest time a zip entry can record (MS-DOS dates start in 1980).
ZIP_EPOCH = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)


def reproducible_zip(raw: bytes, source_date_epoch: int) -> bytes:
    """Rewrite an EPUB zip so equal input gives equal bytes (EPUB 3.3 §4.2, OCF ZIP container).

    ``mimetype`` first and stored; then ``META-INF/container.xml`` and the
    rest in name order; every entry dated ``SOURCE_DATE_EPOCH`` (no earlier than 1980, the
    first date a zip can hold), mode 0644, made on Unix, no extra fields.
    """
    moment = max(dt.datetime.fromtimestamp(source_date_epoch, tz=dt.UTC), ZIP_EPOCH)
    stamp = moment.timetuple()[:6]
    with zipfile.ZipFile(io.BytesIO(raw)) as source:
        entries = {name: source.read(name) for name in source.namelist()}
    first = ["mimetype", "META-INF/container.xml"]
    order = first + sorted(n for n in entries if n not in first)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            target.writestr(info, entries[name], compresslevel=9)
    return out.getvalue()
