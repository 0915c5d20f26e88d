"""The web edition: one self-contained HTML file that loads nothing from anywhere."""

from jpub.editions.record import Edition, lazy

EDITION = Edition(
    name="html",
    suffix=".html",
    render=lazy("jpub.editions.html.writer", "render"),
    reader=lazy("jpub.verify.html", "reader"),
    fonts=lambda settings: (),
    nested_outline=False,
    toc_below_chapter=1,  # the web sidebar also lists what lies under each 章
)
