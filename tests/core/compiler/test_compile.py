from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

from quizapp.core.compiler import SourceFile, compile_content, compile_directory, read_content
from quizapp.core.compiler.export import to_json
from quizapp.core.questions import QuestionKind

GOLDEN = Path(__file__).parent / "golden" / "minimal.json"


def test_minimal_fixture_matches_the_golden_export(content_dir: Path) -> None:
    result = compile_directory(content_dir / "minimal")
    assert [d.format() for d in result.diagnostics] == []
    exported = json.dumps(to_json(result), indent=1, ensure_ascii=False, sort_keys=True)
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(exported + "\n", encoding="utf-8")
    assert exported + "\n" == GOLDEN.read_text(encoding="utf-8")


BROKEN = [
    (
        "commands/pages/common/broken-tldr.md",
        3,
        "warning",
        "description line should end with a period",
    ),
    (
        "commands/pages/common/broken-tldr.md",
        5,
        "warning",
        "example description should end with a colon",
    ),
    (
        "commands/pages/common/broken-tldr.md",
        9,
        "warning",
        "example description has no command after it",
    ),
    (
        "kb/memory/bad-yaml.md",
        4,
        "error",
        "front matter is not valid YAML: mapping values are not allowed in this context",
    ),
    ("kb/memory/coerced.md", 1, "error", "required field `summary` is missing"),
    ("kb/memory/coerced.md", 1, "warning", "no other entry links to `coerced`"),
    (
        "kb/memory/coerced.md",
        2,
        "error",
        "`title` must be text, but YAML read it as the boolean false",
    ),
    ("kb/memory/coerced.md", 4, "error", "unknown level `expert`"),
    ("kb/memory/coerced.md", 5, "warning", "unknown front-matter key `sumary`"),
    (
        "kb/memory/coerced.md",
        6,
        "error",
        "every item of `aka` must be text, but YAML read one as the boolean true",
    ),
    (
        "kb/memory/coerced.md",
        6,
        "error",
        "every item of `aka` must be text, but YAML read one as the number 1.1",
    ),
    ("kb/memory/links.md", 6, "error", "see_also `nope` does not resolve to an entry"),
    ("kb/memory/links.md", 7, "error", "lesson `missing-lesson` is not in lessons.yaml"),
    ("kb/memory/links.md", 12, "error", "command `free -m` has no description"),
    (
        "kb/memory/links.md",
        13,
        "error",
        "command list item must start with the command in backticks",
    ),
    ("kb/memory/links.md", 14, "error", "command contains hidden control characters (U+0008)"),
    ("kb/memory/links.md", 19, "error", "interview question has no stable key"),
    ("kb/memory/links.md", 23, "error", "interview key `What_Swap` is not lowercase-with-dashes"),
    (
        "kb/memory/wrong-folder.md",
        3,
        "error",
        "category `processes` does not match the folder `memory`",
    ),
    ("kb/processes/dup.md", 6, "error", "duplicate id `links` (also kb/memory/links.md)"),
    ("kb/processes/no-front-matter.md", 1, "error", "knowledge-base entry has no front matter"),
    (
        "kb/processes/wrong-folder.md",
        1,
        "error",
        "duplicate slug `wrong-folder` (also kb/memory/wrong-folder.md)",
    ),
    ("stray.md", 0, "warning", "file is not part of the content layout; ignored"),
]


def test_broken_fixture_reports_every_problem_with_its_line(content_dir: Path) -> None:
    result = compile_directory(content_dir / "broken")
    found = [(d.path, d.line, d.severity.value, d.message) for d in result.diagnostics]
    assert found == BROKEN
    assert not result.ok()


def test_diagnostics_carry_hints(content_dir: Path) -> None:
    result = compile_directory(content_dir / "broken")
    hints = {(d.path, d.line): d.hint for d in result.diagnostics}
    assert hints[("kb/memory/links.md", 19)] == "end the heading with {#why-is-free-memory-low}"
    assert hints[("kb/memory/coerced.md", 2)] == 'quote it: title: "no"'
    assert hints[("kb/memory/coerced.md", 5)] == "did you mean `summary`?"
    formatted = result.diagnostics[0].format()
    assert formatted.startswith("commands/pages/common/broken-tldr.md:3: warning: ")


