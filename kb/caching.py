"""Memoisation within one memory budget for the whole process (KB_CACHE_MB), least recently used out first.

Answers read the same passages and questions again and again, so what they work out is remembered; under
a stream of varied questions a cache bounded only by its number of entries grows with the length of
what it holds. Here every memoised function shares one budget counted in (approximate) bytes.
"""

from __future__ import annotations

import functools
import sys
from collections import OrderedDict
from collections.abc import Callable, Collection, Hashable
from dataclasses import fields, is_dataclass
from re import Pattern
from threading import Lock
from typing import ParamSpec, TypeVar, cast

from kb.settings import get_settings

P = ParamSpec("P")
R = TypeVar("R")
ENTRY_OVERHEAD = 200  # bytes of bookkeeping per entry: the key tuple and the ordered dict's node


_ATOMS = (str, bytes, int, float, bool, type(None))
_CONTAINERS = (tuple, list, set, frozenset)
_STR_OVERHEAD = sys.getsizeof("")


def approximate_size(value: object, depth: int = 0) -> int:
    """Bytes a value holds, roughly: strings and containers in full, dataclasses by their fields.

    Every memoised result is measured when it is stored, so the common kinds are told apart by their exact type
    first (an `isinstance` chain and `dataclasses.fields` on each one cost more than the lookups they save)."""
    kind = type(value)
    if kind in _ATOMS:
        return sys.getsizeof(value)
    if kind in _CONTAINERS:
        if depth > 4:
            return 64
        items = cast(Collection[object], value)
        kinds = set(map(type, items))
        if kinds == {str}:  # words, lines: an ASCII string is 49 bytes and its characters (`len` is 5x `getsizeof`)
            return sys.getsizeof(items) + _STR_OVERHEAD * len(items) + sum(map(len, cast(Collection[str], items)))
        if kinds.issubset(_ATOMS):
            return sys.getsizeof(items) + sum(map(sys.getsizeof, items))
        return sys.getsizeof(items) + sum(approximate_size(item, depth + 1) for item in items)
    names = _field_names(cast(Hashable, kind))
    if names:
        if depth > 4:
            return 64
        total = 64
        for name in names:  # a loop, not a call per field: answers store passages' units by the dozen
            field_value = getattr(value, name)
            if type(field_value) is str:
                total += _STR_OVERHEAD + len(field_value)
            elif type(field_value) in _ATOMS:
                total += sys.getsizeof(field_value)
            else:
                total += approximate_size(field_value, depth + 1)
        return total
    return _other_size(value, depth)


@functools.cache
def _field_names(kind: Hashable) -> tuple[str, ...]:
    return tuple(f.name for f in fields(kind)) if isinstance(kind, type) and is_dataclass(kind) else ()


def _other_size(value: object, depth: int) -> int:
    if isinstance(value, _ATOMS):  # a subclass: an enum member, a str subclass
        return sys.getsizeof(value)
    if isinstance(value, Pattern):
        return 1024 + 8 * len(value.pattern)  # a compiled pattern holds several times its source
    nbytes = getattr(value, "nbytes", None)
    if isinstance(nbytes, int):  # a numpy array
        return nbytes + 128
    if depth > 4:
        return 64
    if isinstance(value, _CONTAINERS):
        return sys.getsizeof(value) + sum(approximate_size(item, depth + 1) for item in value)
    if isinstance(value, dict):
        pairs = value.items()
        return sys.getsizeof(value) + sum(approximate_size(k, depth + 1) + approximate_size(v, depth + 1) for k, v in pairs)
    return sys.getsizeof(value)


class ByteBudgetCache:
    """A least-recently-used mapping that drops its oldest entries once their sizes pass `budget()` bytes."""

    def __init__(self, budget: Callable[[], int]) -> None:
        self._budget = budget
        self._entries: OrderedDict[Hashable, tuple[object, int]] = OrderedDict()
        self._lock = Lock()
        self.bytes = 0

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: Hashable, default: object = None) -> object:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return default
            self._entries.move_to_end(key)
            return entry[0]

    def put(self, key: Hashable, value: object, size: int) -> None:
        budget = self._budget()
        if size > budget // 8:
            return  # one entry must not push out everything else
        with self._lock:
            old = self._entries.pop(key, None)
            self.bytes += size - (old[1] if old else 0)
            self._entries[key] = (value, size)
            while self.bytes > budget and self._entries:
                _, (_, dropped) = self._entries.popitem(last=False)
                self.bytes -= dropped

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.bytes = 0


def _budget_bytes() -> int:
    return int(get_settings().cache_mb * 1024 * 1024)


SHARED = ByteBudgetCache(_budget_bytes)
_MISSING = object()


def memoised(function: Callable[P, R]) -> Callable[P, R]:
    """`function` with its results remembered in the process's shared, byte-bounded cache (its arguments
    must be hashable, as for `functools.lru_cache`)."""
    name = _name(function)

    @functools.wraps(function)
    def remembered(*args: P.args, **kwargs: P.kwargs) -> R:
        key = (name, args, tuple(sorted(kwargs.items()))) if kwargs else (name, args)
        value = SHARED.get(key, _MISSING)
        if value is _MISSING:
            value = function(*args, **kwargs)
            _remember(key, args, value)
        return value  # type: ignore[return-value]

    return remembered


def recalled_many(function: Callable[[str], R], args: list[str], compute: Callable[[list[str]], list[R]]) -> list[R]:
    """`function(arg)` for each of `args`, as the memoised `function` remembers it; the ones not remembered are worked
    out together by `compute` (one batch costs less than one call each) and remembered for `function` too."""
    name = _name(function)
    values = [SHARED.get((name, (arg,)), _MISSING) for arg in args]
    missing = [arg for arg, value in zip(args, values, strict=True) if value is _MISSING]
    if missing:
        computed = dict(zip(missing, compute(missing), strict=True))
        for arg, value in computed.items():
            _remember((name, (arg,)), (arg,), value)
        values = [computed[arg] if value is _MISSING else value for arg, value in zip(args, values, strict=True)]
    return values  # type: ignore[return-value]


def _name(function: Callable[..., object]) -> str:
    """The name a memoised function's results are kept under (the first item of their keys)."""
    return f"{function.__module__}.{function.__qualname__}"


def _remember(key: Hashable, args: tuple[object, ...], value: object) -> None:
    SHARED.put(key, value, ENTRY_OVERHEAD + approximate_size(args) + approximate_size(value))
