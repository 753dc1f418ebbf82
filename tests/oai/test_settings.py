"""Repository settings: publish.toml's [oai], then PUBLISH_OAI_* variables."""

from __future__ import annotations

import pytest

from publish.errors import UsageError
from publish.oai.settings import Settings


def write(root, text: str) -> None:
    (root / "publish.toml").write_text(text, encoding="utf-8")


def test_defaults_say_nothing_was_configured(tmp_path):
    settings = Settings.from_project(tmp_path, {})
    assert settings.repository_name == "publish"
    assert settings.repository_id.endswith(".invalid") and settings.page_size == 100
    assert settings.base_url is None and settings.dist_url is None


def test_the_table_and_the_environment(tmp_path):
    write(tmp_path, '[oai]\nrepository_name = "Archive"\n'
                    'repository_id = "archive.example.org"\nadmin_email = ["a@example.org"]\npage_size = 5\n')
    settings = Settings.from_project(tmp_path, {})
    assert (settings.repository_name, settings.repository_id, settings.admin_email, settings.page_size) == (
        "Archive", "archive.example.org", ("a@example.org",), 5)
    settings = Settings.from_project(tmp_path, {"PUBLISH_OAI_PAGE_SIZE": "7",
                                                "PUBLISH_OAI_ADMIN_EMAIL": "a@example.org,b@example.org"})
    assert settings.page_size == 7 and settings.admin_email == ("a@example.org", "b@example.org")


@pytest.mark.parametrize(("table", "environ", "message"), [
    ('repository_id = "localhost"', {}, "domain name"),
    ('admin_email = ["nobody"]', {}, "e-mail"),
    ("page_size = 0", {}, "at least 1"),
    ('colour = "blue"', {}, "unknown key oai.colour"),
    ("", {"PUBLISH_OAI_PAGE_SIZE": "many"}, "PUBLISH_OAI_PAGE_SIZE: oai.page_size must be a whole number"),
])
def test_bad_settings_are_usage_errors(tmp_path, table, environ, message):
    write(tmp_path, f"[oai]\n{table}\n")
    with pytest.raises(UsageError, match=message):
        Settings.from_project(tmp_path, environ)
