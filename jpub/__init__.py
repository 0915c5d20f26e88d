"""jpub: one Markdown source → print PDF, Word DOCX and HTML for numbered Japanese documents."""

__version__ = "0.1.0"
