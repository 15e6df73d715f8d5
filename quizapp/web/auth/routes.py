"""Register, log in and out, settings, password change, account deletion, data export."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required, login_user, logout_user

from quizapp import database
from quizapp.clock import now
from quizapp.core.errors import UserInputError
from quizapp.data.models import User
from quizapp.extensions import limiter
from quizapp.services import accounts
from quizapp.web.access import account
from quizapp.web.auth.forms import (
    ChangePasswordForm,
    DeleteAccountForm,
    LoginForm,
    RegisterForm,
    SettingsForm,
    show_error,
)

bp = Blueprint("auth", __name__)

# Per client IP, counted on POST only (showing the form is free).
AUTH_RATE_LIMIT = "10/minute;50/hour"


def _auth_rate_limit() -> str:
    limit: str = current_app.config.get("AUTH_RATE_LIMIT", AUTH_RATE_LIMIT)
    return limit


def safe_next(target: str | None, default: str = "main.index") -> str:
    """`target` if it is a path on this site, else the URL of `default`."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.isprintable() and "\\" not in target:
            return target
    return url_for(default)


def _hash_method() -> str:
    method: str = current_app.config["PASSWORD_HASH_METHOD"]
    return method


def _user() -> User:
    return account()


def _form_status() -> int:
    """200 for showing a form, 422 for showing it again with errors."""
    return 422 if request.method == "POST" else 200


def _log_in(user: User, remember: bool) -> None:
    """A fresh session for the user: nothing from before login survives."""
    session.clear()
    login_user(user, remember=remember)
    session.permanent = True


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(_auth_rate_limit, methods=["POST"])
def register() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = RegisterForm()
    if form.validate_on_submit():
        db = database.get_session()
        try:
            user = accounts.create_user(
                db,
                email=form.email.data or "",
                display_name=form.display_name.data or "",
                password=form.password.data or "",
                timezone=form.timezone.data or "UTC",
                now=now(),
                hash_method=_hash_method(),
            )
        except UserInputError as error:
            db.rollback()
            if not show_error(form, error):
                flash(str(error), "error")
        else:
            accounts.record_login(user, now())
            db.commit()
            _log_in(user, remember=False)
            flash(f"Welcome, {user.display_name}! Your account is ready.", "success")
            return redirect(safe_next(request.args.get("next")))
    return render_template("auth/register.html", form=form), _form_status()


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_auth_rate_limit, methods=["POST"])
def login() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        db = database.get_session()
        user = accounts.authenticate(
            db, form.email.data or "", form.password.data or "", hash_method=_hash_method()
        )
        if user is None:
            form.password.errors = [*form.password.errors, "Email or password is incorrect."]
        else:
            accounts.record_login(user, now())
            db.commit()
            _log_in(user, remember=bool(form.remember.data))
            return redirect(safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form), _form_status()


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    session.clear()
    logout_user()  # after clear(): it leaves the note that deletes the remember-me cookie
    flash("You are logged out.", "info")
    return redirect(url_for("main.index"))


def _settings_page(
    settings_form: SettingsForm | None = None,
    password_form: ChangePasswordForm | None = None,
    delete_form: DeleteAccountForm | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    user = _user()
    if settings_form is None:
        current = accounts.settings_of(user)
        settings_form = SettingsForm(
            formdata=None,
            data={
                "display_name": current.display_name,
                "timezone": current.timezone,
                "day_rollover_hour": current.day_rollover_hour,
                "new_per_day": current.new_per_day,
                "reviews_per_day": current.reviews_per_day,
                "desired_retention": current.desired_retention,
                "learning_steps": accounts.format_steps(current.learning_steps),
                "relearning_steps": accounts.format_steps(current.relearning_steps),
                "maximum_interval": current.maximum_interval,
                "interview_date": current.interview_date,
            },
        )
    return (
        render_template(
            "auth/settings.html",
            form=settings_form,
            password_form=password_form or ChangePasswordForm(formdata=None),
            delete_form=delete_form or DeleteAccountForm(formdata=None),
        ),
        status,
    )


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings() -> ResponseReturnValue:
    if request.method == "GET":
        return _settings_page()
    form = SettingsForm()
    if form.validate_on_submit():
        try:
            accounts.update_settings(_user(), form.to_settings())
        except UserInputError as error:
            database.get_session().rollback()
            if not show_error(form, error):
                flash(str(error), "error")
        else:
            database.get_session().commit()
            flash("Settings saved.", "success")
            return redirect(url_for("auth.settings"))
    return _settings_page(settings_form=form, status=422)


@bp.post("/settings/password")
@login_required
def change_password() -> ResponseReturnValue:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = _user()
        try:
            accounts.change_password(
                user,
                form.current_password.data or "",
                form.new_password.data or "",
                hash_method=_hash_method(),
            )
        except UserInputError as error:
            database.get_session().rollback()
            if not show_error(form, error):
                flash(str(error), "error")
        else:
            database.get_session().commit()
            # The token changed: other sessions and remember-me cookies are now dead.
            # Log this browser in again under the new token, keeping remember-me if it had it.
            remember_cookie = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
            _log_in(user, remember=remember_cookie in request.cookies)
            flash("Password changed. Your other devices have been logged out.", "success")
            return redirect(url_for("auth.settings"))
    return _settings_page(password_form=form, status=422)


@bp.post("/settings/delete")
@login_required
def delete_account() -> ResponseReturnValue:
    form = DeleteAccountForm()
    if form.validate_on_submit():
        db = database.get_session()
        try:
            accounts.delete_account(db, _user(), form.password.data or "")
        except UserInputError as error:
            db.rollback()
            show_error(form, error)
        else:
            db.commit()
            session.clear()
            logout_user()
            flash("Your account and all its data have been deleted.", "info")
            return redirect(url_for("main.index"))
    return _settings_page(delete_form=form, status=422)


@bp.get("/settings/my-data.json")
@login_required
def export_data() -> ResponseReturnValue:
    moment = now()
    data = accounts.export_user_data(database.get_session(), _user(), moment)
    body = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False)
    filename = f"quizapp-data-{moment:%Y-%m-%d}.json"
    return Response(
        body,
        mimetype="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )
