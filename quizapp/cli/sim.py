"""`quizapp sim ...`: the OOM-killer simulator from the command line."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from quizapp.core.errors import QuizappError
from quizapp.core.oom import run_scenario
from quizapp.core.oom.questions import score_table
from quizapp.core.oom.report import ExplainOptions, explain_report
from quizapp.core.oom.units import SizeError, parse_bytes
from quizapp.services import oom_snapshot
from quizapp.services.oom_scenarios import load_scenario_file


def _fail(exc: Exception) -> click.ClickException:
    return click.ClickException(str(exc))


def _dump(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


@click.group(help="Simulate the Linux OOM killer: scenarios, kernel reports, this machine.")
def sim() -> None:
    pass


@sim.command(help="Simulate the scenario in FILE (YAML or JSON).")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--kernel", help="Kernel version whose rules to use (default: the scenario's).")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def run(file: Path, kernel: str | None, as_json: bool) -> None:
    try:
        scenario = load_scenario_file(file)
        result = run_scenario(scenario, kernel)
    except (QuizappError, ValueError) as exc:
        raise _fail(exc) from exc
    if as_json:
        _dump({"scenario": scenario.id, **result.to_dict()})
        return
    click.echo(f"{scenario.title} [{scenario.id}]")
    click.echo(result.explanation_text())
    click.echo("")
    click.echo(score_table(result))


def _size_option(value: str | None, name: str) -> int | None:
    if value is None:
        return None
    try:
        return parse_bytes(value if not value.isdigit() else f"{value}B") // 4096
    except SizeError as exc:
        raise click.BadParameter(str(exc), param_hint=name) from exc


@sim.command(
    help="Explain a kernel OOM report pasted from dmesg or journalctl (FILE or - for stdin)."
)
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--kernel", help="Kernel version, if the report does not show it.")
@click.option("--ram", help="The machine's MemTotal (e.g. 16GiB), if the report has no Mem-Info.")
@click.option("--swap", help="The machine's SwapTotal (e.g. 4GiB); a memcg report never shows it.")
@click.option("--swappiness", type=click.IntRange(0, 200), default=60, show_default=True)
@click.option("--oom-kill-allocating-task", is_flag=True, help="vm.oom_kill_allocating_task was 1.")
@click.option("--json", "as_json", is_flag=True, help="Print the explanation as JSON.")
def explain(
    file: str,
    kernel: str | None,
    ram: str | None,
    swap: str | None,
    swappiness: int,
    oom_kill_allocating_task: bool,
    as_json: bool,
) -> None:
    try:
        text = sys.stdin.read() if file == "-" else Path(file).read_text(errors="replace")
    except OSError as exc:
        raise click.ClickException(f"cannot read {file}: {exc.strerror}") from exc
    options = ExplainOptions(
        kernel=kernel,
        ram=_size_option(ram, "--ram"),
        swap=_size_option(swap, "--swap"),
        swappiness=swappiness,
        oom_kill_allocating_task=oom_kill_allocating_task,
    )
    try:
        explained = explain_report(text, options)
    except (QuizappError, ValueError) as exc:
        raise _fail(exc) from exc
    if as_json:
        _dump(explained.to_dict())
    else:
        click.echo(explained.text())


@sim.command(help="Rank this machine's processes as the OOM killer would now.")
@click.option(
    "--cgroup", help="Rank for an OOM of this memory cgroup (e.g. /system.slice/x.service)."
)
@click.option("--json", "as_json", is_flag=True, help="Print the ranking as JSON.")
@click.option("--limit", type=int, default=20, show_default=True, help="Rows to print (text only).")
def snapshot(cgroup: str | None, as_json: bool, limit: int) -> None:
    try:
        snap = oom_snapshot.snapshot(cgroup)
    except (QuizappError, ValueError, OSError) as exc:
        raise _fail(exc) from exc
    if as_json:
        _dump(snap.to_dict())
        return
    result = snap.result
    scope = f"memcg {result.oom_domain}" if result.oom_domain else "global"
    click.echo(f"Kernel {snap.kernel}, {scope} OOM, totalpages {result.totalpages:,}.")
    click.echo(f"{'pid':>8} {'badness':>12} {'oom_score':>9} {'kernel':>6}  name")
    for row in snap.rows[:limit]:
        badness = f"{row.badness:,}" if row.badness is not None else "-"
        shown = "" if row.kernel_oom_score is None else str(row.kernel_oom_score)
        flag = "" if row.matches is not False else "  (differs)"
        click.echo(
            f"{row.pid:>8} {badness:>12} {row.predicted_oom_score:>9} {shown:>6}  {row.name}{flag}"
        )
    if result.victim is not None:
        victim = result.score_of(result.victim)
        click.echo(f"Victim now: {victim.name} (pid {victim.pid}): {result.deciding_rule}.")
