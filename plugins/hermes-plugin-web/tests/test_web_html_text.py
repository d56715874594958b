"""The HTML-to-text converter on its own: structure kept, noise dropped, bad HTML survived."""

from __future__ import annotations

import pytest
from hermes_plugin_web.html_text import html_to_text


def text(html: str, base: str = "https://example.org/docs/page.html") -> str:
    return html_to_text(html, base)[1]


def test_title_comes_from_the_head_only():
    title, body = html_to_text("<html><head><title>\n  Hello\n  World </title></head><body><p>x</p></body></html>")
    assert title == "Hello World" and body == "x"


@pytest.mark.parametrize(
    "html",
    [
        "<script>alert('x')</script>",
        "<style>p { color: red }</style>",
        "<nav><ul><li><a href='/'>Home</a></li></ul></nav>",
        "<footer>© 2024</footer>",
        "<noscript>enable js</noscript>",
        "<template><p>later</p></template>",
        "<svg><text>logo</text></svg>",
        "<div hidden>secret</div>",
        "<div aria-hidden='true'>icon</div>",
        "<span style='display: none'>gone</span>",
        "<form><button>Send</button><select><option>a</option></select></form>",
        "<iframe src='/ad'>frame</iframe>",
    ],
)
def test_noise_is_dropped(html):
    assert text(f"<p>keep</p>{html}<p>also</p>") == "keep\n\nalso"


def test_nested_dropped_elements_end_at_the_right_tag():
    assert text("<nav><div><nav>inner</nav>still nav</div></nav><p>after</p>") == "after"


def test_whitespace_is_collapsed_outside_pre():
    assert text("<p>  many\n\n   spaces\there </p><pre>  keep\n    this</pre>") == "many spaces here\n\n```\n  keep\n    this\n```"


def test_links_are_absolute_and_skip_useless_ones():
    html = ("<p><a href='../api/'>API</a> <a href='#x'>anchor</a> <a href='javascript:void(0)'>js</a> "
            "<a href='mailto:a@b.c'>mail</a> <a href='https://x.y/'>https://x.y/</a> <a href='/empty'></a></p>")
    assert text(html) == "[API](https://example.org/api/) anchor js mail <https://x.y/>"


def test_base_href_changes_the_link_base():
    html = "<head><base href='https://cdn.example.com/v2/'></head><p><a href='guide'>Guide</a></p>"
    assert text(html) == "[Guide](https://cdn.example.com/v2/guide)"


def test_lists_ordered_nested_and_unclosed():
    html = "<ol start='3'><li>three<li>four<ul><li>sub a<li>sub b</ul><li>five</ol><p>done"
    assert text(html) == "3. three\n4. four\n  - sub a\n  - sub b\n5. five\n\ndone"


def test_paragraphs_inside_list_items_stay_on_the_marker_line():
    assert text("<ul><li><p>one</p></li><li><p>two</p><p>more</p></li></ul>") == "- one\n- two\n\nmore"


def test_headings_blockquotes_and_rules():
    html = "<h3>Title</h3><blockquote><p>quoted</p><p>twice</p></blockquote><hr><h6>small</h6>"
    assert text(html) == "### Title\n\n> quoted\n\n> twice\n\n---\n\n###### small"


def test_tables_and_definition_lists():
    html = ("<table><tr><th>Key</th><th>Value</th></tr><tr><td>a</td><td>1</td></tr></table>"
            "<dl><dt>Term</dt><dd>Meaning</dd></dl>")
    assert text(html) == "| Key | Value |\n| a | 1 |\n\nTerm\n: Meaning"


def test_inline_code_images_and_entities():
    html = "<p>Call <code>run(x)</code> &amp; see <img src='a.png' alt='diagram'> &lt;here&gt;&nbsp;now</p>"
    assert text(html) == "Call `run(x)` & see [image: diagram] <here> now"


def test_broken_html_keeps_its_text():
    html = "<div><p>one<span>two</div></b></i><p>three<table><tr><td>cell"
    assert text(html) == "onetwo\n\nthree\n\n| cell |"


def test_unicode_survives():
    assert text("<p>Ελληνικά — 中文 — עברית — 👩‍💻</p>") == "Ελληνικά — 中文 — עברית — 👩‍💻"
