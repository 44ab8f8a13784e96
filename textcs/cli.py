"""The ``textcs`` command line.

    textcs score data/samples/comments.csv -o out/scored.csv --sentences out/sentences.csv
    textcs preprocess data/samples/comments.csv -o out/preprocessed.csv
    textcs index out/scored.csv --sentences out/sentences.csv --by touchpoint -o out/index.csv
    textcs report out/scored.csv --sentences out/sentences.csv -o out/report.html

User errors (missing file or column, unknown format) end with a one-line message and exit code 2,
never a traceback.
"""

from __future__ import annotations

import sys
from collections import Counter
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Annotated, Optional

import pandas as pd
import typer
import typer.core

from .errors import TextcsError

class _OneLineErrors(typer.core.TyperGroup):
    """Usage errors (unknown option, bad value) as one line, ``textcs: error: ...``, exit code 2, so a
    scheduler's log shows the cause; Typer's default is a multi-line box."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        # Recent Typer vendors Click as typer._click; older releases use click itself.
        errors = (getattr(typer.core, "_click", None) or __import__("click")).exceptions
        try:
            rv = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except errors.NoArgsIsHelpError as exc:
            typer.echo(exc.ctx.get_help() if exc.ctx else exc.format_message(), err=True)
            sys.exit(exc.exit_code)
        except errors.ClickException as exc:
            ctx = getattr(exc, "ctx", None)
            command = ctx.command_path if ctx else "textcs"
            message = " ".join(exc.format_message().split())
            typer.echo(f"textcs: error: {message} (see '{command} --help')", err=True)
            sys.exit(exc.exit_code)
        except typer.Abort:
            typer.echo("textcs: aborted", err=True)
            sys.exit(130)
        sys.exit(rv if isinstance(rv, int) else 0)


app = typer.Typer(
    cls=_OneLineErrors,
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Service-quality insight from customer comments.",
)

READERS = {
    ".csv": lambda p: pd.read_csv(p, dtype=str, keep_default_na=False, na_values=[""]),
    ".tsv": lambda p: pd.read_csv(p, sep="\t", dtype=str, keep_default_na=False, na_values=[""]),
    ".jsonl": lambda p: pd.read_json(p, lines=True, dtype=False),
    ".parquet": pd.read_parquet,
}
WRITERS = {
    ".csv": lambda df, p: df.to_csv(p, index=False),
    ".tsv": lambda df, p: df.to_csv(p, sep="\t", index=False),
    ".jsonl": lambda df, p: df.to_json(p, orient="records", lines=True, force_ascii=False),
    ".parquet": lambda df, p: df.to_parquet(p, index=False),
}


# Options shared by the commands that read a comment file.
InputPath = Annotated[Path, typer.Argument(help="CSV, TSV, JSONL or Parquet file of comments (gzip too).")]
OutputPath = Annotated[Path, typer.Option("-o", "--output", help="Comment-level output file (format by extension).")]
TextColumn = Annotated[str, typer.Option("--text", help="Column holding the comment text.")]
BatchSize = Annotated[int, typer.Option(min=1, help="Comments per batch.")]
SentencesPath = Annotated[Optional[Path], typer.Option("--sentences", help="Also write one row per sentence here, with offsets.")]


def _fail(message: str) -> None:
    typer.echo(f"textcs: error: {message}", err=True)
    raise typer.Exit(code=2)


def _suffix(path: Path) -> str:
    suffixes = [s for s in path.suffixes if s != ".gz"]
    return suffixes[-1].lower() if suffixes else ""


def read_table(path: Path) -> pd.DataFrame:
    """Read CSV, TSV, JSONL or Parquet (optionally gzipped) by extension."""
    if not path.exists():
        _fail(f"input file not found: {path}")
    reader = READERS.get(_suffix(path))
    if reader is None:
        _fail(f"unknown input format {path.name!r}; use one of {', '.join(READERS)}")
    try:
        return reader(path)
    except (ValueError, OSError, UnicodeDecodeError) as exc:
        _fail(f"cannot read {path}: {exc}")
    raise AssertionError  # unreachable


def write_table(frame: pd.DataFrame, path: Path) -> None:
    writer = WRITERS.get(_suffix(path))
    if writer is None:
        _fail(f"unknown output format {path.name!r}; use one of {', '.join(WRITERS)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    writer(frame, path)


def _require_columns(frame: pd.DataFrame, columns: list[Optional[str]], source: Path) -> None:
    for col in filter(None, columns):
        if col not in frame.columns:
            _fail(f"column {col!r} not in {source.name} (columns: {', '.join(map(str, frame.columns))})")


def _summary(statuses: list[str], output: Path) -> None:
    from .preprocess import STATUSES

    counts = Counter(statuses)
    order = [*STATUSES, *sorted(set(counts) - set(STATUSES))]
    summary = ", ".join(f"{k}={counts.get(k, 0)}" for k in order)
    typer.echo(f"{len(statuses)} rows -> {output} ({summary})", err=True)


@app.command()
def score(
    inputs: Annotated[list[Path], typer.Argument(help="CSV, TSV, JSONL or Parquet files of comments (gzip too), read in order.")],
    output: OutputPath,
    text_col: TextColumn = "text",
    id_col: Optional[str] = typer.Option(None, "--id", help="Column identifying a comment (copied to sentence rows)."),
    touchpoint_col: Optional[str] = typer.Option(None, "--touchpoint", help="Column with touchpoint ids; overrides inference where set."),
    time_col: Optional[str] = typer.Option(None, "--time", help="Column with the comment's date or time (checked; carried for the scoring)."),
    group_cols: Optional[list[str]] = typer.Option(None, "--group", help="Column to group by later (branch, store, channel); repeatable."),
    sentences: SentencesPath = None,
    rejects: Optional[Path] = typer.Option(None, "--rejects", help="Where malformed records go; default OUTPUT's name + .rejects.jsonl."),
    language: str = typer.Option("auto", help="auto (identify per comment), or ko / en to treat every comment as that language."),
    profile: str = typer.Option("default", help="default (encoder + lexical) or fast (lexical only)."),
    industry: Optional[str] = typer.Option(None, help="Touchpoint catalog (airline, hotel, ... or a YAML file); default: generic."),
    model: Optional[Path] = typer.Option(None, help="A model directory; default: the shipped model."),
    batch_size: Annotated[int, typer.Option(min=1, help="Rows per chunk: the unit of work, of memory and of resuming.")] = 1000,
    workers: Annotated[int, typer.Option(min=1, help="Processes scoring chunks in parallel (each loads the model, about 1.4 GB).")] = 1,
    resume: bool = typer.Option(False, "--resume", help="Finish an interrupted job from its OUTPUT.parts/ folder instead of starting over."),
    progress: Optional[bool] = typer.Option(None, "--progress/--no-progress", help="Progress bar (rows, rows/s, ETA); default: on a terminal only."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar and no summary."),
    keep_parts: bool = typer.Option(False, "--keep-parts", help="Keep OUTPUT.parts/ (chunk files and manifest) after success."),
) -> None:
    """Label every comment (sentiment, delight, SERVQUAL, failures, recovery, touchpoints).

    Streams the inputs in chunks of --batch-size rows. Every input row comes out once, in order, with
    `row` (its number), the caller's columns, a status (ok, empty, invalid, truncated, error), a
    reason and every label and probability. Malformed records also go to the rejects file with their
    line numbers. After a crash, rerun with --resume. Exit codes: 0 done; 2 user error (bad option,
    missing column, unreadable file); 3 the job failed part-way (rerun with --resume); 130 interrupted.
    """
    from .batch import Columns, JobError, JobOptions, run_job

    options = JobOptions(
        columns=Columns(text_col, id_col, touchpoint_col, time_col, tuple(group_cols or ())),
        profile=profile, industry=industry, model=str(model) if model else None, language=language,
        batch_size=batch_size,
    )
    show = (sys.stderr.isatty() if progress is None else progress) and not quiet
    try:
        summary = run_job(inputs, output, options, sentences=sentences, rejects=rejects, workers=workers,
                          resume=resume, progress=show, keep_parts=keep_parts)
    except JobError as exc:
        _fail(str(exc))
    except KeyboardInterrupt:
        typer.echo("textcs: interrupted; rerun with --resume to finish the job", err=True)
        raise typer.Exit(code=130)
    except (BrokenProcessPool, OSError) as exc:
        what = "a worker process died (out of memory?)" if isinstance(exc, BrokenProcessPool) else str(exc)
        typer.echo(f"textcs: error: {' '.join(what.split())}; rerun with --resume to finish the job", err=True)
        raise typer.Exit(code=3)
    if quiet:
        return
    typer.echo(f"{summary.line()} -> {output}", err=True)
    if summary.rejects:
        from .batch import default_rejects_path

        typer.echo(f"{summary.rejects:,} malformed records -> {rejects or default_rejects_path(output)}", err=True)
    if sentences is not None:
        typer.echo(f"{summary.sentences:,} sentences -> {sentences}", err=True)
    if summary.bad_times:
        typer.echo(f"warning: {summary.bad_times:,} rows have a {time_col!r} value that is not a date or time", err=True)
    if summary.resumed_chunks:
        typer.echo(f"resumed: {summary.resumed_chunks:,} chunks were already done", err=True)


@app.command()
def preprocess(
    input: InputPath,
    output: OutputPath,
    text_col: TextColumn = "text",
    sentences: SentencesPath = None,
    mask_pii: bool = typer.Option(True, "--mask-pii/--no-mask-pii", help="Replace personal data by placeholders."),
    batch_size: BatchSize = 1000,
) -> None:
    """Normalise, mask PII, identify language, split sentences and tokenize every comment.

    Every input row comes out once, in order, with a status (ok, empty, truncated, invalid).
    """
    from .preprocess import Preprocessor, sentences_frame, to_frame

    frame = read_table(input)
    _require_columns(frame, [text_col], input)
    try:
        pre = Preprocessor(mask_pii=mask_pii, batch_size=batch_size)
        records = pre(frame[text_col].tolist())
    except TextcsError as exc:
        _fail(str(exc))
    result = to_frame(records).drop(columns=["original"])
    out = pd.concat([frame.reset_index(drop=True), result.add_prefix("tcs_")], axis=1)
    write_table(out, output)
    _summary([r.status for r in records], output)
    if sentences is not None:
        sents = sentences_frame(records).rename(columns={"index": "row"})
        write_table(sents, sentences)
        typer.echo(f"{len(sents)} sentences -> {sentences}", err=True)


@app.command()
def train(
    data: Annotated[Optional[Path], typer.Argument(help="Training data: CSV, TSV, JSONL, Parquet or a datasets folder.")] = None,
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="Model directory to write.")] = None,
    config: Annotated[Optional[Path], typer.Option("--config", help="YAML file of training options; flags override it.")] = None,
    task: Annotated[Optional[str], typer.Option(help="custom, sentiment, servqual, failures, recovery, delight or touchpoints.")] = None,
    text_col: Annotated[Optional[str], typer.Option("--text", help="Text column [text].")] = None,
    label_col: Annotated[Optional[str], typer.Option("--label", help="Label column, ';'-joined for multi-label [labels].")] = None,
    labels: Annotated[Optional[str], typer.Option(help="Comma-separated label set (custom task; default: the labels in the data).")] = None,
    multi_label: Annotated[Optional[bool], typer.Option("--multi-label/--single-label", help="Custom task: several labels per row.")] = None,
    industry: Annotated[Optional[str], typer.Option(help="Touchpoint catalog for task touchpoints.")] = None,
    taxonomy: Annotated[Optional[str], typer.Option(help="A taxonomy YAML other than the shipped one.")] = None,
    dev: Annotated[Optional[str], typer.Option(help="Dev set file; default: a stratified split of DATA.")] = None,
    dev_fraction: Annotated[Optional[float], typer.Option(help="Share of DATA held out for dev [0.2].")] = None,
    split_column: Annotated[Optional[str], typer.Option(help="Column saying train / dev / test per row (dev and test then come from DATA).")] = None,
    test: Annotated[Optional[str], typer.Option(help="Held-out test file, measured after training (never fitted on).")] = None,
    backend: Annotated[Optional[str], typer.Option(help="hybrid (default) or transformer.")] = None,
    seed: Annotated[Optional[int], typer.Option(help="Random seed [0].")] = None,
    min_examples: Annotated[Optional[int], typer.Option(help="Fewest training rows per label [5].")] = None,
    encoder: Annotated[Optional[str], typer.Option(help="hybrid: sentence encoder spec, or none [use-multilingual-v3].")] = None,
    base: Annotated[Optional[str], typer.Option(help="transformer: local Hugging Face model folder, or scratch.")] = None,
    epochs: Annotated[Optional[int], typer.Option(help="transformer: most epochs [5].")] = None,
    batch_size: Annotated[Optional[int], typer.Option(help="transformer: batch size [16].")] = None,
    learning_rate: Annotated[Optional[float], typer.Option(help="transformer: learning rate [5e-5].")] = None,
    max_length: Annotated[Optional[int], typer.Option(help="transformer: tokens per text [128].")] = None,
    device: Annotated[Optional[str], typer.Option(help="transformer: auto, cpu or cuda [auto].")] = None,
    onnx: Annotated[Optional[bool], typer.Option("--onnx/--no-onnx", help="transformer: also export model.onnx.")] = None,
) -> None:
    """Train a model for one task from labelled comments; load it with textcs.load(OUTPUT).

    Prints per-label precision/recall/F1 and a confusion table on dev (and --test), and writes
    OUTPUT/MODEL_CARD.md.
    """
    from .training import TrainingDataError, TrainOptions
    from .training import train as run_training

    given = {"data": str(data) if data else None, "output": str(output) if output else None, "task": task,
             "text": text_col, "label": label_col, "labels": labels, "multi_label": multi_label, "industry": industry,
             "taxonomy": taxonomy, "dev": dev, "dev_fraction": dev_fraction, "split_column": split_column, "test": test, "backend": backend,
             "seed": seed, "min_examples": min_examples, "encoder": encoder, "base": base, "epochs": epochs,
             "batch_size": batch_size, "learning_rate": learning_rate, "max_length": max_length, "device": device,
             "onnx": onnx}
    try:
        if config is not None:
            options = TrainOptions.from_yaml(config, **given)
        else:
            options = TrainOptions.from_mapping({k: v for k, v in given.items() if v is not None})
        run_training(options, log=lambda m: typer.echo(m, err=True))
    except (TextcsError, TrainingDataError, ValueError, FileNotFoundError, ImportError) as exc:
        _fail(str(exc))


# textcs index / textcs report: thin faces over textcs.scoring (tables) and textcs.report (HTML).
ScoredPath = Annotated[Path, typer.Argument(help="Scored comments: the OUTPUT file of textcs score.")]
ScoredSentences = Annotated[Optional[Path], typer.Option("--sentences", help="The sentence file of the same textcs score run: adds SERVQUAL dimensions, drivers and highlighted evidence.")]
ByOption = Annotated[str, typer.Option("--by", help="Group by touchpoint, contact_level or a column of the scored file.")]
GroupOption = Annotated[Optional[list[str]], typer.Option("--group", help="Also split by this column (branch, store, channel); repeatable.")]
PeriodOption = Annotated[Optional[str], typer.Option("--period", help="day, week, month or quarter: adds the trend table over --date.")]
DateOption = Annotated[str, typer.Option("--date", help="Column with the comment's date or time, for --period.")]


def _scored(input: Path, sentences: Optional[Path], by: str, group: Optional[list[str]], period: Optional[str],
            date_col: str) -> tuple[pd.DataFrame, Optional[pd.DataFrame], list[str]]:
    """Read and check the score command's files and the grouping options; one-line errors."""
    from .scoring import FREQUENCIES

    comments = read_table(input)
    if "status" not in comments.columns:
        _fail(f"{input.name} is not a textcs score output (no 'status' column)")
    keys = [by, *(group or [])]
    for key in keys:
        needed = "touchpoints" if key in ("touchpoint", "contact_level") else key
        _require_columns(comments, [needed], input)
    if period is not None:
        if period not in FREQUENCIES:
            _fail(f"--period must be one of {', '.join(sorted(FREQUENCIES))}, not {period!r}")
        _require_columns(comments, [date_col], input)
    sents = read_table(sentences) if sentences is not None else None
    if sents is not None and "row" not in sents.columns:
        _fail(f"{sentences.name} is not a textcs score sentence file (no 'row' column)")
    return comments, sents, keys


