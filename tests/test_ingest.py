"""Tests for conflictlens.ingest: every format, stdin, directories, and every bad-input code."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import pytest

from conflictlens.errors import ConflictLensError, InputError
from conflictlens.ingest import DEFAULT_MAX_BYTES, article_id_for, normalise_text, read_inputs
from conflictlens.ingest import paths as ingest_paths
from conflictlens.ingest.normalise import parse_published
from conflictlens.model import Article

BODY = "Gunmen attacked a police checkpoint near the river on Monday, killing two officers, officials said."


def run(*paths: object, **kwargs) -> list[Article | ConflictLensError]:
    return list(read_inputs([str(p) for p in paths], **kwargs))


def articles(results: list) -> list[Article]:
    return [r for r in results if isinstance(r, Article)]


def errors(results: list) -> list[InputError]:
    return [r for r in results if isinstance(r, ConflictLensError)]


def only_error(results: list, code: str) -> InputError:
    found = [e for e in errors(results) if e.code == code]
    assert len(found) == 1, [str(e) for e in errors(results)]
    assert isinstance(found[0], InputError)
    return found[0]


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


# --- normalisation and identity ----------------------------------------------------------------------------


def test_normalise_text_rules():
    raw = "\ufeff  Cafe\u0301 line one   \r\nline\u200b two\t\r\rlast\n\n\n\n\nend  \n"
    assert normalise_text(raw) == "Café line one\nline two\n\nlast\n\nend"


def test_article_id_is_sha256_of_normalised_text():
    text = normalise_text("Some report.\r\n")
    assert article_id_for(text) == hashlib.sha256(b"Some report.").hexdigest()
    assert len(article_id_for(text)) == 64


def test_default_max_bytes():
    assert DEFAULT_MAX_BYTES == 2_000_000


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2014-12-16", "2014-12-16"),
        ("16 December 2014", "2014-12-16"),
        ("2014-12-16T10:30:00Z", "2014-12-16T10:30:00+00:00"),
        ("2014-12-16 10:30", "2014-12-16T10:30:00"),
        ("Tue, 16 Dec 2014 10:00:00 +0500", "2014-12-16T10:00:00+05:00"),
        ("Tue, 16 Dec 2014 10:00:00 GMT", "2014-12-16T10:00:00+00:00"),
    ],
)
def test_parse_published(raw, expected):
    assert parse_published(raw) == expected


@pytest.mark.parametrize("raw", ["yesterday", "not a date", "December 2014", "16 December", "10:30", ""])
def test_parse_published_rejects_incomplete_or_bad(raw):
    with pytest.raises(ValueError):
        parse_published(raw)


# --- plain text --------------------------------------------------------------------------------------------


def test_txt_plain_no_title(tmp_path):
    path = write(tmp_path / "a.txt", BODY + "\n\nA second paragraph.\n")
    (art,) = run(path)
    assert isinstance(art, Article)
    assert art.text == BODY + "\n\nA second paragraph."
    assert art.title is None
    assert art.origin == str(path)
    assert art.article_id == article_id_for(art.text)


def test_txt_first_line_headline_becomes_title_and_stays_in_text(tmp_path):
    path = write(tmp_path / "h.txt", "Two officers killed at checkpoint  \n\n" + BODY + "\n")
    (art,) = run(path)
    assert art.title == "Two officers killed at checkpoint"
    assert art.text.startswith("Two officers killed at checkpoint\n\n")
    assert art.text[: len(art.title)] == art.title


@pytest.mark.parametrize(
    "first",
    ["This first line is a sentence.", 'He said "we will fight"', "x" * 201, "Who did it?"],
)
def test_txt_first_line_not_a_headline(tmp_path, first):
    (art,) = run(write(tmp_path / "n.txt", first + "\n\n" + BODY))
    assert art.title is None


def test_txt_first_line_without_blank_line_is_not_a_headline(tmp_path):
    (art,) = run(write(tmp_path / "n.txt", "Checkpoint attack\n" + BODY))
    assert art.title is None


def test_txt_front_matter(tmp_path):
    content = (
        "---\n"
        "title: Checkpoint attacked\n"
        "published: 2014-12-16\n"
        "url: https://news.example/a/1\n"
        "source: \"Example News\"\n"
        "id: ex-1\n"
        "language: en\n"
        "colour: blue\n"
        "---\n"
        "Headline-like line\n\n" + BODY + "\n"
    )
    (art,) = run(write(tmp_path / "fm.txt", content))
    assert art.title == "Checkpoint attacked"
    assert art.published == "2014-12-16"
    assert art.url == "https://news.example/a/1"
    assert art.source == "Example News"
    assert art.source_id == "ex-1"
    assert art.language == "en"
    assert art.text == "Headline-like line\n\n" + BODY
    assert "colour" not in art.text and "---" not in art.text


def test_txt_front_matter_without_title_uses_headline(tmp_path):
    content = "---\npublished: 16 Dec 2014\n---\nMarket bombing\n\n" + BODY
    (art,) = run(write(tmp_path / "fm.txt", content))
    assert art.title == "Market bombing"
    assert art.published == "2014-12-16"


def test_unterminated_front_matter_is_text(tmp_path):
    (art,) = run(write(tmp_path / "u.txt", "---\ntitle: x\n" + BODY))
    assert art.title is None
    assert art.text.startswith("---\ntitle: x")


def test_extension_is_case_insensitive(tmp_path):
    (art,) = run(write(tmp_path / "UPPER.TXT", BODY))
    assert isinstance(art, Article)


def test_utf16_with_bom(tmp_path):
    (art,) = run(write(tmp_path / "u16.txt", "Bogotá report\n\n".encode("utf-16") + BODY.encode("utf-16-le")))
    assert art.text.startswith("Bogotá report")


def test_utf8_with_bom(tmp_path):
    (art,) = run(write(tmp_path / "bom.txt", b"\xef\xbb\xbf" + BODY.encode()))
    assert art.text == BODY


# --- encodings ---------------------------------------------------------------------------------------------


def test_cp1252_decodes_curly_quotes_and_euro(tmp_path):
    path = write(tmp_path / "cp.txt", b"\x93Quoted\x94 \x80 5")
    (art,) = run(path)
    assert art.text == "\u201cQuoted\u201d \u20ac 5"


@pytest.mark.parametrize("word", ["Bogot\xe1", "S\xe3o Paulo"])
def test_latin1_short_words_decode(tmp_path, word):
    (art,) = run(write(tmp_path / "l1.txt", word.encode("latin-1")))
    assert art.text == word


def test_latin1_longer_text_decodes(tmp_path):
    text = "Protesters marched in S\xe3o Paulo and Bogot\xe1 on Friday; police in Medell\xedn made arrests."
    (art,) = run(write(tmp_path / "l1.txt", text.encode("latin-1")))
    assert art.text == text


def test_cyrillic_cp1251_is_not_read_as_western(tmp_path):
    text = (
        "Президент заявил, что в результате нападения на полицейский участок погибли два человека. "
        "Ответственность за нападение пока никто не взял на себя."
    )
    (art,) = run(write(tmp_path / "ru.txt", text.encode("cp1251")))
    assert art.text == text


# --- HTML --------------------------------------------------------------------------------------------------

HTML_PAGE = """<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Checkpoint attacked | Example News</title>
<meta property="og:site_name" content="Example News">
<meta property="og:url" content="https://news.example/og-url">
<link rel="canonical" href="https://news.example/2014/12/checkpoint">
<meta property="article:published_time" content="2014-12-16T10:30:00+05:00">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Checkpoint attacked</h1>
<p>Gunmen attacked a police checkpoint near the river on Monday, killing two officers, officials said.</p>
<p>The attackers fled on motorcycles, a police spokesman told reporters in the provincial capital.</p>
</article>
<footer>Copyright 2013 Example News. All rights reserved.</footer>
</body></html>
"""


def test_html_main_text_and_metadata(tmp_path):
    path = write(tmp_path / "page.html", HTML_PAGE)
    (art,) = run(path)
    assert isinstance(art, Article)
    assert "killing two officers" in art.text
    assert "fled on motorcycles" in art.text
    assert "Copyright" not in art.text
    assert "World" not in art.text
    assert art.title == "Checkpoint attacked"
    assert art.published == "2014-12-16T10:30:00+05:00"
    assert art.url == "https://news.example/2014/12/checkpoint"
    assert art.source == "Example News"
    assert art.language == "en"
    assert art.origin == str(path)


def test_html_time_element_and_og_url(tmp_path):
    page = (
        "<html><head><title>Raid</title><meta property='og:url' content='https://x.example/raid'></head>"
        "<body><article><p>Soldiers raided a village on Sunday and detained eleven men, residents said.</p>"
        "<p>Published <time datetime='2015-03-01'>1 March 2015</time></p></article></body></html>"
    )
    (art,) = run(write(tmp_path / "raid.HTM", page))
    assert art.published == "2015-03-01"
    assert art.url == "https://x.example/raid"


def test_html_cp1252_without_declared_charset(tmp_path):
    page = b"<html><body><article><p>He said \x93we will not stop\x94 as the march reached Bogot\xe1.</p></article></body></html>"
    (art,) = run(write(tmp_path / "cp.html", page))
    assert "\u201cwe will not stop\u201d" in art.text
    assert "Bogot\xe1" in art.text


def test_html_without_main_text_is_e110(tmp_path):
    path = write(tmp_path / "empty.html", "<html><head><title>Nothing</title></head><body></body></html>")
    err = only_error(run(path), "E110")
    assert err.path == str(path)


def test_html_with_only_navigation_is_e110(tmp_path):
    page = "<html><body><nav><a href='/'>Home</a> <a href='/w'>World</a></nav><footer>Copyright</footer></body></html>"
    path = write(tmp_path / "nav.html", page)
    results = run(path, write(tmp_path / "good.txt", BODY))
    assert only_error(results, "E110").path == str(path)
    assert len(articles(results)) == 1


# --- JSON and JSON Lines -----------------------------------------------------------------------------------


def test_jsonl_records_and_fields(tmp_path):
    lines = [
        json.dumps({"id": "r1", "text": BODY, "url": "https://x/1", "title": "T1", "published": "2014-12-16",
                    "source": "Wire", "language": "en", "extra": [1, 2]}),
        "",
        json.dumps({"id": 42, "text": "Second report about a protest in the capital."}),
    ]
    path = write(tmp_path / "recs.jsonl", "\n".join(lines) + "\n")
    first, second = run(path)
    assert (first.source_id, first.url, first.title, first.published, first.source, first.language) == (
        "r1", "https://x/1", "T1", "2014-12-16", "Wire", "en",
    )
    assert first.origin == f"{path}:1"
    assert second.source_id == "42"
    assert second.origin == f"{path}:3"


def test_jsonl_bad_lines_report_line_numbers_and_batch_goes_on(tmp_path):
    content = "\n".join(
        [
            json.dumps({"text": "Good line one about a clash."}),  # 1
            "{not json",  # 2
            json.dumps({"text": "Good line three about a raid."}),  # 3
            json.dumps({"title": "no text"}),  # 4
            json.dumps(["a", "list"]),  # 5
            json.dumps({"text": 12}),  # 6
            json.dumps({"text": "Bad title type.", "title": 5}),  # 7
            "",  # 8
            json.dumps({"text": "Good line nine.", "published": "the day after"}),  # 9
            json.dumps({"text": "   \u200b  "}),  # 10
        ]
    )
    path = write(tmp_path / "mixed.jsonl", content + "\n")
    results = run(path)
    got = [(r.code, r.line) if isinstance(r, ConflictLensError) else r.origin for r in results]
    assert got == [
        f"{path}:1",
        ("E105", 2),
        f"{path}:3",
        ("E106", 4),
        ("E112", 5),
        ("E113", 6),
        ("E113", 7),
        ("W101", 9),
        f"{path}:9",
        ("E102", 10),
    ]
    assert all(e.path == str(path) for e in errors(results))
    warning = only_error(results, "W101")
    assert warning.is_warning and "the day after" in warning.detail
    assert articles(results)[-1].published is None


def test_jsonl_utf16_with_bom(tmp_path):
    content = json.dumps({"text": "Marcha en Bogotá."}, ensure_ascii=False) + "\n{bad\n"
    results = run(write(tmp_path / "u16.jsonl", content.encode("utf-16")))
    assert articles(results)[0].text == "Marcha en Bogotá."
    assert only_error(results, "E105").line == 2


def test_json_object_and_list(tmp_path):
    single = write(tmp_path / "one.json", json.dumps({"text": BODY, "id": "s1"}))
    many = write(
        tmp_path / "many.json",
        json.dumps([{"text": "First listed report."}, {"nope": 1}, "str", {"text": "Third listed report."}]),
    )
    results = run(single, many)
    arts = articles(results)
    assert [a.source_id for a in arts] == ["s1", None, None]
    assert arts[0].origin == str(single)
    assert arts[2].origin == f"{many}#4"
    e106 = only_error(results, "E106")
    assert e106.path == str(many) and "record 2" in e106.detail
    e112 = only_error(results, "E112")
    assert "record 3" in e112.detail


def test_malformed_json_file_is_e105_with_line(tmp_path):
    path = write(tmp_path / "bad.json", '[\n  {"text": "a"},\n  {"text": }\n]')
    err = only_error(run(path), "E105")
    assert (err.path, err.line) == (str(path), 3)


# --- feeds -------------------------------------------------------------------------------------------------

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel>
<title>Example Wire</title><link>https://wire.example/</link><language>en</language>
<item>
  <title>Clash near the border</title>
  <link>https://wire.example/clash</link>
  <guid>wire-1</guid>
  <pubDate>Tue, 16 Dec 2014 10:00:00 +0500</pubDate>
  <description>&lt;p&gt;Fighting broke out near the border.&lt;/p&gt;&lt;p&gt;Two soldiers   were
  killed.&lt;/p&gt;</description>
</item>
<item>
  <title>Second item</title>
  <guid>wire-2</guid>
  <pubDate>sometime soon</pubDate>
  <description>Plain summary about an arrest.</description>
</item>
</channel></rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Atom Desk</title>
  <id>urn:feed</id>
  <updated>2015-01-02T00:00:00Z</updated>
  <entry>
    <title>Bombing in the market</title>
    <id>urn:entry:1</id>
    <link href="https://atom.example/bombing"/>
    <updated>2015-01-02T08:15:00Z</updated>
    <summary>Short summary.</summary>
    <content type="html">&lt;p&gt;A bomb exploded in the market.&lt;/p&gt;&lt;ul&gt;&lt;li&gt;Five dead&lt;/li&gt;&lt;/ul&gt;</content>
  </entry>
</feed>
"""