def test_tldr_pages_compile_unmodified_and_translations_are_skipped(content_dir: Path) -> None:
    result = compile_directory(content_dir / "tldr")
    assert result.errors == []
    assert sorted(e.slug for e in result.entries) == ["tldr-free", "tldr-ss", "tldr-tar"]
    tar = next(e for e in result.entries if e.slug == "tldr-tar")
    assert tar.summary.startswith("Archiving utility.")
    assert tar.commands[0].description == "create an archive and write it to a file"
    assert tar.commands[0].plain == "tar cf <path/to/target.tar> <path/to/file1 path/to/file2 ...>"
    assert {b.slug for b in result.banks} == {"commands"}
    ss = next(e for e in result.entries if e.slug == "tldr-ss")
    assert ss.commands[1].plain == "ss --tcp --listening --processes"


def test_unicode_fixture_compiles(content_dir: Path) -> None:
    result = compile_directory(content_dir / "unicode")
    assert [d.format() for d in result.diagnostics] == []
    dns = next(e for e in result.entries if e.slug == "dns-resolution")
    assert dns.title == "Résolution DNS — 域名解析"
    assert "« récursif »" in dns.html
    assert [c.template for c in dns.commands] == [
        "getent hosts {{nom}}",
        "resolvectl query {{nom}}",
    ]
    cloze = next(q for q in result.questions if q.kind is QuestionKind.CLOZE)
    assert "[fichier local]" in cloze.prompt


def _sources(content_dir: Path) -> list[SourceFile]:
    files, problems = read_content(content_dir / "minimal")
    assert problems == []
    return files


def test_editing_prose_keeps_every_question_id(content_dir: Path) -> None:
    files = _sources(content_dir)
    before = compile_content(files)
    edited = []
    for source in files:
        text = source.text
        if source.path == "kb/processes/oom-killer.md":
            text = (
                text.replace("picks and kills", "chooses and kills")
                .replace("show the OOM score", "print the OOM score")
                .replace("It computes a badness score", "It scores")
                .replace("How does the kernel choose", "How does Linux choose")
                .replace("mostly from how much", "largely from how much")
            )
        edited.append(SourceFile.of(source.path, text))
    after = compile_content(edited)
    assert {q.id for q in after.questions} == {q.id for q in before.questions}
    changed = {q.id for q in after.questions} - {
        q.id
        for q in after.questions
        if q.content_hash in {b.content_hash for b in before.questions}
    }
    assert "oom-killer/interview/victim-choice" in changed


def test_renaming_a_file_with_an_explicit_id_keeps_ids(content_dir: Path) -> None:
    files = _sources(content_dir)
    before = {q.id for q in compile_content(files).questions if q.entry_slug == "signals"}
    renamed = [
        SourceFile.of(
            "kb/processes/unix-signals.md", f.text.replace("level:", "id: signals\nlevel:")
        )
        if f.path == "kb/processes/signals.md"
        else f
        for f in files
    ]
    result = compile_content(renamed)
    after = {q.id for q in result.questions if q.entry_slug == "unix-signals"}
    assert after and after == before


def test_questions_are_deterministic(content_dir: Path) -> None:
    files = _sources(content_dir)
    first = [(q.id, q.content_hash) for q in compile_content(files).questions]
    second = [(q.id, q.content_hash) for q in compile_content(list(reversed(files))).questions]
    assert sorted(first) == sorted(second)


