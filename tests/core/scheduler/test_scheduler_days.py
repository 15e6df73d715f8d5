from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from quizapp.core.scheduler import study_day

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
TOKYO = ZoneInfo("Asia/Tokyo")


def utc(*args):
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("now", "zone", "expected_day"),
    [
        # 03:59 local is still yesterday's study day, 04:00 starts today's.
        (utc(2026, 1, 15, 2, 59), BERLIN, date(2026, 1, 14)),
        (utc(2026, 1, 15, 3, 0), BERLIN, date(2026, 1, 15)),
        # The same instant is a different study day in another time zone.
        (utc(2026, 1, 15, 3, 0), NEW_YORK, date(2026, 1, 14)),
        (utc(2026, 1, 15, 3, 0), TOKYO, date(2026, 1, 15)),
        (utc(2026, 1, 14, 18, 59), TOKYO, date(2026, 1, 14)),
        (utc(2026, 1, 14, 19, 0), TOKYO, date(2026, 1, 15)),
    ],
)
def test_rollover_at_4am_local(now, zone, expected_day):
    assert study_day(now, zone, 4).day == expected_day


def test_day_boundaries_are_utc_instants_of_local_4am():
    day = study_day(utc(2026, 7, 1, 12), BERLIN, 4)  # CEST, UTC+2
    assert day.start == utc(2026, 7, 1, 2) and day.end == utc(2026, 7, 2, 2)


def test_spring_forward_day_is_23_hours_long():
    # Europe/Berlin moves from +1 to +2 at 02:00 on 2026-03-29: the study day
    # from 04:00 CET on the 28th to 04:00 CEST on the 29th loses an hour.
    day = study_day(utc(2026, 3, 28, 12), BERLIN, 4)
    assert day.start == utc(2026, 3, 28, 3)
    assert day.end == utc(2026, 3, 29, 2)
    assert day.end - day.start == timedelta(hours=23)


def test_fall_back_day_is_25_hours_long():
    # America/New_York moves from -4 to -5 at 02:00 on 2026-11-01.
    day = study_day(utc(2026, 10, 31, 12), NEW_YORK, 4)
    assert day.start == utc(2026, 10, 31, 8)
    assert day.end == utc(2026, 11, 1, 9)
    assert day.end - day.start == timedelta(hours=25)


def test_rollover_hour_inside_the_spring_forward_gap_starts_after_the_gap():
    # 02:00 does not exist in Berlin on 2026-03-29; the day starts at 03:00 CEST.
    day = study_day(utc(2026, 3, 29, 12), BERLIN, 2)
    assert day.start == utc(2026, 3, 29, 1)
    assert day.start.astimezone(BERLIN).hour == 3


def test_rollover_hour_in_the_repeated_hour_uses_its_first_occurrence():
    # 01:00-02:00 happens twice in New York on 2026-11-01.
    day = study_day(utc(2026, 11, 1, 12), NEW_YORK, 1)
    assert day.start == utc(2026, 11, 1, 5)  # 01:00 EDT


def test_days_are_contiguous_across_a_dst_change():
    now = utc(2026, 3, 27, 12)
    for _ in range(5):
        day = study_day(now, BERLIN, 4)
        following = study_day(day.end, BERLIN, 4)
        assert following.start == day.end
        assert following.day == day.day + timedelta(days=1)
        now = day.end


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="UTC"):
        study_day(datetime(2026, 1, 1), BERLIN, 4)  # noqa: DTZ001
