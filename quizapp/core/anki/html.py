"""Markdown → sanitised HTML for Anki fields, fast for the common shapes.

Question text is mostly one paragraph of prose with inline code, links and
emphasis, sometimes a fenced code block or a quoted definition. Those shapes
are rendered here directly (escape first, then a few inline rules); anything
else — lists, tables, headings, raw HTML, admonitions — goes through the
compiler's full renderer. Every field is finally cleaned by nh3 (`sanitize` or,
for a whole note at once, `sanitize_fields`).

Relative links (`/kb/<slug>`) become absolute with the export's base URL, since
a card in Anki has no site to be relative to.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from functools import lru_cache

import nh3

_FENCE_OPEN = re.compile(r"^ {0,3}(`{3,}|~{3,})[ \t]*([\w+.#-]*)[^\n]*$")
# Lines that need the full renderer: lists, tables, headings, HTML, admonitions,
# definition lists, indented code, setext underlines, horizontal rules.
_NEEDS_FULL = re.compile(
    r"^(?: {0,3}(?:[-*+]|\d+[.)])[ \t]|\s*\||#{1,6}[ \t]|\s*<|!!!|\?\?\?|:[ \t]| {4}|\t"
    r"|[=-]{3,}\s*$|\*{3,}\s*$|_{3,}\s*$)",
    re.M,
)
_INLINE = re.compile(
    r"(?P<code>(`+)(?P<codetext>.+?)\2)"
    r"|\[(?P<label>[^\]\n]+)\]\((?P<url>[^)\s]+)\)"
    r"|\*\*(?P<strong>.+?)\*\*"
    r"|(?<![\w*])\*(?P<em>[^\s*](?:.*?[^\s*])?)\*(?![\w*])",
    re.S,
)
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
    link_rel="noopener noreferrer",
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
    The output of `render`/`inline` is not yet sanitised: callers clean a
    note's fields together with `sanitize_fields`.
    """

    def __init__(self, base_url: str, full: Callable[[str], str] | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self._full = full or _compiler_renderer()
        self.render = lru_cache(maxsize=65536)(self._render)
        self.inline = lru_cache(maxsize=65536)(self._inline)

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
            if _NEEDS_FULL.search(text):
                return self._full_render(text)
            if text.startswith(">"):
                return f"<blockquote>{self._inline(text[1:].strip())}</blockquote>"
            return self._inline(text)
        parts: list[str] = []
        for kind, block in _blocks(text):
            if kind == "code":
                lang, code = block
                cls = f' class="language-{html.escape(lang)}"' if lang else ""
                parts.append(f"<pre><code{cls}>{html.escape(code, quote=False)}</code></pre>")
                continue
            raw = block[1]
            if _NEEDS_FULL.search(raw):
                return self._full_render(text)
            lines = [line.strip() for line in raw.split("\n")]
            paragraph = "\n".join(lines)
            if all(line.startswith(">") for line in lines):
                inner = " ".join(line[1:].strip() for line in lines)
                parts.append(f"<blockquote><p>{self._inline(inner)}</p></blockquote>")
            else:
                parts.append(f"<p>{self._inline(paragraph)}</p>")
        return "".join(parts)

    def _inline(self, text: str) -> str:
        """One paragraph: code spans, links, bold, italics; everything else escaped."""
        out: list[str] = []
        last = 0
        for match in _INLINE.finditer(text):
            out.append(html.escape(text[last : match.start()], quote=False))
            last = match.end()
            if match.group("code") is not None:
                code = match.group("codetext").strip()
                out.append(f"<code>{html.escape(code, quote=False)}</code>")
            elif match.group("label") is not None:
                url = match.group("url")
                label = self._inline(match.group("label"))
                if _SAFE_URL.match(url):
                    out.append(f'<a href="{html.escape(self.url(url))}">{label}</a>')
                else:
                    out.append(label)
            elif match.group("strong") is not None:
                out.append(f"<strong>{self._inline(match.group('strong'))}</strong>")
            else:
                out.append(f"<em>{self._inline(match.group('em'))}</em>")
        out.append(html.escape(text[last:], quote=False))
        return "".join(out).replace("\n", " ")

    def _full_render(self, text: str) -> str:
        rendered = self._full(text)
        return rendered.replace('href="/', f'href="{self.base_url}/').replace(
            f'href="{self.base_url}//', 'href="//'
        )


def _blocks(text: str) -> list[tuple[str, tuple[str, str]]]:
    """Split into ("code", (lang, code)) and ("p", ("", paragraph)) blocks."""
    blocks: list[tuple[str, tuple[str, str]]] = []
    lines = text.split("\n")
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append(("p", ("", "\n".join(paragraph))))
            paragraph.clear()

    i = 0
    while i < len(lines):
        line = lines[i]
        fence = _FENCE_OPEN.match(line)
        if fence:
            flush()
            marker, lang = fence.group(1), fence.group(2)
            code: list[str] = []
            i += 1
            while i < len(lines):
                close = lines[i].strip()
                if close.startswith(marker[0] * len(marker)) and not close.strip(marker[0]):
                    break
                code.append(lines[i])
                i += 1
            blocks.append(("code", (lang, "\n".join(code))))
        elif not line.strip():
            flush()
        else:
            paragraph.append(line)
        i += 1
    flush()
    return blocks


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
