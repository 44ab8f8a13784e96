import pytest

from textcs import ResourceError
from textcs.taxonomy import CONTACT_LEVELS, load_catalog, load_catalogs, load_taxonomy

REQUIRED_INDUSTRIES = {"airline", "hotel", "bank", "telecom", "ecommerce", "restaurant", "public_service", "generic"}


def test_default_taxonomy_matches_the_contract():
    tax = load_taxonomy()
    assert tax.labels("servqual") == ("reliability", "responsiveness", "assurance", "empathy", "tangibles")
    assert set(tax.labels("failures")) == {
        "delay", "unavailable", "error", "loss_damage", "staff_behavior",
        "request_handling", "billing", "facility", "communication",
    }
    assert tax.labels("polarity") == ("negative", "neutral", "positive")
    assert tax.labels("recovery") == ("none", "successful", "failed")
    assert tax.kind("servqual") == "multilabel" and tax.kind("polarity") == "multiclass"
    with pytest.raises(KeyError, match="unknown task"):
        tax.labels("nope")


def test_every_industry_has_a_catalog_with_bilingual_cues_and_contact_levels():
    catalogs = load_catalogs()
    assert REQUIRED_INDUSTRIES <= set(catalogs)
    for industry, cat in catalogs.items():
        assert len(cat) >= 8, industry
        levels = {tp.contact for tp in cat}
        assert levels <= set(CONTACT_LEVELS) and "high" in levels and "low" in levels, industry
        for tp in cat:
            assert tp.id.startswith(industry + "."), tp.id
            assert tp.name_ko and tp.name_en and tp.description, tp.id
            assert len(tp.cues_ko) >= 5 and len(tp.cues_en) >= 5, tp.id
            assert all(isinstance(c, str) and c.strip() for c in tp.cues_ko + tp.cues_en), tp.id


def test_users_can_ship_their_own_taxonomy_and_catalog(tmp_path):
    tax_file = tmp_path / "tax.yaml"
    tax_file.write_text(
        "name: mine\ntasks:\n  topic:\n    kind: multilabel\n    labels: {price: {}, staff: {}}\n", encoding="utf-8"
    )
    assert load_taxonomy(tax_file).labels("topic") == ("price", "staff")
    cat_file = tmp_path / "gym.yaml"
    cat_file.write_text(
        "industry: gym\ntouchpoints:\n  - id: gym.trainer\n    name: {ko: 트레이너, en: Trainer}\n"
        "    contact: high\n    cues: {ko: [트레이너], en: [trainer]}\n",
        encoding="utf-8",
    )
    assert load_catalog(cat_file)["gym.trainer"].contact == "high"


@pytest.mark.parametrize(
    "body, message",
    [
        ("name: x\n", "tasks"),
        ("tasks:\n  t:\n    kind: ranking\n    labels: {a: {}}\n", "kind"),
    ],
)
def test_malformed_taxonomy_is_a_clear_error(tmp_path, body, message):
    path = tmp_path / "bad.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ResourceError, match=message):
        load_taxonomy(path)


def test_bad_contact_level_is_a_clear_error(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("industry: x\ntouchpoints:\n  - id: x.a\n    contact: huge\n", encoding="utf-8")
    with pytest.raises(ResourceError, match="contact"):
        load_catalog(path)
