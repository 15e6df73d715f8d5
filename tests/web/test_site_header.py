"""The site header is rendered once per look and reused: each visitor still gets their own."""

from __future__ import annotations

import re

from flask import Flask

from quizapp import database
from quizapp.data.models import Role
from tests.factories import make_user
from tests.web.test_mentor_authz import login

LOGOUT_TOKEN = re.compile(
    r'action="/logout" class="inline">\s*<input type="hidden" name="csrf_token" value="([^"]+)"'
)
META_TOKEN = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def _header(page: str) -> str:
    return page[page.index('<header class="site-header">') : page.index("</header>")]


def test_each_visitor_gets_their_own_header_while_headers_are_reused(app: Flask) -> None:
    with app.app_context():
        session = database.get_session()
        make_user(session, "mentor@example.com", role=Role.MENTOR)
        make_user(session, "casey@example.com")
        make_user(session, "alex@example.com")
        session.commit()
    mentor, casey, alex, visitor = (app.test_client() for _ in range(4))
    login(mentor, "mentor@example.com")
    login(casey, "casey@example.com")
    login(alex, "alex@example.com")

    for _ in range(2):  # the second round is served from the kept headers
        pages = {
            name: client.get(path).get_data(as_text=True)
            for name, client, path in (
                ("mentor", mentor, "/study/"),
                ("casey", casey, "/study/"),
                ("casey-kb", casey, "/kb/"),
                ("alex", alex, "/study/"),
                ("visitor", visitor, "/kb/"),
            )
        }
        headers = {name: _header(page) for name, page in pages.items()}
        # The logout form carries the session's own token, the one the page's meta tag has.
        for name in ("mentor", "casey", "casey-kb", "alex"):
            logout = LOGOUT_TOKEN.search(headers[name])
            meta = META_TOKEN.search(pages[name])
            assert logout and meta and logout[1] == meta[1], name
        tokens = {name: LOGOUT_TOKEN.search(headers[name])[1] for name in ("casey", "alex")}  # type: ignore[index]
        assert tokens["casey"] != tokens["alex"]  # two candidates: same look, own tokens
        # Links follow the role, and the current section is marked.
        assert ">Cohorts<" in headers["mentor"] and ">Cohorts<" not in headers["casey"]
        assert 'href="/study/" aria-current="page"' in headers["casey"]
        assert 'href="/kb/" aria-current="page"' in headers["casey-kb"]
        assert "aria-current" not in headers["casey-kb"].split('href="/study/"')[1][:30]
        # Nobody signed in: no logout form, login links instead.
        assert "Log out" not in headers["visitor"] and ">Log in<" in headers["visitor"]

    assert len(app.extensions["quizapp.site_headers"]) == 5


def test_logging_out_and_back_in_gets_a_new_token_in_the_header(app: Flask) -> None:
    with app.app_context():
        make_user(database.get_session(), "casey@example.com")
        database.get_session().commit()
    client = app.test_client()
    login(client, "casey@example.com")
    before = LOGOUT_TOKEN.search(client.get("/study/").get_data(as_text=True))
    client.post("/logout")
    login(client, "casey@example.com")
    page = client.get("/study/").get_data(as_text=True)
    after, meta = LOGOUT_TOKEN.search(page), META_TOKEN.search(page)
    assert before and after and meta
    assert after[1] == meta[1] != before[1]
