"""The batch layer: score_frame's schema and statuses, and the streaming, resumable job runner."""

import pandas as pd
import pytest

import textcs
from textcs.batch import Columns, JobError, score_frame


@pytest.fixture(scope="module")
def fast():
    return textcs.load(profile="fast")


def test_score_frame_keeps_every_row_in_order_with_a_status(fast):
    df = pd.DataFrame({"id": ["a", "b", "c", "d"],
                       "text": ["Flight was 3 hours late.", None, "배달이 너무 늦었어요", 42],
                       "tp": [None, None, "restaurant.delivery_rider", None]}, index=[7, 8, 9, 10])
    comments, sentences = score_frame(fast, df, Columns(id="id", touchpoint="tp"), invalid={9: "line 11: bad"})
    assert comments["row"].tolist() == [7, 8, 9, 10] and comments["id"].tolist() == ["a", "b", "c", "d"]
    assert comments["status"].tolist() == ["ok", "empty", "invalid", "invalid"]
    assert comments.loc[2, "reason"] == "line 11: bad" and "expected text" in comments.loc[3, "reason"]
    assert set(sentences["row"]) == {7} and sentences["id"].tolist() == ["a"]


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
