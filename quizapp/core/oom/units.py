"""Sizes in scenario files: a plain number of pages (or bytes) or a number with a unit."""

from __future__ import annotations

import re
from fractions import Fraction

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([A-Za-z]*)\s*$")

_BINARY = {
    "b": 1,
    "k": 1024,
    "kb": 1024,  # as /proc/meminfo and dmesg print it
    "kib": 1024,
    "ki": 1024,
    "m": 1024**2,
    "mib": 1024**2,
    "mi": 1024**2,
    "g": 1024**3,
    "gib": 1024**3,
    "gi": 1024**3,
    "t": 1024**4,
    "tib": 1024**4,
    "ti": 1024**4,
}
_AMBIGUOUS = {"mb", "gb", "tb"}


class SizeError(ValueError):
    pass


def parse_bytes(value: object) -> int:
    """Bytes from 4096, "512MiB", "1.5GiB", "64Mi", "100kB" (binary units)."""
    if isinstance(value, bool):
        raise SizeError(f"{value!r} is not a size")
    if isinstance(value, int):
        if value < 0:
            raise SizeError(f"{value} is negative")
        return value
    if not isinstance(value, str):
        raise SizeError(f"{value!r} is not a size such as 4096 or 512MiB")
    match = _SIZE.match(value)
    if not match:
        raise SizeError(f"{value!r} is not a size such as 4096 or 512MiB")
    number, unit = match.groups()
    key = unit.lower()
    if key in ("", "byte", "bytes"):
        key = "b"
    if key in _AMBIGUOUS and unit != "kB":
        raise SizeError(
            f"{value!r}: write {unit[0].upper()}iB (binary units; 1 {unit[0].upper()}iB = 1024^n bytes)"
        )
    if key not in _BINARY:
        raise SizeError(f"{value!r}: unknown unit {unit!r} (use B, KiB, MiB, GiB, TiB or pages)")
    amount = Fraction(number) * _BINARY[key]
    if amount.denominator != 1:
        raise SizeError(f"{value!r} is not a whole number of bytes")
    return int(amount)


def parse_pages(value: object, page_size: int = 4096) -> int:
    """Pages from 1000, "1000 pages", "512MiB" (must be a whole number of pages)."""
    if isinstance(value, int) and not isinstance(value, bool):
        if value < 0:
            raise SizeError(f"{value} is negative")
        return value
    if isinstance(value, str):
        match = _SIZE.match(value)
        if match and match.group(2).lower() in ("pages", "page", "p"):
            if "." in match.group(1):
                raise SizeError(f"{value!r} is not a whole number of pages")
            return int(match.group(1))
        if match and match.group(2) == "":
            if "." in match.group(1):
                raise SizeError(f"{value!r} is not a whole number of pages")
            return int(match.group(1))
    size = parse_bytes(value)
    if size % page_size:
        raise SizeError(f"{value!r} is not a whole number of {page_size}-byte pages")
    return size // page_size


def format_bytes(size: int) -> str:
    """The largest binary unit that divides `size` exactly: 536870912 -> "512MiB"."""
    for unit, factor in (("TiB", 1024**4), ("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if size and size % factor == 0:
            return f"{size // factor}{unit}"
    return f"{size}B"
