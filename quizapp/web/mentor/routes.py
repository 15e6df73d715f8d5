"""Mentor pages (/mentor: cohorts, dashboard, drill-down, invitations, CSV) and the
candidate's side of consent (/cohorts, /join/<code>: see, accept, leave).

Anything a user may not see is a 404 with the generic page, whether it exists
or not: a guessed cohort id, candidate id or invitation code learns nothing.
"""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required

from quizapp import database
from quizapp.clock import now
from quizapp.core.errors import UserInputError
from quizapp.data.models import Cohort, User
from quizapp.services import cohorts, dashboard
from quizapp.web.access import account, role_required
from quizapp.web.mentor import charts
from quizapp.web.mentor.forms import CodeForm, CohortForm, ConfirmForm, InvitationForm

bp = Blueprint("mentor", __name__)
mentor_only = role_required("mentor", "admin")


@bp.app_template_filter("ago")
def _ago(when: datetime | None) -> str:
    if when is None:
        return "never"
    seconds = (now() - when).total_seconds()
    if seconds < 3600:
        return "just now" if seconds < 120 else f"{int(seconds // 60)} min ago"
    if seconds < 86400:
        return f"{int(seconds // 3600)} h ago"
    days = int(seconds // 86400)
    return "yesterday" if days == 1 else f"{days} days ago"


@bp.app_template_filter("pct")
def _pct(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100)}%"


def _user() -> User:
    return account()


def _own_cohort(cohort_id: int) -> Cohort:
    cohort = cohorts.mentor_cohort(database.get_session(), _user(), cohort_id)
    if cohort is None:
        abort(404)
    return cohort


# --- mentor -----------------------------------------------------------------------------------


@bp.get("/mentor/")
@mentor_only
def index() -> ResponseReturnValue:
    summaries = cohorts.mentor_cohorts(database.get_session(), _user(), now=now())
    return render_template("mentor/index.html", summaries=summaries, form=CohortForm())


@bp.post("/mentor/cohorts")
@mentor_only
def create_cohort() -> ResponseReturnValue:
    form = CohortForm()
    session = database.get_session()
    if form.validate_on_submit():
        try:
            cohort = cohorts.create_cohort(
                session, _user(), form.name.data or "", now=now(),
                inactive_days=form.inactive_days.data or 7,
            )  # fmt: skip
        except UserInputError as error:
            form.name.errors = [*form.name.errors, str(error)]
        else:
            session.commit()
            flash(f"Cohort “{cohort.name}” created. Now invite candidates.", "success")
            return redirect(url_for("mentor.invitations", cohort_id=cohort.id))
    summaries = cohorts.mentor_cohorts(session, _user(), now=now())
    return render_template("mentor/index.html", summaries=summaries, form=form), 400


@bp.get("/mentor/cohorts/<int:cohort_id>")
@mentor_only
def cohort(cohort_id: int) -> ResponseReturnValue:
    found = _own_cohort(cohort_id)
    sort = request.args.get("sort", dashboard.DEFAULT_SORT)
    if sort not in dashboard.SORTS:
        sort = dashboard.DEFAULT_SORT
    descending = request.args.get("dir") == "desc"
    board = dashboard.cohort_dashboard(database.get_session(), found, now=now())
    rows = dashboard.sort_rows(board.rows, sort, descending)
    return render_template(
        "mentor/cohort.html",
        board=board,
        rows=rows,
        sort=sort,
        descending=descending,
        sorts=dashboard.SORTS,
        bar=charts.bar,
        settings_form=CohortForm(obj=found),
        confirm=ConfirmForm(),
        tiers=dashboard.TIERS,
        backlog_min=dashboard.BACKLOG_MIN,
    )


@bp.post("/mentor/cohorts/<int:cohort_id>/settings")
@mentor_only
def update_cohort(cohort_id: int) -> ResponseReturnValue:
    found = _own_cohort(cohort_id)
    form = CohortForm()
    if not form.validate_on_submit():
        flash("Not saved: " + "; ".join(e for errs in form.errors.values() for e in errs), "error")
        return redirect(url_for("mentor.cohort", cohort_id=found.id))
    try:
        cohorts.update_cohort(
            database.get_session(), found, name=form.name.data or "",
            inactive_days=form.inactive_days.data or 7,
        )  # fmt: skip
    except UserInputError as error:
        flash(str(error), "error")
    else:
        database.get_session().commit()
        flash("Cohort settings saved.", "success")
    return redirect(url_for("mentor.cohort", cohort_id=found.id))


@bp.get("/mentor/cohorts/<int:cohort_id>/export.csv")
@mentor_only
def export_csv(cohort_id: int) -> ResponseReturnValue:
    found = _own_cohort(cohort_id)
    board = dashboard.cohort_dashboard(database.get_session(), found, now=now())
    stamp = now().strftime("%Y%m%d")
    return Response(
        dashboard.to_csv(board),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="cohort-{found.id}-{stamp}.csv"',
            "Cache-Control": "no-store",
        },
    )


@bp.get("/mentor/cohorts/<int:cohort_id>/candidates/<int:user_id>")
@mentor_only
def candidate(cohort_id: int, user_id: int) -> ResponseReturnValue:
    found = _own_cohort(cohort_id)
    session = database.get_session()
    user = cohorts.shared_candidate(session, found, user_id)
    if user is None:
        abort(404)
    detail = dashboard.candidate_detail(session, found, user, now=now())
    return render_template(
        "mentor/candidate.html",
        cohort=found,
        candidate=user,
        detail=detail,
        row=detail.row,
        heatmap=charts.heatmap(detail.heatmap, detail.today),
        history=charts.line_chart(
            detail.history_weeks, detail.history, "Mastery per category, last 12 weeks"
        ),
        series=list(detail.history),
        bar=charts.bar,
        confirm=ConfirmForm(),
        tiers=dashboard.TIERS,
    )


