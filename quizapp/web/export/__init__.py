from quizapp.web.export.routes import bp

__all__ = ["bp"]
