"""The OOM-killer playground: load or generate a scenario, edit it, see who dies; explain a report."""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from quizapp.core.oom import Scenario, ScenarioError, load_scenario, run_scenario
from quizapp.core.oom.questions import TIERS, practice_question
from quizapp.core.oom.report import ExplainOptions, explain_report
from quizapp.core.oom.units import SizeError, parse_bytes
from quizapp.services.oom_scenarios import SCENARIO_DIR, load_scenario_dir
from quizapp.web.sim.forms import ExplainForm, PlaygroundForm

bp = Blueprint("sim", __name__, url_prefix="/sim")

MAX_REPORT_CHARS = 2_000_000
_TASK_ERROR = re.compile(r"^tasks\[(\d+)\]\.(\w+)")


def _scenario_dir() -> Path:
    configured = current_app.config.get("CONTENT_DIR")
    if configured and (Path(configured) / "scenarios").is_dir():
        return Path(configured) / "scenarios"
    return SCENARIO_DIR


def _scenarios() -> list[Scenario]:
    return load_scenario_dir(_scenario_dir())


def _pages(scenario: Scenario) -> dict[int, dict[str, int]]:
    return {
        t.pid: {
            "rss_anon": t.rss_anon,
            "rss_file": t.rss_file,
            "rss_shmem": t.rss_shmem,
            "swapents": t.swapents,
            "oom_score_adj": t.oom_score_adj,
        }
        for t in scenario.system.tasks
    }


def _render_play(
    form: PlaygroundForm, scenario: Scenario | None, errors: list[str], **extra: Any
) -> str:
    result = run_scenario(scenario) if scenario is not None else None
    return render_template(
        "sim/play.html", form=form, scenario=scenario, result=result, errors=errors, **extra
    )


@bp.route("/")
def index() -> ResponseReturnValue:
    return render_template("sim/index.html", scenarios=_scenarios(), tiers=TIERS)


@bp.route("/scenario/<scenario_id>")
def scenario(scenario_id: str) -> ResponseReturnValue:
    found = next((s for s in _scenarios() if s.id == scenario_id), None)
    if found is None:
        abort(404)
    form = PlaygroundForm()
    form.load(found.source, _pages(found))
    return _render_play(form, found, [], source=found)


@bp.route("/generate")
def generate() -> ResponseReturnValue:
    tier = request.args.get("tier", "medium")
    if tier not in TIERS:
        abort(400)
    seed_text = request.args.get("seed", "")
    if not seed_text.isdigit():
        seed = random.SystemRandom().randrange(1, 2**31)
        return redirect(url_for("sim.generate", tier=tier, seed=seed))
    question = practice_question(random.Random(int(seed_text)), tier)
    doc = question.data["scenario"]
    generated = load_scenario(doc)
    form = PlaygroundForm()
    form.load(doc, _pages(generated))
    return _render_play(form, generated, [], tier=tier, seed=seed_text)


@bp.route("/play", methods=["POST"])
def play() -> ResponseReturnValue:
    form = PlaygroundForm()
    if not form.validate_on_submit():  # only CSRF can fail: values are checked below, together
        return _render_play(form, None, []), 400
    doc = form.document()
    try:
        edited = load_scenario(doc, "your scenario")
    except ScenarioError as exc:
        _attach_errors(form, exc.errors)
        return _render_play(form, None, exc.errors), 400
    return _render_play(form, edited, [])


def _attach_errors(form: PlaygroundForm, errors: list[str]) -> None:
    """Show `tasks[i].field` errors next to the field they are about."""
    for error in errors:
        match = _TASK_ERROR.match(error)
        if not match:
            continue
        index, name = int(match.group(1)), match.group(2)
        name = {"rss": "rss_anon"}.get(name, name)
        if index < len(form.tasks.entries) and hasattr(form.tasks.entries[index].form, name):
            field = getattr(form.tasks.entries[index].form, name)
            field.errors = [*field.errors, error.split(": ", 1)[-1]]


def _pages_option(text: str | None) -> int | None:
    value = (text or "").strip()
    if not value:
        return None
    return parse_bytes(value if not value.isdigit() else f"{value}B") // 4096


@bp.route("/explain", methods=["GET", "POST"])
def explain() -> ResponseReturnValue:
    form = ExplainForm()
    explained = None
    status = 200
    if form.validate_on_submit():
        text = form.report.data or ""
        if len(text) > MAX_REPORT_CHARS:
            form.report.errors = ["That paste is too long (2 MB at most)."]
            status = 400
        else:
            try:
                options = ExplainOptions(
                    kernel=(form.kernel.data or "").strip() or None,
                    ram=_pages_option(form.ram.data),
                    swap=_pages_option(form.swap.data),
                    swappiness=form.swappiness.data if form.swappiness.data is not None else 60,
                    oom_kill_allocating_task=bool(form.oom_kill_allocating_task.data),
                )
                explained = explain_report(text, options)
            except SizeError as exc:
                form.ram.errors = [str(exc)]
                status = 400
            except ValueError as exc:
                form.kernel.errors = [str(exc)]
                status = 400
    elif request.method == "POST":
        status = 400
    return render_template("sim/explain.html", form=form, explained=explained), status
