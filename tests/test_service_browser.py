"""`digest serve`'s confirmation page clicked in headless Chromium, with scripts turned off:
the button POSTs, the undo button POSTs, and the pages carry the audience's branding."""

from __future__ import annotations

from conftest import write_config
from service_helpers import Served
from test_preview_browser import chromium

from digest.delivery.sending import state_path
from digest.settings import load_settings
from digest.state import State
from digest.subscribers import suppression, tokens
from digest.subscribers.secret import link_secret


def wait_for_heading(browser, text: str) -> None:
    """After a click the next page loads: wait for its heading (a stale one is retried)."""
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    def heading(driver):
        try:
            return driver.find_element(By.TAG_NAME, "h1").text == text
        except StaleElementReferenceException:
            return False
        except WebDriverException as exc:
            # Chromium's way of saying stale while the next page replaces the document
            # (seen once in CI): retried; any other error stops the test
            if "does not belong to the document" in str(exc):
                return False
            raise

    WebDriverWait(browser, 10).until(heading)


def test_the_confirmation_page_unsubscribes_only_when_its_button_is_pressed(tmp_path,
                                                                          monkeypatch):
    from selenium.webdriver.common.by import By

    monkeypatch.delenv("DIGEST_SECRET", raising=False)
    config = write_config(tmp_path / "proj", """
state = "state.sqlite3"

[audiences.daily]
recipients = ["ana@example.org"]
locale = "fr"

[audiences.daily.branding]
name = "La <b>Gazette</b>"
color = "#7a1f1f"
footer = "Rédaction: 1 rue <script>x</script>"

[service]
base_url = "https://news.example.test/digest"
""")
    settings = load_settings(config)
    with State(state_path(settings)) as state:
        secret = link_secret(state)
        tokens.remember(state, secret, ["ana@example.org"])
    token = tokens.make_token(secret, tokens.UNSUBSCRIBE, "daily", "ana@example.org")

    def suppressions():
        with State(state_path(settings)) as state:
            return [(s.email, s.audience, s.reason) for s in suppression.listing(state)]

    browser = chromium(tmp_path)
    try:
        with Served(settings) as served:
            url = served.local(f"https://news.example.test/digest/unsubscribe/{token}")
            # no script needed: scripts off for this origin
            browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
            browser.get(url)
            assert browser.title == "Se désabonner · La <b>Gazette</b>"
            assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr"
            header = browser.find_element(By.TAG_NAME, "header")
            assert header.text == "La <b>Gazette</b>"  # shown as text, not markup
            assert browser.find_elements(By.CSS_SELECTOR, "header b") == []
            assert browser.find_elements(By.TAG_NAME, "script") == []
            assert header.value_of_css_property("background-color") == "rgba(122, 31, 31, 1)"
            browser.refresh()  # opening it again, as scanners do, changes nothing
            assert suppressions() == []

            browser.find_element(By.ID, "confirm").click()
            wait_for_heading(browser, "Vous êtes désabonné")
            assert suppressions() == [("ana@example.org", "daily", "unsubscribed")]

            browser.find_element(By.ID, "confirm").click()  # the undo button
            wait_for_heading(browser, "Vous êtes de nouveau abonné")
            assert suppressions() == []
    finally:
        browser.quit()
