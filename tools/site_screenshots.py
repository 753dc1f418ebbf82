"""Screenshots of the reading room for docs/: the home page, a document page, a search result.

Drives Debian's Chromium (``/usr/bin/chromium``, ``/usr/bin/chromedriver``)
with Selenium against a running ``publish serve``, waits for the search to
finish, and writes PNGs of the first screenful of each page.

Usage: ``python tools/site_screenshots.py URL --document doc/<id>/ --query WORDS [--out docs]``.
"""

from __future__ import annotations

import argparse
import tempfile
import urllib.parse
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.support.ui import WebDriverWait

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1000,900",
         "--hide-scrollbars")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="where publish serve listens, e.g. http://127.0.0.1:8000/")
    parser.add_argument("--document", required=True, help="a document page, e.g. doc/<id>/")
    parser.add_argument("--query", required=True, help="words to search for")
    parser.add_argument("--out", type=Path, default=Path("docs"))
    args = parser.parse_args(argv)
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    with tempfile.TemporaryDirectory(prefix="publish-chromium-") as profile:
        for flag in FLAGS + (f"--user-data-dir={profile}",):
            options.add_argument(flag)
        driver = webdriver.Chrome(options=options, service=Service("/usr/bin/chromedriver"))
        try:
            driver.get(args.url)
            driver.save_screenshot(str(args.out / "site-home.png"))
            driver.get(args.url + args.document)
            driver.save_screenshot(str(args.out / "site-document.png"))
            driver.get(f"{args.url}search/?q={urllib.parse.quote(args.query)}")
            WebDriverWait(driver, 60).until(lambda d: "found" in d.find_element("id", "status").text)
            driver.save_screenshot(str(args.out / "site-search.png"))
        finally:
            driver.quit()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
