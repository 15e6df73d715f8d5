"""The spec's worked test vectors TV1-TV20 (docs/research/oom-spec.md §12), kernel by kernel."""

from __future__ import annotations

from typing import Any

import pytest

from quizapp.core.oom import (
    Outcome,
    QoSClass,
    container_oom_score_adj,
    load_scenario,
    oom_adj_read,
    oom_adj_write,
    run_scenario,
)
from quizapp.core.oom.result import OomResult

GLOBAL_MACHINE = {"ram": 4_063_232, "swap": 1_048_576}  # T = 5,111,808


def simulate(kernel: str = "6.8", **doc: Any) -> OomResult:
    doc.setdefault("id", "tv")
    doc.setdefault("story", "test vector")
    doc.setdefault("machine", GLOBAL_MACHINE)
    return run_scenario(load_scenario(doc), kernel)


def badness(result: OomResult) -> dict[str, int | None]:
    return {s.name: s.badness for s in result.scores}


def oom_scores(result: OomResult) -> dict[str, int]:
    return {s.name: s.oom_score for s in result.scores}


def victim_name(result: OomResult) -> str | None:
    return result.killed[0].name if result.killed else None


# -- TV1 ------------------------------------------------------------------------------

TV1_TASKS = [
    {"pid": 1, "name": "init", "rss": 2000, "flags": ["init"]},
    {"pid": 2, "name": "kthreadd", "flags": ["kthread"]},
    {"pid": 700, "name": "sshd", "rss": 1500, "oom_score_adj": -1000},
    {"pid": 800, "name": "postgres", "rss": 310_000, "pgtables_bytes": 2_490_368},
    {"pid": 900, "name": "java", "rss": 600_000, "swap": 100_000, "pgtables_bytes": 5_242_880},
    {"pid": 950, "name": "backup", "rss": 80_000, "pgtables_bytes": 409_600, "oom_score_adj": 500},
]


def test_tv1_adj_500_beats_a_larger_process() -> None:
    result = simulate(tasks=TV1_TASKS)
    assert result.totalpages == 5_111_808
    assert badness(result) == {
        "init": None,
        "kthreadd": None,
        "sshd": None,
        "postgres": 310_608,
        "java": 701_280,
        "backup": 2_635_600,
    }
    assert oom_scores(result) == {
        "init": 0,
        "kthreadd": 0,
        "sshd": 0,
        "postgres": 706,
        "java": 758,
        "backup": 1010,
    }
    assert result.outcome is Outcome.KILL
    assert result.killed_pids == (950,)
    assert result.message == "Out of memory"


def test_tv1_without_the_adj_java_dies() -> None:
    tasks = [dict(t) for t in TV1_TASKS]
    tasks[-1]["oom_score_adj"] = 0
    result = simulate(tasks=tasks)
    assert result.score_of(950).badness == 80_100
    assert victim_name(result) == "java"


# -- TV2 / TV5: page-table truncation and ties ----------------------------------------


@pytest.mark.parametrize(
    ("kernel", "victim"),
    [("6.8", "B"), ("5.3", "B"), ("5.2", "A"), ("4.19", "A"), ("3.14", "A"), ("3.10", "A")],
)
def test_tv2_pgtables_truncate_and_tie_rule_picks(kernel: str, victim: str) -> None:
    result = simulate(
        kernel,
        tasks=[
            {"pid": 10, "name": "A", "rss": 1000, "pgtables_bytes": 8191},
            {"pid": 11, "name": "B", "rss": 1001},
        ],
    )
    assert result.score_of(10).badness == result.score_of(11).badness == 1001
    assert victim_name(result) == victim
    assert "tie" in result.deciding_rule


@pytest.mark.parametrize(
    ("kernel", "victim", "oom_score"),
    [("6.8", "Y", 672), ("5.3", "Y", 9), ("4.19", "X", 9), ("3.10", "X", 9)],
)
def test_tv5_ties_follow_scan_order_by_era(kernel: str, victim: str, oom_score: int) -> None:
    result = simulate(
        kernel,
        tasks=[
            {"pid": 300, "name": "X", "rss": 50_000},
            {"pid": 200, "name": "Y", "rss": 49_900, "pgtables_bytes": 409_600},
        ],
    )
    assert badness(result) == {"X": 50_000, "Y": 50_000}
    assert victim_name(result) == victim
    assert oom_scores(result) == {"X": oom_score, "Y": oom_score}