def test_rss_feed(tmp_path):
    path = write(tmp_path / "wire.rss", RSS)
    results = run(path)
    first, second = articles(results)
    assert first.text == "Fighting broke out near the border.\n\nTwo soldiers were killed."
    assert first.title == "Clash near the border"
    assert first.url == "https://wire.example/clash"
    assert first.published == "2014-12-16T10:00:00+05:00"
    assert first.source == "Example Wire"
    assert first.source_id == "wire-1"
    assert first.language == "en"
    assert first.origin == f"{path}#1"
    assert second.text == "Plain summary about an arrest."
    assert second.published is None
    warning = only_error(results, "W101")
    assert warning.path == str(path) and "sometime soon" in warning.detail and "entry 2" in warning.detail
    assert results.index(warning) == results.index(second) - 1


def test_atom_feed_prefers_content_over_summary(tmp_path):
    (art,) = run(write(tmp_path / "desk.atom", ATOM))
    assert art.text == "A bomb exploded in the market.\n\nFive dead"
    assert art.title == "Bombing in the market"
    assert art.url == "https://atom.example/bombing"
    assert art.published == "2015-01-02T08:15:00+00:00"
    assert art.source == "Atom Desk"
    assert art.source_id == "urn:entry:1"


def test_xml_extension_is_a_feed(tmp_path):
    (art,) = run(write(tmp_path / "desk.xml", ATOM))
    assert art.source == "Atom Desk"


