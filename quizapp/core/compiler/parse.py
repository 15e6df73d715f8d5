"""Phase 2: parse one file into an `Entry` (or the category and lesson indexes).

Parsing a file depends on nothing but that file, so its result can be cached by
the file's hash. Checks that need other files live in `validate.py`.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

import yaml

from quizapp.core.compiler.commands import (
    hidden_characters,
    normalise_command,
    parse_command_item,
    plain_command,
)
from quizapp.core.compiler.diagnostics import Diagnostics
from quizapp.core.compiler.frontmatter import FieldReader, split_front_matter
from quizapp.core.compiler.model import (
    Category,
    ClozeBlock,
    Command,
    Entry,
    EntryKind,
    InterviewItem,
    Lesson,
    ParsedFile,
    SourceFile,
)
from quizapp.core.compiler.render import (
    CLOZE,
    COMMANDS_HEADING,
    INTERVIEW_HEADING,
    Outline,
    Renderer,
    inline_html,
)
from quizapp.core.compiler.tldr import parse_tldr
from quizapp.core.questions import Level

SLUG = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
KEY = re.compile(r"^[a-z0-9][a-z0-9-]*$")
KB_KEYS = ("title", "category", "level", "summary", "aka", "see_also", "lessons", "tags", "id")
CHEATSHEET_KEYS = ("title", "category", "level", "summary", "aka", "entry", "tags", "id")
LEVELS = tuple(level.value for level in Level)


def slugify(text: str, limit: int = 48) -> str:
    """A key suggestion from a heading: lowercase words joined by dashes."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    slug = ""
    for word in words:
        if len(slug) + len(word) + 1 > limit and slug:
            break
        slug = f"{slug}-{word}" if slug else word
    return slug or "question"


def _unknown_keys(path: str, reader: FieldReader, known: tuple[str, ...]) -> None:
    for key in reader.meta:
        if key not in known:
            close = difflib.get_close_matches(key, known, n=1)
            reader.diags.warning(
                path,
                reader.line(key),
                f"unknown front-matter key `{key}`",
                f"did you mean `{close[0]}`?" if close else f"known keys: {', '.join(known)}",
            )


def _level(path: str, reader: FieldReader) -> Level:
    value = reader.string("level", required=True)
    if value and value not in LEVELS:
        reader.diags.error(
            path,
            reader.line("level"),
            f"unknown level `{value}`",
            f"use one of: {', '.join(LEVELS)}",
        )
    return Level(value) if value in LEVELS else Level.INTERMEDIATE


def _identity(path: str, reader: FieldReader, stem: str, diags: Diagnostics) -> tuple[str, str]:
    if not SLUG.match(stem):
        diags.error(
            path,
            0,
            f"file name `{stem}` is not a valid slug",
            f"rename the file to `{slugify(stem)}.md` (lowercase letters, digits, dashes)",
        )
    explicit = reader.string("id", required=False)
    if explicit and not SLUG.match(explicit):
        diags.error(
            path,
            reader.line("id"),
            f"`id: {explicit}` is not a valid id",
            "use lowercase letters, digits and dashes",
        )
    return stem, explicit or stem


def _commands(
    path: str, outline: Outline, blocks_section: str | None, diags: Diagnostics
) -> tuple[Command, ...]:
    """Command list items: of the named `##` section, or (None) of the whole body."""
    commands: list[Command] = []
    seen: dict[str, int] = {}
    for block in outline.blocks:
        if block.kind != "li" or block.indent >= 4:
            continue
        if blocks_section is not None and block.section.strip().lower() != blocks_section:
            continue
        text = " ".join(block.text.split("\n"))
        item = parse_command_item(f"- {text}", block.line)
        if item is None:
            diags.error(
                path,
                block.line,
                "command list item must start with the command in backticks",
                "write `- `command` — what it does`",
            )
            continue
        if not item.description:
            diags.error(
                path,
                block.line,
                f"command `{item.template}` has no description",
                "add one line after it: `- `command` — what it does`",
            )
            continue
        if hidden := hidden_characters(item.template):
            diags.error(
                path,
                block.line,
                f"command contains hidden control characters ({', '.join(hidden)})",
                "they change the command when pasted into a terminal; delete them",
            )
            continue
        key = normalise_command(item.template)
        if key in seen:
            diags.error(
                path,
                block.line,
                f"command `{item.template}` is listed twice (first on line {seen[key]})",
                "keep one",
            )
            continue
        seen[key] = block.line
        commands.append(
            Command(
                item.template,
                item.description,
                block.line,
                plain_command(item.template),
                inline_html(item.description),
            )
        )
    return tuple(commands)


