"""publish.toml: every section declared beside its component, checked whole; publish config and init."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from publish.config import SECTIONS, describe, load, sections, template
from publish.errors import UsageError

from tests.build.test_run import SEEDS
from tests.conftest import ROOT


def publish(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess:
    environment = dict(os.environ, PYTHONPATH=str(ROOT), **env)
    return subprocess.run([sys.executable, "-m", "publish", *args], capture_output=True, text=True,
                          cwd=cwd, env=environment, timeout=300)


def test_the_template_names_every_key_commented_at_its_default():
    text = template()
    assert tomllib.loads(text) == {name: {} for name, _target in SECTIONS}  # all commented out
    for section in sections():
        for setting in section.settings:
            assert f"# {setting.key} = " in text, (section.name, setting.key)
    uncommented = "\n".join(line.removeprefix("# ") if " = " in line else line for line in text.splitlines())
    values = tomllib.loads(uncommented)
    assert values["site"]["title"] == "Reading room" and values["oai"]["page_size"] == 100
    assert values["preserve"]["user"] == {"name": "…", "address": "mailto:…"}


def test_the_file_then_the_environment_and_where_each_came_from(tmp_path):
    config = tmp_path / "publish.toml"
    config.write_text('[site]\ntitle = "Liaoning Archive"\n[oai]\npage_size = 20\n', encoding="utf-8")
    values = load(config, {"PUBLISH_OAI_PAGE_SIZE": "30"})
    assert values["site"]["title"] == "Liaoning Archive" and values["oai"]["page_size"] == 30
    assert values["site"].sources["title"] == str(config)
    assert values["oai"].sources["page_size"] == "PUBLISH_OAI_PAGE_SIZE"
    lines = describe(config, {}).splitlines()
    assert 'site.title = "Liaoning Archive"  # ' + str(config) in lines
    assert "limits.max_paragraph = 100000  # default" in lines


@pytest.mark.parametrize("text, message", [
    ("[sitee]\n", "unknown section [sitee]"),
    ('[site]\ncolour = "red"\n', "unknown key site.colour"),
    ('[limits]\nmax_paragraph = "many"\n', "limits.max_paragraph must be a whole number"),
    ("[site\n", "not valid TOML"),
])
def test_unknown_or_bad_keys_are_errors_naming_the_file_and_key(tmp_path, text, message):
    config = tmp_path / "publish.toml"
    config.write_text(text, encoding="utf-8")
    with pytest.raises(UsageError, match=message.replace("[", r"\[")):
        load(config, {})
    result = publish("config", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    [line] = result.stderr.splitlines()
    assert line.startswith("publish: error: publish.toml: ") and message in line


def test_init_makes_an_archive_that_builds_where_it_is(tmp_path):
    archive = tmp_path / "letters"
    made = publish("init", str(archive), cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert (archive / "seeds").is_dir() and (archive / "README.md").is_file()
    assert (archive / "publish.toml").read_text(encoding="utf-8") == template()
    for name in ("alpha.txt", "beta.txt", "beta.toml"):
        (archive / "seeds" / name).write_bytes((SEEDS / name).read_bytes())
    # As an archivist would: uncomment the title and set it.
    text = template().replace('[site]\n# the site\'s name: page titles, the OPDS root feed, the search plug-in\n'
                              '# title = "Reading room"', '[site]\ntitle = "Family Letters"')
    (archive / "publish.toml").write_text(text, encoding="utf-8")
    built = publish("build", "--jobs", "1", "--only", "tei", "--only", "site", cwd=archive,
                    SOURCE_DATE_EPOCH="1674950400")
    assert built.returncode == 0, built.stderr
    assert sorted(p.name for p in (archive / "dist" / "tei").iterdir()) == ["alpha.xml", "beta.xml"]
    assert "<title>Family Letters" in (archive / "dist" / "site" / "index.html").read_text(encoding="utf-8")


def test_init_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "notes.txt").write_text("kept\n", encoding="utf-8")
    result = publish("init", str(tmp_path / "old"), cwd=tmp_path)
    assert result.returncode == 2 and "not an empty folder" in result.stderr
    assert sorted(p.name for p in (tmp_path / "old").iterdir()) == ["notes.txt"]
