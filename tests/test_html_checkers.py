"""The web edition in outside checkers: the Nu HTML checker, axe-core in headless Chromium, and print.

vnu.jar and axe-core come from ``npm install`` at the repository root (package.json); Chromium,
Java is a system package. Without them these tests are skipped locally and fail in CI (pdftotext comes with `make`).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from html import escape
from pathlib import Path

import lxml.html
import pytest

from .conftest import DEFAULT_SOURCE, FIGURES_SOURCE, FIXTURES, ROOT, build, need_client, need_system
from .test_html_images import FRONT, tiny_png

pytestmark = pytest.mark.slow

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SOURCES = {"seed": DEFAULT_SOURCE, "chapters": FIXTURES / "chapters-only.md", "figures": FIGURES_SOURCE}
WIDE, PHONE = 1280, 390
MIN_WINDOW = 500  # headless Chromium lays a page out at least this wide, whatever --window-size says
CSP_META = re.compile(r'<meta http-equiv="Content-Security-Policy"[^>]*>')

# Runs in a copy of the page (the page's own policy forbids scripts): layout facts, then axe's violations.
PROBE = """
<script>
(function () {
  var style = function (selector, property) {
    var el = document.querySelector(selector);
    return el ? getComputedStyle(el)[property] : null;
  };
  var para = document.querySelector('main > p');
  var facts = {
    width: window.innerWidth,
    dark: matchMedia('(prefers-color-scheme: dark)').matches,
    overflow: document.documentElement.scrollWidth - window.innerWidth,
    measure: para.getBoundingClientRect().width / parseFloat(getComputedStyle(para).fontSize),
    tocNarrow: style('.toc-narrow', 'display'),
    tocWide: style('.toc-wide', 'display'),
    tocWidePosition: style('.toc-wide', 'position'),
    background: style('html', 'backgroundColor'),
    fontFamily: style('body', 'fontFamily'),
    tables: Array.from(document.querySelectorAll('.table-scroll')).map(function (region) {
      var first = region.querySelector('tbody tr > :first-child');
      return {scrolls: region.scrollWidth > region.clientWidth, inside: region.getBoundingClientRect().right <= window.innerWidth,
              sticky: first ? getComputedStyle(first).position : null};
    }),
    overview: style('.overview', 'display'),
    textTop: document.querySelector('main').getBoundingClientRect().top,
    viewportHeight: window.innerHeight,
    cards: Array.prototype.map.call(document.querySelectorAll('.overview > ol > li'), function (li) {
      var box = li.getBoundingClientRect();
      return [Math.round(box.top), Math.round(box.height)];
    }),
    resources: performance.getEntriesByType('resource').map(function (e) { return e.name; })
  };
  var permalink = document.querySelector('.permalink');
  if (permalink) {
    facts.permalinkIdle = getComputedStyle(permalink).opacity;
    permalink.focus();
    facts.permalinkFocused = getComputedStyle(permalink).opacity;
    permalink.blur();
  }
  axe.run(document, {resultTypes: ['violations']}).then(function (result) {
    facts.violations = result.violations.map(function (v) {
      return {id: v.id, help: v.help, nodes: v.nodes.map(function (n) { return n.target.join(' '); })};
    });
    var target = window.frameElement ? parent.document : document;  // a phone-width frame reports to its wrapper
    var out = target.createElement('pre');
    out.id = 'jpub-probe';
    out.textContent = JSON.stringify(facts);
    target.body.appendChild(out);
  });
})();
</script>
"""


def chromium() -> str | None:
    return next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)


def chromium_args(profile: Path, width: int, height: int, dark: bool) -> list[str]:
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"]
    scheme = ["--blink-settings=preferredColorScheme=0"] if dark else []  # 0 is dark in Blink's enum
    return [chromium() or "chromium", *flags, f"--user-data-dir={profile}", f"--window-size={width},{height}", *scheme]


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("html-checked")
    return {name: build(source, out, "html") / f"{source.stem}.html" for name, source in SOURCES.items()}


@pytest.fixture(scope="module")
def figure_page(tmp_path_factory) -> Path:
    """A page with a figure and an inline image, both embedded."""
    folder = tmp_path_factory.mktemp("html-figure")
    (folder / "dot.png").write_bytes(tiny_png(40, 20))
    body = "# 第1章 図\n\n本文です。\n\n![図1 テスト用の点](dot.png)\n\n文中の ![小さな点](dot.png) 画像。\n"
    (folder / "doc.md").write_text(FRONT + body.replace("# 第1章 図\n\n", "", 1), encoding="utf-8")
    return build(folder / "doc.md", folder / "out", "html") / "doc.html"


# --- Nu HTML checker ------------------------------------------------------------------------------


def need_vnu() -> None:
    need_client("java", shutil.which("java") is not None, "the Nu HTML checker runs on Java (apt-get install default-jre-headless)")
    need_client("vnu.jar", VNU.is_file(), "run `npm install` at the repository root (package.json lists vnu-jar)")


def vnu_errors(*files: Path) -> list[dict]:
    done = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, files)], capture_output=True, text=True, timeout=300)
    messages = json.loads(done.stderr or done.stdout)["messages"]
    return [m for m in messages if m.get("type") == "error" or m.get("subType") == "fatal"]


def test_nu_html_checker_finds_no_error(pages, figure_page):
    need_vnu()
    errors = vnu_errors(*pages.values(), figure_page)
    assert errors == [], [(Path(e.get("url", "")).name, e.get("lastLine"), e["message"]) for e in errors]


def test_nu_html_checker_would_see_an_error(tmp_path):
    need_vnu()
    broken = tmp_path / "broken.html"
    broken.write_text('<!DOCTYPE html><html lang="ja"><head><title>x</title></head><body><img src="data:,"></body></html>', encoding="utf-8")
    assert any("alt" in e["message"] for e in vnu_errors(broken))


# --- axe-core and layout in headless Chromium -----------------------------------------------------


def need_browser() -> None:
    need_client("chromium", chromium() is not None, "axe-core and the layout checks run in headless Chromium (apt-get install chromium)")
    need_client("axe-core", AXE.is_file(), "run `npm install` at the repository root (package.json lists axe-core)")


def phone_frame(html: str, width: int) -> str:
    """A wrapper page holding ``html`` in a frame ``width`` pixels wide (srcdoc keeps it same-origin)."""
    frame = f'<iframe title="page" style="border:0;display:block;width:{width}px;height:900px" srcdoc="{escape(html, quote=True)}"></iframe>'
    return f'<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>frame</title></head><body style="margin:0">{frame}</body></html>'


def probe(page: Path, tmp: Path, width: int, dark: bool) -> dict:
    """Layout facts and axe-core's violations for the page at this width and colour scheme."""
    html = CSP_META.sub("", page.read_text(encoding="utf-8"), count=1)
    injected = "<script>" + AXE.read_text(encoding="utf-8") + "</script>" + PROBE
    html = html.replace("</body>", injected + "</body>")
    if width < MIN_WINDOW:  # narrower than a window can be: the page goes in a frame of that width
        html = phone_frame(html, width)
    copy = tmp / f"probe-{width}-{int(dark)}.html"
    copy.write_text(html, encoding="utf-8")
    command = [*chromium_args(tmp / "profile", max(width, MIN_WINDOW), 900, dark), "--virtual-time-budget=60000", "--dump-dom", copy.as_uri()]
    done = subprocess.run(command, capture_output=True, text=True, timeout=180)
    found = lxml.html.fromstring(done.stdout or "<p></p>").xpath("//pre[@id='jpub-probe']")
    assert found, f"the probe did not report back: {done.stderr[-2000:]}"
    return json.loads(found[0].text_content())


