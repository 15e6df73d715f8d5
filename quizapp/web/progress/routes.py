"""Progress: today, streak, heatmap, true retention, forecast, card counts, mastery, readiness."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user

from quizapp import clock, database
from quizapp.extensions import login_manager
from quizapp.services import progress
from quizapp.services.progress import FORECAST_DAYS
from quizapp.web.access import account
from quizapp.web.progress.charts import forecast_bars, heatmap

bp = Blueprint("progress", __name__, url_prefix="/progress")


@bp.before_request
def _require_login() -> ResponseReturnValue | None:
    if not current_user.is_authenticated:
        response: ResponseReturnValue = login_manager.unauthorized()
        return response
    return None


@bp.get("/")
def index() -> ResponseReturnValue:
    user = account()
    page = progress.progress_page(database.get_session(), user, clock.now())
    return render_template(
        "progress/index.html",
        page=page,
        heatmap=heatmap(page.per_day, page.heatmap_first, page.today),
        forecast=forecast_bars(page.forecast, page.today, FORECAST_DAYS),
    )
