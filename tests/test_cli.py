import pandas as pd
from typer.testing import CliRunner

from textcs.cli import app
from textcs.resources import data_path

runner = CliRunner()


def test_preprocess_sample_keeps_every_row(tmp_path):
    out, sents = tmp_path / "out.csv", tmp_path / "sents.jsonl"
    sample = data_path("samples", "comments.csv")
    result = runner.invoke(app, ["preprocess", str(sample), "-o", str(out), "--sentences", str(sents)])
    assert result.exit_code == 0, result.output
    source, scored = pd.read_csv(sample), pd.read_csv(out)
    assert scored["id"].tolist() == source["id"].tolist()  # every row, once, in order
    assert set(scored["tcs_status"]) <= {"ok", "empty", "truncated", "invalid"}
    assert (scored.loc[scored["text"].isna(), "tcs_status"] == "empty").all()
    row = scored.set_index("id").loc["s016"]
    assert row["tcs_pii_EMAIL"] == 1 and row["tcs_pii_PHONE"] == 1 and "<EMAIL>" in row["tcs_text"]
    sentences = pd.read_json(sents, lines=True)
    first = sentences[sentences["row"] == 0].iloc[0]
    assert source.loc[0, "text"][first["start"]:first["end"]] == "배송 진짜 빨랐어요ㅋㅋㅋㅋ"


def test_parquet_and_jsonl_round_trip(tmp_path):
    src = tmp_path / "in.jsonl"
    pd.DataFrame({"body": ["좋아요", None, "Late again!!"]}).to_json(src, orient="records", lines=True)
    out = tmp_path / "out.parquet"
    result = runner.invoke(app, ["preprocess", str(src), "-o", str(out), "--text", "body", "--no-mask-pii"])
    assert result.exit_code == 0, result.output
    assert pd.read_parquet(out)["tcs_status"].tolist() == ["ok", "empty", "ok"]


def test_user_errors_are_one_line_with_exit_code_2(tmp_path):
    missing = runner.invoke(app, ["preprocess", str(tmp_path / "nope.csv"), "-o", str(tmp_path / "o.csv")])
    assert missing.exit_code == 2 and "input file not found" in missing.output
    src = tmp_path / "in.csv"
    src.write_text("id,body\n1,hi\n", encoding="utf-8")
    no_col = runner.invoke(app, ["preprocess", str(src), "-o", str(tmp_path / "o.csv")])
    assert no_col.exit_code == 2 and "column 'text' not in" in no_col.output
    bad_fmt = runner.invoke(app, ["preprocess", str(src), "-o", str(tmp_path / "o.xlsx"), "--text", "body"])
    assert bad_fmt.exit_code == 2 and "unknown output format" in bad_fmt.output
    assert "Traceback" not in missing.output + no_col.output + bad_fmt.output


def test_score_sample_with_shipped_model(tmp_path):
    out, sents = tmp_path / "scored.csv", tmp_path / "sentences.csv"
    sample = data_path("samples", "comments.csv")
    result = runner.invoke(app, ["score", str(sample), "-o", str(out), "--sentences", str(sents),
                                 "--id", "id", "--touchpoint", "touchpoint", "--profile", "fast"])
    assert result.exit_code == 0, result.output
    source, scored = pd.read_csv(sample), pd.read_csv(out)
    assert scored["id"].tolist() == source["id"].tolist()
    ok = scored["status"] == "ok"
    assert ok.sum() >= 18 and scored.loc[ok, "polarity"].isin(["negative", "neutral", "positive"]).all()
    row = scored.set_index("id").loc["s004"]  # "Flight was 3h late and nobody told us anything."
    assert row["polarity"] == "negative" and row["touchpoints"] == "airline.cabin_crew" and row["contact_levels"] == "high"
    sentences = pd.read_csv(sents)
    assert set(sentences["id"]) <= set(source["id"]) and (sentences["end"] > sentences["start"]).all()
    missing = runner.invoke(app, ["score", str(sample), "-o", str(out), "--touchpoint", "nope"])
    assert missing.exit_code == 2 and "column 'nope'" in missing.output
