"""The CSS shared by every note type: readable code and tables, light and dark.

Anki adds `.nightMode` (and `.night_mode` in older clients) to the card's
body in dark mode; AnkiDroid and AnkiMobile follow the same classes. Colours
are CSS variables so the dark palette is one block.
"""

from __future__ import annotations

_CHOICE_HIGHLIGHT = ",\n".join(
    f".qz-correct-{letter} li:nth-child({n})" for n, letter in enumerate("ABCDEFGH", 1)
)

CSS = (
    """\
.card {
  --qz-fg: #1f2328; --qz-muted: #59636e; --qz-bg: #ffffff; --qz-code-bg: #f3f4f6;
  --qz-border: #d1d9e0; --qz-accent: #0b63ce; --qz-ok: #1a7f37; --qz-ok-bg: #dafbe1;
  --qz-cloze: #0b63ce; --qz-table-stripe: #f6f8fa;
  font-family: -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 19px; line-height: 1.5; text-align: left;
  color: var(--qz-fg); background: var(--qz-bg);
  max-width: 46rem; margin: 0 auto; padding: 0 .75rem;
}
.card.nightMode, .card.night_mode, .nightMode .card, .night_mode .card {
  --qz-fg: #e6edf3; --qz-muted: #9198a1; --qz-bg: #1f2328; --qz-code-bg: #2d333b;
  --qz-border: #3d444d; --qz-accent: #58a6ff; --qz-ok: #3fb950; --qz-ok-bg: #1b3a26;
  --qz-cloze: #79c0ff; --qz-table-stripe: #262c33;
}
.qz-prompt { font-size: 1.05em; }
.qz-scenario + .qz-prompt { font-weight: 600; margin-top: .75em; }
.qz-answer { font-weight: 500; }
.qz-label {
  display: block; font-size: .75em; font-weight: 600; letter-spacing: .04em;
  text-transform: uppercase; color: var(--qz-muted);
}
.qz-explanation, .qz-also {
  margin-top: 1em; padding-top: .5em; border-top: 1px solid var(--qz-border);
  font-size: .92em;
}
.qz-source { margin-top: 1em; font-size: .8em; color: var(--qz-muted); }
a { color: var(--qz-accent); }
p { margin: .5em 0; }
blockquote {
  margin: .75em 0; padding: .25em .9em; border-left: 4px solid var(--qz-border);
  color: var(--qz-fg);
}
code, kbd, samp, pre, input#typeans, .qz-plain {
  font-family: ui-monospace, SFMono-Regular, "JetBrains Mono", Menlo, Consolas, monospace;
}
code { font-size: .88em; padding: .1em .3em; border-radius: 4px; background: var(--qz-code-bg); }
pre {
  font-size: .82em; line-height: 1.45; padding: .7em .9em; border-radius: 6px;
  background: var(--qz-code-bg); overflow-x: auto; white-space: pre; tab-size: 4;
}
pre code { padding: 0; background: none; font-size: 1em; }
.qz-plain { white-space: pre-wrap; }
.codeblock-head { display: none; }
table { border-collapse: collapse; margin: .75em 0; font-size: .85em; }
th, td { border: 1px solid var(--qz-border); padding: .3em .6em; vertical-align: top; }
th { text-align: left; background: var(--qz-code-bg); }
tbody tr:nth-child(even) td { background: var(--qz-table-stripe); }
td.qz-num, th.qz-num { text-align: right; font-variant-numeric: tabular-nums; }
.qz-scenario, .qz-scores { overflow-x: auto; }
.qz-scenario table, .qz-scores table { font-family: ui-monospace, Menlo, Consolas, monospace; }
tbody tr.qz-victim td { background: var(--qz-ok-bg); font-weight: 600; }
.qz-facts { margin: .25em 0; padding-left: 1.2em; font-size: .9em; }
.qz-choices ol { padding-left: 1.8em; }
.qz-choices li { margin: .3em 0; padding: .15em .4em; border-radius: 4px; }
"""
    + _CHOICE_HIGHLIGHT
    + """ {
  background: var(--qz-ok-bg); color: var(--qz-ok); font-weight: 600;
}
.cloze { font-weight: 700; color: var(--qz-cloze); }
input#typeans { font-size: .9em; width: 100%; box-sizing: border-box; }
#typeans { font-family: ui-monospace, Menlo, Consolas, monospace; }
.typeGood { background: var(--qz-ok-bg); }
.highlight .c, .highlight .c1, .highlight .cm { color: var(--qz-muted); font-style: italic; }
.highlight .k, .highlight .kn, .highlight .nb { color: #cf222e; }
.highlight .s, .highlight .s1, .highlight .s2 { color: #0a3069; }
.nightMode .highlight .k, .nightMode .highlight .kn, .nightMode .highlight .nb { color: #ff7b72; }
.nightMode .highlight .s, .nightMode .highlight .s1, .nightMode .highlight .s2 { color: #a5d6ff; }
"""
)