def test_broken_feed_without_entries_is_e109(tmp_path):
    path = write(tmp_path / "broken.rss", '<rss version="2.0"><channel><title>Oops</title>&broken; <')
    results = run(path, write(tmp_path / "ok.txt", BODY))
    err = only_error(results, "E109")
    assert err.path == str(path)
    assert len(articles(results)) == 1


def test_xml_that_is_not_a_feed_is_e109(tmp_path):
    path = write(tmp_path / "note.xml", "<note><to>Editor</to><body>Hello</body></note>")
    err = only_error(run(path), "E109")
    assert err.path == str(path) and "not an RSS or Atom feed" in err.detail


def test_valid_empty_feed_yields_nothing(tmp_path):
    path = write(tmp_path / "quiet.rss", '<rss version="2.0"><channel><title>Quiet</title></channel></rss>')
    assert run(path) == []


def test_feed_entry_without_text_is_e102(tmp_path):
    feed = RSS.replace("<description>Plain summary about an arrest.</description>", "")
    results = run(write(tmp_path / "partial.rss", feed))
    err = only_error(results, "E102")
    assert "entry 2" in err.detail
    assert len(articles(results)) == 1


# --- directories and stdin ---------------------------------------------------------------------------------


def test_directory_recursion_sorted_hidden_skipped(tmp_path):
    root = tmp_path / "reports"
    write(root / "b.txt", "Report b about a riot.")
    write(root / "a.txt", "Report a about a raid.")
    write(root / "sub" / "c.jsonl", json.dumps({"text": "Report c about a strike."}) + "\n")
    write(root / "sub" / "deeper" / "d.html", HTML_PAGE)
    write(root / ".hidden.txt", "Hidden report.")
    write(root / ".git" / "e.txt", "Hidden dir report.")
    write(root / "notes.md", "# not an input")
    results = run(root)
    origins = [a.origin for a in articles(results)]
    assert origins == [
        str(root / "a.txt"),
        str(root / "b.txt"),
        f"{root / 'sub' / 'c.jsonl'}:1",
        str(root / "sub" / "deeper" / "d.html"),
    ]
    err = only_error(results, "E108")
    assert err.path == str(root / "notes.md")


