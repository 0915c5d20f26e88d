"""Experiment: the print edition's 部 laid out in two processes and joined, against one process.

    .venv/bin/python bench/parallel_parts.py [--factors 10 50] [--repeat 2]

The document is split at the 部 heading nearest the middle: part A (cover, 目次, the first 部) and part
B (the rest). Folios and the 目次's numbers must be right, and they are fixed while WeasyPrint lays a page
out, so the schedule counts first:

1. both parts are laid out side by side (forked processes), A with placeholder numbers for B's headings
   in its 目次: A's page count and where each of B's headings falls;
2. both are laid out again and written side by side: A with B's page numbers in its 目次, B with its
   folios starting after A (``@page :first { counter-reset: page N }``) and its footnotes numbered on;
3. pypdf joins the two files: pages and bookmarks.

The joined file is checked against the one-process PDF (same page count, same folio on every page, same
bookmarks), but it is not an edition: pypdf does not join structure trees, so it is not tagged (PDF/UA),
and the 目次's links into part B are lost. It measures the best case of the approach. Times are taken in
one process after the source is parsed and WeasyPrint imported, so both sides exclude the same fixed costs.
"""

from __future__ import annotations

import argparse
import copy
import io
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import lxml.html  # noqa: E402
from pypdf import PdfReader, PdfWriter  # noqa: E402
from scale import write_scaled  # noqa: E402
from weasyprint import CSS, HTML  # noqa: E402

from jpub import forked, gcpause, pipeline  # noqa: E402
from jpub.editions.pdf import writer as pdf  # noqa: E402

SEED = ROOT / "source" / "white-paper-summary.md"
_PART = re.compile(r"^第\d+部")


def split(document_html: str) -> tuple[lxml.html.HtmlElement, lxml.html.HtmlElement, int]:
    """Part A and part B as HTML trees, and how many footnotes A calls."""
    root = lxml.html.document_fromstring(document_html)
    main = root.find(".//main")
    children = list(main)
    starts = [i for i, el in enumerate(children) if el.tag == "h1" and _PART.match(el.text_content().strip())]
    sizes = [len(lxml.html.tostring(el)) for el in children]
    total, running, cut = sum(sizes), 0, starts[-1]
    for i, size in enumerate(sizes):
        if i in starts and i > starts[0] and running >= total / 2:
            cut = i
            break
        running += size
    a, b = copy.deepcopy(root), copy.deepcopy(root)
    for el in list(a.find(".//main"))[cut:]:
        el.getparent().remove(el)
    for el in list(b.find(".//main"))[:cut]:
        el.getparent().remove(el)
    for el in [*b.find_class("cover"), *b.iter("nav")]:  # B starts at its 部: no cover, no 目次
        el.getparent().remove(el)
    notes = sum(1 for el in a.iter("span") if "footnote" in (el.get("class") or "").split())
    return a, b, notes


def with_numbers(a: lxml.html.HtmlElement, pages: dict[str, str]) -> str:
    """A with literal page numbers in its 目次 for headings that are in B."""
    tree = copy.deepcopy(a)
    for link in tree.iterfind(".//nav//a"):
        target = (link.get("href") or "")[1:]
        if target in pages:
            link.set("data-page", pages[target])
    return lxml.html.tostring(tree, encoding="unicode", doctype="<!DOCTYPE html>")


def layout(html_text: str, css: list[CSS], base: str):
    return HTML(string=html_text, base_url=base).render(stylesheets=css)


def count(html_text: str, css: list[CSS], base: str) -> tuple[int, dict[str, int]]:
    document = layout(html_text, css, base)
    where = {anchor: index for index, page in enumerate(document.pages) for anchor in page.anchors}
    return len(document.pages), where


def write(html_text: str, css: list[CSS], base: str) -> bytes:
    return layout(html_text, css, base).write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True, custom_metadata=True)


