"""Benchmark: "next card + answer" for a big collection, against Anki's own scheduler.

Usage: .venv/bin/python bench/review.py [ANSWERS [REVIEWS_PER_DAY]]   (default: 300 500)
       .venv/bin/python bench/review.py --profile service|http [ANSWERS]

With --profile, only quizapp is set up: the statements of one answer are listed,
then ANSWERS answers of that variant run under cProfile (no ratios, no targets).

Setup, on SQLite files in a temporary folder:

- quizapp: one user with 20,000 cards (18,000 in review, about 4,000 of them
  due today, 2,000 new) and 200,000 review logs spread over the past year;
- Anki (the `anki` package): a 20,000-card collection, 18,000 cards moved to
  review the same way.

Both use the same daily limits (500 reviews, 20 new): 20 warm-up answers plus
ANSWERS (at most 480) fit in one day's queue on both sides. The variants run in
interleaved rounds (one answer each per round) so that a busy machine slows
them alike.

Measured per answer, ANSWERS times each (p50 and p99):

- Anki: `col.sched.get_queued_cards()` + `col.sched.answer_card(...)`;
- service: load the user (the app's Flask-Login loader, by session token, as every
  request does) + `study.next_card` + `study.answer` + commit, through the service layer
  on the request's connection (`database.get_connection`), as the views run them;
- HTTP: GET /study/review + POST /study/answer through the Flask test client
  (login session, CSRF on, templates rendered, redirect not followed). The cards here
  are self-graded: their page brings the answer side, which the browser shows without
  a request, so these two requests are a whole card for a user with JavaScript;
- HTTP with reveal: the same plus the POST /study/reveal in between, the path without
  JavaScript and that of typed and multiple-choice answers (reported, no target);
- floor: a bare Flask app's GET + form POST through the same test client, no database
  (reported, no target): the part of the HTTP figure that is the instrument itself.

Then, no target: the same user's progress page and deck overview (GET, p50 of 9),
against a bare Flask GET in the same rounds.

Targets: service p50 <= 2x Anki p50; HTTP p50 <= 4x Anki p50.
"""

from __future__ import annotations

import gc
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this checkout's quizapp

from sqlalchemy import insert, select  # noqa: E402

import quizapp.data.models  # noqa: E402, F401  (registers the tables)
from quizapp import create_app, database  # noqa: E402
from quizapp.core.compiler.render import Renderer  # noqa: E402
from quizapp.core.questions import Question as CompiledQuestion  # noqa: E402
from quizapp.core.questions import QuestionKind  # noqa: E402
from quizapp.core.scheduler import Rating  # noqa: E402
from quizapp.core.scheduler.days import day_of  # noqa: E402
from quizapp.data.base import Base, epoch_days  # noqa: E402
from quizapp.data.models import Bank, CardState, Question, ReviewLog, User  # noqa: E402
from quizapp.extensions import _load_user  # noqa: E402
from quizapp.services import study, study_days  # noqa: E402
from quizapp.services.accounts import create_user  # noqa: E402
from quizapp.services.build import question_row  # noqa: E402

CARDS = 20_000
REVIEW_CARDS = 18_000
LOGS_PER_CARD = 11  # 18,000 x 11 + 2,000 extra = 200,000 review logs
EXTRA_LOG_CARDS = 2_000
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
PASSWORD = "benchmark password 1"
EMAIL = "bench@example.com"
# The same daily limits on both sides: Anki's default 20 new cards, and 500
# reviews (instead of 200) so that the 320 answers fit in one day's queue.
REVIEWS_PER_DAY = 500
NEW_PER_DAY = 20
CLOCK = {"now": NOW}  # one clock for every variant: round i happens at NOW + i seconds
ANKI = "Anki get_queued_cards + answer_card"
SERVICE = "service next_card + answer + commit"
HTTP = "HTTP GET review + POST answer"
HTTP_REVEAL = "HTTP with reveal (3 requests)"
HTTP_FLOOR = "floor: bare Flask GET + POST"


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def summary(samples: list[float]) -> tuple[float, float]:
    return statistics.median(samples) * 1000, percentile(samples, 0.99) * 1000


