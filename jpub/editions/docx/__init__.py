"""The Word edition: pandoc's DOCX against a generated reference document, finished part by part."""

from jpub.editions.record import Edition, lazy

EDITION = Edition(
    name="docx",
    suffix=".docx",
    render=lazy("jpub.editions.docx.writer", "render"),
    reader=lazy("jpub.verify.docx", "reader"),
    fonts=lambda settings: (settings.docx_serif_font, settings.docx_sans_font),
    nested_outline=False,
    toc_below_chapter=0,
)
