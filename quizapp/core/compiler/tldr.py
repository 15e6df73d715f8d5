"""tldr-pages pages, read leniently: what breaks the style guide is a warning.

Grammar (tldr-lint, simplified): `# name`, blank, `> description.` lines,
then examples: blank, `- Description:`, blank, `` `command {{placeholder}}` ``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from quizapp.core.compiler.commands import CommandItem, hidden_characters
from quizapp.core.compiler.diagnostics import Diagnostics

_MORE_INFO = re.compile(r"^More information:\s*<?(\S+?)>?\.?$")
_MAX_EXAMPLES = 8
_MNEMONIC = re.compile(r"\[([^\]\s|]{1,3})\]")  # "[c]reate" marks the short option


@dataclass(slots=True)
class TldrPage:
    name: str
    description: list[str] = field(default_factory=list)
    more_information: str = ""
    see_also: str = ""
    examples: list[CommandItem] = field(default_factory=list)


def parse_tldr(path: str, text: str, diags: Diagnostics) -> TldrPage:
    stem = path.rsplit("/", 1)[-1].removesuffix(".md")
    page = TldrPage(stem)
    lines = text.removeprefix("\ufeff").split("\n")
    pending: tuple[str, int] | None = None  # example description waiting for its command
    seen_title = False
    for index, raw in enumerate(lines):
        number = index + 1
        line = raw.rstrip("\r")
        if line != line.rstrip():
            diags.warning(path, number, "trailing whitespace (tldr style)")
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("# ") and not seen_title:
            page.name = stripped[2:].strip()
            seen_title = True
            continue
        if not seen_title:
            diags.warning(path, number, "tldr page should start with `# name`", "add a title line")
            seen_title = True
        if stripped.startswith(">"):
            content = stripped[1:].strip()
            info = _MORE_INFO.match(content)
            if info:
                page.more_information = info.group(1)
            elif content.startswith("See also:"):
                page.see_also = content.removeprefix("See also:").strip()
            elif content:
                if not content.endswith("."):
                    diags.warning(path, number, "description line should end with a period")
                page.description.append(content)
            continue
        if stripped.startswith("- "):
            if pending is not None:
                diags.warning(path, pending[1], "example description has no command after it")
            description = stripped[2:].strip()
            if not description.endswith(":"):
                diags.warning(
                    path, number, "example description should end with a colon", "tldr style"
                )
            pending = (_MNEMONIC.sub(r"\1", description.rstrip(":").strip()), number)
            continue
        if stripped.startswith("`") and stripped.endswith("`") and len(stripped) > 1:
            command = stripped.strip("`").strip()
            if pending is None:
                diags.warning(path, number, "command has no `- description:` line before it")
                continue
            if not command:
                diags.warning(path, number, "empty command")
            elif hidden := hidden_characters(command):
                diags.error(
                    path,
                    number,
                    f"command contains hidden control characters ({', '.join(hidden)})",
                    "they change the command when pasted into a terminal; delete them",
                )
            else:
                page.examples.append(CommandItem(command, pending[0], number))
            pending = None
            continue
        diags.warning(path, number, "line is not part of the tldr page grammar; ignored")
    if pending is not None:
        diags.warning(path, pending[1], "example description has no command after it")
    if not page.description:
        diags.warning(path, 1, "tldr page has no `> description` line")
    if len(page.examples) > _MAX_EXAMPLES:
        diags.warning(path, 1, f"tldr page has {len(page.examples)} examples (style: at most 8)")
    return page
