"""``srtk``: run and curate a review folder from anywhere.

* ``srtk run [REVIEW] [--cores N] [snakemake options ...]`` - the workflow on one review, with the
  interpreter ``srtk`` is installed in (a thin wrapper over ``python -m snakemake``);
* ``srtk init REVIEW`` - a new review folder: a commented ``config.yaml`` and the two curation CSVs
  with their headers and one example row each;
* ``srtk curate validate|set|export|import [REVIEW] ...`` - the ``python -m evidence curate``
  commands with the files taken from the review's config;
* ``srtk curate serve [REVIEW] [--port PORT]`` - the curation web app on 127.0.0.1.

REVIEW is a review folder (or its ``config.yaml``); left out, it is the current folder when that
holds a ``config.yaml``, else the bundled example.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

from evidence import runlock
from evidence.curation.errors import CurationError
from evidence.review import CONFIG_NAME, REPO, Review, ReviewError, load_review

SNAKEFILE = REPO / "Snakefile"
CURATE_COMMANDS = ("validate", "set", "export", "import", "serve")

USAGE = """usage: srtk run [REVIEW] [--cores N] [snakemake options ...]
       srtk init REVIEW [--title TITLE] [--force]
       srtk curate {validate,set,export,import} [REVIEW] [options of `python -m evidence curate ...`]
       srtk curate serve [REVIEW] [--port PORT] [--curator NAME]   (the curation web app, 127.0.0.1 only)