# -- TV3 / TV4: totalpages/1000 truncates first ---------------------------------------


def test_tv3_totalpages_truncation_flips_the_winner() -> None:
    result = simulate(
        machine={"ram": 1_999_999},
        tasks=[
            {"pid": 10, "name": "A", "rss": 100_000},
            {"pid": 11, "name": "B", "rss": 60_010, "oom_score_adj": 20},
        ],
    )
    assert result.totalpages == 1_999_999
    assert badness(result) == {"A": 100_000, "B": 99_990}
    assert victim_name(result) == "A"


def test_tv4_tiny_memcg_ignores_adj() -> None:
    result = simulate(
        machine={"ram": "16GiB"},
        cgroups=[{"path": "/tiny", "memory_max": "3MiB"}],
        oom={"constraint": "memcg", "memcg": "/tiny"},
        tasks=[
            {"pid": 10, "name": "A", "rss": 500, "oom_score_adj": -999, "cgroup": "/tiny"},
            {"pid": 11, "name": "B", "rss": 200, "oom_score_adj": 1000, "cgroup": "/tiny"},
        ],
    )
    assert result.totalpages == 768
    assert badness(result) == {"A": 500, "B": 200}
    assert victim_name(result) == "A"
    assert result.message == "Memory cgroup out of memory"


# -- TV6: Kubernetes Guaranteed pod (Yafang's case) -----------------------------------

TV6 = {
    "cgroups": [{"path": "/kubepods/pod1", "memory_max": "1GiB", "swap_max": 0}],
    "oom": {"constraint": "memcg", "memcg": "/kubepods/pod1"},
    "tasks": [
        {
            "pid": 100,
            "name": "pause",
            "rss": 1,
            "pgtables_bytes": 32_768,
            "oom_score_adj": -998,
            "cgroup": "/kubepods/pod1",
        },
        {
            "pid": 101,
            "name": "app",
            "rss": 200_000,
            "pgtables_bytes": 1_048_576,
            "oom_score_adj": -998,
            "cgroup": "/kubepods/pod1",
        },
        {
            "pid": 102,
            "name": "sidecar",
            "rss": 3000,
            "pgtables_bytes": 98_304,
            "oom_score_adj": -998,
            "cgroup": "/kubepods/pod1",
        },
    ],
}


@pytest.mark.parametrize(
    ("kernel", "victim", "points", "scores"),
    [
        ("6.8", "app", {"pause": -261_467, "app": -61_220, "sidecar": -258_452}, (2, 28, 2)),
        ("5.9", "app", {"pause": -261_467, "app": -61_220, "sidecar": -258_452}, (2, 28, 2)),
        ("5.8", "sidecar", {"pause": 1, "app": 1, "sidecar": 1}, (0, 0, 0)),
        ("5.3", "sidecar", {"pause": 1, "app": 1, "sidecar": 1}, (0, 0, 0)),
        ("5.2", "pause", {"pause": 1, "app": 1, "sidecar": 1}, (0, 0, 0)),
        ("4.19", "pause", {"pause": 1, "app": 1, "sidecar": 1}, (0, 0, 0)),
    ],
)
def test_tv6_guaranteed_pod_victim_by_era(
    kernel: str, victim: str, points: dict[str, int], scores: tuple[int, int, int]
) -> None:
    result = simulate(kernel, **TV6)
    assert result.totalpages == 262_144
    assert badness(result) == points
    assert victim_name(result) == victim
    assert tuple(oom_scores(result).values()) == scores


# -- TV7 / TV8: the /proc oom_score formula --------------------------------------------


@pytest.mark.parametrize(
    ("rss", "adj", "expected"),
    [(7500, -10, 665), (0, 0, 666), (999, 0, 666), (1000, 0, 667), (1999, 0, 667), (2000, 0, 668)],
)
def test_tv7_oom_score_truncates_toward_zero(rss: int, adj: int, expected: int) -> None:
    result = simulate(
        machine={"ram": 1_000_000},
        tasks=[{"pid": 10, "name": "p", "rss": rss, "oom_score_adj": adj}],
    )
    assert result.score_of(10).oom_score == expected


