"""User text shown through Markdown: as written, never as formatting.

Streamlit renders the text of st.markdown, st.caption, st.title, st.info, widget labels and the like
as Markdown (GitHub-flavoured, with maths, `:color[...]` directives and emoji shortcodes). A brand,
a file name or a handle is not Markdown: `![t](http://host/x.png)` in one must not make a browser
fetch that address, and `**x**` must show its asterisks. `literal` puts the text on one line (so no
table, setext heading or fenced block can start inside it) and backslash-escapes, as CommonMark
allows for any ASCII punctuation, every character that opens inline Markdown (emphasis, code, links
and images, autolinks and HTML, entities, strikethrough, maths, directives) and a block marker
(heading, quote, list item) at its start. Other punctuation (`,` `.` `-` `(`) is left as it is, so the
Markdown source stays readable.
"""

from __future__ import annotations

import re

# `_` between two letters or digits cannot open or close emphasis (file_name_v2 stays as it is);
# `:` is escaped so that `http://` makes no link and `:smile:` no emoji.
_INLINE = re.compile(r"([\\`*\[\]<>&~$:]|(?<![^\W_])_|_(?![^\W_]))")
_BLOCK_START = re.compile(r"^([#>+=-]|\d+(?=[.)]))")  # `# h`, `> q`, `- item`, `1. item`, `1) item`
_LINE_BREAKS = re.compile(r"\s*[\r\n\v\f\x85\u2028\u2029]+\s*")


def literal(value: object) -> str:
    """`value` as text that Markdown shows exactly as written (on one line)."""
    text = _INLINE.sub(r"\\\1", _LINE_BREAKS.sub(" ", str(value)).lstrip())
    return _BLOCK_START.sub(r"\1\\" if text[:1].isdigit() else r"\\\1", text, count=1)
