"""Markdown → sanitised HTML for Anki fields, fast for the common shapes.

Question text is mostly one paragraph of prose with inline code, links and
emphasis, sometimes a fenced code block or a quoted definition. Those shapes
are rendered here directly (escape first, then a few inline rules); anything
else — lists, tables, headings, raw HTML, admonitions — goes through the
compiler's full renderer and is then cleaned by nh3 with the allowlist below.

The fast path never lets author text through unescaped: it only emits tags it
writes itself, with http(s)/mailto/relative links only,
so nh3 would leave it unchanged — the tests check exactly that on every field
of the real content. Skipping nh3 there is what keeps an export of 10,000
questions within 1.5x of genanki alone (bench/export.py): nh3 costs ~60µs a
note, more than genanki's whole write.

Relative links (`/kb/<slug>`) become absolute with the export's base URL, since
a card in Anki has no site to be relative to.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from functools import cache

import nh3

# A fenced block: the closing fence repeats the opening one (or runs to the end).
_FENCED = re.compile(
    r"^ {0,3}(`{3,}|~{3,})[ \t]*([\w+.#-]*)[^\n]*\n(.*?)(?:^ {0,3}\1[ \t]*$|\Z)\n?",
    re.M | re.S,
)
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
# Lines that need the full renderer: headings, HTML, admonitions, definition lists,
# indented code, setext underlines, horizontal rules. Lists and tables are checked
# apart (`_needs_full`): as in Python-Markdown, a list starts a block (a "- " line
# inside a paragraph is text), and a lone `| a | b |` row is no table.
_NEEDS_FULL = re.compile(
    r"^(?:#{1,6}[ \t]|\s*<|!!!|\?\?\?|:[ \t]| {4}|\t"
    r"|[=-]{3,}\s*$|\*{3,}\s*$|_{3,}\s*$)"
)
_BULLET = re.compile(r"^ ?[-*+][ \t]+")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_ALIGN = {
    (True, True): ' align="center"',
    (False, True): ' align="right"',
    (True, False): ' align="left"',
}
_LIST_START = re.compile(r"^ {0,3}(?:[-*+]|\d{1,9}[.)])[ \t]")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)+\|?\s*$|^\s*\|\s*:?-+:?\s*\|")
_CODE = re.compile(r"(`+)(.+?)\1", re.S)
_LINK = re.compile(r"\[([^\]\n]+)\]\(([^)\s]+)\)")
_STRONG = re.compile(r"\*\*(?!\s)([^<>]+?)(?<!\s)\*\*")
_EM = re.compile(r"(?<![\w*])\*(?![\s*])([^<>]+?)(?<![\s*])\*(?![\w*])")
_STASHED = re.compile("\x00(\\d+)\x01")
_INLINE_SPECIAL = re.compile("[`\\[*\n&<>\x00\x01]")
_SAFE_URL = re.compile(r"^(?:https?://|mailto:|/|#)", re.I)
_SEPARATOR = "\x1f"  # Anki's own field separator: no field can contain it

_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt",
    "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "kbd", "li", "ol", "p", "pre", "s",
    "samp", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot",
    "th", "thead", "tr", "u", "ul",
}  # fmt: skip
_ATTRIBUTES = {
    "*": {"class"},
    "a": {"href", "title"},
    "abbr": {"title"},
    "ol": {"start", "type"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan", "scope"},
}
_cleaner = nh3.Cleaner(
    tags=_TAGS,
    attributes=_ATTRIBUTES,
    url_schemes={"http", "https", "mailto"},
    link_rel=None,  # a card's links open in the system browser; no rel needed
)


def sanitize(fragment: str) -> str:
    """Clean one field: an allowlist of tags, no scripts, no handlers, http(s) links only."""
    return str(_cleaner.clean(fragment))


def sanitize_fields(fields: Sequence[str]) -> list[str]:
    """Clean all fields of a note in one nh3 call (one parse instead of one per field).

    The fields are joined with Anki's field separator, which never occurs in
    a field; if the cleaned text does not split back into as many fields (it
    always should, since every field is balanced HTML), each is cleaned alone.
    """
    cleaned = sanitize(_SEPARATOR.join(fields)).split(_SEPARATOR)
    if len(cleaned) != len(fields):
        return [sanitize(field) for field in fields]
    return cleaned


class FieldRenderer:
    """Markdown → HTML for one export: fixed base URL, memoised per text.

    `full` renders Markdown the fast path does not handle; by default the
    compiler's renderer, or escaped preformatted text if it is unavailable.
    The output of `render`/`inline` is safe HTML: escaped by construction on
    the fast path, cleaned by nh3 after the full renderer.
    """

    def __init__(self, base_url: str, full: Callable[[str], str] | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self._full = full
        # One renderer per export, so the memo can keep every text (no LRU bookkeeping).
        self.render = cache(self._render)
        self.inline = cache(self._inline)

    def url(self, url: str) -> str:
        if url.startswith("/") and not url.startswith("//"):
            return self.base_url + url
        return url

    def _render(self, text: str) -> str:
        """Block Markdown: paragraphs, fenced code, block quotes; else the full renderer."""
        text = text.strip("\n")
        if not text:
            return ""
        if "\n" not in text:
            if text[0] in _BLOCK_START_CHARS and _needs_full([text]):
                return self._full_render(text)
            if text.startswith(">"):
                return f"<blockquote>{self._inline(text[1:].strip())}</blockquote>"
            return self._inline(text)
        parts: list[str] = []
        last = 0
        if "```" in text or "~~~" in text:
            for fence in _FENCED.finditer(text):
                if not self._paragraphs(text[last : fence.start()], parts):
                    return self._full_render(text)
                lang = fence.group(2)
                cls = f' class="language-{html.escape(lang)}"' if lang else ""
                code = html.escape(fence.group(3).rstrip("\n"), quote=False)
                parts.append(f"<pre><code{cls}>{code}</code></pre>")
                last = fence.end()
        if not self._paragraphs(text[last:] if last else text, parts):
            return self._full_render(text)
        if len(parts) == 1 and parts[0].startswith("<p>"):
            return parts[0][3:-4]  # a single paragraph needs no <p>
        return "".join(parts)

    def _paragraphs(self, text: str, parts: list[str]) -> bool:
        """Append the HTML of each paragraph; False if one needs the full renderer."""
        for raw in _BLANK_LINE.split(text):
            raw = raw.strip("\n")
            if not raw or raw.isspace():
                continue
            first = raw[0]
            if "\n" not in raw and "|" not in raw:  # one line: the commonest case
                if first == ">":
                    parts.append(f"<blockquote><p>{self._inline(raw[1:].strip())}</p></blockquote>")
                    continue
                if first not in _BLOCK_START_CHARS or (
                    first == "*" and raw[1:2] == "*" and raw[2:3] != "*"  # **bold** text
                ):
                    parts.append(f"<p>{self._inline(raw.strip())}</p>")
                    continue
            lines = raw.split("\n")
            if "|" in raw:
                table = self._table(lines)
                if table is not None:
                    parts.append(table)
                    continue
            if (
                first in "-*+ "
                and _BULLET.match(raw)
                and not any(line[:1].isspace() for line in lines)
            ):
                parts.append(self._list(lines))
                continue
            if _needs_full(lines):
                return False
            if first == ">" and all(line.lstrip().startswith(">") for line in lines):
                inner = " ".join(line.lstrip()[1:].strip() for line in lines)
                parts.append(f"<blockquote><p>{self._inline(inner)}</p></blockquote>")
            elif len(lines) == 1:
                parts.append(f"<p>{self._inline(raw.strip())}</p>")
            else:
                parts.append(f"<p>{self._inline(chr(10).join(line.strip() for line in lines))}</p>")
        return True

    def _inline(self, text: str) -> str:
        """One paragraph: code spans, links, bold, italics; everything else escaped.

        The text is escaped first and the inline rules run on the escaped text
        (escaping touches none of their markers), so every character of author
        text is escaped exactly once. Code spans, then links, are swapped for
        placeholders before emphasis is found, so tags always nest properly.
        """
        if _INLINE_SPECIAL.search(text) is None:
            return text  # plain prose: nothing to escape or mark up
        if "\x00" in text or "\x01" in text:  # the placeholders' delimiters
            text = text.replace("\x00", "").replace("\x01", "")
        escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        if "`" in escaped or "[" in escaped:
            stash: list[str] = []

            def keep(fragment: str) -> str:
                stash.append(fragment)
                return f"\x00{len(stash) - 1}\x01"

            if "`" in escaped:
                escaped = _CODE.sub(lambda m: keep(f"<code>{m.group(2).strip()}</code>"), escaped)
            if "[" in escaped:
                escaped = _LINK.sub(lambda m: keep(self._link(m)), escaped)
            escaped = _emphasis(escaped)
            while "\x00" in escaped:
                escaped = _STASHED.sub(lambda m: stash[int(m.group(1))], escaped)
        elif "*" in escaped:
            escaped = _emphasis(escaped)
        return escaped.replace("\n", " ") if "\n" in escaped else escaped

    def _link(self, match: re.Match[str]) -> str:
        label, url = _emphasis(match.group(1)), html.unescape(match.group(2))
        if not _SAFE_URL.match(url):
            return label
        return f'<a href="{html.escape(self.url(url))}">{label}</a>'

    def _table(self, lines: list[str]) -> str | None:
        """A pipe table that is a whole block (header, rule, rows); None if it is not one."""
        if len(lines) < 2 or not _TABLE_RULE.match(lines[1]):
            return None
        if not all(line.lstrip().startswith("|") for line in lines):
            return None
        rows = [_cells(line) for line in lines]
        if any(row is None for row in rows):
            return None
        header, rule, *body = [row for row in rows if row is not None]
        aligns = [_ALIGN.get((cell.startswith(":"), cell.endswith(":")), "") for cell in rule]
        width = len(header)

        def cells(row: list[str], tag: str) -> str:
            row = (row + [""] * width)[:width]
            return "".join(
                f"<{tag}{aligns[i] if i < len(aligns) else ''}>{self.inline(cell)}</{tag}>"
                for i, cell in enumerate(row)
            )

        head = f"<thead><tr>{cells(header, 'th')}</tr></thead>"
        rows_html = "".join(f"<tr>{cells(row, 'td')}</tr>" for row in body)
        return f"<table>{head}<tbody>{rows_html}</tbody></table>"

    def _list(self, lines: list[str]) -> str:
        """A flat bullet list; a line without a bullet continues the item before it."""
        items: list[str] = []
        for line in lines:
            bullet = _BULLET.match(line)
            if bullet:
                items.append(line[bullet.end() :])
            else:
                items[-1] += "\n" + line
        return "<ul>" + "".join(f"<li>{self._inline(item)}</li>" for item in items) + "</ul>"

    def _full_render(self, text: str) -> str:
        if self._full is None:  # built on first use: most exports never need it
            self._full = _compiler_renderer()
        rendered = self._full(text)
        rendered = rendered.replace('href="/', f'href="{self.base_url}/').replace(
            f'href="{self.base_url}//', 'href="//'
        )
        return sanitize(rendered)


def _cells(line: str) -> list[str] | None:
    """The cells of a pipe-table row, or None if a code span hides a pipe."""
    line = line.strip()
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|") and not line.endswith("\\|"):
        line = line[:-1]
    cells = [cell.strip().replace("\\|", "|") for cell in _CELL_SPLIT.split(line)]
    if any(cell.count("`") % 2 for cell in cells):
        return None
    return cells


def _needs_full(lines: list[str]) -> bool:
    """True if a paragraph's lines hold Markdown the fast path does not render."""
    if lines[0][:1] in _BLOCK_START_CHARS and _LIST_START.match(lines[0]):
        return True
    for line in lines:
        if line[:1] in _BLOCK_START_CHARS and (
            _NEEDS_FULL.match(line) or ("-" in line and _TABLE_RULE.match(line))
        ):
            return True
    return False


# The first characters of every line `_NEEDS_FULL` or `_TABLE_RULE` can match: a line
# starting with anything else (a letter, most often) needs no regular expression.
_BLOCK_START_CHARS = frozenset(" \t#<!?:=-*_|+0123456789")


def _emphasis(text: str) -> str:
    if "**" in text:
        text = _STRONG.sub(_strong, text)
    if "*" in text:
        text = _EM.sub(_em, text)
    return text


def _strong(match: re.Match[str]) -> str:
    return f"<strong>{match.group(1)}</strong>"


def _em(match: re.Match[str]) -> str:
    return f"<em>{match.group(1)}</em>"


def _compiler_renderer() -> Callable[[str], str]:
    try:
        from quizapp.core.compiler.render import Renderer
    except ImportError:  # the compiler is optional for this package
        return _preformatted
    renderer = Renderer()
    return lambda text: renderer.render(text).html


def _preformatted(text: str) -> str:
    return f'<div class="qz-plain">{html.escape(text, quote=False)}</div>'


def escape(text: str) -> str:
    return html.escape(text, quote=False)
