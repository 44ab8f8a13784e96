import pytest

from textcs.preprocess import AlignedText, PIIMasker
from textcs.preprocess.pii import luhn_ok


@pytest.fixture(scope="module")
def masker():
    return PIIMasker.from_config()


@pytest.mark.parametrize(
    "text, masked, kind",
    [
        ("연락처 010-1234-5678 로 주세요", "연락처 <PHONE> 로 주세요", "PHONE"),
        ("010 9876 5432로 전화주세요", "<PHONE>로 전화주세요", "PHONE"),
        ("매장 02-123-4567 번호로", "매장 <PHONE> 번호로", "PHONE"),
        ("+82 10-2222-3333 international", "<PHONE> international", "PHONE"),
        ("call +1 (415) 555-0132 today", "call <PHONE> today", "PHONE"),
        ("US line 415-555-0132.", "US line <PHONE>.", "PHONE"),
        ("고객센터 1588-1234 연결 안됨", "고객센터 <PHONE> 연결 안됨", "PHONE"),
        ("mail me: kim.minji@example.co.kr", "mail me: <EMAIL>", "EMAIL"),
        ("주민번호 900101-1234567 을 요구함", "주민번호 <RRN> 을 요구함", "RRN"),
        ("card 4111 1111 1111 1111 was charged", "card <CARD> was charged", "CARD"),
        ("카드번호 4111111111111111 노출", "카드번호 <CARD> 노출", "CARD"),
        ("계좌 110-123-456789 로 환불", "계좌 <ACCOUNT> 로 환불", "ACCOUNT"),
        ("see https://example.com/order?id=7 pls", "see <URL> pls", "URL"),
        ("www.shop.co.kr 에서 주문", "<URL> 에서 주문", "URL"),
        ("@united where is my bag", "<HANDLE> where is my bag", "HANDLE"),
    ],
)
def test_masks_each_type(masker, text, masked, kind):
    out, counts = masker(AlignedText.of(text))
    assert out.text == masked
    assert counts == {kind: 1}


@pytest.mark.parametrize(
    "text",
    [
        "2024-01-15 10:30 flight UA123",
        "15,000원 결제했는데 3시간 지연",
        "order #1234567890123 is missing",  # 13 digits failing Luhn: an order id, not a card
        "gate B12 at 14:35, seat 32A",
        "3h late, 40 minutes on hold",
    ],
)
def test_leaves_non_pii_numbers_alone(masker, text):
    out, counts = masker(AlignedText.of(text))
    assert out.text == text and counts == {}


def test_counts_several_per_type_and_placeholder_spans_map_back(masker):
    src = "a@b.com, c@d.org / 010-1111-2222"
    out, counts = masker(AlignedText.of(src))
    assert counts == {"EMAIL": 2, "PHONE": 1}
    i = out.text.index("<PHONE>")
    s, e = out.original_span(i, i + len("<PHONE>"))
    assert src[s:e] == "010-1111-2222"


def test_luhn():
    assert luhn_ok("4111111111111111") and not luhn_ok("4111111111111112")


def test_masking_can_be_turned_off(pre):
    import textcs

    off = textcs.Preprocessor(mask_pii=False)(["전화 010-1234-5678"])[0]
    on = pre(["전화 010-1234-5678"])[0]
    assert "010-1234-5678" in off.text and off.pii == {}
    assert on.text == "전화 <PHONE>" and on.pii == {"PHONE": 1}
