"""check --fix: each repair round-trips (the defect goes, nothing else changes, a second run changes nothing),
--dry-run writes nothing, Jinja tags, code and the front matter are never touched, included files are
repaired in place, and the seed's raw text loses its copying artefacts without a sentence changing."""

from __future__ import annotations

import os
import re
import shutil
import stat
import unicodedata
from pathlib import Path

import pytest

from jpub import checks, pipeline
from jpub.cli import main

FIXTURES = Path(__file__).resolve().parent / "fixtures"
FRONT = "---\ntitle: 修正\nlang: ja\n---\n\n"
FIXABLE = ("spaced-latin", "spaced-digits", "split-decimal", "fullwidth-alnum", "halfwidth-kana", "counter-ka", "halfwidth-paren")


def write(folder: Path, body: str, name: str = "doc.md", front: str = FRONT) -> Path:
    path = folder / name
    path.write_text(front + body, encoding="utf-8")
    return path


def fixable(path: Path) -> list[str]:
    return [d.rule for d in checks.run(pipeline.prepare(path)) if d.rule in FIXABLE]


@pytest.mark.parametrize(
    "rule, before, after",
    [
        ("spaced-latin", "生成 A I 技術と米国の（U S A I S I）。\n", "生成AI技術と米国の（USAISI）。\n"),
        ("spaced-digits", "2 0 2 4 年の調査。\n", "2024年の調査。\n"),
        ("split-decimal", "Society 5. 0の実現。\n", "Society 5.0の実現。\n"),
        ("fullwidth-alnum", "ＡＩとAIの活用、２０２４年。\n", "AIとAIの活用、2024年。\n"),
        ("halfwidth-kana", "ｲﾉﾍﾞｰｼｮﾝの推進。\n", "イノベーションの推進。\n"),
        ("counter-ka", "3ヶ月ごと、5カ所で、数ヶ所は延期。\n", "3か月ごと、5か所で、数箇所は延期。\n"),
        ("halfwidth-paren", "地域づくり(スマートシティの\n展開)と幸せ(well-being)。\n", "地域づくり（スマートシティの\n展開）と幸せ（well-being）。\n"),
    ],
)
def test_each_fix_round_trips(tmp_path, capsys, rule, before, after):
    path = write(tmp_path, before)
    assert rule in fixable(path)
    assert main(["check", "--fix", "--source", str(path)]) == 0
    out = capsys.readouterr().out
    assert path.read_text(encoding="utf-8") == FRONT + after
    assert f"--- {path}" in out or "--- " in out and "+" + after.split("\n")[0] in out
    assert rule not in fixable(path)
    main(["check", "--fix", "--source", str(path)])
    assert path.read_text(encoding="utf-8") == FRONT + after, "a second run changes nothing"


def test_dry_run_prints_the_diff_and_writes_nothing(tmp_path, capsys):
    path = write(tmp_path, "生成 A I 技術。\n")
    before = path.read_bytes()
    assert main(["check", "--fix", "--dry-run", "--source", str(path)]) == 0
    out = capsys.readouterr().out
    assert "-生成 A I 技術。" in out and "+生成AI技術。" in out
    assert path.read_bytes() == before


def test_jinja_tags_code_and_front_matter_are_left_alone(tmp_path):
    front = "---\ntitle: 生成 A I の報告\nlang: ja\nterm: ＡＩ\n---\n\n"
    body = '{{ term }}とＡＩ。{{ "ｱｲｳ" }}と{## ＡＩ ##}メモ。\n\n`ＡＩ` とＡＩ、AI。\n\n```\nコードの ＡＩ と ｱｲｳ\n```\n'
    path = write(tmp_path, body, front=front)
    main(["check", "--fix", "--source", str(path)])
    fixed = path.read_text(encoding="utf-8")
    assert fixed.startswith(front), "front matter untouched"
    assert '{{ term }}とAI。{{ "ｱｲｳ" }}と{## ＡＩ ##}メモ。' in fixed
    assert "`ＡＩ` とAI、AI。" in fixed and "コードの ＡＩ と ｱｲｳ" in fixed


def test_an_included_file_is_fixed_in_place(tmp_path, capsys):
    (tmp_path / "parts").mkdir()
    part = tmp_path / "parts" / "chapter.md"
    part.write_text("## 第1章 本論\n\n3ヶ月ごとに ｲﾉﾍﾞｰｼｮﾝ を見直す。\n", encoding="utf-8")
    main_text = FRONT + "# 第1部 総論\n\n{% include 'parts/chapter.md' %}\n"
    path = tmp_path / "doc.md"
    path.write_text(main_text, encoding="utf-8")
    assert main(["check", "--fix", "--source", str(path)]) == 0
    assert "chapter.md" in capsys.readouterr().out
    assert part.read_text(encoding="utf-8") == "## 第1章 本論\n\n3か月ごとに イノベーション を見直す。\n"
    assert path.read_text(encoding="utf-8") == main_text


def test_line_ends_byte_order_mark_and_permissions_are_kept(tmp_path):
    path = tmp_path / "doc.md"
    path.write_bytes(b"\xef\xbb\xbf" + (FRONT + "3ヶ月\n\n本文。\n").replace("\n", "\r\n").encode("utf-8"))
    os.chmod(path, 0o600)
    main(["check", "--fix", "--source", str(path)])
    assert path.read_bytes() == b"\xef\xbb\xbf" + (FRONT + "3か月\n\n本文。\n").replace("\n", "\r\n").encode("utf-8")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_silenced_line_is_not_fixed(tmp_path):
    path = write(tmp_path, "3ヶ月。{## check: ignore counter-ka +##}\n\n5ヶ所。\n")
    main(["check", "--fix", "--source", str(path)])
    assert path.read_text(encoding="utf-8") == FRONT + "3ヶ月。{## check: ignore counter-ka +##}\n\n5か所。\n"


@pytest.mark.parametrize("argv", [["--fix"], ["pdf", "--fix"], ["check", "--dry-run"]])
def test_fix_belongs_to_check_alone(tmp_path, argv):
    path = write(tmp_path, "本文。\n")
    assert main([*argv, "--source", str(path)]) == 2


def _sentences(text: str) -> list[str]:
    """Each line with spaces, widths and bracket forms taken out: what a reader reads."""
    return [re.sub(r"\s+", "", unicodedata.normalize("NFKC", line)) for line in text.split("\n")]


def test_seed_raw_text_loses_its_artefacts_without_a_sentence_changing(tmp_path):
    path = tmp_path / "seed-raw.md"
    shutil.copy(FIXTURES / "fix" / "seed-raw.md", path)
    before = path.read_text(encoding="utf-8")
    assert len(fixable(path)) >= 20
    main(["check", "--fix", "--source", str(path)])
    after = path.read_text(encoding="utf-8")
    assert _sentences(after) == _sentences(before)
    assert fixable(path) == []
    for fixed in ("生成AI技術", "米国AI安全研究所（USAISI）", "（ABCI）", "## 第4章 AIの多様な", "地域づくり（スマートシティの展開）", "幸せ（well-being）と"):
        assert fixed in after, fixed
    assert " A I " not in after
