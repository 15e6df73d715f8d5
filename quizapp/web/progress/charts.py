"""Server-side SVG charts as plain data for the templates: positions and class names only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

CELL = 12  # heatmap square plus gap, in SVG units
HEAT_LEVELS = (1, 10, 30, 80)  # answers per day at which levels 1..4 start
BAR_WIDTH = 14
BAR_MAX_HEIGHT = 100


@dataclass(frozen=True, slots=True)
class HeatCell:
    x: int
    y: int
    level: int  # 0..4, the CSS class heat-N
    day: date
    count: int


@dataclass(frozen=True, slots=True)
class Heatmap:
    cells: list[HeatCell]
    months: list[tuple[int, str]]  # (x, label)
    width: int
    height: int


def heat_level(count: int) -> int:
    return sum(1 for threshold in HEAT_LEVELS if count >= threshold)


def heatmap(per_day: dict[date, int], first: date, last: date) -> Heatmap:
    """GitHub-style: one column per week (Monday first), one row per weekday."""
    cells, months = [], []
    day, seen_month = first, None
    while day <= last:
        week = (day - first).days // 7
        x, y = 30 + week * CELL, 16 + day.weekday() * CELL
        count = per_day.get(day, 0)
        cells.append(HeatCell(x, y, heat_level(count), day, count))
        if day.day <= 7 and day.weekday() == 0 and seen_month != day.month:
            months.append((x, day.strftime("%b")))
            seen_month = day.month
        day += timedelta(days=1)
    weeks = (last - first).days // 7 + 1
    return Heatmap(cells, months, 30 + weeks * CELL, 16 + 7 * CELL)


@dataclass(frozen=True, slots=True)
class Bar:
    x: int
    y: int
    height: int
    day: date
    count: int


@dataclass(frozen=True, slots=True)
class BarChart:
    bars: list[Bar]
    width: int
    height: int
    maximum: int


def forecast_bars(per_day: dict[date, int], first: date, days: int) -> BarChart:
    maximum = max(per_day.values(), default=0)
    bars = []
    for i in range(days):
        day = first + timedelta(days=i)
        count = per_day.get(day, 0)
        height = round(BAR_MAX_HEIGHT * count / maximum) if maximum else 0
        if count and not height:
            height = 1
        bars.append(Bar(i * (BAR_WIDTH + 2), BAR_MAX_HEIGHT - height, height, day, count))
    return BarChart(bars, days * (BAR_WIDTH + 2), BAR_MAX_HEIGHT, maximum)
