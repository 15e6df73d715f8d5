from quizapp.web.errors.handlers import bp

__all__ = ["bp"]
