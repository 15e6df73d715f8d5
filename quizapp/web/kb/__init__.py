from quizapp.web.kb.routes import bp

__all__ = ["bp"]
