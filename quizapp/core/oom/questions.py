"""OOM questions: "which process gets killed?", "what will oom_score show?", kernel versions.

Hand-written scenarios give `oom-scenarios` questions; a seeded generator gives
the fixed `oom-generated` set and unlimited practice. Every question's `data`
holds the scenario dict, the choices, the correct index and the full result, so
the web and Anki layers render without running the simulator again.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from ..questions import Level, Question, QuestionKind
from .arith import cdiv
from .badness import global_totalpages
from .kernel import KernelRules
from .result import OomResult, Outcome
from .scenario import Scenario, load_scenario
from .units import format_bytes

SCENARIO_BANK = "oom-scenarios"
GENERATED_BANK = "oom-generated"
TIERS = ("easy", "medium", "hard")
LEVELS = {"easy": Level.BEGINNER, "medium": Level.INTERMEDIATE, "hard": Level.ADVANCED}
NOTHING = "Nothing is killed"
PANIC = "No process: the kernel panics"


def _run(scenario: Scenario, kernel: str | None = None) -> OomResult:
    from . import run_scenario

    return run_scenario(scenario, kernel)


# -- rendering -----------------------------------------------------------------------------


def _size(pages: int, page_size: int) -> str:
    if not pages:
        return "0"
    size = pages * page_size
    exact = format_bytes(size)
    if exact.endswith(("MiB", "GiB", "TiB")):
        return f"{pages:,} pages ({exact})"
    return f"{pages:,} pages ({size / 1024**2:,.1f} MiB)"


def describe(scenario: Scenario) -> str:
    """The scenario as a learner sees it: story, machine, cgroups, sysctls and a task table."""
    system = scenario.system
    m = system.machine
    lines = [scenario.story.strip(), ""]
    lines.append(
        f"Kernel {scenario.kernel}; RAM {_size(m.ram_pages, m.page_size)}; "
        f"swap {_size(m.swap_pages, m.page_size)}; cgroup v{system.cgroup_version}."
    )
    event = system.event
    what = "a global OOM (the whole machine)"
    if event.constraint.is_memcg:
        what = f"a memory cgroup OOM in {event.memcg}"
    elif event.allowed_pages is not None:
        what = f"a {event.constraint.value} OOM ({_size(event.allowed_pages, m.page_size)} allowed)"
    lines.append(f"The event: {what}." + (" Triggered by sysrq-f." if event.sysrq else ""))
    if event.allocating_pid:
        lines.append(f"The allocating task is pid {event.allocating_pid}.")
    s = system.sysctls
    lines.append(
        f"vm.panic_on_oom={s.panic_on_oom}, vm.oom_kill_allocating_task="
        f"{int(s.oom_kill_allocating_task)}, vm.swappiness={s.swappiness}."
    )
    for c in system.cgroups:
        parts = [f"memory.max {_limit(c.memory_max, m.page_size)}"]
        if system.cgroup_version == 2:
            parts.append(f"swap.max {_limit(c.swap_max, m.page_size)}")
            parts.append(f"oom.group {int(c.oom_group)}")
        else:
            parts.append(f"memsw limit {_limit(c.memsw_max, m.page_size)}")
            if c.swappiness is not None:
                parts.append(f"swappiness {c.swappiness}")
        lines.append(f"Cgroup {c.path}: " + ", ".join(parts) + ".")
    lines += [
        "",
        "Tasks in creation order (the order a global OOM scans them):",
        "",
        "| pid | name | rss | swap | page tables | oom_score_adj | cgroup | notes |",
    ]
    lines.append("|---|---|---|---|---|---|---|---|")
    for t in system.tasks:
        notes = _notes(t, scenario)
        lines.append(
            f"| {t.pid} | {t.name} | {_size(t.rss, m.page_size)} | {_size(t.swapents, m.page_size)} "
            f"| {t.pgtables_bytes:,} B | {t.oom_score_adj} | {t.cgroup} | {notes} |"
        )
    return "\n".join(lines)


def _limit(pages: int | None, page_size: int) -> str:
    return "max" if pages is None else _size(pages, page_size)


def _notes(task: Any, scenario: Scenario) -> str:
    flags = [
        name
        for name in ("init", "kthread", "no_mm", "in_vfork", "mm_reaped", "oom_victim",
                     "oom_origin", "cap_sys_admin")
        if getattr(task, name)
    ]  # fmt: skip
    if task.mm:
        flags.append(f"shares mm '{task.mm}'")
    if task.parent:
        flags.append(f"child of {task.parent}")
    if task.rss_file or task.rss_shmem:
        flags.append(f"anon {task.rss_anon:,} / file {task.rss_file:,} / shmem {task.rss_shmem:,}")
    for pid, note in scenario.adj_notes:
        if pid == task.pid:
            flags.append(f"pod: {note}")
    return "; ".join(flags)


def score_table(result: OomResult) -> str:
    lines = ["| pid | name | badness | /proc oom_score | note |", "|---|---|---|---|---|"]
    for s in result.scores:
        badness = f"{s.badness:,}" if s.badness is not None else "-"
        note = s.excluded or ""
        if s.pid in result.killed_pids:
            note = "killed" + (f" ({note})" if note else "")
        lines.append(f"| {s.pid} | {s.name} | {badness} | {s.oom_score} | {note} |")
    return "\n".join(lines)


def explanation(result: OomResult) -> str:
    return "\n".join(result.explanation) + "\n\n" + score_table(result)


# -- building questions --------------------------------------------------------------------


def _choice(pids: Sequence[int], names: Sequence[str]) -> dict[str, Any]:
    label = " + ".join(f"{n} ({p})" for p, n in zip(pids, names, strict=True))
    return {
        "pid": pids[0] if pids else None,
        "pids": list(pids),
        "name": " + ".join(names),
        "label": label,
    }


def _victim_choices(scenario: Scenario, result: OomResult) -> tuple[list[dict[str, Any]], int]:
    system = scenario.system
    names = {t.pid: t.name for t in system.tasks}
    killed = list(result.killed_pids)
    candidates = [t for t in system.tasks if not t.kthread]
    by_rss = sorted(candidates, key=lambda t: -t.rss)
    ranked = sorted(
        (s for s in result.scores if s.badness is not None), key=lambda s: -(s.badness or 0)
    )
    picks: list[int] = []
    for pid in [
        *(s.pid for s in ranked[:3]),
        *(t.pid for t in by_rss[:3]),
        *(t.pid for t in candidates),
    ]:
        if pid not in picks and pid not in killed[:1]:
            picks.append(pid)
    if len(killed) > 1:
        sets = [killed, killed[:1]]
        if picks:
            sets.append([killed[0], picks[0]] if picks[0] not in killed else [picks[0]])
        others = [p for p in picks if p not in killed]
        if others:
            sets.append([others[0]])
        unique: list[list[int]] = []
        for s in sets:
            if s and s not in unique:
                unique.append(s)
        choices = [_choice(s, [names[p] for p in s]) for s in unique]
        correct = 0
    else:
        chosen = killed[:1] + picks[: 4 - len(killed[:1])]
        choices = [_choice([p], [names[p]]) for p in chosen]
        correct = 0 if killed else -1
    specials = []
    if (
        result.outcome is Outcome.PANIC
        or result.outcome is Outcome.NO_KILLABLE
        and result.panic_reason
    ):
        specials.append((PANIC, True))
    elif system.sysctls.panic_on_oom:
        specials.append((PANIC, False))
    if result.outcome is Outcome.ABORT or (
        result.outcome is Outcome.NO_KILLABLE and not result.panic_reason
    ):
        specials.append((NOTHING, True))
    elif any(t.oom_victim for t in system.tasks):
        specials.append((NOTHING, False))
    for label, is_correct in specials:
        choices.append({"pid": None, "pids": [], "name": label, "label": label})
        if is_correct:
            correct = len(choices) - 1
    # a stable order that does not give the answer away: by label
    order = sorted(range(len(choices)), key=lambda i: choices[i]["label"])
    choices = [choices[i] for i in order]
    return choices, order.index(correct)


def _question(
    qid: str,
    bank: str,
    kind: QuestionKind,
    scenario: Scenario,
    result: OomResult,
    prompt: str,
    choices: list[dict[str, Any]],
    correct: int,
    level: Level,
    extra: dict[str, Any] | None = None,
) -> Question:
    answer = choices[correct]["label"]
    data: dict[str, Any] = {
        "scenario": scenario.source,
        "kernel": result.kernel,
        "choices": choices,
        "correct": correct,
        "answer": choices[correct],
        "result": result.to_dict(),
    }
    data.update(extra or {})
    return Question(
        id=qid,
        bank=bank,
        kind=kind,
        prompt=prompt,
        answer=answer,
        explanation=explanation(result),
        category="oom",
        level=level,
        tags=("oom", scenario.tier, *scenario.tags),
        data=data,
    )


def victim_question(
    scenario: Scenario, qid: str, bank: str, level: Level | None = None
) -> Question:
    result = _run(scenario)
    choices, correct = _victim_choices(scenario, result)
    multi = len(result.killed) > 1
    ask = "Which processes are killed?" if multi else "Which process does the OOM killer kill?"
    prompt = f"**{scenario.title}**\n\n{describe(scenario)}\n\n{ask}"
    return _question(qid, bank, QuestionKind.OOM_VICTIM, scenario, result, prompt, choices, correct,
                     level or LEVELS[scenario.tier])  # fmt: skip


def kernel_question(scenario: Scenario, kernel: str, qid: str, bank: str) -> Question:
    result = _run(scenario, kernel)
    choices, correct = _victim_choices(scenario, result)
    baseline = _run(scenario)
    prompt = (
        f"**{scenario.title}** (on an older kernel)\n\n{describe(scenario)}\n\n"
        f"The same event happens on **Linux {kernel}** instead of {scenario.kernel}. "
        "Which process does the OOM killer kill there?"
    )
    q = _question(qid, bank, QuestionKind.OOM_KERNEL, scenario, result, prompt, choices, correct,
                  Level.ADVANCED, {"asked_kernel": kernel, "baseline_killed": list(baseline.killed_pids)})  # fmt: skip
    return q


def oom_score_choices(result: OomResult, pid: int, rules: KernelRules) -> tuple[list[int], int]:
    score = result.score_of(pid)
    total = result.global_totalpages
    value = score.oom_score
    candidates = {value, value + 1, value - 1}
    badness_global = _global_badness(result, pid)
    if badness_global is not None:
        floor_inner = (badness_global * 1000) // total
        candidates.add((1000 + floor_inner) * 2 // 3)  # Python floor division: wrong for < 0
        candidates.add(max(cdiv(badness_global * 1000, total), 0))  # the pre-5.9 formula
        candidates.add(1000 + cdiv(badness_global * 1000, total))  # forgot the * 2 / 3
    if result.totalpages != total and score.badness is not None:
        candidates.add(cdiv((1000 + cdiv(score.badness * 1000, result.totalpages)) * 2, 3))
    numbers = sorted(c for c in candidates if 0 <= c <= 3000)
    rng = random.Random(f"{pid}:{value}")
    picked = [value] + rng.sample([c for c in numbers if c != value], k=min(4, len(numbers) - 1))
    picked.sort()
    return picked, picked.index(value)


def _global_badness(result: OomResult, pid: int) -> int | None:
    how = result.score_of(pid).oom_score_how
    # the /proc formula text starts with the global badness: "N x 1000 / T = ..."
    head = how.split(" x 1000", 1)[0].replace(",", "")
    return int(head) if head.lstrip("-").isdigit() else None


def oom_score_question(
    scenario: Scenario, pid: int, qid: str, bank: str, level: Level | None = None
) -> Question:
    result = _run(scenario)
    rules = KernelRules.for_version(result.kernel)
    numbers, correct = oom_score_choices(result, pid, rules)
    task = scenario.system.task(pid)
    assert task is not None
    choices = [
        {"pid": pid, "pids": [pid], "name": task.name, "label": str(v), "value": v} for v in numbers
    ]
    prompt = (
        f"**{scenario.title}**\n\n{describe(scenario)}\n\n"
        f"What does `cat /proc/{pid}/oom_score` print for {task.name} on this machine?"
    )
    score = result.score_of(pid)
    extra = {"asked_pid": pid, "oom_score_how": score.oom_score_how,
             "global_totalpages": global_totalpages(scenario.system)}  # fmt: skip
    return _question(qid, bank, QuestionKind.OOM_SCORE, scenario, result, prompt, choices, correct,
                     level or LEVELS[scenario.tier], extra)  # fmt: skip


def questions_from_scenarios(scenarios: Sequence[Scenario]) -> list[Question]:
    """The `oom-scenarios` bank: a victim question per scenario plus the ones it asks for."""
    out: list[Question] = []
    for sc in scenarios:
        if sc.questions.victim:
            out.append(victim_question(sc, f"oom:{sc.id}:victim", SCENARIO_BANK))
        for pid in sc.questions.oom_score:
            out.append(oom_score_question(sc, pid, f"oom:{sc.id}:score:{pid}", SCENARIO_BANK))
        for kernel in sc.questions.kernels:
            out.append(kernel_question(sc, kernel, f"oom:{sc.id}:kernel:{kernel}", SCENARIO_BANK))
    return out


# -- the generator -------------------------------------------------------------------------

NAMES = ["java", "postgres", "nginx", "redis-server", "node", "python3", "mysqld", "chrome",
         "backup.sh", "rsync", "prometheus", "etcd", "kafka", "elasticsearch", "ffmpeg", "gcc",
         "make", "tar", "grafana", "sidekiq", "celery", "php-fpm", "mongod", "varnishd"]  # fmt: skip

Template = Callable[[random.Random], dict[str, Any]]


def _tasks(rng: random.Random, count: int, low_mib: int, high_mib: int) -> list[dict[str, Any]]:
    names = rng.sample(NAMES, count)
    pids = sorted(rng.sample(range(300, 30000), count))
    return [
        {"pid": pid, "name": name, "rss": f"{rng.randrange(low_mib, high_mib)}MiB",
         "pgtables_bytes": rng.randrange(4, 400) * 4096}
        for pid, name in zip(pids, names, strict=True)
    ]  # fmt: skip


def _machine(rng: random.Random, swap: bool = False) -> dict[str, Any]:
    ram = rng.choice([4, 8, 16, 32])
    return {"ram": f"{ram}GiB", "swap": f"{rng.choice([1, 2, 4])}GiB" if swap else 0}


def _easy(rng: random.Random) -> dict[str, Any]:
    tasks = _tasks(rng, rng.randrange(3, 6), 50, 2000)
    return {"tier": "easy", "story": "A server runs out of memory. No oom_score_adj has been set.",
            "machine": _machine(rng), "tasks": [{"pid": 1, "name": "systemd", "rss": "12MiB", "flags": ["init"]}, *tasks]}  # fmt: skip


def _medium_adj(rng: random.Random) -> dict[str, Any]:
    tasks = _tasks(rng, 4, 100, 1500)
    target = rng.choice(tasks[1:])
    target["oom_score_adj"] = rng.choice([100, 200, 300, 500, 800])
    protected = rng.choice([t for t in tasks if t is not target])
    protected["oom_score_adj"] = rng.choice([-1000, -500, -900])
    return {"tier": "medium", "story": "Some services tune oom_score_adj: one volunteers, one asks for protection.",
            "machine": _machine(rng, swap=rng.random() < 0.5), "tasks": tasks}  # fmt: skip


def _medium_immune(rng: random.Random) -> dict[str, Any]:
    tasks = _tasks(rng, 4, 100, 1500)
    biggest = max(tasks, key=lambda t: int(t["rss"][:-3]))
    biggest["oom_score_adj"] = -1000
    return {"tier": "medium", "story": "The largest process is the database, and its unit file sets OOMScoreAdjust=-1000.",
            "machine": _machine(rng), "tasks": tasks}  # fmt: skip


def _hard_memcg(rng: random.Random) -> dict[str, Any]:
    tasks = _tasks(rng, 4, 100, 900)
    limit = rng.choice([1, 2])
    inside = tasks[:2]
    for t in inside:
        t["cgroup"] = "/app"
    outside = tasks[2]
    outside["rss"] = f"{rng.randrange(1500, 3000)}MiB"
    return {"tier": "hard", "story": "A container hits its memory limit while a much bigger process runs outside it.",
            "machine": _machine(rng), "cgroups": [{"path": "/app", "memory_max": f"{limit}GiB", "swap_max": 0}],
            "oom": {"constraint": "memcg", "memcg": "/app"}, "tasks": tasks}  # fmt: skip


def _hard_swap(rng: random.Random) -> dict[str, Any]:
    tasks = _tasks(rng, 3, 400, 1200)
    tasks[0]["rss"] = "200MiB"
    tasks[0]["swap"] = f"{rng.randrange(900, 1600)}MiB"
    return {"tier": "hard", "story": "One process was pushed mostly out to swap before memory ran out.",
            "machine": _machine(rng, swap=True), "tasks": tasks}  # fmt: skip


def _hard_group(rng: random.Random) -> dict[str, Any]:
    tasks = _tasks(rng, 4, 200, 1200)
    tasks[0]["cgroup"] = tasks[1]["cgroup"] = "/svc/web"
    tasks[2]["cgroup"] = "/svc/worker"
    return {"tier": "hard", "story": "A service runs in a cgroup v2 subtree with memory.oom.group set.",
            "machine": _machine(rng),
            "cgroups": [{"path": "/svc", "oom_group": True}, {"path": "/svc/web"}, {"path": "/svc/worker"}],
            "tasks": tasks}  # fmt: skip


def _hard_allocating(rng: random.Random) -> dict[str, Any]:
    tasks = _tasks(rng, 4, 100, 1500)
    current = rng.choice(tasks)
    current["rss"] = f"{rng.randrange(5, 60)}MiB"
    return {"tier": "hard", "story": "The administrator set vm.oom_kill_allocating_task=1.",
            "machine": _machine(rng), "sysctls": {"oom_kill_allocating_task": 1},
            "oom": {"allocating": current["pid"]}, "tasks": tasks}  # fmt: skip


def _hard_truncation(rng: random.Random) -> dict[str, Any]:
    # T = k*1000 + 999 pages: the adj unit is k, not k.999 (spec TV3)
    k = rng.randrange(1000, 4000)
    total = k * 1000 + 999
    adj = rng.choice([10, 20, 30, 40])
    big = rng.randrange(200_000, 400_000)
    small = big - adj * k - rng.randrange(1, adj)  # loses by C rules, wins with exact division
    names = rng.sample(NAMES, 2)
    return {"tier": "hard", "story": "Two processes, one with a small positive oom_score_adj; RAM is an odd number of pages.",
            "machine": {"ram": total},
            "tasks": [{"pid": 2001, "name": names[0], "rss": big},
                      {"pid": 2002, "name": names[1], "rss": small, "oom_score_adj": adj}],
            "_near_tie_ok": True}  # fmt: skip


def _hard_tie(rng: random.Random) -> dict[str, Any]:
    names = rng.sample(NAMES, 3)
    size = rng.randrange(50_000, 300_000)
    pgt = rng.randrange(10, 100)
    return {"tier": "hard", "story": "Two processes end up with exactly the same badness.",
            "machine": _machine(rng),
            "tasks": [{"pid": 500, "name": names[0], "rss": size + pgt},
                      {"pid": 400, "name": names[1], "rss": size, "pgtables_bytes": pgt * 4096},
                      {"pid": 600, "name": names[2], "rss": size // 3}],
            "_near_tie_ok": True}  # fmt: skip


def _hard_k8s(rng: random.Random) -> dict[str, Any]:
    cap = rng.choice([8, 16, 32])
    req = rng.choice([256, 512, 1024, 2048])
    return {"tier": "hard", "story": "A Kubernetes node runs out of memory (a global OOM). Pods of every QoS class are running.",
            "machine": {"ram": f"{cap}GiB"},
            "tasks": [
                {"pid": 3001, "name": "payments", "rss": f"{rng.randrange(2000, 5000)}MiB", "pod": {"name": "pay", "qos": "Guaranteed"}},
                {"pid": 3002, "name": "api", "rss": f"{rng.randrange(800, 2500)}MiB", "pod": {"name": "api", "qos": "Burstable", "memory_request": f"{req}MiB"}},
                {"pid": 3003, "name": "cron-job", "rss": f"{rng.randrange(50, 400)}MiB", "pod": {"name": "cron", "qos": "BestEffort"}},
            ]}  # fmt: skip


def _hard_shared_mm(rng: random.Random) -> dict[str, Any]:
    tasks = _tasks(rng, 3, 100, 900)
    helper = dict(tasks[0], pid=tasks[0]["pid"] + 1, name=tasks[0]["name"] + "-helper", mm="shared")
    tasks[0]["mm"] = "shared"
    return {"tier": "hard", "story": "One program forks a helper with CLONE_VM: both share one address space.",
            "machine": _machine(rng), "tasks": [*tasks, helper]}  # fmt: skip


TEMPLATES: dict[str, list[Template]] = {
    "easy": [_easy],
    "medium": [_medium_adj, _medium_immune],
    "hard": [_hard_memcg, _hard_swap, _hard_group, _hard_allocating, _hard_truncation,
             _hard_tie, _hard_k8s, _hard_shared_mm],
}  # fmt: skip


def top_margin(scenario: Scenario, result: OomResult) -> tuple[int, int] | None:
    """(best, runner-up) badness over distinct mms: processes sharing an mm die together."""
    mm = {t.pid: t.mm_key for t in scenario.system.tasks}
    best: dict[str, int] = {}
    for s in result.scores:
        if s.badness is not None:
            key = mm[s.pid]
            best[key] = max(best.get(key, s.badness), s.badness)
    points = sorted(best.values(), reverse=True)
    return (points[0], points[1]) if len(points) > 1 else None


def clear_winner(scenario: Scenario, result: OomResult) -> bool:
    margin = top_margin(scenario, result)
    if margin is None:
        return True
    top, runner = margin
    return top - runner >= max(top // 50, 100)


def _generate(rng: random.Random, tier: str, qid: str, bank: str) -> Question:
    for _ in range(200):
        template = rng.choice(TEMPLATES[tier])
        doc = template(rng)
        near_ok = doc.pop("_near_tie_ok", False)
        doc.setdefault("story", "")
        doc["id"] = qid.replace(":", "-").replace("_", "-").lower()
        doc["title"] = {"easy": "Who goes first?", "medium": "oom_score_adj at work",
                        "hard": "A harder OOM"}[tier]  # fmt: skip
        scenario = load_scenario(doc, qid)
        result = _run(scenario)
        if result.outcome is not Outcome.KILL:
            continue
        if not near_ok and not clear_winner(scenario, result):
            continue
        if tier == "medium" and rng.random() < 0.3:
            eligible = [s.pid for s in result.scores if s.badness is not None]
            q = oom_score_question(scenario, rng.choice(eligible), qid, bank, LEVELS[tier])
        else:
            q = victim_question(scenario, qid, bank, LEVELS[tier])
        return replace(q, data={**q.data, "near_tie_allowed": near_ok})
    raise RuntimeError(f"could not generate a {tier} question")  # pragma: no cover


def generated_questions(seed: int = 2024, per_tier: int = 10) -> list[Question]:
    """The fixed `oom-generated` bank: ids `oom:gen:<tier>:<n>`, identical for a given seed."""
    out = []
    for tier in TIERS:
        rng = random.Random(f"{seed}:{tier}")
        for i in range(per_tier):
            out.append(_generate(rng, tier, f"oom:gen:{tier}:{i}", GENERATED_BANK))
    return out


def practice_question(rng: random.Random, tier: str) -> Question:
    """A fresh question for unlimited practice; reproducible from the rng's state."""
    if tier not in TIERS:
        raise ValueError(f"tier must be one of {', '.join(TIERS)}")
    sub = rng.getrandbits(32)
    return _generate(random.Random(sub), tier, f"oom:practice:{tier}:{sub:08x}", "oom-practice")
