"""Heads, the model file round trip, custom model directories, and the shipped default model's
behaviour on hand-written comments in both languages (negation and contrast included)."""

import json

import numpy as np
import pandas as pd
import pytest

import textcs
from textcs import ResourceError
from textcs.classify.heads import LinearHead, tune_thresholds
from textcs.classify.model import TextcsModel
from textcs.classify.train import collect_examples, train_model
from textcs.features import Unit


def test_multilabel_head_ignores_unknown_rows_and_handles_constant_labels():
    X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0], [0.0, 1.0]])
    Y = np.array([[1, 0, -1], [0, 0, -1], [1, 0, -1], [-1, 0, -1]])
    head = LinearHead("multilabel", ["a", "never", "unknown"]).fit(X, Y)
    p = head.predict_proba(X)
    assert p[0, 0] > 0.5 > p[1, 0]
    assert (p[:, 1] < 0.01).all() and (p[:, 2] < 0.01).all()


def test_thresholds_maximise_f1_per_label():
    proba = np.array([[0.9], [0.35], [0.3], [0.1]])
    assert tune_thresholds(proba, np.array([[1], [1], [0], [0]]))[0] == pytest.approx(0.35)


@pytest.fixture(scope="module")
def small_model(tmp_path_factory, pre):
    """A lexical-only model trained here on part of the corpus, saved and reloaded."""
    examples = collect_examples(use_real=False, log=lambda m: None)[::4]
    model = train_model(examples, encoder=None, preprocessor=pre, log=lambda m: None)
    folder = model.save(tmp_path_factory.mktemp("model") / "small")
    return folder, model


def test_model_files_are_json_and_npz_only(small_model):
    folder, _ = small_model
    assert sorted(p.name for p in folder.iterdir()) == ["config.json", "heads.npz", "lexical.json", "lexical_idf.npz"]
    np.load(folder / "heads.npz", allow_pickle=False)  # would raise if anything were pickled
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    assert config["encoder"] is None and set(config["tasks"]) >= {"polarity", "servqual", "failures", "delight", "recovery"}


def test_round_trip_gives_identical_probabilities(small_model, pre):
    folder, model = small_model
    loaded = TextcsModel.from_pretrained(folder)
    units = [Unit.of(r.text, [t for s in r.sentences for t in s.tokens])
             for r in pre(["배송이 늦었어요", "The crew was rude"])]
    a = model.predict_proba(model.features(units, "fast"), "fast")
    b = loaded.predict_proba(loaded.features(units, "fast"), "fast")
    for task in a:
        assert np.allclose(a[task], b[task], atol=1e-6), task


def test_language_heads_route_rows_by_language_and_survive_the_round_trip(small_model, pre):
    folder, model = small_model
    assert {"polarity@ko", "polarity@en"} <= set(model.heads["fast"])
    loaded = TextcsModel.from_pretrained(folder)
    assert {"polarity@ko", "polarity@en"} <= set(loaded.heads["fast"])
    units = [Unit.of(r.text, [t for s in r.sentences for t in s.tokens])
             for r in pre(["배송이 늦었어요", "The crew was rude", "Great seats"])]
    X = loaded.features(units, "fast")
    routed = loaded.predict_proba(X, "fast", ["ko", "en", "xx"])["polarity"]
    heads = loaded.heads["fast"]
    pooled = heads["polarity"].predict_proba(X)
    mix = loaded.language_mix
    assert 0 < mix < 1
    assert np.allclose(routed[0], (1 - mix) * pooled[0] + mix * heads["polarity@ko"].predict_proba(X[[0]])[0])
    assert np.allclose(routed[1], (1 - mix) * pooled[1] + mix * heads["polarity@en"].predict_proba(X[[1]])[0])
    assert np.allclose(routed[2], pooled[2])  # no head of its own: pooled alone
    assert not np.allclose(routed[0], pooled[0])


