"""Scoring on constructed frames whose right answers are known by hand."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from textcs import scoring
from textcs.scoring import ScoringSettings
from textcs.touchpoints import TouchpointMatcher


def frame(scores, touchpoints=None, **cols) -> pd.DataFrame:
    """A comment frame with the analyzer's columns; polarity decided from the score."""
    scores = np.asarray(scores, float)
    p_pos, p_neg = np.clip(scores, 0, 1), np.clip(-scores, 0, 1)
    out = pd.DataFrame({
        "status": "ok", "score": scores, "p_negative": p_neg, "p_neutral": 1 - p_pos - p_neg, "p_positive": p_pos,
        "polarity": np.select([scores > 1 / 3, scores < -1 / 3], ["positive", "negative"], "neutral"),
        "delight": False, "failures": "", "recovery": "none",
        "touchpoints": touchpoints if touchpoints is not None else "", "contact_levels": "",
    })
    for k, v in cols.items():
        out[k] = v
    return out


def test_settings_defaults_and_validation(tmp_path):
    s = ScoringSettings.default()
    assert (s.prior_strength, s.confidence, s.alpha, s.min_n) == (10, 0.95, 0.05, 20)
    path = tmp_path / "s.yaml"
    path.write_text("prior_strength: auto\nmin_n: 5\n")
    assert ScoringSettings.from_yaml(path).prior_strength == "auto"
    path = tmp_path / "typo.yaml"
    path.write_text("prior_strenght: 3\n")
    with pytest.raises(ValueError, match="unknown scoring settings"):
        ScoringSettings.from_yaml(path)
    with pytest.raises(ValueError):
        ScoringSettings(confidence=1.5)


def test_comment_satisfaction_is_expected_score():
    df = frame([-1.0, -0.5, 0.0, 0.4, 1.0])
    sat = scoring.comment_satisfaction(df)
    assert np.allclose(sat, 50 * (1 + df["score"]))
    assert np.allclose(scoring.comment_satisfaction(df[["score"]]), sat)


def test_index_by_hand_and_shrinkage():
    # shop: 2 comments at 100; app: 18 comments at 50. Overall mean = (200 + 900) / 20 = 55.
    df = frame([1.0] * 2 + [0.0] * 18, ["shop"] * 2 + ["app"] * 18)
    plain = scoring.satisfaction_index(df, prior_strength=0).set_index("touchpoint")
    assert plain.loc["shop", "index"] == 100 and plain.loc["app", "index"] == 50
    assert plain.attrs["overall"] == pytest.approx(55)
    k10 = scoring.satisfaction_index(df, prior_strength=10).set_index("touchpoint")
    assert k10.loc["shop", "index"] == pytest.approx((2 * 100 + 10 * 55) / 12)
    assert k10.loc["app", "index"] == pytest.approx((18 * 50 + 10 * 55) / 28)
    # the small group moves much further toward the mean than the large one
    assert 100 - k10.loc["shop", "index"] > 5 * abs(50 - k10.loc["app", "index"])
    assert k10.loc["shop", "small"] and k10.loc["app", "small"]
    assert list(k10.columns[:3]) == ["n", "index", "ci_low"]


def test_intervals_cover_the_true_mean():
    rng = np.random.default_rng(0)
    truth = rng.uniform(-0.6, 0.6, 300)
    scores = np.concatenate([np.clip(rng.normal(t, 0.5, 40), -1, 1) for t in truth])
    groups = np.repeat([f"g{i:03d}" for i in range(300)], 40)
    df = frame(scores, branch=groups)
    expected = pd.Series([50 * (1 + np.clip(rng.normal(t, 0.5, 200_000), -1, 1)).mean() for t in truth],
                         index=[f"g{i:03d}" for i in range(300)])
    for k in (0, "auto"):
        t = scoring.satisfaction_index(df, by="branch", prior_strength=k).set_index("branch")
        cover = ((t["ci_low"] <= expected) & (expected <= t["ci_high"])).mean()
        assert 0.90 <= cover <= 0.99, (k, cover)
    plain = scoring.satisfaction_index(df, by="branch", prior_strength=0).set_index("branch")
    cover = ((plain["mean_ci_low"] <= expected) & (expected <= plain["mean_ci_high"])).mean()
    assert 0.90 <= cover <= 0.99