Run, create and curate a review folder (config.yaml, manual_entries.csv, corrections.csv, pdfs/).
REVIEW left out: the current folder if it holds a config.yaml, else the bundled example."""


def _is_review(arg: str) -> bool:
    path = Path(arg)
    return (path.is_dir() and (path / CONFIG_NAME).is_file()) or (path.is_file() and path.suffix in (".yaml", ".yml"))


def _split_review(args: Sequence[str]) -> tuple[Review, list[str]]:
    """The review named among ``args`` (a folder with a config.yaml, or a .yaml file) and the rest."""
    rest = list(args)
    for i, arg in enumerate(rest):
        if not arg.startswith("-") and _is_review(arg):
            del rest[i]
            return load_review(arg), rest
    here = Path.cwd()
    return load_review(here if (here / CONFIG_NAME).is_file() else None), rest


PATH_OPTIONS = ("--report", "--directory", "-d")
"""Snakemake options whose path ``srtk run`` makes absolute (read from the folder srtk runs in,
not from the review's output folder Snakemake changes to)."""


def _absolute_paths(args: Sequence[str]) -> list[str]:
    out = list(args)
    for i, arg in enumerate(out):
        option, eq, value = arg.partition("=")
        if eq and option in PATH_OPTIONS:
            out[i] = f"{option}={Path(value).absolute()}"
        elif arg in PATH_OPTIONS and i + 1 < len(out):
            out[i + 1] = str(Path(out[i + 1]).absolute())
    return out


def output_folder(review: Review, args: Sequence[str]) -> Path:
    """The folder Snakemake works in: ``--directory OUT`` among ``args``, else ``review.output``."""
    for i, arg in enumerate(args):
        option, eq, value = arg.partition("=")
        if eq and option == "--directory":
            return Path(value).absolute()
        if arg in ("-d", "--directory") and i + 1 < len(args):
            return Path(args[i + 1]).absolute()
    return review.output


def snakemake_command(review: Review, args: Sequence[str]) -> list[str]:
    """The Snakemake command line ``srtk run`` executes for ``review``."""
    args = _absolute_paths(args)
    cmd = [sys.executable, "-m", "snakemake", "--snakefile", str(SNAKEFILE), "--configfile", str(review.config_path)]
    if not any(a in ("-d", "--directory") or a.startswith("--directory=") for a in args):
        cmd += ["--directory", str(review.output)]
    return cmd + args


NON_EXECUTING = frozenset({
    "-n", "--dry-run", "--dryrun", "--unlock", "--report", "--lint", "-S", "--summary", "-D",
    "--detailed-summary", "-l", "--list-rules", "--list", "--lt", "--list-target-rules", "--dag",
    "--rulegraph", "--filegraph", "--d3dag", "--lc", "--list-changes", "--list-code-changes",
    "--list-input-changes", "--list-params-changes", "--lu", "--list-untracked", "--version", "-v",
    "-h", "--help", "--print-compilation", "--containerize", "--export-cwl", "--archive",
})
"""Snakemake options with which ``srtk run`` runs no job: it neither takes nor needs the run lock."""


def executes_jobs(args: Sequence[str]) -> bool:
    """Whether Snakemake with ``args`` runs jobs (not a dry run, report, listing, ...)."""
    for arg in args:
        option = arg.partition("=")[0]
        if option in NON_EXECUTING:
            return False
        if arg.startswith("-") and not arg.startswith("--") and arg[1:].isalpha() and "n" in arg[1:]:
            return False  # a cluster of short flags such as -np
    return True


def _recover(output: Path) -> None:
    """Clear the Snakemake locks a killed run left: called with the srtk lock held, and refused
    while a process of another run (plain Snakemake, or orphaned jobs) works in the folder."""
    stale = runlock.stale_snakemake_locks(output)
    if not stale:
        return
    others = runlock.live_snakemake(output)
    if others:
        raise ReviewError(
            f"a run not started by srtk, or the jobs of a killed one, are live in {output} (PID "
            f"{', '.join(map(str, others))}); wait for them to finish, or stop them first")
    runlock.clear_snakemake_locks(output)
    print(f"srtk run: cleared the lock left by an interrupted run in {output / '.snakemake'} "
          "(no other run is live); incomplete outputs are re-made", file=sys.stderr)


def run(argv: Sequence[str]) -> int:
    """``srtk run``: check the review, then replace this process by Snakemake on it.

    A run that executes jobs holds the review's run lock (:mod:`evidence.runlock`) until Snakemake
    ends: a second one is refused naming the PID of the first, and a run after a killed one clears
    the stale Snakemake locks first (outputs left incomplete are re-made: ``rerun-incomplete`` in
    ``profiles/default``), so the plain command recovers.
    """
    if argv and not argv[0].startswith("-") and not _is_review(argv[0]):
        load_review(argv[0])  # raises ReviewError naming the folder
    review, rest = _split_review(argv)
    review.check_inputs()
    check_user_files(review)
    cmd = snakemake_command(review, rest)
    review.output.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "MPLBACKEND": os.environ.get("MPLBACKEND", "Agg")}
    if executes_jobs(rest) or "--unlock" in rest:  # --unlock too: never while another run is live
        output = output_folder(review, rest)
        try:
            runlock.acquire(output)  # inherited by Snakemake below: held until it ends
        except runlock.RunLockedError as err:
            raise ReviewError(str(err)) from None
        _recover(output)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(sys.executable, cmd, env)
    return 0  # not reached


def check_user_files(review: Review) -> None:
    """Read every user CSV of ``review`` as the workflow will; raise a CurationError naming each problem.

    Run before Snakemake starts, so a bad file is one message naming file, line and column instead
    of a failed job; notes (a file read as Windows-1252, say) go to stderr. The review's vocabulary
    becomes this process's (:func:`evidence.vocabulary.use`), as ``--vocabulary`` does.
    """
    from evidence import vocabulary
    from evidence.appraisal.assessments import read_assessments
    from evidence.appraisal.grade import read_judgements
    from evidence.curation import csvio
    from evidence.curation.corrections import load_corrections
    from evidence.curation.manual import load_manual

    vocabulary.use(review.vocabulary)
    problems = []
    readers = ((load_manual, review.manual_entries), (load_corrections, review.corrections),
               (read_assessments, review.optional_file("risk_of_bias")), (read_judgements, review.optional_file("grade")))
    for reader, path in readers:
        if path is None or not Path(path).is_file():
            continue
        for note in csvio.notes(path):
            print(f"note: {note}", file=sys.stderr)
        try:
            reader(path)
        except CurationError as exc:
            problems += exc.problems
    if problems:
        raise CurationError(problems, "the review's input files are invalid")


