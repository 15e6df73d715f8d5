"""Commands with tldr placeholders: parsing list items, placeholders, hazards.

Placeholder forms (tldr-pages style guide): `{{path/to/file}}` a free value,
`{{a|b}}` a choice, `{{file1 file2 ...}}` one or more values,
`{{[-o|--output]}}` an option in short or long form, `\\{\\{ \\}\\}` literal braces.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

PLACEHOLDER = re.compile(r"(?<!\\)\{\{(?!c\d+::)(.+?)(?<!\\)\}\}")
_OPTION_BODY = re.compile(r"^\[(.+)\]$")
_NAMED = re.compile(r"^[A-Za-z][A-Za-z_/ .|-]*$")  # a name like pid, path/to/file, user|group

# `- `cmd` — description`; the separator may be an em dash, en dash, " - " or ":".
COMMAND_ITEM = re.compile(
    r"^(?P<marker>[-*+]|\d+[.)])\s+(?P<ticks>`+)\s?(?P<cmd>.+?)\s?(?P=ticks)"
    r"(?:\s*(?:—|–|\s-\s|:)\s*(?P<desc>.*?))?\s*$"
)
LIST_ITEM = re.compile(r"^(?:[-*+]|\d+[.)])\s+")


@dataclass(frozen=True, slots=True)
class Placeholder:
    text: str  # the body between {{ and }}
    options: tuple[str, ...] = ()  # for option placeholders: short and long forms

    @property
    def is_option(self) -> bool:
        return bool(self.options)

    @property
    def many(self) -> bool:
        return "..." in self.text


def parse_placeholder(body: str) -> Placeholder:
    match = _OPTION_BODY.match(body)
    if match and "|" in match.group(1):
        return Placeholder(body, tuple(part for part in match.group(1).split("|")))
    return Placeholder(body)


def plain_command(template: str) -> str:
    """The command to show and copy: long option forms; named placeholders as `<name>`.

    `<pid>` reads like a man page and keeps a copied command from running as is
    (tldr's rule for destructive commands). A placeholder holding a sample value
    (`{{443}}`, `{{eth0}}`, `{{500M}}`) is shown as that value.
    """

    def resolve(match: re.Match[str]) -> str:
        placeholder = parse_placeholder(match.group(1))
        if placeholder.is_option:
            return placeholder.options[-1]
        text = placeholder.text
        if _NAMED.match(text) or "|" in text or "..." in text or "/" in text:
            return f"<{placeholder.text}>"
        return placeholder.text

    text = PLACEHOLDER.sub(resolve, template)
    return text.replace("\\{\\{", "{{").replace("\\}\\}", "}}")


def normalise_command(template: str) -> str:
    """The stable key of a command: whitespace collapsed, placeholders kept."""
    return " ".join(template.split())


def hidden_characters(text: str) -> list[str]:
    """Control and format characters that render harmlessly but change a pasted command."""
    found = []
    for char in text:
        if unicodedata.category(char) in ("Cc", "Cf"):
            found.append(f"U+{ord(char):04X}")
    return found


@dataclass(frozen=True, slots=True)
class CommandItem:
    template: str
    description: str
    line: int


def parse_command_item(text: str, line: int) -> CommandItem | None:
    """Parse one `- `cmd` — description` item (continuation lines already joined)."""
    match = COMMAND_ITEM.match(text.strip())
    if match is None:
        return None
    return CommandItem(match.group("cmd").strip(), (match.group("desc") or "").strip(), line)
