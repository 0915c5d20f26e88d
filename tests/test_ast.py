"""Helpers over pandoc's JSON AST."""

from __future__ import annotations


def test_rebuild_replaces_what_it_is_told_and_copies_the_rest():
    from jpub.pandoc_ast import rebuild

    tree = {"blocks": [{"t": "Para", "c": [{"t": "Str", "c": "本文"}, {"t": "Note", "c": []}]}]}
    copy = rebuild(tree, lambda node: {"t": "Str", "c": "*"} if node.get("t") == "Note" else None)
    assert copy == {"blocks": [{"t": "Para", "c": [{"t": "Str", "c": "本文"}, {"t": "Str", "c": "*"}]}]}
    assert tree["blocks"][0]["c"][1] == {"t": "Note", "c": []}  # the original is left as it was
    assert copy["blocks"][0] is not tree["blocks"][0]