def _interview(path: str, outline: Outline, diags: Diagnostics) -> tuple[InterviewItem, ...]:
    found = outline.section_of(INTERVIEW_HEADING)
    if found is None:
        return ()
    section, end = found
    headings = [h for h in outline.headings if section.line < h.line < end]
    items: list[InterviewItem] = []
    keys: dict[str, int] = {}
    for i, heading in enumerate(headings):
        if heading.level != 3:
            continue
        stop = next((h.line for h in headings[i + 1 :] if h.level <= 3), end)
        answer = outline.text_between(heading.line + 1, stop).strip()
        if not heading.key:
            diags.error(
                path,
                heading.line,
                "interview question has no stable key",
                f"end the heading with {{#{slugify(heading.text)}}}",
            )
            continue
        if not KEY.match(heading.key):
            diags.error(
                path,
                heading.line,
                f"interview key `{heading.key}` is not lowercase-with-dashes",
                f"use {{#{slugify(heading.key)}}}",
            )
            continue
        if heading.key in keys:
            diags.error(
                path,
                heading.line,
                f"interview key `{heading.key}` is used twice (first on line {keys[heading.key]})",
                "keys must be unique within an entry",
            )
            continue
        if not answer:
            diags.error(
                path, heading.line, "interview question has no model answer", "write it below"
            )
            continue
        keys[heading.key] = heading.line
        items.append(InterviewItem(heading.key, heading.text, answer, heading.line))
    if not items and not any(h.level == 3 for h in headings):
        diags.warning(path, section.line, "Interview questions section has no `###` questions")
    return tuple(items)


def _clozes(path: str, outline: Outline, diags: Diagnostics) -> tuple[ClozeBlock, ...]:
    clozes: list[ClozeBlock] = []
    firsts: dict[str, int] = {}
    for block in outline.blocks:
        if block.section.strip().lower() in (COMMANDS_HEADING, INTERVIEW_HEADING):
            continue
        marks = list(CLOZE.finditer(block.text))
        if not marks:
            continue
        first = min(marks, key=lambda m: int(m.group(1)))
        key = cloze_key(block.text)
        if key in firsts:
            diags.error(
                path,
                block.line,
                f"another paragraph already starts with the deletion `{first.group(2)}` "
                f"(line {firsts[key]})",
                "a paragraph's first deletion names its cloze card; make it unique in the entry",
            )
            continue
        firsts[key] = block.line
        clozes.append(ClozeBlock(block.text, block.line, block.section))
    return tuple(clozes)


def cloze_key(text: str) -> str:
    """The stable key of a cloze paragraph: its lowest-numbered deletion's answer."""
    first = min(CLOZE.finditer(text), key=lambda m: int(m.group(1)))
    return " ".join(first.group(2).lower().split())


def parse_kb_entry(source: SourceFile, renderer: Renderer) -> ParsedFile:
    diags = Diagnostics()
    path = source.path
    fm = split_front_matter(path, source.text, diags)
    if not fm.present:
        diags.error(
            path, 1, "knowledge-base entry has no front matter", "start the file with a --- block"
        )
        return ParsedFile(source, None, tuple(diags.items))
    if fm.meta is None:
        return ParsedFile(source, None, tuple(diags.items))
    reader = FieldReader(path, fm, diags)
    _unknown_keys(path, reader, KB_KEYS)
    stem = path.rsplit("/", 1)[-1].removesuffix(".md")
    slug, identity = _identity(path, reader, stem, diags)
    title = reader.string("title", required=True)
    category = reader.string("category", required=True)
    level = _level(path, reader)
    summary = reader.string("summary", required=True)
    aka, see_also = reader.string_list("aka"), reader.string_list("see_also")
    lessons, tags = reader.string_list("lessons"), reader.string_list("tags")
    rendered = renderer.render(fm.body, first_line=fm.body_line)
    for heading in rendered.outline.headings:
        if heading.level == 1:
            diags.warning(
                path,
                heading.line,
                "`#` heading in the body",
                "the title comes from the front matter; use `##` for sections",
            )
    has_commands = rendered.outline.section_of(COMMANDS_HEADING) is not None
    entry = Entry(
        identity=identity,
        slug=slug,
        kind=EntryKind.KB,
        path=path,
        source_sha=source.sha,
        title=title,
        category=category,
        level=level,
        summary=summary,
        aka=aka,
        see_also=see_also,
        lessons=lessons,
        tags=tags,
        markdown=source.text,
        html=rendered.html,
        summary_html=inline_html(summary),
        sections=tuple(rendered.sections),
        commands=_commands(path, rendered.outline, COMMANDS_HEADING, diags) if has_commands else (),
        interview=_interview(path, rendered.outline, diags),
        clozes=_clozes(path, rendered.outline, diags),
        key_lines=dict(fm.key_lines),
    )
    return ParsedFile(source, entry, tuple(diags.items))