def test_tv8_adj_1000_and_the_2000_ceiling() -> None:
    result = simulate(
        machine={"ram": 4_000_000},
        tasks=[
            {"pid": 10, "name": "huge", "rss": 3_500_000},
            {"pid": 11, "name": "tiny", "rss": 100, "oom_score_adj": 1000},
            {"pid": 12, "name": "all", "rss": 4_000_000, "oom_score_adj": 1000},
            {"pid": 13, "name": "idle", "rss": 0, "oom_score_adj": 1000},
        ],
    )
    assert oom_scores(result) == {"huge": 1250, "tiny": 1333, "all": 2000, "idle": 1333}
    assert badness(result)["tiny"] == 4_000_100


def test_tv8_tiny_adj_1000_process_beats_huge() -> None:
    result = simulate(
        machine={"ram": 4_000_000},
        tasks=[
            {"pid": 10, "name": "huge", "rss": 3_500_000},
            {"pid": 11, "name": "tiny", "rss": 100, "oom_score_adj": 1000},
        ],
    )
    assert victim_name(result) == "tiny"


# -- TV9 / TV10: memcg totalpages with swap --------------------------------------------


def tv9(swappiness: int) -> OomResult:
    return simulate(
        machine={"ram": 4_194_304, "swap": 262_144},
        sysctls={"swappiness": swappiness},
        cgroups=[{"path": "/pod", "memory_max": "2GiB", "swap_max": "max"}],
        oom={"constraint": "memcg", "memcg": "/pod"},
        tasks=[
            {"pid": 10, "name": "P1", "rss": 300_000, "cgroup": "/pod"},
            {"pid": 11, "name": "P2", "rss": 200_000, "oom_score_adj": 50, "cgroup": "/pod"},
        ],
    )


def test_tv9_memcg_with_swap_disagrees_with_proc() -> None:
    result = tv9(60)
    assert result.totalpages == 786_432
    assert badness(result) == {"P1": 300_000, "P2": 239_300}
    assert victim_name(result) == "P1"
    assert oom_scores(result) == {"P1": 711, "P2": 729}


def test_tv9_swappiness_zero_drops_swap_from_totalpages() -> None:
    result = tv9(0)
    assert result.totalpages == 524_288
    assert badness(result)["P2"] == 226_200
    assert victim_name(result) == "P1"


@pytest.mark.parametrize("kernel", ["6.8", "5.4"])
def test_tv10_cgroup_v1_memsw_limit(kernel: str) -> None:
    result = simulate(
        kernel,
        machine={"ram": "16GiB", "swap": 262_144},
        cgroup_version=1,
        cgroups=[{"path": "/job", "memory_max": "1GiB", "memsw_max": "1536MiB"}],
        oom={"constraint": "memcg", "memcg": "/job"},
        tasks=[{"pid": 10, "name": "job", "rss": 200_000, "cgroup": "/job"}],
    )
    assert result.totalpages == 393_216


# -- TV11: memory.oom.group -------------------------------------------------------------


def tv11(
    constraint: str = "global", memcg: str | None = None, w1: int = 400_000, o1: int = 350_000
) -> OomResult:
    oom: dict[str, Any] = {"constraint": constraint}
    if memcg:
        oom["memcg"] = memcg
    return simulate(
        cgroups=[
            {"path": "/workload", "memory_max": "4GiB", "oom_group": True},
            {"path": "/workload/web", "memory_max": "2GiB", "oom_group": False},
            {"path": "/workload/db", "oom_group": True},
            {"path": "/other"},
        ],
        oom=oom,
        tasks=[
            {"pid": 10, "name": "W1", "rss": w1, "cgroup": "/workload/web"},
            {
                "pid": 11,
                "name": "W2",
                "rss": 100_000,
                "oom_score_adj": -1000,
                "cgroup": "/workload/web",
            },
            {"pid": 12, "name": "D1", "rss": 300_000, "cgroup": "/workload/db"},
            {"pid": 13, "name": "O1", "rss": o1, "cgroup": "/other"},
        ],
    )


@pytest.mark.parametrize(
    ("constraint", "memcg", "w1", "killed"),
    [
        ("global", None, 400_000, ("W1", "D1")),
        ("memcg", "/workload/web", 400_000, ("W1",)),
        ("memcg", "/workload", 400_000, ("W1", "D1")),
        ("global", None, 200_000, ("D1", "W1")),
    ],
)
def test_tv11_oom_group_kill_sets(
    constraint: str, memcg: str | None, w1: int, killed: tuple[str, ...]
) -> None:
    result = tv11(constraint, memcg, w1, o1=350_000 if w1 > 300_000 else 250_000)
    assert tuple(k.name for k in result.killed) == killed


