"""Helpers over pandoc's JSON AST."""

from __future__ import annotations

import pytest


def test_rebuild_replaces_what_it_is_told_and_copies_the_rest():
    from jpub.pandoc_ast import rebuild

    tree = {"blocks": [{"t": "Para", "c": [{"t": "Str", "c": "本文"}, {"t": "Note", "c": []}]}]}
    copy = rebuild(tree, lambda node: {"t": "Str", "c": "*"} if node.get("t") == "Note" else None)
    assert copy == {"blocks": [{"t": "Para", "c": [{"t": "Str", "c": "本文"}, {"t": "Str", "c": "*"}]}]}
    assert tree["blocks"][0]["c"][1] == {"t": "Note", "c": []}  # the original is left as it was
    assert copy["blocks"][0] is not tree["blocks"][0]


IS_ELEMENT = [
    ({"t": "Header", "c": [1, ["", [], []], []]}, "Header", True),
    ({"t": "Para", "c": []}, "Header", False),
    ({"t": "Space"}, "Space", True),  # an element without fields
    ({"c": []}, "Header", False),  # a map that is no element (no constructor's name)
    ([{"t": "Header"}], "Header", False),  # a list of elements is none itself
    ("Header", "Header", False),
]


@pytest.mark.parametrize(("node", "kind", "expected"), IS_ELEMENT)
def test_is_element_tells_an_element_of_a_kind_from_any_other_part(node, kind, expected):
    from jpub.pandoc_ast import is_element

    assert is_element(node, kind) is expected
