"""両端揃え for Japanese (justify.py, spacing.py, line_edges.py) and numbers kept with their units
(unbreakable.py): full lines flush with the measure, in the box tree and as drawn in the PDF, the PDF's text
unchanged, no break inside 12月, and the pin that leaves WeasyPrint alone when it has changed."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from weasyprint import CSS, HTML
from weasyprint.formatting_structure import boxes
from weasyprint.layout import inline

from jpub.editions.pdf import justify, pinned, spacing, unbreakable

from .conftest import need_client, which

PT_PER_PX = 0.75
MEASURE_EM = 40
STYLE = f"""
@page {{ size: 520pt 400pt; margin: 20pt 50pt; }}
html {{ font: 10.5pt/1.7 "Noto Serif CJK JP"; font-kerning: none; }}
body {{ margin: 0; }}
p {{ margin: 0 0 1em; width: {MEASURE_EM}em; text-align: justify; }}
.wa-l {{ margin-left: .08em; }} .wa-r {{ margin-right: .08em; }}
"""
# Japanese with Latin words, figures and punctuation: without help its full lines end short of the measure.
TEXT = (
    "これまでの人工知能（AI）技術の進展を振り返りながら、文章や画像等を生成できる「生成AI」技術が急速に"
    "進展してきた背景や要因、そして次世代技術の方向性を紹介。令和5年5月に開催されたG7広島サミットを踏まえ、"
    "日本が議長国として、G7各国にOECD、GPAIを加えたメンバーで、AIのガバナンスの在り方等について議論を主導。"
    "12月、G7デジタル・技術大臣会合で、国際指針と行動規範を含む「広島AIプロセス包括的政策枠組み」を策定し、"
    "予算は12,000億円、参加者は3.5倍の2023人に増加した。"
)
# 38 kanji and "12" (two proportional figures, about 1.1 em) leave no room for 月 on the 40-em measure, and
# Pango (UAX #14: NU ÷ ID) breaks between 2 and 月.
BREAKS_IN_12_GATSU = "令和五年度の事業として開催された会議の内容を報告し、関係府省と調整の上で年の12月に公表した結果の概要である。"


@pytest.fixture(autouse=True)
def unpatched() -> Iterator[None]:
    """Each test starts from WeasyPrint as it is (the print edition's writer installs the patches on import)."""
    justify.uninstall()
    unbreakable.uninstall()
    yield
    justify.install()
    unbreakable.install()


def page(body: str) -> str:
    return f'<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"></head><body>{body}</body></html>'


def render(html: str, css: str = "") -> Any:
    return HTML(string=html).render(stylesheets=[CSS(string=STYLE + css)])


def _walk(box: Any) -> Iterator[Any]:
    yield box
    if isinstance(box, boxes.ParentBox):
        for child in box.children:
            yield from _walk(child)


def _texts(box: Any) -> list[Any]:
    return [b for b in _walk(box) if isinstance(b, boxes.TextBox)]


def paragraph_lines(document: Any) -> list[tuple[str, float, float]]:
    """(text, right edge of its last glyph, right edge of the measure) of each paragraph line, in pt."""
    out = []
    for page_ in document.pages:
        for box in _walk(page_._page_box):
            if isinstance(box, boxes.BlockBox) and box.element_tag == "p":
                measure = (box.content_box_x() + box.width) * PT_PER_PX
                for line in box.children:
                    texts = [t for t in _texts(line) if t.text.strip()]
                    right = max(t.position_x + t.width for t in texts) * PT_PER_PX
                    out.append(("".join(t.text for t in _texts(line)), right, measure))
    return out


def full_lines_short(document: Any) -> list[float]:
    """How far each full line (all but the paragraph's last) ends before the measure, in pt."""
    return [measure - right for _, right, measure in paragraph_lines(document)[:-1]]


def pdf_lines(pdf: bytes, tmp_path: Path) -> list[tuple[float, float, str]]:
    """(xMin, xMax, text) of every line as poppler reads the PDF: where the glyphs are drawn."""
    need_client("pdftotext", bool(which("pdftotext")), "the drawn lines are read back with poppler")
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True, check=True, text=True).stdout
    return [
        (float(x0), float(x1), "".join(re.findall(r">([^<]*)</word>", words)))
        for x0, x1, words in re.findall(r'<line xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>(.*?)</line>', xml, re.S)
    ]


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    need_client("pdftotext", bool(which("pdftotext")), "the text is read back with poppler")
    path = tmp_path / "text.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, text=True).stdout
    return text.replace("\n", "").replace("\f", "")


