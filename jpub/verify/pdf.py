"""Reading the PDF edition back: bookmarks, and each page's body text from the tagged structure (running
heads, folios and list bullets left out), and the 目次 pages."""

from __future__ import annotations

import functools
from pathlib import Path

from pypdf import PdfReader

from jpub.verify.readers import ReadHeading, normalise


@functools.lru_cache(maxsize=4)
def _reader(path: str, _mtime_ns: int, _size: int) -> PdfReader:
    return PdfReader(path)


def open_pdf(path: Path) -> PdfReader:
    """One parsed reader per file version: verify reads bookmarks, page texts and fonts of the same PDF."""
    stat = Path(path).stat()
    return _reader(str(path), stat.st_mtime_ns, stat.st_size)


def pdf_outline(path: Path) -> list[ReadHeading]:
    """The bookmarks as (depth, title), walking /First and /Next. pypdf's own ``outline`` also resolves
    every destination to its page, which is quadratic in the page count (seconds on a long document)."""
    root = open_pdf(path).trailer["/Root"].get_object()
    found: list[ReadHeading] = []

    def walk(parent, level: int) -> None:
        item = parent.get("/First")
        seen = 0
        while item is not None and seen < 100_000:
            item, seen = item.get_object(), seen + 1
            found.append(ReadHeading(level, str(item.get("/Title", ""))))
            if "/First" in item:
                walk(item, level + 1)
            item = item.get("/Next")

    if "/Outlines" in root:
        walk(root["/Outlines"].get_object(), 1)
    return found


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in open_pdf(path).pages)


# Tags of the structure elements that hold only running headers, footers and page numbers (WeasyPrint tags
# margin boxes as a Span straight under a NonStruct of the Document) and of list labels (the bullets).
_FURNITURE_TAGS = frozenset({"/Span", "/NonStruct", "/Document"})
_LABEL_TAGS = frozenset({"/Lbl", "/Artifact"})


def _number_tree(node, found: dict[int, object]) -> None:
    node = node.get_object()
    nums = node.get("/Nums")
    if nums is not None:
        for i in range(0, len(nums) - 1, 2):
            found[int(nums[i])] = nums[i + 1]
    for kid in node.get("/Kids") or ():
        _number_tree(kid, found)


def _ancestor_tags(element) -> list[str]:
    tags = []
    while element is not None and "/S" in element and len(tags) < 64:
        tags.append(str(element["/S"]))
        parent = element.get("/P")
        element = parent.get_object() if parent is not None else None
    return tags


def _is_furniture(element) -> bool:
    tags = _ancestor_tags(element)
    return bool(tags) and (set(tags) <= _FURNITURE_TAGS or bool(_LABEL_TAGS & set(tags)))


def _furniture(reference, memo: dict) -> bool:
    key = (reference.idnum, reference.generation) if hasattr(reference, "idnum") else id(reference)
    if key not in memo:
        memo[key] = _is_furniture(reference.get_object())
    return memo[key]


def _page_body_text(page, parents, memo: dict) -> str:
    """The page's text in content order, leaving out marked content that is page furniture or a list label."""
    if parents is None:
        return page.extract_text() or ""
    parents = parents.get_object()
    current: list[int | None] = [None]
    pieces: list[str] = []

    def before(operator, operands, _cm, _tm) -> None:
        if operator == b"BDC":
            properties = operands[1] if len(operands) > 1 else None
            mcid = properties.get("/MCID") if hasattr(properties, "get") else None
            current[0] = int(mcid) if mcid is not None else None
        elif operator == b"EMC":
            current[0] = None

    def text(value, _cm, _tm, _font, _size) -> None:
        mcid = current[0]
        if mcid is not None and 0 <= mcid < len(parents) and parents[mcid] is not None:
            if _furniture(parents[mcid], memo):
                return
        pieces.append(value)

    page.extract_text(visitor_operand_before=before, visitor_text=text)
    return "".join(pieces)


def pdf_page_texts(path: Path) -> list[str]:
    """Each page's body text: running headers, footers, page numbers and list bullets left out (read from the
    tagged structure; an untagged PDF gives each page's whole text)."""
    reader = open_pdf(path)
    root = reader.trailer["/Root"].get_object()
    tree = root.get("/StructTreeRoot")
    table: dict[int, object] = {}
    if tree is not None and "/ParentTree" in tree.get_object():
        _number_tree(tree.get_object()["/ParentTree"], table)
    texts: list[str] = []
    memo: dict = {}
    for page in reader.pages:
        key = page.get("/StructParents")
        texts.append(_page_body_text(page, table.get(int(key)) if key is not None and table else None, memo))
    return texts


def pdf_body_text(path: Path) -> str:
    return "\n".join(pdf_page_texts(path))


TOC_TITLE = "目次"


def pdf_toc_text(path: Path, pages: list[str] | None = None) -> str | None:
    """The text of the 目次 pages: from the page that starts with 目次 to the page before the first bookmark.
    ``pages`` are the page texts when already read (pdf_page_texts)."""
    texts = pages if pages is not None else pdf_page_texts(path)
    start = next((i for i, t in enumerate(texts) if normalise(t).startswith(TOC_TITLE)), None)
    if start is None:
        return None
    reader = open_pdf(path)
    first = next((item for item in reader.outline if not isinstance(item, list)), None)
    end = reader.get_destination_page_number(first) if first is not None else start + 1
    return "\n".join(texts[start : max(end, start + 1)])


# --- DOCX: body text in document order, and the TOC field's cached entries --------------------------------
