"""Register, choose banks, study ten cards with the keyboard only, undo one, see them on
the progress page, log out and in again; and no request leaves the app's origin."""

from __future__ import annotations

import re

import pytest

from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.browser

EMAIL = "keyboard@example.com"


def register(page, url):
    page.goto(url + "/")
    page.get_by_role("link", name="Create account").click()
    page.fill("#email", EMAIL)
    page.fill("#display_name", "Kim Keyboard")
    page.fill("#password", DEFAULT_PASSWORD)
    page.fill("#confirm", DEFAULT_PASSWORD)
    page.locator("form button[type=submit], form input[type=submit]").last.click()
    page.wait_for_load_state()
    assert page.get_by_role("button", name="Log out").count() == 1


def answer_with_keys(page, requests):
    """Answer the card on screen with the keyboard only; returns its card id and whether
    its answer side showed without a request.

    Typed and multiple-choice answers are graded by the server; a self-graded card's
    answer side is already on the page and shows without a request."""
    card = page.locator('form[data-reveal] input[name="card"]').input_value()
    here = not (
        page.locator('input[name="typed"]').count() or page.locator("[data-choice]").count()
    )
    if not here:
        with page.expect_navigation():
            if page.locator('input[name="typed"]').count():
                page.keyboard.type("free -h")  # the answer box has focus
                page.keyboard.press("Enter")
            else:
                page.keyboard.press("1")
    else:
        assert not page.locator("form[data-grade]").is_visible()
        before = len(requests)
        page.keyboard.press("Space")
        assert page.locator("form[data-grade]").is_visible()
        assert not page.locator("form[data-reveal]").is_visible()
        assert page.locator("[data-study]").get_attribute("data-side") == "answer"
        assert len(requests) == before  # shown without asking the server
    assert page.locator("form[data-grade]").count() == 1
    with page.expect_navigation():
        page.keyboard.press("Space")  # Good
    return card, here


def stat(page, name):
    return page.locator(f'[data-stat="{name}"]').inner_text().strip()


def test_study_ten_cards_with_the_keyboard(browser_page, live_server):
    page, url = browser_page, live_server.url
    register(page, url)

    page.goto(url + "/study/")
    page.get_by_label(re.compile(r"^\s*Memory")).first.check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save and start").click()

    seen, shown_here = [], []
    for _ in range(10):
        assert page.locator("[data-study]").get_attribute("data-side") == "question"
        card, here = answer_with_keys(page, live_server.requests)
        seen.append(card)
        shown_here.append(here)
    assert len(set(seen)) == 10
    assert any(shown_here) and not all(shown_here)  # both ways of revealing were used

    # `u` while typing in an answer box is just a letter; outside it, it undoes.
    with page.expect_navigation():
        page.keyboard.press("u")
    assert page.get_by_text("Undone").count() == 1
    again = page.locator('form[data-reveal] input[name="card"]').input_value()
    assert again == seen[-1]
    if page.locator('input[name="typed"]').count():
        page.keyboard.type("u")
        assert page.locator('input[name="typed"]').input_value() == "u"
        page.keyboard.press("Escape")
        page.locator('input[name="typed"]').fill("")
        page.locator('input[name="typed"]').focus()
    answer_with_keys(page, live_server.requests)

    page.keyboard.press("?")
    assert page.locator("[data-keys]").get_attribute("open") is not None

    page.goto(url + "/progress/")
    assert stat(page, "answers-today") == "10"
    assert page.locator("svg.heatmap rect.heat-2").count() == 1

    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state()
    page.goto(url + "/login")
    page.fill("#email", EMAIL)
    page.fill("#password", DEFAULT_PASSWORD)
    page.locator("form button[type=submit], form input[type=submit]").last.click()
    page.wait_for_load_state()
    page.goto(url + "/progress/")
    assert stat(page, "answers-today") == "10"
    assert stat(page, "streak") == "1"

    foreign = [
        u for u in live_server.requests if not u.startswith(url) and not u.startswith("data:")
    ]
    assert foreign == []
    assert any("/static/js/study.js" in u for u in live_server.requests)


def test_every_page_stays_on_its_origin(browser_page, live_server):
    page, url = browser_page, live_server.url
    register(page, url)
    for path in ("/", "/study/", "/study/review", "/progress/", "/kb/", "/login"):
        page.goto(url + path)
    foreign = [
        u for u in live_server.requests if not u.startswith(url) and not u.startswith("data:")
    ]
    assert foreign == []


def test_basic_flow_works_without_javascript(browser_page, live_server):
    page, url = browser_page, live_server.url
    register(page, url)
    context = page.context.browser.new_context(java_script_enabled=False)
    try:
        context.add_cookies(page.context.cookies())
        plain = context.new_page()
        plain.goto(url + "/study/")
        plain.get_by_label(re.compile(r"^\s*Processes")).first.check()
        plain.get_by_role("button", name="Save and start").click()
        for _ in range(3):
            plain.get_by_role("button", name=re.compile("Show answer")).click()
            plain.get_by_role("button", name=re.compile("Good")).click()
        plain.goto(url + "/progress/")
        assert stat(plain, "answers-today") == "3"
    finally:
        context.close()