def probe_all(pages: dict[str, Path], widths: tuple[int, ...], tmp: Path, dark: bool) -> dict[tuple[str, int], dict]:
    """What ``probe`` finds, for every page at every width, in one Chromium run: each view is a frame of its
    width (a frame is its page's viewport: media queries, innerWidth and sticky positions are the frame's),
    the frames one under another on a screen tall enough to show them all, so none is off screen."""
    script = "<script>" + AXE.read_text(encoding="utf-8") + "</script>"
    frames = []
    for name, page in pages.items():
        html = CSP_META.sub("", page.read_text(encoding="utf-8"), count=1)
        for width in widths:
            probe_script = PROBE.replace("'jpub-probe'", f"'jpub-probe-{name}-{width}'")
            copy = escape(html.replace("</body>", script + probe_script + "</body>"), quote=True)
            frames.append(f'<iframe title="{name} {width}" style="border:0;display:block;width:{width}px;height:900px" srcdoc="{copy}"></iframe>')
    wrapper = '<!DOCTYPE html><html lang="ja" style="overflow:hidden"><head><meta charset="utf-8"><title>frames</title></head>'
    wrapper += f'<body style="margin:0">{"".join(frames)}</body></html>'
    path = tmp / f"probe-all-{int(dark)}.html"
    path.write_text(wrapper, encoding="utf-8")
    size = (max(*widths, MIN_WINDOW), 900 * len(frames))
    command = [*chromium_args(tmp / "profile", *size, dark), "--virtual-time-budget=60000", "--dump-dom", path.as_uri()]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    dom = lxml.html.fromstring(done.stdout or "<p></p>")
    found = {}
    for name in pages:
        for width in widths:
            reported = dom.xpath(f"//pre[@id='jpub-probe-{name}-{width}']")
            assert reported, f"the probe of {name} at {width}px did not report back: {done.stderr[-2000:]}"
            found[name, width] = json.loads(reported[0].text_content())
    return found


@pytest.fixture(scope="module")
def views(pages, tmp_path_factory):
    """Every page at both widths, light or dark: one Chromium run per colour scheme, made when first asked."""
    made: dict[bool, dict[tuple[str, int], dict]] = {}

    def facts(name: str, width: int, dark: bool) -> dict:
        if dark not in made:
            made[dark] = probe_all(pages, (WIDE, PHONE), tmp_path_factory.mktemp("views"), dark)
        return made[dark][name, width]

    return facts


