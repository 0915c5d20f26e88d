"""Command line: ``python build.py [pdf] [docx] [html] [check] [verify] [--source FILE] [--out DIR]``, and
``python build.py preview [--port N]``.

Arguments and reporting only; the stages are in jpub/pipeline.py."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from jpub import diagnostics, pipeline, source_folder
from jpub.diagnostics import Diagnostic
from jpub.editions import FORMATS
from jpub.errors import DocumentError
from jpub.publication import Publication

TARGETS = (*FORMATS, "check", "verify", "preview")
SOURCE_DIR = Path("source")
KEPT = "エラーがあるため出力を作りませんでした（既存の出力はそのままです）"


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # usage errors exit 2 with one clear line
        raise UsageError(message)


def program() -> str:
    """What the user typed: build.py in this repository, else the installed jpub (or python -m jpub)."""
    return "build.py" if Path(sys.argv[0]).name == "build.py" else "jpub"


def parser() -> argparse.ArgumentParser:
    p = _Parser(prog=program(), description="Build the PDF, Word and HTML editions of a Japanese document from one Markdown source.")
    p.add_argument("targets", nargs="*", metavar="target", help=f"any of {', '.join(TARGETS)}; none means {' '.join(FORMATS)} ('new DIR' starts a project)")
    p.add_argument("--source", type=Path, help="the Markdown source (default: every document in source/, one after another)")
    p.add_argument("--out", type=Path, default=Path("output"), help="output directory (default: output/)")
    p.add_argument("--format", choices=("text", "json"), default="text", help="diagnostics format for check")
    p.add_argument("--pdf-variant", choices=("pdf/ua-1", "pdf/a-3b", "pdf/a-2b", "none"), help="PDF standard to follow (default pdf/ua-1)")
    p.add_argument("--crop-marks", action="store_true", default=None, help="crop marks and 3 mm bleed in the PDF")
    p.add_argument("--fix", action="store_true", help="with check: repair in place what cannot change the meaning, printing a diff")
    p.add_argument("--dry-run", action="store_true", help="with check --fix: print the diff only")
    p.add_argument("--port", type=int, default=8400, help="preview: the port on 127.0.0.1 (default 8400; 0 picks a free one)")
    p.add_argument("--quiet", action="store_true", help="print errors only")
    p.add_argument("--debug", action="store_true", help="show tracebacks")
    return p


def default_source() -> Path:
    found = source_folder.documents(SOURCE_DIR)
    if not found:
        raise UsageError(f"{SOURCE_DIR.resolve()}/ に文書（.md ファイル）がありません。--source で指定するか、{program()} new DIR で始めてください")
    return found[0]


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def report(found: list[Diagnostic], args: argparse.Namespace, targets: list[str]) -> None:
    """check prints to stdout (text or JSON) and a count on stderr; a build prints its diagnostics on stderr.
    --quiet: errors only."""
    shown = [d for d in found if d.severity == "error"] if args.quiet else found
    if "check" in targets:
        sys.stdout.write(diagnostics.as_json(shown) if args.format == "json" else diagnostics.as_text(shown))
        errors = sum(d.severity == "error" for d in found)
        if not args.quiet:
            _log(f"check: エラー {errors} 件、警告 {len(found) - errors} 件")
    else:
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
            if args.fix:
                return fix(pub, found, args, source)
        report(found, args, targets)
        if diagnostics.has_errors(found):
            if editions:
                _log(KEPT)
            return 1
        if editions:
            outputs = pipeline.render(pub, editions)
            for output, path in zip(outputs, pipeline.write(outputs, pub, args.out), strict=True):
                if not args.quiet:
                    _log(f"{output.edition:<5} {path}  {len(output.data) / 1024:.0f} KiB  {output.seconds:.2f} s")
    if "verify" in targets:
        from jpub import verify

        return verify.run(source, args.out, args.quiet)
    return 0


def fix(pub: Publication, found: list[Diagnostic], args: argparse.Namespace, source: Path) -> int:
    """check --fix: the diff of the repairs on stdout, then (unless --dry-run) what the checks still find."""
    from jpub import autofix

    patch, changes = autofix.run(pub, found, args.dry_run)
    sys.stdout.write(patch)
    made = sum(change.edits for change in changes)
    if args.dry_run:
        _log(f"check --fix --dry-run: {len(changes)} ファイルの {made} か所を直せます（書き込んでいません）")
        return 0
    _log(f"check --fix: {len(changes)} ファイルの {made} か所を直しました")
    remaining = pipeline.check(pipeline.prepare(source)) if changes else found
    report(remaining, args, ["check"])
    return 1 if diagnostics.has_errors(remaining) else 0


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["new"]:
        from jpub import scaffold

        return scaffold.main(argv[1:])
    args = None
    try:
        args = parser().parse_args(argv)
        unknown = [t for t in args.targets if t not in TARGETS]
        if unknown:
            raise UsageError(f"不明なターゲット: {', '.join(unknown)}（有効: {', '.join(TARGETS)}）")
        if (args.fix and args.targets != ["check"]) or (args.dry_run and not args.fix):
            raise UsageError("--fix は check だけと、--dry-run は check --fix と一緒に使います")
        targets = list(args.targets) or list(FORMATS)
        several = source_folder.documents(SOURCE_DIR) if args.source is None and "preview" not in targets else []  # a preview shows one
        if len(several) > 1:  # every document of source/, each as if named with --source
            json_check = "check" in targets and args.format == "json"
            return source_folder.each(several, lambda source: main([*argv, "--source", str(source)]), args.quiet, json_check)
        return build(args, targets)
    except UsageError as exc:
        _log(f"{program()}: 使い方の誤り: {exc}")
        _log(f"{program()} --help で使い方を表示します")
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
        _log(f"{program()}: 中断しました（既存の出力はそのままです）")
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
