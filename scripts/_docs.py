"""Write a measured table into a Markdown file between markers, replacing the previous run's."""

from __future__ import annotations

from pathlib import Path


def write_block(path: Path, name: str, heading: str, text: str) -> None:
    """Put ``text`` between ``<!-- name:begin -->`` / ``<!-- name:end -->`` in ``path``; a new
    block goes at the end under ``heading``."""
    begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
    doc = path.read_text(encoding="utf-8") if path.exists() else ""
    block = f"{begin}\n{text}\n{end}"
    if begin in doc:
        head, rest = doc.split(begin, 1)
        doc = head + block + rest.split(end, 1)[1]
    else:
        doc = doc.rstrip() + f"\n\n{heading}\n\n{block}\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(doc.lstrip(), encoding="utf-8")
