"""How a component declares its section of ``publish.toml``, and reads it.

As docutils' ``settings_spec``: each component that reads configuration
declares a :class:`Section` beside its own code (``SETTINGS``), with every key,
its default and what it means; :mod:`publish.config` lists those sections
(the whole file, ``publish config``, ``publish init``). A component reads its
own section with :func:`read_section`: the archive folder's ``publish.toml``
first, then an environment variable per key, ``PUBLISH_<SECTION>_<KEY>`` in
upper case (a list is comma-separated; a table cannot be set this way). An
unknown key is an error naming the file and the key.

This module imports nothing of publish's but the errors, so every component
may import it.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from pathlib import Path

from publish.errors import UsageError

#: The configuration file of an archive folder (where ``seeds/`` and ``dist/`` are).
CONFIG_FILE = "publish.toml"
FROM_DEFAULT = "default"


@dataclasses.dataclass(frozen=True)
class Setting:
    """One key: its default (whose type is the key's: str, int, list of str, or a table) and meaning."""

    key: str
    default: object
    help: str
    #: What ``publish init`` writes (commented) where the default is no example (``None``).
    example: object = None


@dataclasses.dataclass(frozen=True)
class Section:
    """One ``[table]`` of ``publish.toml``: its name, what it configures, and its keys."""

    name: str
    help: str
    settings: tuple[Setting, ...]

    def setting(self, key: str) -> Setting:
        return next(s for s in self.settings if s.key == key)

    def env_name(self, key: str) -> str:
        return f"PUBLISH_{self.name.upper()}_{key.upper()}"


@dataclasses.dataclass(frozen=True)
class Values:
    """A section's values in force, and where each came from (default, the file, or a variable)."""

    values: dict[str, object]
    sources: dict[str, str]

    def __getitem__(self, key: str) -> object:
        return self.values[key]


def read_file(path: Path = Path(CONFIG_FILE)) -> dict:
    """The parsed configuration file (empty if there is none)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"{path}: cannot read the configuration: {error}") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise UsageError(f"{path}: not valid TOML: {error}") from None


def read_section(section: Section, path: Path = Path(CONFIG_FILE), environ: dict[str, str] | None = None,
                 data: dict | None = None) -> Values:
    """The section's values: defaults, then the file at ``path``, then ``PUBLISH_<SECTION>_<KEY>``.

    ``data`` is the file already parsed, if the caller has it.
    """
    environ = os.environ if environ is None else environ
    path = Path(path)
    if data is None:
        data = read_file(path)
    table = data.get(section.name, {})
    if not isinstance(table, dict):
        raise UsageError(f"{path}: [{section.name}] must be a table")
    known = {setting.key for setting in section.settings}
    unknown = sorted(set(table) - known)
    if unknown:
        raise UsageError(f"{path}: unknown key {section.name}.{unknown[0]} (known: {', '.join(sorted(known))})")
    values, sources = {}, {}
    for setting in section.settings:
        value, source = setting.default, FROM_DEFAULT
        if setting.key in table:
            value, source = table[setting.key], str(path)
        raw = environ.get(section.env_name(setting.key))
        if raw and not isinstance(setting.default, dict):
            value, source = raw, section.env_name(setting.key)
        values[setting.key] = coerce(setting, value, f"{source if source != FROM_DEFAULT else path}: "
                                                     f"{section.name}.{setting.key}")
        sources[setting.key] = source
    return Values(values, sources)


def coerce(setting: Setting, value: object, where: str) -> object:
    """The value as the default's type; a usage error naming where it came from otherwise."""
    default = setting.default
    if isinstance(default, bool):
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        if isinstance(value, bool):
            return value
    elif isinstance(default, int):
        try:
            if not isinstance(value, bool):
                return int(value)
        except (TypeError, ValueError):
            pass
        raise UsageError(f"{where} must be a whole number, not {value!r}")
    elif isinstance(default, (list, tuple)):
        items = value.split(",") if isinstance(value, str) else value
        if isinstance(items, (list, tuple)) and all(isinstance(item, str) for item in items):
            return tuple(item.strip() for item in items if item.strip())
    elif isinstance(default, dict) or default is None and isinstance(value, dict):
        if isinstance(value, dict) or value is None:
            return value
    elif value is None or isinstance(value, str):
        return value
    raise UsageError(f"{where} has the wrong type: {value!r}")
