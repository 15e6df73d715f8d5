"""Demo data: a mentor, a cohort and candidates with months of study, made by the real scheduler.

Every answer goes through `quizapp.core.scheduler.review_card` (py-fsrs), the
same function the study page uses. What is simulated is the person: on the
days they study, each due card is recalled with probability equal to its FSRS
retrievability at that moment, bent by the candidate's skill in the card's
category (p = R ** (1 / skill)); new cards are recalled at a rate set by
skill. So the logs, card states, dashboards and charts are what the app would
show for such a person, not invented numbers.

Deterministic for a given seed and `now`. Demo accounts use the reserved
`.test` domain and are replaced on every run. Never for production.
"""

from __future__ import annotations

import random
import secrets
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from quizapp.core.errors import ConfigError, UserInputError
from quizapp.core.scheduler import CardSnapshot, Phase, Rating, SchedulerSettings, review_card
from quizapp.core.scheduler.days import day_of
from quizapp.core.scheduler.review import retrievability
from quizapp.data.base import epoch_days
from quizapp.data.models import (
    CardState,
    Cohort,
    CohortMember,
    Invitation,
    MockInterview,
    Question,
    ReviewLog,
    Role,
    SimAttempt,
    User,
)
from quizapp.services import accounts, cohorts, study_days

DEMO_DOMAIN = "demo.quizapp.test"
MENTOR_EMAIL = f"mentor@{DEMO_DOMAIN}"
COHORT_NAME = "Demo cohort: SRE interview prep"
LEARN_AHEAD = timedelta(minutes=20)
SECONDS_PER_ANSWER = (4, 25)


@dataclass(frozen=True, slots=True)
class Persona:
    name: str
    slug: str
    timezone: str
    study_rate: float  # chance of studying on a given day
    new_per_day: int
    skill: float  # base skill; > 1 recalls better than FSRS expects
    strong: int  # how many categories they are strong in (random ones)
    weak: int
    stopped_days_ago: int = 0  # stopped studying this many days ago (0: still studying)
    started_days_ago: int | None = None  # joined later than the others
    interview_in_days: int | None = None


PERSONAS = (
    Persona("Ada Diligent", "ada", "Europe/Berlin", 0.95, 15, 1.25, 3, 0, interview_in_days=12),
    Persona("Ben Steady", "ben", "America/New_York", 0.8, 10, 1.05, 2, 1, interview_in_days=30),
    Persona("Chloe Crammer", "chloe", "Europe/London", 0.45, 25, 0.95, 1, 2, interview_in_days=5),
    Persona(
        "Dev Gaps", "dev", "Asia/Kolkata", 0.85, 12, 1.0, 2, 2, interview_in_days=45
    ),  # fmt: skip
    Persona("Eve Lapsed", "eve", "America/Los_Angeles", 0.8, 12, 1.0, 1, 1, stopped_days_ago=16),
    Persona("Femi Newcomer", "femi", "Africa/Lagos", 0.9, 10, 1.0, 1, 1, started_days_ago=9),
    Persona(
        "Gus Struggling", "gus", "Australia/Sydney", 0.7, 10, 0.75, 0, 3, interview_in_days=21
    ),  # fmt: skip
    Persona("Hana Expert", "hana", "Asia/Tokyo", 0.75, 20, 1.5, 4, 0),
    Persona("Ivan Backlogged", "ivan", "Europe/Warsaw", 0.35, 20, 1.0, 1, 1),
    Persona("Jo Weekend", "jo", "America/Chicago", 0.3, 15, 1.1, 2, 1, interview_in_days=60),
)


@dataclass
class DemoResult:
    mentor_email: str
    password: str
    candidates: list[tuple[str, str]]  # (name, email)
    cohort_id: int
    invitation_code: str
    reviews: int
    questions: int


@dataclass
class _Card:
    question: Question
    snapshot: CardSnapshot
    reviewed: bool = False


@dataclass
class _Candidate:
    persona: Persona
    user: User
    skills: dict[str, float]
    cards: dict[str, _Card] = field(default_factory=dict)
    queue: list[Question] = field(default_factory=list)  # new cards still to introduce
    logs: list[dict[str, Any]] = field(default_factory=list)
    last_active: datetime | None = None