def test_auto_prior_strength_follows_between_group_spread():
    rng = np.random.default_rng(1)
    same = frame(np.clip(rng.normal(0, 0.5, 400), -1, 1), branch=np.repeat(list("abcdefgh"), 50))
    apart = frame(np.clip(np.repeat(np.linspace(-0.8, 0.8, 8), 50) + rng.normal(0, 0.1, 400), -1, 1),
                  branch=np.repeat(list("abcdefgh"), 50))
    k_same = scoring.satisfaction_index(same, by="branch", prior_strength="auto").attrs["prior_strength"]
    k_apart = scoring.satisfaction_index(apart, by="branch", prior_strength="auto").attrs["prior_strength"]
    assert k_same > 50 and k_apart < 1


def test_touchpoints_explode_none_group_and_contact_level():
    df = frame([1.0, -1.0, 0.0], ["a;b", "b", ""])
    df["contact_levels"] = ["high;high", "high", ""]
    t = scoring.satisfaction_index(df, prior_strength=0).set_index("touchpoint")
    assert t["n"].to_dict() == {"(none)": 1, "a": 1, "b": 2}
    c = scoring.satisfaction_index(df, by="contact_level", prior_strength=0).set_index("contact_level")
    assert c.loc["high", "n"] == 2  # the first comment hits two high-contact touchpoints, counted once
    both = scoring.satisfaction_index(df, by=["touchpoint", "contact_level"], prior_strength=0)
    assert len(both) == 3


def test_excluded_rows_are_counted_never_dropped():
    df = frame([1.0, 0.0, 0.0, 0.0], ["a", "a", "a", "z"])
    df.loc[1, "status"] = "invalid"
    df.loc[3, "status"] = "empty"
    df.loc[2, ["p_negative", "p_neutral", "p_positive", "score"]] = np.nan  # ok status, no sentence
    t = scoring.satisfaction_index(df, prior_strength=0).set_index("touchpoint")
    assert t.attrs["excluded"] == 3
    assert t.loc["a", "n"] == 1 and t.loc["a", "excluded"] == 2
    assert t.loc["z", "n"] == 0 and np.isnan(t.loc["z", "index"]) and t.loc["z", "excluded"] == 1
    with pytest.raises(ValueError, match="no scorable"):
        scoring.satisfaction_index(df.iloc[[1, 3]])


def test_user_columns_missing_values_and_csv_round_trip():
    df = frame([1.0, 0.0, -1.0, 0.5], ["a", "a", "b", "b"], branch=["x", None, "x", "y"])
    df["delight"] = [True, False, False, False]
    buf = io.StringIO()
    df.to_csv(buf, index=False)
    back = pd.read_csv(io.StringIO(buf.getvalue()))
    for d in (df, back):
        t = scoring.satisfaction_index(d, by=["branch", "touchpoint"], prior_strength=0)
        assert set(t["branch"]) == {"x", "y", "(missing)"}
        x_a = t[(t["branch"] == "x") & (t["touchpoint"] == "a")].iloc[0]
        assert x_a["delight_rate"] == 1.0 and x_a["share_positive"] == 1.0 and x_a["net_sentiment"] == 1.0
    with pytest.raises(KeyError, match="store"):
        scoring.satisfaction_index(df, by="store")
    # numbers and the "(missing)" label in one group column still sort: numbers first
    df["store"] = [10, 2, None, 2]
    assert scoring.satisfaction_index(df, by="store")["store"].tolist() == [2, 10, "(missing)"]
    assert scoring.failure_rates(df, by="store")["store"].iloc[-1] == "(missing)"


