from quizapp.web.sim.routes import bp

__all__ = ["bp"]
