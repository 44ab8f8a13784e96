"""The batch layer: score_frame's schema and statuses, and the streaming, resumable job runner."""

import gzip
import json
import os
import signal
import subprocess
import sys
import time

import pandas as pd
import pytest

from textcs import batch
from textcs.batch import Columns, JobError, JobOptions, run_job, score_frame


@pytest.fixture(scope="module")
def fast():
    """The fast-profile analyzer, from the same per-process cache the job runner uses (loaded once)."""
    return batch.cached_analyzer(JobOptions(profile="fast"))


def test_score_frame_keeps_every_row_in_order_with_a_status(fast):
    df = pd.DataFrame({"id": ["a", "b", "c", "d"],
                       "text": ["Flight was 3 hours late.", None, "배달이 너무 늦었어요", 42],
                       "tp": [None, None, "restaurant.delivery_rider", None]}, index=[7, 8, 9, 10])
    comments, sentences = score_frame(fast, df, Columns(id="id", touchpoint="tp"), invalid={9: "line 11: bad"})
    assert comments["row"].tolist() == [7, 8, 9, 10] and comments["id"].tolist() == ["a", "b", "c", "d"]
    assert comments["status"].tolist() == ["ok", "empty", "invalid", "invalid"]
    assert comments.loc[2, "reason"] == "line 11: bad" and "expected text" in comments.loc[3, "reason"]
    assert set(sentences["row"]) == {7} and sentences["id"].tolist() == ["a"]


def test_language_hint_skips_identification(fast, monkeypatch):
    monkeypatch.setattr(fast.preprocessor, "identify", batch.FixedLanguage("en"))
    comments, _ = score_frame(fast, pd.DataFrame({"text": ["Great crew!", "배송 빨랐어요"]}))  # ko without the hint
    assert comments["language"].tolist() == ["en", "en"] and comments["status"].tolist() == ["ok", "ok"]


class _Flaky:
    """An analyzer that raises on one text, to check that only that row becomes ``error``."""

    def __init__(self, inner):
        self.inner = inner

    def analyze(self, texts, touchpoints=None):
        if "BOOM" in texts:
            raise RuntimeError("model exploded")
        return self.inner.analyze(texts, touchpoints)

    def to_frames(self, results):
        return self.inner.to_frames(results)


def test_a_row_that_breaks_the_model_is_an_error_and_the_rest_keep_their_labels(fast):
    df = pd.DataFrame({"text": ["Great crew!", "BOOM", "Lost my bag."]})
    comments, _ = score_frame(_Flaky(fast), df)
    assert comments["status"].tolist() == ["ok", "error", "ok"]
    assert comments.loc[1, "reason"] == "analysis failed: RuntimeError: model exploded"
    assert comments.loc[0, "polarity"] == "positive" and comments.loc[1, "polarity"] == ""


def test_score_frame_missing_column_and_clashing_names(fast):
    with pytest.raises(JobError, match="column 'body' not in the frame"):
        score_frame(fast, pd.DataFrame({"text": ["hi"]}), Columns(text="body"))
    df = pd.DataFrame({"status": ["x"], "text": ["hi"], "row": [5]})
    comments, sentences = score_frame(fast, df, Columns(id="status"))
    assert comments.columns[:5].tolist() == ["row", "input_status", "text", "input_row", "status"]
    assert comments.loc[0, "input_status"] == "x" and sentences.columns[:2].tolist() == ["row", "input_status"]


# The job runner. Rows are hand-written fragments combined, so every text differs.


_OPENERS = ["배달이 한 시간이나 늦었어요", "Flight was delayed twice", "직원분이 정말 친절했어요", "The room was dirty",
            "상담원이 전화를 끊어버렸어요", "Crew were lovely", "음식이 식어서 왔어요", "Refund still not processed"]
_CLOSERS = ["다시는 안 시킬게요", "would fly again", "감사합니다 ^^", "never again!!", "그래도 맛은 좋았어요",
            "thanks for the upgrade", "환불 부탁드려요", "nobody answered the phone"]


def _rows(n):
    return [f"{_OPENERS[i % 8]}. {_CLOSERS[(i // 8) % 8]} #{i}" for i in range(n)]


def _write_csv(path, n, bad_lines=()):
    """A CSV of n rows; the rows numbered in ``bad_lines`` get an extra field (malformed)."""
    lines = ["id,text,store,date"]
    for i, text in enumerate(_rows(n)):
        extra = ",oops" if i in bad_lines else ""
        lines.append(f'c{i},"{text}",s{i % 3},2026-10-{1 + i % 28:02d}{extra}')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