def _beside(path: Path, name: str) -> Path:
    """index.csv -> index.<name>.csv (index.csv.gz -> index.<name>.csv.gz)."""
    ext = "".join(path.suffixes[-2:]) if path.suffix == ".gz" and len(path.suffixes) > 1 else path.suffix
    return path.with_name(f"{path.name[:len(path.name) - len(ext)]}.{name}{ext}")


@app.command()
def index(
    input: ScoredPath,
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="Write the index table here (CSV, TSV, JSONL or Parquet) and each other table beside it as STEM.<table>.EXT.")] = None,
    by: ByOption = "touchpoint",
    group: GroupOption = None,
    period: PeriodOption = None,
    date_col: DateOption = "date",
    sentences: ScoredSentences = None,
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Do not print the tables."),
) -> None:
    """Print (and write) the scoring tables of scored comments.

    Tables: index (satisfaction index 0-100 with interval per group), failures, recovery, paradox;
    with --sentences also dimensions and drivers (importance-performance priorities); with --period
    also periods (trend with change flags). Exit code 2 on a user error (missing file or column,
    bad option), with a one-line message.
    """
    from .report import scoring_tables

    comments, sents, keys = _scored(input, sentences, by, group, period, date_col)
    try:
        tables = scoring_tables(comments, sents, by=keys, period=period, date=date_col)
    except (KeyError, ValueError, TextcsError) as exc:
        _fail(" ".join(str(exc).strip("'\"").split()))
    with pd.option_context("display.max_rows", 200, "display.max_columns", 30, "display.width", 200,
                           "display.float_format", "{:.4g}".format):
        for name, table in tables.items():
            if quiet:
                break
            typer.echo(f"\n# {name}")
            typer.echo(table.attrs.get("note") if table.empty and table.attrs.get("note") else table.to_string(index=False))
    if output is not None:
        written = [name for name, table in tables.items() if not (table.empty and table.attrs.get("note"))]
        for name in written:
            write_table(tables[name], output if name == "index" else _beside(output, name))
        typer.echo(f"{len(written)} tables -> {output} ({', '.join(written)})", err=True)


