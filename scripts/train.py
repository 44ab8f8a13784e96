"""Train your own model: the same code and options as ``textcs train``.

    python scripts/train.py DATA -o OUTPUT [--task custom --labels a,b,c --multi-label ...]
    python scripts/train.py --config train.yaml

See ``python scripts/train.py --help`` and the README's "Train your own model" section.
"""

from __future__ import annotations

import sys

from textcs.cli import app

if __name__ == "__main__":
    app(["train", *sys.argv[1:]], prog_name="scripts/train.py")