def parallel(pub) -> tuple[bytes, dict[str, float]]:
    base = str(pub.source.path)
    a, b, notes = split(pdf.print_html(pub))
    css_text = pdf.stylesheet(pub)
    extra = ".toc a[data-page]::after { content: leader('.') attr(data-page); }"
    a_css = [CSS(string=css_text), CSS(string=extra)]
    b_ids = [el.get("id") for el in b.iter() if el.get("id")]
    placeholder = with_numbers(a, dict.fromkeys(b_ids, "000"))
    b_html = lxml.html.tostring(b, encoding="unicode", doctype="<!DOCTYPE html>")
    times, begin = {}, time.perf_counter()
    counting_b = forked.Forked(lambda: count(b_html, [CSS(string=css_text)], base))
    a_pages, _ = count(placeholder, a_css, base)
    _, b_where = counting_b.result()
    times["1 count"] = time.perf_counter() - begin
    numbers = {anchor: str(a_pages + index + 1) for anchor, index in b_where.items()}
    b_css = [CSS(string=css_text), CSS(string=f"@page :first {{ counter-reset: page {a_pages + 1} }} html {{ counter-reset: footnote {notes} }}")]
    begin = time.perf_counter()
    writing_b = forked.Forked(lambda: write(b_html, b_css, base))
    a_pdf = write(with_numbers(a, numbers), a_css, base)
    b_pdf = writing_b.result()
    times["2 lay out and write"] = time.perf_counter() - begin
    begin = time.perf_counter()
    joined = PdfWriter()
    joined.append(PdfReader(io.BytesIO(a_pdf)))
    joined.append(PdfReader(io.BytesIO(b_pdf)))
    out = io.BytesIO()
    joined.write(out)
    times["3 join"] = time.perf_counter() - begin
    return out.getvalue(), times


def page_texts(data: bytes) -> list[str]:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(data)
        handle.flush()
        text = subprocess.run(["pdftotext", "-layout", handle.name, "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]


def folios(data: bytes) -> list[str]:
    return [next((line.strip() for line in reversed(page.splitlines()) if line.strip()), "") for page in page_texts(data)]


def outline(data: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(data))

    def walk(items):
        for item in items:
            yield from walk(item) if isinstance(item, list) else [str(item.title)]

    return list(walk(reader.outline))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--factors", type=int, nargs="+", default=[10, 50])
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    print(f"{os.cpu_count()} CPUs", file=sys.stderr)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for factor in args.factors:
            pub = pipeline.prepare(write_scaled(SEED, factor, Path(tmp)), ["pdf"])
            best_one = best_two = float("inf")
            for _ in range(args.repeat):
                with gcpause.paused():  # as in a build
                    begin = time.perf_counter()
                    one = pdf.render(pub)
                    one_seconds = time.perf_counter() - begin
                    begin = time.perf_counter()
                    two, steps = parallel(pub)
                    two_seconds = time.perf_counter() - begin
                best_one, best_two = min(best_one, one_seconds), min(best_two, two_seconds)
                print(
                    f"{factor}×: one process {one_seconds:.2f} s, two {two_seconds:.2f} s: " + ", ".join(f"{k} {v:.2f} s" for k, v in steps.items()),
                    file=sys.stderr,
                )
            same = (folios(one) == folios(two), outline(one) == outline(two), page_texts(one) == page_texts(two))
            pages = len(PdfReader(io.BytesIO(one)).pages), len(PdfReader(io.BytesIO(two)).pages)
            rows.append(
                f"| {factor}× | {pages[0]} / {pages[1]} | {best_one:.2f} s | {best_two:.2f} s | {best_two / best_one:.2f}× | "
                + " | ".join("yes" if ok else "NO" for ok in same)
                + " |"
            )
    print("| size | pages (one / joined) | one process | two processes + join | ratio | same folios | same bookmarks | same text (目次 numbers too) |")
    print("|---|---|---:|---:|---:|---|---|---|")
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