def test_tv11_global_badness_and_no_group_before_4_19() -> None:
    result = tv11()
    assert badness(result) == {"W1": 400_000, "W2": None, "D1": 300_000, "O1": 350_000}
    assert tv11(w1=400_000).killed_pids == (10, 12)
    old = run_scenario(
        load_scenario(
            {
                "id": "x",
                "story": "x",
                "machine": GLOBAL_MACHINE,
                "cgroups": [{"path": "/workload", "oom_group": True}],
                "tasks": [
                    {"pid": 10, "name": "W1", "rss": 10, "cgroup": "/workload"},
                    {"pid": 11, "name": "W2", "rss": 5, "cgroup": "/workload"},
                ],
            }
        ),
        "4.18",
    )
    assert old.killed_pids == (10,)


# -- TV12: sacrifice a child ------------------------------------------------------------

TV12_TASKS = [
    {"pid": 100, "name": "P", "rss": 500_000, "mm": "p"},
    {"pid": 101, "name": "C1", "rss": 10_000, "parent": 100},
    {"pid": 102, "name": "C2", "rss": 50_000, "parent": 100},
    {"pid": 103, "name": "C3", "rss": 500_000, "parent": 100, "mm": "p"},
    {"pid": 104, "name": "C4", "rss": 70_000, "parent": 100, "oom_score_adj": -1000},
]


def test_tv12_before_5_1_the_biggest_child_is_sacrificed() -> None:
    result = simulate("4.19", tasks=TV12_TASKS)
    assert result.selected == 100
    assert result.killed_pids == (102,)
    assert result.score_of(100).badness * 1000 // result.totalpages == 97


def test_tv12_since_5_1_the_parent_and_its_mm_sharers_die() -> None:
    result = simulate("6.8", tasks=TV12_TASKS)
    assert set(result.killed_pids) == {100, 103}


# -- TV13 / TV14: root bonus and per-mille scores ----------------------------------------


@pytest.mark.parametrize(
    ("kernel", "a", "b", "victim"),
    [
        ("6.8", 1_000_000, 990_000, "A"),
        ("4.17", 1_000_000, 990_000, "A"),
        ("4.16", 970_000, 990_000, "B"),
        ("3.14", 970_000, 990_000, "B"),
        ("3.13", 880_000, 990_000, "B"),
        ("3.5", 880_000, 990_000, "B"),
        ("3.4", 220, 247, "B"),
        ("2.6.36", 220, 247, "B"),
    ],
)
def test_tv13_root_bonus_across_eras(kernel: str, a: int, b: int, victim: str) -> None:
    result = simulate(
        kernel,
        machine={"ram": 4_000_000},
        tasks=[
            {"pid": 10, "name": "A", "rss": 1_000_000, "flags": ["cap_sys_admin"]},
            {"pid": 11, "name": "B", "rss": 990_000, "uid": 1000},
        ],
    )
    assert badness(result) == {"A": a, "B": b}
    assert victim_name(result) == victim


def test_tv13_small_root_task_clamps_to_one_on_3_10() -> None:
    result = simulate(
        "3.10",
        machine={"ram": 4_000_000},
        tasks=[{"pid": 10, "name": "small", "rss": 50_000, "flags": ["cap_sys_admin"]}],
    )
    assert result.score_of(10).badness == 1


@pytest.mark.parametrize(("kernel", "victim"), [("2.6.36", "A"), ("3.5", "B"), ("6.8", "B")])
def test_tv14_per_mille_coarseness(kernel: str, victim: str) -> None:
    result = simulate(
        kernel,
        machine={"ram": 4_000_000},
        tasks=[
            {"pid": 10, "name": "A", "rss": 10_000},
            {"pid": 11, "name": "B", "rss": 11_999},
        ],
    )
    assert victim_name(result) == victim
    if kernel == "2.6.36":
        assert oom_scores(result) == {"A": 2, "B": 2}


# -- TV15: pre-2.6.36 heuristic ----------------------------------------------------------


