"""Command line: ``python build.py [pdf] [docx] [html] [check] [verify] [--source FILE] [--out DIR]``."""

from __future__ import annotations

import argparse
import sys
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from jpub import checks, diagnostics, forked, gcpause, limits, preflight, publication, source_template
from jpub.errors import DocumentError
from jpub.outputs import write_all
from jpub.source_template import FORMATS

TARGETS = ("pdf", "docx", "html", "check", "verify")
SOURCE_DIR = Path("source")
KEPT = "エラーがあるため出力を作りませんでした（既存の出力はそのままです）"


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


class _Background(threading.Thread):
    """A task started now and waited for later; waiting joins the thread, so none is left running when the
    editions fork after it (forking a process with threads running risks the child inheriting a held lock).
    A build stopped by an error does not wait: the thread is a daemon and the process ends."""

    def __init__(self, task: Callable[[], None]):
        super().__init__(daemon=True)
        self._task, self._error = task, None
        self.start()

    def run(self) -> None:
        try:
            self._task()
        except BaseException as exc:  # raised again in the thread that waits
            self._error = exc

    def wait(self) -> None:
        self.join()
        if self._error is not None:
            raise self._error


def diagnose(src, renderings, settings, editions: list[str]) -> tuple[list[diagnostics.Diagnostic], dict | None, _Background | None]:
    """Limits first (pathological input stops there), then the checks, what the PDF needs, and pandoc's one
    parse (whose raw-HTML policy reports what it drops). Returns the diagnostics, the parse for the editions,
    and WeasyPrint's import under way when the PDF is to be built.

    For the PDF the checks run in a forked child while this process parses and imports WeasyPrint (half a
    second of loading libraries): in threads the import and the checks would take turns at one interpreter
    lock. The child is forked before the import's thread starts.
    """
    found = [d for r in renderings.values() for d in limits.check(r, src.display)]
    pdf = "pdf" in editions
    stopped = bool(found)

    def checked() -> list[diagnostics.Diagnostic]:
        more = [] if stopped else checks.run(src, renderings, settings)
        if pdf:
            more += preflight.check_pdf(settings, src.display, source_template.front_key_line(src, "publish"))
        if pdf or not editions:  # characters the print edition's fonts lack: for a PDF build and for check
            more += preflight.uncovered(renderings["pdf"], settings, src.display)
        return more

    if stopped:
        return diagnostics.sort(found + checked()), None, None

    def parsed() -> tuple[dict, _Background | None]:
        weasyprint = _Background(preflight.import_weasyprint) if pdf else None
        return publication.parse(renderings, src.display, src.path.parent), weasyprint

    (documents, weasyprint), found = forked.side_by_side(parsed, checked, fork=pdf)
    found += [note for document in documents.values() for note in document.notes]
    return diagnostics.sort(found), documents, weasyprint


def report(found: list[diagnostics.Diagnostic], args: argparse.Namespace, targets: list[str]) -> None:
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
    overrides = {"pdf_variant": args.pdf_variant, "crop_marks": args.crop_marks}
    src, settings, meta, variables = publication.read(source, overrides)
    editions = [t for t in targets if t in FORMATS]
    renderings = publication.render(src, variables, FORMATS)
    # verify alone reads the built files back; the checks belong to check and to building
    checking = bool(editions) or "check" in targets
    found, documents, weasyprint_ready = diagnose(src, renderings, settings, editions) if checking else ([], None, None)
    report(found, args, targets)
    if diagnostics.has_errors(found):
        if editions:
            _log(KEPT)
        return 1
    if editions:
        if weasyprint_ready is not None:
            weasyprint_ready.wait()
        pub = publication.Publication(src, settings, meta, variables, {f: documents[f] for f in editions})
        publish(pub, args.out)
    if "verify" in targets:
        from jpub import verify

        return verify.run(source, args.out)
    return 0


def publish(pub: publication.Publication, out: Path) -> None:
    """Render every edition, then write them all (a failure leaves earlier outputs as they were)."""
    from jpub.editions import EDITIONS

    outputs = render_editions(pub, list(pub.documents))
    targets = {name: out / f"{pub.source.path.stem}{EDITIONS[name].suffix}" for name in outputs}
    write_all({targets[name]: data for name, (data, _) in outputs.items()}, pub.inputs())
    for name, (data, seconds) in outputs.items():
        _log(f"{name:<5} {targets[name]}  {len(data) / 1024:.0f} KiB  {seconds:.2f} s")


def render_editions(pub: publication.Publication, editions: list[str]) -> dict[str, tuple[bytes, float]]:
    """Render the editions side by side: name → (bytes, seconds).

    WeasyPrint lays the PDF out in this process while the Word and web editions render in a forked copy of
    it, on another core. In threads they would wait for WeasyPrint's turn at the interpreter lock (only
    pandoc runs apart), slowing the PDF by as much as they take. Where the platform does not fork, threads.
    """
    others = [name for name in editions if name != "pdf"]
    with gcpause.paused():
        if "pdf" in editions and others and forked.available():
            results, beside = forked.side_by_side(lambda: _in_threads(pub, ["pdf"]), lambda: _in_threads(pub, others))
            results.update(beside)
        else:
            results = _in_threads(pub, editions)
    return {name: results[name] for name in editions}


def _in_threads(pub: publication.Publication, editions: list[str]) -> dict[str, tuple[bytes, float]]:
    from jpub.editions import EDITIONS

    def one(name: str) -> tuple[str, bytes, float]:
        begin = time.perf_counter()
        data = EDITIONS[name].render(pub)
        return name, data, time.perf_counter() - begin

    if len(editions) == 1:
        results = [one(editions[0])]
    else:
        with ThreadPoolExecutor(max_workers=len(editions)) as pool:
            results = list(pool.map(one, editions))
    return {name: (data, seconds) for name, data, seconds in results}


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
        if "check" in args.targets and args.format == "json":
            sys.stdout.write(diagnostics.as_json(exc.diagnostics))
        else:
            _log(diagnostics.as_text(exc.diagnostics).rstrip())
        if not args.targets or any(t in FORMATS for t in args.targets):
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
