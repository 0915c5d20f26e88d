"""Page shells, stylesheets and Word style definitions: a document's own ``templates/`` first, then jpub's.

A file at ``templates/<name>`` in the folder of the source (``source/templates/html/web.css`` beside
``source/report.md``) replaces jpub's file of the same name for that document; every other name comes from
jpub. A page shell that includes or extends another template looks it up the same way.

A document's templates come from the same hands as its source, so they render in Jinja's sandbox too, and
a mistake in one is reported at its file and line.
"""

from __future__ import annotations

import functools
import importlib.resources
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from jpub.errors import DocumentError
from jpub.source import display_path

OVERRIDES = "templates"  # the folder beside a source that overrides jpub's templates


def packaged() -> Path:
    """jpub's own templates. An installed wheel carries them as ``jpub/templates`` (pyproject.toml maps the
    repository's ``templates/`` there); a checkout, run from the tree or installed editable, reads that
    top-level ``templates/`` itself, the one copy."""
    installed = importlib.resources.files("jpub") / "templates"
    if installed.is_dir():
        return Path(str(installed))
    return Path(__file__).resolve().parent.parent / "templates"


def folders(source_folder: Path) -> tuple[Path, ...]:
    """Where templates are looked up for a source in ``source_folder``, first match wins."""
    return (source_folder / OVERRIDES, packaged())


@functools.cache
def _environment(search: tuple[Path, ...]) -> jinja2.Environment:
    return SandboxedEnvironment(
        loader=jinja2.FileSystemLoader([str(folder) for folder in search]),
        autoescape=jinja2.select_autoescape(["html.j2"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render(name: str, source_folder: Path, **context: Any) -> str:
    search = folders(source_folder)
    try:
        return _environment(search).get_template(name).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        raise _error(exc, exc.filename, exc.lineno or 0) from None
    except jinja2.TemplateError as exc:
        filename, line = _failing_line(exc, search)
        raise _error(exc, filename, line) from None


def _failing_line(exc: BaseException, search: tuple[Path, ...]) -> tuple[str | None, int]:
    """The template file and line Jinja was running when it raised: its compiled code carries the file name."""
    roots = tuple(str(folder) for folder in search)
    found: tuple[str | None, int] = (None, 0)
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.startswith(roots):
            found = (tb.tb_frame.f_code.co_filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _error(exc: jinja2.TemplateError, filename: str | None, line: int) -> DocumentError:
    where = display_path(Path(filename)) if filename else "templates"
    return DocumentError.at(where, line, f"ページのテンプレートを処理できません: {exc.message or exc}", "page-template")


def path(name: str, source_folder: Path) -> Path:
    """The file that provides ``name`` for a source in ``source_folder``."""
    for folder in folders(source_folder):
        if (folder / name).is_file():
            return folder / name
    raise FileNotFoundError(2, "テンプレートがありません", str(packaged() / name))


def read(name: str, source_folder: Path) -> str:
    return path(name, source_folder).read_text(encoding="utf-8")