def refuse_in_production(environment: str) -> None:
    if environment == "production":
        raise ConfigError(
            "quizapp demo refuses to run with QUIZAPP_ENV=production: it creates accounts "
            "with a printed password and made-up study history. Run it on a development "
            "or staging database."
        )


def load_demo(
    session: Session,
    *,
    now: datetime,
    environment: str,
    days: int = 120,
    candidates: int = 8,
    seed: int = 7,
    hash_method: str = "scrypt",
    password: str | None = None,
) -> DemoResult:
    refuse_in_production(environment)
    if not 7 <= days <= 730:
        raise UserInputError("--days must be between 7 and 730.", field="days")
    if not 1 <= candidates <= len(PERSONAS):
        raise UserInputError(f"--candidates must be between 1 and {len(PERSONAS)}.")
    questions = list(
        session.scalars(select(Question).where(Question.retired.is_(False)).order_by(Question.id))
    )
    if not questions:
        raise UserInputError(
            "There are no questions in the database yet. Build the content first: "
            "`quizapp db upgrade` then `quizapp build`, and run `quizapp demo` again."
        )
    rng = random.Random(seed)
    password = password or secrets.token_urlsafe(9)
    _remove_previous_demo(session)
    mentor = accounts.create_user(
        session, email=MENTOR_EMAIL, display_name="Demo Mentor", password=password,
        now=now - timedelta(days=days + 1), role=Role.MENTOR, hash_method=hash_method,
    )  # fmt: skip
    cohort = cohorts.create_cohort(
        session, mentor, COHORT_NAME, now=now - timedelta(days=days + 1), inactive_days=5
    )
    invitation = cohorts.create_invitation(session, cohort, now=now - timedelta(days=days), days=90)
    open_invitation = cohorts.create_invitation(session, cohort, now=now - timedelta(days=1))
    categories = sorted({q.category for q in questions})
    people = [
        _make_candidate(session, persona, categories, rng, now, days, password, hash_method)
        for persona in PERSONAS[:candidates]
    ]
    for person in people:
        first_day = now - timedelta(days=person.persona.started_days_ago or days)
        session.add(
            CohortMember(cohort_id=cohort.id, user_id=person.user.id,
                         invitation_id=invitation.id, joined_at=first_day)
        )  # fmt: skip
        _simulate(person, questions, rng, now, days)
        _write(session, person, now)
        _practice(session, person, rng, now, days)
    session.flush()
    return DemoResult(
        mentor_email=MENTOR_EMAIL,
        password=password,
        candidates=[(p.user.display_name, p.user.email) for p in people],
        cohort_id=cohort.id,
        invitation_code=open_invitation.code,
        reviews=sum(len(p.logs) for p in people),
        questions=len(questions),
    )


def _remove_previous_demo(session: Session) -> None:
    """Demo accounts (and, by cascade, their cohorts, cards and logs) from an earlier run."""
    ids = list(session.scalars(select(User.id).where(User.email.like(f"%@{DEMO_DOMAIN}"))))
    if not ids:
        return
    cohort_ids = select(Cohort.id).where(Cohort.mentor_id.in_(ids))
    session.execute(delete(CohortMember).where(CohortMember.cohort_id.in_(cohort_ids)))
    session.execute(delete(Invitation).where(Invitation.cohort_id.in_(cohort_ids)))
    session.execute(delete(Cohort).where(Cohort.mentor_id.in_(ids)))
    for model in (CohortMember, CardState, ReviewLog, SimAttempt, MockInterview):
        session.execute(delete(model).where(model.user_id.in_(ids)))
    session.execute(delete(User).where(User.id.in_(ids)))
    session.expunge_all()


