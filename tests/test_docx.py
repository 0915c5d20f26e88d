"""The Word edition read as XML: styles, page, cover, 目次, headings, lists, properties, reproducibility."""

from __future__ import annotations

import datetime as dt
import functools
import zipfile

import pytest

from jpub import pipeline, publication
from jpub.editions.docx.front import toc_instruction

from .conftest import DEFAULT_SOURCE
from .test_docx_support import CHAPTERS, NS, Package, attr, build_docx, instructions, part_of, section_ends, style_of, text_of, variant, w

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


def test_font_table_lists_only_the_faces_in_use(seed_docx, tmp_path):
    names = [attr(f, "name") for f in seed_docx.xml("word/fontTable.xml").iter(w("font"))]
    assert names == [SERIF, SANS]  # pandoc's Aptos, Times New Roman, Cambria… are gone
    pkg = Package(build_docx(variant(tmp_path, CHAPTERS, '  docx-serif-font: "BIZ UD明朝 Medium"'), tmp_path))
    fonts = {attr(f, "name"): f for f in pkg.xml("word/fontTable.xml").iter(w("font"))}
    assert set(fonts) == {"BIZ UD明朝 Medium", SANS}
    assert attr(fonts["BIZ UD明朝 Medium"].find(w("charset")), "val") == "80"


A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


def test_theme_fonts_are_the_configured_japanese_faces(seed_docx):
    scheme = seed_docx.xml("word/theme/theme1.xml").find(f".//{A}fontScheme")
    for group, face in (("majorFont", SANS), ("minorFont", SERIF)):
        node = scheme.find(f"{A}{group}")
        jpan = [f.get("typeface") for f in node.findall(f"{A}font") if f.get("script") == "Jpan"]
        assert (node.find(f"{A}latin").get("typeface"), node.find(f"{A}ea").get("typeface"), jpan) == (face, face, [face])


def test_no_empty_parts(seed_docx):
    assert "word/comments.xml" not in seed_docx.names and "docProps/custom.xml" not in seed_docx.names
    types = seed_docx.raw["[Content_Types].xml"].decode()
    for name in seed_docx.names:
        if name.endswith(".xml") and "[" not in name:
            assert f'PartName="/{name}"' in types, name  # every part declared, none declared without a part
    for part in ("word/comments.xml", "docProps/custom.xml"):
        assert part not in types and part.split("/")[-1] not in seed_docx.raw["word/_rels/document.xml.rels"].decode() + seed_docx.raw["_rels/.rels"].decode()


# --- line spacing and page --------------------------------------------------------------------------


def test_line_pitch_suits_japanese_without_a_line_grid(seed_docx):
    size = int(seed_docx.style_value("Normal", "w:rPr/w:sz", "val")) / 2
    assert seed_docx.style_value("Normal", "w:pPr/w:spacing", "lineRule") == "atLeast"
    assert 1.5 <= int(seed_docx.style_value("Normal", "w:pPr/w:spacing", "line")) / 20 / size <= 1.9
    assert seed_docx.style_value("Normal", "w:pPr/w:snapToGrid", "val") == "0"
    grid = seed_docx.document.find(f"{w('body')}/{w('sectPr')}/{w('docGrid')}")
    assert attr(grid, "type") in (None, "default")


def test_body_paragraphs_are_indented_one_character_and_list_items_are_not(seed_docx):
    size = int(seed_docx.style_value("Normal", "w:rPr/w:sz", "val")) * 10  # twips per character of the body size
    for style_id in ("BodyText", "FirstParagraph"):
        assert int(seed_docx.style_value(style_id, "w:pPr/w:ind", "firstLine")) == size, style_id
    assert int(seed_docx.style_value("Compact", "w:pPr/w:ind", "firstLine")) == 0


def test_a_bold_label_over_a_list_is_flush_with_it(seed_docx):
    label = next(p for p in seed_docx.paragraphs() if text_of(p) == "第1部の構成")
    assert attr(label.find(f"{w('pPr')}/{w('ind')}"), "firstLine") == "0"


def test_tables_have_room_around_them_and_their_notes_are_notes(seed_docx):
    body = seed_docx.document.find(w("body"))
    table = body.find(w("tbl"))
    before, note = table.getprevious(), table.getnext()
    assert int(attr(before.find(f"{w('pPr')}/{w('spacing')}"), "after")) >= 180  # at least 9 pt before the table
    assert style_of(note) == "TableNote" and text_of(note).startswith("※")
    assert int(seed_docx.style_value("TableNote", "w:pPr/w:spacing", "before")) > 0  # not glued under the table
    assert int(attr(note.find(f"{w('pPr')}/{w('spacing')}"), "after")) >= 180  # the text goes on after a gap
    assert int(seed_docx.style_value("TableNote", "w:pPr/w:ind", "hanging")) > 0  # wrapped lines after the ※