def test_duplicate_column_names_use_the_analyzers():
    # analyze_frame keeps the caller's columns: a caller's "language" or "status" appears twice
    df = frame([1.0, -1.0], ["a", "b"])
    caller = pd.DataFrame({"language": ["xx", "yy"], "status": ["bad", "bad"]})
    both = pd.concat([caller, df.assign(language=["en", "ko"])], axis=1)
    t = scoring.satisfaction_index(both, by="language", prior_strength=0)
    assert t["language"].tolist() == ["en", "ko"] and t["n"].tolist() == [1, 1]


def test_overall_group_and_shares():
    df = frame([1.0, 1.0, -1.0, 0.0])
    t = scoring.satisfaction_index(df, by=None)
    assert t["group"].tolist() == ["all"] and t["index"].iloc[0] == pytest.approx(62.5)
    assert t["share_positive"].iloc[0] == 0.5 and t["share_negative"].iloc[0] == 0.25
    assert t["net_sentiment"].iloc[0] == pytest.approx(0.25)


def _sentences(rows):
    """rows: (comment, text, score, servqual)."""
    out = pd.DataFrame(rows, columns=["comment", "text", "score", "servqual"])
    out["sentence"] = out.groupby("comment").cumcount()
    return out


def test_dimension_index_by_hand():
    comments = frame([0.0, 0.0, 0.0], ["call_centre", "call_centre", "shop"])
    sents = _sentences([
        (0, "s", -0.6, "empathy"), (0, "s", -0.2, "empathy"),  # one comment: mean of its two sentences = 30
        (1, "s", 0.2, "empathy;reliability"),                  # 60
        (2, "s", 1.0, "empathy"),                              # shop: 100
    ])
    t = scoring.dimension_index(comments, sents, prior_strength=0).set_index(["touchpoint", "dimension"])
    assert t.loc[("call_centre", "empathy"), "n"] == 2
    assert t.loc[("call_centre", "empathy"), "n_sentences"] == 3
    assert t.loc[("call_centre", "empathy"), "index"] == pytest.approx(45)
    assert t.loc[("shop", "empathy"), "index"] == pytest.approx(100)
    # shrinkage toward the empathy mean over comments (30 + 60 + 100) / 3, not toward reliability
    k = scoring.dimension_index(comments, sents, prior_strength=3).set_index(["touchpoint", "dimension"])
    assert k.loc[("shop", "empathy"), "index"] == pytest.approx((100 + 3 * 190 / 3) / 4)
    assert k.loc[("call_centre", "reliability"), "index"] == pytest.approx(60)  # its own mean is the prior
    assert t.loc[("call_centre", "empathy"), "label"].startswith("45 (")


def test_dimension_index_sentence_touchpoints_with_matcher():
    m = TouchpointMatcher.for_industry("airline")
    comments = frame([0.0], ["airline.cabin_crew;airline.food_beverage"])
    sents = _sentences([(0, "The cabin crew were lovely.", 0.8, "empathy"),
                        (0, "The meal was cold.", -0.8, "tangibles"),
                        (0, "Never again.", -0.8, "reliability")])
    tagged = scoring.sentence_touchpoints(comments, sents, m)
    assert tagged["touchpoints"].tolist() == ["airline.cabin_crew", "airline.food_beverage",
                                              "airline.cabin_crew;airline.food_beverage"]
    strict = scoring.sentence_touchpoints(comments, sents, m, inherit=False)
    assert strict["touchpoints"].tolist()[2] == ""
    t = scoring.dimension_index(comments, sents, matcher=m, prior_strength=0)
    pairs = set(zip(t["touchpoint"], t["dimension"]))
    assert ("airline.cabin_crew", "empathy") in pairs and ("airline.food_beverage", "empathy") not in pairs
    assert ("airline.food_beverage", "tangibles") in pairs and ("airline.cabin_crew", "tangibles") not in pairs


