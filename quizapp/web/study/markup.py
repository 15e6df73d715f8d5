"""Question text (Markdown) → sanitised HTML with the compiler's renderer, cached."""

from __future__ import annotations

import threading
from functools import lru_cache

from markupsafe import Markup

from quizapp.core.compiler.render import Renderer, inline_html

_lock = threading.Lock()
_renderer: Renderer | None = None


@lru_cache(maxsize=8192)
def _render(text: str) -> str:
    global _renderer
    if "\n" not in text and "`" not in text[:1] and len(text) < 300:
        return f"<p>{inline_html(text)}</p>"
    with _lock:  # one Python-Markdown instance, reset between documents
        if _renderer is None:
            _renderer = Renderer()
        return _renderer.render(text).html


def markdown_html(text: str | None) -> Markup:
    """Rendered and sanitised by the compiler (nh3), so safe to mark as such."""
    return Markup(_render(text or ""))  # noqa: S704