def test_load_custom_model_directory(small_model):
    folder, _ = small_model
    analyzer = textcs.load(folder, profile="fast")
    r = analyzer.analyze(["Our bags were lost and nobody called back."])[0]
    assert r.status == "ok" and set(r.polarity_proba) == {"negative", "neutral", "positive"}
    with pytest.raises(ValueError, match="profile"):
        textcs.load(folder, profile="default")  # a lexical-only model has no default profile


def test_not_a_model_directory_is_a_clear_error(tmp_path):
    with pytest.raises(ResourceError, match="not a textcs model"):
        textcs.load(tmp_path)


# -- the shipped default model

# Known gap of the shipped model (see docs/benchmarks.md): a negated positive predicate in Korean
# ("안 친절했어요") and "no problems" in English still read as their un-negated sentiment. Strict, so
# a model that fixes them turns these into failures to be promoted to plain cases.
KNOWN_NEGATION_GAP = pytest.mark.xfail(strict=True, reason="negated positive predicates: known gap of models/default")

@pytest.fixture(scope="module")
def analyzer():
    return textcs.load()


@pytest.mark.parametrize(
    "text, polarity",
    [
        ("직원분들이 너무 친절하고 배송도 빨라서 만족해요", "positive"),
        ("배달이 한 시간이나 늦었고 음식이 다 식어서 왔어요", "negative"),
        ("The cabin crew were wonderful and the seats were comfortable.", "positive"),
        ("Flight delayed 4 hours and no one told us anything.", "negative"),
        # negation
        pytest.param("No problems at all, check-in took two minutes.", "positive", marks=KNOWN_NEGATION_GAP),
        ("불친절하지 않았고 처리도 빨랐어요", "positive"),
        ("The staff were not helpful at all.", "negative"),
        ("Everything went smoothly, no delays and no issues.", "positive"),
        pytest.param("하나도 안 친절했어요", "negative", marks=KNOWN_NEGATION_GAP),
        # contrast: the clause after but/근데 dominates here
        ("The food was nice but the waiter was rude and we waited an hour for the bill.", "negative"),
        ("처음엔 좀 헤맸는데 결국 상담원분이 깔끔하게 해결해 주셨어요. 감사합니다!", "positive"),
    ],
)
def test_polarity_in_both_languages(analyzer, text, polarity):
    assert analyzer.analyze([text])[0].polarity == polarity


@pytest.mark.parametrize(
    "text, dimension",
    [
        ("Staff were rude and unprofessional at the front desk.", "assurance"),
        ("직원이 반말하고 무례했어요", "assurance"),
        ("The room was dirty and the carpet smelled.", "tangibles"),
        ("방이 더럽고 화장실에 곰팡이가 있었어요", "tangibles"),
        ("I was on hold for 50 minutes before anyone answered.", "responsiveness"),
        ("주문한 것과 전혀 다른 메뉴가 왔어요", "reliability"),
    ],
)
def test_servqual_in_both_languages(analyzer, text, dimension):
    assert dimension in analyzer.analyze([text])[0].servqual


@pytest.mark.parametrize(
    "text, failure",
    [
        ("My suitcase was lost on the connection.", "loss_damage"),
        ("택배 상자가 찢어지고 안에 그릇이 깨져서 왔어요", "loss_damage"),
        ("They charged my card twice for one booking.", "billing"),
        ("결제가 두 번 됐는데 환불이 안 돼요", "billing"),
        ("The flight was delayed by three hours.", "delay"),
        ("배달이 너무 늦게 왔어요", "delay"),
    ],
)
def test_failures_in_both_languages(analyzer, text, failure):
    assert failure in analyzer.analyze([text])[0].failures


def test_no_failure_on_praise_and_negated_problems(analyzer):
    for text in ["Everything went smoothly, no delays and no issues.", "문제 하나도 없었고 다 좋았어요"]:
        assert analyzer.analyze([text])[0].failures == ()