def test_dimension_index_skips_sentences_of_excluded_comments():
    comments = frame([0.0, 0.0], ["a", "a"])
    comments.loc[1, "status"] = "invalid"
    sents = _sentences([(0, "s", 1.0, "empathy"), (1, "s", -1.0, "empathy")])
    t = scoring.dimension_index(comments, sents, prior_strength=0)
    assert t["n"].tolist() == [1] and t["index"].tolist() == [100] and t.attrs["excluded"] == 1


def test_failure_rates_by_hand_with_wilson_intervals():
    df = frame([0.0] * 10, ["a"] * 10)
    df["failures"] = ["delay"] * 3 + ["delay;billing"] + [""] * 6
    t = scoring.failure_rates(df, by="touchpoint").set_index("failure")
    assert t.loc["any", "n_failure"] == 4 and t.loc["delay", "rate"] == pytest.approx(0.4)
    assert t.loc["billing", "rate"] == pytest.approx(0.1) and t.loc["error", "n_failure"] == 0
    assert (t["ci_low"] <= t["rate"]).all() and (t["rate"] <= t["ci_high"]).all()
    assert t.loc["error", "ci_high"] > 0  # zero failures seen is not certainty
    # Wilson interval for 4/10 at 95%: 0.168 to 0.687
    assert (round(t.loc["any", "ci_low"], 3), round(t.loc["any", "ci_high"], 3)) == (0.168, 0.687)


def test_recovery_rates_and_paradox():
    rng = np.random.default_rng(2)
    n = 200
    ok = np.clip(rng.normal(0.3, 0.3, n), -1, 1)          # no failure: 65
    rec = np.clip(rng.normal(0.7, 0.3, n), -1, 1)         # recovered: 85 (the paradox)
    bad = np.clip(rng.normal(-0.7, 0.3, n), -1, 1)        # not recovered: 15
    df = frame(np.concatenate([ok, rec, bad]))
    df["failures"] = [""] * n + ["delay"] * (2 * n)
    df["recovery"] = ["none"] * n + ["successful"] * n + ["none"] * n
    r = scoring.recovery_rates(df)
    assert r["n_failure"].iloc[0] == 2 * n and r["recovery_rate"].iloc[0] == pytest.approx(0.5)
    p = scoring.recovery_paradox(df).set_index("outcome")
    assert list(p.index) == list(scoring.OUTCOMES)
    assert p.loc["failure_recovered", "paradox"] and p.loc["failure_recovered", "p_value"] < 1e-6
    assert p.loc["failure_not_recovered", "diff_vs_no_failure"] < -30
    assert p.loc["failure_recovery_failed", "n"] == 0
    # no planted effect: recovered comments look like the others, no paradox flagged
    df2 = df.copy()
    df2.loc[n:2 * n - 1, "score"] = np.clip(rng.normal(0.3, 0.3, n), -1, 1)
    df2 = df2.drop(columns=["p_negative", "p_neutral", "p_positive"])
    assert not scoring.recovery_paradox(df2).set_index("outcome").loc["failure_recovered", "paradox"]


def test_period_change_flagged_when_planted_and_not_when_null():
    rng = np.random.default_rng(3)
    n = 60
    base = lambda mu: np.clip(rng.normal(mu, 0.4, n), -1, 1)
    scores = np.concatenate([base(0.0), base(0.0), base(0.4),     # app: null step, then a planted rise
                             base(0.2), base(0.2), base(0.2)])    # shop: no change at all
    dates = np.tile(np.repeat(["2024-01-15", "2024-02-15", "2024-03-15"], n), 2)
    tps = np.repeat(["app", "shop"], 3 * n)
    df = frame(scores, tps, date=dates)
    t = scoring.period_index(df, date="date", freq="month")
    app = t[t["touchpoint"] == "app"].reset_index(drop=True)
    assert app["flag"].tolist() == ["", "", "up"]
    assert app.loc[2, "change"] == pytest.approx(20, abs=6) and app.loc[2, "p_value"] < 0.001
    assert app.loc[1, "p_value"] > 0.05
    assert (t.loc[t["touchpoint"] == "shop", "flag"] == "").all()
    assert t.attrs["alpha"] == 0.05 and "Welch" in t.attrs["test"]
    # too few comments: reported, not tested
    few = scoring.period_index(df.iloc[::10], date="date", freq="M", min_n=20)
    assert not few["tested"].any() and (few["flag"] == "").all()