def test_every_kind_is_generated(content_dir: Path) -> None:
    result = compile_directory(content_dir / "minimal")
    kinds = {q.kind for q in result.questions}
    assert kinds >= {
        QuestionKind.INTERVIEW,
        QuestionKind.TERM_DEFINITION,
        QuestionKind.DEFINITION_TERM,
        QuestionKind.ALIAS_TERM,
        QuestionKind.COMMAND_PURPOSE,
        QuestionKind.PURPOSE_COMMAND,
        QuestionKind.CLOZE,
        QuestionKind.MULTIPLE_CHOICE,
        QuestionKind.SEE_ALSO,
    }
    for question in result.questions:
        assert question.explanation and "/kb/" in question.explanation
        json.dumps(question.data)


def test_multiple_choice_has_one_right_answer_among_distinct_choices(content_dir: Path) -> None:
    result = compile_directory(content_dir / "minimal")
    for question in result.questions:
        if question.kind is QuestionKind.MULTIPLE_CHOICE:
            choices = question.data["choices"]
            assert len(set(choices)) == len(choices) >= 3
            assert question.answer.strip("`") == choices[question.data["correct"]]


def test_definition_hides_the_term(content_dir: Path) -> None:
    result = compile_directory(content_dir / "minimal")
    [question] = [q for q in result.questions if q.id == "signals/definition_term/term"]
    assert "signal" not in question.prompt.lower()


def test_cloze_keeps_the_anki_text(content_dir: Path) -> None:
    result = compile_directory(content_dir / "minimal")
    [cloze] = [q for q in result.questions if q.id == "oom-killer/cloze/0"]
    assert cloze.data["cloze"].startswith(
        "Each process gets a badness score from {{c1::0::lowest}}"
    )
    assert cloze.data["deletions"] == [1, 2, 3]
    assert "[lowest]" in cloze.prompt and "{{" not in cloze.prompt
    assert "**1000**" in cloze.answer


def test_parse_cache_skips_unchanged_files(content_dir: Path) -> None:
    files = _sources(content_dir)
    cache: dict = {}  # type: ignore[type-arg]
    first = compile_content(files, cache=cache)
    assert len(cache) == 5
    poisoned = {key: replace(value, diagnostics=()) for key, value in cache.items()}
    second = compile_content(files, cache=poisoned)
    assert [q.id for q in second.questions] == [q.id for q in first.questions]


def test_rendered_html_is_sanitised_but_keeps_highlighting_and_anchors() -> None:
    text = (
        "---\ntitle: X\ncategory: c\nlevel: beginner\nsummary: S\n---\n\n## Section one\n\n"
        '<script>alert(1)</script>\n\n<a href="javascript:alert(1)" onclick="x()">x</a>\n\n'
        "```python\nprint('hi')\n```\n"
    )
    result = compile_content(
        [SourceFile.of("kb/c/x.md", text), SourceFile.of("categories.yaml", "c: C\n")]
    )
    html = result.entries[0].html
    assert "<script" not in html and "javascript:" not in html and "onclick" not in html
    assert '<h2 id="section-one">' in html
    assert 'class="codehilite"' in html and 'class="nb"' in html
    assert '<span class="codeblock-lang">python</span>' in html


def test_missing_index_files_are_reported(content_dir: Path) -> None:
    files = [f for f in _sources(content_dir) if f.path not in ("categories.yaml", "lessons.yaml")]
    result = compile_content(files)
    messages = {(d.path, d.message) for d in result.errors}
    assert ("categories.yaml", "categories.yaml is missing") in messages
    assert ("lessons.yaml", "lessons.yaml is missing") in messages


def test_bad_index_yaml_is_a_diagnostic() -> None:
    result = compile_content([SourceFile.of("categories.yaml", "memory: [unclosed\n")])
    [error] = result.errors
    assert error.path == "categories.yaml" and error.message.startswith("not valid YAML")


def test_utf8_errors_are_reported(tmp_path: Path) -> None:
    (tmp_path / "kb" / "x").mkdir(parents=True)
    (tmp_path / "kb" / "x" / "bad.md").write_bytes(b"---\ntitle: \xff\n---\n")
    result = compile_directory(tmp_path)
    assert ("kb/x/bad.md", 0, "error") in [
        (d.path, d.line, d.severity.value) for d in result.diagnostics
    ]