def _make_candidate(
    session: Session,
    persona: Persona,
    categories: Sequence[str],
    rng: random.Random,
    now: datetime,
    days: int,
    password: str,
    hash_method: str,
) -> _Candidate:
    user = accounts.create_user(
        session, email=f"{persona.slug}@{DEMO_DOMAIN}", display_name=persona.name,
        password=password, now=now - timedelta(days=days + 1), hash_method=hash_method,
        timezone=persona.timezone,
    )  # fmt: skip
    user.new_per_day = persona.new_per_day
    if persona.interview_in_days is not None:
        local_today = now.astimezone(ZoneInfo(persona.timezone)).date()
        user.interview_date = local_today + timedelta(days=persona.interview_in_days)
    shuffled = list(categories)
    rng.shuffle(shuffled)
    skills = {c: persona.skill for c in categories}
    for c in shuffled[: persona.strong]:
        skills[c] = persona.skill * 1.5
    for c in shuffled[persona.strong : persona.strong + persona.weak]:
        skills[c] = persona.skill * 0.55
    return _Candidate(persona, user, skills)


def _settings(user: User) -> SchedulerSettings:
    return SchedulerSettings.build(
        new_per_day=user.new_per_day,
        timezone=user.timezone,
        day_rollover_hour=user.day_rollover_hour,
    )


def _recall_probability(
    card: _Card, skill: float, at: datetime, settings: SchedulerSettings
) -> float:
    if card.snapshot.phase is Phase.NEW or card.snapshot.stability is None:
        return min(0.95, 0.55 * skill)
    recall = retrievability(card.snapshot, at, settings)
    return min(0.99, max(0.02, recall ** (1.0 / skill)))


def _rate(recalled: bool, skill: float, rng: random.Random) -> Rating:
    if not recalled:
        return Rating.AGAIN
    roll = rng.random()
    if roll < 0.12 / skill:
        return Rating.HARD
    if roll > 1 - 0.12 * skill:
        return Rating.EASY
    return Rating.GOOD


def _simulate(
    person: _Candidate, questions: list[Question], rng: random.Random, now: datetime, days: int
) -> None:
    persona, user = person.persona, person.user
    settings = _settings(user)
    zone = settings.zone
    order = list(questions)
    rng.shuffle(order)
    person.queue = order
    start_day = (now - timedelta(days=persona.started_days_ago or days)).astimezone(zone).date()
    last_day = (now - timedelta(days=persona.stopped_days_ago)).astimezone(zone).date()
    day = start_day
    while day <= last_day:
        weekend = day.weekday() >= 5
        rate = persona.study_rate * (1.6 if persona.slug == "jo" and weekend else 1.0)
        studies_today = day == last_day and persona.stopped_days_ago == 0
        if studies_today or rng.random() < rate:
            _session(person, day, settings, rng, now)
        day += timedelta(days=1)


def _session(
    person: _Candidate, day: date, settings: SchedulerSettings, rng: random.Random, now: datetime
) -> None:
    hour = rng.choice((7, 8, 12, 13, 18, 19, 20, 21, 22))
    start = datetime(day.year, day.month, day.day, hour, rng.randrange(60), tzinfo=settings.zone)
    t = start.astimezone(now.tzinfo)
    if t >= now:
        t = now - timedelta(minutes=30)
    end_of_session = t + timedelta(hours=2)
    due = [c for c in person.cards.values() if c.snapshot.due <= t and not c.snapshot.suspended]
    due.sort(key=lambda c: c.snapshot.due)
    budget = settings.reviews_per_day
    new_today = 0
    work: list[_Card] = due[:budget]
    while person.queue and new_today < person.persona.new_per_day:
        question = person.queue.pop()
        card = _Card(question, CardSnapshot(phase=Phase.NEW, due=t))
        person.cards[question.id] = card
        work.append(card)
        new_today += 1
    rng.shuffle(work)
    while work and t < min(end_of_session, now):
        card = work.pop(0)
        t = max(t, card.snapshot.due if card.snapshot.phase is Phase.LEARNING else t)
        t += timedelta(seconds=rng.randint(*SECONDS_PER_ANSWER))
        if t >= now:
            break
        _answer(person, card, t, settings, rng)
        after = card.snapshot
        if after.phase in (Phase.LEARNING, Phase.RELEARNING) and after.due <= t + LEARN_AHEAD:
            work.append(card)
            work.sort(key=lambda c: c.snapshot.due if c.snapshot.phase is not Phase.NEW else t)
    person.last_active = t


