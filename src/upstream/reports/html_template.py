"""The HTML report's template and style sheet, kept in Python so they ship with the package."""

# ruff: noqa: E501 - lines of HTML and CSS read better unbroken.

from __future__ import annotations

from typing import Final

CSS: Final = """
:root { --brand:#0b5563; --brand-dark:#083f4a; --tint:#e6f0f2; --ink:#1d2529; --muted:#4f5b62;
  --line:#d3d9dd; --page:#f4f6f7; --warm:#b3541e; }
* { box-sizing:border-box; }
html { font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;
  font-size:100%; line-height:1.55; color:var(--ink); background:var(--page); }
body { margin:0; }
.skip { position:absolute; left:.5rem; top:-3rem; background:#ffbf47; color:var(--ink); padding:.5rem 1rem; }
.skip:focus { top:.5rem; }
header.cover { background:var(--brand); color:#fff; padding:2.5rem 0 2rem; }
.wrap { max-width:62rem; margin:0 auto; padding:0 1.5rem; }
.kicker { text-transform:uppercase; letter-spacing:.08em; font-size:.8rem; margin:0 0 .5rem; opacity:.9; }
h1 { font-size:2rem; line-height:1.2; margin:0 0 .75rem; }
h2 { font-size:1.45rem; margin:2.5rem 0 .75rem; padding-top:.5rem; border-top:3px solid var(--brand); }
h3 { font-size:1.1rem; margin:1.5rem 0 .5rem; }
p { max-width:70ch; margin:0 0 1rem; }
.meta { margin:0; opacity:.92; }
nav.contents { background:#fff; border-bottom:1px solid var(--line); }
nav.contents ol { list-style:none; display:flex; flex-wrap:wrap; gap:.25rem 1.25rem; margin:0; padding:.75rem 0; }
nav.contents a, a { color:var(--brand); }
main { padding-bottom:3rem; }
:focus-visible { outline:3px solid var(--ink); outline-offset:2px; box-shadow:0 0 0 2px #ffbf47; }
.cards { display:grid; grid-template-columns:repeat(auto-fill,minmax(11rem,1fr)); gap:.75rem; margin:1rem 0 1.5rem; }
.card { background:#fff; border:1px solid var(--line); border-radius:6px; padding:.8rem 1rem; }
.card .stat { display:block; font-size:1.6rem; font-weight:700; line-height:1.2; }
ol.headlines { background:#fff; border-left:6px solid var(--brand); border-radius:0 6px 6px 0;
  padding:1rem 1.25rem 1rem 2.75rem; margin:0 0 1rem; font-size:1.08rem; }
ol.headlines li + li { margin-top:.5rem; }
figure { margin:1rem 0; background:#fff; border:1px solid var(--line); border-radius:6px; padding:.75rem; }
figcaption { color:var(--muted); font-size:.92rem; margin-top:.25rem; }
.chart { min-height:220px; }
.table-wrap { overflow-x:auto; background:#fff; border:1px solid var(--line); border-radius:6px; margin:0 0 .5rem; }
table { border-collapse:collapse; width:100%; font-size:.92rem; }
caption { text-align:left; font-weight:600; padding:.65rem .9rem .25rem; }
th, td { text-align:left; vertical-align:top; padding:.45rem .9rem; border-bottom:1px solid var(--line); }
thead th { border-bottom:2px solid var(--ink); background:#fafbfb; }
td.num, th.num { text-align:right; font-variant-numeric:tabular-nums; white-space:nowrap; }
th[scope=row] { font-weight:400; min-width:12rem; }
.indent-1 { padding-left:2rem; } .indent-2 { padding-left:3rem; } .indent-3 { padding-left:4rem; }
tr.element th, tr.element td { font-weight:700; }
.note { color:var(--muted); font-size:.9rem; }
.suppressed, td.withheld { color:var(--muted); font-style:italic; }
.shade-0 { background:#ffffff; } .shade-1 { background:#e6f0f2; } .shade-2 { background:#c5dde2; }
.shade-3 { background:#93bfc8; } .shade-4 { background:#3d7c88; color:#fff; }
.shade-5 { background:#0b5563; color:#fff; }
blockquote { margin:0 0 .9rem; background:#fff; border-left:5px solid var(--brand); padding:.75rem 1rem;
  border-radius:0 6px 6px 0; }
blockquote p { margin:0 0 .35rem; font-size:1.05rem; }
blockquote footer { color:var(--muted); font-size:.9rem; }
.tag { display:inline-block; font-size:.78rem; padding:0 .45rem; border-radius:999px; background:var(--tint);
  color:var(--brand-dark); border:1px solid #b9d3d8; }
dl.facts { display:grid; grid-template-columns:minmax(12rem,max-content) 1fr; gap:.35rem 1.25rem;
  background:#fff; border:1px solid var(--line); border-radius:6px; padding:1rem 1.25rem; }
dl.facts dt { font-weight:600; color:var(--muted); } dl.facts dd { margin:0; }
ul.caveats li + li { margin-top:.5rem; }
details { margin:.5rem 0 1rem; } summary { cursor:pointer; color:var(--brand); font-weight:600; }
footer.end { border-top:1px solid var(--line); color:var(--muted); font-size:.85rem; padding:1rem 0 2rem; }
@media print {
  html { background:#fff; } nav.contents, .skip, .modebar-container { display:none !important; }
  header.cover { color:var(--ink); background:#fff; border-bottom:4px solid var(--brand); }
  h2 { break-after:avoid; } figure, blockquote, tr { break-inside:avoid; }
}
"""

