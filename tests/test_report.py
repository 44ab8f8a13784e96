"""`textcs report`: one self-contained HTML file, checked as text and rendered in headless Chromium.

Why the Chromium command line rather than Selenium or the DevTools protocol: it needs no extra
Python package or driver binary. ``--screenshot`` gives the rendered page, and with
``--enable-logging=stderr`` every console message of the page is logged as a ``CONSOLE`` line. The
report has no script at all, so any console line from it is a failure. Network requests are made to
fail (``--host-resolver-rules``), and the HTML is checked statically for external references, which
Chromium does not log.
"""

import html
import os
import re
import shutil
import subprocess

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from textcs.cli import app
from textcs.report import highlight, link_sentences

CHROMIUM = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome", "chrome") if shutil.which(n)), None)
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="no chromium on PATH (CI installs Debian's chromium package; apt-get install chromium)")

# src/href attributes, CSS url() and @import that point outside the file.
EXTERNAL = re.compile(r"""(?:\b(?:src|href)\s*=\s*["']?\s*(?:[a-z]+:)?//)|(?:url\(\s*["']?\s*(?:[a-z]+:)?//)|@import""", re.I)


@pytest.fixture(scope="module")
def report_html(scored_sample, tmp_path_factory):
    comments, sentences = scored_sample
    out = tmp_path_factory.mktemp("report") / "report.html"
    result = CliRunner().invoke(app, ["report", str(comments), "--sentences", str(sentences), "--period", "week",
                                      "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_highlight_marks_sentences_by_offsets_and_escapes_everything():
    text = 'Bag <b>lost</b> & "no" reply. 직원은 친절했어요! ok'
    # The last sentence carries no label: it is evidence of nothing and stays unmarked.
    sents = pd.DataFrame({"start": [0, 30, 41], "end": [29, 39, 43], "polarity": ["negative", "positive", "neutral"],
                          "servqual": ["", "empathy", ""], "failures": ["loss_damage;communication", "", ""]})
    out = highlight(text, sents)
    assert "<b>" not in out and "&lt;b&gt;lost&lt;/b&gt; &amp; &quot;no&quot;" in out
    marks = re.findall(r'<mark class="(\w+)" title="([^"]*)">(.*?)</mark>', out)
    assert [(c, html.unescape(t)) for c, t, _ in marks] == [
        ("negative", "negative; failures: loss_damage, communication"), ("positive", "positive; SERVQUAL: empathy")]
    assert [html.unescape(m) for _, _, m in marks] == [text[0:29], text[30:39]]
    # Nothing lost: without the tags, the original text comes back.
    assert html.unescape(re.sub(r"</?mark[^>]*>", "", out)) == text


def test_sentences_of_another_run_are_refused():
    comments = pd.DataFrame({"row": [0, 1]})
    with pytest.raises(ValueError, match="1 sentence rows point at rows not in the comment file"):
        link_sentences(comments, pd.DataFrame({"row": [1, 7]}))
    assert link_sentences(comments, pd.DataFrame({"row": [1, 1, 0]}))["comment"].tolist() == [1, 1, 0]


def test_report_is_one_self_contained_file_with_every_section(report_html, scored_sample):
    page = report_html.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert not EXTERNAL.findall(page)
    assert "<script" not in page.lower() and "<img" not in page.lower()
    for section in ("index", "dimensions", "failures", "trends", "drivers", "examples"):
        assert f'<section id="{section}">' in page, section
    # Charts are inline SVG: index with intervals, dimension heat map, trend. Every id a chart
    # refers to (clip paths, markers) is defined once on the page, or charts would borrow each other's.
    assert page.count("<svg") == 3
    ids = re.findall(r'\bid="([^"]+)"', page)
    refs = set(re.findall(r"url\(#([^)]+)\)", page)) | set(re.findall(r'href="#([^"]+)"', page))
    assert refs and all(ids.count(r) == 1 for r in refs)
    # Evidence: each highlighted span is exactly a sentence of the comment it shows.
    comments, sentences = (pd.read_csv(p) for p in scored_sample)
    spans = {html.escape(t[s:e], quote=False) for t, s, e in
             zip(comments.set_index("row").loc[sentences["row"], "text"], sentences["start"], sentences["end"])}
    marks = re.findall(r"<mark class=\"(?:negative|neutral|positive)\" title=\"[^\"]*\">(.*?)</mark>", page, re.S)
    assert len(marks) >= 5
    assert {html.unescape(m) for m in marks} <= {html.unescape(s) for s in spans}


def test_trend_period_follows_the_dates_unless_given(scored_sample, tmp_path):
    comments, _ = scored_sample
    dates = pd.to_datetime(pd.read_csv(comments)["date"])
    assert (dates.max() - dates.min()).days <= 31  # the sample spans days: trends by day
    for args, heading in [([], "<h2>Trends by day</h2>"), (["--period", "month"], "<h2>Trends by month</h2>"),
                          (["--period", "none"], None)]:
        out = tmp_path / "r.html"
        result = CliRunner().invoke(app, ["report", str(comments), "-o", str(out), *args])
        assert result.exit_code == 0, result.output
        page = out.read_text(encoding="utf-8")
        assert (heading in page) if heading else ('<section id="trends">' not in page)


def test_mask_pii_hides_personal_data_in_the_examples(tmp_path):
    src = tmp_path / "pii.csv"
    pd.DataFrame({"id": [1, 2], "text": [
        "My bag was lost and nobody called back. Call me at 010-1234-5678 please.",
        "Refund still missing after three weeks! Email me at kim.minsu@example.com",
    ]}).to_csv(src, index=False)
    scored, sents = tmp_path / "s.csv", tmp_path / "t.csv"
    result = CliRunner().invoke(app, ["score", str(src), "-o", str(scored), "--sentences", str(sents),
                                      "--profile", "fast", "--quiet"])
    assert result.exit_code == 0, result.output
    pages = {}
    for flag in ("--mask-pii", "--no-mask-pii"):
        out = tmp_path / f"{flag}.html"
        result = CliRunner().invoke(app, ["report", str(scored), "--sentences", str(sents), flag, "-o", str(out)])
        assert result.exit_code == 0, result.output
        pages[flag] = out.read_text(encoding="utf-8")
    assert "010-1234-5678" in pages["--no-mask-pii"] and "kim.minsu@example.com" in pages["--no-mask-pii"]
    assert "010-1234-5678" not in pages["--mask-pii"] and "kim.minsu@example.com" not in pages["--mask-pii"]
    assert "&lt;PHONE&gt;" in pages["--mask-pii"] and "&lt;EMAIL&gt;" in pages["--mask-pii"]
    assert "<mark class=\"negative\"" in pages["--mask-pii"]


def test_report_user_errors(scored_sample, tmp_path):
    comments, sentences = scored_sample
    for args, message in [
        (["-o", str(tmp_path / "r.pdf")], "give an output name ending in .html"),
        (["-o", str(tmp_path / "r.html"), "--text", "body"], "column 'body' not in scored.csv"),
        (["-o", str(tmp_path / "r.html"), "--by", "region"], "column 'region' not in scored.csv"),
    ]:
        result = CliRunner().invoke(app, ["report", str(comments), *args])
        assert result.exit_code == 2 and result.output.count("\n") == 1 and message in result.output, result.output


def _render(page, png):
    """Screenshot ``page`` with headless Chromium; returns the page's console lines."""
    cmd = [CHROMIUM, "--headless", "--disable-gpu", "--hide-scrollbars", "--window-size=1200,2400",
           "--virtual-time-budget=5000", "--host-resolver-rules=MAP * ~NOTFOUND", "--enable-logging=stderr",
           "--v=0", f"--user-data-dir={png.parent / 'chromium-profile'}", f"--screenshot={png}", page.as_uri()]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.insert(1, "--no-sandbox")  # Chromium refuses to run as root with its sandbox (CI containers)
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert png.exists(), proc.stderr[-2000:]
    return [line for line in proc.stderr.splitlines() if ":CONSOLE" in line]


def _non_blank(png) -> bool:
    from PIL import Image

    pixels = np.asarray(Image.open(png).convert("L"), dtype=float)
    return pixels.std() > 10 and (pixels < 200).mean() > 0.01


@needs_chromium
def test_report_renders_in_headless_chromium(report_html, tmp_path):
    png = tmp_path / "report.png"
    console = _render(report_html, png)
    assert console == []
    assert _non_blank(png)


@needs_chromium
def test_the_chromium_checks_can_fail(tmp_path):
    """Controls: a blank page is caught as blank, and a script error is caught on the console."""
    blank, broken = tmp_path / "blank.html", tmp_path / "broken.html"
    blank.write_text("<!DOCTYPE html><html><body></body></html>")
    broken.write_text("<!DOCTYPE html><html><body><h1>Report</h1><script>missing();</script></body></html>")
    assert _render(blank, tmp_path / "blank.png") == []
    assert not _non_blank(tmp_path / "blank.png")
    console = _render(broken, tmp_path / "broken.png")
    assert len(console) == 1 and "ReferenceError: missing is not defined" in console[0]
