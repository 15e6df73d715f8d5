from quizapp.web.mentor.routes import bp

__all__ = ["bp"]
