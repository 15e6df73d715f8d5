"""The mentor and cohort pages, end to end through the real forms."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from quizapp import database
from quizapp.data.models import Invitation, Role
from tests.factories import T0, make_user
from tests.mentor_factories import make_card, make_question, make_review
from tests.web.test_mentor_authz import login

NOW = T0 + timedelta(days=10)


def setup_people(app: Flask) -> None:
    app.config["CLOCK"] = lambda: NOW
    with app.app_context():
        session = database.get_session()
        make_user(session, "mentor@example.com", display_name="Morgan Mentor", role=Role.MENTOR)
        casey = make_user(session, "casey@example.com", display_name="Casey Candidate")
        for i in range(6):
            prompt = "> **Prompt** of `mem4`:\n\n```bash\nfree   -h\n```" if i == 4 else None
            q = make_question(session, f"mem{i}", category="memory", prompt=prompt)
            make_card(session, casey, q, stability=0.5, last_review=NOW - timedelta(days=9),
                      due=NOW - timedelta(days=2), lapses=i)  # fmt: skip
            make_review(session, casey, q, NOW - timedelta(days=1), rating=1 if i < 2 else 3)
        session.commit()


def invite(client: FlaskClient) -> tuple[int, str]:
    response = client.post("/mentor/cohorts", data={"name": "Autumn SREs", "inactive_days": "4"})
    assert response.status_code == 302
    cohort_id = int(
        re.search(r"/mentor/cohorts/(\d+)/invitations", response.headers["Location"])[1]
    )  # type: ignore[index]
    assert (
        client.post(f"/mentor/cohorts/{cohort_id}/invitations", data={"days": "7"}).status_code
        == 302
    )
    page = client.get(f"/mentor/cohorts/{cohort_id}/invitations").data.decode()
    link = re.search(r'value="http://localhost/join/([A-Z0-9]{10})"', page)
    assert link is not None, page
    return cohort_id, link[1]


def test_invite_accept_dashboard_drilldown_csv_and_leave(app: Flask, client: FlaskClient) -> None:
    setup_people(app)
    login(client, "mentor@example.com")
    assert b"Cohorts" in client.get("/").data  # the nav link shows for mentors
    cohort_id, code = invite(client)
    page = client.get(f"/mentor/cohorts/{cohort_id}").data.decode()
    assert "Nobody has joined yet" in page
    client.post("/logout")

    login(client, "casey@example.com")
    # Typing the code (lower case, with a dash) leads to the same invitation page.
    typed = f"{code[:5].lower()}-{code[5:].lower()}"
    response = client.post("/cohorts/code", data={"code": typed})
    assert response.headers["Location"].endswith(f"/join/{code}")
    page = client.get(f"/join/{code}").data.decode()
    assert "Morgan Mentor" in page and "mentor@example.com" in page
    assert "Autumn SREs" in page and "What they will see" in page
    assert "mastery per category" in page
    assert client.post(f"/join/{code}").status_code == 302
    assert "Autumn SREs" in client.get("/cohorts").data.decode()
    client.post("/logout")

    login(client, "mentor@example.com")
    page = client.get(f"/mentor/cohorts/{cohort_id}").data.decode()
    assert "Casey Candidate" in page
    assert "style=" not in page  # CSP: classes only
    assert re.search(r">\s*6\s*<", page)  # backlog of 6 overdue cards
    # The copyable summary: six cards, stability half a day, last reviewed 9 days ago:
    # recall (1 + FACTOR * 9 / 0.5) ** DECAY = 64% each, all of the selection studied.
    assert "Mastery 64%, 6 of 6 questions studied. Weakest Memory (64%)." in page
    user_id = int(re.search(rf"/mentor/cohorts/{cohort_id}/candidates/(\d+)", page)[1])  # type: ignore[index]
    sorted_page = client.get(f"/mentor/cohorts/{cohort_id}?sort=backlog&dir=desc").data.decode()
    assert 'aria-current="true"' in sorted_page

    detail = client.get(f"/mentor/cohorts/{cohort_id}/candidates/{user_id}")
    assert detail.status_code == 200
    body = detail.data.decode()
    assert '<svg class="chart heatmap"' in body and '<svg class="chart lines"' in body
    assert "Prompt of mem5" in body  # most-failed (5 lapses) is listed
    assert body.index("Prompt of mem5") < body.index("Prompt of mem1")
    assert "Prompt of mem4: free -h" in body  # Markdown shown as plain text
    assert "**" not in body and "```" not in body and "&gt; " not in body
    assert "style=" not in body

    export = client.get(f"/mentor/cohorts/{cohort_id}/export.csv")
    assert export.mimetype == "text/csv"
    assert "attachment" in export.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(export.data.decode())))
    assert [(r["name"], r["backlog"], r["reviews_7d"]) for r in rows] == [
        ("Casey Candidate", "6", "6")
    ]
    client.post("/logout")

    login(client, "casey@example.com")
    assert client.post(f"/cohorts/{cohort_id}/leave").status_code == 302
    client.post("/logout")
    login(client, "mentor@example.com")
    assert client.get(f"/mentor/cohorts/{cohort_id}/candidates/{user_id}").status_code == 404
    assert b"Casey" not in client.get(f"/mentor/cohorts/{cohort_id}").data
    assert b"Casey" not in client.get(f"/mentor/cohorts/{cohort_id}/export.csv").data


def test_revoked_and_expired_codes_stop_working(app: Flask, client: FlaskClient) -> None:
    setup_people(app)
    login(client, "mentor@example.com")
    cohort_id, code = invite(client)
    with app.app_context():
        invitation_id = database.get_session().scalar(
            select(Invitation.id).where(Invitation.code == code)
        )
    response = client.post(f"/mentor/cohorts/{cohort_id}/invitations/{invitation_id}/revoke")
    assert response.status_code == 302
    assert "revoked" in client.get(f"/mentor/cohorts/{cohort_id}/invitations").data.decode()
    _, fresh = invite(client)
    client.post("/logout")
    login(client, "casey@example.com")
    assert client.get(f"/join/{code}").status_code == 404
    app.config["CLOCK"] = lambda: NOW + timedelta(days=8)  # past the 7-day expiry
    assert client.get(f"/join/{fresh}").status_code == 404


def test_form_errors_name_the_field(app: Flask, client: FlaskClient) -> None:
    setup_people(app)
    login(client, "mentor@example.com")
    response = client.post("/mentor/cohorts", data={"name": "", "inactive_days": "0"})
    assert response.status_code == 400
    assert b"has-error" in response.data
    cohort_id, _ = invite(client)
    response = client.post(f"/mentor/cohorts/{cohort_id}/invitations", data={"days": "1000"})
    assert response.status_code == 400 and b"has-error" in response.data
    client.post("/logout")
    login(client, "casey@example.com")
    response = client.post("/cohorts/code", data={"code": "nope"})
    assert response.status_code == 400 and b"not an invitation code" in response.data


def test_admin_may_use_mentor_pages(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        make_user(database.get_session(), "admin@example.com", role=Role.ADMIN)
        database.get_session().commit()
    login(client, "admin@example.com")
    assert client.get("/mentor/").status_code == 200
