"""`textcs index`: the scoring tables of a scored file, printed and written; one-line user errors."""

import pandas as pd
import pytest
from typer.testing import CliRunner

from textcs.cli import app


def run(*args: str):
    return CliRunner().invoke(app, [str(a) for a in args])


def test_writes_the_index_and_each_other_table_beside_it(scored_sample, tmp_path):
    comments, sentences = scored_sample
    out = tmp_path / "out" / "index.csv"
    result = run("index", comments, "--sentences", sentences, "--by", "touchpoint", "--period", "week", "-o", out)
    assert result.exit_code == 0, result.output
    index = pd.read_csv(out)
    scored = pd.read_csv(comments)
    # One row per touchpoint of the scored rows (plus the no-touchpoint group), intervals around the index.
    tps = {t for v in scored.loc[scored["status"] == "ok", "touchpoints"].fillna("") for t in v.split(";") if t}
    assert tps <= set(index["touchpoint"])
    assert ((index["ci_low"] <= index["index"]) & (index["index"] <= index["ci_high"])).all()
    assert index["excluded"].sum() == (scored["status"] != "ok").sum()
    for name in ("dimensions", "failures", "recovery", "paradox", "periods"):
        table = pd.read_csv(tmp_path / "out" / f"index.{name}.csv")
        assert len(table), name
    assert set(pd.read_csv(tmp_path / "out" / "index.dimensions.csv")["dimension"]) <= {
        "reliability", "responsiveness", "assurance", "empathy", "tangibles"}
    # 21 sample comments are too few for a driver regression: said, not written as an empty file.
    assert not (tmp_path / "out" / "index.drivers.csv").exists()
    assert "# drivers\ntoo little data for a driver analysis" in result.stdout
    assert "# index" in result.stdout and "hotel.front_desk" in result.stdout


def test_group_by_a_column_and_other_formats(scored_sample, tmp_path):
    comments, _ = scored_sample
    out = tmp_path / "idx.parquet"
    result = run("index", comments, "--by", "contact_level", "--group", "input_language", "-o", out, "-q")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    table = pd.read_parquet(out)
    assert list(table.columns[:2]) == ["contact_level", "input_language"]
    assert set(table["contact_level"]) <= {"high", "medium", "low", "(none)"}
    assert (tmp_path / "idx.failures.parquet").exists()


@pytest.mark.parametrize(
    "args, message",
    [
        (["missing.csv"], "input file not found: missing.csv"),
        (["{comments}", "--by", "store"], "column 'store' not in scored.csv"),
        (["{comments}", "--period", "fortnight"], "--period must be one of"),
        (["{comments}", "--period", "week", "--date", "when"], "column 'when' not in scored.csv"),
        (["{sentences}"], "sentences.csv is not a textcs score output (no 'status' column)"),
        (["{comments}", "--sentences", "{other_run}"], "sentence rows point at rows not in the comment file"),
    ],
)
def test_user_errors_are_one_line_with_exit_code_2(scored_sample, tmp_path, args, message):
    comments, sentences = scored_sample
    # A "sentence file" of a different run: its rows do not match.
    copy = tmp_path / "other.csv"
    pd.read_csv(sentences).assign(row=lambda d: d["row"] + 1000).to_csv(copy, index=False)
    paths = {"comments": comments, "sentences": sentences, "other_run": copy}
    result = run("index", *[a.format(**paths) for a in args])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("textcs: error: ") and message in lines[0], result.output
    assert "Traceback" not in result.output