OPTS = JobOptions(columns=Columns(id="id", time="date", group=("store",)), profile="fast", batch_size=7)


def test_job_keeps_every_row_once_and_reports_malformed_lines(tmp_path, fast):
    src = _write_csv(tmp_path / "in.csv", 30, bad_lines={4, 17})
    out, sents = tmp_path / "out" / "scored.parquet", tmp_path / "out" / "sentences.csv"
    summary = run_job([src], out, OPTS, sentences=sents)
    scored = pd.read_parquet(out)
    assert scored["row"].tolist() == list(range(30))
    assert scored["id"].fillna("-").tolist() == ["-" if i in (4, 17) else f"c{i}" for i in range(30)]
    bad = scored.set_index("row").loc[[4, 17]]
    assert bad["status"].tolist() == ["invalid"] * 2
    assert bad["reason"].tolist() == ["line 6: 5 fields, expected 4", "line 19: 5 fields, expected 4"]
    rejects = [json.loads(x) for x in (tmp_path / "out" / "scored.rejects.jsonl").read_text().splitlines()]
    assert [(r["row"], r["line"], r["raw"].split(",")[0]) for r in rejects] == [(4, 6, "c4"), (17, 19, "c17")]
    assert summary.counts == {"ok": 28, "invalid": 2} and summary.rejects == 2 and summary.bad_times == 0
    sentences = pd.read_csv(sents)
    assert set(sentences["row"]) == set(range(30)) - {4, 17} and len(sentences) == summary.sentences
    assert not (tmp_path / "out" / "scored.parquet.parts").exists()


def test_multiple_inputs_continue_row_numbers_and_bad_times_are_counted(tmp_path, fast):
    a, b = _write_csv(tmp_path / "a.csv", 5), tmp_path / "b.csv.gz"
    b.write_bytes(gzip.compress("id,text,store,date\nx,Late again,s1,yesterday-ish\n".encode()))
    summary = run_job([a, b], tmp_path / "o.jsonl", OPTS)
    scored = pd.read_json(tmp_path / "o.jsonl", lines=True)
    assert scored["row"].tolist() == [0, 1, 2, 3, 4, 5] and scored["id"].tolist()[-1] == "x"
    assert summary.bad_times == 1


def test_interrupted_job_resumes_to_the_same_output(tmp_path, fast, monkeypatch):
    src = _write_csv(tmp_path / "in.csv", 40, bad_lines={9})
    reference = run_job([src], tmp_path / "ref.csv", OPTS, sentences=tmp_path / "ref_s.csv")
    calls = {"n": 0}
    real = batch._score_chunk

    def crash_after_three(number, chunk):
        calls["n"] += 1
        if calls["n"] > 3:
            raise MemoryError("simulated crash")
        return real(number, chunk)

    monkeypatch.setattr(batch, "_score_chunk", crash_after_three)
    out = tmp_path / "out.csv"
    with pytest.raises(MemoryError):
        run_job([src], out, OPTS, sentences=tmp_path / "s.csv")
    assert not out.exists() and len((tmp_path / "out.csv.parts" / "manifest.jsonl").read_text().splitlines()) == 4
    monkeypatch.setattr(batch, "_score_chunk", real)
    summary = run_job([src], out, OPTS, sentences=tmp_path / "s.csv", resume=True)
    assert summary.resumed_chunks == 3 and summary.counts == reference.counts
    assert out.read_bytes() == (tmp_path / "ref.csv").read_bytes()
    assert (tmp_path / "s.csv").read_bytes() == (tmp_path / "ref_s.csv").read_bytes()


def test_resume_refuses_other_options_and_redoes_damaged_chunks(tmp_path, fast):
    src = _write_csv(tmp_path / "in.csv", 20)
    out = tmp_path / "o.csv"
    run_job([src], out, OPTS, keep_parts=True)
    first = out.read_bytes()
    with pytest.raises(JobError, match="cannot resume: the options differ"):
        run_job([src], out, JobOptions(columns=OPTS.columns, profile="fast", batch_size=8), resume=True)
    parts = tmp_path / "o.csv.parts"
    (parts / "comments-000001.parquet").write_bytes(b"damaged")
    with open(parts / "manifest.jsonl", "a") as f:
        f.write('{"chunk": 9, "rows": [0')  # a line cut short by a crash
    summary = run_job([src], out, OPTS, resume=True, keep_parts=True)
    assert summary.resumed_chunks == 2 and out.read_bytes() == first
    src.write_text(src.read_text() + "c99,one more,s1,2026-10-01\n")
    with pytest.raises(JobError, match="cannot resume: the input files differ"):
        run_job([src], out, OPTS, resume=True)


