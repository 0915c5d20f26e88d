"""A template's rendering is bounded while it runs: every way to make a huge value in one step is refused
before it is made, at its line; loops that would run for hours stop at a deadline; memory has a ceiling."""

from __future__ import annotations

import dataclasses
import resource
import threading

import pytest

from jpub import backstops, cli, source_template
from jpub.limits import LIMITS

FRONT = "---\ntitle: T\n---\n# 第1章 本文\n\n"  # the template below is on line 6

HUGE = {
    "str * int": '{{ "a" * 1000000000 }}',
    "int * str": '{{ 1000000000 * "a" }}',
    "list * int": '{{ ["aaaa"] * 100000000 }}',
    "power": "{{ 9 ** 99999999 }}",
    "% with a width": '{{ "%999999999d" % 1 }}',
    "% with a * width": '{{ "%*d" % (999999999, 1) }}',
    "format filter": '{{ "%999999999d"|format(1) }}',
    "str.format width": '{{ "{:>999999999}".format(1) }}',
    "str.format nested width": '{{ "{:>{}}".format(1, 999999999) }}',
    "str.format_map width": '{{ "{x:>999999999}".format_map({"x": 1}) }}',
    "center filter": '{{ "a"|center(999999999) }}',
    "ljust": '{{ "a".ljust(999999999) }}',
    "zfill": '{{ "1".zfill(999999999) }}',
    "expandtabs": '{{ ("\\t" * 100000).expandtabs(100000) }}',
    "indent": '{{ ("a\\n" * 1000000)|indent(1000) }}',
    "replace filter": '{{ ("a" * 1000000)|replace("a", "b" * 1000) }}',
    "replace of nothing": '{{ ("a" * 100000)|replace("", "b" * 1000) }}',
    "str.replace": '{{ ("a" * 1000000).replace("a", "b" * 1000) }}',
    "join filter": '{{ range(100000)|join("x" * 10000) }}',
    "join of a generator": '{{ range(100000)|map("string")|join("x" * 10000) }}',
    "str.join": '{{ ("x" * 10000).join(range(100000)|map("string")|list) }}',
    "wordwrap": '{{ ("a " * 1000000)|wordwrap(1, wrapstring="x" * 1000) }}',
    "batch": '{{ [1]|batch(999999999, "x")|list }}',
    "slice": "{{ [1]|slice(99999999)|list }}",
    "lipsum": "{{ lipsum(999999999) }}",
    "~ doubling": '{% set ns = namespace(s="a") %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s|length }}',
    "+ doubling": '{% set ns = namespace(s="a") %}{% for i in range(40) %}{% set ns.s = ns.s + ns.s %}{% endfor %}{{ ns.s|length }}',
    "set block doubling": '{% set ns = namespace(s="a") %}{% for i in range(40) %}{% set ns.s %}{{ ns.s }}{{ ns.s }}{% endset %}{% endfor %}x',
    "macro doubling": '{% macro d(s) %}{{ s }}{{ s }}{% endmacro %}{% set n = namespace(s="a") %}{% for i in range(40) %}{% set n.s = d(n.s) %}{% endfor %}x',
    "list.extend doubling": "{% set l = [1] %}{% for i in range(40) %}{% set _ = l.extend(l) %}{% endfor %}{{ l|length }}",
    "int squaring": "{% set ns = namespace(x=3) %}{% for i in range(40) %}{% set ns.x = ns.x * ns.x %}{% endfor %}x",
    "many large values": '{% set l = [] %}{% for i in range(100000) %}{% set _ = l.append("x" * 10000) %}{% endfor %}{{ l|length }}',
    "a list written out": '{% set l = [] %}{% for i in range(10000) %}{% set _ = l.append("x" * 10000) %}{% endfor %}{{ l }}',
    "output in loops": '{% for i in range(100000) %}{% for j in range(100) %}{{ "x" * 100 }}{% endfor %}{% endfor %}',
}


@pytest.mark.parametrize("name", list(HUGE))
def test_a_huge_value_is_refused_before_it_is_made(tmp_path, capsys, name):
    path = tmp_path / "doc.md"
    path.write_text(FRONT + HUGE[name] + "\n", encoding="utf-8")
    status = cli.main(["check", "--source", str(path)])
    err = capsys.readouterr().err
    assert status == 1 and "doc.md:6: error: " in err and "[limit-size]" in err and "Traceback" not in err, err
    assert "メモリ" not in err  # refused by its check, not by the memory ceiling behind it


SLOW = {
    "nested loops without output": "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}x",
    "nested loops over a list": "{% set l = range(100000)|list %}{% for a in l %}{% for b in l %}{% endfor %}{% endfor %}x",
    "a macro that calls itself twice": "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(60) }}x",
}


@pytest.mark.parametrize("name", list(SLOW))
def test_rendering_stops_at_its_deadline_with_the_line(tmp_path, capsys, monkeypatch, name):
    monkeypatch.setattr(source_template, "LIMITS", dataclasses.replace(LIMITS, render_base_seconds=0.5))
    path = tmp_path / "doc.md"
    path.write_text(FRONT + SLOW[name] + "\n", encoding="utf-8")
    status = cli.main(["check", "--source", str(path)])
    err = capsys.readouterr().err
    assert status == 1 and "doc.md:6: error: テンプレートの処理が 0.5 秒で終わりませんでした" in err and "[limit-time]" in err, err
    assert threading.active_count() == 1  # the deadline's timer is gone


FINE = {
    '{{ "a" * 3 }}': "aaa",
    "{{ 2 ** 10 }}": "1024",
    '{{ "%5d"|format(42) }}': "   42",
    '{{ "%s円" % 1200 }}': "1200円",
    '{{ "{:,}".format(1234567890123) }}': "1,234,567,890,123",
    '{{ "{:>6}".format("右") }}': "     右",
    '{{ items|join("、") }}': "甲、乙、丙",
    '{{ "第" ~ 3 ~ "章" }}': "第3章",
    '{{ "令和6年"|replace("6", "7") }}': "令和7年",
    '{{ "本文"|center(6) }}': "  本文  ",
    "{% set s %}{% for i in items %}{{ i }}{% endfor %}{% endset %}{{ s }}": "甲乙丙",
    "{{ items|length }}{{ items|first }}": "3甲",
}


@pytest.mark.parametrize("template", list(FINE))
def test_ordinary_templates_render_as_before(tmp_path, template):
    from jpub import source

    path = tmp_path / "doc.md"
    path.write_text("---\ntitle: T\nitems: [甲, 乙, 丙]\n---\n" + template + "\n", encoding="utf-8")
    src = source.load(path)
    assert source_template.render_body(src, dict(src.front), "html").text.rstrip("\n") == FINE[template]


def test_the_deadline_raises_in_the_working_thread_and_leaves_no_timer():
    with pytest.raises(backstops.TooSlow), backstops.deadline(0.1):
        while True:
            pass
    assert threading.active_count() == 1
    with backstops.deadline(5):  # work that ends in time: nothing is raised afterwards
        total = sum(range(1000))
    assert total == 499500 and threading.active_count() == 1


def test_the_memory_ceiling_turns_a_huge_allocation_into_memory_error_and_is_lifted_afterwards():
    before = resource.getrlimit(resource.RLIMIT_AS)
    with pytest.raises(MemoryError), backstops.memory_ceiling(headroom=64 * 1024 * 1024):
        bytearray(512 * 1024 * 1024)
    assert resource.getrlimit(resource.RLIMIT_AS) == before
