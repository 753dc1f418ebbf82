"""Repository settings: pyproject.toml's [tool.publish.oai], then PUBLISH_OAI_* variables."""

from __future__ import annotations

import pytest

from publish.errors import UsageError
from publish.oai.settings import Settings


def write(root, text: str) -> None:
    (root / "pyproject.toml").write_text(text, encoding="utf-8")


def test_defaults_name_the_project(tmp_path):
    write(tmp_path, '[project]\nname = "liaoning"\ndescription = "Liaoning releases"\n')
    settings = Settings.from_project(tmp_path, {})
    assert settings.repository_name == "Liaoning releases"
    assert settings.repository_id.endswith(".invalid") and settings.page_size == 100
    write(tmp_path, '[project]\nname = "liaoning"\n')
    assert Settings.from_project(tmp_path, {}).repository_name == "liaoning"


def test_the_table_and_the_environment(tmp_path):
    write(tmp_path, '[project]\nname = "x"\n[tool.publish.oai]\nrepository_name = "Archive"\n'
                    'repository_id = "archive.example.org"\nadmin_email = "a@example.org"\npage_size = 5\n')
    settings = Settings.from_project(tmp_path, {})
    assert (settings.repository_name, settings.repository_id, settings.admin_email, settings.page_size) == (
        "Archive", "archive.example.org", ("a@example.org",), 5)
    settings = Settings.from_project(tmp_path, {"PUBLISH_OAI_PAGE_SIZE": "7",
                                                "PUBLISH_OAI_ADMIN_EMAIL": "a@example.org,b@example.org"})
    assert settings.page_size == 7 and settings.admin_email == ("a@example.org", "b@example.org")


@pytest.mark.parametrize(("table", "environ"), [
    ('repository_id = "localhost"', {}),
    ('admin_email = "nobody"', {}),
    ("page_size = 0", {}),
    ('colour = "blue"', {}),
    ("", {"PUBLISH_OAI_PAGE_SIZE": "many"}),
])
def test_bad_settings_are_usage_errors(tmp_path, table, environ):
    write(tmp_path, f"[tool.publish.oai]\n{table}\n")
    with pytest.raises(UsageError):
        Settings.from_project(tmp_path, environ)
