"""The app's one clock: aware UTC now, replaceable in tests with `app.config["CLOCK"]`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from flask import current_app


def now() -> datetime:
    clock: Callable[[], datetime] | None = current_app.config.get("CLOCK")
    return clock() if clock is not None else datetime.now(UTC)
