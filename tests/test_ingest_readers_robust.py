"""Readers under hostile input: a bad JSONL line, feed item, NUL byte or invisible text
costs that line, item or document only; symbolic links out of an ingested folder are not
followed (docs/limits.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cronica.ingest import count_inputs, read_paths, read_text, visible_chars
from cronica.ingest.files import IngestProblem
from cronica.records import Document, IngestError

EN = ("Gunmen killed three police officers in an ambush near Tumaco, Colombia, on Friday, "
      "the army said. The patrol was returning to its base when it was attacked.")
ES = ("Hombres armados asesinaron a dos soldados en una emboscada cerca de Cúcuta el sábado, "
      "informó el ejército. La patrulla regresaba a su base.")


def _split(out: list) -> tuple[list[Document], dict[str, str]]:
    return ([d for d in out if isinstance(d, Document)],
            {e.source: e.problem for e in out if isinstance(e, IngestError)})


def test_jsonl_every_bad_line_costs_only_itself(tmp_path: Path) -> None:
    sep = EN.replace(". ", ".\u2028", 1)  # U+2028 inside a JSON string: not a line break
    lines = [
        json.dumps({"text": sep}, ensure_ascii=False),                    # 1 valid
        "[" * 50_000 + "]" * 50_000,                                       # 2 RecursionError
        json.dumps({"text": ES, "language": "es"}).replace("}", "}\x00"),  # 3 NUL byte
        '{"text": ' + "7" * 5000 + "}",                                    # 4 int-string limit
        json.dumps({"text": EN, "title": ["not", "a", "string"]}),         # 5 wrong type
        '{"text": "A lone \\ud800 surrogate is valid JSON but not Unicode text."}',  # 6
        json.dumps({"text": "\u200b\u200c\u200d\ufeff" * 30}),            # 7 invisible only
        json.dumps({"text": ES + "\u0085Segundo párrafo.", "language": "es"}, ensure_ascii=False),  # 8 NEL
        "{broken",                                                         # 9
        json.dumps({"text": EN + " Again.", "url": "https://x.example.org/a"}),  # 10 valid
    ]
    f = tmp_path / "mixed.jsonl"
    f.write_bytes(("\r\n".join(lines[:5]) + "\n" + "\n".join(lines[5:]) + "\n").encode("utf-8"))
    docs, errs = _split(list(read_paths([f])))
    assert [d.source_path for d in docs] == [f"{f}:1", f"{f}:8", f"{f}:10"]
    assert "\u2028" in docs[0].text and "Segundo párrafo" in docs[1].text
    assert errs == {
        f"{f}:2": "invalid JSON (nested too deeply)",
        f"{f}:3": "binary data (NUL byte in the line)",
        f"{f}:4": errs[f"{f}:4"],
        f"{f}:5": "field 'title' must be a string",
        f"{f}:6": "field 'text' is not valid Unicode (a lone surrogate)",
        f"{f}:7": "no visible text (only whitespace, zero-width or other invisible characters)",
        f"{f}:9": errs[f"{f}:9"],
    }
    assert errs[f"{f}:4"].startswith("invalid JSON (Exceeds the limit")
    assert errs[f"{f}:9"].startswith("invalid JSON (")


def test_nul_bytes_reject_a_text_file_but_not_a_jsonl_file(tmp_path: Path) -> None:
    txt = tmp_path / "a.txt"
    txt.write_bytes(EN.encode() + b"\x00")
    jsonl = tmp_path / "b.jsonl"
    jsonl.write_bytes(b'{"text": "x\x00"}\n' + json.dumps({"text": EN}).encode() + b"\n")
    docs, errs = _split(list(read_paths([txt, jsonl])))
    assert errs == {str(txt): "binary file (contains NUL bytes)",
                    f"{jsonl}:1": "binary data (NUL byte in the line)"}
    assert [d.source_path for d in docs] == [f"{jsonl}:2"]


def test_feed_item_with_an_impossible_date_costs_that_item_only(tmp_path: Path) -> None:
    def item(n: int, date: str) -> str:
        return (f"<item><title>T{n}</title><link>https://f.example.org/{n}</link>"
                f"<pubDate>{date}</pubDate><description>{EN} Item {n}.</description></item>")

    f = tmp_path / "wire.rss"
    f.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
                 + item(1, "Thu, 03 Jun 2021 10:00:00 GMT") + item(2, "Mon, 45 Foo 99999 99:99:99 +9999")
                 + item(3, "2021-02-30") + item(4, "2021-06") + "</channel></rss>", encoding="utf-8")
    docs, errs = _split(list(read_paths([f])))
    assert [(d.source_path, d.published) for d in docs] == [(f"{f}#item1", "2021-06-03"),
                                                            (f"{f}#item4", "2021-06")]
    assert set(errs) == {f"{f}#item2", f"{f}#item3"}
    assert all(p.startswith("item date: not a date:") for p in errs.values())


def test_text_without_visible_characters_is_rejected(tmp_path: Path) -> None:
    f = tmp_path / "zw.txt"
    f.write_text("\u200b\u200c\u200d\u2060\ufeff\u00ad\u202e\u3164\n" * 20, encoding="utf-8")
    [err] = list(read_paths([f]))
    assert isinstance(err, IngestError)
    assert err.problem == "no visible text (only whitespace, zero-width or other invisible characters)"
    for text in ("\u200b" * 100, "\u00a0\u3000\u2028 \t" * 10):
        try:
            read_text(text)
        except IngestProblem as e:
            assert "no visible text" in str(e) or str(e) == "empty text"
        else:
            raise AssertionError(f"{text!r} was accepted")
    # a few visible letters lost among invisible characters are no article either
    try:
        read_text("ab" + "\u200b" * 200 + "cd")
    except IngestProblem as e:
        assert str(e) == "no article text after removing boilerplate"
    else:
        raise AssertionError("accepted")
    assert visible_chars("a\u200bb c\u00ad") == 3 and visible_chars(EN, 5) == 5


def test_symlinks_leaving_the_folder_are_reported_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "secret.txt"
    secret.write_text(EN, encoding="utf-8")
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    inner = folder / "sub" / "article.txt"
    inner.write_text(ES, encoding="utf-8")
    (folder / "leak.txt").symlink_to(secret)
    (folder / "leak-rel.txt").symlink_to(Path("..") / "outside" / "secret.txt")
    (folder / "alias.txt").symlink_to(inner)  # inside the folder: read
    (folder / "outdir").symlink_to(outside, target_is_directory=True)
    (folder / "loop").symlink_to(folder, target_is_directory=True)

    out = list(read_paths([folder]))
    docs, errs = _split(out)
    assert count_inputs([folder]) == len(out) == 6
    assert sorted(Path(d.source_path).name for d in docs) == ["alias.txt", "article.txt"]
    assert all(EN not in d.text for d in docs)  # the secret was never read
    assert errs[str(folder / "leak.txt")] == (
        f"symbolic link leaving the ingested folder not followed (points to {secret})")
    assert errs[str(folder / "leak-rel.txt")].startswith("symbolic link leaving the ingested folder")
    assert errs[str(folder / "outdir")].startswith("symbolic link to a folder not followed")
    assert errs[str(folder / "loop")].startswith("symbolic link to a folder not followed")
    # named on the command line, a link is read as given
    [doc] = list(read_paths([folder / "leak.txt"]))
    assert isinstance(doc, Document) and doc.text == EN


def test_text_that_is_not_prose_is_refused_before_extraction() -> None:
    from cronica.ingest import read_text
    from cronica.ingest.reader import letter_share

    dump = "-".join(str(i % 100) for i in range(1500))
    with pytest.raises(ValueError, match=r"not article text: only 0% of its visible characters are letters"):
        read_text(dump)
    table = "Gunmen killed 12 people in Culiacán on 3 May 2024, police said. " + "Toll: 12 / 2024-05-03. " * 3
    assert letter_share(table) > 0.5
    assert read_text(table).text.startswith("Gunmen")
