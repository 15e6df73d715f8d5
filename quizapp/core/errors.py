"""The project's error types; each edge turns them into a clean message."""


class QuizappError(Exception):
    """Base class: an expected failure with a message fit for a person."""


class ConfigError(QuizappError):
    """The application is configured wrongly (missing secret, bad database URL)."""


class ContentError(QuizappError):
    """Content could not be compiled; carries the diagnostics."""


class UserInputError(QuizappError):
    """Something a user typed or sent is invalid; shown next to the field or as a flash."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field
