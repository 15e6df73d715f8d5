from __future__ import annotations

import pytest

from quizapp.core.compiler.render import Renderer, build_outline, inline_html


@pytest.mark.parametrize(
    "text",
    [
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](data:text/html,<script>alert(1)</script>)",
        "[x](vbscript:msgbox)",
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
    ],
)
def test_inline_html_cannot_carry_script(text: str) -> None:
    out = inline_html(text)
    assert "<script" not in out and "javascript:" not in out.lower()
    assert "<img" not in out and "data:" not in out.split('href="')[-1][:5]


def test_inline_html_renders_code_links_and_emphasis() -> None:
    assert inline_html("use `a<b` and **bold**, *em*, [docs](https://x.org/a?b=1&c=2)") == (
        "use <code>a&lt;b</code> and <strong>bold</strong>, <em>em</em>, "
        '<a href="https://x.org/a?b=1&amp;c=2" rel="noopener noreferrer nofollow">docs</a>'
    )


def test_outline_skips_fenced_code_and_records_lines() -> None:
    lines = [
        "## A",
        "",
        "```",
        "## not a heading",
        "- not an item",
        "```",
        "",
        "- item",
        "    more",
    ]
    outline = build_outline(lines, first_line=10)
    assert [(h.text, h.line) for h in outline.headings] == [("A", 10)]
    assert [(b.kind, b.text, b.line) for b in outline.blocks] == [("li", "item\nmore", 17)]


def test_renderer_is_reusable_and_resets_between_documents() -> None:
    renderer = Renderer()
    first = renderer.render("## One\n\ntext\n")
    second = renderer.render("## Two\n\ntext\n")
    assert [s.id for s in first.sections] == ["one"]
    assert [s.id for s in second.sections] == ["two"]


def test_two_space_nested_lists_are_flattened_four_space_nest() -> None:
    html = Renderer().render("- a\n    - b\n").html
    assert "<li>a<ul>" in html
