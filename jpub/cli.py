"""Command line: ``python build.py [pdf] [docx] [html] [check] [verify] [--source FILE] [--out DIR]``, and
``python build.py preview [--port N]``.

Arguments and reporting only; the stages are in jpub/pipeline.py."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from jpub import diagnostics, pipeline
from jpub.diagnostics import Diagnostic
from jpub.editions import FORMATS
from jpub.errors import DocumentError

TARGETS = (*FORMATS, "check", "verify", "preview")
SOURCE_DIR = Path("source")
KEPT = "エラーがあるため出力を作りませんでした（既存の出力はそのままです）"


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # type: ignore[override]  # usage errors exit 2 with one clear line
        raise UsageError(message)


def parser() -> argparse.ArgumentParser:
    p = _Parser(prog="build.py", description="Build the PDF, Word and HTML editions of a Japanese document from one Markdown source.")
    p.add_argument("targets", nargs="*", metavar="target", help=f"any of {', '.join(TARGETS)}; none means {' '.join(FORMATS)}")
    p.add_argument("--source", type=Path, help="the Markdown source (default: the one .md file in source/)")
    p.add_argument("--out", type=Path, default=Path("output"), help="output directory (default: output/)")
    p.add_argument("--format", choices=("text", "json"), default="text", help="diagnostics format for check")
    p.add_argument("--pdf-variant", choices=("pdf/ua-1", "pdf/a-3b", "pdf/a-2b", "none"), help="PDF standard to follow (default pdf/ua-1)")
    p.add_argument("--crop-marks", action="store_true", default=None, help="crop marks and 3 mm bleed in the PDF")
    p.add_argument("--port", type=int, default=8400, help="preview: the port on 127.0.0.1 (default 8400; 0 picks a free one)")
    p.add_argument("--quiet", action="store_true", help="print errors only")
    p.add_argument("--debug", action="store_true", help="show tracebacks")
    return p


def default_source() -> Path:
    candidates = sorted(SOURCE_DIR.glob("*.md"))
    if len(candidates) != 1:
        found = ", ".join(str(c) for c in candidates) or "なし"
        where = SOURCE_DIR.resolve()
        raise UsageError(f"{where}/ 直下の .md ファイルは 1 つのはずが {len(candidates)} 個です（{found}）。--source で指定してください")
    return candidates[0]


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def report(found: list[Diagnostic], args: argparse.Namespace, targets: list[str]) -> None:
    """check prints to stdout (text or JSON) and a count on stderr; a build prints its diagnostics on stderr."""
    if "check" in targets:
        sys.stdout.write(diagnostics.as_json(found) if args.format == "json" else diagnostics.as_text(found))
        errors = sum(d.severity == "error" for d in found)
        _log(f"check: エラー {errors} 件、警告 {len(found) - errors} 件")
    else:
        shown = [d for d in found if d.severity == "error"] if args.quiet else found
        sys.stderr.write(diagnostics.as_text(shown))


def build(args: argparse.Namespace, targets: list[str]) -> int:
    source = args.source or default_source()
    if "preview" in targets:
        if len(targets) > 1:
            raise UsageError("preview は他のターゲットと一緒には指定できません")
        from jpub.preview import app

        return app.run(source, args.out, args.port, {"pdf_variant": args.pdf_variant, "crop_marks": args.crop_marks})
    editions = [t for t in targets if t in FORMATS]
    draft = pipeline.read(source, {"pdf_variant": args.pdf_variant, "crop_marks": args.crop_marks})
    if editions or "check" in targets:  # verify alone reads the built files back; the checks belong to building
        found = pipeline.guard(draft)
        if found:
            found += pipeline.preflight_only(draft, editions)
        else:
            pub = pipeline.parse(draft)
            found = pipeline.check(pub, editions)
        report(found, args, targets)
        if diagnostics.has_errors(found):
            if editions:
                _log(KEPT)
            return 1
        if editions:
            outputs = pipeline.render(pub, editions)
            for output, path in zip(outputs, pipeline.write(outputs, source, args.out), strict=True):
                _log(f"{output.edition:<5} {path}  {len(output.data) / 1024:.0f} KiB  {output.seconds:.2f} s")
    if "verify" in targets:
        from jpub import verify

        return verify.run(source, args.out)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = None
    try:
        args = parser().parse_args(argv)
        unknown = [t for t in args.targets if t not in TARGETS]
        if unknown:
            raise UsageError(f"不明なターゲット: {', '.join(unknown)}（有効: {', '.join(TARGETS)}）")
        return build(args, list(args.targets) or list(FORMATS))
    except UsageError as exc:
        _log(f"build.py: 使い方の誤り: {exc}")
        _log("build.py --help で使い方を表示します")
        return 2
    except DocumentError as exc:
        if args is not None and args.debug:
            raise
        if args is not None and "check" in args.targets and args.format == "json":
            sys.stdout.write(diagnostics.as_json(exc.diagnostics))
        else:
            _log(diagnostics.as_text(exc.diagnostics).rstrip())
        if args is None or not args.targets or any(t in FORMATS for t in args.targets):
            _log(KEPT)
        return 1
    except KeyboardInterrupt:
        _log("build.py: 中断しました（既存の出力はそのままです）")
        return 130
    except RecursionError:
        if args is not None and args.debug:
            raise
        where = args.source if args and args.source else "build.py"
        _log(f"{where}: error: 文書の入れ子が深すぎて処理できません（箇条書き・引用・強調の入れ子を浅くしてください） [limit-nesting]")
        return 1
    except OSError as exc:
        if args is not None and args.debug:
            raise
        _log(f"{exc.filename or 'build.py'}: error: ファイルの読み書きに失敗しました: {exc.strerror or exc}")
        return 1
