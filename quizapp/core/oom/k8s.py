"""Kubelet's oom_score_adj policy (pkg/kubelet/qos/policy.go; spec §9)."""

from __future__ import annotations

import enum

from .arith import cdiv

KUBELET_OOM_SCORE_ADJ = -999
KUBE_PROXY_OOM_SCORE_ADJ = -999
GUARANTEED_OOM_SCORE_ADJ = -997
BESTEFFORT_OOM_SCORE_ADJ = 1000


class QoSClass(enum.StrEnum):
    GUARANTEED = "Guaranteed"
    BURSTABLE = "Burstable"
    BESTEFFORT = "BestEffort"

    @classmethod
    def parse(cls, text: str) -> QoSClass:
        for member in cls:
            if member.value.lower() == str(text).replace("-", "").replace("_", "").lower():
                return member
        raise ValueError(f"{text!r} is not a QoS class (Guaranteed, Burstable, BestEffort)")


def _burstable(memory_request: int, memory_capacity: int) -> int:
    return 1000 - cdiv(1000 * memory_request, memory_capacity)


def container_oom_score_adj(
    qos: QoSClass,
    memory_request: int,
    memory_capacity: int,
    *,
    node_critical: bool = False,
    sidecar_min_regular_request: int | None = None,
) -> int:
    """`GetContainerOOMScoreAdjust`: requests and capacity in bytes.

    `sidecar_min_regular_request` is the smallest memory request among the pod's
    regular containers, given when the container is a restartable init
    container (a sidecar), whose adj may not exceed theirs.
    """
    if memory_capacity <= 0:
        raise ValueError("memory capacity must be positive")
    if node_critical or qos is QoSClass.GUARANTEED:
        return GUARANTEED_OOM_SCORE_ADJ
    if qos is QoSClass.BESTEFFORT:
        return BESTEFFORT_OOM_SCORE_ADJ
    adj = _burstable(memory_request, memory_capacity)
    if sidecar_min_regular_request is not None:
        adj = min(adj, _burstable(sidecar_min_regular_request, memory_capacity))
    if adj < 1000 + GUARANTEED_OOM_SCORE_ADJ:
        return 1000 + GUARANTEED_OOM_SCORE_ADJ
    if adj == BESTEFFORT_OOM_SCORE_ADJ:
        return adj - 1
    return adj


def explain_adj(qos: QoSClass, memory_request: int, memory_capacity: int, adj: int) -> str:
    if qos is QoSClass.GUARANTEED:
        return "Guaranteed pod: kubelet sets -997"
    if qos is QoSClass.BESTEFFORT:
        return "BestEffort pod: kubelet sets 1000"
    raw = _burstable(memory_request, memory_capacity)
    return (
        f"Burstable: 1000 - 1000 x {memory_request:,} / {memory_capacity:,} = {raw}, "
        f"kept within 3..999 -> {adj}"
    )
