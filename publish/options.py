"""Options: one frozen dataclass, built once by the CLI and passed down.

No module reads the environment mid-pipeline; ``SOURCE_DATE_EPOCH`` is read
here, once, by :meth:`Options.from_environment`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import time
from pathlib import Path

from publish.config_spec import Section, Setting
from publish.errors import UsageError

#: The project root (a clone): templates/ sits beside the package.
PROJECT_ROOT = Path(__file__).resolve().parent.parent
#: The XSLT, CSS and Jinja templates: ``publish/templates`` is a link to the clone's
#: ``templates/``, and a real folder in an installed wheel (package data).
TEMPLATES = (Path(__file__).parent / "templates").resolve()


#: publish.toml's sections the CLI reads into :class:`Options` (publish/config.py lists every section).
SITE = Section("site", "The reading room and the OPDS catalogues", (
    Setting("title", "Reading room", "the site's name: page titles, the OPDS root feed, the search plug-in"),
    Setting("opds_page_size", 50, "entries per page of an OPDS feed (RFC 5005 paging)"),
))
LIMITS = Section("limits", "Limits on what the PDF and EPUB are made for (README, Limits)", (
    Setting("max_paragraph", 100_000, "the longest paragraph, in characters (--max-paragraph overrides it "
                                      "for one run)"),
))


@dataclasses.dataclass(frozen=True)
class Options:
    """Everything a run may vary, with documented defaults.

    ``source_date_epoch``: seconds since 1970 in UTC (reproducible-builds.org
    ``SOURCE_DATE_EPOCH``); every date the pipeline writes comes from it.
    Unset, the time the options were made is used, so one run has one date.
    ``strict``: warnings are fatal. ``templates``: the folder holding the
    XSLT, CSS and Jinja templates. ``encoding``: force a source encoding
    (normally detected). ``date_pinned``: the date was given (by
    ``SOURCE_DATE_EPOCH`` or the caller), not read from the clock, so it is the
    same on every run. ``tei_all``: the official TEI P5 schema
    (``tei_all.rng``) that ``publish validate`` also checks masters against.
    ``max_paragraph``: the longest paragraph, in characters, the PDF and EPUB are
    made for (WeasyPrint's line breaking grows faster than the paragraph); a
    longer one fails those editions within seconds and the master is still written.
    ``site_title``: the reading room's name (``[site] title``); ``opds_page_size``:
    entries per OPDS feed page (``[site] opds_page_size``).
    """

    source_date_epoch: int = dataclasses.field(default_factory=lambda: int(time.time()))
    strict: bool = False
    templates: Path = TEMPLATES
    encoding: str | None = None
    date_pinned: bool = False
    tei_all: Path | None = None
    max_paragraph: int = LIMITS.setting("max_paragraph").default
    site_title: str = SITE.setting("title").default
    opds_page_size: int = SITE.setting("opds_page_size").default

    @classmethod
    def from_environment(cls, environ: dict[str, str] | None = None, **overrides) -> Options:
        """Options with ``SOURCE_DATE_EPOCH`` taken from the environment."""
        environ = os.environ if environ is None else environ
        raw = environ.get("SOURCE_DATE_EPOCH")
        if raw is not None and raw.strip():
            try:
                overrides.setdefault("source_date_epoch", int(raw))
            except ValueError:
                raise UsageError(f"SOURCE_DATE_EPOCH must be an integer, not {raw!r}") from None
        overrides.setdefault("date_pinned", "source_date_epoch" in overrides)
        return cls(**overrides)

    def dated(self, epoch: int | None) -> Options:
        """These options for one document dated ``epoch`` (its own inputs' date), unless
        ``SOURCE_DATE_EPOCH`` pinned every date or no date is given."""
        if self.date_pinned or epoch is None or epoch == self.source_date_epoch:
            return self
        return dataclasses.replace(self, source_date_epoch=epoch, date_pinned=True)

    @property
    def build_datetime(self) -> dt.datetime:
        """The build time as an aware UTC datetime."""
        return dt.datetime.fromtimestamp(self.source_date_epoch, tz=dt.UTC)

    @property
    def build_date_iso(self) -> str:
        """The build time as ``YYYY-MM-DDThh:mm:ssZ``."""
        return self.build_datetime.strftime("%Y-%m-%dT%H:%M:%SZ")