VIEWS = [(name, width, dark) for name in sorted(SOURCES) for width in (WIDE, PHONE) for dark in (False, True)]


@pytest.mark.parametrize(("name", "width", "dark"), VIEWS, ids=[f"{n}-{w}px-{'dark' if d else 'light'}" for n, w, d in VIEWS])
def test_axe_finds_no_violation_and_the_layout_fits(views, name, width, dark):
    need_browser()
    facts = views(name, width, dark)
    assert facts["width"] == width and facts["dark"] is dark
    assert facts["violations"] == []
    assert facts["resources"] == []  # nothing fetched, even with the page's policy taken out
    assert facts["overflow"] <= 0  # nothing wider than a phone's screen
    assert "Noto Sans CJK JP" in facts["fontFamily"] and "Hiragino Sans" in facts["fontFamily"]
    if dark:
        assert facts["background"] != "rgb(255, 255, 255)"
    # the permalinks show on hover or focus only, touch screens included
    assert (facts["permalinkIdle"], facts["permalinkFocused"]) == ("0", "1")
    assert all(table["inside"] and table["sticky"] == "sticky" for table in facts["tables"])
    if name == "figures":  # the 10-column and the landscape tables scroll in their own regions, not the page
        assert sum(table["scrolls"] for table in facts["tables"]) >= 2
    if width == WIDE:
        assert 35 <= facts["measure"] <= 40  # full-width characters per line
        assert (facts["tocNarrow"], facts["tocWide"], facts["tocWidePosition"]) == ("none", "block", "sticky")
        rows: dict[int, set[int]] = {}
        for top, height in facts["cards"]:
            rows.setdefault(top, set()).add(height)
        assert all(len(heights) == 1 for heights in rows.values())  # the overview's cards of a row as tall as each other
        assert facts["cards"] or name == "figures"  # (the figures fixture has no overview)
    else:
        assert facts["measure"] < 35
        assert (facts["tocNarrow"], facts["tocWide"]) == ("block", "none")
        # one contents on a phone (the closed 目次, not the overview beside it): the text starts on the first screen
        assert facts["overview"] == "none"
        assert facts["textTop"] < facts["viewportHeight"]


def test_axe_finds_no_violation_in_a_page_with_images(figure_page, tmp_path):
    need_browser()
    facts = probe(figure_page, tmp_path, WIDE, False)
    assert facts["violations"] == [] and facts["resources"] == []


@pytest.mark.parametrize("width", [WIDE, PHONE])
def test_axe_would_see_a_violation(tmp_path, width):
    need_browser()
    page = tmp_path / "bad.html"
    page.write_text('<!DOCTYPE html><html><head><title>x</title></head><body><main><p>本文</p><img src="data:,"></main></body></html>', encoding="utf-8")
    facts = probe(page, tmp_path, width, False)
    assert facts["width"] == width
    assert {"html-has-lang", "image-alt", "page-has-heading-one"} <= {v["id"] for v in facts["violations"]}


def test_axe_would_see_a_violation_in_every_frame_of_one_run(tmp_path):
    need_browser()
    bad = '<!DOCTYPE html><html><head><title>x</title></head><body><main><p>本文</p><img src="data:,"></main></body></html>'
    (tmp_path / "bad.html").write_text(bad, encoding="utf-8")
    (tmp_path / "good.html").write_text(bad.replace("<html>", '<html lang="ja">').replace('src="data:,"', 'src="data:," alt="点"'), encoding="utf-8")
    found = probe_all({"bad": tmp_path / "bad.html", "good": tmp_path / "good.html"}, (WIDE, PHONE), tmp_path, True)
    for width in (WIDE, PHONE):
        assert found["bad", width]["width"] == found["good", width]["width"] == width and found["bad", width]["dark"]
        assert {"html-has-lang", "image-alt", "page-has-heading-one"} <= {v["id"] for v in found["bad", width]["violations"]}
        assert {v["id"] for v in found["good", width]["violations"]} == {"page-has-heading-one"}


# --- print -----------------------------------------------------------------------------------------


def test_print_shows_the_summary_and_text_without_navigation(pages, tmp_path):
    need_browser()
    need_system("pdftotext")
    pdf = tmp_path / "printed.pdf"
    command = [*chromium_args(tmp_path / "profile", WIDE, 900, False), "--no-pdf-header-footer", f"--print-to-pdf={pdf}", pages["chapters"].as_uri()]
    subprocess.run(command, capture_output=True, timeout=180, check=True)
    text = re.sub(r"\s+", "", subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout)
    assert "令和6年度地域防災計画の概要" in text and "市内全域を対象とする。" in text
    for hidden in ("本文へ移動", "この文書の構成", "目次", "ページの先頭へ戻る", "#"):
        assert hidden not in text, hidden
