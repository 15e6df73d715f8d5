from quizapp.web.auth.routes import bp

__all__ = ["bp"]
