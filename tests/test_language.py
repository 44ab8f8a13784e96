import pytest

from textcs.preprocess import LanguageIdentifier


@pytest.fixture(scope="module")
def lid():
    return LanguageIdentifier.from_config()


@pytest.mark.parametrize(
    "text, lang",
    [
        ("배송이 빨라서 좋았어요", "ko"),
        ("KTX 좌석이 좁아요ㅠㅠ", "ko"),
        ("ㅋㅋㅋ", "ko"),
        ("The crew were lovely but the seat was broken.", "en"),
        ("Flight delayed again smh", "en"),
        ("ok", "en"),
        ("오늘 flight delay 때문에 connecting flight 놓쳤는데 customer service는 rebooking도 못 해준대요", "mixed"),
        ("Das Essen war sehr gut und das Personal freundlich", "other"),
        ("El servicio fue terrible y la comida llegó fría", "other"),
        ("今日はとても良かったです", "other"),
        ("服务很好", "other"),
        ("👍👍", "other"),
    ],
)
def test_language(lid, text, lang):
    got, conf = lid(text)
    assert got == lang
    assert 0.0 <= conf <= 1.0


def test_batch_equals_single(lid):
    texts = ["좋아요", "Thanks for the upgrade, you made my day", "Merci beaucoup pour le service impeccable"]
    assert lid.many(texts) == [lid(t) for t in texts]
