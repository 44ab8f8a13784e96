from pathlib import Path

import pytest

import textcs

from textcs.datasets import real_data_root

# Where the real data sets are looked for: $TEXTCS_REAL_DATA, else ../shared/data/real.
REAL = real_data_root()


@pytest.fixture(scope="session")
def pre() -> textcs.Preprocessor:
    """One preprocessor for the whole run: its models load once, as in real use."""
    return textcs.Preprocessor()


@pytest.fixture(scope="session")
def real_dir() -> Path:
    if not REAL.is_dir():
        pytest.skip("../shared/data/real is absent")
    return REAL


@pytest.fixture(scope="session")
def scored_sample(tmp_path_factory) -> tuple[Path, Path]:
    """``textcs score`` on the shipped sample (fast profile): the comment and sentence files that
    ``textcs index`` and ``textcs report`` read."""
    from typer.testing import CliRunner

    from textcs.cli import app

    folder = tmp_path_factory.mktemp("scored")
    comments, sentences = folder / "scored.csv", folder / "sentences.csv"
    sample = Path(__file__).resolve().parents[1] / "data" / "samples" / "comments.csv"
    result = CliRunner().invoke(app, ["score", str(sample), "-o", str(comments), "--sentences", str(sentences),
                                      "--id", "id", "--touchpoint", "touchpoint", "--time", "date",
                                      "--profile", "fast", "--quiet"])
    assert result.exit_code == 0, result.output
    return comments, sentences
