"""nlp.add_pipe("textcs"): Doc and sentence Span extensions, entry point, to_disk/spacy.load with the model."""

import shutil
import subprocess
import sys

import pytest
import spacy

from textcs.training import TaskResult

from test_training import lexical_task_model


@pytest.fixture(scope="module")
def task_model(tmp_path_factory, pre):
    return lexical_task_model(tmp_path_factory.mktemp("spacy-model"), pre)


def test_factory_is_found_through_the_entry_point_without_importing_textcs():
    code = ("import spacy, sys; nlp = spacy.blank('en'); nlp.add_pipe('textcs', config={'profile': 'fast'}); "
            "print(nlp.pipe_names)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "['textcs']" in out.stdout


def test_shipped_model_labels_doc_and_sentences():
    nlp = spacy.blank("en")
    nlp.add_pipe("textcs", config={"industry": "airline"})
    doc = nlp("Flight was 3 hours late and nobody told us anything. The cabin crew were lovely though!")
    assert doc._.textcs.polarity == "negative" and "delay" in doc._.textcs.failures
    first, second = doc.spans["textcs"]
    assert first.text.startswith("Flight") and "delay" in first._.textcs.failures
    assert second._.textcs.polarity == "positive"
    assert doc[0:3]._.textcs is first._.textcs  # any span maps to the sentence it overlaps most
    docs = list(nlp.pipe(["배달이 너무 늦었어요", "", "Great crew"], batch_size=2))
    assert docs[1]._.textcs.status == "empty" and docs[0]._.textcs.polarity == "negative"


def test_custom_model_travels_with_the_pipeline(task_model, tmp_path):
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("textcs", config={"model": str(task_model)})
    text = "The waiter was rude. Way too expensive."
    before = nlp(text)
    assert isinstance(before._.textcs, TaskResult)
    assert [s._.textcs is not None for s in before.sents] == [True, True]
    copy = tmp_path / "model-copy"
    shutil.copytree(task_model, copy)
    nlp.get_pipe("textcs").model = str(copy)
    nlp.to_disk(tmp_path / "pipeline")
    shutil.rmtree(copy)  # the saved pipeline must not need the original folder
    loaded = spacy.load(tmp_path / "pipeline")
    after = loaded(text)
    assert after._.textcs.labels == before._.textcs.labels and after._.textcs.proba == before._.textcs.proba


@pytest.mark.slow
def test_spacy_package_builds_an_installable_folder(task_model, tmp_path):
    nlp = spacy.blank("en")
    nlp.add_pipe("textcs", config={"model": str(task_model)})
    nlp.meta.update({"name": "textcs_demo", "version": "0.0.1"})
    nlp.to_disk(tmp_path / "pipeline")
    (tmp_path / "pkg").mkdir()
    out = subprocess.run([sys.executable, "-m", "spacy", "package", str(tmp_path / "pipeline"), str(tmp_path / "pkg"),
                          "--build", "none", "--force"], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    built = list((tmp_path / "pkg").glob("en_textcs_demo-0.0.1/en_textcs_demo/en_textcs_demo-0.0.1/textcs/model/task.json"))
    assert built, list((tmp_path / "pkg").rglob("*"))[:20]
