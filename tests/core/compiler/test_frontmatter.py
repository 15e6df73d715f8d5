from __future__ import annotations

import pytest

from quizapp.core.compiler.diagnostics import Diagnostics
from quizapp.core.compiler.frontmatter import FieldReader, split_front_matter


def read(text: str) -> tuple[FieldReader, Diagnostics]:
    diags = Diagnostics()
    fm = split_front_matter("x.md", text, diags)
    return FieldReader("x.md", fm, diags), diags


@pytest.mark.parametrize(
    ("line", "message", "hint"),
    [
        ("title: no", "YAML read it as the boolean false", 'quote it: title: "no"'),
        ("title: 1.10", "YAML read it as the number 1.1", 'quote it: title: "1.10"'),
        (
            "title: 2024-01-15",
            "YAML read it as a date (2024-01-15)",
            'quote it: title: "2024-01-15"',
        ),
        ("title: [a, b]", "YAML read it as a list", "quote"),
    ],
)
def test_yaml_1_1_coercions_are_reported_with_the_line(line: str, message: str, hint: str) -> None:
    reader, diags = read(f"---\ncategory: x\n{line}\n---\nbody\n")
    assert reader.string("title", required=True) == ""
    [problem] = diags.items
    assert (problem.line, problem.severity.value) == (3, "error")
    assert message in problem.message
    assert hint in problem.hint


def test_quoted_values_stay_text() -> None:
    reader, diags = read('---\ntitle: "no"\nversion: "1.10"\n---\n')
    assert reader.string("title", required=True) == "no"
    assert reader.string("version", required=True) == "1.10"
    assert diags.items == []


def test_wikilink_habit_in_a_list_is_explained() -> None:
    reader, diags = read("---\nsee_also: [[swap]]\n---\n")
    assert reader.string_list("see_also") == ()
    assert "nested list" in diags.items[0].hint


def test_body_line_and_key_lines_point_into_the_file() -> None:
    diags = Diagnostics()
    fm = split_front_matter(
        "x.md", "---\ntitle: A\n\nsummary: B  # note\n---\nfirst body line\n", diags
    )
    assert fm.body_line == 6
    assert fm.key_lines == {"title": 2, "summary": 4}
    assert fm.body.startswith("first body line")


def test_unclosed_front_matter_is_an_error_not_a_traceback() -> None:
    _reader, diags = read("---\ntitle: A\n")
    assert [d.message for d in diags.items] == ["front matter is not closed"]


def test_missing_and_empty_required_fields() -> None:
    reader, diags = read('---\ntitle: ""\n---\n')
    reader.string("title", required=True)
    reader.string("summary", required=True)
    assert [(d.line, d.message) for d in diags.items] == [
        (2, "required field `title` is empty"),
        (1, "required field `summary` is missing"),
    ]
