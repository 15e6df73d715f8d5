"""Browser tests: the app served by werkzeug on 127.0.0.1 in a thread, driven by Chromium.

Uses the machine's Chromium (`apt-get install -y chromium`), never a downloaded
browser. Every request the page makes is recorded, so tests can check that
nothing is fetched from another origin.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from quizapp import create_app, database
from quizapp.data.base import Base
from tests.study_data import small_content

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@dataclass
class Served:
    url: str
    requests: list[str] = field(default_factory=list)


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[Served]:
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'browser.sqlite3'}",
            "SECRET_KEY": "browser-test-secret",
            "RATELIMIT_ENABLED": False,
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        }
    )
    with app.app_context():
        Base.metadata.create_all(database.get_engine())
        session = database.get_session()
        small_content(session)
        session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Served(f"http://127.0.0.1:{server.port}")
    finally:
        server.shutdown()
        thread.join(timeout=5)
        app.extensions["quizapp.engine"].dispose()


@pytest.fixture
def browser_page(live_server: Served) -> Iterator[object]:
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (apt-get install -y chromium; .ci/run does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        context = browser.new_context(viewport={"width": 390, "height": 844})  # a phone
        page = context.new_page()
        page.on("request", lambda request: live_server.requests.append(request.url))
        page.set_default_timeout(15_000)
        try:
            yield page
        finally:
            context.close()
            browser.close()
