"""The transformer backend with a tiny BERT built in the test (no download): train through the CLI,
load with textcs.load, score; ONNX parity; reproducibility."""

import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")
pytest.importorskip("tokenizers")

import textcs  # noqa: E402
from textcs.cli import app  # noqa: E402
from textcs.training import TaskModel, TrainOptions, train  # noqa: E402
from textcs.training.transformer import build_scratch_encoder  # noqa: E402

from test_training import rows  # noqa: E402

runner = CliRunner()


@pytest.fixture(scope="module")
def tiny_bert(tmp_path_factory):
    """A BERT with hidden size 32 and 2 layers, its WordPiece vocabulary trained on the test's texts."""
    folder = tmp_path_factory.mktemp("tiny-bert")
    return build_scratch_encoder(rows()["comment"].tolist(), folder, hidden=32, layers=2, heads=2,
                                 vocab_size=2000, max_length=32)


@pytest.fixture(scope="module")
def trained(tiny_bert, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("tf-train")
    rows().to_csv(tmp / "train.csv", index=False)
    out = tmp / "model"
    result = runner.invoke(app, [
        "train", str(tmp / "train.csv"), "-o", str(out), "--backend", "transformer", "--base", str(tiny_bert),
        "--text", "comment", "--label", "tags", "--labels", "food,staff,price", "--multi-label",
        "--epochs", "3", "--batch-size", "8", "--learning-rate", "1e-3", "--max-length", "32", "--device", "cpu",
        "--onnx"])
    assert result.exit_code == 0, result.output
    return out, result.output


def test_cli_trains_the_tiny_bert_and_textcs_load_scores_new_text(trained, pre):
    out, output = trained
    assert "dev macro-F1" in output and "precision" in output
    assert (out / "transformer" / "model.safetensors").exists() and (out / "model.onnx").exists()
    spec = json.loads((out / "task.json").read_text())
    assert spec["backend"] == "transformer" and spec["meta"]["backend"]["layers"] == 2
    model = textcs.load(out, preprocessor=pre)
    assert isinstance(model, TaskModel)
    results = model.analyze(["The prices are way too expensive", "", "The waiter was rude"])
    assert results[1].status == "empty" and results[0].status == "ok"
    assert set(results[0].proba) == {"food", "staff", "price"}
    proba = model.predict_proba(["Rude waiter and cold soup", "Great value for money"])
    assert ((proba >= 0) & (proba <= 1)).all() and not np.allclose(proba[0], proba[1])  # depends on the text


@pytest.mark.slow
def test_tiny_bert_from_random_weights_learns_its_training_data(tiny_bert, tmp_path, pre):
    """Trained longer, the tiny model fits the task (a random-weight BERT learns slowly: ~30 epochs)."""
    pd.concat([rows()] * 3, ignore_index=True).to_csv(tmp_path / "t.csv", index=False)
    train(TrainOptions(data=str(tmp_path / "t.csv"), output=str(tmp_path / "m"), text="comment", label="tags",
                       multi_label=True, backend="transformer", base=str(tiny_bert), epochs=30, patience=30,
                       batch_size=8, learning_rate=1e-3, max_length=32, device="cpu"), log=lambda m: None, preprocessor=pre)
    model = textcs.load(tmp_path / "m", preprocessor=pre)
    frame = rows()
    truth = np.array([[l in t.split(";") for l in model.labels] for t in frame["tags"].fillna("")])
    decided = model.predict_proba(frame["comment"].tolist()) >= model.thresholds()
    assert (decided == truth).mean() > 0.75  # all-negative would score 0.65


def test_onnx_profile_matches_pytorch(trained, pre):
    out, _ = trained
    texts = ["Rude waiter and cold soup", "가격이 너무 비싸요", "A much longer comment about the food and the bill " * 3]
    torch_p = textcs.load(out, preprocessor=pre).predict_proba(texts)
    onnx_p = textcs.load(out, profile="onnx", preprocessor=pre).predict_proba(texts)
    np.testing.assert_allclose(torch_p, onnx_p, atol=1e-4)


def test_transformer_training_from_scratch_is_reproducible(tmp_path, pre):
    """--base scratch (vocabulary and random weights built in the run) twice: the same model."""
    rows().to_csv(tmp_path / "t.csv", index=False)
    opts = dict(data=str(tmp_path / "t.csv"), text="comment", label="tags", multi_label=True, backend="transformer",
                base="scratch", scratch_hidden=32, scratch_layers=2, scratch_vocab=2000, epochs=2, batch_size=8,
                learning_rate=1e-3, max_length=32, device="cpu")
    a = train(TrainOptions(output=str(tmp_path / "a"), **opts), log=lambda m: None, preprocessor=pre)
    b = train(TrainOptions(output=str(tmp_path / "b"), **opts), log=lambda m: None, preprocessor=pre)
    assert a.reports["dev"].to_dict() == b.reports["dev"].to_dict()
    pa = textcs.load(tmp_path / "a", preprocessor=pre).predict_proba(["The soup was cold"])
    pb = textcs.load(tmp_path / "b", preprocessor=pre).predict_proba(["The soup was cold"])
    np.testing.assert_array_equal(pa, pb)


def test_transformer_backend_needs_a_base(tmp_path):
    rows().to_csv(tmp_path / "t.csv", index=False)
    result = runner.invoke(app, ["train", str(tmp_path / "t.csv"), "-o", str(tmp_path / "m"), "--backend", "transformer",
                                 "--text", "comment", "--label", "tags", "--multi-label"])
    assert result.exit_code == 2 and "needs --base" in result.output
