"""User text shown through Streamlit's markdown elements is escaped, so a name like
`**x**`, `[a](b)` or `:red[x]` is shown as typed and never rendered or linked."""

import re

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=])")


def md_escape(text: object) -> str:
    return _MARKDOWN.sub(r"\\\1", "" if text is None else str(text))
