from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from quizapp import database
from quizapp.services.build import build_content

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "content"


@pytest.fixture
def built(app: Flask) -> Flask:
    with app.app_context():
        session = database.get_session()
        report = build_content(session, FIXTURES / "minimal", now=datetime(2026, 1, 5, tzinfo=UTC))
        assert report.written
        session.commit()
    return app


def test_index_lists_categories_and_entries_a_to_z(built: Flask, client: FlaskClient) -> None:
    html = client.get("/kb/").get_data(as_text=True)
    assert "Processes &amp; resources" in html and "Memory" in html
    titles = ["cgroups (v2)", "OOM killer", "Process and PID", "Signals", "ss — socket statistics"]
    positions = [html.index(f">{t}</a>") for t in titles]
    assert positions == sorted(positions)


@pytest.mark.parametrize(
    ("query", "expected", "absent"),
    [
        ("out-of-memory", "OOM killer", "Signals"),  # alias
        ("asynchronous", "Signals", "OOM killer"),  # summary
        ("PROCESS pid", "Process and PID", "cgroups (v2)"),  # title, any case, every word
    ],
)
def test_search_works_without_javascript(
    built: Flask, client: FlaskClient, query: str, expected: str, absent: str
) -> None:
    html = client.get("/kb/", query_string={"q": query}).get_data(as_text=True)
    assert f">{expected}</a>" in html
    assert f">{absent}</a>" not in html


def test_search_with_odd_input_never_fails(built: Flask, client: FlaskClient) -> None:
    for query in ["%", "' OR 1=1 --", "<script>", "x" * 5000]:
        response = client.get("/kb/", query_string={"q": query})
        assert response.status_code == 200
        assert "<script>" not in response.get_data(as_text=True).split("</header>", 1)[1]
    response = client.get("/kb/", query_string={"q": "\x00"})  # PostgreSQL refuses NUL
    assert response.status_code == 400
    assert "invalid character" in response.get_data(as_text=True)


def test_entry_page_has_everything_the_seed_shows(built: Flask, client: FlaskClient) -> None:
    response = client.get("/kb/oom-killer")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'href="/kb/category/processes">Processes &amp; resources</a>' in html  # breadcrumb
    assert "<code>kb/processes</code>" in html and ">advanced</span>" in html
    assert "<h1>OOM killer</h1>" in html
    assert "picks and kills a process when memory runs out" in html  # summary
    assert '<span class="kb-chip">out-of-memory killer</span>' in html  # aka
    assert '<h2 id="when-it-fires">When it fires</h2>' in html  # sections
    assert '<div class="codeblock">' in html and 'codeblock-lang">bash<' in html
    assert 'class="codehilite"' in html  # highlighted
    assert '<p class="code-note">' in html
    assert 'class="admonition warning"' in html
    assert (
        '<code data-copy="echo -500 | sudo tee /proc/&lt;pid&gt;/oom_score_adj" '
        'title="echo -500 | sudo tee /proc/{{pid}}/oom_score_adj">'
        "echo -500 | sudo tee /proc/&lt;pid&gt;/oom_score_adj</code>"
    ) in html
    assert '<div class="table-wrap"><table>' in html  # tables in the body scroll
    assert "lower the chance that a process is chosen" in html  # command description
    assert '<span class="cloze">1000</span>' in html and "{{c" not in html
    assert '<details class="interview" id="victim-choice">' in html
    # see also, with each linked entry's summary
    assert 'href="/kb/signals"' in html and "asynchronous notification" in html
    # mentioned in lessons
    assert 'href="/kb/lessons/advanced-02-cgroups-v2"' in html
    assert "Advanced 2: cgroups v2 in practice" in html
    assert 'href="/kb/oom-killer.md">View as Markdown' in html
    assert "js/kb.js" in html and "css/kb.css" in html


def test_entry_page_lists_cheatsheets_for_it(built: Flask, client: FlaskClient) -> None:
    html = client.get("/kb/process-and-pid").get_data(as_text=True)
    assert 'href="/kb/cmd-ss"' in html


def test_view_as_markdown_is_plain_text(built: Flask, client: FlaskClient) -> None:
    response = client.get("/kb/oom-killer.md")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    text = response.get_data(as_text=True)
    assert text.startswith("---\ntitle: OOM killer\n")
    assert "{{c1::0::lowest}}" in text


def test_category_and_lesson_pages(built: Flask, client: FlaskClient) -> None:
    html = client.get("/kb/category/memory").get_data(as_text=True)
    assert ">cgroups (v2)</a>" in html and "OOM killer</a>" not in html
    html = client.get("/kb/lessons/advanced-02-cgroups-v2").get_data(as_text=True)
    assert ">OOM killer</a>" in html


@pytest.mark.parametrize(
    "url",
    ["/kb/nope", "/kb/nope.md", "/kb/category/nope", "/kb/lessons/nope", "/kb/..%2f..%2fetc"],
)
def test_unknown_pages_are_404(built: Flask, client: FlaskClient, url: str) -> None:
    assert client.get(url).status_code == 404


def test_pages_have_no_inline_script_or_style(built: Flask, client: FlaskClient) -> None:
    for url in ["/kb/", "/kb/oom-killer", "/kb/category/processes"]:
        html = client.get(url).get_data(as_text=True)
        assert "<script>" not in html and " style=" not in html and "<style" not in html
        assert " onclick=" not in html


def test_empty_knowledge_base_renders(client: FlaskClient) -> None:
    response = client.get("/kb/")
    assert response.status_code == 200
    assert "quizapp build" in response.get_data(as_text=True)
