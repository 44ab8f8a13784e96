import spacy
import pytest

from textcs.preprocess.spacy_kiwi import KiwiTokenizer

CONFIG = {"nlp": {"tokenizer": {"@tokenizers": "textcs.KiwiTokenizer.v1"}}}


@pytest.fixture(scope="module")
def nlp():
    return spacy.blank("ko", config=CONFIG)


@pytest.mark.parametrize(
    "text",
    [
        "직원분이 너무 친절했어요 ㅎㅎ",
        "  앞뒤 공백과  두 칸   띄어쓰기\n그리고 줄바꿈 ",
        "재구매 의사 에요 벌써 또 생각납니다",  # Kiwi emits a zero-width copula here
        "앱 login이 안돼요^^ 😀 최고 -_-",
        "",
    ],
)
def test_doc_text_equals_input(nlp, text):
    assert nlp(text).text == text


def test_morphemes_tags_and_lemmas(nlp):
    doc = nlp("배송 빨랐어요 기사님이 친절하셨어요")
    by_text = {t.text: t for t in doc}
    assert by_text["배송"].tag_ == "NNG" and by_text["배송"].pos_ == "NOUN"
    assert by_text["빨"].lemma_ == "빠르다"  # verbs and adjectives get their 다-form
    merged = [t for t in doc if "+" in t.tag_]
    assert merged and all(len(t._.morphs) >= 2 for t in merged)


def test_latin_words_stay_whole_with_lowercase_lemma(nlp):
    doc = nlp("KTX app 로그인이 안돼요")
    assert [t.text for t in doc][:2] == ["KTX", "app"]
    assert doc[0].tag_ == "SL" and doc[0].lemma_ == "ktx"


def test_emoticons_and_placeholders_are_single_tokens(nlp):
    words = [t.text for t in nlp("감사해요^^ <PHONE>로 연락 주세요ㅠㅠ -_- ㅋㅋ")]
    for piece in ["^^", "<PHONE>", "ㅠㅠ", "-_-", "ㅋㅋ"]:
        assert piece in words


def test_sentences_from_kiwi_and_line_breaks(nlp):
    doc = nlp("음식은 맛있었어요 근데 배달이 늦었어요\n다음엔 빨리 부탁드려요")
    sents = [s.text.strip() for s in doc.sents]
    assert sents[-1] == "다음엔 빨리 부탁드려요"
    assert len(sents) >= 2


def test_pipe_matches_call(nlp):
    texts = ["좋아요", "", "배송이 늦었어요. 그래도 친절했어요"]
    piped = list(nlp.tokenizer.pipe(texts))
    assert [[t.text for t in d] for d in piped] == [[t.text for t in nlp(t)] for t in texts]


def test_serialisation_round_trip(nlp, tmp_path):
    nlp.to_disk(tmp_path / "ko")
    loaded = spacy.load(tmp_path / "ko")
    assert isinstance(loaded.tokenizer, KiwiTokenizer)
    assert [t.tag_ for t in loaded("다시 잘 되나요")] == [t.tag_ for t in nlp("다시 잘 되나요")]