def _wa_spanned(text: str) -> str:
    """Latin words wrapped as typography.refine wraps them (wa-l / wa-r where kana or kanji is beside)."""
    japanese = re.compile(r"[\u3041-\u30ff\u3400-\u9fff々]")

    def span(match: re.Match[str]) -> str:
        start, end = match.span()
        sides = (("wa-l", start > 0 and japanese.match(text[start - 1])), ("wa-r", end < len(text) and japanese.match(text[end])))
        classes = [c for c, on in sides if on]
        return f'<span class="{" ".join(classes)}">{match.group()}</span>' if classes else match.group()

    return re.sub(r"[A-Za-z][A-Za-z0-9]*", span, text)


# ---- flush lines --------------------------------------------------------------------------------------------


def test_full_lines_are_ragged_without_the_extension():
    short = full_lines_short(render(page(f"<p>{TEXT}</p>")))
    assert len(short) >= 4 and max(short) > 0.5, short


def test_full_lines_end_flush_with_the_extension():
    assert justify.install()
    document = render(page(f"<p>{TEXT}</p>"))
    short = full_lines_short(document)
    assert len(short) >= 4 and all(abs(s) <= 0.5 for s in short), short
    _, last_right, measure = paragraph_lines(document)[-1]
    assert measure - last_right > 0.5  # the last line is not stretched


def test_drawn_glyphs_end_flush(tmp_path):
    """The PDF itself, not only the box tree: each full line's last glyph ends at the measure."""
    assert justify.install()
    lines = pdf_lines(render(page(f"<p>{_wa_spanned(TEXT)}</p>")).write_pdf(), tmp_path)
    assert len(lines) >= 5
    for x_min, x_max, text in lines[:-1]:
        assert abs(x_max - (50 + MEASURE_EM * 10.5)) <= 0.5, (text, x_max)
        assert abs(x_min - 50) <= 0.01, text


def test_last_line_and_a_forced_break_are_not_stretched():
    assert justify.install()
    lines = paragraph_lines(render(page("<p>これは改行の前の行です。<br>次の行。</p>")))
    assert all(measure - right > 10 for _, right, measure in lines)


def test_other_languages_keep_weasyprints_own_justification():
    assert justify.install()
    english = "The quick brown fox jumps over the lazy dog, " * 8
    lines = paragraph_lines(render(f'<!DOCTYPE html><html lang="en"><body><p>{english}</p></body></html>'))
    texts = [t for t, _, _ in lines]
    assert all("  " not in t for t in texts) and len(lines) > 2  # word spaces stretched, no gap inside words
    assert all(abs(measure - right) <= 0.5 for _, right, measure in lines[:-1])


def test_a_wa_span_at_the_head_of_a_line_loses_its_margin():
    """No 和欧間 at the head of a line: its first glyph sits at the content edge."""
    html = page("<p>" + "一二三四五六七八九十" * 4 + '<span class="wa-l wa-r">GPAI</span>を加えた。</p>')
    css = ".wa-l { margin-left: .25em; }"

    def second_line_indent() -> float:
        block = next(b for b in _walk(render(html, css).pages[0]._page_box) if isinstance(b, boxes.BlockBox) and b.element_tag == "p")
        first = next(t for t in _texts(block.children[1]) if t.text.strip())
        assert first.text.startswith("GPAI")
        return float(first.position_x - block.content_box_x())

    assert second_line_indent() > 3  # unpatched: a quarter em in
    assert justify.install()
    assert abs(second_line_indent()) < 0.01


# ---- the text is the source text ----------------------------------------------------------------------------


def test_extracted_text_is_the_source_text(tmp_path):
    """jpub's 0.08 em 和欧間 plus the expansion stays under the extractors' 0.1 em word break (COPY_SAFE_EM)."""
    assert justify.install() and unbreakable.install()
    document = render(page(f"<p>{_wa_spanned(TEXT)}</p>"))
    assert all(abs(s) <= 0.5 for s in full_lines_short(document))
    assert pdf_text(document.write_pdf(), tmp_path) == TEXT  # no space, no character added


# ---- numbers with their units -------------------------------------------------------------------------------


def test_breaks_between_12_and_gatsu_without_the_extension():
    lines = paragraph_lines(render(page(f"<p>{BREAKS_IN_12_GATSU}</p>")))
    assert lines[0][0].endswith("12"), lines


def test_no_break_between_12_and_gatsu_with_the_extension():
    assert justify.install() and unbreakable.install()
    document = render(page(f"<p>{BREAKS_IN_12_GATSU}</p>"))
    lines = paragraph_lines(document)
    assert lines[0][0].endswith("の") and lines[1][0].startswith("12月"), lines
    assert all(abs(s) <= 0.5 for s in full_lines_short(document))  # the line 12月 left is justified all the same


