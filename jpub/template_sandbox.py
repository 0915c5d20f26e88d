"""The sandbox the source's templates run in, bounded in size while they render.

Jinja2's sandbox keeps a template away from Python's internals, but not from building a value of any
size in one step: ``{{ "a" * 1000000000 }}`` or ``{{ "%999999999d"|format(1) }}`` asked for gigabytes
before anything was measured (and Jinja2 folds such constants while it compiles, so even an unused one
was built). Here each operation that can make a value much larger than its operands is checked *before*
it runs (``template_sizes`` says how large it would be), against the limit on the whole rendered text:

- the operators ``*``, ``**``, ``%`` and ``+`` (the sandbox's ``intercepted_binops``) and ``~`` (not
  interceptable: the code generator below sends it here);
- every filter (``center``, ``format``, ``indent``, ``replace``, ``join``, ``wordwrap``, ``batch`` …);
- every call of a function or method (``ljust``, ``zfill``, ``str.format`` widths, ``lipsum``), and what
  ``append``/``extend``/``update`` make of the list or dict they are called on;
- what a ``{% set %}`` block, a macro or a ``{% filter %}`` block joins (Jinja2 joins them with ``concat``);
- every value written out (``finalize``).

All the values a rendering makes together are held to a budget too (a loop making a large value each
time). What is still beyond these checks — loops nested deep enough to run for hours — is left to the
deadline and the memory ceiling in ``backstops``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sized
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.runtime import Context, str_join
from jinja2.sandbox import SandboxedEnvironment

from jpub import template_sizes
from jpub.limits import LIMITS

MAX_BYTES = LIMITS.max_bytes  # the rendered text; no value inside a template may be larger either
MADE_BUDGET = 10 * MAX_BYTES  # every value one rendering makes, together


class TooLarge(jinja2.TemplateError):
    """A value or the rendered text would pass the limit (reported as limit-size at the template's line)."""


class BoundedSandbox(SandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**", "%", "+"})

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, finalize=self._written, **kwargs)
        self.made = 0
        self.filters = {name: self._bounded_filter(name, function) for name, function in self.filters.items()}
        self.globals["lipsum"] = self._lipsum

    def allow(self, size: int, what: str = "文字列") -> None:
        """Refuse a value of ``size`` characters about to be made; count it towards the rendering's budget."""
        if size > MAX_BYTES:
            raise TooLarge(f"テンプレートが作る{what}が大きすぎます（約 {size:,} 文字、上限 {MAX_BYTES:,}）")
        self.made += size
        if self.made > MADE_BUDGET:
            message = f"テンプレートが作る値の合計が大きすぎます（{MADE_BUDGET:,} 文字を超えました。ループの中で大きな値を作り続けていないか確かめてください）"
            raise TooLarge(message)

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        try:
            self.allow(template_sizes.binop(operator, left, right, MAX_BYTES), "値")
        except template_sizes.NumberTooLarge as exc:
            raise TooLarge(str(exc)) from None
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 - Jinja's signature
        receiver = getattr(__obj, "__self__", None)
        wrapped = getattr(__obj, "__wrapped__", None)  # str.format and format_map, as the sandbox wraps them
        name = getattr(wrapped or __obj, "__name__", "")
        formatted = getattr(wrapped, "__self__", None)
        if isinstance(formatted, str) and name in ("format", "format_map"):
            fields = dict(args[0]) if name == "format_map" and args and isinstance(args[0], dict) else kwargs
            __self.allow(template_sizes.str_format(formatted, args if name == "format" else (), fields, MAX_BYTES))
        elif isinstance(receiver, str) and name in template_sizes.METHODS:
            __self.allow(_predicted(template_sizes.METHODS[name], receiver, args, kwargs))
        result = super().call(__context, __obj, *args, **kwargs)
        __self.allow(template_sizes.shallow(result), "値")
        if isinstance(receiver, list | dict | set):  # append, extend, update … grow what they are called on
            __self.allow(template_sizes.shallow(receiver), "値")
        return result

    def _bounded_filter(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        """The filter with its size checked before (what it would make) and after (what it made)."""
        value_at = 1 if getattr(function, "jinja_pass_arg", None) is not None else 0
        predict = template_sizes.FILTERS.get(name)

        @functools.wraps(function)
        def bounded(*args: Any, **kwargs: Any) -> Any:
            if len(args) > value_at:
                value = args[value_at]
                if predict is not None and not isinstance(value, Sized):  # a generator: its length is needed
                    value = list(value)
                    args = (*args[:value_at], value, *args[value_at + 1 :])
                if name not in template_sizes.LOOKING:
                    self.allow(template_sizes.weight(value, MAX_BYTES), "値")
                if predict is not None:
                    self.allow(_predicted(predict, value, args[value_at + 1 :], kwargs))
            result = function(*args, **kwargs)
            self.allow(template_sizes.shallow(result))
            return result

        return bounded

    def _lipsum(self, n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> Any:  # noqa: A002 - Jinja's names
        self.allow(int(n) * int(max) * 10)
        return jinja2.utils.generate_lorem_ipsum(n, html, min, max)

    def _written(self, value: Any) -> Any:
        """Every ``{{ value }}`` passes here before it becomes text."""
        if not isinstance(value, str):
            self.allow(template_sizes.weight(value, MAX_BYTES), "値")
        return value

    def concat(self, parts: Iterable[str]) -> str:
        """What a {% set %} block, a macro or a {% filter %} block made, joined: Jinja2 joins them here."""
        parts = list(parts)
        self.allow(sum(len(part) for part in parts))
        return "".join(parts)

    def join_checked(self, parts: tuple[Any, ...]) -> str:
        """``a ~ b``, reached through the code generator below."""
        self.allow(sum(template_sizes.weight(part, MAX_BYTES) for part in parts))
        return str_join(parts)


def _predicted(predict: template_sizes.Predict, value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
    try:
        return predict(MAX_BYTES, value, *args, **kwargs)
    except (TypeError, ValueError, AttributeError):  # wrong arguments: the operation itself will say so
        return 0


class _CheckedConcatGenerator(CodeGenerator):
    """Compiles ``a ~ b`` to a call of the environment's ``join_checked`` instead of a bare join."""

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.join_checked((")
        for part in node.nodes:
            self.visit(part, frame)
            self.write(", ")
        self.write("))")


BoundedSandbox.code_generator_class = _CheckedConcatGenerator
