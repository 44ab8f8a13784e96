"""textcs train: a custom multi-label task end to end, validation errors, splits, reproducibility."""

import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import textcs
from textcs.cli import app
from textcs.training import TaskData, TaskModel, TrainingDataError, TrainOptions, resolve_task, split_dev, train

runner = CliRunner()

# Written for this test: a restaurant feedback task with three labels, English and Korean.
FOOD = ["The pasta was delicious", "Soup was cold and bland", "Best noodles in town", "The steak was overcooked",
        "Fresh salad and tasty bread", "음식이 정말 맛있어요", "국물이 너무 짜요", "고기가 질겨요", "The pizza was soggy",
        "Lovely dessert, rich chocolate"]
STAFF = ["The waiter was rude to us", "Staff were friendly and helpful", "Our server ignored us all night",
         "The manager apologised kindly", "직원이 불친절했어요", "사장님이 친절하세요", "The waitress was very attentive",
         "Nobody greeted us at the door", "알바생이 무례했어요", "The host was welcoming"]
PRICE = ["Way too expensive for what you get", "Great value for money", "The bill was overpriced", "Prices are fair",
         "가격이 너무 비싸요", "가성비 최고예요", "Cheap lunch deal", "They charged us twice on the bill",
         "양에 비해 가격이 비싸요", "Affordable menu"]
MIXED = [("Rude waiter and cold soup", "staff;food"), ("Tasty food but overpriced", "food;price"),
         ("직원은 친절한데 음식이 별로예요", "staff;food"), ("Friendly staff and fair prices", "staff;price"),
         ("We waited an hour", ""), ("주차가 불편해요", "")]


def rows():
    out = [(t, "food") for t in FOOD] + [(t, "staff") for t in STAFF] + [(t, "price") for t in PRICE] + MIXED
    return pd.DataFrame(out, columns=["comment", "tags"])


def lexical_task_model(folder, pre):
    """The three-label task of :func:`rows`, trained lexical-only (fast) into ``folder/model``."""
    rows().to_csv(folder / "t.csv", index=False)
    train(TrainOptions(data=str(folder / "t.csv"), output=str(folder / "model"), text="comment", label="tags",
                       multi_label=True, encoder=None), log=lambda m: None, preprocessor=pre)
    return folder / "model"


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """The end-to-end run through the CLI, with the default (encoder + lexical) hybrid backend."""
    tmp = tmp_path_factory.mktemp("train")
    rows().to_csv(tmp / "train.csv", index=False)
    out = tmp / "model"
    result = runner.invoke(app, ["train", str(tmp / "train.csv"), "-o", str(out), "--text", "comment", "--label", "tags",
                                 "--labels", "food,staff,price", "--multi-label", "--min-examples", "5"])
    assert result.exit_code == 0, result.output
    return tmp, out, result.output


def test_cli_trains_a_custom_multilabel_task_that_textcs_load_uses(trained, pre):
    tmp, out, output = trained
    assert "precision" in output and "TP" in output  # per-label table and confusion table on the console
    model = textcs.load(out, preprocessor=pre)
    assert isinstance(model, TaskModel) and model.labels == ["food", "staff", "price"]
    results = model.analyze(["The waiter was so rude to my mother", "이 집 음식 진짜 맛있어요", None])
    assert "staff" in results[0].labels and "food" in results[1].labels
    assert results[2].status == "empty" and results[2].labels == ()  # kept, flagged, not dropped
    assert set(results[0].proba) == {"food", "staff", "price"}
    comments, sentences = model.analyze_frame(pd.DataFrame({"id": [7, 8], "text": [
        "Too expensive. The soup was cold.", "The waitress was lovely"]}), id="id")
    assert {"labels", "p_food", "p_staff", "p_price", "status"} <= set(comments.columns)
    assert comments["id"].tolist() == [7, 8]
    first, second = sentences[sentences["id"] == 7]["labels"].str.split(";").tolist()  # per-sentence labels
    assert "price" in first and "food" in second


def test_model_directory_has_card_and_no_pickle(trained):
    _, out, _ = trained
    spec = json.loads((out / "task.json").read_text())
    card = (out / "MODEL_CARD.md").read_text()
    assert spec["meta"]["data_hash"] in card and "| staff |" in card and "scikit-learn" in card
    assert spec["meta"]["label_counts"]["fit"]["food"] + spec["meta"]["label_counts"]["dev"]["food"] == 13
    assert not list(out.glob("*.pkl")) and not list(out.glob("*.pickle"))
    with np.load(out / "heads.npz", allow_pickle=False) as arrays:  # loads without pickle
        assert arrays["default.custom.coef"].shape[0] == 3