BOOT_JS: Final = """
(function () {
  "use strict";
  var holder = document.getElementById("chart-data");
  if (!holder || !window.Plotly) { return; }
  var payload = JSON.parse(holder.textContent);
  Object.keys(payload.figures).forEach(function (id) {
    var element = document.getElementById(id);
    var figure = payload.figures[id];
    if (element) { window.Plotly.newPlot(element, figure.data, figure.layout, payload.config); }
  });
})();
"""

TEMPLATE: Final = """<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="upstream {{ version }}">
<title>{{ data.title }}</title>
<style>{{ css }}</style>
{% if board %}<style>{{ print_css }}</style>{% endif %}
</head>
<body>
{% macro chart(id, label) %}{% if not board %}<div class="chart" id="{{ id }}" role="img" aria-label="{{ label }}"></div>{% elif id in static %}<img src="{{ static[id] }}" alt="{{ label }}">{% endif %}{% endmacro %}
{% macro table(t, indent=false) %}
<div class="table-wrap"><table>
<caption>{{ t.title }}</caption>
{% set numeric = [] %}{% for c in t.columns %}{% if numeric.append(t.numeric(loop.index0)) %}{% endif %}{% endfor %}
<thead><tr>{% for c in t.columns %}<th scope="col"{% if numeric[loop.index0] %} class="num"{% endif %}>{{ c }}</th>{% endfor %}</tr></thead>
<tbody>
{% for row in t.rows %}{% set r = loop.index0 %}
<tr>{% for cell in row %}{% set c = loop.index0 %}{% if c == 0 and t.columns|length > 1 %}<th scope="row">{{ t.text(r, c) }}</th>{% else %}<td{% if numeric[c] %} class="num"{% endif %}>{{ t.text(r, c) }}</td>{% endif %}{% endfor %}</tr>
{% endfor %}
</tbody></table></div>
{% if t.note %}<p class="note">{{ t.note }}</p>{% endif %}
{% endmacro %}
{% if not board %}<a class="skip" href="#findings">Skip to the findings</a>{% endif %}
<header class="cover"><div class="wrap">
<p class="kicker">Learning report · {{ data.workspace }}</p>
<h1>{{ data.title }}</h1>
<p class="meta">Made on {{ data.generated_at.strftime("%-d %B %Y") }} by upstream {{ version }}, from {{ data.items_shown }} {{ "item" if data.items == 1 and not data.organisation and not data.items_covered else "items" }} of evidence{% if data.organisation %} from {{ data.organisation }}{% endif %}{% if data.evidence_from %}, counting only evidence from {{ data.evidence_from }}{% endif %}.</p>
</div></header>
{% if not board %}<nav class="contents" aria-label="Contents"><div class="wrap"><ol>
{% for id, label in sections %}<li><a href="#{{ id }}">{{ label }}</a></li>{% endfor %}
</ol></div></nav>{% endif %}
<main class="wrap">
{% if board %}{% include "board.html" %}{% endif %}
<section id="findings" aria-labelledby="findings-h">
<h2 id="findings-h">Headline findings</h2>
<div class="cards">
<div class="card"><span class="stat">{{ data.items_shown }}</span> {{ "item" if data.items == 1 and not data.organisation and not data.items_covered else "items" }} of evidence{% if data.evidence_from %} from {{ data.evidence_from }}{% endif %}</div>
<div class="card"><span class="stat">{{ "{:,}".format(data.organisations) }}</span> organisation{{ "" if data.organisations == 1 else "s" }}</div>
<div class="card"><span class="stat">{{ "{:,}".format(data.sources) }}</span> source{{ "" if data.sources == 1 else "s" }}</div>
{% if period %}<div class="card"><span class="stat">{{ period }}</span> period covered</div>{% endif %}
</div>
<ol class="headlines">{% for h in data.headlines %}<li>{{ h }}</li>{% endfor %}</ol>
{{ table(tables.organisations) }}
</section>
{% if data.coverage %}
<section id="coverage" aria-labelledby="coverage-h">
<h2 id="coverage-h">Framework coverage: {{ data.method.framework }}</h2>
{% if data.checks %}<p class="check">{{ data.checks[0].sentence() }}</p>{% endif %}
<p>How often each element of the framework comes up in the coded evidence. An item can touch more than one element.</p>
<figure>{{ chart("chart-coverage", "Bar chart of coded items per element of " ~ data.method.framework ~ ". The same numbers are in the table below.") }}
<figcaption>Coded items per element. The table below gives the numbers.</figcaption></figure>
{% for level, label in [(0, "Coverage of each element"), (9, "Every code of the framework")] %}
{% if level == 9 and not board %}<details><summary>Show every code of the framework</summary>{% endif %}
<div class="table-wrap"><table>
<caption>{{ label }}</caption>
<thead><tr><th scope="col">Element or code</th><th scope="col" class="num">Items coded</th><th scope="col" class="num">Share of coded items</th><th scope="col" class="num">Organisations</th>{% if data.organisation %}<th scope="col" class="num">Share across the network</th>{% endif %}</tr></thead>
<tbody>{% for row in data.coverage if row.depth <= level %}
<tr{% if row.depth == 0 and level %} class="element"{% endif %}><th scope="row" class="indent-{{ [row.depth, 3]|min }}">{{ row.title }}</th><td class="num{% if row.share_shown is none %} withheld{% endif %}">{{ row.shown }}</td><td class="num">{{ "{:.0f}%".format(100 * row.share_shown) if row.share_shown is not none else "—" }}</td><td class="num">{{ row.organisations }}</td>{% if data.organisation %}<td class="num">{{ "{:.0f}%".format(100 * row.network_share) if row.network_share is not none else "—" }}</td>{% endif %}</tr>
{% endfor %}</tbody></table></div>
{% if level == 9 and not board %}</details>{% endif %}
{% endfor %}
<p class="note">{{ tables.coverage.note }}</p>
</section>
{% endif %}
{% if data.matrix or data.patterns %}
<section id="patterns" aria-labelledby="patterns-h">
<h2 id="patterns-h">Patterns across organisations</h2>
{% if data.matrix %}
<h3>Where each organisation's evidence sits</h3>
<p>Each cell shows how many of an organisation's coded items touch an element; the shading is that number as a share of the organisation's coded items, so large and small organisations can be compared.</p>
{% if not board %}<figure><div class="chart" id="chart-heatmap" role="img" aria-label="Heatmap of organisations against elements. The same numbers are in the table below."></div>
<figcaption>Darker means a larger share of that organisation's coded items. A dash is a figure withheld to protect people (fewer than 10 items, or one that would let a smaller group be worked out); 0 means none.</figcaption></figure>{% endif %}
<div class="table-wrap"><table>
<caption>{{ data.matrix.title }} by element: coded items (share of the row's coded items)</caption>
<thead><tr><th scope="col">{{ data.matrix.title }}</th><th scope="col" class="num">Items</th><th scope="col" class="num">Coded</th>{% for t in data.matrix.titles %}<th scope="col" class="num">{{ t }}</th>{% endfor %}</tr></thead>
<tbody>{% for row in data.matrix.rows %}
<tr><th scope="row">{{ row.name }}</th>{% if row.suppressed %}<td class="num suppressed">{{ row.shown }}</td><td colspan="{{ data.matrix.titles|length + 1 }}" class="suppressed">{{ row.why_hidden }}</td>{% else %}<td class="num">{{ row.items_shown }}</td><td class="num{% if row.coded_shown == fewer %} withheld{% endif %}">{{ row.coded_shown }}</td>{% for count in row.counts %}{% set s = row.share(loop.index0) %}{% if row.withheld(loop.index0) %}<td class="num withheld">{{ row.cell(loop.index0) }}</td>{% else %}<td class="num {{ shade(s) if count and row.coded >= min_group else "shade-0" }}">{{ row.cell(loop.index0) }}{% if count and s is not none %} ({{ "{:.0f}%".format(100 * s) }}){% endif %}</td>{% endif %}{% endfor %}{% endif %}</tr>
{% endfor %}</tbody></table></div>
<p class="note">{{ tables.organisations_by_element.note }} Cells of {{ fewer }} items are withheld and not shaded, and so are rows with fewer than {{ min_group }} coded items: a share of so few items swings too much to compare.</p>
{% endif %}
{% if data.patterns %}
<h3>Barriers and enablers named across organisations</h3>
{% if data.checks|length > 1 %}<p class="check">{{ data.checks[-1].sentence() }}</p>{% endif %}
{% for kind, label in [("barrier", "Barriers"), ("enabler", "Enablers"), ("driver", "Drivers")] %}{% if kind in kinds %}
<figure>{{ chart("chart-" ~ kind, "Bar chart of how many organisations name each " ~ kind ~ ". The same numbers are in the table below.") }}
<figcaption>{{ label }}: number of organisations naming each one.</figcaption></figure>
{% endif %}{% endfor %}
{{ table(tables.barriers_enablers) }}
{% endif %}
</section>
{% endif %}
{% if data.trend %}
<section id="trends" aria-labelledby="trends-h">
<h2 id="trends-h">Trends over time</h2>
<p>How much of each {{ data.trend.period }}'s evidence was coded to each element, by the date of the evidence: the chart gives shares, the table the counts.</p>
{% if data.trend.drawn %}<figure>{{ chart("chart-trend", "Line chart of each element's share of each " ~ data.trend.period ~ "'s items. The counts are in the table below.") }}
<figcaption>Each line is an element's share of the {{ data.trend.period }}'s items, so a {{ data.trend.period }} with less evidence does not look like a fall. Periods with little evidence swing widely: read the lines with the totals in the table. A share is not drawn where its count is 1 to 9 or not shown, so a line has a gap there.</figcaption></figure>{% else %}<p>No count may be drawn: each is fewer than 10, or would let a smaller one be worked out, so there is no chart. The table shows what may be shown.</p>{% endif %}
{% if board %}{{ table(tables.trends) }}{% else %}<details><summary>Show the numbers for each {{ data.trend.period }}</summary>{{ table(tables.trends) }}</details>{% endif %}
</section>
{% endif %}
{% if data.quotes %}
<section id="quotes" aria-labelledby="quotes-h">
<h2 id="quotes-h">In their own words</h2>
<p>Short extracts for the most common codes, chosen where the coding is most certain and from different organisations where possible. Items a person coded or checked count as most certain, so they come first: these show what each code means, not which replies were the most popular.</p>
{% for group in data.quotes %}
<h3>{{ group.title }} <span class="tag">{{ group.items_shown }}</span></h3>
{% for q in group.quotes %}<blockquote><p>\u201c{{ q.text }}\u201d</p><footer>{{ q.attribution }}{% if q.when %}, {{ q.when.strftime("%B %Y") }}{% endif %}</footer></blockquote>{% endfor %}
{% endfor %}
</section>
{% endif %}
{% if data.ways_past %}
<section id="ways-past" aria-labelledby="ways-past-h">
<h2 id="ways-past-h">Peers who show a way past its barriers</h2>
<p>For each barrier in {{ data.organisation }}'s evidence, peers whose evidence tells of an enabler on the same topic that they have in place, in their own words: people to go and ask. The machine suggests them from the codes (a code a person checked, or one the machine was confident of); wishes and requests for an enabler are not offered, and only evidence its organisation has shared with the network is quoted. The machine can miss a way past, and can be wrong: read each quote before you act on it.</p>
{% for way in data.ways_past %}
<h3>{{ way.barrier }}: {{ way.peer }}</h3>
<p class="note">{{ way.enabler }}{% if way.linked %} (the framework pairs it with this barrier){% endif %}</p>
{% for q in way.quotes %}<blockquote><p>“{{ q.text }}”</p><footer>{{ q.attribution }}; {% if q.origin == "human" %}a person coded or checked it{% else %}the machine's suggestion, {{ "{:.0%}".format(q.confidence) }} sure{% endif %}</footer></blockquote>{% endfor %}
{% endfor %}
</section>
{% endif %}
{% if data.themes %}
<section id="themes" aria-labelledby="themes-h">
<h2 id="themes-h">Themes found in the evidence</h2>
<p>Themes nobody set out to look for, found by grouping similar items.{% if data.themes_run %} {{ data.themes_run }}{% endif %}{% if data.themes_from %} {{ data.themes_from }}{% endif %}{% if data.themes_withheld %} {{ data.themes_withheld }}{% endif %}</p>
{% for theme in data.themes %}
<h3>{% if theme.code %}Theme {{ theme.code }}: {% endif %}{{ theme.label }}{% if theme.edited %} <span class="tag">{{ theme.edited|join(", ") }} by a person</span>{% endif %} <span class="tag">{{ count_shown(theme.size, "item") }}</span>{% if theme.reactions is not none %} <span class="tag">{{ "{:,}".format(theme.reactions) }} likes and other reactions</span>{% endif %}</h3>
{% if theme.description %}<p>{{ theme.description }}</p>{% endif %}
{% if theme.repeated %}<p class="note">{{ count_shown(theme.repeated, "item")|capitalize }} of these say word for word what another says: a campaign's wording, or one person writing more than once.</p>{% endif %}
{% if theme.subthemes %}<p>It holds: {% for s in theme.subthemes %}{{ s.label }} ({{ s.size_shown }}){{ "; " if not loop.last else "." }}{% endfor %}</p>{% endif %}
{% if theme.keywords %}<p class="note">Key words: {{ theme.keywords|join(", ") }}</p>{% endif %}
{% for q in theme.quotes %}<blockquote><p>\u201c{{ q.text }}\u201d</p><footer>{{ q.attribution }}</footer></blockquote>{% endfor %}
{% endfor %}
</section>
{% endif %}
{% if data.culture %}
<section id="culture" aria-labelledby="culture-h">
<h2 id="culture-h">Staff survey: culture</h2>
<p>How {{ data.organisation }}'s staff answered on each culture theme in the latest survey, against the median of comparable organisations. Change is since its previous survey; only a change \u201cmore than chance would explain\u201d is worth reporting as change.</p>
{{ table(tables.culture) }}
</section>
{% endif %}
{% if data.benefits %}
<section id="benefits" aria-labelledby="benefits-h">
<h2 id="benefits-h">Benefits being tracked</h2>
<p>From the benefits register: what each change should deliver, how it is measured and where it stands. The status is the one the benefit's owner recorded; the line beneath it says what the figures alone show (whether the target was reached, or its date has passed without it). Evidence linked counts the items in this report that people linked to the benefit to explain why it did or did not happen.</p>
{% if data.benefits_value %}<p>{{ data.benefits_value }}</p>{% endif %}
<table>
<caption>Benefits in the register</caption>
<thead><tr><th scope="col">Benefit</th><th scope="col">Organisation</th><th scope="col">Type</th><th scope="col" class="num">Value a year</th><th scope="col">Measure</th><th scope="col" class="num">Baseline</th><th scope="col" class="num">Target</th><th scope="col" class="num">Latest</th><th scope="col">Status</th><th scope="col" class="num">Evidence linked</th></tr></thead>
<tbody>
{% for b in data.benefits %}<tr><th scope="row">{{ b.title }}{% if b.owner %}<br><span class="note">Owner: {{ b.owner }}</span>{% endif %}</th><td>{{ b.organisation }}</td><td>{{ b.category }}</td><td class="num">{% if b.value is none %}–{% else %}{{ pounds(b.value) }}{% endif %}</td><td>{{ b.measure or "none yet" }}</td><td class="num">{{ figure(b.baseline) }}</td><td class="num">{{ figure(b.target) }}{% if b.due %}<br><span class="note">by {{ b.due.strftime("%-d %B %Y") }}</span>{% endif %}</td><td class="num">{{ figure(b.latest) }}</td><td>{{ b.status }}{% if b.figures_say %}<br><span class="note">{{ b.figures_say }}</span>{% endif %}</td><td class="num">{{ b.evidence }}</td></tr>
{% endfor %}</tbody>
</table>
</section>
{% endif %}
<section id="method" aria-labelledby="method-h">
{% if board %}{% include "how.html" %}{% else %}
<h2 id="method-h">Method and trust</h2>
{% if data.method %}{% set m = data.method %}
<p>The evidence was coded against <strong>{{ m.framework }}</strong>{% if m.framework_version %} (version {{ m.framework_version }}){% endif %} by upstream's machine coder, {{ mode_text }}. It runs on this computer; no text was sent anywhere.</p>
{% if m.not_coded %}<p>{{ m.not_coded }}</p>{% endif %}
{% if m.coded or not m.not_coded %}<p>{% if m.covered %}How many items received a code is not shown here: beside the report on all the evidence, it would let a smaller group be worked out. The coder{% else %}{{ "{:,}".format(m.coded) }} of {{ count(m.items, "item") }}{% if m.scope %} {{ m.scope }}{% endif %} ({{ "{:.0f}%".format(100 * m.coded / m.items) if m.items else "0%" }}) received at least one code; the coder{% endif %} leaves an item uncoded rather than guess.{% if m.reviewed and m.reviewed < 10 %} People decided on fewer than 10 items.{% elif m.reviewed %} People decided on {{ count(m.reviewed, "item") }}: {% if m.placed %}{{ m.placed }} coded by people themselves with no suggestion to accept, {% endif %}{{ count(m.accepted, "suggestion") }} accepted, {{ m.recoded }} given another code and {{ m.rejected }} rejected.{% endif %}</p>{% endif %}
{% if m.agreement and m.agreement.decisions < 10 %}<p>Too few items have been decided (fewer than 10) to say how often people keep the machine's suggestion.</p>{% elif m.agreement %}<p>Where people decided, they kept the machine's top suggestion for {{ m.agreement.agreed }} of {{ count(m.agreement.decisions, "item") }} ({{ "{:.0f}%".format(m.agreement.percent) }}){% if m.agreement.kappa is not none %}; Cohen's κ between machine and people is {{ "{:.2f}".format(m.agreement.kappa) }} (1 is perfect agreement, 0 is what chance alone would give){% endif %}{{ counted_ones(m.agreement) }}.</p>{% endif %}
{% if m.dbe_run_id and data.checks|length > 1 %}{% set dbe = data.checks[-1] %}<p>The barriers, enablers and drivers counted under “Patterns across organisations” come from a separate run (run {{ m.dbe_run_id }}) against drivers, barriers and enablers, by the same coder from that framework's definitions and examples{% if dbe.threshold is not none %}, counting a code from {{ "{:.0%}".format(dbe.threshold) }} sure{% endif %}. {{ dbe.sentence() }}</p>{% endif %}
{{ table(tables.method) }}
<details><summary>Show the run's parameters and software versions</summary>{{ table(tables.run_details) }}</details>
{% else %}<p>Nothing has been coded yet. Run coding against a framework to see the framework figures.</p>{% endif %}
{% endif %}
</section>
<section id="caveats" aria-labelledby="caveats-h">
<h2 id="caveats-h">Caveats</h2>
<ul class="caveats">{% for c in data.caveats %}<li>{{ c }}</li>{% endfor %}</ul>
</section>
</main>
{% if not board %}<footer class="end"><div class="wrap">Made with upstream {{ version }}. This file is self-contained: it works offline and loads nothing from the internet. The charts are drawn with plotly.js (MIT licence), included in the file.</div></footer>
<script type="application/json" id="chart-data">{{ chart_json }}</script>
<script>{{ plotly }}</script>
<script>{{ boot }}</script>
{% endif %}
</body>
</html>
"""

__all__ = ["BOOT_JS", "CSS", "TEMPLATE"]