@app.command()
def report(
    input: ScoredPath,
    output: Annotated[Path, typer.Option("-o", "--output", help="The HTML file to write (one file, works offline).")],
    sentences: ScoredSentences = None,
    by: ByOption = "touchpoint",
    group: GroupOption = None,
    period: Annotated[str, typer.Option("--period", help="day, week, month or quarter for the trends; auto picks one from the span of --date (none without it); none: no trends.")] = "auto",
    date_col: DateOption = "date",
    text_col: TextColumn = "text",
    title: str = typer.Option("Customer comments: service-quality report", help="The report's title."),
    mask_pii: bool = typer.Option(False, "--mask-pii/--no-mask-pii", help="Show example comments with personal data masked (phone, e-mail, ...)."),
) -> None:
    """Write one self-contained HTML report of scored comments.

    Index chart with intervals, SERVQUAL heat map, failure types and recovery, trends (--period),
    importance-performance priorities, and example comments with their evidence highlighted
    (--sentences). Charts are inline SVG; nothing is loaded from the network.
    """
    from .report import render_report

    if output.suffix.lower() not in (".html", ".htm"):
        _fail(f"the report is HTML: give an output name ending in .html, not {output.name!r}")
    chosen = None if period in ("auto", "none") else period
    comments, sents, keys = _scored(input, sentences, by, group, chosen, date_col)
    _require_columns(comments, [text_col], input)
    try:
        page = render_report(comments, sents, by=keys, period="auto" if period == "auto" else chosen, date=date_col, text=text_col,
                             title=title, source=input.name, mask_pii=mask_pii)
    except (KeyError, ValueError, TextcsError) as exc:
        _fail(" ".join(str(exc).strip("'\"").split()))
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(page, encoding="utf-8")
    typer.echo(f"report ({len(page) / 1e3:,.0f} kB) -> {output}", err=True)


