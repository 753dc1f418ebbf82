"""What a project configures for its OAI-PMH repository (OAI-PMH 2.0 §4.2, Identify).

Read from the project's ``pyproject.toml``, table ``[tool.publish.oai]``, then
overridden by environment variables ``PUBLISH_OAI_<KEY>`` (upper case), so a
WSGI server can be configured without editing the project::

    [tool.publish.oai]
    repository_name = "Liaoning Archive"     # default: [project] description, else name
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
import os
import re
import tomllib
from pathlib import Path

from publish.errors import UsageError

DOMAIN = re.compile(r"[a-zA-Z][a-zA-Z0-9\-]*(\.[a-zA-Z][a-zA-Z0-9\-]*)+")
EMAIL = re.compile(r"\S+@(\S+\.)+\S+")
KEYS = ("repository_name", "repository_id", "admin_email", "page_size", "base_url", "dist_url")


@dataclasses.dataclass(frozen=True)
class Settings:
    """The repository's configured facts; see the module docstring for each key."""

    repository_name: str = "publish"
    repository_id: str = "publish.invalid"
    admin_email: tuple[str, ...] = ("oai-admin@publish.invalid",)
    page_size: int = 100
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
        """The settings of the project at ``root``: its pyproject.toml, then the environment."""
        environ = os.environ if environ is None else environ
        project, table = {}, {}
        path = Path(root) / "pyproject.toml"
        if path.is_file():
            with open(path, "rb") as handle:
                data = tomllib.load(handle)
            project = data.get("project") or {}
            table = ((data.get("tool") or {}).get("publish") or {}).get("oai") or {}
        unknown = set(table) - set(KEYS)
        if unknown:
            raise UsageError(f"{path}: unknown [tool.publish.oai] key(s): {', '.join(sorted(unknown))}")
        values = dict(table)
        for key in KEYS:
            raw = environ.get(f"PUBLISH_OAI_{key.upper()}")
            if raw:
                values[key] = raw.split(",") if key == "admin_email" else raw
        values.setdefault("repository_name", project.get("description") or project.get("name")
                          or cls.repository_name)
        if isinstance(values.get("admin_email"), str):
            values["admin_email"] = [values["admin_email"]]
        if "admin_email" in values:
            values["admin_email"] = tuple(a.strip() for a in values["admin_email"])
        if "page_size" in values:
            try:
                values["page_size"] = int(values["page_size"])
            except ValueError:
                raise UsageError(f"OAI page_size must be a number, not {values['page_size']!r}") from None
        return cls(**values)
