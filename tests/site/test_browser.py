"""The reading room in a real browser: Debian's Chromium, driven by Selenium, over ``publish serve``.

No browser is downloaded: ``/usr/bin/chromium`` and ``/usr/bin/chromedriver``
come from Debian (``make`` installs them). The site is the test project of
``conftest.py``, served on loopback by the real command. axe-core comes from
``node_modules`` (``npm ci``) and is injected into each page it checks.
Skipped, naming what is missing, only when Chromium or its driver is absent.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.site.conftest import ARABIC, CHINESE, ENGLISH, FIGURE

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
#: As root Chromium needs --no-sandbox; the rest keep it from reaching any network service.
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1000,1400")
CHINESE_WORD = "展览"
ENGLISH_PHRASE = "annual dredging report"


@pytest.fixture(scope="module")
def served(built):
    """``publish serve --port 0`` on the test project; the base URL it prints."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    process = subprocess.Popen([sys.executable, "-m", "publish", "serve", "--port", "0",
                                "--dist", str(built / "dist")],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    line = process.stdout.readline()
    assert line.startswith("publish serve: http://127.0.0.1:"), line
    yield line.split()[2]
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    for path in (CHROMIUM, CHROMEDRIVER):
        if not path.is_file():
            pytest.skip(f"missing {path} (Debian packages chromium, chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="publish-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS + (f"--user-data-dir={profile}",):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    driver.set_script_timeout(60)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def console_errors(browser) -> list[str]:
    return [entry["message"] for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]


def search(browser, served: str, query: str) -> list[str]:
    """The result links' paths of a search on the search page, once it says it is done."""
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(f"{served}search/?q={urllib.parse.quote(query)}")
    WebDriverWait(browser, 60).until(
        lambda b: "found" in b.find_element("id", "status").text
        or "failed" in b.find_element("id", "status").text)
    assert "found" in browser.find_element("id", "status").text
    return [urllib.parse.urlsplit(a.get_attribute("href")).path
            for a in browser.find_elements("css selector", "#results a")]


def axe_violations(browser) -> list[dict]:
    if not AXE.is_file():
        pytest.skip(f"missing {AXE} (npm ci)")
    browser.execute_script(AXE.read_text(encoding="utf-8"))
    result = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document).then(r => done(JSON.stringify(r.violations)), e => done(String(e)));")
    violations = json.loads(result)
    return [{"id": v["id"], "nodes": [n["target"] for n in v["nodes"]]} for v in violations]


def test_home_page_loads_without_console_errors(browser, served):
    browser.get_log("browser")  # start from an empty log
    browser.get(served)
    assert browser.title.startswith("Reading room")
    assert browser.find_elements("css selector", "main .entries li")
    assert console_errors(browser) == []


def test_browse_by_language_lists_the_right_documents(browser, served):
    browser.get(served)
    browser.find_element("partial link text", "(zh-Hans)").click()
    titles = [a.text for a in browser.find_elements("css selector", ".entries .entry-title a")]
    assert titles == ["辽宁省图书馆年度报告"]
    browser.get(served)
    browser.find_element("partial link text", "(en-GB)").click()
    links = {urllib.parse.urlsplit(a.get_attribute("href")).path
             for a in browser.find_elements("css selector", ".entries .entry-title a")}
    assert links == {f"/doc/{ENGLISH}/", f"/doc/{FIGURE}/"}


def test_search_finds_a_chinese_word_and_an_english_phrase(browser, served, site):
    others = [p for p in site.glob("doc/*/index.html") if p.parent.name != CHINESE]
    assert all(CHINESE_WORD not in p.read_text(encoding="utf-8") for p in others)
    assert search(browser, served, CHINESE_WORD) == [f"/doc/{CHINESE}/"]
    assert search(browser, served, ENGLISH_PHRASE)[0] == f"/doc/{ENGLISH}/"


def test_search_filters_by_language(browser, served):
    """A filter alone, no words: every document of that language."""
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(f"{served}search/?language=Arabic")
    WebDriverWait(browser, 60).until(lambda b: "found" in b.find_element("id", "status").text)
    links = [urllib.parse.urlsplit(a.get_attribute("href")).path
             for a in browser.find_elements("css selector", "#results a")]
    assert links == [f"/doc/{ARABIC}/"]


def test_downloads_come_with_their_type_and_sha256(browser, served):
    """Each download link, fetched by the browser and hashed there, matches the page's row."""
    browser.get(f"{served}doc/{FIGURE}/")
    rows = browser.find_elements("css selector", ".downloads tbody tr")
    assert [r.find_element("css selector", "a").text for r in rows] == ["PDF/A-3", "EPUB 3", "TEI P5 master"]
    for row in rows:
        link = row.find_element("css selector", "a")
        listed_type = row.find_element("css selector", "td code").text
        listed_sha = row.find_element("css selector", "code.checksum").text
        fetched = json.loads(browser.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "fetch(arguments[0]).then(async r => {"
            "  const digest = await crypto.subtle.digest('SHA-256', await r.arrayBuffer());"
            "  const hex = [...new Uint8Array(digest)].map(b => b.toString(16).padStart(2, '0')).join('');"
            "  done(JSON.stringify({status: r.status, type: r.headers.get('content-type'), sha: hex}));"
            "}, e => done(JSON.stringify({error: String(e)})));", link.get_attribute("href")))
        assert fetched == {"status": 200, "type": listed_type, "sha": listed_sha}


def test_arabic_reading_view_is_right_to_left(browser, served):
    browser.get(f"{served}doc/{ARABIC}/")
    assert browser.find_element("tag name", "html").get_attribute("dir") == "rtl"
    direction = browser.execute_script(
        "return getComputedStyle(document.querySelector('section.reading p')).direction;")
    assert direction == "rtl"


@pytest.mark.parametrize("page", ["", f"doc/{FIGURE}/", f"doc/{ARABIC}/", "search/?q=harbour"])
def test_axe_finds_no_violations(browser, served, page):
    browser.get(served + page)
    if page.startswith("search"):
        search(browser, served, "harbour")
    assert axe_violations(browser) == []
