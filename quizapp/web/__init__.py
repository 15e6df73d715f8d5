"""Thin Flask blueprints: parse the request, call a service, commit, render."""

from __future__ import annotations

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from quizapp.web import (
        auth,
        errors,
        export,
        filters,
        kb,
        main,
        mentor,
        mock,
        navigation,
        progress,
        sim,
        study,
    )

    navigation.init_app(app)
    filters.init_app(app)
    for feature in (errors, main, kb, auth, study, progress, sim, mock, export, mentor):
        app.register_blueprint(feature.bp)
