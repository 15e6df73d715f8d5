from quizapp.web.mock.routes import bp

__all__ = ["bp"]
