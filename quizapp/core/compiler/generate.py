"""Phase 4: questions from entries, with ids that survive edits to the prose.

A question id is `<entry identity>/<kind>/<key>`; the key is stable inside the
entry (the interview `{#key}`, the normalised command, the alias, the cloze's
c1 answer, the see-also target), hashed when it is not a short slug.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections import defaultdict
from collections.abc import Callable, Iterable

from quizapp.core.compiler.commands import normalise_command
from quizapp.core.compiler.model import Category, Command, Entry, EntryKind
from quizapp.core.compiler.parse import cloze_key
from quizapp.core.compiler.render import CLOZE
from quizapp.core.questions import Bank, Level, Question, QuestionKind

COMMANDS_BANK = "commands"
_SIMPLE_KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,47}$")
_CHOICES = 4


def bank_slug(entry: Entry) -> str:
    return f"kb-{entry.category}" if entry.kind is EntryKind.KB else COMMANDS_BANK


def question_id(identity: str, kind: QuestionKind, key: str) -> str:
    if not _SIMPLE_KEY.match(key):
        key = hashlib.sha256(key.encode()).hexdigest()[:12]
    return f"{identity}/{kind.value}/{key}"


def seeded_rng(question_id_: str) -> random.Random:
    """Randomness for one question, derived from its id: same content, same choices."""
    return random.Random(int(hashlib.sha256(question_id_.encode()).hexdigest()[:16], 16))


def link(entry: Entry, anchor: str = "") -> str:
    return f"[{entry.title}](/kb/{entry.slug}{'#' + anchor if anchor else ''})"


def term_forms(entry: Entry) -> set[str]:
    """The ways a definition may name its own term, to blank them out.

    The title, without a "(v2)"-style note, its head before " — " or ":" (the tool
    in "perf — profiling"), singulars, and the aliases — except aliases that are
    plain lowercase words (`after`, `wants`), which would blank ordinary prose.
    """
    titles = {entry.title, re.sub(r"\s*\([^)]*\)", "", entry.title).strip()}
    titles |= {re.split(r" — | – | - |: ", t, maxsplit=1)[0].strip() for t in set(titles)}
    aliases = {a for a in entry.aka if not re.fullmatch(r"[a-z]+", a)}
    forms: set[str] = set()
    for form in titles | aliases:
        forms.add(form)
        if form.endswith("s") and len(form) > 3:
            forms.add(form[:-1])
    return {f for f in forms if f}


def spoken_title(entry: Entry) -> str:
    """The title as an interviewer would say it: "perf", not "perf — profiling and ..."."""
    head = re.split(r" — | – |: ", entry.title, maxsplit=1)[0].strip()
    bare = re.sub(r"\s*\([^)]*\)", "", head).strip()
    return bare or head or entry.title


def mask_terms(text: str, terms: Iterable[str]) -> str:
    """Hide the term (and its aliases) in its own definition: whole words, any case.

    Plain string search, not a regex per entry: compiling one pattern per entry
    cost more than generating all of its questions.
    """
    lower = text.lower()
    taken: list[tuple[int, int]] = []
    for term in sorted({t.lower() for t in terms if len(t) > 1}, key=len, reverse=True):
        start = lower.find(term)
        while start != -1:
            end = start + len(term)
            before = lower[start - 1] if start else " "
            after = lower[end] if end < len(lower) else " "
            if (
                not (before.isalnum() or before == "_")
                and not (after.isalnum() or after == "_")
                and all(end <= a or start >= b for a, b in taken)
            ):
                taken.append((start, end))
            start = lower.find(term, start + 1)
    out, last = [], 0
    for start, end in sorted(taken):
        out.append(text[last:start])
        out.append("___")
        last = end
    out.append(text[last:])
    return "".join(out)


def cloze_prompt(text: str) -> str:
    return CLOZE.sub(lambda m: f"[{m.group(3)}]" if m.group(3) else "[...]", text)


def cloze_answer(text: str) -> str:
    return CLOZE.sub(lambda m: f"**{m.group(2)}**", text)


def _command_block(command: Command) -> str:
    return f"```bash\n{command.plain}\n```"


def _sentence(text: str) -> str:
    text = text.strip().rstrip(".:")
    return text[:1].upper() + text[1:] if text else text


class _Generator:
    def __init__(self, entries: list[Entry], categories: dict[str, Category]) -> None:
        self.entries = entries
        self.by_slug = {e.slug: e for e in entries}
        self.categories = categories
        self.questions: list[Question] = []
        self._unique_pools: dict[int, list[str]] = {}
        kb = [e for e in entries if e.kind is EntryKind.KB and e.title and e.summary]
        self.titles_by_group: dict[tuple[str, Level], list[str]] = defaultdict(list)
        self.titles_by_category: dict[str, list[str]] = defaultdict(list)
        for entry in sorted(kb, key=lambda e: e.slug):
            self.titles_by_group[(entry.category, entry.level)].append(entry.title)
            self.titles_by_category[entry.category].append(entry.title)
        self.commands_by_group: dict[tuple[str, Level], list[str]] = defaultdict(list)
        self.commands_by_category: dict[str, list[str]] = defaultdict(list)
        for entry in sorted(entries, key=lambda e: e.slug):
            for command in entry.commands:
                self.commands_by_group[(entry.category, entry.level)].append(command.plain)
                self.commands_by_category[entry.category].append(command.plain)

    def add(
        self,
        entry: Entry,
        kind: QuestionKind,
        key: str,
        prompt: str,
        answer: str,
        explanation: str = "",
        data: dict[str, object] | None = None,
    ) -> None:
        self.questions.append(
            Question(
                id=question_id(entry.identity, kind, key),
                bank=bank_slug(entry),
                kind=kind,
                prompt=prompt,
                answer=answer,
                explanation=explanation or f"From {link(entry)}.",
                entry_slug=entry.slug,
                category=entry.category,
                level=entry.level,
                tags=entry.tags,
                data=dict(data or {}),
            )
        )

    def run(self) -> list[Question]:
        for entry in self.entries:
            if entry.kind is EntryKind.KB:
                self.kb_entry(entry)
            for command in entry.commands:
                self.command(entry, command)
        return self.questions

    def kb_entry(self, entry: Entry) -> None:
        masked = mask_terms(entry.summary, term_forms(entry))
        aka = f" (also: {', '.join(entry.aka)})" if entry.aka else ""
        for item in entry.interview:
            self.add(
                entry,
                QuestionKind.INTERVIEW,
                item.key,
                item.question,
                item.answer,
                f"From {link(entry, item.key)}.",
            )
        if entry.summary:
            self.add(
                entry,
                QuestionKind.TERM_DEFINITION,
                "term",
                f"Explain **{spoken_title(entry)}** in one or two sentences.",
                entry.summary,
            )
            self.add(
                entry,
                QuestionKind.DEFINITION_TERM,
                "term",
                f"Name the concept:\n\n> {masked}",
                f"**{entry.title}**{aka}",
                f"{entry.summary}\n\nFrom {link(entry)}.",
            )
            self.multiple_choice_term(entry, masked)
        title_key = " ".join(entry.title.lower().split())
        for alias in entry.aka:
            alias_key = " ".join(alias.lower().split())
            if alias_key == title_key:
                continue
            self.add(
                entry,
                QuestionKind.ALIAS_TERM,
                alias_key,
                f"In an interview someone says **{alias}**. Which concept do they mean, "
                "and what is it?",
                f"**{entry.title}**: {entry.summary}",
            )
        for block in entry.clozes:
            numbers = sorted({int(m.group(1)) for m in CLOZE.finditer(block.text)})
            context = f"{entry.title} — {block.section}" if block.section else entry.title
            self.add(
                entry,
                QuestionKind.CLOZE,
                cloze_key(block.text),
                f"**{context}**: fill in the blanks.\n\n{cloze_prompt(block.text)}",
                cloze_answer(block.text),
                data={"cloze": block.text, "deletions": numbers},
            )
        for target_slug in entry.see_also:
            target = self.by_slug.get(target_slug)
            if target is None or target.slug == entry.slug:
                continue
            self.add(
                entry,
                QuestionKind.SEE_ALSO,
                target.identity,
                # The answer is the two summaries, so the prompt asks for exactly that
                # (an interviewer's "explain X, and the related Y") rather than promising
                # an account of the relation the content does not hold.
                f"Explain **{spoken_title(entry)}** and the related topic "
                f"**{spoken_title(target)}**, a sentence or two each.",
                f"**{entry.title}**: {entry.summary}\n\n**{target.title}**: {target.summary}",
                f"From {link(entry)} and {link(target)}.",
                {"target": target.slug},
            )

    def multiple_choice_term(self, entry: Entry, masked: str) -> None:
        qid = question_id(entry.identity, QuestionKind.MULTIPLE_CHOICE, "term")
        pools = (
            self.titles_by_group[(entry.category, entry.level)],
            self.titles_by_category[entry.category],
        )
        distractors = self._distractors(qid, entry.title, pools, _titles_overlap)
        if len(distractors) < 2:
            return
        choices, correct = self._shuffle(qid, entry.title, distractors)
        self.add(
            entry,
            QuestionKind.MULTIPLE_CHOICE,
            "term",
            f"Which concept does this describe?\n\n> {masked}",
            entry.title,
            f"{entry.summary}\n\nFrom {link(entry)}.",
            {"choices": choices, "correct": correct},
        )

    def command(self, entry: Entry, command: Command) -> None:
        key = normalise_command(command.template)
        description = _sentence(command.description)
        self.add(
            entry,
            QuestionKind.COMMAND_PURPOSE,
            key,
            f"What does this command do?\n\n{_command_block(command)}",
            description + ".",
            data={"command": command.template},
        )
        if entry.kind is EntryKind.TLDR:
            ask = f"Type the `{entry.title}` command:"
        else:
            ask = f"**{entry.title}** — type the command:"
        self.add(
            entry,
            QuestionKind.PURPOSE_COMMAND,
            key,
            f"{ask}\n\n> {description}.",
            f"`{command.template}`",
            data={
                "accepted": [command.template],
                "template": command.template,
                "plain": command.plain,
            },
        )
        qid = question_id(entry.identity, QuestionKind.MULTIPLE_CHOICE, "command:" + key)
        pools = (
            self.commands_by_group[(entry.category, entry.level)],
            self.commands_by_category[entry.category],
        )
        distractors = self._distractors(qid, command.plain, pools, _same_command_head)
        if len(distractors) < 2:
            return
        choices, correct = self._shuffle(qid, command.plain, distractors)
        self.add(
            entry,
            QuestionKind.MULTIPLE_CHOICE,
            "command:" + key,
            f"Which command would you run? *{description}.*",
            f"`{command.plain}`",
            data={"choices": choices, "correct": correct, "code": True},
        )

    def _distractors(
        self,
        qid: str,
        right: str,
        pools: Iterable[list[str]],
        could_also_be_right: Callable[[str, str], bool],
    ) -> list[str]:
        """Up to three wrong answers, nearest pool first, chosen by the question's own seed.

        A candidate that could also answer the question (`ip neigh show dev eth0`
        when the answer is `ip neigh`) is never offered: the right answer must be unique.
        """
        rng = seeded_rng(qid)
        chosen: list[str] = []
        for pool in pools:
            unique = self._unique(pool)
            wanted = _CHOICES - 1 - len(chosen)
            # sample a few extra indexes: some may be the right answer or already chosen
            picks = rng.sample(range(len(unique)), min(len(unique), wanted + 1 + len(chosen)))
            for index in picks:
                candidate = unique[index]
                if (
                    candidate != right
                    and candidate not in chosen
                    and not could_also_be_right(candidate, right)
                    and len(chosen) < _CHOICES - 1
                ):
                    chosen.append(candidate)
            if len(chosen) >= _CHOICES - 1:
                break
        return chosen

    def _unique(self, pool: list[str]) -> list[str]:
        key = id(pool)
        cached = self._unique_pools.get(key)
        if cached is None:
            cached = self._unique_pools[key] = sorted(set(pool))
        return cached

    def _shuffle(self, qid: str, right: str, distractors: list[str]) -> tuple[list[str], int]:
        choices = [right, *distractors]
        seeded_rng(qid + "/order").shuffle(choices)
        return choices, choices.index(right)


def _command_head(command: str) -> tuple[str, ...]:
    """The program and its first non-option word, `sudo` and options skipped."""
    head: list[str] = []
    for word in command.split():
        if word == "sudo" or word.startswith("-"):
            continue
        head.append(word)
        if len(head) == 2:
            break
    return tuple(head)


def _same_command_head(candidate: str, right: str) -> bool:
    return _command_head(candidate) == _command_head(right)


def _titles_overlap(candidate: str, right: str) -> bool:
    a, b = candidate.casefold(), right.casefold()
    return a in b or b in a


def generate_questions(entries: list[Entry], categories: dict[str, Category]) -> list[Question]:
    return _Generator(entries, categories).run()


def banks_for(entries: list[Entry], categories: dict[str, Category]) -> list[Bank]:
    banks: dict[str, Bank] = {}
    for entry in entries:
        slug = bank_slug(entry)
        if slug in banks:
            continue
        if entry.kind is EntryKind.KB:
            category = categories.get(entry.category)
            title = category.title if category else entry.category
            banks[slug] = Bank(slug, title, category.description if category else "")
        else:
            banks[slug] = Bank(slug, "Commands", "Command cheat-sheets and tldr pages.")
    return sorted(banks.values(), key=lambda b: b.slug)
