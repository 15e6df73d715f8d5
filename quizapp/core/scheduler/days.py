"""Study days: a day starts at the rollover hour in the user's time zone (Anki: 4 AM).

All inputs and outputs are aware UTC datetimes; local time only exists inside.
DST-correct: a study day is 23 or 25 hours long on transition days, and a
rollover hour that falls in a spring-forward gap starts the day at the first
valid instant after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True, slots=True)
class StudyDay:
    day: date  # the local calendar date the study day is named after
    start: datetime  # UTC
    end: datetime  # UTC, exclusive: the next day's start


def local_day_start(day: date, zone: ZoneInfo, rollover_hour: int) -> datetime:
    """The UTC instant the study day `day` begins."""
    # fold=0 (PEP 495): an hour skipped by a spring-forward change maps to the
    # end of the gap, a repeated hour to its first occurrence.
    return datetime.combine(day, time(rollover_hour), tzinfo=zone).astimezone(UTC)


def day_of(now: datetime, zone: ZoneInfo, rollover_hour: int) -> date:
    """The study day containing `now`."""
    local = now.astimezone(zone)
    day = local.date()
    if now < local_day_start(day, zone, rollover_hour):
        day -= timedelta(days=1)
    return day


def study_day(now: datetime, zone: ZoneInfo, rollover_hour: int) -> StudyDay:
    _require_utc(now)
    day = day_of(now, zone, rollover_hour)
    return StudyDay(
        day,
        local_day_start(day, zone, rollover_hour),
        local_day_start(day + timedelta(days=1), zone, rollover_hour),
    )


def _require_utc(now: datetime) -> None:
    if now.tzinfo is None or now.utcoffset() != timedelta(0):
        raise ValueError("pass an aware UTC datetime")
