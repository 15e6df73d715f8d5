"""YAML front matter: split it from the body, load it safely, check its types.

PyYAML implements YAML 1.1, which reads `no` as false, `1.10` as the float 1.1
and `2024-01-15` as a date. Authors rarely mean that in a title or a slug, so
every field is type-checked here and the message says what YAML did.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from quizapp.core.compiler.diagnostics import Diagnostics

try:  # libyaml is in the PyYAML wheels; fall back to the pure-Python loader
    _Loader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader

_KEY_LINE = re.compile(r"^([A-Za-z_][\w-]*)\s*:")


@dataclass(slots=True)
class FrontMatter:
    meta: dict[str, Any] | None  # None: no front matter, or it could not be read
    body: str
    body_line: int  # file line number of the body's first line
    key_lines: dict[str, int] = field(default_factory=dict)
    raw_values: dict[str, str] = field(default_factory=dict)  # key -> text as written
    present: bool = False  # the file starts with a front-matter block


def split_front_matter(path: str, text: str, diags: Diagnostics) -> FrontMatter:
    """Split `---` YAML `---` from the body; report unreadable YAML with its line."""
    text = text.removeprefix("\ufeff")
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return FrontMatter(None, text, 1)
    end: int | None = next(
        (i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")),
        None,
    )
    if end is None:
        diags.error(
            path, 1, "front matter is not closed", "end the YAML block with a line holding only ---"
        )
        return FrontMatter(None, "", len(lines) + 1, present=True)
    yaml_lines = lines[1:end]
    body = "\n".join(lines[end + 1 :])
    key_lines: dict[str, int] = {}
    raw_values: dict[str, str] = {}
    for offset, line in enumerate(yaml_lines):
        match = _KEY_LINE.match(line)
        if match and match.group(1) not in key_lines:
            key_lines[match.group(1)] = offset + 2
            raw_values[match.group(1)] = line[match.end() :].split(" #")[0].strip()
    try:
        meta = yaml.load("\n".join(yaml_lines), Loader=_Loader)  # noqa: S506 (a safe loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        error_line = mark.line + 2 if mark is not None else 1
        problem = exc.problem or exc.context or "invalid YAML"
        diags.error(
            path,
            error_line,
            f"front matter is not valid YAML: {problem}",
            "check indentation and quoting; values with ': ' or '#' need quotes",
        )
        return FrontMatter(None, body, end + 2, key_lines, raw_values, present=True)
    except yaml.YAMLError as exc:  # pragma: no cover - other loader errors
        diags.error(path, 1, f"front matter is not valid YAML: {exc}")
        return FrontMatter(None, body, end + 2, key_lines, raw_values, present=True)
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        diags.error(
            path, 2, "front matter must be a mapping of keys to values", "write `key: value` lines"
        )
        return FrontMatter(None, body, end + 2, key_lines, raw_values, present=True)
    return FrontMatter(
        {str(k): v for k, v in meta.items()}, body, end + 2, key_lines, raw_values, present=True
    )


def _coercion(value: object) -> str | None:
    """Describe what YAML 1.1 turned a scalar into, if it is not a string."""
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value!r}"
    if isinstance(value, dt.datetime | dt.date):
        return f"a date ({value.isoformat()})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return None


class FieldReader:
    """Reads typed fields out of a front-matter mapping, reporting every problem."""

    def __init__(self, path: str, fm: FrontMatter, diags: Diagnostics) -> None:
        self.path = path
        self.meta = fm.meta or {}
        self.fm = fm
        self.diags = diags

    def line(self, key: str) -> int:
        return self.fm.key_lines.get(key, 1)

    def _quote_hint(self, key: str) -> str:
        raw = self.fm.raw_values.get(key, "")
        return f'quote it: {key}: "{raw}"' if raw else "quote the value"

    def string(self, key: str, *, required: bool) -> str:
        if key not in self.meta or self.meta[key] is None:
            if required:
                where = self.line(key) if key in self.meta else 1
                self.diags.error(
                    self.path,
                    where,
                    f"required field `{key}` is {'empty' if key in self.meta else 'missing'}",
                    f"add `{key}: ...` to the front matter",
                )
            return ""
        value = self.meta[key]
        if not isinstance(value, str):
            what = _coercion(value)
            self.diags.error(
                self.path,
                self.line(key),
                f"`{key}` must be text, but YAML read it as {what}",
                self._quote_hint(key),
            )
            return ""
        text = str(value).strip()
        if not text and required:
            self.diags.error(
                self.path,
                self.line(key),
                f"required field `{key}` is empty",
                f"write a value for `{key}`",
            )
        return text

    def string_list(self, key: str) -> tuple[str, ...]:
        if key not in self.meta or self.meta[key] is None:
            return ()
        value = self.meta[key]
        if isinstance(value, str):
            return (value.strip(),) if value.strip() else ()
        if not isinstance(value, list):
            self.diags.error(
                self.path,
                self.line(key),
                f"`{key}` must be a list of text, but YAML read it as {_coercion(value)}",
                f"write `{key}: [a, b]`",
            )
            return ()
        items: list[str] = []
        for item in value:
            if isinstance(item, str):
                if item.strip():
                    items.append(item.strip())
                continue
            if isinstance(item, list):
                hint = "[[x]] is a nested list in YAML; write the plain slug, or quote it"
            else:
                hint = f"quote the item in `{key}`"
            self.diags.error(
                self.path,
                self.line(key),
                f"every item of `{key}` must be text, but YAML read one as {_coercion(item)}",
                hint,
            )
        return tuple(items)
