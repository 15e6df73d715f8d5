"""The /sim playground: scenarios, generation, editing, and the report explainer."""

from __future__ import annotations

import re
from pathlib import Path

from flask.testing import FlaskClient

from quizapp import create_app

REPORT = Path(__file__).parents[1] / "core" / "oom" / "reports" / "6.8-dmesg-T-multi.txt"


def _form_fields(html: str) -> dict[str, str]:
    """The named inputs of the playground form, as a browser would submit them."""
    fields: dict[str, str] = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        if not name:
            continue
        value = re.search(r'value="([^"]*)"', tag)
        kind = re.search(r'type="([^"]+)"', tag)
        if kind and kind.group(1) == "checkbox":
            if "checked" in tag:
                fields[name.group(1)] = "y"
            continue
        fields[name.group(1)] = (
            (value.group(1) if value else "")
            .replace("&#34;", '"')
            .replace("&quot;", '"')
            .replace("&amp;", "&")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&#39;", "'")
        )
    for select in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(
            r'<option[^>]*selected[^>]*value="([^"]*)"|<option value="([^"]*)" selected', select[1]
        )
        if chosen:
            fields[select[0]] = chosen.group(1) or chosen.group(2)
    return fields


def test_index_lists_hand_written_scenarios(client: FlaskClient) -> None:
    page = client.get("/sim/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "adj-volunteer" in html
    assert "<script>" not in html and "style=" not in html


def test_scenario_page_shows_victim_and_scores(client: FlaskClient) -> None:
    html = client.get("/sim/scenario/adj-volunteer").get_data(as_text=True)
    assert "Killed:" in html and "<strong>backup</strong> (pid 950)" in html
    assert "2,635,600" in html
    assert 'name="tasks-0-oom_score_adj"' in html


def test_unknown_scenario_is_404(client: FlaskClient) -> None:
    assert client.get("/sim/scenario/nope").status_code == 404


def test_editing_adj_changes_the_victim_without_javascript(client: FlaskClient) -> None:
    html = client.get("/sim/scenario/adj-volunteer").get_data(as_text=True)
    fields = _form_fields(html)
    backup = next(k for k, v in fields.items() if k.endswith("-pid") and v == "950")
    fields[backup.replace("-pid", "-oom_score_adj")] = "0"
    page = client.post("/sim/play", data=fields)
    assert page.status_code == 200, page.get_data(as_text=True)[:2000]
    out = page.get_data(as_text=True)
    assert "<strong>java</strong> (pid 900)" in out


def test_editing_a_limit_and_sysctl(client: FlaskClient) -> None:
    fields = _form_fields(client.get("/sim/scenario/panic-on-oom-memcg").get_data(as_text=True))
    fields["panic_on_oom"] = "2"
    out = client.post("/sim/play", data=fields).get_data(as_text=True)
    assert "compulsory panic_on_oom is enabled" in out


def test_invalid_edits_are_shown_next_to_the_field(client: FlaskClient) -> None:
    fields = _form_fields(client.get("/sim/scenario/adj-volunteer").get_data(as_text=True))
    fields["tasks-3-oom_score_adj"] = "5000"
    fields["ram"] = "12 parsecs"
    page = client.post("/sim/play", data=fields)
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    assert "machine.ram" in html
    assert "Number must be between -1000 and 1000" in html or "outside -1000..1000" in html


def test_generate_redirects_to_a_reproducible_seed(client: FlaskClient) -> None:
    first = client.get("/sim/generate?tier=hard")
    assert first.status_code == 302
    url = first.headers["Location"]
    assert "seed=" in url
    one = client.get(url).get_data(as_text=True)
    two = client.get(url).get_data(as_text=True)
    strip = lambda s: re.sub(r'name="csrf_token"[^>]*', "", s)  # noqa: E731
    assert strip(one) == strip(two)
    assert "Outcome" in one
    assert client.get("/sim/generate?tier=legendary").status_code == 400


def test_explain_a_pasted_report(client: FlaskClient) -> None:
    page = client.post("/sim/explain", data={"report": REPORT.read_text(), "swappiness": "60"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert html.count("badge good") == 2
    assert "rate-limited" in html
    assert "worker thread" in html


def test_explain_with_nothing_pasted_is_a_field_error(client: FlaskClient) -> None:
    page = client.post("/sim/explain", data={"report": ""})
    assert page.status_code == 400
    assert "Paste the output of dmesg" in page.get_data(as_text=True)


def test_explain_get_shows_the_form(client: FlaskClient) -> None:
    assert 'name="report"' in client.get("/sim/explain").get_data(as_text=True)


def test_csrf_is_required_when_enabled(tmp_path: Path) -> None:
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "k",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}",
            "RATELIMIT_ENABLED": False,
        }
    )
    client = app.test_client()
    assert client.post("/sim/explain", data={"report": "x"}).status_code == 400
