"""Command line: ``python build.py [pdf] [docx] [html] [check] [verify] [--source FILE] [--out DIR]``."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Sequence

from . import checks, diagnostics, publication
from .errors import DocumentError
from .outputs import write_atomically
from .templating import FORMATS

TARGETS = ("pdf", "docx", "html", "check", "verify")
SOURCE_DIR = Path("source")


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # usage errors exit 2 with one clear line
        raise UsageError(message)


def parser() -> argparse.ArgumentParser:
    p = _Parser(prog="build.py", description="Build the PDF, Word and HTML editions of a Japanese document from one Markdown source.")
    p.add_argument("targets", nargs="*", metavar="target", help=f"any of {', '.join(TARGETS)}; none means pdf docx html")
    p.add_argument("--source", type=Path, help="the Markdown source (default: the one .md file in source/)")
    p.add_argument("--out", type=Path, default=Path("output"), help="output directory (default: output/)")
    p.add_argument("--format", choices=("text", "json"), default="text", help="diagnostics format for check")
    p.add_argument("--pdf-variant", choices=("pdf/ua-1", "pdf/a-3b", "pdf/a-2b", "none"), help="PDF standard to follow (default pdf/ua-1)")
    p.add_argument("--crop-marks", action="store_true", default=None, help="crop marks and 3 mm bleed in the PDF")
    p.add_argument("--debug", action="store_true", help="show tracebacks")
    return p


def default_source() -> Path:
    candidates = sorted(SOURCE_DIR.glob("*.md"))
    if len(candidates) != 1:
        found = ", ".join(str(c) for c in candidates) or "なし"
        raise UsageError(f"source/ 直下の .md ファイルは 1 つのはずが {len(candidates)} 個です（{found}）。--source で指定してください")
    return candidates[0]


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def build(args: argparse.Namespace, targets: list[str]) -> int:
    source = args.source or default_source()
    overrides = {"pdf_variant": args.pdf_variant, "crop_marks": args.crop_marks}
    src, settings, meta, variables = publication.read(source, overrides)
    editions = [t for t in targets if t in FORMATS]
    renderings = publication.render(src, variables, FORMATS)
    found = diagnostics.sort(checks.run(src, renderings, settings))
    if "check" in targets and args.format == "json":
        sys.stdout.write(diagnostics.as_json(found))
    elif found:
        (sys.stdout if "check" in targets else sys.stderr).write(diagnostics.as_text(found))
    if diagnostics.has_errors(found):
        if editions:
            _log("エラーがあるため出力を作りませんでした（既存の出力はそのままです）")
        return 1
    if editions:
        from .editions import EDITIONS

        documents = publication.parse({f: renderings[f] for f in editions})
        pub = publication.Publication(src, settings, meta, variables, documents)
        for name in editions:
            edition = EDITIONS[name]
            started = time.perf_counter()
            data = edition.render(pub)
            target = args.out / f"{source.stem}{edition.suffix}"
            write_atomically(target, data)
            _log(f"{name:<5} {target}  {time.perf_counter() - started:.2f} s")
    if "verify" in targets:
        from . import verify

        return verify.run(source, args.out)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = None
    try:
        args = parser().parse_args(argv)
        unknown = [t for t in args.targets if t not in TARGETS]
        if unknown:
            raise UsageError(f"不明なターゲット: {', '.join(unknown)}（有効: {', '.join(TARGETS)}）")
        targets = list(args.targets) or list(FORMATS)
        return build(args, targets)
    except UsageError as exc:
        _log(f"build.py: 使い方の誤り: {exc}")
        _log("build.py --help で使い方を表示します")
        return 2
    except DocumentError as exc:
        if args is not None and args.debug:
            raise
        _log(diagnostics.as_text(exc.diagnostics).rstrip())
        return 1
    except OSError as exc:
        if args is not None and args.debug:
            raise
        _log(f"{exc.filename or ''}: error: {exc.strerror or exc}")
        return 1
