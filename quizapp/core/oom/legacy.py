"""The legacy /proc/<pid>/oom_adj knob (-17..15) and its mapping to oom_score_adj (spec §2.3)."""

from __future__ import annotations

from .arith import cdiv

OOM_DISABLE = -17
OOM_ADJUST_MIN = -16
OOM_ADJUST_MAX = 15
OOM_SCORE_ADJ_MIN = -1000
OOM_SCORE_ADJ_MAX = 1000


def oom_adj_write(oom_adj: int) -> int:
    """The oom_score_adj the kernel stores when `oom_adj` is written."""
    if oom_adj != OOM_DISABLE and not OOM_ADJUST_MIN <= oom_adj <= OOM_ADJUST_MAX:
        raise ValueError(f"oom_adj {oom_adj} is outside -17..15 (EINVAL)")
    if oom_adj == OOM_ADJUST_MAX:
        return OOM_SCORE_ADJ_MAX
    return cdiv(oom_adj * OOM_SCORE_ADJ_MAX, -OOM_DISABLE)


def oom_adj_read(oom_score_adj: int) -> int:
    """What reading /proc/<pid>/oom_adj shows for a given oom_score_adj."""
    if not OOM_SCORE_ADJ_MIN <= oom_score_adj <= OOM_SCORE_ADJ_MAX:
        raise ValueError(f"oom_score_adj {oom_score_adj} is outside -1000..1000")
    if oom_score_adj == OOM_SCORE_ADJ_MAX:
        return OOM_ADJUST_MAX
    return min(cdiv(oom_score_adj * -OOM_DISABLE, OOM_SCORE_ADJ_MAX), OOM_ADJUST_MAX)
