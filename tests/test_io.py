"""textcs.io: every record read once with its row number; malformed ones reported with line numbers."""

import gzip
import json

import pandas as pd
import pyarrow as pa
import pytest

from textcs.io import FormatError, file_format, open_reader, open_writer, to_arrow


def _read(path, size=100):
    chunks = list(open_reader(path).chunks(size))
    frame = pd.concat([c.frame for c in chunks])
    return frame, [r for c in chunks for r in c.rejects], chunks


def test_csv_malformed_records_are_rejects_with_line_numbers(tmp_path):
    path = tmp_path / "in.csv"
    path.write_bytes(
        b"id,text\n"                       # line 1
        b"1,fine\n"                        # 2 -> row 0
        b'2,"spans\ntwo lines"\n'          # 3-4 -> row 1
        b"3,too,many\n"                    # 5 -> row 2 (reject)
        b"\n"                              # 6: blank, not a record
        b"4,bad \xff bytes\n"              # 7 -> row 3 (reject)
        b'5,"x"y\n'                        # 8 -> row 4 (reject: broken quoting)
        b"6,last ok\n"                     # 9 -> row 5
        b'7,"never closed\n8,swallowed\n'  # 10-11 -> row 6 (reject)
    )
    frame, rejects, _ = _read(path)
    assert frame.index.tolist() == list(range(7))
    assert frame["id"].tolist() == ["1", "2", None, None, None, "6", None]
    assert frame.loc[1, "text"] == "spans\ntwo lines"
    got = [(r.row, r.line, r.end_line) for r in rejects]
    assert got == [(2, 5, 5), (3, 7, 7), (4, 8, 8), (6, 10, 11)]
    assert rejects[0].reason == "line 5: 3 fields, expected 2" and rejects[0].raw == "3,too,many"
    assert rejects[1].error == "bytes that are not UTF-8" and rejects[1].raw == "4,bad \\xff bytes"
    assert "malformed CSV" in rejects[2].error and rejects[3].reason.startswith("lines 10-11: malformed CSV")


def test_jsonl_malformed_lines_and_key_union(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_bytes(
        b'{"id": 1, "text": "ok"}\n'
        b'{"id": 2, "text": "cut\n'
        b"[1, 2]\n"
        b"\n"
        b'{"id": 3, "text": "lone \\ud800 surrogate", "stars": 4.5, "meta": {"a": 1}}\n'
        b"\xff\xfe\n"
    )
    frame, rejects, _ = _read(path)
    assert list(frame.columns) == ["id", "text", "stars", "meta"]  # every key, first-seen order
    assert frame.index.tolist() == [0, 1, 2, 3, 4]
    assert [(r.row, r.line) for r in rejects] == [(1, 2), (2, 3), (4, 6)]
    assert rejects[0].error.startswith("invalid JSON") and rejects[1].error == "expected a JSON object, got list"
    assert "not UTF-8" in rejects[2].error and rejects[2].raw == "\\xff\\xfe"
    assert frame.loc[3, "text"] == "lone \ufffd surrogate"
    table = to_arrow(frame, pa.schema([(c, pa.string()) for c in frame.columns]))
    assert table.column("stars").to_pylist() == [None, None, None, "4.5", None]
    assert table.column("meta").to_pylist()[3] == '{"a": 1}' and table.column("id").to_pylist()[0] == "1"


def test_chunks_are_bounded_and_numbered_across_them(tmp_path):
    path = tmp_path / "in.tsv"
    path.write_text("text\n" + "".join(f"c{i}\n" for i in range(25)), encoding="utf-8")
    _, _, chunks = _read(path, size=10)
    assert [len(c.frame) for c in chunks] == [10, 10, 5]
    assert chunks[2].frame.index.tolist() == list(range(20, 25))


@pytest.mark.parametrize("name", ["o.csv", "o.tsv.gz", "o.jsonl", "o.ndjson.gz", "o.parquet", "o.parquet.gz"])
def test_round_trip_every_format(tmp_path, name):
    schema = pa.schema([("id", pa.string()), ("text", pa.string()), ("n", pa.int64())])
    rows = pa.table({"id": ["a", "b", "c"], "text": ["줄바꿈\n있음", 'quote " and, comma', None], "n": [1, 2, 3]},
                    schema=schema)
    out = tmp_path / name
    with open_writer(out, schema) as w:
        w.write(rows.slice(0, 2))
        w.write(rows.slice(2))
    frame, rejects, _ = _read(out)
    assert not rejects and frame["id"].tolist() == ["a", "b", "c"]
    assert frame["text"].tolist()[:2] == ["줄바꿈\n있음", 'quote " and, comma']
    assert pd.isna(frame["text"].tolist()[2]) or frame["text"].tolist()[2] == ""  # CSV cannot tell them apart


def test_gzip_output_is_byte_identical_across_runs(tmp_path):
    schema = pa.schema([("a", pa.int64())])
    blobs = []
    for k in range(2):
        out = tmp_path / f"run{k}" / "o.csv.gz"
        with open_writer(out, schema) as w:
            w.write(pa.table({"a": [1, 2, 3]}, schema=schema))
        blobs.append(out.read_bytes())
    assert blobs[0] == blobs[1] and gzip.decompress(blobs[0]) == b"a\n1\n2\n3\n"


def test_a_failed_write_leaves_no_partial_file(tmp_path):
    out = tmp_path / "o.jsonl"
    schema = pa.schema([("a", pa.int64())])
    with pytest.raises(RuntimeError):
        with open_writer(out, schema) as w:
            w.write(pa.table({"a": [1]}, schema=schema))
            raise RuntimeError("disk on fire")
    assert list(tmp_path.iterdir()) == []


def test_unknown_and_unreadable_files(tmp_path):
    with pytest.raises(FormatError, match="unknown format 'x.xlsx'"):
        file_format(tmp_path / "x.xlsx")
    with pytest.raises(FormatError, match="input file not found"):
        open_reader(tmp_path / "missing.csv")
    junk = tmp_path / "junk.parquet"
    junk.write_bytes(b"not parquet at all")
    with pytest.raises(FormatError, match="cannot read"):
        open_reader(junk)
    truncated = tmp_path / "t.jsonl.gz"
    truncated.write_bytes(gzip.compress(json.dumps({"text": "x"}).encode() * 100)[:30])
    with pytest.raises(FormatError, match="cannot read"):
        open_reader(truncated)
