"""What a project configures for its OAI-PMH repository (OAI-PMH 2.0 §4.2, Identify).

The ``[oai]`` section of the archive's ``publish.toml`` (:data:`SETTINGS`),
each key overridable by ``PUBLISH_OAI_<KEY>`` (upper case), so a WSGI server
can be configured without editing the archive::

    [oai]
    repository_name = "Liaoning Archive"
    repository_id = "archive.example.org"    # identifiers are oai:<repository_id>:<document id>
    admin_email = ["archivist@example.org"]  # one or more
    page_size = 100                          # records or headers per ListRecords/ListIdentifiers page
    base_url = "https://archive.example.org/oai"  # default: from each request
    dist_url = "https://archive.example.org/"     # where dist/ is published; METS file links

``repository_id`` follows the oai-identifier scheme (a domain name the
repository controls); the defaults under ``.invalid`` (RFC 2606) say plainly
that nothing was configured.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from publish.config_spec import CONFIG_FILE, Section, Setting, read_section
from publish.errors import UsageError

DOMAIN = re.compile(r"[a-zA-Z][a-zA-Z0-9\-]*(\.[a-zA-Z][a-zA-Z0-9\-]*)+")
EMAIL = re.compile(r"\S+@(\S+\.)+\S+")
#: publish.toml's [oai] section.
SETTINGS = Section("oai", "The OAI-PMH 2.0 repository (publish serve at /oai, publish.oai.wsgi)", (
    Setting("repository_name", "publish", "the repository's name in Identify"),
    Setting("repository_id", "publish.invalid",
            "a domain name the repository controls: identifiers are oai:<repository_id>:<document id>"),
    Setting("admin_email", ["oai-admin@publish.invalid"], "one or more administrators' e-mail addresses"),
    Setting("page_size", 100, "records or headers per ListRecords/ListIdentifiers page"),
    Setting("base_url", "", "the repository's address (default: from each request)"),
    Setting("dist_url", "", "where dist/ is published, for METS file links (default: none)"),
))


@dataclasses.dataclass(frozen=True)
class Settings:
    """The repository's configured facts; see the module docstring for each key."""

    repository_name: str = SETTINGS.setting("repository_name").default
    repository_id: str = SETTINGS.setting("repository_id").default
    admin_email: tuple[str, ...] = tuple(SETTINGS.setting("admin_email").default)
    page_size: int = SETTINGS.setting("page_size").default
    base_url: str | None = None
    dist_url: str | None = None

    def __post_init__(self) -> None:
        if not DOMAIN.fullmatch(self.repository_id):
            raise UsageError(f"OAI repository_id must be a domain name, not {self.repository_id!r}")
        if not self.admin_email or not all(EMAIL.fullmatch(a) for a in self.admin_email):
            raise UsageError(f"OAI admin_email must be e-mail addresses, not {self.admin_email!r}")
        if self.page_size < 1:
            raise UsageError(f"OAI page_size must be at least 1, not {self.page_size}")

    @classmethod
    def from_project(cls, root: Path, environ: dict[str, str] | None = None) -> Settings:
        """The settings of the archive at ``root``: its publish.toml's [oai], then the environment."""
        values = dict(read_section(SETTINGS, Path(root) / CONFIG_FILE, environ).values)
        values["admin_email"] = tuple(values["admin_email"])
        for key in ("base_url", "dist_url"):
            values[key] = values[key] or None
        return cls(**values)
