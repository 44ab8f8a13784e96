"""The corpus check: every row valid against the taxonomy, no empty or duplicated text, no leakage."""

import pandas as pd
import pytest

from textcs.corpus import COLUMNS, load_corpus, validate_corpus


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


def test_every_corpus_row_is_valid(corpus):
    problems = validate_corpus(corpus)
    assert problems == [], "\n".join(problems[:30])


def test_corpus_size_balance_and_label_coverage(corpus):
    assert len(corpus) >= 4000
    share_ko = (corpus["lang"] == "ko").mean()
    assert 0.4 <= share_ko <= 0.6
    for task, labels in (
        ("servqual", ["reliability", "responsiveness", "assurance", "empathy", "tangibles"]),
        ("failures", ["delay", "unavailable", "error", "loss_damage", "staff_behavior",
                      "request_handling", "billing", "facility", "communication"]),
    ):
        counts = corpus[["lang", task]].explode(task).value_counts()
        for label in labels:
            for lang in ("ko", "en"):
                assert counts.get((lang, label), 0) >= 200, (task, label, lang)


def test_splits_are_fixed_and_sized(corpus):
    shares = corpus["split"].value_counts(normalize=True)
    assert set(shares.index) == {"train", "dev", "test"}
    assert 0.1 <= shares["test"] <= 0.2 and 0.1 <= shares["dev"] <= 0.2
    assert len(load_corpus(split="test", lang="ko")) == ((corpus["split"] == "test") & (corpus["lang"] == "ko")).sum()


def _bad(corpus, **changes):
    frame = corpus.head(3).copy().astype(object)
    for col, value in changes.items():
        frame.at[0, col] = value
    return frame


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"servqual": ["courtesy"]}, "unknown servqual"),
        ({"failures": ["late"]}, "unknown failures"),
        ({"polarity": "meh"}, "unknown polarity"),
        ({"recovery": "maybe"}, "unknown recovery"),
        ({"touchpoints": ["airline.spaceship"]}, "not in the"),
        ({"text": "   "}, "empty text"),
        ({"split": "holdout"}, "split"),
        ({"delight": "yes"}, "delight"),
        ({"lang": "ja"}, "lang"),
    ],
)
def test_validator_rejects_bad_rows(corpus, changes, message):
    problems = validate_corpus(_bad(corpus, **changes))
    assert any(message in p for p in problems), problems


def test_validator_rejects_duplicates_and_leakage(corpus):
    rows = corpus[corpus["split"] == "train"].head(2).copy()
    dup = pd.concat([rows, rows.assign(id=rows["id"] + "x")], ignore_index=True)
    assert any("duplicated text" in p for p in validate_corpus(dup))
    leak = pd.concat([rows, rows.assign(id=rows["id"] + "x", split="test", text=rows["text"].str.upper())], ignore_index=True)
    assert any("leaks across splits" in p for p in validate_corpus(leak))
    same_id = pd.concat([rows, rows.assign(text=rows["text"] + " !")], ignore_index=True)
    assert any("duplicate id" in p for p in validate_corpus(same_id))


def test_frame_has_documented_columns(corpus):
    assert list(corpus.columns[: len(COLUMNS)]) == list(COLUMNS)
