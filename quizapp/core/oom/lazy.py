"""A sequence whose items are built the first time they are read (long task tables)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar, overload

T = TypeVar("T")


class BuiltOnRead(Sequence[T]):
    """`length` items; item `i` is `build(i)`, made on first read and then kept."""

    def __init__(self, length: int, build: Callable[[int], T]) -> None:
        self._length = length
        self._build = build
        self._built: dict[int, T] = {}

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[T, ...]: ...
    def __getitem__(self, index: int | slice) -> T | tuple[T, ...]:
        if isinstance(index, slice):
            return tuple(self[i] for i in range(len(self))[index])
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        item = self._built.get(index)
        if item is None:
            item = self._built[index] = self._build(index)
        return item

    def __iter__(self) -> Iterator[T]:
        return (self[i] for i in range(len(self)))