# -- quizapp data --------------------------------------------------------------------


def build_app(folder: Path) -> object:
    folder.mkdir(exist_ok=True)
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}",
            "SECRET_KEY": "bench",
            "RATELIMIT_ENABLED": False,
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1",
            "CONTENT_DIR": str(folder),
        }
    )
    with app.app_context():
        Base.metadata.create_all(database.get_engine())
    return app


def fill(app: object, rng: random.Random) -> int:
    with app.app_context():  # type: ignore[attr-defined]
        session = database.get_session()
        user = create_user(
            session,
            email=EMAIL,
            display_name="Bench",
            password=PASSWORD,
            now=NOW - timedelta(days=400),
            hash_method="pbkdf2:sha256:1",
        )
        user.reviews_per_day, user.new_per_day = REVIEWS_PER_DAY, NEW_PER_DAY
        bank = Bank(slug="bench", title="Bench")
        session.add(bank)
        session.flush()
        built = NOW - timedelta(days=400)
        renderer = Renderer()  # rows as the content build writes them, HTML included
        session.execute(
            insert(Question),
            [
                {
                    **question_row(
                        CompiledQuestion(
                            id=f"bench/q{i}",
                            bank="bench",
                            kind=QuestionKind.TERM_DEFINITION,
                            prompt=f"What is **concept {i}**? Answer in one or two sentences.",
                            answer=f"Concept {i} is the thing that does `item {i}` in the kernel.",
                            entry_slug=f"entry-{i // 4}",
                            category=f"cat{i % 10}",
                        ),
                        bank.id,
                        renderer,
                    ),
                    "created_at": built,
                    "updated_at": built,
                }
                for i in range(CARDS)
            ],
        )
        cards, logs = [], []
        zone = ZoneInfo(user.timezone)
        for i in range(CARDS):
            if i < REVIEW_CARDS:
                interval = rng.randint(1, 200)
                last = NOW - timedelta(days=rng.randint(0, interval), hours=rng.random() * 24)
                due = last + timedelta(days=interval)
                stability = float(interval)
                state = {"state": "review", "step": None, "stability": stability,
                         "difficulty": 5.0, "last_review": last, "due": due,
                         "reps": LOGS_PER_CARD}  # fmt: skip
            else:
                due = built + timedelta(microseconds=i)
                state = {"state": "new", "step": None, "stability": None, "difficulty": None,
                         "last_review": None, "due": due, "reps": 0}  # fmt: skip
            cards.append(
                {
                    "user_id": user.id,
                    "question_id": f"bench/q{i}",
                    "lapses": 0,
                    "suspended": False,
                    "leech": False,
                    "created_at": built,
                    "category": f"cat{i % 10}",
                    "last_review_days": epoch_days(last) if i < REVIEW_CARDS else None,
                    **state,
                }  # fmt: skip
            )
            if i < REVIEW_CARDS:
                count = LOGS_PER_CARD + (1 if i < EXTRA_LOG_CARDS else 0)
                for j in range(count):
                    at = NOW - timedelta(days=365 * (j + 1) / (count + 1), minutes=i % 997)
                    logs.append(
                        {
                            "user_id": user.id,
                            "question_id": f"bench/q{i}",
                            "rating": 3,
                            "phase": "review" if j else "new",
                            "reviewed_at": at,
                            "study_day": day_of(at, zone, user.day_rollover_hour),
                            "duration_ms": 5000,
                            "state_before": {},
                            "state_after": {},
                            "typed_answer": None,
                            "correct": None,
                            "answer_token": None,
                            "undone": False,
                        }  # fmt: skip
                    )
        session.execute(insert(CardState), cards)
        for start in range(0, len(logs), 20_000):
            session.execute(insert(ReviewLog), logs[start : start + 20_000])
        study_days.rebuild(session, [user.id])
        session.commit()
        session.execute(select(1))
        database.get_engine().dispose()
        return user.id