@app.command()
def suggest(
    input: InputPath,
    output: OutputPath,
    model: Annotated[Optional[Path], typer.Option("--model", help="A model directory (textcs train output); default: the shipped model.")] = None,
    n: Annotated[int, typer.Option("-n", min=1, help="How many comments to pick.")] = 200,
    text_col: TextColumn = "text",
    task: Annotated[Optional[str], typer.Option(help="Shipped model only: polarity, servqual or failures [polarity].")] = None,
    label_col: Annotated[str, typer.Option("--label", help="Empty column added for the labels.")] = "labels",
    diversity: Annotated[float, typer.Option(min=0.0, help="Weight against near-duplicates (0: uncertainty only).")] = 0.5,
) -> None:
    """Pick the comments the model is least sure of (and unlike each other) for labelling.

    OUTPUT has the picked rows, most useful first, with uncertainty, the model's guess (predicted,
    p_<label>) and an empty label column: fill it in and pass the file to textcs train.
    """
    from . import load
    from .suggest import suggest as pick

    frame = read_table(input)
    _require_columns(frame, [text_col], input)
    try:
        picked = pick(load(model), frame, n=n, text=text_col, task=task, diversity=diversity, label_column=label_col)
    except (TextcsError, ValueError, FileNotFoundError) as exc:
        _fail(str(exc))
    write_table(picked, output)
    typer.echo(f"{len(picked)} of {len(frame)} rows -> {output}", err=True)


@app.command()
def version() -> None:
    """Print the textcs version."""
    from . import __version__

    typer.echo(__version__)


def main() -> None:  # pragma: no cover - console entry point
    sys.exit(app())
