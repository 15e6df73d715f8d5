from __future__ import annotations

import pytest

from quizapp.core.compiler.commands import hidden_characters, parse_command_item, plain_command


@pytest.mark.parametrize(
    ("template", "plain"),
    [
        ("kill {{pid}}", "kill <pid>"),
        ("cat {{path/to/file}}", "cat <path/to/file>"),
        (
            "nft add rule inet filter input tcp dport {{443}} accept",
            "nft add rule inet filter input tcp dport 443 accept",
        ),
        ("ip link show dev {{eth0}}", "ip link show dev eth0"),
        ("ls {{file1 file2 ...}}", "ls <file1 file2 ...>"),
        ("ss {{[-t|--tcp]}} {{[-l|--listening]}}", "ss --tcp --listening"),
        (
            "docker inspect --format '\\{\\{.State.OOMKilled\\}\\}' x",
            "docker inspect --format '{{.State.OOMKilled}}' x",
        ),
    ],
)
def test_plain_form(template: str, plain: str) -> None:
    assert plain_command(template) == plain


@pytest.mark.parametrize(
    ("item", "command", "description"),
    [
        ("- `ss -tlnp` — listening sockets", "ss -tlnp", "listening sockets"),
        ("- `ss -tlnp` – listening sockets", "ss -tlnp", "listening sockets"),
        ("- `ss -tlnp` - listening sockets", "ss -tlnp", "listening sockets"),
        ("- `ss -tlnp`: listening sockets", "ss -tlnp", "listening sockets"),
        ("- `` echo `date` `` — backticks inside", "echo `date`", "backticks inside"),
        ("- `free -m`", "free -m", ""),
    ],
)
def test_command_item_separators(item: str, command: str, description: str) -> None:
    parsed = parse_command_item(item, 1)
    assert parsed is not None
    assert (parsed.template, parsed.description) == (command, description)


def test_hidden_characters_are_named() -> None:
    assert hidden_characters("ls\b -l\u202e\u200b") == ["U+0008", "U+202E", "U+200B"]
    assert hidden_characters("ls -l | grep ü") == []