def queue_counts(app: object, user_id: int) -> tuple[int, int, int]:
    with app.app_context():  # type: ignore[attr-defined]
        session = database.get_session()
        user = session.get(User, user_id)
        assert user is not None
        counts = study.queue_status(session, user, NOW).counts
        return counts.new, counts.learning, counts.review


def ensure_log_count(app: object) -> int:
    from sqlalchemy import func

    with app.app_context():  # type: ignore[attr-defined]
        return database.get_session().scalar(select(func.count(ReviewLog.id))) or 0


# -- measurements --------------------------------------------------------------------


def measure(
    steps: dict[str, Callable[[int], None]], answers: int, warmup: int = 20
) -> dict[str, list[float]]:
    """Run the variants in interleaved rounds, so a busy machine slows them all alike."""
    for i in range(warmup):
        for step in steps.values():
            step(i)
    samples: dict[str, list[float]] = {name: [] for name in steps}
    gc.collect()
    gc.disable()
    try:
        for i in range(warmup, warmup + answers):
            for name, step in steps.items():
                start = time.perf_counter()
                step(i)
                samples[name].append(time.perf_counter() - start)
    finally:
        gc.enable()
    return samples


def service_steps(app: object, user_id: int) -> Callable[[int], None]:
    with app.app_context():  # type: ignore[attr-defined]
        user = database.get_session().get(User, user_id)
        assert user is not None
        session_token = user.session_token

    def step(i: int) -> None:
        now = CLOCK["now"] = NOW + timedelta(seconds=i)
        with app.app_context():  # type: ignore[attr-defined]
            # As a request does it: the user by session token (Flask-Login's loader), then
            # the review loop, all on the request's connection.
            user = _load_user(session_token)
            assert user is not None
            connection = database.get_connection()
            shown = study.next_card(connection, user, now)
            assert shown.card is not None
            study.answer(
                connection,
                user,
                card_state_id=shown.card.card_state_id,
                rating=Rating.GOOD,
                token=shown.card.token,
                shown_reps=shown.card.shown_reps,
                now=now,
            )
            connection.commit()

    return step


FIELD = re.compile(r'name="(card|token|reps|shown_at|csrf_token)" value="([^"]*)"')