def test_period_null_false_alarm_rate_is_about_alpha():
    rng = np.random.default_rng(4)
    groups, periods, n = 40, 6, 30
    scores = np.clip(rng.normal(0.1, 0.5, groups * periods * n), -1, 1)
    dates = np.tile(np.repeat(pd.date_range("2024-01-01", periods=periods, freq="7D").strftime("%Y-%m-%d"), n), groups)
    df = frame(scores, branch=np.repeat([f"b{i}" for i in range(groups)], periods * n), date=dates)
    t = scoring.period_index(df, date="date", freq="W", by="branch")
    tested = t[t["tested"]]
    assert len(tested) == groups * (periods - 1)
    assert (tested["flag"] != "").mean() < 0.1


def test_period_unreadable_dates_are_counted():
    df = frame([0.5, 0.5, 0.5], ["a", "a", "a"], date=["2024-01-01", "not a date", None])
    t = scoring.period_index(df, date="date", freq="D")
    assert t["n"].tolist() == [1] and t.attrs["excluded_dates"] == 2 and t.attrs["excluded"] == 2
    with pytest.raises(ValueError, match="freq"):
        scoring.period_index(df, date="date", freq="fortnight")


def _planted(n=600, seed=5):
    """Comments whose satisfaction is driven by empathy (strongly) and reliability (weakly); empathy
    talk is mostly negative, so it is the place to act."""
    rng = np.random.default_rng(seed)
    dims = ["reliability", "responsiveness", "assurance", "empathy", "tangibles"]
    means = {"reliability": 0.3, "responsiveness": 0.3, "assurance": 0.3, "empathy": -0.4, "tangibles": 0.5}
    sents, comment_scores = [], []
    for c in range(n):
        s = {d: float(np.clip(rng.normal(means[d], 0.5), -1, 1)) for d in dims}
        for k, d in enumerate(dims):
            sents.append((c, f"s{k}", s[d], d))
        comment_scores.append(np.clip(0.8 * s["empathy"] + 0.25 * s["reliability"] + rng.normal(0, 0.15), -1, 1))
    return frame(comment_scores, "shop", stars=np.round(np.array(comment_scores) * 2 + 3)), _sentences(sents)


def test_planted_driver_is_found_first():
    comments, sents = _planted()
    for method in ("shapley", "relative_weights"):
        imp = scoring.driver_importance(comments, sents, method=method)
        assert imp["driver"].tolist()[:2] == ["empathy", "reliability"], method
        assert imp["importance"].iloc[0] > 0.7 and imp["importance"].sum() == pytest.approx(1)
        assert imp.attrs["r2"] > 0.8 and (imp["beta"].iloc[:2] > 0).all()
    stars = scoring.driver_importance(comments, sents, target="stars")
    assert stars["driver"].iloc[0] == "empathy" and stars.attrs["target"] == "stars"
    ipa = scoring.importance_performance(comments, sents)
    top = ipa.iloc[0]
    assert (top["driver"], top["quadrant"], top["priority"]) == ("empathy", "concentrate here", 1)
    assert top["performance"] < 40 and list(ipa["priority"]) == list(range(1, 6))


