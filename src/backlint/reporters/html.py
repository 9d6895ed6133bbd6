"""Self-contained HTML audit report: charts (inline SVG), hotspots, every finding with its code
frame, docs link and fix advice, filterable in the page. No network, no CDN assets."""

from __future__ import annotations

import html as _h
import json
from collections import Counter
from pathlib import Path, PurePosixPath

from .. import __version__
from ..discovery import language_for
from .sarif import INFO_URI

_CSS = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
header{background:#1d2330;color:#fff;padding:18px 28px}header h1{margin:0;font-size:20px}
header p{margin:4px 0 0;color:#c7ccd6}main{padding:20px 28px;max-width:1200px}
.cards{display:flex;gap:12px;flex-wrap:wrap;margin-bottom:18px}.card{background:#fff;border-radius:8px;padding:12px 16px;
box-shadow:0 1px 2px #0002;min-width:120px}.card b{display:block;font-size:22px}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(340px,1fr));gap:16px;margin-bottom:20px}
.chart{background:#fff;border-radius:8px;padding:12px 16px;box-shadow:0 1px 2px #0002}.chart h2{font-size:15px;margin:0 0 8px}
.bar text{font-size:12px}.filters{display:flex;gap:8px;flex-wrap:wrap;margin:12px 0}
.filters select,.filters input{padding:5px 8px;border:1px solid #c9ced8;border-radius:6px;font:inherit}
.f{background:#fff;border-radius:8px;padding:10px 14px;margin:8px 0;box-shadow:0 1px 2px #0002;border-left:4px solid #999}
.f.error{border-color:#d33}.f.warning{border-color:#e8a317}.f.info{border-color:#3a8dde}
.f .loc{font-family:ui-monospace,Menlo,monospace;font-size:12.5px;color:#444}.f .rule{font-weight:600}
.sev{font-size:11px;text-transform:uppercase;padding:1px 6px;border-radius:4px;color:#fff;background:#999;margin-right:6px}
.sev.error{background:#d33}.sev.warning{background:#c58400}.sev.info{background:#3a8dde}
pre{background:#0f1420;color:#e6e6e6;padding:8px 10px;border-radius:6px;overflow:auto;font-size:12.5px;margin:8px 0}
pre .hl{background:#5a1f1f;display:block}details{margin-top:4px}summary{cursor:pointer;color:#335}
.notice{color:#555;font-size:13px}.hidden{display:none}
"""

_JS = """
const q=s=>document.querySelector(s),qa=s=>[...document.querySelectorAll(s)];
function apply(){const r=q('#fr').value,c=q('#fc').value,s=q('#fs').value,t=q('#ft').value.toLowerCase();let n=0;
qa('.f').forEach(e=>{const ok=(!r||e.dataset.rule==r)&&(!c||e.dataset.cat==c)&&(!s||e.dataset.sev==s)&&(!t||e.dataset.text.includes(t));
e.classList.toggle('hidden',!ok);if(ok)n++});q('#count').textContent=n;}
['#fr','#fc','#fs'].forEach(i=>q(i).addEventListener('change',apply));q('#ft').addEventListener('input',apply);
qa('[data-filter-rule]').forEach(e=>e.addEventListener('click',()=>{q('#fr').value=e.dataset.filterRule;apply();q('#findings').scrollIntoView()}));
"""


def _bars(title: str, counts: list[tuple[str, int]], attr: str | None = None, width: int = 520) -> str:
    if not counts:
        return ""
    top = max(v for _, v in counts)
    row, label_w = 22, 210
    h = row * len(counts) + 6
    parts = [f'<div class="chart"><h2>{_h.escape(title)}</h2><svg class="bar" width="100%" viewBox="0 0 {width} {h}" role="img">']
    for i, (k, v) in enumerate(counts):
        y = i * row + 3
        w = max(2, int((width - label_w - 50) * v / top))
        label = k if len(k) <= 32 else "…" + k[-31:]
        extra = f' data-filter-rule="{_h.escape(k)}" style="cursor:pointer"' if attr == "rule" else ""
        parts.append(f'<g{extra}><text x="0" y="{y + 14}">{_h.escape(label)}</text>'
                     f'<rect x="{label_w}" y="{y}" width="{w}" height="16" rx="3" fill="#4a6cd4"><title>{_h.escape(k)}: {v}</title></rect>'
                     f'<text x="{label_w + w + 6}" y="{y + 14}">{v}</text></g>')
    parts.append("</svg></div>")
    return "".join(parts)


def _frame(root: Path, f, cache: dict) -> str:
    if f.properties.get("redacted"):
        return f'<pre>{_h.escape(f.snippet)}</pre>'
    if f.path not in cache:
        p = Path(f.path) if Path(f.path).is_absolute() else root / f.path
        try:
            cache[f.path] = p.read_bytes().decode("utf-8", "replace").splitlines()
        except OSError:
            cache[f.path] = None
    lines = cache[f.path]
    if not lines:
        return ""
    lo, hi = max(1, f.span.start_line - 2), min(len(lines), max(f.span.end_line, f.span.start_line) + 2)
    hi = min(hi, f.span.start_line + 12)
    out = []
    for n in range(lo, hi + 1):
        text = lines[n - 1][:240]
        cls = ' class="hl"' if f.span.start_line <= n <= f.span.end_line else ""
        out.append(f'<span{cls}>{n:>5} │ {_h.escape(text)}</span>')
    return "<pre>" + "\n".join(out) + "</pre>"


def render(result, **_) -> str:
    rules = {r.id: r for r in result.rules}
    findings = result.findings
    by_rule = Counter(f.rule_id for f in findings).most_common()
    by_cat = Counter(rules[f.rule_id].category if f.rule_id in rules else "?" for f in findings).most_common()
    by_lang = Counter(language_for(f.path) or "?" for f in findings).most_common()
    by_dir = Counter(str(PurePosixPath(f.path).parent) for f in findings).most_common(15)
    by_file = Counter(f.path for f in findings).most_common(15)
    sev = Counter(f.severity for f in findings)
    cache: dict = {}
    cards = [("findings", len(findings)), ("errors", sev["error"]), ("warnings", sev["warning"]), ("info", sev["info"]),
             ("files scanned", result.files), ("lines", result.lines)]
    body = [f'<header><h1>backlint audit</h1><p>{_h.escape(str(result.root))} · backlint {__version__} · '
            f'{len(result.rules)} rules · {result.elapsed:.1f}s</p></header><main>']
    body.append('<div class="cards">' + "".join(f'<div class="card"><b>{v}</b>{_h.escape(k)}</div>' for k, v in cards) + "</div>")
    body.append('<div class="charts">' + _bars("Findings by rule", by_rule, "rule") + _bars("By category", by_cat)
                + _bars("By language", by_lang) + _bars("Hotspots: directories", by_dir) + _bars("Hotspots: files", by_file) + "</div>")
    opts = lambda vals: "".join(f'<option value="{_h.escape(v)}">{_h.escape(v)}</option>' for v in vals)
    body.append('<h2 id="findings">Findings (<span id="count">%d</span>)</h2><div class="filters">' % len(findings)
                + f'<select id="fr"><option value="">all rules</option>{opts(sorted({f.rule_id for f in findings}))}</select>'
                + f'<select id="fc"><option value="">all categories</option>{opts(sorted({c for c, _ in by_cat}))}</select>'
                + '<select id="fs"><option value="">all severities</option><option>error</option><option>warning</option><option>info</option></select>'
                + '<input id="ft" placeholder="filter by path or text"></div>')
    for f in findings:
        r = rules.get(f.rule_id)
        cat = r.category if r else "?"
        docs = r.docs if r else {}
        help_uri = f"{INFO_URI}/blob/main/rules/{cat}/{f.rule_id}.yaml"
        text = f"{f.path} {f.message} {f.rule_id}".lower()
        body.append(
            f'<div class="f {f.severity}" data-rule="{_h.escape(f.rule_id)}" data-cat="{cat}" data-sev="{f.severity}" data-text="{_h.escape(text)}">'
            f'<div><span class="sev {f.severity}">{f.severity}</span><span class="rule">{_h.escape(f.rule_id)}</span> · '
            f'<span class="loc">{_h.escape(f.path)}:{f.span.start_line}:{f.span.start_col}</span></div>'
            f'<div>{_h.escape(f.message)}</div>{_frame(result.root, f, cache)}'
            f'<details><summary>Why and how to fix</summary><p>{_h.escape(str(docs.get("why", "")))}</p>'
            f'<p><b>Fix:</b> {_h.escape(str(docs.get("fix", "")))}</p><p><a href="{_h.escape(help_uri)}">Rule documentation</a></p></details></div>')
    loud = [n for n in result.notices if n.level != "note"]
    if result.notices:
        body.append(f"<h2>Notices ({len(result.notices)})</h2>")
        for n in loud[:500] + [n for n in result.notices if n.level == "note"][:200]:
            body.append(f'<div class="notice">{_h.escape(n.level)} · {_h.escape(n.path or "")} · {_h.escape(n.message)}</div>')
    body.append("</main>")
    data = json.dumps({"version": __version__, "findings": len(findings)})
    return ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">"
            f"<title>backlint audit</title><style>{_CSS}</style></head><body>" + "".join(body)
            + f'<script type="application/json" id="meta">{_h.escape(data)}</script><script>{_JS}</script></body></html>\n')
