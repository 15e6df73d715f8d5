"""The report explainer on real and realistic kernel logs of several versions and formats."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quizapp.core.oom.report import (
    ExplainOptions,
    explain_report,
    parse_report,
    strip_prefix,
    strip_verdict,
)

REPORTS = Path(__file__).parent / "reports"


def read(name: str) -> str:
    return (REPORTS / name).read_text()


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("[  775.628910] python3 invoked oom-killer: x", "python3 invoked oom-killer: x"),
        ("[Thu Nov 26 15:50:01 2026] node invoked", "node invoked"),
        ("Nov 26 10:00:01 db01 kernel: mysqld invoked", "mysqld invoked"),
        ("2025-11-26T10:00:01.123456+00:00 db01 kernel: [ 12.5] a", "a"),
        ("<4>[  88.123456] cp invoked", "cp invoked"),
        ("6,1234,775628910,-;python3 invoked", "python3 invoked"),
        ("[  775.629538] [  16352]     0 16352 python3", "[  16352]     0 16352 python3"),
    ],
)
def test_prefixes_are_stripped(raw: str, clean: str) -> None:
    assert strip_prefix(raw) == clean


def test_real_6_18_memcg_v1_report_agrees() -> None:
    (event,) = explain_report(read("6.18-memcg-v1-short.txt")).events
    assert event.kernel.startswith("6.18")
    assert event.result is not None
    assert event.result.constraint == "CONSTRAINT_MEMCG"
    assert event.result.totalpages == 8192
    assert event.victim == {"pid": 16352, "name": "python3", "badness": 9785}
    assert event.agrees is True


def test_4_19_global_report_with_a_sacrificed_child() -> None:
    (event,) = explain_report(read("4.19-global-sacrifice.txt")).events
    assert event.kernel.startswith("4.19")
    assert event.result is not None and event.result.totalpages == 1_048_446 - 24_583
    assert event.victim is not None and event.victim["pid"] == 2345
    assert event.kernel_victim is not None
    assert event.kernel_victim["pid"] == 2345
    assert event.kernel_victim["sacrificed_child"] == {"pid": 2401, "name": "java-helper"}
    assert event.agrees is True
    node = next(t for t in event.to_dict()["tasks"] if t["name"] == "node")
    assert node["badness"] == 150_000 + 100 + 200 * 1023


def test_3_10_journalctl_report_uses_the_root_bonus() -> None:
    (event,) = explain_report(read("3.10-journalctl.txt")).events
    assert event.kernel.startswith("3.10")
    assert event.result is not None and event.result.totalpages == 4_620_461
    scores = {t["name"]: t["badness"] for t in event.to_dict()["tasks"]}
    assert scores["mysqld"] == 1_523_100
    assert scores["backup-agent"] == 1_593_000 - 30 * 4620
    assert scores["systemd-udevd"] is None
    assert event.agrees is True
    assert any("CAP_SYS_ADMIN" in a for a in event.assumptions)


def test_several_events_suppressed_dump_and_oom_group_in_one_dmesg_T_paste() -> None:
    events = explain_report(read("6.8-dmesg-T-multi.txt")).events
    assert len(events) == 3
    first, suppressed, group = events
    assert first.victim is not None and first.victim["pid"] == 22609
    assert first.result is not None and first.result.totalpages == 262_144
    assert first.agrees is True
    assert [t["name"] for t in first.to_dict()["tasks"]] == ["pause", "node", "worker thread"]
    assert suppressed.victim is None and suppressed.agrees is None
    assert suppressed.kernel_victim is not None and suppressed.kernel_victim["pid"] == 22700
    assert "not printed" in suppressed.reason
    assert group.victim is not None and group.victim["pid"] == 3001
    assert group.agrees is True
    assert group.event.group == "/batch/job"
    assert [k.pid for k in group.event.killed] == [3001, 3000, 3002]
    assert any("swap" in a for a in group.assumptions)


def test_allocating_task_kill_is_explained_and_fixed_by_the_option() -> None:
    (event,) = explain_report(read("5.10-allocating-task.txt")).events
    assert event.victim is not None and event.victim["pid"] == 900
    assert event.agrees is False
    assert "oom_kill_allocating_task" in event.reason
    (again,) = explain_report(
        read("5.10-allocating-task.txt"), ExplainOptions(oom_kill_allocating_task=True)
    ).events
    assert again.agrees is True


@pytest.mark.parametrize(
    "name",
    [
        "6.18-memcg-v1-short.txt",
        "4.19-global-sacrifice.txt",
        "3.10-journalctl.txt",
        "6.8-dmesg-T-multi.txt",
    ],
)
def test_prediction_from_the_table_alone_matches_the_hidden_verdict(name: str) -> None:
    text = read(name)
    kernel = [e.kernel_victim for e in explain_report(text).events if e.event.tasks]
    hidden = "\n".join(strip_verdict(text.splitlines()))
    predicted = [e.victim for e in explain_report(hidden).events if e.event.tasks]
    assert [k["pid"] for k in kernel if k] == [p["pid"] for p in predicted if p]


def test_json_shape() -> None:
    data = json.loads(json.dumps(explain_report(read("6.8-dmesg-T-multi.txt")).to_dict()))
    assert set(data) == {"events"}
    for event in data["events"]:
        assert {"victim", "kernel_victim", "agrees", "constraint", "totalpages", "tasks"} <= set(
            event
        )
    assert data["events"][0]["victim"]["pid"] == 22609
    assert data["events"][0]["kernel_victim"]["name"] == "node"


def test_kernel_version_can_be_given_when_the_report_lacks_it() -> None:
    text = "\n".join(
        line for line in read("4.19-global-sacrifice.txt").splitlines() if "CPU:" not in line
    )
    (event,) = explain_report(text).events
    assert event.kernel == "4.19"  # guessed: "Tasks state" header + "or sacrifice child"
    (given,) = explain_report(text, ExplainOptions(kernel="4.19")).events
    assert given.kernel == "4.19"


def test_text_without_oom_events() -> None:
    assert parse_report("hello\nworld\n") == []
    assert explain_report("nothing here").text() == "No OOM events found."


@pytest.mark.parametrize(
    ("header", "row", "pgtables", "adj"),
    [
        ("[ pid ]   uid  tgid total_vm      rss cpu oom_adj name",
         "[ 1234]     0  1234    50000    20000   1       3 httpd", 0, 176),
        ("[ pid ]   uid  tgid total_vm      rss cpu oom_adj oom_score_adj name",
         "[ 1234]     0  1234    50000    20000   1       0           100 httpd", 0, 100),
        ("[ pid ]   uid  tgid total_vm      rss nr_ptes nr_pmds swapents oom_score_adj name",
         "[ 1234]  1000  1234    50000    20000      40       3      500          -50 httpd", 43 * 4096, -50),
        ("[ pid ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name",
         "[ 1234]  1000  1234    50000    20000   176128      500           -50 my httpd", 176128, -50),
    ],
)  # fmt: skip
def test_task_tables_of_older_kernels(header: str, row: str, pgtables: int, adj: int) -> None:
    text = (
        f"httpd invoked oom-killer: gfp_mask=0x201da, order=0, oom_score_adj=0\n{header}\n{row}\n"
    )
    (event,) = explain_report(text).events
    assert event.result is not None
    (score,) = event.result.scores
    assert score.pid == 1234 and score.rss == 20000
    assert score.pgtables_bytes == pgtables
    assert score.oom_score_adj == adj
    assert event.victim is not None and event.victim["pid"] == 1234