def test_tv15_pre_2_6_36_badness() -> None:
    result = simulate(
        "2.6.32",
        machine={"ram": 4_000_000, "hz": 1000},
        tasks=[
            {
                "pid": 10, "name": "P", "total_vm": 100_000, "rss": 50_000,
                "cpu_jiffies": 3_276_800, "run_seconds": 1_048_576, "nice": 5,
                "flags": ["cap_sys_admin"], "oom_adj": 2,
            },
            {"pid": 11, "name": "child", "total_vm": 20_000, "rss": 1_000, "parent": 10, "run_seconds": 1_048_576, "cpu_jiffies": 3_276_800},
            {"pid": 12, "name": "Q", "total_vm": 150_000, "rss": 10_000},
        ],
    )  # fmt: skip
    assert badness(result)["P"] == 2200
    assert badness(result)["Q"] == 150_000
    assert oom_scores(result)["P"] == 2200
    assert oom_scores(result)["Q"] == 150_000
    assert victim_name(result) == "Q"


def test_pre_2_6_36_kills_the_first_child_instead_of_the_parent() -> None:
    result = simulate(
        "2.6.32",
        tasks=[
            {"pid": 10, "name": "server", "total_vm": 900_000},
            {"pid": 11, "name": "worker1", "total_vm": 1_000, "parent": 10},
            {"pid": 12, "name": "worker2", "total_vm": 50_000, "parent": 10},
        ],
    )
    assert result.selected == 10
    assert result.killed_pids == (11,)


# -- TV16 / TV17: legacy oom_adj and kubelet ---------------------------------------------


@pytest.mark.parametrize(
    ("oom_adj", "score_adj"), [(-17, -1000), (15, 1000), (3, 176), (-5, -294), (8, 470)]
)
def test_tv16_oom_adj_writes(oom_adj: int, score_adj: int) -> None:
    assert oom_adj_write(oom_adj) == score_adj


@pytest.mark.parametrize(
    ("score_adj", "oom_adj"),
    [(176, 2), (-294, -4), (1000, 15), (999, 15), (-1000, -17), (500, 8), (-500, -8), (1, 0)],
)
def test_tv16_oom_adj_reads(score_adj: int, oom_adj: int) -> None:
    assert oom_adj_read(score_adj) == oom_adj


@pytest.mark.parametrize("bad", [-18, 16, 100])
def test_tv16_out_of_range_oom_adj_is_einval(bad: int) -> None:
    with pytest.raises(ValueError, match="EINVAL"):
        oom_adj_write(bad)


GIB = 1024**3
MIB = 1024**2


@pytest.mark.parametrize(
    ("qos", "mem_request", "sidecar_min", "expected"),
    [
        (QoSClass.GUARANTEED, 0, None, -997),
        (QoSClass.BESTEFFORT, 0, None, 1000),
        (QoSClass.BURSTABLE, GIB, None, 938),
        (QoSClass.BURSTABLE, 100 * MIB, None, 994),
        (QoSClass.BURSTABLE, 0, None, 999),
        (QoSClass.BURSTABLE, 16 * GIB, None, 3),
        (QoSClass.BURSTABLE, 32 * GIB, None, 3),
        (QoSClass.BURSTABLE, 64 * MIB, GIB, 938),
    ],
)
def test_tv17_kubelet_oom_score_adj(
    qos: QoSClass, mem_request: int, sidecar_min: int | None, expected: int
) -> None:
    adj = container_oom_score_adj(
        qos, mem_request, 16 * GIB, sidecar_min_regular_request=sidecar_min
    )
    assert adj == expected


def test_tv17_pods_in_a_scenario_get_kubelet_adj() -> None:
    result = simulate(
        machine={"ram": "16GiB"},
        tasks=[
            {"pid": 10, "name": "api", "rss": "1GiB", "pod": {"name": "web", "qos": "Burstable", "memory_request": "1Gi"}},
            {"pid": 11, "name": "proxy", "rss": "64MiB", "pod": {"name": "web", "qos": "Burstable", "memory_request": "64Mi", "sidecar": True}},
            {"pid": 12, "name": "batch", "rss": "100MiB", "pod": {"name": "b", "qos": "BestEffort"}},
        ],
    )  # fmt: skip
    assert [s.oom_score_adj for s in result.scores] == [938, 938, 1000]
    assert any("Kubernetes" in line for line in result.explanation)


# -- TV18 / TV19 / TV20: sysctls and pending victims --------------------------------------


def tv18(adj: int = 0, constraint: str = "global") -> OomResult:
    doc: dict[str, Any] = {
        "sysctls": {"oom_kill_allocating_task": 1},
        "oom": {"constraint": constraint, "allocating": 50},
        "tasks": [
            {"pid": 50, "name": "cp", "rss": 1000, "oom_score_adj": adj, "cgroup": "/box"},
            {"pid": 900, "name": "java", "rss": 600_000, "swap": 100_000, "pgtables_bytes": 5_242_880, "cgroup": "/box"},
        ],
    }  # fmt: skip
    if constraint == "memcg":
        doc["cgroups"] = [{"path": "/box", "memory_max": "4GiB"}]
        doc["oom"]["memcg"] = "/box"
    return simulate(**doc)