def test_score_command_runs_a_custom_model(trained, tmp_path):
    tmp, out, _ = trained
    src = tmp_path / "new.csv"
    pd.DataFrame({"text": ["Cheap and cheerful", ""]}).to_csv(src, index=False)
    result = runner.invoke(app, ["score", str(src), "-o", str(tmp_path / "s.csv"), "--model", str(out)])
    assert result.exit_code == 0, result.output
    scored = pd.read_csv(tmp_path / "s.csv")
    assert scored["status"].tolist() == ["ok", "empty"] and "p_price" in scored.columns


def test_same_data_seed_and_options_give_the_same_model(tmp_path, pre):
    rows().to_csv(tmp_path / "t.csv", index=False)
    opts = dict(data=str(tmp_path / "t.csv"), text="comment", label="tags", multi_label=True, encoder=None, seed=3)
    a = train(TrainOptions(output=str(tmp_path / "a"), **opts), log=lambda m: None, preprocessor=pre)
    b = train(TrainOptions(output=str(tmp_path / "b"), **opts), log=lambda m: None, preprocessor=pre)
    assert a.reports["dev"].to_dict() == b.reports["dev"].to_dict()
    assert a.spec["thresholds"] == b.spec["thresholds"]
    with np.load(tmp_path / "a" / "heads.npz") as x, np.load(tmp_path / "b" / "heads.npz") as y:
        assert all(np.array_equal(x[k], y[k]) for k in x.files)
    c = train(TrainOptions(output=str(tmp_path / "c"), **{**opts, "seed": 4}), log=lambda m: None, preprocessor=pre)
    assert c.spec["meta"]["data_hash"] == a.spec["meta"]["data_hash"]  # same data, another split


@pytest.mark.parametrize("bad, message", [
    ([("Great pasta", "food"), ("Lovely", "flavour")], "'flavour' in rows 2"),
    ([("Great pasta", "food"), ("  ", "food")], "empty or missing text in 1 rows: 2"),
])
def test_bad_rows_are_named_by_row_number(tmp_path, bad, message):
    frame = pd.concat([rows().iloc[:20], pd.DataFrame(bad, columns=["comment", "tags"])], ignore_index=True)
    frame.to_csv(tmp_path / "bad.csv", index=False)
    result = runner.invoke(app, ["train", str(tmp_path / "bad.csv"), "-o", str(tmp_path / "m"), "--text", "comment",
                                 "--label", "tags", "--labels", "food,staff,price", "--multi-label", "--encoder", "none"])
    assert result.exit_code == 2
    assert message.replace("rows 2", f"rows {len(frame)}").replace(": 2", f": {len(frame)}") in result.output


def test_too_few_examples_and_single_label_rows_are_errors():
    task = resolve_task("custom", ["food", "staff", "price"], multi_label=True)
    data = TaskData.from_frame(rows().iloc[:22], task, text="comment", label="tags")  # only 2 price rows
    with pytest.raises(TrainingDataError, match="'price' has 2"):
        data.check_counts(5)
    with pytest.raises(TrainingDataError, match="rows 1, 2 have several labels"):
        TaskData.from_frame(pd.DataFrame({"text": ["a", "b"], "labels": ["negative;positive", "neutral;positive"]}),
                            resolve_task("sentiment"))


def test_taxonomy_tasks_check_labels_against_the_taxonomy():
    assert resolve_task("servqual").labels == ["reliability", "responsiveness", "assurance", "empathy", "tangibles"]
    assert resolve_task("touchpoints", industry="airline").labels[0] == "airline.booking"
    with pytest.raises(TrainingDataError, match="'positiv' in rows 2"):
        TaskData.from_frame(pd.DataFrame({"text": ["a", "b"], "labels": ["positive", "positiv"]}), resolve_task("sentiment"))


def test_dev_split_is_stratified_and_seeded():
    task = resolve_task("custom", ["a", "b", "c"], multi_label=True)
    Y = np.zeros((100, 3), dtype=np.int8)
    Y[:60, 0] = 1
    Y[60:90, 1] = 1
    Y[90:, 2] = 1
    data = TaskData([str(i) for i in range(100)], Y, task)
    fit, dev = split_dev(data, 0.2, seed=1)
    assert len(np.intersect1d(fit, dev)) == 0 and len(fit) + len(dev) == 100
    assert data.Y[dev].sum(0).tolist() == [12, 6, 2]
    assert np.array_equal(dev, split_dev(data, 0.2, seed=1)[1]) and not np.array_equal(dev, split_dev(data, 0.2, seed=2)[1])


