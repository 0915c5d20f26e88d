"""Changes to WeasyPrint's internals, pinned to the source they were written against.

A module that replaces or wraps a WeasyPrint function lists it here with the SHA-256 of its source
(``inspect.getsource``), and the functions whose behaviour it relies on without touching them. Before
patching, every pin is compared with the installed WeasyPrint; on any difference nothing is patched and a
RuntimeWarning names the functions, so a WeasyPrint upgrade gives a plainer PDF, never a wrong one.

After an upgrade: read the new source of each function named, then update the hash with ``source_hash``.
"""

from __future__ import annotations

import hashlib
import inspect
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Pin:
    name: str  # dotted name, as in the warning
    sha256: str  # of its source as pinned
    find: Callable[[], Callable[..., object]]  # the function as WeasyPrint has it (the original, once patched)


def source_hash(function: Callable[..., object]) -> str:
    return hashlib.sha256(inspect.getsource(function).encode("utf-8")).hexdigest()


def mismatches(pins: Iterable[Pin]) -> list[str]:
    """The names of the pinned functions whose source differs (or that are gone): empty when safe to patch."""
    changed = []
    for pin in pins:
        try:
            actual = source_hash(pin.find())
        except (AttributeError, OSError, TypeError):
            actual = None
        if actual != pin.sha256:
            changed.append(pin.name)
    return changed


def safe_to_patch(what: str, pins: Iterable[Pin]) -> bool:
    """Whether every pin matches; if not, a RuntimeWarning saying what is left out and why."""
    import weasyprint

    changed = mismatches(pins)
    if changed:
        warnings.warn(
            f"WeasyPrint {weasyprint.__version__} の {', '.join(changed)} が、{what}を書いたときの版（70.0）と異なるため、"
            f"{what}を行いません（jpub/editions/pdf/pinned.py の手順で確かめてください）",
            RuntimeWarning,
            stacklevel=3,
        )
    return not changed
