"""Template filters used across features."""

from __future__ import annotations

import re

from flask import Flask

PLAIN_TEXT_LENGTH = 140

_FENCE = re.compile(r"^[ \t]*(```|~~~)[^\n]*$", re.MULTILINE)
_LINE_MARKUP = re.compile(
    r"^[ \t]*(?:>[ \t]?)*(?:#{1,6}[ \t]+|[-*+][ \t]+|\d+[.)][ \t]+)?", re.MULTILINE
)
_IMAGE_OR_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EMPHASIS = re.compile(r"(?<![\w*])([*_])(?=\S)(.+?)(?<=\S)\1(?![\w*])")
_CODE = re.compile(r"`+([^`]*)`+")
_SPACE = re.compile(r"\s+")


def plain_text(markdown: str | None, length: int = PLAIN_TEXT_LENGTH) -> str:
    """Markdown as one short line of plain text: markup dropped (code fences, quotes,
    headings, list markers, emphasis, backticks, links), whitespace collapsed, and cut
    at a word boundary within `length` characters with an ellipsis."""
    text = _FENCE.sub(" ", markdown or "")
    text = _LINE_MARKUP.sub("", text)
    text = _IMAGE_OR_LINK.sub(r"\1", text)
    text = _CODE.sub(r"\1", text)
    text = _STRONG.sub(r"\2", text)
    text = _EMPHASIS.sub(r"\2", text)
    text = _SPACE.sub(" ", text).strip()
    if len(text) <= length:
        return text
    cut = text[: length - 1]
    if " " in cut[length // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.-—") + "…"


def init_app(app: Flask) -> None:
    app.add_template_filter(plain_text, "plain_text")