def test_directory_walk_is_lazy(tmp_path, monkeypatch):
    root = tmp_path / "many"
    for i in range(5):
        write(root / f"{i}.txt", f"Report number {i} about an incident.")
    opened: list[str] = []
    real_read = ingest_paths.read_capped

    def spy(path, limit):
        opened.append(path)
        return real_read(path, limit)

    monkeypatch.setattr("conflictlens.ingest.read_capped", spy)
    stream = read_inputs([str(root)])
    next(stream)
    assert len(opened) == 1


def test_stdin_plain_text():
    (art,) = run("-", stdin=io.StringIO("Protest in the square\n\n" + BODY))
    assert art.title == "Protest in the square"
    assert art.origin == "<stdin>"


def test_stdin_jsonl_binary():
    data = (json.dumps({"text": "First from stdin."}) + "\n{oops\n" + json.dumps({"text": "Third."}) + "\n").encode()
    results = run("-", stdin=io.BytesIO(data))
    assert [a.origin for a in articles(results)] == ["<stdin>:1", "<stdin>:3"]
    err = only_error(results, "E105")
    assert (err.path, err.line) == ("<stdin>", 2)


def test_stdin_html_and_feed():
    (page,) = run("-", stdin=io.StringIO(HTML_PAGE))
    assert page.source == "Example News"
    arts = articles(run("-", stdin=io.BytesIO(RSS.encode())))
    assert [a.source_id for a in arts] == ["wire-1", "wire-2"]


