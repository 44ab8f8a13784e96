from pathlib import Path

import pytest

import textcs

REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "real"


@pytest.fixture(scope="session")
def pre() -> textcs.Preprocessor:
    """One preprocessor for the whole run: its models load once, as in real use."""
    return textcs.Preprocessor()


@pytest.fixture(scope="session")
def real_dir() -> Path:
    if not REAL.is_dir():
        pytest.skip("../shared/data/real is absent")
    return REAL
