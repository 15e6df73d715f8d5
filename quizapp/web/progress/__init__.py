from quizapp.web.progress.routes import bp

__all__ = ["bp"]