def test_shapley_and_relative_weights_agree_and_sum_to_r2():
    rng = np.random.default_rng(6)
    x = rng.normal(size=(800, 4))
    x[:, 1] += 0.6 * x[:, 0]  # correlated drivers
    y = 2 * x[:, 0] + x[:, 1] + 0.5 * x[:, 2] + rng.normal(size=800)
    X = pd.DataFrame(x, columns=list("abcd"))
    sh, rw = scoring.decompose_r2(X, y), scoring.decompose_r2(X, y, "relative_weights")
    ols = np.linalg.lstsq(np.c_[np.ones(800), x], y, rcond=None)
    r2 = 1 - ((y - np.c_[np.ones(800), x] @ ols[0]) ** 2).sum() / ((y - y.mean()) ** 2).sum()
    assert sh.sum() == pytest.approx(r2, abs=1e-9) and rw.sum() == pytest.approx(r2, abs=1e-9)
    assert np.allclose(sh, rw, atol=0.03) and sh.idxmax() == "a" and sh["d"] < 0.01


def test_touchpoint_drivers_and_contact_rollup():
    m = TouchpointMatcher.for_industry("airline")
    rng = np.random.default_rng(7)
    sents, scores, tps = [], [], []
    for c in range(300):
        crew, seat = float(rng.uniform(-1, 1)), float(rng.uniform(-1, 1))
        sents += [(c, "The cabin crew were here.", crew, "empathy"), (c, "My seat was there.", seat, "tangibles")]
        scores.append(np.clip(0.9 * crew + 0.1 * seat, -1, 1))
        tps.append("airline.cabin_crew;airline.seat_cabin")
    comments = frame(scores, tps)
    comments["contact_levels"] = "high;low"
    imp = scoring.driver_importance(comments, _sentences(sents), of="touchpoint", matcher=m)
    assert imp["driver"].tolist() == ["airline.cabin_crew", "airline.seat_cabin"]
    roll = scoring.contact_rollup(comments, _sentences(sents), matcher=m).set_index("contact_level")
    assert roll.loc["high", "importance"] > 0.9 and roll.loc["low", "n_touchpoints"] == 1
    assert roll.loc["high", "n"] == 300


def test_plots_return_figures_that_save(tmp_path):
    from matplotlib.figure import Figure

    from textcs.scoring import plots

    comments, sents = _planted(n=120)
    comments["touchpoints"] = np.where(np.arange(120) % 3 == 0, "app", "shop")
    comments["date"] = np.repeat(pd.date_range("2024-01-01", periods=4, freq="MS"), 30).astype(str)
    figs = {
        "index": plots.plot_index(scoring.satisfaction_index(comments)),
        "heat": plots.plot_dimension_heatmap(scoring.dimension_index(comments, sents)),
        "ipa": plots.plot_importance_performance(scoring.importance_performance(comments, sents)),
        "trend": plots.plot_trend(scoring.period_index(comments, freq="M")),
    }
    for name, fig in figs.items():
        assert isinstance(fig, Figure), name
        fig.savefig(tmp_path / f"{name}.png")
        assert (tmp_path / f"{name}.png").stat().st_size > 5000
    index = scoring.satisfaction_index(comments).sort_values("index")
    assert [t.get_text() for t in figs["index"].axes[0].get_yticklabels()] == index["touchpoint"].tolist()
    assert len(figs["trend"].axes[0].get_lines()) == 2
    heat = figs["heat"].axes[0]
    assert [t.get_text() for t in heat.get_xticklabels()] == list(scoring.dimensions())
    assert len(figs["ipa"].axes[0].texts) >= 5


def test_touchpoint_index_scores_only_the_sentences_about_the_touchpoint():
    m = TouchpointMatcher.for_industry("airline")
    comments = frame([0.0, 0.0, 0.0], "", airline=["X", "X", "Y"])
    sents = _sentences([(0, "The crew were kind.", 1.0, ""), (0, "The seat was broken.", -1.0, ""),
                        (1, "Crew ignored us.", -0.5, ""), (1, "Nothing else to say.", 1.0, ""),
                        (2, "Lovely crew.", 0.6, "")])
    t = scoring.touchpoint_index(comments, sents, by="airline", matcher=m, prior_strength=0)
    t = t.set_index(["airline", "touchpoint"])
    assert t.loc[("X", "airline.cabin_crew"), "index"] == pytest.approx((100 + 25) / 2)
    assert t.loc[("X", "airline.seat_cabin"), "index"] == 0 and t.loc[("Y", "airline.cabin_crew"), "n"] == 1
    shrunk = scoring.touchpoint_index(comments, sents, by="airline", matcher=m, prior_strength=1)
    y = shrunk.set_index(["airline", "touchpoint"]).loc[("Y", "airline.cabin_crew"), "index"]
    assert y == pytest.approx((80 + (100 + 25 + 80) / 3) / 2)  # toward the crew mean, not the seat


