"""Cohort dashboard vs. a `SELECT count(*)` over the same review logs, in one run.

A cohort of 200 candidates with 1,000,000 review logs in total (a year of
study, gaps included), ~300 cards each across 8 categories, simulator
practice and mock interviews. The database is built with the real
migrations, then filled with bulk DBAPI inserts; the per-day answer counts
(`study_days`) are computed from the log by the service's own `rebuild`. The dashboard service
(`quizapp.services.dashboard.cohort_dashboard`) and the baseline run on the
same engine, alternately, and the script prints both medians and the ratio
(target: <= 3x).

    .venv/bin/python bench/dashboard.py               # build a scratch DB, measure, delete it
    .venv/bin/python bench/dashboard.py --db /tmp/d.sqlite3   # keep / reuse the DB
    .venv/bin/python bench/dashboard.py --db /tmp/d.sqlite3 --breakdown  # + per query
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from quizapp import migrate  # noqa: E402
from quizapp.core.scheduler.days import day_of  # noqa: E402
from quizapp.data.base import epoch_days  # noqa: E402
from quizapp.data.engine import make_engine  # noqa: E402
from quizapp.data.models import Cohort  # noqa: E402
from quizapp.services import study_days  # noqa: E402
from quizapp.services.dashboard import cohort_dashboard  # noqa: E402

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
CANDIDATES = 200
LOGS = 1_000_000
QUESTIONS = 400
CARDS_PER_CANDIDATE = 300
CATEGORIES = ("processes", "memory", "networking", "storage", "kernel", "systemd",
              "containers", "kubernetes")  # fmt: skip
TARGET = 3.0


def _ts(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def build(path: Path, seed: int = 1) -> None:
    rng = random.Random(seed)
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    engine.dispose()
    started = time.perf_counter()
    import sqlite3

    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=OFF")
    now_s = _ts(NOW)
    con.execute(
        "INSERT INTO banks (id, slug, title, description, retired) VALUES (1, 'b', 'b', '', 0)"
    )
    con.executemany(
        "INSERT INTO categories (slug, title, description, position) VALUES (?, ?, '', ?)",
        [(c, c.capitalize(), i) for i, c in enumerate(CATEGORIES)],
    )
    questions = []
    for i in range(QUESTIONS):
        kind = "oom_victim" if i % 10 == 0 else "term_definition"
        level = ("beginner", "intermediate", "advanced")[i % 3]
        qid = f"{CATEGORIES[i % 8]}/entry-{i // 8:03d}/{kind}/k{i}"
        questions.append((qid, 1, kind, f"prompt {i}", "answer", "", "{}", None,
                          CATEGORIES[i % 8], level, "[]", "h", 0, now_s, now_s))  # fmt: skip
    con.executemany(
        "INSERT INTO questions (id, bank_id, kind, prompt, answer, explanation, data, entry_slug,"
        " category, level, tags, content_hash, retired, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        questions,
    )
    users = [(1, "mentor@bench.test", "Mentor", "mentor", "UTC")]
    zones = ("UTC", "Europe/Berlin", "America/New_York", "Asia/Tokyo")
    for u in range(2, CANDIDATES + 2):
        users.append((u, f"c{u}@bench.test", f"Candidate {u:03d}", "candidate", zones[u % 4]))
    con.executemany(
        "INSERT INTO users (id, email, display_name, password_hash, role, session_token, timezone,"
        " day_rollover_hour, created_at, last_active_at, new_per_day, reviews_per_day,"
        " desired_retention, learning_steps, relearning_steps, maximum_interval, leech_threshold,"
        " study_selection, interview_date) VALUES (?, ?, ?, 'x', ?, 't' || ?, ?, 4, ?, NULL, 20,"
        " 200, 0.9, '[60, 600]', '[600]', 36500, 8, '{}', ?)",
        [(u, e, n, r, u, z, now_s, (NOW + timedelta(days=u % 60)).date().isoformat())
         for u, e, n, r, z in users],
    )  # fmt: skip
    con.execute(
        f"INSERT INTO cohorts (id, mentor_id, name, inactive_days, created_at) VALUES (1, 1, 'Bench', 7, '{now_s}')"
    )
    con.executemany(
        "INSERT INTO cohort_members (cohort_id, user_id, joined_at) VALUES (1, ?, ?)",
        [(u, now_s) for u in range(2, CANDIDATES + 2)],
    )
    cards = []
    qids = [q[0] for q in questions]
    category_of = {q[0]: q[8] for q in questions}
    for u in range(2, CANDIDATES + 2):
        for qid in rng.sample(qids, CARDS_PER_CANDIDATE):
            last = NOW - timedelta(days=rng.random() * 90)
            stability = rng.lognormvariate(2.5, 1.0)
            due = last + timedelta(days=max(1.0, stability * rng.uniform(0.6, 1.2)))
            state = "review" if rng.random() < 0.93 else rng.choice(("learning", "relearning"))
            lapses = int(rng.expovariate(1.0))
            cards.append((u, qid, state, stability, rng.uniform(2, 9), _ts(due), _ts(last),
                          epoch_days(last), 10, lapses, int(lapses >= 8), int(lapses >= 8),
                          category_of[qid], now_s))  # fmt: skip
    con.executemany(
        "INSERT INTO card_states (user_id, question_id, state, stability, difficulty, due,"
        " last_review, last_review_days, reps, lapses, suspended, leech, category, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        cards,
    )
    state = json.dumps({"state": "review", "due": "2026-05-01T10:00:00+00:00", "step": None,
                        "stability": 23.41, "difficulty": 5.12,
                        "last_review": "2026-04-10T10:00:00+00:00", "reps": 7, "lapses": 1,
                        "suspended": False, "buried_until": None, "leech": False})  # fmt: skip
    per_user = LOGS // CANDIDATES
    start = NOW - timedelta(days=365)

    def logs():  # type: ignore[no-untyped-def]
        for u in range(2, CANDIDATES + 2):
            # Study on ~80% of days; stopped-studying candidates end early.
            days = [d for d in range(365) if rng.random() < 0.8]
            if u % 10 == 0:
                days = [d for d in days if d < 350]
            user_q = rng.sample(qids, CARDS_PER_CANDIDATE)
            for k in range(per_user):
                day = days[k * len(days) // per_user]
                at = start + timedelta(days=day, seconds=rng.randrange(14 * 3600) + 6 * 3600)
                rating = rng.choices((1, 2, 3, 4), (12, 8, 70, 10))[0]
                phase = (
                    "review"
                    if rng.random() < 0.8
                    else rng.choice(("new", "learning", "relearning"))
                )
                local_day = day_of(at, zones_of[u], 4).isoformat()
                yield (u, rng.choice(user_q), rating, phase, _ts(at), local_day, 5000, state, state,
                       None, None, None, 0)  # fmt: skip

    zones_of = {u: ZoneInfo(z) for u, _e, _n, _r, z in users}
    con.executemany(
        "INSERT INTO review_logs (user_id, question_id, rating, phase, reviewed_at, study_day,"
        " duration_ms, state_before, state_after, typed_answer, correct, answer_token, undone)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        logs(),
    )
    sims = []
    for u in range(2, CANDIDATES + 2):
        for _ in range(20):
            at = NOW - timedelta(days=rng.random() * 200)
            sims.append(
                (u, rng.choice(("easy", "medium", "hard")), int(rng.random() < 0.7), _ts(at))
            )
    con.executemany(
        "INSERT INTO sim_attempts (user_id, tier, correct, created_at) VALUES (?, ?, ?, ?)", sims
    )
    mocks = []
    for u in range(2, CANDIDATES + 2):
        for k in range(5):
            at = NOW - timedelta(days=7 * k + 1)
            mocks.append((u, _ts(at), _ts(at + timedelta(minutes=20)), 1800, rng.random()))
    con.executemany(
        "INSERT INTO mock_interviews (user_id, started_at, finished_at, time_limit_seconds,"
        " categories, question_ids, answers, score, by_category) VALUES (?, ?, ?, ?, '[]', '[]',"
        " '{}', ?, '{}')",
        mocks,
    )
    con.commit()
    con.close()
    engine = make_engine(f"sqlite:///{path}")
    with Session(engine) as session:  # the service's own statement fills the study days
        study_days.rebuild(session)
        session.commit()
    engine.dispose()
    con = sqlite3.connect(path)
    con.execute("ANALYZE")
    con.commit()
    con.close()
    print(f"built {path} in {time.perf_counter() - started:.0f}s", flush=True)


def _median_ms(fn, runs: int) -> tuple[float, list[float]]:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), times


def _statement_times(engine) -> tuple[list[float], list[str]]:  # type: ignore[no-untyped-def]
    """Wall time from one statement's start to the next one's (its fetch and the Python
    that handles its rows included); the caller appends the end of the run."""
    marks: list[float] = []
    names: list[str] = []

    @event.listens_for(engine, "before_cursor_execute")
    def _mark(_conn, _cursor, statement, _params, _context, _many):  # type: ignore[no-untyped-def]
        marks.append(time.perf_counter())
        names.append(" ".join(statement.split())[:70])

    return marks, names


def measure(path: Path, runs: int, breakdown: bool = False) -> float:
    engine = make_engine(f"sqlite:///{path}")
    marks, names = _statement_times(engine) if breakdown else ([], [])
    per_statement: dict[int, list[float]] = {}
    with Session(engine) as session:
        cohort = session.get(Cohort, 1)
        assert cohort is not None
        logs = session.execute(text("SELECT count(*) FROM review_logs")).scalar_one()
        board = cohort_dashboard(session, cohort, now=NOW)  # warm-up (and a sanity check)
        assert len(board.rows) == CANDIDATES, len(board.rows)
        assert sum(r.reviews_30d for r in board.rows) > 0
        print(f"{logs:,} review logs, {len(board.rows)} candidates in the cohort")

        def baseline() -> None:
            session.execute(text("SELECT count(*) FROM review_logs")).scalar_one()

        def dash() -> None:
            marks.clear()
            names.clear()
            cohort_dashboard(session, cohort, now=NOW)
            if breakdown:
                marks.append(time.perf_counter())
                for i in range(len(names)):
                    per_statement.setdefault(i, []).append((marks[i + 1] - marks[i]) * 1000)

        base_all: list[float] = []
        dash_all: list[float] = []
        for _ in range(runs):  # alternate so both see the same machine load
            marks.clear()
            base_all += _median_ms(baseline, 1)[1]
            dash_all += _median_ms(dash, 1)[1]
    engine.dispose()
    base, dash_ms = statistics.median(base_all), statistics.median(dash_all)
    ratio = dash_ms / base
    print(f"baseline SELECT count(*): median {base:.1f} ms (min {min(base_all):.1f})")
    print(f"cohort dashboard:         median {dash_ms:.1f} ms (min {min(dash_all):.1f})")
    for i, times in per_statement.items():
        print(f"  query {i + 1:2d}: median {statistics.median(times):6.1f} ms  {names[i]}")
    print(f"ratio: {ratio:.2f}x (target <= {TARGET:.0f}x) {'OK' if ratio <= TARGET else 'OVER'}")
    return ratio


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="keep the database here (reused if it exists)")
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument(
        "--breakdown", action="store_true", help="also print each dashboard query's median"
    )
    args = parser.parse_args()
    if args.db:
        if not args.db.exists():
            build(args.db)
        measure(args.db, args.runs, args.breakdown)
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.sqlite3"
        build(path)
        measure(path, args.runs, args.breakdown)


if __name__ == "__main__":
    main()