@bp.post("/mentor/cohorts/<int:cohort_id>/candidates/<int:user_id>/remove")
@mentor_only
def remove_member(cohort_id: int, user_id: int) -> ResponseReturnValue:
    found = _own_cohort(cohort_id)
    session = database.get_session()
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if not cohorts.remove_member(session, found, user_id, now=now()):
        abort(404)
    session.commit()
    flash("Removed from the cohort; you no longer see their progress.", "success")
    return redirect(url_for("mentor.cohort", cohort_id=found.id))


@bp.get("/mentor/cohorts/<int:cohort_id>/invitations")
@mentor_only
def invitations(cohort_id: int) -> ResponseReturnValue:
    found = _own_cohort(cohort_id)
    return _invitations_page(found, InvitationForm())


def _invitations_page(
    found: Cohort, form: InvitationForm, status: int = 200
) -> ResponseReturnValue:
    at = now()
    listed = [
        (inv, cohorts.invitation_status(inv, at))
        for inv in cohorts.cohort_invitations(database.get_session(), found)
    ]
    return (
        render_template(
            "mentor/invitations.html",
            cohort=found,
            invitations=listed,
            form=form,
            confirm=ConfirmForm(),
            format_code=cohorts.format_code,
            valid=cohorts.InvitationStatus.VALID,
        ),
        status,
    )


@bp.post("/mentor/cohorts/<int:cohort_id>/invitations")
@mentor_only
def create_invitation(cohort_id: int) -> ResponseReturnValue:
    found = _own_cohort(cohort_id)
    form = InvitationForm()
    if not form.validate_on_submit():
        return _invitations_page(found, form, 400)
    session = database.get_session()
    try:
        invitation = cohorts.create_invitation(
            session, found, now=now(), days=form.days.data or cohorts.DEFAULT_INVITATION_DAYS
        )
    except UserInputError as error:
        form.days.errors = [*form.days.errors, str(error)]
        return _invitations_page(found, form, 400)
    session.commit()
    flash(f"Invitation {cohorts.format_code(invitation.code)} created.", "success")
    return redirect(url_for("mentor.invitations", cohort_id=found.id))


@bp.post("/mentor/cohorts/<int:cohort_id>/invitations/<int:invitation_id>/revoke")
@mentor_only
def revoke_invitation(cohort_id: int, invitation_id: int) -> ResponseReturnValue:
    found = _own_cohort(cohort_id)
    session = database.get_session()
    invitation = cohorts.cohort_invitation(session, found, invitation_id)
    if invitation is None:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    cohorts.revoke_invitation(invitation, now=now())
    session.commit()
    flash("Invitation revoked: its link and code no longer work.", "success")
    return redirect(url_for("mentor.invitations", cohort_id=found.id))


# --- candidate --------------------------------------------------------------------------------


@bp.get("/cohorts")
@login_required
def my_cohorts() -> ResponseReturnValue:
    memberships = cohorts.my_memberships(database.get_session(), _user())
    return render_template(
        "mentor/my_cohorts.html",
        memberships=memberships,
        form=CodeForm(),
        confirm=ConfirmForm(),
        shared=cohorts.SHARED_ITEMS,
    )


@bp.post("/cohorts/code")
@login_required
def enter_code() -> ResponseReturnValue:
    form = CodeForm()
    code = cohorts.normalise_code(form.code.data or "") if form.validate_on_submit() else ""
    if not code:
        if not form.errors:
            form.code.errors = ["That is not an invitation code: it has 10 letters and digits."]
        memberships = cohorts.my_memberships(database.get_session(), _user())
        return (
            render_template(
                "mentor/my_cohorts.html", memberships=memberships, form=form,
                confirm=ConfirmForm(), shared=cohorts.SHARED_ITEMS,
            ),
            400,
        )  # fmt: skip
    return redirect(url_for("mentor.join", code=code))


@bp.get("/join/<code>")
@login_required
def join(code: str) -> ResponseReturnValue:
    view = cohorts.open_invitation(database.get_session(), code, _user(), now=now())
    if view is None:
        abort(404)
    return render_template(
        "mentor/join.html",
        view=view,
        code=cohorts.normalise_code(code),
        confirm=ConfirmForm(),
        shared=cohorts.SHARED_ITEMS,
        not_shared=cohorts.NOT_SHARED,
        history_note=cohorts.HISTORY_NOTE,
    )


@bp.post("/join/<code>")
@login_required
def accept(code: str) -> ResponseReturnValue:
    session = database.get_session()
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        member = cohorts.accept_invitation(session, code, _user(), now=now())
    except UserInputError:
        abort(404)
    session.commit()
    found = session.get(Cohort, member.cohort_id)
    flash(f"You joined “{found.name if found else 'the cohort'}”. You can leave at any time.",
          "success")  # fmt: skip
    return redirect(url_for("mentor.my_cohorts"))


@bp.post("/cohorts/<int:cohort_id>/leave")
@login_required
def leave(cohort_id: int) -> ResponseReturnValue:
    session = database.get_session()
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if not cohorts.leave_cohort(session, _user(), cohort_id, now=now()):
        abort(404)
    session.commit()
    flash("You left the cohort. Your mentor no longer sees your progress.", "success")
    return redirect(url_for("mentor.my_cohorts"))