def test_stdin_oversized():
    err = only_error(run("-", stdin=io.StringIO("x" * 200), max_bytes=100), "E107")
    assert err.path == "<stdin>"


# --- identity across files ---------------------------------------------------------------------------------


def test_same_text_in_two_files_gives_same_id(tmp_path):
    a = write(tmp_path / "one.txt", BODY + "\r\n")
    b = write(tmp_path / "two.jsonl", json.dumps({"text": "  " + BODY + "\u200b"}) + "\n")
    x, y = run(a, b)
    assert x.article_id == y.article_id == article_id_for(BODY)
    assert x.origin != y.origin


# --- bad input ---------------------------------------------------------------------------------------------


def test_nonexistent_path_is_e101_and_batch_goes_on(tmp_path):
    missing = tmp_path / "missing.txt"
    good = write(tmp_path / "good.txt", BODY)
    results = run(missing, good)
    err = only_error(results, "E101")
    assert (err.path, err.line) == (str(missing), None)
    assert len(articles(results)) == 1


@pytest.mark.parametrize("name", ["empty.txt", "empty.html", "empty.json", "empty.jsonl", "empty.rss"])
def test_empty_file_is_e102(tmp_path, name):
    path = write(tmp_path / name, b"")
    results = run(path, write(tmp_path / "good.txt", BODY))
    err = only_error(results, "E102")
    assert err.path == str(path)
    assert len(articles(results)) == 1