def test_yaml_config_given_dev_and_test_sets(tmp_path):
    frame = rows()
    frame.iloc[::4].to_csv(tmp_path / "dev.csv", index=False)
    frame.to_csv(tmp_path / "train.csv", index=False)
    (tmp_path / "train.yaml").write_text(
        "data: train.csv\ndev: dev.csv\ntest: dev.csv\noutput: model\ntext: comment\nlabel: tags\n"
        "multi-label: true\nencoder: none\nseed: 1\n", encoding="utf-8")
    result = runner.invoke(app, ["train", "--config", str(tmp_path / "train.yaml"), "--seed", "2"])
    assert result.exit_code == 0, result.output
    spec = json.loads((tmp_path / "model" / "task.json").read_text())
    assert spec["meta"]["options"]["seed"] == 2  # the flag wins over the file
    assert spec["meta"]["n_dev"] == len(frame.iloc[::4]) and "test" in spec["meta"]["metrics"]
    assert spec["task"]["labels"] == ["food", "price", "staff"]  # open label set: the labels in the data, sorted
    bad = runner.invoke(app, ["train", "--config", str(tmp_path / "nope.yaml")])
    assert bad.exit_code == 2 and "cannot read training config" in bad.output


def test_datasets_folder_and_single_label_sentiment(tmp_path, pre):
    datasets = pytest.importorskip("datasets")
    texts = ["Loved it", "Great service", "Amazing crew", "Very happy", "Best flight", "Wonderful staff",
             "Terrible delay", "Lost my bag", "Awful food", "Rude agent", "Never again", "Worst airline",
             "Flight was on time", "Seat 12A", "Boarding at 9", "It was a flight", "Landed in Seoul", "Ok I guess"]
    pols = ["positive"] * 6 + ["negative"] * 6 + ["neutral"] * 6
    dev = {"text": ["Superb crew", "Bags lost again", "Flight 12 to Busan"], "sentiment": ["positive", "negative", "neutral"]}
    datasets.DatasetDict({"train": datasets.Dataset.from_dict({"text": texts, "sentiment": pols}),
                          "validation": datasets.Dataset.from_dict(dev)}).save_to_disk(tmp_path / "ds")
    result = train(TrainOptions(data=str(tmp_path / "ds"), output=str(tmp_path / "m"), task="sentiment", label="sentiment",
                                encoder=None, min_examples=3), log=lambda m: None, preprocessor=pre)
    assert result.spec["meta"]["n_dev"] == 3 and result.spec["meta"]["n_fit"] == 18  # its own validation split
    assert result.spec["task"] == {"name": "polarity", "kind": "multiclass", "labels": ["negative", "neutral", "positive"]}
    assert set(result.reports["dev"].confusion.columns) == {"negative", "neutral", "positive"}
    assert textcs.load(tmp_path / "m", preprocessor=pre).analyze(["Terrible, rude agent"])[0].labels in {("negative",), ("neutral",), ("positive",)}


def test_split_column_gives_dev_and_test_rows(tmp_path, pre):
    frame = rows()
    frame["part"] = ["train", "train", "dev", "test"] * (len(frame) // 4) + ["train"] * (len(frame) % 4)
    frame.to_csv(tmp_path / "t.csv", index=False)
    result = train(TrainOptions(data=str(tmp_path / "t.csv"), output=str(tmp_path / "m"), text="comment", label="tags",
                                multi_label=True, encoder=None, split_column="part", min_examples=3), log=lambda m: None, preprocessor=pre)
    counts = frame["part"].value_counts()
    assert (result.spec["meta"]["n_fit"], result.spec["meta"]["n_dev"], result.spec["meta"]["n_test"]) == (
        counts["train"], counts["dev"], counts["test"])
    frame.loc[5, "part"] = "holdout"
    frame.to_csv(tmp_path / "t.csv", index=False)
    with pytest.raises(TrainingDataError, match="rows 6 are not"):
        train(TrainOptions(data=str(tmp_path / "t.csv"), output=str(tmp_path / "m"), text="comment", label="tags",
                           multi_label=True, encoder=None, split_column="part"), log=lambda m: None, preprocessor=pre)
