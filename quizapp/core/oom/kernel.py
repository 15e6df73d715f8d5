"""Kernel versions and the OOM-killer rules each one follows (spec §3, §4.2, §7.4).

`KernelRules.for_version("4.19")` answers every "which rule applies?" question
the simulator asks, so the engine never compares version numbers itself.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

_VERSION = re.compile(r"^\s*v?(\d+)\.(\d+)(?:\.(\d+))?")

DEFAULT_KERNEL = "6.8"


class Era(enum.StrEnum):
    """The scoring formula in force (spec §3 summary table)."""

    HEURISTIC = "pre-2.6.36"  # badness(): total_vm, cpu/run time, nice, capabilities, oom_adj shift
    PERMILLE = "2.6.36-3.4"  # per-mille of totalpages, clamped to [1, 1000]
    PAGES_ADJ_BONUS = "3.5-3.13"  # pages; CAP_SYS_ADMIN: adj -= 30
    PAGES_PCT_BONUS = "3.14-4.16"  # pages; CAP_SYS_ADMIN: points -= points*3/100
    PAGES_CLAMPED = "4.17-5.8"  # pages; no root bonus; clamped to >= 1
    PAGES_SIGNED = ">=5.9"  # pages, signed, no clamp; ineligible = LONG_MIN


class TieRule(enum.StrEnum):
    FIRST_SCANNED = "first"  # strict '>' (<= 3.13) or "prefer the leader" (3.14-5.2)
    LAST_SCANNED = "last"  # '<' skips, equal replaces (>= 5.3)


class ChildSacrifice(enum.StrEnum):
    NONE = "none"  # >= 5.1: the selected process itself dies
    FIRST_CHILD = "first-child"  # <= 2.6.35: first child with its own mm
    BEST_CHILD = "best-child"  # 2.6.36-5.0: child with the highest badness


@dataclass(frozen=True, order=True)
class KernelVersion:
    major: int
    minor: int
    patch: int = 0

    @classmethod
    def parse(cls, text: str) -> KernelVersion:
        """Read "6.8", "v4.19", "5.15.0-91-generic", "2.6.32-754.el6" and the like."""
        match = _VERSION.match(str(text))
        if not match:
            raise ValueError(f"{text!r} is not a kernel version such as 6.8 or 4.19.0")
        major, minor, patch = match.groups()
        version = cls(int(major), int(minor), int(patch or 0))
        if version < cls(2, 6, 0):
            raise ValueError(f"{text!r}: kernels before 2.6 are not modelled")
        return version

    def __str__(self) -> str:
        if self.major == 2:
            return f"{self.major}.{self.minor}.{self.patch}"
        return f"{self.major}.{self.minor}" + (f".{self.patch}" if self.patch else "")


def _v(major: int, minor: int, patch: int = 0) -> KernelVersion:
    return KernelVersion(major, minor, patch)


@dataclass(frozen=True)
class KernelRules:
    version: KernelVersion
    era: Era
    tie_rule: TieRule
    child_sacrifice: ChildSacrifice
    pgtables_counted: bool  # page-table pages in the score (>= 2.6.39)
    int_points_overflow: bool  # 2.6.39-3.1: `int points` * 1000 overflows (CVE-2011-4097)
    memcg_max_split: bool  # >= 5.10: mem_cgroup_get_max() treats v1 memsw and v2 swap apart
    oom_group: bool  # >= 4.19: memory.oom.group
    skip_unkillable_sharers: bool  # <= 3.x: mm sharers with adj -1000 are spared
    heuristic_uid0_bonus: bool  # <= 2.6.28: uid 0 also gets the /4 (else CAP_SYS_RESOURCE)
    heuristic_disable_check: bool  # 2.6.30-2.6.35: badness() returns 0 for oom_adj -17

    @classmethod
    def for_version(cls, version: KernelVersion | str) -> KernelRules:
        v = version if isinstance(version, KernelVersion) else KernelVersion.parse(version)
        if v < _v(2, 6, 36):
            era = Era.HEURISTIC
        elif v < _v(3, 5):
            era = Era.PERMILLE
        elif v < _v(3, 14):
            era = Era.PAGES_ADJ_BONUS
        elif v < _v(4, 17):
            era = Era.PAGES_PCT_BONUS
        elif v < _v(5, 9):
            era = Era.PAGES_CLAMPED
        else:
            era = Era.PAGES_SIGNED
        if v < _v(2, 6, 36):
            sacrifice = ChildSacrifice.FIRST_CHILD
        elif v < _v(5, 1):
            sacrifice = ChildSacrifice.BEST_CHILD
        else:
            sacrifice = ChildSacrifice.NONE
        return cls(
            version=v,
            era=era,
            tie_rule=TieRule.LAST_SCANNED if v >= _v(5, 3) else TieRule.FIRST_SCANNED,
            child_sacrifice=sacrifice,
            pgtables_counted=v >= _v(2, 6, 39),
            int_points_overflow=_v(2, 6, 39) <= v < _v(3, 2),
            memcg_max_split=v >= _v(5, 10),
            oom_group=v >= _v(4, 19),
            skip_unkillable_sharers=v < _v(4, 0),
            heuristic_uid0_bonus=v < _v(2, 6, 29),
            heuristic_disable_check=v >= _v(2, 6, 30),
        )

    @property
    def scores_in_pages(self) -> bool:
        return self.era not in (Era.HEURISTIC, Era.PERMILLE)

    def tie_rule_text(self) -> str:
        if self.tie_rule is TieRule.LAST_SCANNED:
            return (
                f"on {self.version} (>= 5.3) an equal score replaces the current choice, "
                "so the process scanned last wins a tie"
            )
        if self.version >= _v(3, 14):
            return (
                f"on {self.version} (3.14-5.2) an equal score does not replace a chosen "
                "thread-group leader, so the process scanned first wins a tie"
            )
        return (
            f"on {self.version} (<= 3.13) only a strictly higher score replaces the choice, "
            "so the process scanned first wins a tie"
        )
