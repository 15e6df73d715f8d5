"""The `plain_text` filter: Markdown prompts as one short line in lists."""

from __future__ import annotations

import pytest
from flask import Flask, render_template_string

from quizapp.web.filters import plain_text


@pytest.mark.parametrize(
    ("markdown", "text"),
    [
        ("Someone says **apparmor profile**. Which?", "Someone says apparmor profile. Which?"),
        (
            "What does this do?\n\n```bash\nsudo aa-logprof\n```",
            "What does this do? sudo aa-logprof",
        ),
        ("> quoted *em* and __strong__", "quoted em and strong"),
        ("Set `oom_score_adj` to -1000; 2 * 3 * 4", "Set oom_score_adj to -1000; 2 * 3 * 4"),
        ("# Heading\n- item\n1. [a link](https://example.com)", "Heading item a link"),
        ("kill -9 <pid>", "kill -9 <pid>"),
        ("", ""),
        (None, ""),
    ],
)
def test_plain_text_drops_markup_and_collapses_whitespace(markdown, text) -> None:  # type: ignore[no-untyped-def]
    assert plain_text(markdown) == text


def test_plain_text_cuts_long_prompts_at_a_word_with_an_ellipsis() -> None:
    text = plain_text("word " * 60)
    assert len(text) <= 140 and text.endswith("word…")


def test_plain_text_is_registered_for_every_template_and_escaped(app: Flask) -> None:
    with app.app_context():
        html = render_template_string("{{ p | plain_text }}", p="**kill** <pid>")
    assert html == "kill &lt;pid&gt;"
