"""Per-user scheduler settings: Anki's defaults, named bounds, one error for every problem."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from quizapp.core.errors import UserInputError

# Bounds for each tunable: (lowest, highest) allowed.
NEW_PER_DAY_BOUNDS = (0, 9999)
REVIEWS_PER_DAY_BOUNDS = (0, 99999)
DESIRED_RETENTION_BOUNDS = (0.70, 0.99)
MAXIMUM_INTERVAL_BOUNDS = (1, 36500)  # days; Anki's default is 100 years
LEECH_THRESHOLD_BOUNDS = (1, 99)
ROLLOVER_HOUR_BOUNDS = (0, 23)
MAX_STEPS = 10
# Steps should finish the same day (srs-anchors §1.2): 1 second .. 1 day (as accounts allows).
STEP_SECONDS_BOUNDS = (1, 86400)

# Anki's learn-ahead limit: when nothing else is left, learning cards due
# within this many seconds are shown early.
LEARN_AHEAD_SECONDS = 20 * 60


class InvalidSettings(UserInputError):
    """One or more settings are out of range; `problems` maps field name to message."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__(
            "Invalid settings: " + "; ".join(f"{k}: {v}" for k, v in problems.items()),
            field=next(iter(problems), None),
        )
        self.problems = problems


@dataclass(frozen=True, slots=True)
class SchedulerSettings:
    new_per_day: int = 20
    reviews_per_day: int = 200
    desired_retention: float = 0.9
    learning_steps: tuple[int, ...] = (60, 600)  # seconds
    relearning_steps: tuple[int, ...] = (600,)
    maximum_interval: int = 36500
    leech_threshold: int = 8
    timezone: str = "UTC"
    day_rollover_hour: int = 4
    fuzz: bool = True
    _zone: ZoneInfo = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        problems = _problems(self)
        if problems:
            raise InvalidSettings(problems)
        object.__setattr__(self, "_zone", ZoneInfo(self.timezone))

    @property
    def zone(self) -> ZoneInfo:
        return self._zone

    @classmethod
    def build(
        cls,
        *,
        new_per_day: int = 20,
        reviews_per_day: int = 200,
        desired_retention: float = 0.9,
        learning_steps: Iterable[int] = (60, 600),
        relearning_steps: Iterable[int] = (600,),
        maximum_interval: int = 36500,
        leech_threshold: int = 8,
        timezone: str = "UTC",
        day_rollover_hour: int = 4,
        fuzz: bool = True,
    ) -> SchedulerSettings:
        """Like the constructor, but takes any iterables for the steps (e.g. JSON lists)."""
        return cls(
            new_per_day=new_per_day,
            reviews_per_day=reviews_per_day,
            desired_retention=desired_retention,
            learning_steps=tuple(learning_steps),
            relearning_steps=tuple(relearning_steps),
            maximum_interval=maximum_interval,
            leech_threshold=leech_threshold,
            timezone=timezone,
            day_rollover_hour=day_rollover_hour,
            fuzz=fuzz,
        )


def _within(value: object, bounds: tuple[float, float], kind: type) -> str | None:
    if isinstance(value, bool) or not isinstance(value, kind | int):
        return f"must be a number between {bounds[0]} and {bounds[1]}"
    assert isinstance(value, int | float)
    if not bounds[0] <= value <= bounds[1]:
        return f"must be between {bounds[0]} and {bounds[1]}, got {value}"
    return None


def _steps_problem(steps: tuple[int, ...]) -> str | None:
    if len(steps) > MAX_STEPS:
        return f"at most {MAX_STEPS} steps"
    low, high = STEP_SECONDS_BOUNDS
    for step in steps:
        if isinstance(step, bool) or not isinstance(step, int) or not low <= step <= high:
            return "each step must be between 1 second and 1 day"
    return None


def _problems(s: SchedulerSettings) -> dict[str, str]:
    checks: dict[str, str | None] = {
        "new_per_day": _within(s.new_per_day, NEW_PER_DAY_BOUNDS, int),
        "reviews_per_day": _within(s.reviews_per_day, REVIEWS_PER_DAY_BOUNDS, int),
        "desired_retention": _within(s.desired_retention, DESIRED_RETENTION_BOUNDS, float),
        "learning_steps": _steps_problem(s.learning_steps),
        "relearning_steps": _steps_problem(s.relearning_steps),
        "maximum_interval": _within(s.maximum_interval, MAXIMUM_INTERVAL_BOUNDS, int),
        "leech_threshold": _within(s.leech_threshold, LEECH_THRESHOLD_BOUNDS, int),
        "day_rollover_hour": _within(s.day_rollover_hour, ROLLOVER_HOUR_BOUNDS, int),
        "timezone": _timezone_problem(s.timezone),
    }
    return {name: message for name, message in checks.items() if message}


def _timezone_problem(name: str) -> str | None:
    if not isinstance(name, str) or not name:
        return "must be an IANA time zone name such as Europe/Berlin"
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return f"unknown time zone {name!r}; use an IANA name such as Europe/Berlin"
    return None