def test_tv18_oom_kill_allocating_task_kills_current() -> None:
    result = tv18()
    assert result.killed_pids == (50,)
    assert result.message == "Out of memory (oom_kill_allocating_task)"
    assert result.score_of(900).badness == 701_280


@pytest.mark.parametrize(("adj", "constraint"), [(-1000, "global"), (0, "memcg")])
def test_tv18_falls_back_to_normal_selection(adj: int, constraint: str) -> None:
    assert tv18(adj, constraint).killed_pids == (900,)


@pytest.mark.parametrize(
    ("panic_on_oom", "constraint", "sysrq", "panic"),
    [
        (1, "global", False, "Out of memory: system-wide panic_on_oom is enabled"),
        (1, "memcg", False, None),
        (1, "cpuset", False, None),
        (1, "mempolicy", False, None),
        (2, "global", False, "Out of memory: compulsory panic_on_oom is enabled"),
        (2, "memcg", False, "Out of memory: compulsory panic_on_oom is enabled"),
        (2, "cpuset", False, "Out of memory: compulsory panic_on_oom is enabled"),
        (1, "global", True, None),
        (2, "memcg", True, None),
        (0, "global", False, None),
    ],
)
def test_tv19_panic_on_oom_matrix(
    panic_on_oom: int, constraint: str, sysrq: bool, panic: str | None
) -> None:
    oom: dict[str, Any] = {"constraint": constraint, "sysrq": sysrq}
    if constraint == "memcg":
        oom["memcg"] = "/box"
    if constraint in ("cpuset", "mempolicy"):
        oom["allowed_memory"] = "8GiB"
    result = simulate(
        sysctls={"panic_on_oom": panic_on_oom},
        cgroups=[{"path": "/box", "memory_max": "1GiB"}],
        oom=oom,
        tasks=[{"pid": 10, "name": "app", "rss": 1000, "cgroup": "/box"}],
    )
    if panic:
        assert result.outcome is Outcome.PANIC
        assert result.panic_reason == panic
        assert result.killed == ()
    else:
        assert result.outcome is Outcome.KILL
        assert result.killed_pids == (10,)


TV20_TASKS = [
    {"pid": 10, "name": "big", "rss": 500_000},
    {"pid": 11, "name": "V", "rss": 900_000, "flags": ["oom_victim"]},
    {"pid": 12, "name": "small", "rss": 100_000},
]


def test_tv20_pending_victim_aborts() -> None:
    result = simulate(tasks=TV20_TASKS)
    assert result.outcome is Outcome.ABORT
    assert result.killed == ()


def test_tv20_reaped_victim_is_skipped() -> None:
    tasks = [dict(t) for t in TV20_TASKS]
    tasks[1]["flags"] = ["oom_victim", "mm_reaped"]
    result = simulate(tasks=tasks)
    assert result.killed_pids == (10,)
    assert result.score_of(11).badness is None


def test_tv20_sysrq_ignores_victim_status() -> None:
    result = simulate(oom={"sysrq": True}, tasks=TV20_TASKS)
    assert result.killed_pids == (11,)
    tasks = [dict(t) for t in TV20_TASKS]
    tasks[1]["flags"] = ["oom_victim", "mm_reaped"]
    assert simulate(oom={"sysrq": True}, tasks=tasks).killed_pids == (10,)


def test_no_killable_process_on_a_global_oom_panics() -> None:
    result = simulate(tasks=[{"pid": 10, "name": "db", "rss": 1000, "oom_score_adj": -1000}])
    assert result.outcome is Outcome.NO_KILLABLE
    assert result.panic_reason == "System is deadlocked on memory"


def test_no_killable_process_in_a_memcg_just_fails_the_charge() -> None:
    result = simulate(
        cgroups=[{"path": "/box", "memory_max": "1GiB"}],
        oom={"constraint": "memcg", "memcg": "/box"},
        tasks=[{"pid": 10, "name": "db", "rss": 1000, "oom_score_adj": -1000, "cgroup": "/box"}],
    )
    assert result.outcome is Outcome.NO_KILLABLE
    assert result.panic_reason is None
