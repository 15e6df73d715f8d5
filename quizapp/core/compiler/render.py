"""Markdown → sanitised HTML, and the structure of an entry, in one pass.

One `markdown.Markdown` instance is built per `Renderer` and `reset()` between
documents. The `KnowledgeBaseExtension` adds three processors:

- `OutlinePreprocessor` runs first, on the source lines, and records the
  outline with line numbers (headings, paragraphs, list items; fenced code
  skipped). Commands, interview questions and cloze paragraphs are read from it,
  so diagnostics can name the exact line and questions keep the author's Markdown.
- `ClozeInlineProcessor` shows `{{c1::answer::hint}}` as the plain answer.
- `StructureTreeprocessor` runs after `toc`/`attr_list` have set heading ids: it
  lists the `##` sections, takes the Commands section out of the body (the page
  shows it as a table) and folds each interview question into `<details>`.

The HTML is then cleaned by nh3 with an allowlist that keeps Pygments classes,
admonition classes and heading ids.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import markdown
import nh3
from markdown.extensions import Extension
from markdown.extensions.toc import TocExtension, TocTreeprocessor
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from pygments.formatters.html import HtmlFormatter

from quizapp.core.compiler.model import Section

COMMANDS_HEADING = "commands"
INTERVIEW_HEADING = "interview questions"
CLOZE = re.compile(r"\{\{c(\d+)::(.+?)(?:::([^{}]*?))?\}\}", re.S)

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ATX = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$")
_LIST_ITEM = re.compile(r"^( *)([-*+]|\d+[.)])[ \t]+(.*)$")
_KEY_SUFFIX = re.compile(r"\s*\{:?\s*#([^\s}]+)[^}]*\}\s*$")


@dataclass(slots=True)
class Heading:
    level: int
    text: str  # without a trailing {#key}
    key: str  # the {#key} if the author wrote one
    line: int  # file line


@dataclass(slots=True)
class Block:
    kind: str  # "p", "li", "other"
    text: str  # Markdown; list items without their marker
    line: int
    indent: int = 0
    section: str = ""  # the enclosing `##` heading's text


@dataclass(slots=True)
class Outline:
    headings: list[Heading] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)  # the body as given
    first_line: int = 1  # file line of lines[0]

    def section_of(self, name: str) -> tuple[Heading, int] | None:
        """The `##` heading called `name` (any case) and the file line its section ends."""
        for i, heading in enumerate(self.headings):
            if heading.level == 2 and heading.text.strip().lower() == name:
                end = next(
                    (h.line for h in self.headings[i + 1 :] if h.level <= 2),
                    self.first_line + len(self.lines),
                )
                return heading, end
        return None

    def text_between(self, start: int, end: int) -> str:
        """Source lines in [start, end) (file line numbers), stripped of blank edges."""
        lo, hi = start - self.first_line, end - self.first_line
        return "\n".join(self.lines[max(lo, 0) : max(hi, 0)]).strip("\n")


def build_outline(lines: list[str], first_line: int) -> Outline:
    outline = Outline(lines=list(lines), first_line=first_line)
    fence: str | None = None
    current: Block | None = None
    section = ""
    for index, line in enumerate(lines):
        number = first_line + index
        fence_match = _FENCE.match(line)
        if fence is not None:
            if (
                fence_match
                and fence_match.group(1)[0] == fence[0]
                and len(fence_match.group(1)) >= len(fence)
            ):
                fence = None
            continue
        if fence_match:
            fence, current = fence_match.group(1), None
            continue
        if not line.strip():
            current = None
            continue
        heading = _ATX.match(line)
        if heading:
            text = heading.group(2)
            key_match = _KEY_SUFFIX.search(text)
            key = key_match.group(1) if key_match else ""
            if key_match:
                text = text[: key_match.start()]
            level = len(heading.group(1))
            outline.headings.append(Heading(level, text.strip(), key, number))
            if level <= 2:
                section = text.strip()
            current = None
            continue
        item = _LIST_ITEM.match(line)
        if item:
            current = Block("li", item.group(3), number, len(item.group(1)), section)
            outline.blocks.append(current)
        elif line.lstrip().startswith(("|", "!!!", "???", "<")):
            current = Block("other", line.strip(), number, 0, section)
            outline.blocks.append(current)
        elif current is not None:
            current.text += "\n" + line.strip()
        else:
            current = Block("p", line.strip(), number, 0, section)
            outline.blocks.append(current)
    return outline


class OutlinePreprocessor(Preprocessor):  # type: ignore[misc]
    def run(self, lines: list[str]) -> list[str]:
        md: Any = self.md
        md.kb_outline = build_outline(lines, getattr(md, "kb_first_line", 1))
        return lines


class ClozeInlineProcessor(InlineProcessor):  # type: ignore[misc]
    def handleMatch(  # noqa: N802 (Python-Markdown's name)
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element, int, int]:
        element = etree.Element("span", {"class": "cloze"})
        element.text = m.group(2)
        return element, m.start(0), m.end(0)


def _text(element: etree.Element) -> str:
    return "".join(element.itertext()).strip()


class StructureTreeprocessor(Treeprocessor):  # type: ignore[misc]
    def run(self, root: etree.Element) -> None:
        md: Any = self.md
        sections: list[Section] = []
        children = list(root)
        current = ""
        details: etree.Element | None = None
        for child in children:
            if child.tag in ("h1", "h2"):
                details = None
                current = _text(child).lower()
                if child.tag == "h2":
                    sections.append(Section(child.get("id", ""), _text(child), 2))
                if current == COMMANDS_HEADING:
                    root.remove(child)
                continue
            if current == COMMANDS_HEADING:
                root.remove(child)
                continue
            if current == INTERVIEW_HEADING:
                if child.tag == "h3":
                    index = list(root).index(child)
                    root.remove(child)
                    details = etree.Element("details", {"class": "interview"})
                    if child.get("id"):
                        details.set("id", child.get("id", ""))
                    summary = etree.SubElement(details, "summary")
                    summary.text = child.text
                    for sub in child:
                        summary.append(sub)
                    root.insert(index, details)
                    continue
                if details is not None:
                    root.remove(child)
                    details.append(child)
                    continue
            if child.tag == "p" and (child.text or "").startswith(("▸", "→")):
                child.set("class", "code-note")
            elif child.tag == "table":  # scrolls sideways on a phone instead of squeezing
                index = list(root).index(child)
                root.remove(child)
                wrap = etree.Element("div", {"class": "table-wrap"})
                wrap.append(child)
                root.insert(index, wrap)
        md.kb_sections = sections


class _LabelledHtmlFormatter(HtmlFormatter):  # type: ignore[misc]
    """Pygments HTML in a `div.codeblock` with the language named, for the copy button."""

    def __init__(self, **options: Any) -> None:
        self.lang = str(options.pop("lang_str", "") or "").removeprefix("language-")
        super().__init__(**options)

    _stylesheets: dict[tuple[Any, str], tuple[Any, Any]] = {}
    ttype2class: dict[Any, str]
    class2style: dict[str, Any]

    def _create_stylesheet(self) -> None:
        # Computed once per style instead of once per code block: the maps are only read.
        key = (self.style, self.classprefix)
        cached = self._stylesheets.get(key)
        if cached is None:
            super()._create_stylesheet()
            self._stylesheets[key] = (self.ttype2class, self.class2style)
        else:
            self.ttype2class, self.class2style = cached

    def format_unencoded(self, tokensource: Any, outfile: Any) -> None:
        label = html.escape(self.lang or "text")
        outfile.write(
            f'<div class="codeblock"><div class="codeblock-head">'
            f'<span class="codeblock-lang">{label}</span></div>'
        )
        super().format_unencoded(tokensource, outfile)
        outfile.write("</div>")


class _AnchorsTreeprocessor(TocTreeprocessor):  # type: ignore[misc]
    """`toc` for heading ids only: skip building and serialising a TOC nobody shows."""

    def build_toc_div(self, toc_list: list[Any]) -> etree.Element:
        return etree.Element("div")


class _AnchorsExtension(TocExtension):  # type: ignore[misc]
    TreeProcessorClass = _AnchorsTreeprocessor


class KnowledgeBaseExtension(Extension):  # type: ignore[misc]
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802
        md.preprocessors.register(OutlinePreprocessor(md), "kb_outline", 40)
        md.inlinePatterns.register(ClozeInlineProcessor(CLOZE.pattern, md), "kb_cloze", 200)
        md.treeprocessors.register(StructureTreeprocessor(md), "kb_structure", 4)


_TAGS = (set(nh3.ALLOWED_TAGS) | {"span", "div", "pre", "code", "details", "summary"}) - {"img"}
_ATTRIBUTES: dict[str, set[str]] = {
    tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items() if tag != "img"
}
_ATTRIBUTES["*"] = {"class"}
for _tag in ("h1", "h2", "h3", "h4", "h5", "h6", "details", "dt"):
    _ATTRIBUTES.setdefault(_tag, set()).add("id")
_ATTRIBUTES["a"] = {"href", "title"}
_ATTRIBUTES["abbr"] = {"title"}

_cleaner = nh3.Cleaner(
    tags=_TAGS,
    attributes=_ATTRIBUTES,
    url_schemes={"http", "https", "mailto"},
    link_rel="noopener noreferrer nofollow",
)


def sanitize(fragment: str) -> str:
    """Clean rendered HTML: no script, no event handlers, no javascript: links."""
    return str(_cleaner.clean(fragment))


_INLINE_CODE = re.compile(r"(`+)(.+?)\1")
_INLINE_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
_INLINE_STRONG = re.compile(r"\*\*(.+?)\*\*")
_INLINE_EM = re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])")


def strip_cloze(text: str) -> str:
    return CLOZE.sub(lambda m: m.group(2), text)


def inline_html(text: str) -> str:
    """A one-line Markdown subset (code, links, bold, italics) for summaries and descriptions.

    Much cheaper than a full conversion. Safe by construction (all text is escaped,
    the only tags are the ones built here, links keep only http(s), mailto or
    relative URLs) and cleaned by nh3 all the same.
    """
    text = strip_cloze(text)
    out: list[str] = []
    last = 0
    for match in _INLINE_CODE.finditer(text):
        out.append(_inline_prose(text[last : match.start()]))
        out.append(f"<code>{html.escape(match.group(2).strip(), quote=False)}</code>")
        last = match.end()
    out.append(_inline_prose(text[last:]))
    joined = "".join(out)
    return sanitize(joined) if "<" in joined else joined  # no tag: escaped text only


def _safe_url(url: str) -> bool:
    if any(ord(c) < 33 or c in "\\\x7f" for c in url):
        return False
    scheme = urlsplit(url).scheme.lower()
    return scheme in ("", "http", "https", "mailto")


def _inline_link(match: re.Match[str]) -> str:
    url = html.unescape(match.group(2))
    if not _safe_url(url):
        return match.group(1)
    return f'<a href="{html.escape(url)}" rel="noopener noreferrer nofollow">{match.group(1)}</a>'


def _inline_prose(text: str) -> str:
    text = html.escape(text, quote=False)
    text = _INLINE_LINK.sub(_inline_link, text)
    text = _INLINE_STRONG.sub(r"<strong>\1</strong>", text)
    return _INLINE_EM.sub(r"<em>\1</em>", text)


@dataclass(slots=True)
class Rendered:
    html: str
    sections: list[Section]
    outline: Outline


class Renderer:
    """One configured Python-Markdown instance, reused for every document."""

    def __init__(self) -> None:
        self.md = markdown.Markdown(
            extensions=[
                "fenced_code",
                "codehilite",
                "tables",
                "admonition",
                _AnchorsExtension(marker=""),
                "attr_list",
                "def_list",
                "sane_lists",
                KnowledgeBaseExtension(),
            ],
            extension_configs={
                "codehilite": {
                    "css_class": "codehilite",
                    "guess_lang": False,
                    "pygments_formatter": _LabelledHtmlFormatter,
                },
                "tables": {"use_align_attribute": True},
            },
            output_format="html",
        )

    def render(self, body: str, *, first_line: int = 1) -> Rendered:
        md: Any = self.md
        md.reset()
        md.kb_first_line = first_line
        md.kb_sections = []
        html_text = md.convert(body)
        return Rendered(sanitize(html_text), list(md.kb_sections), md.kb_outline)


def question_html(text: str, renderer: Renderer) -> str:
    """A question's Markdown (prompt, answer or explanation) as the review screen shows it.

    One short line takes `inline_html`; anything else a full render by `renderer`.
    Sanitised either way. The content build stores it with the question.
    """
    if "\n" not in text and "`" not in text[:1] and len(text) < 300:
        return f"<p>{inline_html(text)}</p>"
    return renderer.render(text).html
