"""Text from users, files, the database or the URL, shown as text in Streamlit.

The rule: every Streamlit parameter that renders markdown gets either a literal
written here in the code or text passed through `md_escape`. Those parameters are
the body of st.markdown, st.caption, st.title/header/subheader, st.error/warning/
info/success, st.toast, st.spinner and st.write (of a str); every widget's label
and help (buttons and downloads included); expander, popover, status, tab and
dialog titles; st.metric's label, value and delta; st.progress's text; st.radio's
(and pills', segmented controls', select sliders') options; st.table's cells; and
column config help. Selectbox and multiselect options, placeholders, st.text,
st.code, st.dataframe cells and chart labels are plain text already.
tests/unit/test_text_is_text.py reads the pages and components and fails on any
markdown parameter that gets neither.
"""

import re

# Characters that open or close markdown anywhere in a line: escapes, code, emphasis and
# strikethrough, links, images and Streamlit's :directives[], HTML and <autolinks>,
# entities, math, :emoji: shortcodes, table cells and heading marks. A backslash makes each
# one literal. Other punctuation is left alone, since Streamlit also reads a widget's label
# as its accessible name, which should stay as typed where it can.
_INLINE = re.compile(r"([\\`*_~\[\]<&$:|#])")
# Characters that make a block only where a line starts: quotes, list items and setext
# underlines, and the "." or ")" after an ordered list's number.
_LINE_START = re.compile(r"^([ \t]*)([>+=-])", re.MULTILINE)
_ORDERED = re.compile(r"^([ \t]*\d+)([.)])", re.MULTILINE)
# Streamlit turns ":material/" into an icon before markdown is parsed, escapes or not.
_ICON = re.compile(r"(?<=\\:material)/")
# GitHub-flavoured markdown also links bare web addresses and emails, after escapes are
# resolved, so a backslash cannot stop it. An invisible WORD JOINER where the pattern
# would start (after "@", in "://" and in "www.") leaves nothing for it to find.
_AUTOLINK = re.compile(r"(?<=@)|(?<=:)(?=//)|(?<=www)(?=\.)", re.IGNORECASE)
WORD_JOINER = "\u2060"


def md_escape(text: object) -> str:
    """`text` as markdown that renders exactly these characters: no link, image, HTML,
    formatting or icon is ever made of it."""
    plain = _AUTOLINK.sub(WORD_JOINER, "" if text is None else str(text))
    escaped = _INLINE.sub(r"\\\1", plain)
    escaped = _LINE_START.sub(r"\1\\\2", escaped)
    escaped = _ORDERED.sub(r"\1\\\2", escaped)
    return _ICON.sub(r"\\/", escaped)


def shorten(text: str, limit: int = 100) -> str:
    """A long value cut to fit a message (a link can carry kilobytes of it)."""
    return text if len(text) <= limit else text[:limit] + "…"
