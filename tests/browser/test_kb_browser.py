"""The knowledge base in a real Chromium: copy buttons and live filtering (progressive)."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import make_server

from quizapp import create_app, database
from quizapp.data.base import Base
from quizapp.services.build import build_content

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
MINIMAL = Path(__file__).resolve().parents[1] / "fixtures" / "content" / "minimal"


@pytest.fixture
def kb_server(tmp_path: Path) -> Iterator[str]:
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'kb.sqlite3'}",
            "SECRET_KEY": "kb-browser-secret",
            "RATELIMIT_ENABLED": False,
        }
    )
    with app.app_context():
        Base.metadata.create_all(database.get_engine())
        session = database.get_session()
        assert build_content(session, MINIMAL, now=datetime(2026, 1, 5, tzinfo=UTC)).written
        session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        app.extensions["quizapp.engine"].dispose()


@pytest.fixture
def page(kb_server: str) -> Iterator[Any]:
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (apt-get install -y chromium; .ci/run does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        context = browser.new_context(
            viewport={"width": 390, "height": 844}, color_scheme="dark", base_url=kb_server
        )
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=kb_server)
        tab = context.new_page()
        tab.set_default_timeout(15_000)
        errors: list[str] = []
        tab.on("pageerror", lambda exc: errors.append(str(exc)))
        tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        try:
            yield tab
            assert errors == []
        finally:
            context.close()
            browser.close()


def test_copy_buttons_copy_the_code_and_the_command(page: Any) -> None:
    page.goto("/kb/oom-killer")
    block = page.locator(".codeblock").first
    block.get_by_role("button", name="Copy code").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("cat /proc/<pid>/oom_score")
    assert block.get_by_role("button", name="Copy code").inner_text() == "Copied"
    row = page.locator(".kb-commands tr", has_text="oom_score_adj")
    row.get_by_role("button", name="Copy command").click()
    assert page.evaluate("navigator.clipboard.readText()") == (
        "echo -500 | sudo tee /proc/<pid>/oom_score_adj"
    )


def test_typing_in_the_search_box_filters_the_list(page: Any) -> None:
    page.goto("/kb/")
    entries = page.locator("[data-kb-text]")
    assert entries.count() == 5
    page.fill("#kb-q", "out-of-memory")
    visible = page.locator("[data-kb-text]:visible")
    assert visible.count() == 1 and "OOM killer" in visible.inner_text()
    assert page.locator("[data-kb-count]").inner_text() == "(1)"
    page.fill("#kb-q", "zzzz")
    assert page.locator("[data-kb-text]:visible").count() == 0
    assert page.locator("[data-kb-empty]").is_visible()


def test_interview_answers_fold_open(page: Any) -> None:
    page.goto("/kb/oom-killer")
    answer = page.locator("details#victim-choice p").first
    assert not answer.is_visible()
    page.locator("details#victim-choice summary").click()
    assert answer.is_visible()