def _answer(
    person: _Candidate, card: _Card, at: datetime, settings: SchedulerSettings, rng: random.Random
) -> None:
    skill = person.skills.get(card.question.category, person.persona.skill)
    recalled = rng.random() < _recall_probability(card, skill, at, settings)
    rating = _rate(recalled, skill, rng)
    before = card.snapshot
    outcome = review_card(
        before,
        rating,
        at,
        settings,
        fuzz_seed=zlib.crc32(f"{card.question.id}:{before.reps}".encode()),
    )
    card.snapshot = outcome.card
    auto = card.question.kind.startswith("oom_") or card.question.kind in (
        "multiple_choice", "purpose_command",
    )  # fmt: skip
    person.logs.append(
        {
            "user_id": person.user.id,
            "question_id": card.question.id,
            "rating": int(rating),
            "phase": before.phase.value,
            "reviewed_at": at,
            "study_day": day_of(at, settings.zone, settings.day_rollover_hour),
            "duration_ms": rng.randint(3000, 25000),
            "state_before": before.to_dict(),
            "state_after": outcome.card.to_dict(),
            "typed_answer": None,
            "correct": recalled if auto else None,
            "answer_token": None,
            "undone": False,
        }
    )


def _write(session: Session, person: _Candidate, now: datetime) -> None:
    user = person.user
    user.last_active_at = person.last_active
    if person.logs:
        session.execute(insert(ReviewLog), person.logs)
        study_days.rebuild(session, [user.id])
    states = [
        {
            "user_id": user.id,
            "question_id": qid,
            "state": c.snapshot.phase.value,
            "step": c.snapshot.step,
            "stability": c.snapshot.stability,
            "difficulty": c.snapshot.difficulty,
            "due": c.snapshot.due,
            "last_review": c.snapshot.last_review,
            "last_review_days": epoch_days(c.snapshot.last_review)
            if c.snapshot.last_review
            else None,
            "reps": c.snapshot.reps,
            "lapses": c.snapshot.lapses,
            "suspended": c.snapshot.suspended,
            "buried_until": None,
            "leech": c.snapshot.leech,
            "category": c.question.category,
            "created_at": now,
        }
        for qid, c in person.cards.items()
    ]
    if states:
        session.execute(insert(CardState), states)


def _practice(
    session: Session, person: _Candidate, rng: random.Random, now: datetime, days: int
) -> None:
    """Simulator practice and a few mock interviews, scored from the candidate's cards."""
    persona = person.persona
    span = persona.started_days_ago or days
    stop = persona.stopped_days_ago
    tier_odds = {"easy": 0.85, "medium": 0.65, "hard": 0.4}
    for _ in range(rng.randint(5, 30)):
        tier = rng.choice(list(tier_odds))
        at = now - timedelta(days=rng.uniform(stop, span), minutes=rng.randint(1, 600))
        chance = min(0.98, tier_odds[tier] * persona.skill)
        session.add(
            SimAttempt(user_id=person.user.id, tier=tier, correct=rng.random() < chance,
                       created_at=at)
        )  # fmt: skip
    studied = [c for c in person.cards.values() if c.snapshot.stability]
    if len(studied) < 10:
        return
    settings = _settings(person.user)
    for k in range(rng.randint(1, 4)):
        started = now - timedelta(days=stop + 2 + 9 * k, hours=rng.randint(1, 8))
        sample = rng.sample(studied, min(10, len(studied)))
        by_category: dict[str, list[int]] = {}
        right = 0
        for card in sample:
            skill = person.skills.get(card.question.category, persona.skill)
            ok = rng.random() < _recall_probability(card, skill, started, settings)
            right += ok
            tally = by_category.setdefault(card.question.category, [0, 0])
            tally[0] += ok
            tally[1] += 1
        session.add(
            MockInterview(
                user_id=person.user.id,
                started_at=started,
                finished_at=started + timedelta(minutes=rng.randint(12, 25)),
                time_limit_seconds=1800,
                categories=sorted(by_category),
                question_ids=[c.question.id for c in sample],
                answers={},
                score=right / len(sample),
                by_category={c: {"correct": v[0], "total": v[1]} for c, v in by_category.items()},
            )
        )
