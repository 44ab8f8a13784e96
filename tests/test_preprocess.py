import math

import pandas as pd
import pytest

import textcs
from textcs import InvalidTextError


def test_issue_example(pre):
    ko, en = pre(["직원분이 너무 친절했어요 ㅎㅎ 010-1234-5678", "Flight was 3h late!!!"])
    assert ko.status == "ok" and ko.language == "ko" and ko.pii == {"PHONE": 1}
    assert "<PHONE>" in ko.text and "010" not in ko.text
    assert ko.sentences[0].text == "직원분이 너무 친절했어요 ㅎㅎ"
    assert [t.text for t in ko.sentences[0].tokens][:3] == ["직원", "분", "이"]
    assert en.language == "en" and en.sentences[0].text == "Flight was 3h late!!!"
    assert [t.lemma for t in en.sentences[0].tokens][:2] == ["flight", "be"]


def test_offsets_point_into_original_even_after_normalisation(pre):
    raw = "  Front desk was sooooo slow&hellip;   I waited 40 min!!!!!!\n\nNever again ㅠㅠㅠㅠ"
    r = pre([raw])[0]
    spans = [raw[s.start:s.end] for s in r.sentences]
    assert spans[0].startswith("Front desk was sooooo slow")
    assert spans[-1] == "Never again ㅠㅠㅠㅠ"
    for s in r.sentences:
        for t in s.tokens:
            assert s.start <= t.start <= t.end <= s.end


def test_pii_offsets_cover_the_original_number(pre):
    raw = "환불은 계좌 110-123-456789 로 부탁해요"
    r = pre([raw])[0]
    tok = next(t for s in r.sentences for t in s.tokens if t.text == "<ACCOUNT>")
    assert raw[tok.start:tok.end] == "110-123-456789"


@pytest.mark.parametrize(
    "value, status",
    [
        (None, "empty"),
        (float("nan"), "empty"),
        (pd.NA, "empty"),
        ("", "empty"),
        ("   \n\t ", "empty"),
        ("\u200b\u200b", "empty"),
        (42, "invalid"),
        (3.5, "invalid"),
        (b"\x00\x01\x02binary", "invalid"),
        (b"\xff\xfe\xfa", "invalid"),
        ("".join(map(chr, range(1, 32))) * 3, "invalid"),
        ("ok then \ud800 broken", "ok"),
        ("x " * 600_000, "truncated"),
    ],
)
def test_bad_input_is_flagged_never_raised(pre, value, status):
    records = pre(["before", value, "after"])
    assert [r.index for r in records] == [0, 1, 2]
    assert records[0].status == records[2].status == "ok"
    assert records[1].status == status
    if status != "ok":
        assert records[1].reason


def test_bytes_are_decoded_utf8_then_cp949(pre):
    utf8, cp949 = pre(["친절해요".encode("utf-8"), "친절해요".encode("cp949")])
    assert utf8.text == cp949.text == "친절해요"
    assert cp949.reason == "decoded from cp949"


def test_truncated_comment_is_processed_up_to_the_limit(pre):
    r = pre(["좋아요 " * 300_000])[0]  # 1.2 MB
    assert r.status == "truncated" and r.sentences
    assert r.sentences[-1].end <= 10_000


def test_strict_mode_raises_textcs_error():
    strict = textcs.Preprocessor(strict=True)
    with pytest.raises(InvalidTextError) as info:
        strict(["fine", None])
    assert info.value.index == 1 and info.value.status == "empty"
    assert isinstance(info.value, textcs.TextcsError)


def test_lists_series_generators_and_single_strings(pre):
    series = pd.Series(["좋아요", "Great"], index=["a", "b"])
    assert [r.text for r in pre(series)] == ["좋아요", "Great"]
    assert [r.text for r in pre(t for t in ["좋아요", "Great"])] == ["좋아요", "Great"]
    assert len(pre("한 문장")) == 1
    frame = textcs.to_frame(pre(series), index=series.index)
    assert list(frame.index) == ["a", "b"] and frame.loc["a", "language"] == "ko"


def test_pipe_is_lazy_and_ordered():
    small = textcs.Preprocessor(batch_size=2)
    out = small.pipe(iter(["a b c", None, "배송", "Great", "x"]))
    first = next(out)
    assert first.index == 0
    assert [r.index for r in out] == [1, 2, 3, 4]


def test_frames_have_documented_columns(pre):
    records = pre(["전화 010-1234-5678 주세요. 감사해요", None])
    frame = textcs.to_frame(records)
    for col in ["original", "text", "status", "reason", "language", "language_confidence", "n_sentences", "pii_count", "pii_PHONE"]:
        assert col in frame.columns
    assert frame["pii_PHONE"].tolist() == [1, 0]
    sents = textcs.sentences_frame(records)
    assert list(sents.columns) == ["index", "sentence", "start", "end", "text", "tokens", "lemmas"]
    assert (sents["index"] == 0).all() and len(sents) == 2


def test_top_level_preprocess_reuses_models():
    a = textcs.preprocess(["좋아요"])
    default = textcs._default
    textcs.preprocess(["Great"])
    assert textcs._default is default and a[0].language == "ko"


def test_mixed_route_keeps_latin_words(pre):
    r = pre(["오늘 flight delay 때문에 connecting flight 놓쳤는데 customer service는 최악"])[0]
    assert r.language == "mixed"
    words = [t.text for s in r.sentences for t in s.tokens]
    assert "flight" in words and "customer" in words
