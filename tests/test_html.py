"""The web edition read back as a DOM: one self-contained page, its summary, outline, links and tables."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import pytest

from jpub import pipeline, publication
from jpub.editions.fragments import chapter_level
from jpub.pandoc_ast import plain_text, walk_blocks

from .conftest import DEFAULT_SOURCE, FIXTURES, build

CHAPTERS_SOURCE = FIXTURES / "chapters-only.md"
SOURCES = {"seed": DEFAULT_SOURCE, "chapters": CHAPTERS_SOURCE}
HEADINGS = "h1 or self::h2 or self::h3 or self::h4 or self::h5 or self::h6"
LOADING_ATTRIBUTES = ("src", "srcset", "poster", "data", "action", "formaction", "background")


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, Path]:
    """Both fixture documents, web edition only (the other editions have tests of their own)."""
    out = tmp_path_factory.mktemp("html")
    return {name: build(source, out, "html") / f"{source.stem}.html" for name, source in SOURCES.items()}


@pytest.fixture(params=sorted(SOURCES))
def which(request) -> str:
    return request.param


def dom(path: Path):
    return lxml.html.fromstring(path.read_bytes())


def expected(which: str) -> publication.Publication:
    return pipeline.prepare(SOURCES[which], ["html"])


def body_headings(root) -> list:
    return root.xpath(f"//main//*[self::{HEADINGS}]")


# --- the page and its head -----------------------------------------------------------------------


def test_head_has_language_charset_viewport_and_descriptions(pages, which):
    pub, root = expected(which), dom(pages[which])
    assert root.get("lang") == "ja"
    assert root.xpath("//head/meta[1]/@charset") == ["utf-8"]
    assert "width=device-width" in root.xpath("//meta[@name='viewport']/@content")[0]
    assert pub.meta.title in root.findtext(".//title")
    description = root.xpath("//meta[@name='description']/@content")[0]
    assert description == (pub.meta.subject or pub.meta.title)
    og = {m.get("property"): m.get("content") for m in root.xpath("//meta[starts-with(@property, 'og:')]")}
    assert og["og:title"] == pub.meta.title
    assert og["og:description"] == description
    assert og["og:type"] == "article" and og["og:locale"] == "ja_JP"
    assert og["og:site_name"] == pub.meta.author == root.xpath("//meta[@name='author']/@content")[0]
    assert root.xpath("//meta[@property='article:published_time']/@content") == [pub.meta.date.isoformat()]
    assert root.xpath("//meta[@name='keywords']/@content") == ([", ".join(pub.meta.keywords)] if pub.meta.keywords else [])


def csp_directives(root) -> dict[str, str]:
    policies = root.xpath("//head/meta[@http-equiv='Content-Security-Policy']/@content")
    assert len(policies) == 1
    return {d.split()[0]: " ".join(d.split()[1:]) for d in policies[0].split(";") if d.strip()}


def test_content_security_policy_forbids_scripts_and_remote_loads(pages, which):
    policy = csp_directives(dom(pages[which]))
    assert policy["default-src"] == "'none'"  # covers script-src, connect-src, font-src, frame-src …
    assert not {"script-src", "connect-src", "font-src", "frame-src"} & set(policy)
    assert policy["img-src"] == "data:"
    assert policy["style-src"] == "'unsafe-inline'"
    assert policy["base-uri"] == "'none'"


def test_content_security_policy_comes_before_anything_it_governs(pages, which):
    head = dom(pages[which]).find("head")
    tags = [child.tag for child in head]
    assert tags.index("meta") < tags.index("style")
    assert head.xpath("meta[@http-equiv]")[0].getprevious().get("charset") == "utf-8"


def test_nothing_is_loaded_from_anywhere(pages, which):
    root = dom(pages[which])
    assert not root.xpath("//script | //link | //iframe | //object | //embed | //base")
    for name in LOADING_ATTRIBUTES:
        for value in root.xpath(f"//@{name}"):
            assert value.startswith("data:"), (name, value[:60])
    css = " ".join(root.xpath("//style/text()")) + " ".join(root.xpath("//@style"))
    assert not re.search(r"url\(|@import", css)
    hrefs = root.xpath("//@href")
    assert not [h for h in hrefs if re.match(r"(?i)\s*(https?:)?//", h)]


# --- the summary at the top ----------------------------------------------------------------------


def test_summary_shows_title_edition_author_and_date(pages, which):
    meta, root = expected(which).meta, dom(pages[which])
    header = root.xpath("/html/body/header")[0]
    assert header.findtext(".//*[@class='title']") == meta.title
    assert header.findtext(".//*[@class='edition']") == meta.subtitle
    byline = header.xpath("string(.//*[@class='byline'])")
    assert re.search(f"{meta.author}\\s+{meta.era_date}", byline), byline  # read as two items without CSS too
    time = header.xpath(".//time")[0]
    assert time.get("datetime") == meta.date.isoformat()
    assert time.text == meta.era_date and time.text.startswith("令和")


def test_summary_shows_the_cover_material(pages, which):
    pub = expected(which)
    cover, _body = pub.documents["html"].parts()
    root = dom(pages[which])
    shown = root.xpath("string(/html/body/header//*[@class='cover'])")
    texts = [plain_text(b["c"]) for b in walk_blocks(cover["blocks"]) if b["t"] in ("Para", "Plain")]
    assert texts and all(t in shown for t in texts)


def test_overview_links_every_part_and_chapter_in_order(pages, which):
    headings = expected(which).documents["html"].headings
    level = chapter_level(headings)
    wanted = [(f"#{h.id}", h.text) for h in headings if h.level <= level]
    links = dom(pages[which]).xpath("//header//nav[contains(@class, 'overview')]//a")
    assert [(a.get("href"), a.text_content()) for a in links] == wanted
    units = {h.unit.unit for h in headings if h.level <= level and h.unit}
    assert units == ({"部", "章"} if which == "seed" else {"章"})


def test_page_title_is_not_a_heading_so_the_body_outline_starts_at_h1(pages, which):
    root = dom(pages[which])
    assert not root.xpath(f"//body//*[self::{HEADINGS}][not(ancestor::main)]")
    levels = [int(h.tag[1]) for h in body_headings(root)]
    assert levels[0] == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), levels


# --- landmarks, skip link, contents --------------------------------------------------------------


def test_landmarks_and_skip_link(pages, which):
    root = dom(pages[which])
    body = root.find("body")
    assert [c.tag for c in body] == ["a", "header", "div", "footer"]
    assert len(root.xpath("//main")) == 1 and root.xpath("//main/@id") == ["main"]
    assert root.xpath("//div[@class='layout']/main")
    skip = body[0]
    assert skip.get("href") == "#main" and skip.text == "本文へ移動"
    navs = root.xpath("//nav")
    labels = [n.get("aria-label") or root.xpath(f"string(//*[@id='{n.get('aria-labelledby')}'])") for n in navs]
    assert len(set(labels)) == len(navs) and all(labels)


def test_contents_is_a_disclosure_on_narrow_screens_and_a_list_on_wide_ones(pages, which):
    root = dom(pages[which])
    nav = root.xpath("//nav[@aria-label='目次']")[0]
    narrow = nav.xpath("details[not(@open)]")
    wide = nav.xpath("div[@class='toc-wide']")
    assert len(narrow) == 1 and narrow[0].findtext("summary") == "目次" and len(wide) == 1
    pub = expected(which)
    depth = pub.settings.toc_depth or chapter_level(pub.documents["html"].headings) + 1
    wanted = [f"#{h.id}" for h in pub.documents["html"].headings if h.level <= depth]
    assert narrow[0].xpath(".//a/@href") == wanted == wide[0].xpath(".//a/@href")


# --- headings, ids and links ---------------------------------------------------------------------


def test_every_heading_has_the_stable_id_from_the_ast(pages, which):
    root = dom(pages[which])
    headings = expected(which).documents["html"].headings
    assert [(h.get("id"), int(h.tag[1]), h.text_content()) for h in body_headings(root)] == [(h.id, h.level, h.text) for h in headings]
    ids = root.xpath("//@id")
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z0-9-]+", i) for i in ids)


def test_every_heading_is_followed_by_a_named_permalink(pages, which):
    for heading in body_headings(dom(pages[which])):
        link = heading.getnext()
        assert link is not None and link.tag == "a" and link.get("class") == "permalink"
        assert link.get("href") == f"#{heading.get('id')}"
        assert link.text_content().strip("\u2060") == "#"
        assert heading.text_content() in link.get("aria-label")
        assert "#" not in heading.text_content()
        assert not heading.tail  # glued, not even a newline between: the # cannot wrap onto a line of its own


def test_every_internal_link_resolves(pages, which):
    root = dom(pages[which])
    ids = set(root.xpath("//@id"))
    hrefs = root.xpath("//a/@href")
    internal = [h for h in hrefs if h.startswith("#")]
    assert len(internal) > 10
    assert [h for h in internal if h[1:] not in ids] == []


# --- tables --------------------------------------------------------------------------------------


def test_tables_have_captions_and_scoped_header_cells(pages, which):
    tables = dom(pages[which]).xpath("//main//table")
    assert tables
    for number, table in enumerate(tables, start=1):
        assert table.find("caption").text_content().startswith(f"表{number}（第")
        assert table.find("caption/span").get("class") == "auto-caption"  # for screen readers, not shown
        assert table.xpath("thead//th") and all(th.get("scope") == "col" for th in table.xpath("thead//th"))
        rows = table.xpath("tbody/tr")
        assert all(row[0].tag == "th" and row[0].get("scope") == "row" for row in rows)
        assert all(cell.tag == "td" for row in rows for cell in row[1:])


def test_the_chapters_table_comes_from_the_front_matter_list(pages):
    rows = dom(pages["chapters"]).xpath("//main//table/tbody/tr")
    assert [(r[0].text_content(), r[1].text_content()) for r in rows] == [("中央公民館", "300"), ("北小学校", "450"), ("南体育館", "600")]
    assert dom(pages["chapters"]).xpath("//main//table/caption/span/text()") == ["表1（第2章 避難所）"]


# --- builds --------------------------------------------------------------------------------------


def test_same_source_same_page(pages, tmp_path):
    again = build(DEFAULT_SOURCE, tmp_path, "html") / f"{DEFAULT_SOURCE.stem}.html"
    assert again.read_bytes() == pages["seed"].read_bytes()


def test_full_build_writes_the_same_web_page(pages, chapters_build):
    assert (chapters_build / "chapters-only.html").read_bytes() == pages["chapters"].read_bytes()
