"""textcs.spark on a real local[2] SparkSession: the same rows, columns and labels as `textcs score`."""

import os
import shutil
import sys

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

pytest.importorskip("pyspark", reason="pyspark is not installed (the spark extra)")
# pyspark 4 warns about pandas 3 on every conversion; the test checks the results themselves.
pytestmark = pytest.mark.filterwarnings("ignore::FutureWarning", "ignore::DeprecationWarning",
                                        "ignore:The copy keyword is deprecated")
if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
    pytest.skip("Spark needs a Java runtime (java on PATH or JAVA_HOME)", allow_module_level=True)

from textcs import spark as tspark  # noqa: E402
from textcs.batch import JobError  # noqa: E402
from textcs.cli import app  # noqa: E402

# Written for this test (no real data in the repository): both languages, and rows that must be
# flagged rather than dropped.
ROWS = [
    ("h01", "airline.cabin_crew", "The flight left two hours late and nobody explained why. The crew were kind though."),
    ("h02", None, "배달이 한 시간 넘게 걸렸고 국물이 다 쏟아져서 왔어요"),
    ("h03", "hotel.front_desk", "Check-in took five minutes and the receptionist upgraded our room."),
    ("h04", None, None),
    ("h05", None, "   "),
    ("h06", None, "상담원이 제 말을 끝까지 들어주고 바로 환불 처리해 주셨어요. 감사합니다!"),
    ("h07", None, "I was charged twice for the same order and support never replied."),
    ("h08", "restaurant.floor_staff", "직원분이 불친절했어요. 음식은 괜찮았는데 다시는 안 갈 듯"),
    ("h09", None, "12345"),
    ("h10", None, "Bathroom was dirty and the air conditioning did not work all night."),
    ("h11", None, "앱에서 결제 오류가 계속 나는데 고객센터는 연결도 안 돼요ㅠㅠ"),
    ("h12", None, "Lost my suitcase on the connection, but the agent tracked it down and had it delivered the same evening."),
    ("h13", None, "포장이 꼼꼼하고 기사님도 친절하셨어요ㅎㅎ"),
    ("h14", None, "ok"),
    ("h15", None, "The waiter forgot our order twice. Food was great when it finally came."),
    ("h16", None, "객실은 넓고 깨끗했는데 와이파이가 자꾸 끊겼어요"),
]


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    # Workers must run this interpreter, where textcs is installed.
    before = os.environ.get("PYSPARK_PYTHON")
    os.environ["PYSPARK_PYTHON"] = sys.executable
    session = (SparkSession.builder.master("local[2]").appName("textcs-test")
               .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2")
               .config("spark.sql.execution.arrow.pyspark.enabled", "true").getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.catalog.clearCache()
    session.stop()
    if before is None:
        os.environ.pop("PYSPARK_PYTHON", None)
    else:
        os.environ["PYSPARK_PYTHON"] = before


def _cli(frame: pd.DataFrame, tmp_path, *options: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """What `textcs score` writes for ``frame`` (Parquet keeps the types)."""
    src, out, sents = tmp_path / "in.parquet", tmp_path / "out.parquet", tmp_path / "sents.parquet"
    frame.to_parquet(src, index=False)
    result = CliRunner().invoke(app, ["score", str(src), "-o", str(out), "--sentences", str(sents),
                                      "--profile", "fast", "--quiet", *options])
    assert result.exit_code == 0, result.output
    return pd.read_parquet(out), pd.read_parquet(sents)


def _assert_same(spark_frame: pd.DataFrame, cli_frame: pd.DataFrame) -> None:
    assert list(spark_frame.columns) == list(cli_frame.columns)
    assert len(spark_frame) == len(cli_frame)
    for col in cli_frame.columns:
        a, b = spark_frame[col].reset_index(drop=True), cli_frame[col].reset_index(drop=True)
        if pd.api.types.is_float_dtype(b):
            np.testing.assert_allclose(a.astype(float), b.astype(float), atol=1e-6, err_msg=col)
        else:
            assert a.fillna("<na>").astype(str).tolist() == b.fillna("<na>").astype(str).tolist(), col


def test_same_rows_columns_and_labels_as_the_score_command(spark, tmp_path):
    # ``language`` clashes with an output column: both faces must rename it the same way.
    pdf = pd.DataFrame(ROWS, columns=["id", "touchpoint", "text"]).assign(language="?")
    df = spark.createDataFrame(pdf, "id string, touchpoint string, text string, language string")
    assert df.rdd.getNumPartitions() == 2  # row numbers must run on across partitions
    comments, sentences = tspark.score(df, text_col="text", id_col="id", touchpoint_col="touchpoint",
                                       profile="fast", sentences=True, batch_size=3)
    got, got_sents = comments.toPandas(), sentences.toPandas()
    want, want_sents = _cli(pdf, tmp_path, "--id", "id", "--touchpoint", "touchpoint")

    _assert_same(got, want)
    _assert_same(got_sents, want_sents)
    # Every row once and in order, the bad ones flagged rather than dropped.
    assert got["row"].tolist() == list(range(len(ROWS)))
    assert got["id"].tolist() == pdf["id"].tolist()
    assert got.set_index("id").loc[["h04", "h05"], "status"].tolist() == ["empty", "empty"]
    assert (got.set_index("id").loc[["h01", "h02", "h07"], "status"] == "ok").all()
    # The given touchpoint column overrides inference; sentences point at their comment's row.
    assert got.set_index("id").loc["h03", "touchpoints"] == "hotel.front_desk"
    assert (got["id"].to_numpy()[got_sents["row"]] == got_sents["id"]).all()
    assert got_sents.groupby("row").size().to_dict() == got.set_index("row")["n_sentences"][lambda s: s > 0].to_dict()


def test_schema_and_user_errors(spark):
    df = spark.createDataFrame([("a", "en", 3)], "text string, language string, stars int")
    comments = tspark.score(df)  # only a row count runs here; scoring waits for an action
    assert comments.columns[:4] == ["row", "text", "input_language", "stars"]  # as textcs score names them
    assert dict(comments.dtypes)["stars"] == "int"
    assert dict(comments.dtypes)["p_failure_delay"] == "double"
    assert comments.columns[4:] == tspark.comment_schema().fieldNames()[1:]
    with pytest.raises(JobError, match="'body' not in the frame"):
        tspark.score(df, text_col="body")
    with pytest.raises(JobError, match="batch_size"):
        tspark.score(df, batch_size=0)
    with pytest.raises(JobError, match="unknown language hint 'fr'"):
        tspark.score(df, language="fr")


@pytest.mark.real_data
def test_real_rows_in_both_languages(spark, real_dir):
    from textcs.datasets import load_dataset

    en = load_dataset("twitter_airline", split="test").head(12)[["text"]]
    ko = load_dataset("yogiyo", split="test").head(12)[["text"]]
    pdf = pd.concat([en, ko], ignore_index=True).assign(n=lambda d: d.index.astype("int64"))
    df = spark.createDataFrame(pdf[["n", "text"]])
    got = tspark.score(df, profile="fast", batch_size=5).toPandas()
    assert got["row"].tolist() == got["n"].tolist() == list(range(len(pdf)))
    assert (got["status"] == "ok").all()
    assert set(got["language"].iloc[:12]) <= {"en", "mixed", "other"} and got["language"].iloc[12:].isin(["ko", "mixed"]).all()
    assert got["polarity"].isin(["negative", "neutral", "positive"]).all()
