"""The Word edition read as XML: styles, page, cover, 目次, headings, lists, properties, reproducibility."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import zipfile

import pytest
from lxml import etree

from jpub import pipeline, publication
from jpub.editions.docx.front import toc_instruction

from .conftest import DEFAULT_SOURCE
from .test_docx_support import CHAPTERS, NS, Package, attr, build_docx, style_of, text_of, variant, w

pytest_plugins = ["tests.test_docx_support"]  # the seed_docx and chapters_docx fixtures

SERIF, SANS = "游明朝", "游ゴシック"
HEADING_STYLES = ("Heading1", "Heading2", "Heading3", "Heading4")


@functools.cache
def seed_pub() -> publication.Publication:
    return pipeline.prepare(DEFAULT_SOURCE, ["docx"])


def used_styles(pkg: Package) -> set[str]:
    found = set()
    for part in [n for n in pkg.names if n.startswith("word/") and n.endswith(".xml")]:
        root = pkg.xml(part)
        for tag in ("pStyle", "rStyle", "tblStyle"):
            found.update(node.get(f"{{{NS['w']}}}val") for node in root.iter(w(tag)))
    return found | {"Normal"}


# --- fonts and language -------------------------------------------------------------------------


def test_doc_defaults_are_japanese(seed_docx):
    fonts = seed_docx.styles.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}/{w('rFonts')}")
    assert attr(fonts, "eastAsia") == SERIF and attr(fonts, "ascii") == SERIF
    lang = seed_docx.styles.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}/{w('lang')}")
    assert attr(lang, "eastAsia") == "ja-JP" and attr(lang, "val") == "ja-JP"


def test_no_theme_font_can_override_the_east_asian_font(seed_docx):
    for name in seed_docx.names:
        if name.endswith(".xml") and name.startswith("word/") and "theme" not in name:
            for fonts in seed_docx.xml(name).iter(w("rFonts")):
                assert not any(k.endswith("Theme") or k.endswith("theme") for k in fonts.attrib), name


@pytest.mark.parametrize("which", ["seed", "chapters"])
def test_every_style_used_resolves_to_a_japanese_font_and_ja_jp(which, seed_docx, chapters_docx):
    pkg = seed_docx if which == "seed" else chapters_docx
    for style_id in used_styles(pkg):
        if attr(pkg.style(style_id), "type") == "table":
            continue
        assert pkg.style_value(style_id, "w:rPr/w:rFonts", "eastAsia") in (SERIF, SANS), style_id
        assert pkg.style_value(style_id, "w:rPr/w:lang", "eastAsia") == "ja-JP", style_id


@pytest.mark.parametrize(
    ("style_id", "face"),
    [("Normal", SERIF), ("BodyText", SERIF), ("Compact", SERIF), *((h, SANS) for h in HEADING_STYLES), ("Title", SANS), ("TOCHeading", SANS)],
)
def test_body_is_mincho_and_headings_gothic(seed_docx, style_id, face):
    assert seed_docx.style_value(style_id, "w:rPr/w:rFonts", "eastAsia") == face


def test_fonts_come_from_the_settings(tmp_path):
    source = variant(tmp_path, CHAPTERS, '  docx-serif-font: "BIZ UD明朝 Medium"\n  docx-sans-font: "BIZ UDゴシック"')
    pkg = Package(build_docx(source, tmp_path))
    assert pkg.style_value("Normal", "w:rPr/w:rFonts", "eastAsia") == "BIZ UD明朝 Medium"
    assert pkg.style_value("Heading1", "w:rPr/w:rFonts", "eastAsia") == "BIZ UDゴシック"
    names = [attr(f, "name") for f in pkg.xml("word/fontTable.xml").iter(w("font"))]
    assert {"BIZ UD明朝 Medium", "BIZ UDゴシック"} <= set(names)


def test_font_table_names_fallbacks_for_the_japanese_faces(seed_docx):
    fonts = {attr(f, "name"): f for f in seed_docx.xml("word/fontTable.xml").iter(w("font"))}
    assert attr(fonts[SERIF].find(w("altName")), "val") == "Yu Mincho"
    assert attr(fonts[SERIF].find(w("charset")), "val") == "80"
    assert attr(fonts[SERIF].find(w("family")), "val") == "roman"
    assert attr(fonts[SANS].find(w("family")), "val") == "swiss"


# --- line spacing and page --------------------------------------------------------------------------


def test_line_pitch_suits_japanese_without_a_line_grid(seed_docx):
    size = int(seed_docx.style_value("Normal", "w:rPr/w:sz", "val")) / 2
    assert seed_docx.style_value("Normal", "w:pPr/w:spacing", "lineRule") == "atLeast"
    assert 1.5 <= int(seed_docx.style_value("Normal", "w:pPr/w:spacing", "line")) / 20 / size <= 1.9
    assert seed_docx.style_value("Normal", "w:pPr/w:snapToGrid", "val") == "0"
    grid = seed_docx.document.find(f"{w('body')}/{w('sectPr')}/{w('docGrid')}")
    assert attr(grid, "type") in (None, "default")


def test_punctuation_setting_is_explicit(seed_docx):
    # LibreOffice drops a hanging 、 from its PDF unless w:overflowPunct is written out (test_docx_clients)
    assert seed_docx.style_value("Normal", "w:pPr/w:overflowPunct", "val") == "1"
    assert seed_docx.style_value("BodyText", "w:pPr/w:overflowPunct", "val") == "1"


def test_manual_line_breaks_are_not_stretched(seed_docx):
    assert seed_docx.xml("word/settings.xml").find(f"{w('compat')}/{w('doNotExpandShiftReturn')}") is not None


@pytest.mark.parametrize("style_id", ["Normal", "BodyText", "Compact", *HEADING_STYLES, "Title", "TOC1", "TOC2"])
def test_no_style_snaps_to_the_grid(seed_docx, style_id):
    assert seed_docx.style_value(style_id, "w:pPr/w:snapToGrid", "val") == "0"


def test_page_is_a4_portrait_with_japanese_margins(seed_docx):
    sect = seed_docx.document.find(f"{w('body')}/{w('sectPr')}")
    size, margins = sect.find(w("pgSz")), sect.find(w("pgMar"))
    assert (attr(size, "w"), attr(size, "h"), attr(size, "orient")) == ("11906", "16838", None)
    assert {k: attr(margins, k) for k in ("top", "bottom", "left", "right")} == {"top": "1701", "bottom": "1701", "left": "1417", "right": "1417"}
    assert sect.find(w("titlePg")) is not None  # no header or page number on the cover


def _part_of(pkg: Package, kind: str) -> etree._Element:
    sect = pkg.document.find(f"{w('body')}/{w('sectPr')}")
    ref = sect.find(w(f"{kind}Reference"))
    assert ref is not None, f"no {kind}"
    rid = ref.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
    rels = pkg.xml("word/_rels/document.xml.rels")
    target = next(r.get("Target") for r in rels if r.get("Id") == rid)
    return pkg.xml(f"word/{target}")


def test_footer_has_a_centred_page_field(seed_docx):
    footer = _part_of(seed_docx, "footer")
    instructions = "".join(t.text for t in footer.iter(w("instrText")))
    assert instructions.strip() == "PAGE"
    paragraph = footer.find(w("p"))
    assert seed_docx.style_value(style_of(paragraph), "w:pPr/w:jc", "val") == "center"


def test_header_carries_the_title(seed_docx):
    assert text_of(_part_of(seed_docx, "header")) == seed_pub().meta.title


def test_header_can_be_switched_off(tmp_path):
    pkg = Package(build_docx(variant(tmp_path, CHAPTERS, "  docx-header: false"), tmp_path))
    sect = pkg.document.find(f"{w('body')}/{w('sectPr')}")
    assert sect.find(w("headerReference")) is None
    assert sect.find(w("footerReference")) is not None


# --- cover and 目次 --------------------------------------------------------------------------------


def test_cover_page_in_order(seed_docx):
    paragraphs = seed_docx.paragraphs()
    toc_at = next(i for i, p in enumerate(paragraphs) if style_of(p) == "TOCHeading")
    cover = [(style_of(p), text_of(p)) for p in paragraphs[:toc_at]]
    meta = seed_pub().meta
    assert cover[0] == ("Subtitle", meta.subtitle)
    assert cover[1] == ("Title", meta.title)
    assert cover[-2:] == [("Date", "令和6年6月11日"), ("Author", "文部科学省")]
    material = [text for style, text in cover if style == "CoverText"]
    assert material[0] == "【概要書】" and "標記の報告書を衆議院議長に提出いたしました。" in material
    assert seed_docx.style_flag("TOCHeading", "w:pPr/w:pageBreakBefore") is True


def toc_entries(pkg: Package) -> list[tuple[str, str, str]]:
    return [
        (style_of(p), text_of(link), attr(link, "anchor"))
        for p in pkg.paragraphs()
        if style_of(p).startswith("TOC") and style_of(p) != "TOCHeading"
        for link in p.iter(w("hyperlink"))
    ]


def bookmarks(pkg: Package) -> set[str]:
    return {attr(b, "name") for b in pkg.document.iter(w("bookmarkStart"))}


@pytest.mark.parametrize(("which", "depth"), [("seed", 2), ("chapters", 1)])
def test_toc_field_lists_parts_and_chapters_as_links_to_bookmarks(which, depth, seed_docx, chapters_docx):
    pkg = seed_docx if which == "seed" else chapters_docx
    instructions = "".join(t.text for t in pkg.document.iter(w("instrText")))
    assert instructions.strip() == toc_instruction(depth) == f'TOC \\o "1-{depth}" \\h \\z \\u'
    source = DEFAULT_SOURCE if which == "seed" else CHAPTERS
    headings = pipeline.prepare(source, ["docx"]).documents["docx"].headings
    assert toc_entries(pkg) == [(f"TOC{h.level}", h.text, h.id) for h in headings if h.level <= depth]
    assert {anchor for _s, _t, anchor in toc_entries(pkg)} <= bookmarks(pkg)
    begin = pkg.document.find(f".//{w('fldChar')}[@{w('fldCharType')}='begin']")
    assert attr(begin, "dirty") == "true"


def test_toc_depth_setting(tmp_path):
    pkg = Package(build_docx(variant(tmp_path, CHAPTERS, "  toc-depth: 2"), tmp_path))
    assert [s for s, _t, _a in toc_entries(pkg)] == ["TOC1", "TOC2", "TOC2", "TOC1", "TOC2"]


def test_deep_toc_uses_defined_styles(tmp_path):
    pkg = Package(build_docx(variant(tmp_path, DEFAULT_SOURCE, "  toc-depth: 6"), tmp_path))
    styles = {s for s, _t, _a in toc_entries(pkg)}
    assert styles == {"TOC1", "TOC2", "TOC3", "TOC4"}
    for style_id in styles:
        assert pkg.style_value(style_id, "w:rPr/w:rFonts", "eastAsia") in (SERIF, SANS)


def test_word_refreshes_fields_on_opening(seed_docx):
    settings = seed_docx.xml("word/settings.xml")
    assert attr(settings.find(w("updateFields")), "val") == "true"
    mode = settings.find(f"{w('compat')}/{w('compatSetting')}[@{w('name')}='compatibilityMode']")
    assert attr(mode, "val") == "15"
    assert attr(settings.find(w("themeFontLang")), "eastAsia") == "ja-JP"


# --- headings and page breaks --------------------------------------------------------------------------


@pytest.mark.parametrize(("style_id", "level"), list(zip(HEADING_STYLES, range(4), strict=True)))
def test_heading_styles_have_outline_levels_and_no_numbering(seed_docx, style_id, level):
    assert seed_docx.style(style_id).find(f"{w('pPr')}/{w('outlineLvl')}").get(w("val")) == str(level)
    assert seed_docx.style(style_id).find(f".//{w('numPr')}") is None


def test_headings_keep_their_literal_numbers(seed_docx):
    found = [(int(style_of(p)[-1]), text_of(p)) for p in seed_docx.paragraphs() if style_of(p) in HEADING_STYLES]
    assert found == [(h.level, h.text) for h in seed_pub().documents["docx"].headings]
    assert all(p.find(f"{w('pPr')}/{w('numPr')}") is None for p in seed_docx.paragraphs() if style_of(p) in HEADING_STYLES)


def test_toc_heading_is_not_in_the_outline(seed_docx):
    assert seed_docx.style_value("TOCHeading", "w:pPr/w:outlineLvl", "val") == "9"


@pytest.mark.parametrize(
    ("which", "breaking"), [("seed", {"Heading1": True, "Heading2": True, "Heading3": False}), ("chapters", {"Heading1": True, "Heading2": False})]
)
def test_new_page_for_each_part_and_chapter_only(which, breaking, seed_docx, chapters_docx):
    pkg = seed_docx if which == "seed" else chapters_docx
    for style_id, value in breaking.items():
        assert pkg.style_flag(style_id, "w:pPr/w:pageBreakBefore") is value, style_id


def test_body_starts_on_a_new_page_and_a_chapter_shares_its_parts_page(seed_docx):
    paragraphs = seed_docx.paragraphs()
    end = max(i for i, p in enumerate(paragraphs) if style_of(p).startswith("TOC"))
    first = paragraphs[end + 1]
    assert attr(first.find(f"{w('pPr')}/{w('pageBreakBefore')}"), "val") == "1"
    pairs = [(a, b) for a, b in zip(paragraphs, paragraphs[1:], strict=False) if style_of(a) == "Heading1" and style_of(b) == "Heading2"]
    assert pairs, "the seed has a 部 followed directly by its first 章"
    for _part, chapter in pairs:
        assert attr(chapter.find(f"{w('pPr')}/{w('pageBreakBefore')}"), "val") == "0"


# --- lists and emphasis -------------------------------------------------------------------------------


def test_bullets_are_nakaguro_and_bold_is_kept(seed_docx):
    numbering = seed_docx.xml("word/numbering.xml")
    used = {attr(n, "val") for n in seed_docx.document.iter(w("numId"))}
    nums = {attr(n, "numId"): attr(n.find(w("abstractNumId")), "val") for n in numbering.iter(w("num"))}
    abstract = {attr(a, "abstractNumId"): a for a in numbering.iter(w("abstractNum"))}
    assert used
    for num_id in used:
        level0 = abstract[nums[num_id]].find(f"{w('lvl')}[@{w('ilvl')}='0']")
        assert attr(level0.find(w("numFmt")), "val") == "bullet"
        assert attr(level0.find(w("lvlText")), "val") == "・"
        assert attr(level0.find(f"{w('rPr')}/{w('rFonts')}"), "eastAsia") == SERIF
    bold = {text_of(r) for r in seed_docx.document.iter(w("r")) if r.find(f"{w('rPr')}/{w('b')}") is not None}
    assert {"LLM勉強会", "加速", "年次報告である第2部"} <= bold


# --- properties and reproducibility ------------------------------------------------------------------


def test_core_properties(seed_docx):
    core = seed_docx.xml("docProps/core.xml")
    ns = {
        "dc": "http://purl.org/dc/elements/1.1/",
        "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
        "dcterms": "http://purl.org/dc/terms/",
    }
    value = {
        tag: core.findtext(tag, namespaces=ns)
        for tag in ("dc:title", "dc:subject", "dc:creator", "cp:keywords", "dc:language", "dcterms:created", "dcterms:modified")
    }
    meta = seed_pub().meta
    stamp = meta.timestamp().astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert value == {
        "dc:title": meta.title,
        "dc:subject": meta.subject,
        "dc:creator": meta.author,
        "cp:keywords": ", ".join(meta.keywords),
        "dc:language": "ja-JP",
        "dcterms:created": stamp,
        "dcterms:modified": stamp,
    }


def test_timestamp_follows_source_date_epoch(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    pkg = Package(build_docx(CHAPTERS, tmp_path))
    core = pkg.xml("docProps/core.xml")
    assert core.findtext("{http://purl.org/dc/terms/}created") == "2023-11-14T22:13:20Z"
    with zipfile.ZipFile(pkg.path) as z:
        assert {i.date_time for i in z.infolist()} == {(2023, 11, 14, 22, 13, 20)}


def test_no_revision_ids_anywhere(seed_docx):
    for name, raw in seed_docx.raw.items():
        assert b"w:rsid" not in raw, name


def test_zip_entries_in_fixed_order_with_one_timestamp(seed_docx):
    with zipfile.ZipFile(seed_docx.path) as z:
        infos = z.infolist()
    assert [i.filename for i in infos[:3]] == ["[Content_Types].xml", "_rels/.rels", "word/document.xml"]
    assert len({i.date_time for i in infos}) == 1


def test_two_builds_are_byte_identical(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, second = build_docx(DEFAULT_SOURCE, tmp_path / "a"), build_docx(DEFAULT_SOURCE, tmp_path / "b")
    assert hashlib.sha256(first.read_bytes()).hexdigest() == hashlib.sha256(second.read_bytes()).hexdigest()
