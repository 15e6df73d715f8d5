from quizapp.web.study.routes import bp

__all__ = ["bp"]
