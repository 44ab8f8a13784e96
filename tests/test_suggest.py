"""textcs suggest: least-sure and diverse comments, ready to label and train on."""

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import textcs
from textcs.cli import app
from textcs.suggest import suggest, uncertainty

from test_training import lexical_task_model, rows

runner = CliRunner()

POOL = ["The waiter was rude to us", "Prices are fair", "The soup was cold", "We waited a while",
        "We waited a while!", "we waited  a while", "It was fine I guess", "The place was okay",
        "Staff were friendly and the food was great", "직원이 친절했어요", "가격이 비싸요", "", None]


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory, pre):
    return lexical_task_model(tmp_path_factory.mktemp("suggest"), pre)


def test_picks_the_least_sure_first_and_skips_duplicates(model_dir, pre):
    model = textcs.load(model_dir, preprocessor=pre)
    frame = pd.DataFrame({"id": range(len(POOL)), "text": POOL})
    picked = suggest(model, frame, n=6)
    assert len(picked) == 6 and set(picked.columns) >= {"id", "text", "uncertainty", "predicted", "p_food", "labels"}
    live = frame[frame["text"].fillna("").str.strip() != ""]
    u = uncertainty(model.predict_proba(live["text"]), "multilabel", model.thresholds())
    assert picked["uncertainty"].iloc[0] == pytest.approx(u.max(), abs=1e-6)  # the least sure comes first
    waits = picked["text"].str.lower().str.replace(r"\W", "", regex=True) == "wewaitedawhile"
    assert waits.sum() <= 1  # the three near-identical comments are one candidate
    assert picked["text"].notna().all() and (picked["text"] != "").all()  # unanalysable rows are never picked
    assert (picked["labels"] == "").all()


def test_diversity_spreads_the_batch(monkeypatch):
    import textcs.suggest as module

    texts = ["late again today"] + [f"late again today {i}" for i in range(5)] + ["rude staff", "cold food"]
    p = np.array([0.5, 0.5, 0.51, 0.52, 0.52, 0.53, 0.6, 0.62])  # near-duplicates are the least sure
    monkeypatch.setattr(module, "model_probabilities",
                        lambda model, texts, task=None: (p[:, None], ["x"], "multilabel", np.array([0.5])))
    plain = suggest(None, pd.DataFrame({"text": texts}), n=3, diversity=0.0)
    spread = suggest(None, pd.DataFrame({"text": texts}), n=3, diversity=1.0)
    assert plain["text"].str.startswith("late").all()
    assert {"rude staff", "cold food"} <= set(spread["text"])


def test_cli_output_feeds_back_into_train(model_dir, tmp_path):
    src = tmp_path / "pool.csv"
    pd.DataFrame({"text": POOL}).to_csv(src, index=False)
    out = tmp_path / "to_label.csv"
    result = runner.invoke(app, ["suggest", str(src), "--model", str(model_dir), "-n", "4", "-o", str(out)])
    assert result.exit_code == 0, result.output
    labelled = pd.read_csv(out, keep_default_na=False)
    assert len(labelled) == 4
    labelled["labels"] = ["staff", "price", "food", ""]
    combined = pd.concat([rows().rename(columns={"comment": "text", "tags": "labels"}), labelled[["text", "labels"]]])
    combined.to_csv(tmp_path / "more.csv", index=False)
    again = runner.invoke(app, ["train", str(tmp_path / "more.csv"), "-o", str(tmp_path / "m2"), "--multi-label",
                                "--encoder", "none"])
    assert again.exit_code == 0, again.output


def test_shipped_model_tasks(tmp_path):
    analyzer = textcs.load(profile="fast")
    picked = suggest(analyzer, pd.DataFrame({"text": ["Flight was late", "Great crew", "It was a flight", "ok"]}),
                     n=2, task="servqual")
    assert len(picked) == 2 and "p_reliability" in picked.columns
    with pytest.raises(ValueError, match="shipped model offers"):
        suggest(analyzer, pd.DataFrame({"text": ["x"]}), n=1, task="recovery")
