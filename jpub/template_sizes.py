"""How large a template's value is when written out, and how large an operation would make one — measured
before the operation runs, so that a request for gigabytes is refused instead of attempted."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from jinja2.utils import Namespace

MAX_INT_BITS = 100_000  # about 30,000 digits: far past any figure a document prints


def weight(value: Any, limit: int) -> int:
    """About how many characters the value takes when written out (an item of a list at least three: ``1, ``);
    counting stops once past ``limit``."""
    total, stack, seen = 0, [value], set()
    while stack and total <= limit:
        item = stack.pop()
        if isinstance(item, str | bytes):
            total += len(item)
        elif isinstance(item, bool) or item is None:
            total += 5
        elif isinstance(item, int):
            total += item.bit_length() // 3 + 1
        elif isinstance(item, float):
            total += 24
        elif isinstance(item, range):
            total += len(item) * (len(str(max(abs(item.start), abs(item.stop)))) + 2)
        elif isinstance(item, list | tuple | set | frozenset | dict | Namespace):
            if id(item) in seen:  # a list that holds itself is written [...]
                continue
            seen.add(id(item))
            items = list(item.items()) if isinstance(item, dict) else (item._Namespace__attrs.items() if isinstance(item, Namespace) else item)
            total += 3 * len(items) + 2
            if total <= limit:
                stack.extend(items)
        else:
            total += 16
    return total


def shallow(value: Any) -> int:
    """The size of a value at a glance (a string's length, three characters an item of a list), for checks
    made at every call, where walking a large structure each time would make a loop quadratic."""
    if isinstance(value, str | bytes):
        return len(value)
    if isinstance(value, list | tuple | set | frozenset | dict):
        return 3 * len(value)
    return 0


class NumberTooLarge(ValueError):
    pass


def binop(operator: str, left: Any, right: Any, limit: int) -> int:
    """The size ``left operator right`` would have (0 when it cannot be much larger than its operands)."""
    numbers = isinstance(left, int) and isinstance(right, int)
    if numbers and operator in ("*", "**"):
        bits = left.bit_length() * max(right, 0) if operator == "**" else left.bit_length() + right.bit_length()
        if bits > MAX_INT_BITS:
            raise NumberTooLarge(f"テンプレートの計算結果の数が大きすぎます（約 {bits:,} ビット、上限 {MAX_INT_BITS:,}）")
        return 0
    if operator == "*":
        sequence, times = (left, right) if isinstance(right, int) else (right, left)
        return weight(sequence, limit) * times if isinstance(times, int) and not isinstance(times, bool) else 0
    if operator == "%" and isinstance(left, str):
        return percent(left, right, limit)
    if operator == "+" and not isinstance(left, int | float):
        return weight(left, limit) + weight(right, limit)
    return 0


# %-formatting: the widths and precisions a format string asks for (``*`` takes them from the arguments)
_PERCENT = re.compile(r"%(?:\([^)]{0,200}\))?[#0\- +]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?[diouxXeEfFgGcrsa%]")
_FIELD = re.compile(r"\{[^{}]{0,200}(?:\{[^{}]{0,200}\}[^{}]{0,200}){0,4}\}")  # a str.format field, {:>{}} (bounded: linear on any string)


def percent(text: str, args: Any, limit: int) -> int:
    values = list(args.values()) if isinstance(args, dict) else list(args) if isinstance(args, tuple) else [args]
    starred = sum(abs(v) for v in values if isinstance(v, int)) if "*" in text else 0
    asked = sum(int(n) for found in _PERCENT.finditer(text) for n in found.groups() if n and n != "*")
    return len(text) + asked + starred + sum(weight(v, limit) for v in values)


def str_format(text: str, args: tuple[Any, ...], kwargs: dict[str, Any], limit: int) -> int:
    """``text.format(*args, **kwargs)``: widths written in the fields, and any number that a nested field may take."""
    values = [*args, *kwargs.values()]
    fields = _FIELD.findall(text)
    asked = sum(int(n) for field in fields if ":" in field for n in re.findall(r"\d+", field.split(":", 1)[1]))
    nested = sum(abs(v) for v in values if isinstance(v, int)) if any(field.count("{") > 1 for field in fields) else 0
    return len(text) + asked + nested + sum(weight(v, limit) for v in values)


def _replace(text: str, old: str, new: str, count: int | None = -1) -> int:
    times = len(text) + 1 if old == "" else text.count(old)
    if count is not None and count >= 0:
        times = min(times, count)
    return len(text) + times * max(0, len(new) - len(old))


def _width(value: Any) -> int:
    return len(value) if isinstance(value, str) else int(value) if isinstance(value, int) else 0


def _lines(text: Any) -> int:
    return str(text).count("\n") + 1


Predict = Callable[..., int]
# filter → the size it would make from (limit, value, *args, **kwargs), where that can be far larger than the value
FILTERS: dict[str, Predict] = {
    "center": lambda n, value, width=80, *_: max(weight(value, n), _width(width)),
    "indent": lambda n, value, width=4, *_, **__: weight(value, n) + _lines(value) * _width(width),
    "format": lambda n, value, *args, **kwargs: percent(str(value), kwargs or args, n),
    "replace": lambda n, value, old, new, count=None: _replace(str(value), str(old), str(new), count),
    "join": lambda n, value, d="", *_, **__: weight(value, n) + (len(value) if hasattr(value, "__len__") else 0) * len(str(d)),
    "wordwrap": lambda n, value, width=79, brk=True, wrapstring=None, *_, **kw: (
        weight(value, n) + (weight(value, n) // max(_width(width), 1) + 1) * len(str(kw.get("wrapstring", wrapstring) or "\n"))
    ),
    "truncate": lambda n, value, length=255, killwords=False, end="...", *_, **kw: weight(value, n) + len(str(kw.get("end", end))),
    "batch": lambda n, value, linecount, *_, **__: weight(value, n) + 3 * _width(linecount),
    "slice": lambda n, value, slices, *_, **__: weight(value, n) + 3 * _width(slices),
}
# str methods whose result can be far larger than the string: (limit, the string, *args)
METHODS: dict[str, Predict] = {
    "ljust": lambda n, s, width, *_: max(len(s), _width(width)),
    "rjust": lambda n, s, width, *_: max(len(s), _width(width)),
    "center": lambda n, s, width, *_: max(len(s), _width(width)),
    "zfill": lambda n, s, width: max(len(s), _width(width)),
    "expandtabs": lambda n, s, tabsize=8: len(s) + s.count("\t") * _width(tabsize),
    "replace": lambda n, s, old, new, count=-1: _replace(s, old, new, count),
    "join": lambda n, s, items: weight(items, n) + len(s) * (len(items) if hasattr(items, "__len__") else 0),
}
# filters that only look into a value and never write it out whole: the value is not measured before they
# run (that would make ``{{ items|length }}`` in a loop over the items quadratic); their result is
LOOKING = {"length", "count", "first", "last", "random", "min", "max", "sort", "unique", "reverse", "list", "map", "select", "reject"}
LOOKING |= {"selectattr", "rejectattr", "groupby", "dictsort", "items", "attr", "default", "d", "sum", "abs", "int", "float", "round", "safe"}