def test_touchpoint_importance_performance_uses_mentioning_sentences():
    m = TouchpointMatcher.for_industry("airline")
    rng = np.random.default_rng(8)
    sents, scores = [], []
    for c in range(200):
        crew, seat = float(rng.uniform(-1, 0.2)), float(rng.uniform(0, 1))  # crew bad and decisive
        sents += [(c, "The cabin crew were here.", crew, ""), (c, "My seat was there.", seat, "")]
        scores.append(np.clip(0.9 * crew + 0.1 * seat, -1, 1))
    comments = frame(scores, "airline.cabin_crew;airline.seat_cabin")
    ipa = scoring.importance_performance(comments, _sentences(sents), of="touchpoint", matcher=m)
    crew = ipa.iloc[0]
    assert (crew["driver"], crew["quadrant"]) == ("airline.cabin_crew", "concentrate here")
    assert crew["performance"] < 40 < ipa.iloc[1]["performance"]


def test_validation_script_logic_on_a_constructed_frame(monkeypatch):
    """scripts/validate_indices.py: perfect text-star agreement gives rho 1, 0 stars count as missing,
    and the split filter keeps sentences with their comments."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "scripts" / "validate_indices.py"
    spec_ = importlib.util.spec_from_file_location("validate_indices", path)
    v = importlib.util.module_from_spec(spec_)
    sys = __import__("sys")
    monkeypatch.setattr(sys, "path", list(sys.path))  # the script puts scripts/ on the path
    monkeypatch.setitem(sys.modules, "validate_indices", v)  # dataclasses look their module up
    spec_.loader.exec_module(v)
    rng = np.random.default_rng(9)
    quality = {f"air{i}": q for i, q in enumerate(np.linspace(-0.8, 0.8, 6))}
    rows, sents = [], []
    for i in range(240):
        airline = f"air{i % 6}"
        crew = float(np.clip(quality[airline] + rng.normal(0, 0.05), -1, 1))
        stars = int(np.clip(round(3 + 2.4 * crew), 1, 5))
        rows.append({"airline_name": airline, "score": crew, "overall_rating": stars,
                     "cabin_staff_rating": 0 if i % 10 == 0 else stars, "split": "test" if i % 2 else "train"})
        sents.append((i, "The cabin crew were there.", crew, ""))
    comments = frame([r["score"] for r in rows], "airline.cabin_crew")
    for col in ("airline_name", "overall_rating", "cabin_staff_rating", "split"):
        comments[col] = [r[col] for r in rows]
    spec = v.Spec("x", "X", "airline", "airline_name", 20, "overall_rating",
                  (v.Touchpoint("crew", "airline", "airline.cabin_crew", "cabin_staff_rating"),))
    out = {(r["figure"].split(" ")[0], r["level"]): r for r in v.validate(spec, comments, _sentences(sents))}
    assert out[("overall", "entity")]["rho"] == pytest.approx(1) and out[("overall", "entity")]["n"] == 6
    assert out[("crew", "entity")]["rho"] == pytest.approx(1)
    assert out[("crew", "review")]["n"] == 216  # the 24 reviews with 0 crew stars are not rated
    assert out[("crew", "review")]["rho"] > 0.9
    test_only = v.validate(v.Spec(**{**spec.__dict__, "split": "test", "min_reviews": 10}), comments, _sentences(sents))
    assert {r["n"] for r in test_only if r["level"] == "review" and r["figure"] == "overall"} == {120}
    assert "| yes |" in v.render(test_only)