def test_each_heading_level_looks_unlike_the_next(seed_docx):
    def look(style_id: str) -> tuple:
        return (
            float(seed_docx.style_value(style_id, "w:rPr/w:sz", "val")) / 2,
            seed_docx.style_flag(style_id, "w:rPr/w:b"),
            int(seed_docx.style_value(style_id, "w:pPr/w:ind", "left") or 0),
            tuple(sorted(b.tag for b in seed_docx.style(style_id).iterfind(f"{w('pPr')}/{w('pBdr')}/*"))),
        )

    looks = [look(s) for s in (*HEADING_STYLES, "Heading5")]
    for upper, lower in zip(looks, looks[1:], strict=False):
        assert lower[0] <= upper[0]
        assert sum(a != b for a, b in zip(upper, lower, strict=True)) >= 2, (upper, lower)  # two of size, weight, indent, rule
    assert looks[2][0] - looks[3][0] >= 1.5  # 節 is clearly larger than 項


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
    for sect in section_ends(seed_docx):
        size, margins = sect.find(w("pgSz")), sect.find(w("pgMar"))
        assert (attr(size, "w"), attr(size, "h"), attr(size, "orient")) == ("11906", "16838", None)
        assert {k: attr(margins, k) for k in ("top", "bottom", "left", "right")} == {"top": "1701", "bottom": "1701", "left": "1417", "right": "1417"}
    cover = section_ends(seed_docx)[0]  # the cover is a section of its own, without header or folio
    assert cover.find(w("headerReference")) is None and cover.find(w("footerReference")) is None


def test_footer_has_a_centred_page_field_on_both_hands(seed_docx):
    for sect in section_ends(seed_docx)[1:]:
        for which in ("default", "even"):
            footer = part_of(seed_docx, sect, "footer", which)
            assert footer is not None and instructions(footer) == "PAGE", which
            assert seed_docx.style_value(style_of(footer.find(w("p"))), "w:pPr/w:jc", "val") == "center"
    assert seed_docx.xml("word/settings.xml").find(w("evenAndOddHeaders")) is not None


def test_contents_pages_carry_the_title_and_the_body_its_parts_and_chapters(seed_docx):
    ends = section_ends(seed_docx)
    title = seed_pub().meta.title
    assert [text_of(part_of(seed_docx, ends[1], "header", which)) for which in ("default", "even")] == [title, title]
    headings = {h.text for h in seed_pub().documents["docx"].headings}
    for sect in ends[2:]:
        left, right = part_of(seed_docx, sect, "header", "even"), part_of(seed_docx, sect, "header", "default")
        # a STYLEREF to the 部 on the left, to the 章 (or, before the first 章, the 部) on the right; the cached
        # result is a heading of the document, or empty where the layout shows several (see test_docx_layout)
        assert instructions(left) in ("STYLEREF 1", "") and instructions(right) in ("STYLEREF 1", "STYLEREF 2", "")
        assert {text_of(left), text_of(right)} <= headings | {""}


@pytest.mark.parametrize("flow", ["run-on", "recto"])
def test_header_can_be_switched_off(tmp_path, flow):
    pkg = Package(build_docx(variant(tmp_path, DEFAULT_SOURCE, f"  docx-header: false\n  page-flow: {flow}"), tmp_path))
    assert all(sect.find(w("headerReference")) is None for sect in section_ends(pkg))
    assert pkg.document.find(f"{w('body')}/{w('sectPr')}/{w('footerReference')}") is not None
    # sections only where pages must start on a recto
    assert (len(section_ends(pkg)) == 1) is (flow == "run-on")


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


def title_of(link) -> str:
    """An entry's title: its text up to the tab before the page number."""
    text = "".join("\t" if node.tag == w("tab") else node.text or "" for node in link.iter(w("t"), w("tab")))
    return text.split("\t")[0]


def toc_entries(pkg: Package) -> list[tuple[str, str, str]]:
    return [
        (style_of(p), title_of(link), attr(link, "anchor"))
        for p in pkg.paragraphs()
        if style_of(p).startswith("TOC") and style_of(p) != "TOCHeading"
        for link in p.iter(w("hyperlink"))
    ]


def bookmarks(pkg: Package) -> set[str]:
    return {attr(b, "name") for b in pkg.document.iter(w("bookmarkStart"))}


@pytest.mark.parametrize(("which", "depth"), [("seed", 2), ("chapters", 1)])
def test_toc_field_lists_parts_and_chapters_as_links_to_bookmarks(which, depth, seed_docx, chapters_docx):
    pkg = seed_docx if which == "seed" else chapters_docx
    toc = [t.text.strip() for t in pkg.document.iter(w("instrText")) if t.text.strip().startswith("TOC")]
    assert toc == [toc_instruction(depth)] == [f'TOC \\o "1-{depth}" \\h \\z \\u']
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


# (where pages start — publish: page-flow, explicit breaks, sections — is in test_docx_pages.py)


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
