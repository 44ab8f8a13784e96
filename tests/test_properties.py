"""Property tests: for any Unicode, lenient preprocessing never raises, offsets slice the original,
and normalisation is idempotent."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from textcs.preprocess import normalise

# Text that looks like comments (Hangul, jamo, Latin, digits, punctuation, emoji, spaces, PII
# shapes) mixed with any code point at all, surrogates included.
pieces = st.one_of(
    st.text(alphabet=st.characters(codec=None), max_size=20),
    st.sampled_from(
        ["직원분이", "친절", "했어요", "ㅋㅋㅋㅋ", "ㅠㅠ", "^^", "Soooo", "late!!!", " ", "\n", "  ",
         "&amp;", "<br>", "010-1234-5678", "a@b.co", "https://x.io/a", "@user", "😀", "👨\u200d👩",
         "\u200b", "\ufeff", "\ud800", "ｆｕｌｌ", "\u1100\u1161", "e\u0301", ".", "?", "1000"]
    ),
)
comments = st.lists(pieces, max_size=25).map("".join)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(comments)
def test_normalisation_is_idempotent(text):
    once = normalise(text).text
    assert normalise(once).text == once


@SETTINGS
@given(comments)
def test_alignment_maps_into_original(text):
    a = normalise(text)
    for i in range(len(a.text)):
        s, e = a.original_span(i, i + 1)
        assert 0 <= s < e <= len(text)
    if a.text:
        s, e = a.original_span(0, len(a.text))
        assert 0 <= s <= e <= len(text)


@SETTINGS
@given(st.lists(comments, min_size=1, max_size=4))
def test_lenient_preprocessing_never_raises_and_offsets_slice_original(pre, texts):
    records = pre(texts)
    assert [r.index for r in records] == list(range(len(texts)))
    for text, r in zip(texts, records):
        assert r.status in ("ok", "empty", "truncated", "invalid")
        last = 0
        for s in r.sentences:
            assert last <= s.start <= s.end <= len(text)
            last = s.end
            for t in s.tokens:
                assert s.start <= t.start <= t.end <= s.end
