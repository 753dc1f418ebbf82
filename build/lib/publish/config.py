"""The archive's one configuration file, ``publish.toml``: every section, checked whole.

Each section is declared beside the component that reads it (as docutils'
``settings_spec``; :mod:`publish.config_spec`); :data:`SECTIONS` lists them,
as ``"module:NAME"``, imported only when the whole file is wanted. This module
checks the whole file (an unknown section or key is an error naming the file
and the key), prints the settings in force with where each came from
(``publish config``), and writes a new archive's ``publish.toml`` with every
setting commented at its default (``publish init``).

An environment variable ``PUBLISH_<SECTION>_<KEY>`` overrides a key of the
file (a list comma-separated; a table, such as ``[preserve] user``, only in
the file).
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path

from publish.config_spec import CONFIG_FILE, FROM_DEFAULT, Section, Values, read_file, read_section
from publish.errors import UsageError

#: Every section of publish.toml: its name, and the ``Section`` beside the component that reads it.
SECTIONS: tuple[tuple[str, str], ...] = (
    # name       declared in
    ("site",     "publish.options:SITE"),              # the reading room's and the catalogues' title
    ("limits",   "publish.options:LIMITS"),            # max_paragraph
    ("oai",      "publish.oai.settings:SETTINGS"),     # the OAI-PMH repository
    ("preserve", "publish.preserve.config:SETTINGS"),  # who adds OCFL versions
)


def sections() -> tuple[Section, ...]:
    """The declared sections, in :data:`SECTIONS` order (imports each component's module)."""
    found = []
    for name, target in SECTIONS:
        module, attribute = target.split(":")
        section = getattr(importlib.import_module(module), attribute)
        assert section.name == name, target
        found.append(section)
    return tuple(found)


def check_sections(path: Path = Path(CONFIG_FILE), data: dict | None = None) -> dict:
    """The parsed file, if every section in it is declared; a usage error naming the file and section.

    Cheap (no component is imported), so every command runs it.
    """
    data = read_file(path) if data is None else data
    names = [name for name, _target in SECTIONS]
    unknown = sorted(set(data) - set(names))
    if unknown:
        raise UsageError(f"{path}: unknown section [{unknown[0]}] (known: {', '.join(names)})")
    return data


def load(path: Path = Path(CONFIG_FILE), environ: dict[str, str] | None = None) -> dict[str, Values]:
    """Every section's values in force; an unknown section or key is a usage error naming the file."""
    data = check_sections(path)
    return {section.name: read_section(section, path, environ, data) for section in sections()}


def describe(path: Path = Path(CONFIG_FILE), environ: dict[str, str] | None = None) -> str:
    """The settings in force, one per line: ``section.key = value  # from <where>``."""
    lines = []
    for name, values in load(path, environ).items():
        for key, value in values.values.items():
            shown = json.dumps(list(value) if isinstance(value, tuple) else value, ensure_ascii=False)
            source = values.sources[key]
            lines.append(f"{name}.{key} = {shown}  # {'default' if source == FROM_DEFAULT else source}")
    return "\n".join(lines) + "\n"


def template() -> str:
    """A new archive's publish.toml: every section and key, commented out at its default."""
    out = ["# publish's configuration for this archive: every setting, at its default.",
           "# Uncomment a line to change it. PUBLISH_<SECTION>_<KEY> in the environment",
           "# overrides a key; `publish config` shows what is in force and where it came from.",
           ""]
    for section in sections():
        out += [f"# {section.help}", f"[{section.name}]"]
        for setting in section.settings:
            out.append(f"# {setting.help}")
            shown = setting.default if setting.example is None else setting.example
            out.append(f"# {setting.key} = {toml_value(shown)}")
        out.append("")
    return "\n".join(out)


def toml_value(value: object) -> str:
    """A value as TOML: a string, a number, a list of strings or an inline table."""
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{key} = {toml_value(item)}" for key, item in value.items()) + " }"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(json.dumps(item, ensure_ascii=False) for item in value) + "]"
    return json.dumps(value, ensure_ascii=False)
