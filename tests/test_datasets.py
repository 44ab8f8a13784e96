import pytest

from textcs.datasets import DATASETS, DatasetNotFound, available, load_dataset


def test_missing_folder_raises_dataset_not_found(tmp_path, monkeypatch):
    monkeypatch.setenv("TEXTCS_REAL_DATA", str(tmp_path))
    assert available() == []
    with pytest.raises(DatasetNotFound):
        load_dataset("twitter_airline")
    with pytest.raises(KeyError, match="unknown data set"):
        load_dataset("imaginary")


@pytest.mark.real_data
@pytest.mark.parametrize("name", sorted(DATASETS))
def test_every_real_dataset_loads_tidy(real_dir, name):
    frame = load_dataset(name)
    assert len(frame) > 500
    assert frame["text"].map(lambda t: isinstance(t, str) and t.strip() != "").all()
    assert set(frame["split"]) <= {"train", "test", "eval"}


@pytest.mark.real_data
def test_split_filter_and_documented_splits(real_dir):
    test = load_dataset("twitter_airline", split="test")
    assert set(test["split"]) == {"test"} and set(test["sentiment"]) == {"negative", "neutral", "positive"}
    semeval = load_dataset("semeval2014_restaurants")
    assert semeval["split"].value_counts().to_dict() == {"train": 3041, "test": 800}
    assert set(load_dataset("yanolja")["split"]) == {"eval"}
