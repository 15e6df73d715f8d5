"""C integer arithmetic, as the kernel's `long` / `unsigned long` / `int` behave.

Python's `//` floors; C's `/` truncates toward zero. Every division in the
simulator goes through `cdiv` so a negative badness rounds the way the kernel
rounds it (spec TV7).
"""

from __future__ import annotations

LONG_MIN = -(2**63)
LONG_MAX = 2**63 - 1
ULONG_MAX = 2**64 - 1


def cdiv(a: int, b: int) -> int:
    """C99 integer division: the quotient truncated toward zero."""
    if b == 0:
        raise ZeroDivisionError("C division by zero")
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b > 0) else -q


def wrap_int32(value: int) -> int:
    """Keep the low 32 bits as a signed `int` (what gcc does on overflow)."""
    value &= 0xFFFFFFFF
    return value - 2**32 if value >= 2**31 else value


def as_ulong(value: int) -> int:
    """Convert a signed value to `unsigned long` (two's complement, 64 bits)."""
    return value & ULONG_MAX


def int_sqrt(x: int) -> int:
    """The kernel's `int_sqrt`: floor of the square root of a non-negative integer."""
    if x < 0:
        raise ValueError("int_sqrt of a negative number")
    if x < 2:
        return x
    r = int(x**0.5)
    while r * r > x:
        r -= 1
    while (r + 1) * (r + 1) <= x:
        r += 1
    return r


def shift_hz(hz: int) -> int:
    """`SHIFT_HZ` for a given `HZ` (include/linux/jiffies.h): log2(HZ) rounded."""
    bounds = [
        (12, 24, 4),
        (24, 48, 5),
        (48, 96, 6),
        (96, 192, 7),
        (192, 384, 8),
        (384, 768, 9),
        (768, 1536, 10),
        (1536, 3072, 11),
        (3072, 6144, 12),
        (6144, 12288, 13),
    ]
    for low, high, shift in bounds:
        if low <= hz < high:
            return shift
    raise ValueError(f"HZ {hz} is outside 12..12287")
