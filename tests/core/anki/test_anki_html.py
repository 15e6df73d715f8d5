"""Markdown → field HTML: escaping, code, links, the full-renderer fallback, nh3."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.core.anki import SPECS, build_export
from quizapp.core.anki.html import FieldRenderer, sanitize
from quizapp.core.compiler import compile_directory
from tests.anki_data import T_BUILD

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def render() -> FieldRenderer:
    return FieldRenderer("https://quiz.example/")


@pytest.mark.parametrize(
    ("markdown", "html"),
    [
        ("plain <b>not bold</b> & co", "plain &lt;b&gt;not bold&lt;/b&gt; &amp; co"),
        ("**bold**, *em* and `a<b`", "<strong>bold</strong>, <em>em</em> and <code>a&lt;b</code>"),
        ("`2*3*4` stays code", "<code>2*3*4</code> stays code"),
        (
            "[`ps` docs](/kb/ps)",
            '<a href="https://quiz.example/kb/ps"><code>ps</code> docs</a>',
        ),
        ("[x](javascript:alert)", "x"),
        (
            "[x](https://a.example/?q=1&r=2)",
            '<a href="https://a.example/?q=1&amp;r=2">x</a>',
        ),
        ("one\nline", "one line"),
        ("p1\n\np2", "<p>p1</p><p>p2</p>"),
        ("> quoted *it*", "<blockquote>quoted <em>it</em></blockquote>"),
        (
            "Run:\n\n```bash\nps aux | head\n# not a heading\n  indented\n```",
            '<p>Run:</p><pre><code class="language-bash">ps aux | head\n# not a heading\n  indented</code></pre>',
        ),
        ("- a\n- b `c`", "<ul><li>a</li><li>b <code>c</code></li></ul>"),
        (
            "| a | b |\n|---|--:|\n| `x\\|y` | 2 |",
            '<table><thead><tr><th>a</th><th align="right">b</th></tr></thead>'
            '<tbody><tr><td><code>x|y</code></td><td align="right">2</td></tr></tbody></table>',
        ),
        ("text\n- not a list in a paragraph", "text - not a list in a paragraph"),
    ],
)
def test_fast_path(render: FieldRenderer, markdown: str, html: str) -> None:
    assert render.render(markdown) == html


def test_other_markdown_goes_through_the_compiler_renderer_and_nh3(render: FieldRenderer) -> None:
    html = render.render("## Heading\n\n1. one\n2. [two](/kb/two)\n\n<script>alert(1)</script>")
    assert "<ol>" in html and "<li>one</li>" in html
    assert 'href="https://quiz.example/kb/two"' in html
    assert "<script" not in html and "alert(1)" not in html.replace("&lt;", "")


def test_without_the_compiler_the_fallback_escapes() -> None:
    plain = FieldRenderer("https://x", full=lambda text: "<p>" + text + "</p>")
    assert "<script" not in plain.render("# T\n\n<script>x</script>")


def test_sanitize_keeps_tables_code_and_classes_but_not_handlers() -> None:
    dirty = '<table class="t"><tr><td onclick="x()">1</td></tr></table><a href="javascript:x">y</a>'
    clean = sanitize(dirty)
    assert "onclick" not in clean and "javascript" not in clean
    assert '<table class="t">' in clean


@pytest.mark.parametrize("content", ["content", "tests/fixtures/content/minimal"])
def test_every_field_of_real_content_is_already_what_nh3_would_make_it(content: str) -> None:
    """The fast path skips nh3 for speed: prove that it would change nothing."""
    result = compile_directory(ROOT / content)
    export = build_export([(q, T_BUILD) for q in result.questions], base_url="https://quiz.example")
    assert export.notes
    for note in export.notes:
        for name, value in zip(SPECS[note.note_type].fields, note.fields, strict=True):
            assert sanitize(value) == value, (note.questions[0].id, name, value)
