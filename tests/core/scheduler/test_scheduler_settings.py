import pytest

from quizapp.core.scheduler import InvalidSettings, SchedulerSettings


def test_defaults_are_ankis():
    s = SchedulerSettings()
    assert (s.new_per_day, s.reviews_per_day, s.desired_retention) == (20, 200, 0.9)
    assert s.learning_steps == (60, 600) and s.relearning_steps == (600,)
    assert (s.leech_threshold, s.day_rollover_hour) == (8, 4)


def test_every_invalid_setting_is_reported_in_one_error():
    with pytest.raises(InvalidSettings) as info:
        SchedulerSettings.build(
            new_per_day=-1,
            desired_retention=1.5,
            learning_steps=[60, 90000],
            timezone="Mars/Olympus",
            day_rollover_hour=24,
            leech_threshold=0,
        )
    assert set(info.value.problems) == {
        "new_per_day",
        "desired_retention",
        "learning_steps",
        "timezone",
        "day_rollover_hour",
        "leech_threshold",
    }
    assert "Mars/Olympus" in info.value.problems["timezone"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("reviews_per_day", "200"),
        ("maximum_interval", 0),
        ("relearning_steps", (0,)),
        ("desired_retention", True),
        ("timezone", ""),
    ],
)
def test_single_invalid_values_are_rejected(field, value):
    with pytest.raises(InvalidSettings) as info:
        SchedulerSettings.build(**{field: value})
    assert list(info.value.problems) == [field]


def test_empty_steps_are_allowed():
    assert SchedulerSettings.build(learning_steps=[], relearning_steps=[]).learning_steps == ()
