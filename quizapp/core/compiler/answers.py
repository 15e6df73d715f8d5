"""Checking a typed command against the accepted forms of a purpose → command card.

Both sides are split like a shell would (so quoting style and spacing do not
matter), placeholders accept any value, and option placeholders
(`{{[-o|--output]}}`) accept either form. When the answer is wrong, `diff`
says token by token what differed.
"""

from __future__ import annotations

import itertools
import re
import shlex
from dataclasses import dataclass
from typing import Literal

from quizapp.core.compiler.commands import PLACEHOLDER, parse_placeholder
from quizapp.core.questions import Question

DiffOp = Literal["same", "wrong", "missing", "extra"]
_SENTINEL = re.compile(r"\x00(\d+)\x00")
_MAX_VARIANTS = 64


@dataclass(frozen=True, slots=True)
class DiffPart:
    op: DiffOp
    expected: str = ""  # the accepted token (placeholders shown as {{...}})
    typed: str = ""


@dataclass(frozen=True, slots=True)
class TypedAnswerResult:
    correct: bool
    typed: str  # the answer as normalised for comparison
    expected: str  # the accepted form closest to what was typed
    diff: tuple[DiffPart, ...]


@dataclass(frozen=True, slots=True)
class _Token:
    display: str  # as shown in a diff
    pattern: re.Pattern[str]
    many: bool = False  # a lone {{a b ...}} placeholder: one or more tokens


def split_words(text: str) -> list[str]:
    """Split like a POSIX shell; unbalanced quotes fall back to whitespace."""
    try:
        return shlex.split(text)
    except ValueError:
        return text.split()


def _variants(template: str) -> list[str]:
    """Expand option placeholders into every short/long combination."""
    options = [m for m in PLACEHOLDER.finditer(template) if parse_placeholder(m.group(1)).is_option]
    if not options:
        return [template]
    choices = [parse_placeholder(m.group(1)).options for m in options]
    variants = []
    for combo in itertools.islice(itertools.product(*choices), _MAX_VARIANTS):
        text, last = [], 0
        for match, form in zip(options, combo, strict=True):
            text.append(template[last : match.start()])
            text.append(form)
            last = match.end()
        text.append(template[last:])
        variants.append("".join(text))
    return variants


def _tokens(template: str) -> list[_Token]:
    bodies: list[str] = []

    def protect(match: re.Match[str]) -> str:
        bodies.append(match.group(1))
        return f"\x00{len(bodies) - 1}\x00"

    protected = PLACEHOLDER.sub(protect, template)
    tokens = []
    for word in split_words(protected):
        parts = _SENTINEL.split(word)  # literal, index, literal, index, ...
        pattern, display = [], []
        for i, part in enumerate(parts):
            if i % 2:
                pattern.append(".+")
                display.append("{{" + bodies[int(part)] + "}}")
            else:
                literal = part.replace("\\{\\{", "{{").replace("\\}\\}", "}}")
                pattern.append(re.escape(literal))
                display.append(literal)
        many = len(parts) == 3 and not parts[0] and not parts[2] and "..." in bodies[int(parts[1])]
        tokens.append(_Token("".join(display), re.compile("".join(pattern), re.S), many))
    return tokens


def _matches(tokens: list[_Token], words: list[str]) -> bool:
    def walk(i: int, j: int) -> bool:
        if i == len(tokens):
            return j == len(words)
        token = tokens[i]
        if token.many:
            return any(
                all(token.pattern.fullmatch(w) for w in words[j:k]) and walk(i + 1, k)
                for k in range(j + 1, len(words) + 1)
            )
        return j < len(words) and bool(token.pattern.fullmatch(words[j])) and walk(i + 1, j + 1)

    return walk(0, 0)


def _diff(tokens: list[_Token], words: list[str]) -> tuple[int, list[DiffPart]]:
    """Align expected tokens with typed words (LCS); return (#same, parts)."""
    n, m = len(tokens), len(words)
    same = [[bool(t.pattern.fullmatch(w)) for w in words] for t in tokens]
    lcs = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            lcs[i][j] = lcs[i + 1][j + 1] + 1 if same[i][j] else max(lcs[i + 1][j], lcs[i][j + 1])
    parts: list[DiffPart] = []
    i = j = 0
    while i < n or j < m:
        if i < n and j < m and same[i][j]:
            parts.append(DiffPart("same", tokens[i].display, words[j]))
            i, j = i + 1, j + 1
        elif i < n and j < m and lcs[i + 1][j + 1] == lcs[i][j]:
            parts.append(DiffPart("wrong", tokens[i].display, words[j]))
            i, j = i + 1, j + 1
        elif j < m and (i == n or lcs[i][j + 1] >= lcs[i + 1][j]):
            parts.append(DiffPart("extra", "", words[j]))
            j += 1
        else:
            parts.append(DiffPart("missing", tokens[i].display, ""))
            i += 1
    return lcs[0][0], parts


def check_typed_answer(question: Question, typed: str) -> TypedAnswerResult:
    """Compare a typed command with the question's accepted forms (`data["accepted"]`)."""
    accepted = [str(a) for a in question.data.get("accepted", [question.answer])]
    words = split_words(typed.strip())
    normalised = " ".join(words)
    best: tuple[int, str, list[DiffPart]] | None = None
    for template in accepted:
        for variant in _variants(template):
            tokens = _tokens(variant)
            if _matches(tokens, words):
                parts = [
                    DiffPart("same", t.display, w) for t, w in zip(tokens, words, strict=False)
                ]
                return TypedAnswerResult(True, normalised, variant, tuple(parts))
            score, parts = _diff(tokens, words)
            if best is None or score > best[0]:
                best = (score, variant, parts)
    assert best is not None  # at least one accepted form
    return TypedAnswerResult(False, normalised, best[1], tuple(best[2]))