def test_whitespace_only_text_is_e102(tmp_path):
    path = write(tmp_path / "blank.txt", "  \n\u200b\n\t\n")
    err = only_error(run(path), "E102")
    assert err.path == str(path)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("nul.txt", b"GIF89a\x00\x01\x02\x03" + bytes(range(256)) * 4),
        ("ctrl.txt", b"\x01\x02\x03\x04\x05\x06abc" * 50),
        ("nul.jsonl", b'{"text": "a"}\n\x00\x00\x00'),
        ("nul.html", b"<html>\x00\x00</html>"),
    ],
)
def test_binary_file_is_e103(tmp_path, name, data):
    path = write(tmp_path / name, data)
    results = run(path, write(tmp_path / "good.txt", BODY))
    err = only_error(results, "E103")
    assert err.path == str(path)
    assert len(articles(results)) == 1


def test_undecodable_is_e104(tmp_path, monkeypatch):
    # Bytes that are not UTF-8, not plausible Western text, and that charset-normalizer rejects.
    monkeypatch.setattr("charset_normalizer.from_bytes", lambda data: _NoMatch())
    path = write(tmp_path / "odd.txt", "Президент заявил о нападении".encode("cp1251"))
    err = only_error(run(path), "E104")
    assert err.path == str(path)


class _NoMatch:
    def best(self):
        return None


def test_oversized_text_file_is_e107(tmp_path):
    path = write(tmp_path / "big.txt", "word " * 100)
    results = run(path, write(tmp_path / "small.txt", "tiny"), max_bytes=100)
    err = only_error(results, "E107")
    assert err.path == str(path)
    assert "500" in err.detail and "100" in err.detail
    assert len(articles(results)) == 1


def test_oversized_jsonl_line_is_e107_with_line(tmp_path):
    content = "\n".join(
        [json.dumps({"text": "short one"}), json.dumps({"text": "y" * 500}), json.dumps({"text": "short three"})]
    )
    path = write(tmp_path / "big.jsonl", content + "\n")
    results = run(path, max_bytes=100)
    err = only_error(results, "E107")
    assert (err.path, err.line) == (str(path), 2)
    assert [a.origin for a in articles(results)] == [f"{path}:1", f"{path}:3"]


def test_unknown_extension_is_e108(tmp_path):
    path = write(tmp_path / "report.pdf", b"%PDF-1.4")
    results = run(path, write(tmp_path / "good.txt", BODY))
    err = only_error(results, "E108")
    assert err.path == str(path) and ".pdf" in err.detail
    assert len(articles(results)) == 1


def test_unreadable_file_is_e111(tmp_path, monkeypatch):
    path = write(tmp_path / "locked.txt", BODY)
    good = write(tmp_path / "good.txt", BODY + " More.")

    def refuse(p):
        if p == str(path):
            raise PermissionError(13, "Permission denied", p)
        return open(p, "rb")

    monkeypatch.setattr(ingest_paths, "open_binary", refuse)
    results = run(path, good)
    err = only_error(results, "E111")
    assert err.path == str(path) and "Permission denied" in err.detail
    assert len(articles(results)) == 1


def test_unparseable_published_is_w101_then_article(tmp_path):
    path = write(tmp_path / "d.txt", "---\npublished: last Tuesday-ish\n---\n" + BODY)
    warning, art = run(path)
    assert warning.code == "W101" and warning.is_warning
    assert warning.path == str(path) and "last Tuesday-ish" in warning.detail
    assert isinstance(art, Article) and art.published is None


def test_errors_are_yielded_not_raised_and_have_stable_strings(tmp_path):
    missing = tmp_path / "nope.txt"
    (err,) = run(missing)
    assert str(err) == f"[E101] {missing}: path does not exist"
    assert err.to_dict()["error"]["code"] == "E101"


def test_directory_symlink_loop_is_walked_once(tmp_path):
    root = tmp_path / "loop"
    write(root / "a.txt", "Report a about a raid.")
    (root / "again").symlink_to(root, target_is_directory=True)
    assert [a.origin for a in articles(run(root))] == [str(root / "a.txt")]
