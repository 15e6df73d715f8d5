"""Every command in the corpus runs a real program: a known Debian/Ubuntu binary or a builtin.

Each program a command starts (the first word, and the first word after every
`|`, `&&`, `||`, `;` and `$(`; `sudo`, `env`, variable assignments and
redirection targets skipped) must be a bash builtin or listed in
`known_programs.tsv` with the package that ships it. A typo such as
`systemclt` fails here.
"""

from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path

import pytest

from quizapp.core.compiler import compile_directory
from quizapp.core.questions import QuestionKind

HERE = Path(__file__).parent
CONTENT = HERE.parent.parent / "content"
WRAPPERS = {"sudo", "env", "time", "nohup", "exec", "!"}
REDIRECTIONS = {">", ">>", "<", "<<", "<<<", ">&", "&>", "2>", "2>>"}
OPTIONS_WITH_VALUE = {"-u", "-g", "--user", "--group"}  # sudo's, before the program
ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")


def programs_of(command: str) -> list[str]:
    lexer = shlex.shlex(command.replace("$(", " ( "), posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    programs: list[str] = []
    expect_program, skip_next = True, False
    for token in lexer:
        if skip_next:
            skip_next = False
        elif token in REDIRECTIONS or (expect_program and token in OPTIONS_WITH_VALUE):
            skip_next = True
        elif set(token) <= set("|&;()"):
            expect_program = True
        elif expect_program and not (
            token in WRAPPERS or token.startswith("-") or ASSIGNMENT.match(token)
        ):
            if not token.startswith("{{"):  # a placeholder for any command
                programs.append(token)
            expect_program = False
    return programs


def known_programs() -> set[str]:
    lines = (HERE / "known_programs.tsv").read_text().splitlines()
    return {line.split("\t")[0] for line in lines if line and not line.startswith("#")}


def bash_builtins() -> set[str]:
    out = subprocess.run(["bash", "-c", "compgen -b"], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


@pytest.mark.parametrize(
    ("command", "programs"),
    [
        ("sudo ausearch -m avc | audit2allow -m {{name}}", ["ausearch", "audit2allow"]),
        ("grep -H . /proc/[0-9]*/oom_score_adj 2>/dev/null | grep -v ':0$'", ["grep", "grep"]),
        (": > /proc/{{pid}}/fd/{{fd}}", [":"]),
        ("kill -9 $(pgrep -f 'a | b')", ["kill", "pgrep"]),
        ("LC_ALL=C sort {{file}} && echo ok", ["sort", "echo"]),
        ("sudo -u {{user}} {{command}}", []),
        ("sudo -u postgres psql", ["psql"]),
    ],
)
def test_programs_of(command: str, programs: list[str]) -> None:
    assert programs_of(command) == programs


def test_every_command_runs_a_known_program() -> None:
    result = compile_directory(CONTENT)
    commands = {
        q.data["template"] for q in result.questions if q.kind is QuestionKind.PURPOSE_COMMAND
    }
    assert len(commands) >= 200
    allowed = known_programs() | bash_builtins()
    unknown = sorted(
        (program, command)
        for command in commands
        for program in programs_of(command)
        if program not in allowed
    )
    assert unknown == [], "add the program to known_programs.tsv with its package, or fix it"
