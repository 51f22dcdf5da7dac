"""Reflections are Markdown, rendered with raw HTML off and sanitized: hostile text stays inert."""

from __future__ import annotations

import re

import pytest

from innerpace.web.views.reflections import markdown_html, marked_snippet

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "<iframe src=//evil.example></iframe>",
    '<svg onload="alert(1)">',
    "<style>body{display:none}</style>",
]


ACTIVE = r"<(script|img|iframe|svg(?! class=\"feel-scale\")|style|object|embed)\b"


def inert(html: str) -> bool:
    """No active element, no event handler and no script or data link in any real tag."""
    lowered = re.sub(r'<script src="/static/[a-z.]+" defer></script>', "", html.lower())
    links = " ".join(re.findall(r"<a\s[^>]*>", lowered))
    return (
        re.search(ACTIVE, lowered) is None
        and re.search(r"<[a-z][^>]*\son[a-z]+=", lowered) is None
        and "javascript:" not in links
        and "data:" not in links
    )


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_markdown_renders_inert(text):
    assert inert(str(markdown_html(text)))


def test_plain_markdown_still_reads_as_written():
    html = str(markdown_html("# A morning\n\nSlow and *kind*.\nBy the **river**.\n\n- one\n- two"))
    assert "<h1>A morning</h1>" in html
    assert "<em>kind</em>" in html and "<strong>river</strong>" in html
    assert "Slow and <em>kind</em>.\nBy the" in html  # the writer's own line break is kept
    assert "<li>one</li>" in html
    link = str(markdown_html("[a map](https://example.org/x)"))
    assert 'href="https://example.org/x"' in link and 'rel="noopener noreferrer"' in link


def test_a_snippet_is_escaped_and_only_the_marks_become_markup():
    html = str(marked_snippet('a <b>\x02bridge\x03</b> & "quotes" [typed] \x02x'))
    assert html == (
        "a &lt;b&gt;<mark>bridge</mark>&lt;/b&gt; &amp; &#34;quotes&#34; [typed] <mark>x</mark>"
    )


def test_hostile_reflections_render_inert_on_every_page(client, journal, ids, web):
    for text in HOSTILE:
        journal.reflect(text, run_id=ids["hostile"])
    csrf = web.csrf_of(client.get("/journal").text)
    client.post(
        "/reflections",
        data={"text": "\n\n".join(HOSTILE), "csrf": csrf},
        headers={"Origin": web.base},
    )
    for path in (f"/runs/{ids['hostile']}", "/journal", "/journal?q=alert"):
        page = client.get(path).text
        assert inert(page), path
        assert re.findall(r"<script[^>]*>", page) == ['<script src="/static/htmx.min.js" defer>']
        assert "&lt;script&gt;" in page


def test_a_hostile_draft_comes_back_as_text_in_the_editor(client, journal, ids):
    journal.save_draft(f"run-{ids['full']}", "</textarea><script>alert(1)</script>")
    page = client.get(f"/reflections/new?run={ids['full']}").text
    assert "&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt;</textarea>" in page
    assert inert(page)
    assert "Restored from a draft" in page