def signed_in_client(app: object) -> Any:
    client = app.test_client()  # type: ignore[attr-defined]
    app.config["CLOCK"] = lambda: CLOCK["now"]  # type: ignore[attr-defined]
    login = client.get("/login").get_data(as_text=True)
    meta = re.search(r'<meta name="csrf-token" content="([^"]+)"', login)
    token = meta.group(1) if meta else ""
    response = client.post(
        "/login", data={"email": EMAIL, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302, response.status_code
    return client


def http_steps(app: object, reveal: bool) -> Callable[[int], None]:
    client = signed_in_client(app)

    def step(i: int) -> None:
        CLOCK["now"] = NOW + timedelta(seconds=i)
        page = client.get("/study/review")
        assert page.status_code == 200
        fields = dict(FIELD.findall(page.get_data(as_text=True)))
        if reveal:
            answer_side = client.post("/study/reveal", data=fields)
            assert answer_side.status_code == 200
        done = client.post("/study/answer", data={**fields, "rating": "3"})
        assert done.status_code == 302 and done.headers["Location"].endswith("/study/review")

    return step


def floor_app() -> Any:
    """A bare Flask app: a page the size of the review screen, a form POST answered
    with a redirect."""
    from flask import Flask, redirect, request

    app = Flask("floor")
    page = "<p>" + "x" * 7000 + "</p>"  # the review screen is about 7 kB

    @app.get("/review")
    def review() -> str:
        return page

    @app.post("/answer")
    def answer() -> object:
        request.form.get("rating")
        return redirect("/review")

    return app


def floor_steps() -> Callable[[int], None]:
    """What the test client and Flask cost with no app at all."""
    client = floor_app().test_client()
    fields = {"csrf_token": "x" * 90, "card": "1", "token": "x" * 24, "reps": "1",
              "shown_at": "1", "rating": "3"}  # fmt: skip

    def step(_i: int) -> None:
        assert client.get("/review").status_code == 200
        assert client.post("/answer", data=fields).status_code == 302

    return step


def anki_steps(folder: Path, rng: random.Random) -> Callable[[int], None]:
    import anki.collection  # noqa: F401  (anki.cards needs it loaded first)
    from anki.cards import Card
    from anki.collection import AddNoteRequest, Collection
    from anki.scheduler.v3 import CardAnswer

    col = Collection(str(folder / "anki" / "collection.anki2"))
    model = col.models.by_name("Basic")
    assert model is not None
    deck_id = col.decks.id("Bench")
    requests = []
    for i in range(CARDS):
        note = col.new_note(model)
        note["Front"] = f"What is <b>concept {i}</b>? Answer in one or two sentences."
        note["Back"] = f"Concept {i} is the thing that does <code>item {i}</code> in the kernel."
        requests.append(AddNoteRequest(note=note, deck_id=deck_id))
    col.add_notes(requests)
    today = col.sched.today
    rows = []
    for card_id in col.db.list("select id from cards order by id")[:REVIEW_CARDS]:
        interval = rng.randint(1, 200)
        rows.append((interval, today + rng.randint(-interval // 4, interval), card_id))
    col.db.executemany(
        "update cards set type=2, queue=2, ivl=?, due=?, factor=2500, reps=10 where id=?", rows
    )
    config = col.decks.config_dict_for_deck_id(deck_id)
    config["rev"]["perDay"], config["new"]["perDay"] = REVIEWS_PER_DAY, NEW_PER_DAY
    col.decks.update_config(config)
    col.decks.select(deck_id)
    assert col.card_count() == CARDS, col.card_count()
    due = col.db.scalar("select count() from cards where queue=2 and due<=?", today)
    print(
        f"Anki: {col.card_count()} cards, {due} due; queue counts (new, learning, due) {col.sched.counts()}"
    )

    def step(_i: int) -> None:
        queued = col.sched.get_queued_cards()
        if not queued.cards:
            raise RuntimeError(
                f"Anki's queue is empty: deck {col.decks.current()['name']!r}, "
                f"{col.card_count()} cards, counts {col.sched.counts()}, today {col.sched.today}, "
                f"{col.db.scalar('select count() from cards where queue=2 and due<=?', col.sched.today)} due"
            )
        top = queued.cards[0]
        card = Card(col, backend_card=top.card)
        card.start_timer()
        col.sched.answer_card(
            col.sched.build_answer(card=card, states=top.states, rating=CardAnswer.GOOD)
        )

    return step


def profile(variant: str, answers: int) -> int:
    """Where one variant's time goes: its SQL statements, then cProfile's top entries."""
    import cProfile
    import pstats

    from sqlalchemy import event

    most = (REVIEWS_PER_DAY - 21) // 2  # ANSWERS run twice (timed, then profiled) after 21
    if answers > most:
        print(f"--profile runs at most {most} answers: more do not fit in one day's queue")
        return 2

    with tempfile.TemporaryDirectory() as tmp:
        app = build_app(Path(tmp) / "service")
        user_id = fill(app, random.Random(20261126))
        step = service_steps(app, user_id) if variant == "service" else http_steps(app, False)
        statements: list[str] = []
        with app.app_context():  # type: ignore[attr-defined]
            engine = database.get_engine()

        def record(statement: str) -> None:
            if not statement.startswith(("BEGIN", "COMMIT", "ROLLBACK")):
                statements.append(" ".join(statement.split())[:110])

        # SQLite's own trace, from checkout to checkin: it also sees the statements
        # that run on the DBAPI cursor (quizapp.data.prepared).
        def trace(dbapi_connection: Any, *_args: object) -> None:
            dbapi_connection.set_trace_callback(record)

        def untrace(dbapi_connection: Any, *_args: object) -> None:
            dbapi_connection.set_trace_callback(None)

        for i in range(20):
            step(i)
        event.listen(engine, "checkout", trace)
        event.listen(engine, "checkin", untrace)
        step(20)
        event.remove(engine, "checkout", trace)
        event.remove(engine, "checkin", untrace)
        print(f"{variant}: {len(statements)} statements per answer")
        for statement in statements:
            print("  ", statement)
        started = time.perf_counter()
        for i in range(21, 21 + answers):
            step(i)
        print(f"{(time.perf_counter() - started) / answers * 1000:.2f} ms per answer (unprofiled)")
        profiler = cProfile.Profile()
        profiler.enable()
        for i in range(21 + answers, 21 + 2 * answers):
            step(i)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(50)
    return 0


def main() -> int:
    global REVIEWS_PER_DAY
    if len(sys.argv) > 2 and sys.argv[1] == "--profile":
        return profile(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 200)
    answers = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    if len(sys.argv) > 2:
        REVIEWS_PER_DAY = int(sys.argv[2])
    print(f"daily limits on both sides: {REVIEWS_PER_DAY} reviews, {NEW_PER_DAY} new")
    rng = random.Random(20261126)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "anki").mkdir()
        started = time.perf_counter()
        anki = anki_steps(folder, random.Random(20261126))
        print(f"setup: Anki {CARDS} cards ({time.perf_counter() - started:.1f}s)")
        started = time.perf_counter()
        app = build_app(folder / "service")
        user_id = fill(app, rng)
        print(
            f"setup: quizapp {CARDS} cards, {ensure_log_count(app)} review logs "
            f"({time.perf_counter() - started:.1f}s)"
        )
        print(f"quizapp: queue counts (new, learning, due) {queue_counts(app, user_id)}")
        # Each variant studies its own copy of the same database.
        for name in ("http", "reveal"):
            (folder / name).mkdir()
            shutil.copy(folder / "service" / "bench.sqlite3", folder / name / "bench.sqlite3")
        results = measure(
            {
                ANKI: anki,
                SERVICE: service_steps(app, user_id),
                HTTP: http_steps(build_app(folder / "http"), reveal=False),
                HTTP_REVEAL: http_steps(build_app(folder / "reveal"), reveal=True),
                HTTP_FLOOR: floor_steps(),
            },
            answers,
        )
        pages = page_times(build_app(folder / "http"))
    print(f"\n{answers} answers each (after 20 warm-up answers, interleaved); times in ms")
    print(f"{'':40} {'p50':>8} {'p99':>8} {'p50 / Anki':>11}")
    anki_p50 = summary(results[ANKI])[0]
    ratios = {}
    for name, samples in results.items():
        p50, p99 = summary(samples)
        ratios[name] = p50 / anki_p50
        print(f"{name:40} {p50:8.2f} {p99:8.2f} {ratios[name]:10.2f}x")
    service_ok = ratios[SERVICE] <= 2.0
    http_ok = ratios[HTTP] <= 4.0
    print(f"\ntarget service p50 <= 2x Anki: {'met' if service_ok else 'NOT met'}")
    print(f"target HTTP p50 <= 4x Anki:    {'met' if http_ok else 'NOT met'}")
    print("", *pages, sep="\n")
    return 0 if service_ok and http_ok else 1


PAGES = {"progress page": "/progress/", "deck overview": "/study/"}


def page_times(app: object, runs: int = 9) -> list[str]:
    """The heavy pages of the same user (no target): GET through the test client, p50
    of `runs`, against a bare Flask GET of the review screen's size in the same rounds."""
    client, floor = signed_in_client(app), floor_app().test_client()
    samples: dict[str, list[float]] = {name: [] for name in (*PAGES, "floor")}
    for _ in range(runs + 1):  # the first round warms up
        for name, path in (*PAGES.items(), ("floor", "/review")):
            start = time.perf_counter()
            assert (client if name != "floor" else floor).get(path).status_code == 200
            samples[name].append(time.perf_counter() - start)
    floor_p50 = statistics.median(samples["floor"][1:])
    lines = [f"pages of the same user, GET p50 over {runs} rounds (no target)"]
    for name in PAGES:
        p50 = statistics.median(samples[name][1:])
        lines.append(f"{name:40} {p50 * 1000:8.2f} ms {p50 / floor_p50:10.1f}x a bare Flask GET")
    return lines


if __name__ == "__main__":
    os.environ.setdefault("QUIZAPP_ENV", "development")
    sys.exit(main())
