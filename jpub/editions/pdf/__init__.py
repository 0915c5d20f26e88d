"""The print edition: HTML for print, typeset by WeasyPrint."""

from jpub.editions.record import Edition, lazy

EDITION = Edition(
    name="pdf",
    suffix=".pdf",
    render=lazy("jpub.editions.pdf.writer", "render"),
    reader=lazy("jpub.verify.pdf", "reader"),
    fonts=lambda settings: (settings.serif_font, settings.sans_font, settings.mono_font),
    nested_outline=True,
    toc_below_chapter=0,
    adds_text=lazy("jpub.editions.pdf.links", "printed_text"),
)