def _has(args: Sequence[str], option: str) -> bool:
    return any(a == option or a.startswith(option + "=") for a in args)


def curate_argv(review: Review, command: str, args: Sequence[str]) -> list[str]:
    """The ``python -m evidence`` arguments of ``srtk curate COMMAND`` on ``review``."""
    args = list(args)
    extracted = review.output / "tables" / "extracted"
    files: list[str] = []
    if command in ("validate", "set", "import") and not _has(args, "--corrections"):
        files += ["--corrections", str(review.corrections)]
    if command in ("validate", "set") and not _has(args, "--manual"):
        files += ["--manual", str(review.manual_entries)]
    if command in ("validate", "set") and not _has(args, "--extracted") and (extracted / "studies.tsv").is_file():
        files += ["--extracted", str(extracted)]
    if command == "export":
        if not _has(args, "--xlsx"):
            files.append("--xlsx")
        if not _has(args, "--curated"):
            files += ["--curated", str(review.output / "tables")]
        if not _has(args, "--out"):
            files += ["--out", str(review.output / "curation.xlsx")]
    return ["--vocabulary", str(review.config_path), "curate", command, *args, *files]


def serve(argv: Sequence[str]) -> int:
    """``srtk curate serve``: the curation web app on one review (loopback only)."""
    import argparse

    from evidence.curation.web import check_host
    from evidence.curation.web import serve as run_server

    parser = argparse.ArgumentParser(prog="srtk curate serve", description="The curation web app (127.0.0.1 only).")
    parser.add_argument("review", nargs="?", help="review folder (default: this folder if it holds a config.yaml, "
                                                  "else the bundled example)")
    parser.add_argument("--port", type=int, default=5000, help="port on 127.0.0.1 (default 5000)")
    parser.add_argument("--host", default="127.0.0.1", help="only 127.0.0.1 is accepted (the app has no login)")
    parser.add_argument("--curator", help="name written with every edit (default: the login name)")
    args = parser.parse_args(argv)
    review = load_review(args.review) if args.review else _split_review([])[0]
    try:
        check_host(args.host)
    except ValueError as exc:
        print(f"srtk curate serve: error: {exc}", file=sys.stderr)
        return 2
    run_server(review, port=args.port, host=args.host, curator=args.curator)
    return 0


def curate(argv: Sequence[str]) -> int:
    if not argv or argv[0] not in CURATE_COMMANDS:
        raise ReviewError(f"srtk curate: expected one of {', '.join(CURATE_COMMANDS)}; "
                          "other curate commands: python -m evidence curate --help")
    if argv[0] == "serve":
        return serve(argv[1:])
    from evidence.cli import main as evidence_main

    review, rest = _split_review(argv[1:])
    return evidence_main(curate_argv(review, argv[0], rest))


def init(argv: Sequence[str]) -> int:
    import argparse

    from evidence.review_init import init_review

    parser = argparse.ArgumentParser(prog="srtk init", description="Create a review folder.")
    parser.add_argument("review", type=Path, help="folder to create (or an empty existing one)")
    parser.add_argument("--title", default="My systematic review", help="the review's title")
    parser.add_argument("--force", action="store_true", help="overwrite the files srtk init writes")
    args = parser.parse_args(argv)
    written = init_review(args.review, title=args.title, force=args.force)
    for path in written:
        print(f"wrote {path}")
    print(f"next: edit {args.review / CONFIG_NAME}, add PDFs to {args.review / 'pdfs'} or values to "
          f"{args.review / 'manual_entries.csv'}, then: srtk run {args.review}")
    return 0


COMMANDS = {"run": run, "init": init, "curate": curate}


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help") or argv[0] not in COMMANDS:
        print(USAGE, file=sys.stderr if argv and argv[0] not in ("-h", "--help") else sys.stdout)
        return 0 if argv and argv[0] in ("-h", "--help") else 2
    try:
        return COMMANDS[argv[0]](argv[1:])
    except (ReviewError, CurationError, FileNotFoundError, FileExistsError) as exc:
        print(f"srtk {argv[0]}: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
