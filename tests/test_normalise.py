import pytest

from textcs.preprocess import AlignedText, Normaliser, normalise


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Soooo   good", "Soo good"),
        ("ㅋㅋㅋㅋㅋ 너무 웃겨요ㅠㅠㅠㅠ", "ㅋㅋ 너무 웃겨요ㅠㅠ"),
        ("Fish &amp; chips &lt;3", "Fish & chips <3"),
        ("ｆｕｌｌ　ｗｉｄｔｈ ＡＢＣ１２３", "full width ABC123"),
        ("zero\u200bwidth\u00ad and\ufeffbom", "zerowidth andbom"),
        ("  line one\r\n\r\n line two<br/>three  ", "line one\nline two\nthree"),
        ("Never!!!!!!! again......", "Never!!! again..."),
        ("1000000원 환불", "1000000원 환불"),  # digits are never squeezed
        ("visit www.goooogle.com now", "visit www.goooogle.com now"),  # URLs keep their letters
    ],
)
def test_normalise_examples(raw, expected):
    assert normalise(raw).text == expected


def test_korean_emoticons_and_emoji_survive():
    text = normalise("좋아요^^ 최고👍 👨\u200d👩\u200d👧 ㅎㅎ").text
    assert "^^" in text and "👍" in text and "ㅎㅎ" in text
    assert "👨\u200d👩\u200d👧" in text  # the joiner inside an emoji sequence is kept


def test_compatibility_jamo_are_not_decomposed_by_nfkc():
    assert normalise("ㅋㅋ ㅠㅠ").text == "ㅋㅋ ㅠㅠ"


def test_decomposed_hangul_is_composed():
    assert normalise("\u1100\u1161\u11a8 좋아요").text == "각 좋아요"


def test_lone_surrogate_becomes_replacement_character():
    assert normalise("abc\ud800def").text == "abc\ufffddef"


def test_original_span_points_into_original():
    a = normalise("  Soooo   good&amp;cheap")
    i = a.text.index("cheap")
    s, e = a.original_span(i, i + 5)
    assert a.original[s:e] == "cheap"
    s, e = a.original_span(0, 3)  # "Soo" stands for "Soooo"
    assert a.original[s:e] == "Soooo"


def test_unchanged_text_keeps_identity_alignment():
    a = normalise("nothing to do")
    assert a.starts is None and a.original_span(0, 7) == (0, 7)


def test_repeat_limits_are_configurable_and_validated():
    assert Normaliser(max_letter_repeat=3)("Sooooo").text == "Sooo"
    with pytest.raises(ValueError):
        Normaliser(max_letter_repeat=0)


def test_aligned_sub_of_empty_replacement_maps_neighbours():
    a = AlignedText.of("a--b").sub(__import__("regex").compile("-+"), lambda m: "")
    assert a.text == "ab" and a.original_span(1, 2) == (3, 4)