def _cli(*args):
    code = "import sys; from textcs.cli import app; sys.exit(app())"
    return [sys.executable, "-c", code, "score", *map(str, args)]


def test_kill_9_mid_job_then_resume_gives_the_uninterrupted_output(tmp_path, fast):
    src = _write_csv(tmp_path / "in.csv", 1000, bad_lines={5, 567})
    opts = JobOptions(columns=Columns(id="id"), profile="fast", batch_size=40)
    run_job([src], tmp_path / "ref.csv", opts, sentences=tmp_path / "ref_s.jsonl")
    out = tmp_path / "out.csv"
    args = [src, "-o", out, "--id", "id", "--profile", "fast", "--batch-size", 40, "--sentences", tmp_path / "s.jsonl"]
    job = subprocess.Popen(_cli(*args), stderr=subprocess.PIPE)
    manifest = tmp_path / "out.csv.parts" / "manifest.jsonl"
    deadline = time.time() + 120
    while time.time() < deadline and job.poll() is None:
        if manifest.exists() and len(manifest.read_text().splitlines()) >= 2:  # header + a finished chunk
            break
        time.sleep(0.02)
    os.kill(job.pid, signal.SIGKILL)
    job.wait()
    done = len(manifest.read_text().splitlines()) - 1
    assert job.returncode == -signal.SIGKILL and 1 <= done < 25 and not out.exists()
    resumed = subprocess.run(_cli(*args, "--resume"), capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    assert "resumed:" in resumed.stderr and "2 malformed records" in resumed.stderr
    assert out.read_bytes() == (tmp_path / "ref.csv").read_bytes()
    assert (tmp_path / "s.jsonl").read_bytes() == (tmp_path / "ref_s.jsonl").read_bytes()
    scored = pd.read_csv(out)
    assert scored["row"].tolist() == list(range(1000)) and scored["row"].is_unique


@pytest.mark.slow
def test_two_workers_give_the_one_worker_output(tmp_path, fast):
    src = _write_csv(tmp_path / "in.csv", 200, bad_lines={3})
    run_job([src], tmp_path / "one.csv", OPTS, sentences=tmp_path / "one_s.csv")
    run_job([src], tmp_path / "two.csv", OPTS, sentences=tmp_path / "two_s.csv", workers=2)
    assert (tmp_path / "one.csv").read_bytes() == (tmp_path / "two.csv").read_bytes()
    assert (tmp_path / "one_s.csv").read_bytes() == (tmp_path / "two_s.csv").read_bytes()


def test_user_errors_are_one_line_with_exit_code_2(tmp_path):
    from typer.testing import CliRunner

    from textcs.cli import app

    src = _write_csv(tmp_path / "in.csv", 3)
    junk = tmp_path / "junk.parquet"
    junk.write_bytes(b"PAR1 but not really")
    garbage = tmp_path / "garbage.jsonl"
    garbage.write_text("not json\n[1]\n", encoding="utf-8")
    out = str(tmp_path / "o.csv")
    cases = {
        "column 'text' not in garbage.jsonl (columns: none: no line is a JSON object, 2 malformed)": [garbage, "-o", out],
        "column 'body' not in in.csv (columns: id, text, store, date)": [src, "-o", out, "--text", "body"],
        "column 'branch' not in in.csv": [src, "-o", out, "--group", "branch"],
        "input file not found": [tmp_path / "nope.csv", "-o", out],
        "cannot read": [junk, "-o", out],
        "unknown format 'o.xlsx'": [src, "-o", tmp_path / "o.xlsx"],
        "Invalid value for '--workers'": [src, "-o", out, "--workers", "0"],
        "No such option: --bogus": [src, "-o", out, "--bogus"],
        "unknown language hint 'fr'": [src, "-o", out, "--language", "fr"],
    }
    runner = CliRunner()
    for message, args in cases.items():
        result = runner.invoke(app, ["score", *map(str, args)])
        lines = result.output.strip().splitlines()
        assert result.exit_code == 2 and len(lines) == 1 and lines[0].startswith("textcs: error: "), (message, result.output)
        assert message in lines[0]