@pytest.mark.parametrize(
    "text, pieces",
    [
        ("予算は12,000億円。", ["12,000億円"]),
        ("第1章と第12章", ["第1章", "第12章"]),
        ("3.5倍の2023人", ["3.5倍", "2023人"]),
        ("2023年10月に", ["2023年", "10月"]),
        ("40か所で12か月間、5年度に", ["40か所", "12か月間", "5年度"]),
        ("1億2,000万円を", ["1億2,000万円"]),
        ("食料約250万食、2万棟、13万6,000戸", ["250万食", "2万棟", "13万6,000戸"]),
        ("５０％増", ["５０％"]),
        ("G7各国", []),  # a figure in a Latin word
        ("Society 5.0の", []),
        ("2023", []),  # a bare number: UAX #14 never breaks it
        ("5kmph", []),
    ],
)
def test_unbreakable_ranges(text, pieces):
    assert [text[start:end] for start, end in unbreakable.unbreakable(text)] == pieces


# ---- gaps and their shares ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "pair, kind",
    [("あい", spacing.CJK), ("あA", "wa"), ("Aあ", "wa"), ("AB", None), ("12", None), ("a ", None), (" a", spacing.SPACE), ("……", None), ("――", None)],
)
def test_gap_kinds(pair, kind):
    before, after = (spacing.Char(None, 0, ch, spacing.char_kind(ch), 0.0) for ch in pair)
    assert spacing.gap_kind(before, after) == kind


def test_slack_goes_to_word_spaces_first_then_evenly_within_the_copy_safe_width():
    class Box:
        style = {"font_size": 14.0}

    gaps = [spacing.Gap(Box(), 0, spacing.SPACE, 0.0)] + [spacing.Gap(Box(), 0, spacing.CJK, 0.0) for _ in range(10)]
    amounts = spacing.distribute(10.0, gaps, 14.0)
    assert amounts[0] == pytest.approx(0.25 * 14)  # the space takes its most first
    assert amounts[1:] == pytest.approx([(10.0 - 3.5) / 10] * 10)
    assert sum(amounts) == pytest.approx(10.0)
    wide = spacing.distribute(40.0, gaps, 14.0)  # more than the gaps may take: the rest to the space
    assert wide[1] == pytest.approx(spacing.COPY_SAFE_EM * 14) and sum(wide) == pytest.approx(40.0)


# ---- the pin ------------------------------------------------------------------------------------------------


def test_install_is_idempotent_and_uninstall_restores():
    original = inline.justify_line
    assert justify.install()
    patched = inline.justify_line
    assert patched is not original and justify.install() and inline.justify_line is patched
    justify.uninstall()
    assert inline.justify_line is original


@pytest.mark.parametrize("module", [justify, unbreakable])
def test_pinned_sources_match_the_installed_weasyprint(module):
    assert pinned.mismatches(module.PINS) == []


def test_a_changed_function_warns_and_nothing_is_patched(monkeypatch):
    changed = pinned.Pin(justify.PINS[0].name, "0" * 64, justify.PINS[0].find)
    monkeypatch.setattr(justify, "PINS", (changed, *justify.PINS[1:]))
    original_justify, original_align = inline.justify_line, inline.text_align
    with pytest.warns(RuntimeWarning, match="justify_line"):
        assert justify.install() is False
    assert (inline.justify_line, inline.text_align) == (original_justify, original_align)
    assert max(full_lines_short(render(page(f"<p>{TEXT}</p>")))) > 0.5  # ragged, as without the extension


def test_a_change_in_a_function_relied_on_also_leaves_weasyprint_alone(monkeypatch):
    pins = tuple(pinned.Pin(pin.name, "f" * 64, pin.find) if pin.name.endswith("draw_first_line") else pin for pin in justify.PINS)
    monkeypatch.setattr(justify, "PINS", pins)
    with pytest.warns(RuntimeWarning, match="draw_first_line"):
        assert justify.install() is False


def test_a_changed_line_break_function_leaves_numbers_breakable(monkeypatch):
    pins = tuple(pinned.Pin(pin.name, "0" * 64, pin.find) if pin.name.endswith("get_log_attrs") else pin for pin in unbreakable.PINS)
    monkeypatch.setattr(unbreakable, "PINS", pins)
    with pytest.warns(RuntimeWarning, match="get_log_attrs"):
        assert unbreakable.install() is False
    assert paragraph_lines(render(page(f"<p>{BREAKS_IN_12_GATSU}</p>")))[0][0].endswith("12")