def parse_cheatsheet(source: SourceFile, renderer: Renderer) -> ParsedFile:
    """A `content/commands/*.md` file: front matter → cheat-sheet, none → tldr page."""
    diags = Diagnostics()
    path = source.path
    fm = split_front_matter(path, source.text, diags)
    if not fm.present:
        return _parse_tldr_entry(source, diags)
    if fm.meta is None:
        return ParsedFile(source, None, tuple(diags.items))
    reader = FieldReader(path, fm, diags)
    _unknown_keys(path, reader, CHEATSHEET_KEYS)
    stem = path.rsplit("/", 1)[-1].removesuffix(".md")
    slug, identity = _identity(path, reader, stem, diags)
    title = reader.string("title", required=True)
    category = reader.string("category", required=True)
    level = _level(path, reader)
    summary = reader.string("summary", required=True)
    rendered = renderer.render(fm.body, first_line=fm.body_line)
    section = COMMANDS_HEADING if rendered.outline.section_of(COMMANDS_HEADING) else None
    commands = _commands(path, rendered.outline, section, diags)
    if not commands:
        diags.warning(path, fm.body_line, "cheat-sheet lists no commands")
    body_html = "" if section is None else rendered.html
    entry = Entry(
        identity=f"cmd-{identity}",
        slug=f"cmd-{slug}",
        kind=EntryKind.CHEATSHEET,
        path=path,
        source_sha=source.sha,
        title=title,
        category=category,
        level=level,
        summary=summary,
        aka=reader.string_list("aka"),
        tags=reader.string_list("tags"),
        parent=reader.string("entry", required=False),
        markdown=source.text,
        html=body_html,
        summary_html=inline_html(summary),
        sections=tuple(rendered.sections),
        commands=commands,
        key_lines=dict(fm.key_lines),
    )
    return ParsedFile(source, entry, tuple(diags.items))


TLDR_CATEGORY = "commands"
_MAIN_PLATFORMS = ("common", "linux", "")


def _parse_tldr_entry(source: SourceFile, diags: Diagnostics) -> ParsedFile:
    path = source.path
    page = parse_tldr(path, source.text, diags)
    parts = path.split("/")
    platform = parts[-2] if len(parts) >= 3 and parts[-3] == "pages" else ""
    stem = parts[-1].removesuffix(".md").lower()
    qualified = stem if platform in _MAIN_PLATFORMS else f"{platform}-{stem}"
    summary = " ".join(page.description)
    commands = tuple(
        Command(
            item.template,
            item.description,
            item.line,
            plain_command(item.template),
            inline_html(item.description),
        )
        for item in page.examples
    )
    entry = Entry(
        identity=f"tldr-{qualified}",
        slug=f"tldr-{qualified}",
        kind=EntryKind.TLDR,
        path=path,
        source_sha=source.sha,
        title=page.name,
        category=TLDR_CATEGORY,
        level=Level.BEGINNER,
        summary=summary,
        markdown=source.text,
        summary_html=inline_html(summary),
        commands=commands,
    )
    return ParsedFile(source, entry, tuple(diags.items))


def _load_yaml_mapping(source: SourceFile, diags: Diagnostics) -> dict[str, Any]:
    try:
        data = yaml.safe_load(source.text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        diags.error(
            source.path,
            mark.line + 1 if mark else 1,
            f"not valid YAML: {exc.problem or exc}",
            "check indentation and quoting",
        )
        return {}
    except yaml.YAMLError as exc:  # pragma: no cover
        diags.error(source.path, 1, f"not valid YAML: {exc}")
        return {}
    if data is None:
        return {}
    if not isinstance(data, dict):
        diags.error(source.path, 1, "must be a mapping of slug: title", "write `slug: Title`")
        return {}
    return {str(k): v for k, v in data.items()}


def _line_of_key(text: str, key: str) -> int:
    for number, line in enumerate(text.split("\n"), start=1):
        if line.startswith((f"{key}:", f'"{key}":', f"'{key}':")):
            return number
    return 1


def parse_index(
    source: SourceFile, diags: Diagnostics, *, what: str
) -> dict[str, tuple[str, str, str]]:
    """`categories.yaml` / `lessons.yaml`: `slug: Title` or `slug: {title, description|url}`."""
    out: dict[str, tuple[str, str, str]] = {}
    for key, value in _load_yaml_mapping(source, diags).items():
        line = _line_of_key(source.text, key)
        if not SLUG.match(key):
            diags.error(source.path, line, f"{what} id `{key}` is not a valid slug")
            continue
        if isinstance(value, str) and value.strip():
            out[key] = (value.strip(), "", "")
        elif isinstance(value, dict) and isinstance(value.get("title"), str):
            extra = value.get("description", value.get("url", ""))
            out[key] = (value["title"].strip(), str(extra or "").strip(), str(value.get("url", "")))
        else:
            diags.error(
                source.path,
                line,
                f"{what} `{key}` needs a title",
                f'write `{key}: "Title"` or `{key}: {{title: ..., description: ...}}`',
            )
    return out


def parse_categories(source: SourceFile, diags: Diagnostics) -> dict[str, Category]:
    return {
        slug: Category(slug, title, extra)
        for slug, (title, extra, _url) in parse_index(source, diags, what="category").items()
    }


def parse_lessons(source: SourceFile, diags: Diagnostics) -> dict[str, Lesson]:
    return {
        slug: Lesson(slug, title, url)
        for slug, (title, _extra, url) in parse_index(source, diags, what="lesson").items()
    }
