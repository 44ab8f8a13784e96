import pytest

from textcs.preprocess.config import load_config
from textcs.preprocess.pipelines import build_pipeline


@pytest.fixture(scope="module")
def en():
    return build_pipeline("en", load_config())


@pytest.mark.parametrize(
    "word, lemma",
    [("crew", "crew"), ("worst", "bad"), ("better", "good"), ("does", "do"), ("matter", "matter"),
     ("bags", "bag"), ("were", "be"), ("cancelled", "cancel"), ("Delayed", "delay")],
)
def test_english_lemmas_with_overrides(en, word, lemma):
    assert en(word)[0].lemma_ == lemma


def test_english_placeholders_and_emoticons_whole(en):
    words = [t.text for t in en("Call <PHONE>, thanks :) -_- ^^")]
    assert "<PHONE>" in words and ":)" in words and "-_-" in words and "^^" in words


def test_english_sentences_split_on_punctuation_and_line_breaks(en):
    doc = en("Flight was 3h late!!! Crew were great\nbags lost though")
    assert [s.text.strip() for s in doc.sents] == ["Flight was 3h late!!!", "Crew were great", "bags lost though"]


def test_unknown_route_is_a_clear_error():
    with pytest.raises(ValueError, match="no pipeline"):
        build_pipeline("klingon", load_config())


def test_pipelines_follow_the_users_config(tmp_path):
    """A user's preprocess.yaml reaches the tokenizers: its own emoticon stays one token."""
    import yaml

    import textcs

    config = dict(load_config())
    config["emoticons"] = list(config["emoticons"]) + [">_<"]
    path = tmp_path / "preprocess.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    records = textcs.Preprocessor(config=path)(["so sorry >_< truly", "정말 죄송해요>_<"])
    for r in records:
        assert ">_<" in [t.text for s in r.sentences for t in s.tokens]
