"""An image in the source reaches every edition: embedded in the Word file and the web page, drawn in the PDF."""

from __future__ import annotations

import zipfile

from pypdf import PdfReader

from jpub import cli

from .test_html_images import tiny_png


def test_image_in_every_edition(tmp_path):
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "chart.png").write_bytes(tiny_png())
    source = tmp_path / "doc.md"
    source.write_text("---\ntitle: T\n---\n# 第1章 図\n\n![研究公正の体制図](img/chart.png)\n\n本文。\n", encoding="utf-8")
    out = tmp_path / "out"
    assert cli.main(["--source", str(source), "--out", str(out)]) == 0
    with zipfile.ZipFile(out / "doc.docx") as package:
        media = [name for name in package.namelist() if name.startswith("word/media/")]
        assert len(media) == 1 and package.read(media[0]) == tiny_png()
    assert "data:image/png;base64," in (out / "doc.html").read_text(encoding="utf-8")
    drawn = {image.data for page in PdfReader(str(out / "doc.pdf")).pages for image in page.images}
    assert len(drawn) == 1  # WeasyPrint shares one image resource among the pages


def test_pdf_figure_caption_is_centred_under_its_image(tmp_path):
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "chart.png").write_bytes(tiny_png())
    source = tmp_path / "doc.md"
    source.write_text("---\ntitle: T\n---\n# 第1章 図\n\n![研究公正の体制図](img/chart.png)\n\n本文。\n", encoding="utf-8")
    assert cli.main(["pdf", "--source", str(source), "--out", str(tmp_path)]) == 0
    reader = PdfReader(str(tmp_path / "doc.pdf"))
    found: list[tuple[float, float]] = []

    def visit(text, cm, tm, font, size):
        if "研究公正" in text:
            found.append((cm[0] * tm[4] + cm[2] * tm[5] + cm[4], float(reader.pages[page].mediabox.width)))

    for page in range(len(reader.pages)):
        reader.pages[page].extract_text(visitor_text=visit)
    ((x, width),) = found[:1]
    caption_width = 8 * 9  # eight full-width characters at 9 pt
    assert abs((x + caption_width / 2) - width / 2) < 6  # centred on the page's (symmetric) measure
