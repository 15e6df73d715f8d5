"""Benchmark: a full content build against converting the same Markdown alone.

Usage: .venv/bin/python bench/build.py [N ...]   (default: 1000 10000)

Each timing is the best of 3 runs at N <= 2000 (1 run above), baseline and
build alternating, because the machine may be shared.

For each N it generates N synthetic KB entries (front matter, sections, lists,
a table, a code block, a Commands section, interview questions, a cloze mark)
in a temporary folder, then times, in the same process:

- baseline: converting every body with `markdown` alone (one reused instance,
  the same built-in extensions the compiler uses);
- full build: read, parse, validate, generate and write to a fresh SQLite file;
- no-op rebuild: the same build again, nothing changed.

Targets: full ≤ 2× baseline at 1,000; ratio at 10,000 ≤ 1.2× the ratio at
1,000; no-op ≤ 10% of a full build.
"""

from __future__ import annotations

import gc
import random
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import markdown
from sqlalchemy.orm import Session

import quizapp.data.models  # noqa: F401  (registers the tables)
from quizapp.core.compiler.diagnostics import Diagnostics
from quizapp.core.compiler.frontmatter import split_front_matter
from quizapp.data.base import Base
from quizapp.data.engine import make_engine
from quizapp.services.build import build_content

CATEGORIES = [f"cat{i}" for i in range(10)]
LEVELS = ["beginner", "intermediate", "advanced"]
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def entry_text(i: int, n: int, rng: random.Random) -> tuple[str, str]:
    category = CATEGORIES[i % len(CATEGORIES)]
    see_also = sorted({f"entry-{rng.randrange(n)}" for _ in range(3)} - {f"entry-{i}"})
    see_also.append(f"entry-{(i + 1) % n}")  # every entry is linked from another
    text = f"""---
title: Concept number {i}
category: {category}
level: {LEVELS[i % 3]}
summary: >-
  Concept {i} is a synthetic entry used to measure the compiler; it has a summary of about
  the usual length with `inline code` and a second clause.
aka: [c{i}, concept-{i}-alias]
see_also: [{", ".join(sorted(set(see_also)))}]
tags: [bench, {category}]
---

## Overview

Paragraph one about concept {i}. It mentions *emphasis*, **strong text**, `code` and a
[link](https://example.com/{i}). The value is {{{{c1::answer-{i}::hint}}}} in most setups.

- first point about {i}
- second point
    - nested detail with `/proc/{i}/status`
- third point

| field | meaning |
|-------|---------|
| a{i} | the first field |
| b{i} | the second field |

```bash
cat /proc/{i}/status | grep -i vmrss   # resident memory
ls -l /sys/fs/cgroup/{category}
```

!!! note "Remember"
    Admonition text for entry {i}.

## Details

Term {i}
:   A definition list item explaining the term.

1. step one
2. step two

## Commands

- `tool{i} --list` — list the things tool {i} knows about
- `tool{i} --show {{{{name}}}}` — show one thing by name
- `tool{i} {{{{[-v|--verbose]}}}} run` — run it verbosely

## Interview questions

### What does concept {i} do? {{#what-it-does}}

It does what synthetic concept {i} does: model answer with `code` and a list.

- reason one
- reason two

### When would you not use concept {i}? {{#when-not}}

When the benchmark is over.
"""
    return f"kb/{category}/entry-{i}.md", text


def generate(root: Path, n: int) -> list[str]:
    rng = random.Random(n)
    (root / "kb").mkdir(parents=True)
    (root / "categories.yaml").write_text(
        "".join(f"{c}: Category {c}\n" for c in CATEGORIES), encoding="utf-8"
    )
    bodies = []
    for category in CATEGORIES:
        (root / "kb" / category).mkdir()
    for i in range(n):
        path, text = entry_text(i, n, rng)
        (root / path).write_text(text, encoding="utf-8")
        bodies.append(split_front_matter(path, text, Diagnostics()).body)
    return bodies


class Clock:
    """Wall-clock and this process's CPU time; on a shared machine CPU time is the
    steadier measure (other processes steal wall-clock time, not CPU time)."""

    def __init__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def stop(self) -> tuple[float, float]:
        return time.perf_counter() - self.wall, time.process_time() - self.cpu


def baseline(bodies: list[str]) -> tuple[float, float]:
    md = markdown.Markdown(
        extensions=[
            "fenced_code",
            "codehilite",
            "tables",
            "admonition",
            "toc",
            "attr_list",
            "def_list",
            "sane_lists",
        ],
        extension_configs={"codehilite": {"guess_lang": False}},
    )
    clock = Clock()
    for body in bodies:
        md.reset()
        md.convert(body)
    return clock.stop()


def build(root: Path, db: Path) -> tuple[tuple[float, float], str]:
    engine = make_engine(f"sqlite:///{db}")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        clock = Clock()
        report = build_content(session, root, now=NOW, cache={})
        session.commit()
        elapsed = clock.stop()
    engine.dispose()
    if not report.written and not report.noop:
        for d in report.errors[:5]:
            print(d.format())
        raise SystemExit("benchmark content did not compile")
    return elapsed, report.summary()


def run(n: int, repeats: int) -> tuple[float, float]:
    """Best of `repeats` for each timing, alternating baseline and build (shared machines)."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "content"
        bodies = generate(root, n)
        bases, fulls, noops = [], [], []
        print(f"N={n} (best of {repeats}):", end=" ", flush=True)
        for attempt in range(repeats):
            db = Path(tmp) / f"bench{attempt}.sqlite3"
            gc.collect()
            bases.append(baseline(bodies))
            gc.collect()
            full, summary = build(root, db)
            fulls.append(full)
            gc.collect()
            noop, noop_summary = build(root, db)
            noops.append(noop)
    print(summary)
    ratios = []
    for index, measure in ((0, "wall"), (1, "cpu")):
        base = min(t[index] for t in bases)
        full = min(t[index] for t in fulls)
        noop = min(t[index] for t in noops)
        ratios.append(full / base)
        print(
            f"  {measure:4}: baseline (markdown alone) {base:7.2f} s   full build {full:7.2f} s"
            f"   ratio {full / base:.2f}x   no-op {noop:6.3f} s = {noop / full:.1%} of full"
        )
    print(f"  targets: ratio <= 2.0x at 1,000; no-op <= 10%   [{noop_summary}]")
    return ratios[0], ratios[1]


def main(argv: list[str]) -> None:
    sizes = [int(a) for a in argv] or [1000, 10000]
    ratios = {n: run(n, 3 if n <= 2000 else 1) for n in sizes}
    if 1000 in ratios and 10000 in ratios:
        for index, measure in ((0, "wall"), (1, "cpu")):
            growth = ratios[10000][index] / ratios[1000][index]
            print(f"{measure}: ratio at 10,000 / ratio at 1,000 = {growth:.2f} (target <= 1.2)")


if __name__ == "__main__":
    main(sys.argv[1:])