def test_delight_needs_exceeded_expectations(analyzer):
    delighted, plain = analyzer.analyze([
        "They upgraded us for our anniversary and left a handwritten card, far beyond what we expected!",
        "Good hotel, clean room.",
    ])
    assert delighted.delight and not plain.delight


def test_evidence_points_at_the_sentence(analyzer):
    text = "The food was great. But the waiter was extremely rude to my mother."
    r = analyzer.analyze([text])[0]
    assert "assurance" in r.servqual
    k = r.evidence["assurance"][0]
    s = r.sentences[k]
    assert "rude" in text[s.start:s.end]


def test_analyze_frame_keeps_caller_columns_and_touchpoint_override(analyzer):
    df = pd.DataFrame({"id": ["a", "b", "c"], "branch": ["x", "y", "z"],
                       "text": ["배달 기사님이 친절하셨어요", None, "Seats were cramped"],
                       "tp": [None, None, "airline.seat_cabin"]}, index=[10, 11, 12])
    comments, sentences = analyzer.analyze_frame(df, text="text", touchpoint="tp", id="id")
    assert list(comments.index) == [10, 11, 12] and comments["branch"].tolist() == ["x", "y", "z"]
    assert comments.loc[11, "status"] == "empty"
    assert comments.loc[10, "touchpoints"] == "generic.delivery_shipping"  # no industry: generic catalog
    assert comments.loc[12, "touchpoints"] == "airline.seat_cabin" and comments.loc[12, "contact_levels"] == "low"
    assert set(sentences["id"]) == {"a", "c"}
    assert {"polarity", "score", "p_positive", "servqual", "failures", "p_failure_delay"} <= set(comments.columns)


def test_analyze_frame_renames_caller_columns_named_like_outputs(analyzer):
    df = pd.DataFrame({"text": ["Great crew", "직원이 불친절했어요"], "language": ["English", "Korean"]})
    comments, _ = analyzer.analyze_frame(df)
    assert comments.columns.is_unique
    assert comments["input_language"].tolist() == ["English", "Korean"]
    assert comments["language"].tolist() == ["en", "ko"]


def test_industry_catalog_and_evidence_span():
    restaurant = textcs.load(industry="restaurant", profile="fast")
    text = "음식은 맛있는데 배달 기사님이 불친절했어요"
    tp = restaurant.analyze([text])[0].touchpoints
    rider = next(t for t in tp if t.id == "restaurant.delivery_rider")
    assert rider.contact == "medium" and text[rider.start:rider.end] == rider.cue


def test_scores_are_bounded_and_probabilities_sum_to_one(analyzer):
    for r in analyzer.analyze(["최고예요!!", "worst airline ever", "ok"]):
        assert -1.0 <= r.score <= 1.0
        assert sum(r.polarity_proba.values()) == pytest.approx(1.0, abs=1e-3)


def test_fast_profile_runs_without_the_encoder():
    fast = textcs.load(profile="fast")
    r = fast.analyze(["배송이 너무 늦었어요", "Great crew"])
    assert [x.polarity for x in r] == ["negative", "positive"]
    assert fast.model._encoder is None


def test_language_thresholds_win_where_tuned_and_fall_back_to_pooled():
    from textcs.classify.model import TaskSpec
    from textcs.features import LexicalFeaturizer

    spec = TaskSpec("failures", "multilabel", ["delay", "billing"],
                    {"default": {"delay": 0.6, "billing": 0.5}, "default@ko": {"delay": 0.4}})
    model = TextcsModel({"failures": spec}, LexicalFeaturizer(), None)
    assert model.thresholds("failures", "default", "ko").tolist() == pytest.approx([0.4, 0.5])
    assert model.thresholds("failures", "default", "mixed").tolist() == pytest.approx([0.4, 0.5])
    assert model.thresholds("failures", "default", "en").tolist() == pytest.approx([0.6, 0.5])
    assert model.thresholds("failures", "default").tolist() == pytest.approx([0.6, 0.5])
