"""Thin Flask blueprints: parse the request, call a service, commit, render."""

from __future__ import annotations

from importlib import import_module

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from quizapp.web import filters, navigation
    from quizapp.web.errors import bp as errors_bp
    from quizapp.web.main import bp as main_bp

    navigation.init_app(app)
    filters.init_app(app)
    app.register_blueprint(errors_bp)
    app.register_blueprint(main_bp)
    # Feature blueprints: one line each.
    app.register_blueprint(import_module("quizapp.web.kb").bp)
    app.register_blueprint(import_module("quizapp.web.auth").bp)
    app.register_blueprint(import_module("quizapp.web.mock").bp)
    app.register_blueprint(import_module("quizapp.web.study").bp)
    app.register_blueprint(import_module("quizapp.web.mentor").bp)
    app.register_blueprint(import_module("quizapp.web.sim").bp)
    app.register_blueprint(import_module("quizapp.web.progress").bp)
    app.register_blueprint(import_module("quizapp.web.export").bp)
