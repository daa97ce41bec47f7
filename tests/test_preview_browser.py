"""`digest preview` in a real browser: headless Chromium (Debian's chromium + chromedriver)."""

import os
import shutil
import threading

import pytest
from conftest import write_json_article

from digest.pipeline import run
from digest.rendering.preview import Preview, make_server


def chromium(tmp_path):
    binary, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not (binary and driver):
        if os.environ.get("CI"):
            pytest.fail("chromium and chromedriver are needed (.ci/run installs them)")
        pytest.skip("chromium/chromedriver not installed")
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = binary
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--window-size=1600,1200",
                 f"--user-data-dir={tmp_path / 'chrome-profile'}"):
        options.add_argument(flag)
    return webdriver.Chrome(options=options, service=Service(driver))


@pytest.fixture
def served(project):
    config, articles = project
    write_json_article(articles, "evil.json", title="<script>document.title='pwned'</script>",
                       text="Nothing to see. Really nothing.", date="2024-05-01",
                       url="https://example.org/evil")
    templates = config.parent / "templates"
    templates.mkdir()
    (templates / "newsletter.txt").write_text(
        '{% extends "!default/newsletter.txt" %}{% block header %}VERSION ONE\n{% endblock %}',
        encoding="utf-8")
    config.write_text('templates = "templates"\n' + config.read_text(encoding="utf-8"),
                      encoding="utf-8")
    import datetime as dt

    server = make_server(Preview(str(config), dt.date(2024, 5, 1), build=run), port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", templates
    server.shutdown()
    server.server_close()


def test_preview_lists_audiences_shows_widths_and_reloads(served, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    url, templates = served
    browser = chromium(tmp_path)
    try:
        browser.get(url + "/")
        audiences = {td.text for td in browser.find_elements(By.CSS_SELECTOR, "tr.issue .audience")}
        assert audiences == {"general", "experts"}

        browser.get(url + "/issue/2024-05-01/general")
        desktop = browser.find_element(By.CSS_SELECTOR, "iframe.desktop")
        phone = browser.find_element(By.CSS_SELECTOR, "iframe.phone")
        assert desktop.size["width"] >= 600
        assert phone.size["width"] <= 400
        assert "VERSION ONE" in browser.find_element(By.ID, "text").text

        browser.switch_to.frame(phone)
        body = browser.find_element(By.TAG_NAME, "body").text
        assert "Council approves bridge" in body
        assert "<script>document.title='pwned'</script>" in body  # shown as text
        assert browser.title != "pwned"
        # the newsletter fits a phone: no sideways scrolling
        assert browser.execute_script("return document.documentElement.scrollWidth") <= 380
        browser.switch_to.default_content()

        # a template edit shows up without touching the browser
        (templates / "newsletter.txt").write_text(
            '{% extends "!default/newsletter.txt" %}{% block header %}VERSION TWO\n{% endblock %}',
            encoding="utf-8")
        # the page reloads itself: elements go stale while it does
        from selenium.common.exceptions import StaleElementReferenceException

        wait = WebDriverWait(browser, 60, ignored_exceptions=(StaleElementReferenceException,))
        wait.until(
            lambda b: "VERSION TWO" in b.find_element(By.ID, "text").text)

        # a broken template is reported on the page, with its name and line
        (templates / "newsletter.txt").write_text("ok\n{% if %}\n", encoding="utf-8")
        wait.until(
            lambda b: "newsletter.txt, line 2" in b.find_element(By.ID, "error").text)
    finally:
        browser.quit()
