"""The HTML report as a person sees it: headless Chromium opens the file from disk (file://).

Needs /usr/bin/chromium, /usr/bin/chromedriver (Debian: apt-get install chromium chromium-driver; other
paths via LINTLETTER_CHROMIUM / LINTLETTER_CHROMEDRIVER) and the selenium package; without them every
test here is SKIPPED with the reason, never passed.
A full-page screenshot of the weak letter is kept at tests/artifacts/report-weak-letter.png.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from lintletter.cli import main

from .conftest import ACCEPTANCE, ROOT

# Overridable for other systems (e.g. /usr/bin/chromium-browser on Ubuntu).
CHROMIUM = Path(os.environ.get("LINTLETTER_CHROMIUM", "/usr/bin/chromium"))
CHROMEDRIVER = Path(os.environ.get("LINTLETTER_CHROMEDRIVER", "/usr/bin/chromedriver"))
WEAK_LETTER = ACCEPTANCE / "thank-you-only.txt"
SCREENSHOT = ROOT / "tests" / "artifacts" / "report-weak-letter.png"
HEADLESS_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--hide-scrollbars", "--window-size=1000,900",
)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium not found at {CHROMIUM}: apt-get install chromium chromium-driver")
    if not CHROMEDRIVER.exists():
        pytest.skip(f"chromedriver not found at {CHROMEDRIVER}: apt-get install chromium-driver")
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed: pip install '.[test]'")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in HEADLESS_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # An explicit driver path: selenium never tries to download a browser or a driver.
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def weak(tmp_path_factory, browser):
    """The weak letter's report, opened in the browser, and the JSON the CLI gives for it."""
    folder = tmp_path_factory.mktemp("report")
    page = folder / "report.html"
    # the weak letter fails the default run (exit 1): the report is written all the same
    assert main(["check", "-f", "html", "-o", str(page), str(WEAK_LETTER)]) == 1
    assert main(["check", "-f", "json", "-o", str(folder / "report.json"), str(WEAK_LETTER)]) == 1
    (doc,) = json.loads((folder / "report.json").read_text(encoding="utf-8"))["files"]
    browser.get(page.as_uri())
    return doc


def test_page_loads_without_console_errors(browser, weak):
    assert browser.title == "lintletter report"
    problems = [entry for entry in browser.get_log("browser") if entry["level"] in ("SEVERE", "WARNING")]
    assert problems == []


def test_highlights_sit_on_the_evidence_sentences(browser, weak):
    seen = browser.execute_script(
        """
        const out = {};
        for (const m of document.querySelectorAll('mark[data-ev]')) {
          const box = m.getBoundingClientRect(), bg = getComputedStyle(m).backgroundColor;
          const entry = out[m.dataset.ev] ||= {section: m.dataset.section, text: '', visible: true};
          entry.text += m.textContent;
          entry.visible &&= box.width > 0 && box.height > 0 && bg !== 'rgba(0, 0, 0, 0)';
        }
        return Object.values(out);
        """
    )
    expected = [
        {"section": name, "text": e["text"], "visible": True}
        for name, section in weak["sections"].items() for e in section["evidence"]
    ]
    assert expected and sorted(seen, key=str) == sorted(expected, key=str)


def test_checklist_matches_the_json(browser, weak):
    shown = browser.execute_script(
        """
        return [...document.querySelectorAll('li.check')].map(li => ({
          section: li.dataset.section, status: li.dataset.status, words: li.innerText.toLowerCase()}));
        """
    )
    assert [(s["section"], s["status"]) for s in shown] == [(k, v["status"]) for k, v in weak["sections"].items()]
    for item in shown:  # the status is written out, not only coloured
        assert item["status"] in item["words"]


def _tip_style(browser, anchor_id):
    return browser.execute_script(
        """
        const tip = document.getElementById(arguments[0]).querySelector(':scope > .tip');
        const s = getComputedStyle(tip, '::after');
        return {visibility: s.visibility, opacity: s.opacity, content: s.content};
        """,
        anchor_id,
    )


def test_keyboard_focus_on_a_finding_shows_its_tooltip(browser, weak):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    anchored = [d for d in weak["diagnostics"] if d["text"]]
    assert anchored, "the weak letter should have a finding anchored in its text"
    anchor_id = browser.execute_script("return document.querySelector('.finding[tabindex=\"0\"]').id")
    assert _tip_style(browser, anchor_id)["visibility"] == "hidden"

    browser.execute_script("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)")
    for _ in range(40):  # Tab through the page like a keyboard user until a finding has focus
        ActionChains(browser).send_keys(Keys.TAB).perform()
        if browser.execute_script("return document.activeElement.id") == anchor_id:
            break
    else:
        pytest.fail("Tab never reached the finding anchor")

    style = _tip_style(browser, anchor_id)
    assert style["visibility"] == "visible" and style["opacity"] == "1"
    assert anchored[0]["message"] in style["content"]
    described = browser.execute_script(
        "return document.getElementById(document.activeElement.getAttribute('aria-describedby')).innerText"
    )
    assert anchored[0]["message"] in described

    # For the record: the whole page, with the tooltip open.
    height, chrome = browser.execute_script(
        "return [document.documentElement.scrollHeight, outerHeight - innerHeight]"
    )
    browser.set_window_size(1000, height + chrome)
    browser.execute_script("window.scrollTo(0, 0)")  # focus stays; the page is shown from its top
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    assert browser.save_screenshot(str(SCREENSHOT)) and SCREENSHOT.stat().st_size > 10_000
    print(f"screenshot: {SCREENSHOT}")
    browser.set_window_size(1000, 900)


def test_fits_a_phone_screen(browser, weak):
    phone = {"width": 390, "height": 844, "deviceScaleFactor": 3, "mobile": True}
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", phone)
    try:
        width, overflow = browser.execute_script(
            "const d = document.documentElement; return [innerWidth, d.scrollWidth - d.clientWidth]"
        )
        assert width == 390, "the viewport meta tag should give a device-width layout"
        assert overflow <= 0, "the page scrolls sideways on a phone"
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def test_no_network_requests(browser, weak):
    urls = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert [u for u in urls if not u.startswith(("data:", "file:"))] == []
