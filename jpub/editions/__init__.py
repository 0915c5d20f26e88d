"""The editions: one record each (jpub/editions/<name>/__init__.py), one table. Adding an edition is one
new subpackage with its writer, a reader in jpub/verify/, its templates in templates/<name>/, and one row."""

from __future__ import annotations

from jpub.editions import docx, html, pdf  # noqa: I001  (after the record they import)
from jpub.editions.record import Edition

EDITIONS: dict[str, Edition] = {edition.name: edition for edition in (pdf.EDITION, docx.EDITION, html.EDITION)}
FORMATS: tuple[str, ...] = tuple(EDITIONS)
