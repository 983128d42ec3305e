"""The printed report's own parts: the board summary, "How this was made", and print styles.

They are included in the HTML report's template (see
:mod:`upstream.reports.html_template`) when it is rendered for paper.
"""

# ruff: noqa: E501 - lines of HTML and CSS read better unbroken.

from __future__ import annotations

from typing import Final

BOARD: Final = """<section id="board" class="board" aria-labelledby="board-h">
<h2 id="board-h">Board summary</h2>
<p class="lede">{{ board.evidence }}</p>
<div class="board-box">
<h3>What people coded or checked</h3>
<ul class="checks">{% for line in board.checks %}<li>{{ line }}</li>{% endfor %}{% if board.trust %}<li>{{ board.trust }}</li>{% endif %}</ul>
{% if board.rule %}<p class="note">{{ board.rule }}</p>{% endif %}
</div>
{% if board.findings %}<h3>Headline findings</h3>
<ol class="headlines">{% for h in board.findings %}<li>{{ h }}</li>{% endfor %}</ol>{% endif %}
{% if board.chart %}<figure class="board-chart"><img src="{{ board.chart }}" alt="{{ board.chart_alt }}"><figcaption>{{ board.chart_caption }} The numbers are in the appendix.</figcaption></figure>{% endif %}
<div class="board-page-two">
{% if board.quotes %}<h3>In their own words</h3>
{% for group in board.quotes %}<h4>{{ group.title }} <span class="tag">{{ group.items_shown }}</span></h4>
{% for q in group.quotes %}<blockquote><p>\u201c{{ q.text }}\u201d</p><footer>{{ q.attribution }}{% if q.when %}, {{ q.when.strftime("%B %Y") }}{% endif %}</footer></blockquote>{% endfor %}
{% endfor %}{% endif %}
<h3>Caveats</h3>
<ul class="caveats">{% for c in board.caveats %}<li>{{ c }}</li>{% endfor %}</ul>
<p class="note">The full report follows as an appendix, from page <a class="page-ref" href="#appendix-h"></a>, with a table behind every number.</p>
</div>
</section>
<h2 id="appendix-h" class="appendix">Appendix: the full report</h2>
"""

HOW_MADE: Final = """<h2 id="method-h">How this was made</h2>
{% if data.method %}{% set m = data.method %}
<p>upstream's machine coder read each item of evidence and suggested codes from {{ m.framework }}{% if m.framework_version %} (version {{ m.framework_version }}){% endif %}, {{ mode_text }}. It ran on the organisation's own computer; no text was sent anywhere.</p>
{% for line in board.checks %}<p>{{ line }}</p>{% endfor %}
{% if board.rule %}<p>{{ board.rule }}</p>{% endif %}
<p>{{ board.trust }}</p>
<p>The figures for {{ m.framework }} come from coding run {{ m.run_id }}, started on {{ m.run_started.strftime("%-d %B %Y") }}{% if m.started_by %} by {{ m.started_by }}{% endif %}{% if m.dbe_run_id and m.dbe_run_id != m.run_id %}; those for barriers, enablers and drivers from coding run {{ m.dbe_run_id }}{% endif %}. Each run's settings and software versions are kept with it, so it can be checked and repeated.</p>
{% else %}<p>Nothing has been coded yet, so this report shows only what was collected.</p>{% endif %}
"""

PRINT_CSS: Final = """
@page { size:A4; margin:16mm 16mm 18mm;
  @bottom-left { content:string(title); font-size:7.5pt; color:#4f5b62; }
  @bottom-right { content:"Page " counter(page) " of " counter(pages); font-size:7.5pt; color:#4f5b62; } }
@page wide { size:A4 landscape; }
@page tall { size:A4; }
html { background:#fff; font-family:"DejaVu Sans","Liberation Sans",sans-serif; font-size:9.5pt; line-height:1.4; }
* { hyphens:manual; overflow-wrap:normal; word-break:normal; }
h1 { string-set:title content(); font-size:17pt; margin:0 0 .3rem; }
h2 { font-size:13pt; margin:1.2rem 0 .5rem; break-after:avoid; }
h3 { font-size:11pt; margin:.8rem 0 .3rem; break-after:avoid; }
h4 { font-size:10pt; margin:.6rem 0 .25rem; break-after:avoid; }
p { max-width:none; }
header.cover { background:#fff; color:var(--ink); padding:0 0 .4rem; border-bottom:3px solid var(--brand); }
header.cover .wrap, main.wrap, footer.end .wrap { max-width:none; padding:0; }
.kicker { margin:0 0 .2rem; color:var(--muted); }
.board { break-after:page; }
.board h2 { border-top:none; margin-top:.6rem; }
.lede { font-size:10.5pt; margin:.3rem 0 .5rem; }
.board-box { border:1px solid var(--line); border-left:5px solid var(--warm); padding:.2rem .8rem .3rem; margin:.4rem 0; }
.board-box h3 { margin-top:.3rem; }
.board-box ul { margin:.2rem 0 .3rem; padding-left:1.1rem; }
.board .headlines { font-size:9.5pt; padding:.5rem .8rem .5rem 2rem; margin:0 0 .4rem; background:#fff; }
.board .headlines li + li { margin-top:.2rem; }
.board-chart { padding:.3rem; margin:.4rem 0 0; }
.board-chart img { width:100%; }
/* The quotes start a page of their own only when the first page left room: a summary
   whose first page runs over goes straight on, rather than leaving a page nearly blank. */
.board-page-two { break-before:auto; }
.board blockquote { break-inside:avoid; }
a.page-ref { color:inherit; text-decoration:none; }
a.page-ref::after { content:target-counter(attr(href), page); }
.board blockquote { padding:.3rem .6rem; margin:0 0 .35rem; }
.board blockquote p { font-size:9pt; margin:0; }
.board blockquote footer { font-size:8pt; }
.board ul.caveats { font-size:8.5pt; padding-left:1.1rem; margin:.2rem 0 .4rem; }
.board ul.caveats li + li { margin-top:.15rem; }
h2.appendix { border-top:none; font-size:15pt; margin-top:0; }
.table-wrap { overflow:visible; border:none; border-radius:0; }
table { font-size:8pt; }
th, td { padding:.25rem .4rem; }
thead { display:table-header-group; }
tr, blockquote, figure, li, dl.facts, .card { break-inside:avoid; }
caption { padding:.3rem 0 .2rem; break-after:avoid; }
th[scope=row] { min-width:0; }
body, main > section, main > section > * { page:tall; }
#patterns, #patterns > * { page:wide; }
#patterns figure img { width:65%; }
thead th.num { white-space:normal; }
figure img { display:block; max-width:100%; }
.cards { grid-template-columns:repeat(4,1fr); gap:.4rem; margin:.5rem 0 .8rem; }
.card { padding:.4rem .6rem; }
.card .stat { font-size:13pt; }
"""

__all__ = ["BOARD", "HOW_MADE", "PRINT_CSS"]
