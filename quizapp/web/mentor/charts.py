"""Server-side SVG charts: no JavaScript, no CDN, allowed by the CSP (no style attributes).

Colours come from classes styled in `static/css/mentor.css` (light and dark);
sizes and positions are SVG presentation attributes. Each chart has a
`<title>`/`aria-label` and each mark a `<title>` tooltip.
"""

from __future__ import annotations

from datetime import date, timedelta

from markupsafe import Markup, escape

CELL = 11
GAP = 2
WEEKS = 53


def _level(count: int, thresholds: tuple[int, int, int]) -> int:
    if count <= 0:
        return 0
    low, mid, high = thresholds
    if count <= low:
        return 1
    if count <= mid:
        return 2
    if count <= high:
        return 3
    return 4


def _thresholds(counts: list[int]) -> tuple[int, int, int]:
    """Quartiles of the non-zero days, so one huge day does not wash out the rest."""
    values = sorted(c for c in counts if c > 0)
    if not values:
        return (1, 2, 3)

    def q(p: float) -> int:
        return values[min(len(values) - 1, int(p * len(values)))]

    return (q(0.25), q(0.5), q(0.75))


def heatmap(days: dict[date, int], today: date, label: str = "Reviews per day") -> Markup:
    """GitHub-style year grid: weeks as columns (Monday first), one cell per study day."""
    first = today - timedelta(days=today.weekday() + 7 * (WEEKS - 1))
    span = (today - first).days + 1
    thresholds = _thresholds([days.get(first + timedelta(d), 0) for d in range(span)])
    left, top = 28, 16
    width = left + WEEKS * (CELL + GAP)
    height = top + 7 * (CELL + GAP)
    total = sum(days.get(first + timedelta(d), 0) for d in range(span))
    title = f"{label}: {total} reviews in the last year"
    parts = [
        f'<svg class="chart heatmap" viewBox="0 0 {width} {height}" role="img"'
        f' aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for row, name in ((0, "Mon"), (2, "Wed"), (4, "Fri")):
        y = top + row * (CELL + GAP) + CELL - 2
        parts.append(f'<text class="axis" x="0" y="{y}">{name}</text>')
    last_month = None
    for offset in range(span):
        day = first + timedelta(offset)
        week, weekday = divmod(offset, 7)
        x = left + week * (CELL + GAP)
        if weekday == 0 and day.month != last_month:
            last_month = day.month
            if week < WEEKS - 2:
                parts.append(f'<text class="axis" x="{x}" y="10">{day.strftime("%b")}</text>')
        count = days.get(day, 0)
        level = _level(count, thresholds)
        y = top + weekday * (CELL + GAP)
        noun = "review" if count == 1 else "reviews"
        parts.append(
            f'<rect class="lvl-{level}" x="{x}" y="{y}" width="{CELL}" height="{CELL}"'
            f' rx="2"><title>{day.isoformat()}: {count} {noun}</title></rect>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def line_chart(x_labels: list[date], series: dict[str, list[float | None]], label: str) -> Markup:
    """Values in 0..1 over time, one line per series (up to 8 colour classes)."""
    width, height = 640, 240
    left, right, top, bottom = 36, 12, 12, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    n = max(1, len(x_labels) - 1)

    def px(i: int) -> float:
        return round(left + plot_w * i / n, 1)

    def py(v: float) -> float:
        return round(top + plot_h * (1 - v), 1)

    parts = [
        f'<svg class="chart lines" viewBox="0 0 {width} {height}" role="img"'
        f' aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(label)}</title>",
    ]
    for tick in (0, 0.25, 0.5, 0.75, 1):
        y = py(tick)
        parts.append(f'<line class="grid" x1="{left}" x2="{width - right}" y1="{y}" y2="{y}"/>')
        parts.append(f'<text class="axis" x="0" y="{y + 4}">{int(tick * 100)}%</text>')
    for i, day in enumerate(x_labels):
        if i % 2 == 0 or i == len(x_labels) - 1:
            parts.append(
                f'<text class="axis" x="{px(i) - 14}" y="{height - 8}">{day.strftime("%d %b")}</text>'
            )
    for index, (name, values) in enumerate(series.items()):
        klass = f"s{index % 8}"
        points = [(px(i), py(v), v) for i, v in enumerate(values) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{x},{y}" for x, y, _ in points)
            parts.append(f'<polyline class="line {klass}" points="{path}"/>')
        for (x, y, v), day in zip(
            points, [d for d, v in zip(x_labels, values, strict=True) if v is not None], strict=True
        ):
            parts.append(
                f'<circle class="dot {klass}" cx="{x}" cy="{y}" r="3">'
                f"<title>{escape(name)} {day.isoformat()}: {round(v * 100)}%</title></circle>"
            )
    parts.append("</svg>")
    return Markup("".join(parts))


def bar(value: float | None, label: str = "") -> Markup:
    """A small 0..1 bar for table cells; coloured by band (bad / warn / good)."""
    if value is None:
        return Markup('<span class="muted">—</span>')
    value = max(0.0, min(1.0, value))
    band = "good" if value >= 0.85 else "warn" if value >= 0.7 else "bad"
    width = round(60 * value, 1)
    text = f"{label}{round(value * 100)}%"
    return Markup(
        f'<svg class="minibar" viewBox="0 0 60 8" width="60" height="8" role="img"'
        f' aria-label="{escape(text)}" xmlns="http://www.w3.org/2000/svg">'
        f'<rect class="track" x="0" y="0" width="60" height="8" rx="2"/>'
        f'<rect class="fill {band}" x="0" y="0" width="{width}" height="8" rx="2"/>'
        f"<title>{escape(text)}</title></svg>"
    )
