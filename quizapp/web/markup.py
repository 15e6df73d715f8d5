"""Question text (Markdown) → sanitised HTML, as the content build stores it.

The review screen and the mock interview show questions through here. Questions
carry their HTML from the build (`questions.prompt_html` and the others); text
without it (a question written before the columns existed, an OOM scenario's
explanation in `data`, a mock's expected answer) is rendered the same way and cached.
"""

from __future__ import annotations

import threading
from functools import lru_cache

from markupsafe import Markup

from quizapp.core.compiler.render import Renderer, question_html

_lock = threading.Lock()
_renderer: Renderer | None = None


@lru_cache(maxsize=8192)
def _render(text: str) -> str:
    global _renderer
    with _lock:  # one Python-Markdown instance, reset between documents
        if _renderer is None:
            _renderer = Renderer()
        return question_html(text, _renderer)


def markdown_html(text: str | None, rendered: str | None = None) -> Markup:
    """`rendered` (the build's HTML of `text`) if given, else `text` rendered now.

    Both come from the compiler's renderer, sanitised by nh3, so safe to mark as such.
    """
    if rendered is not None:
        return Markup(rendered)  # noqa: S704
    return Markup(_render(text or ""))  # noqa: S704
