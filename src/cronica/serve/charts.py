"""Inline SVG charts rendered on the server (no JavaScript library).

Every label is escaped; numbers are formatted by us, so the returned markup is safe to
insert into a page as-is.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

PALETTE = ("#1f6f8b", "#d1495b", "#edae49", "#00798c", "#66a182", "#8d6a9f", "#30638e", "#b5651d")


def bar_chart(points: list[tuple[str, int]], *, width: int = 760, height: int = 180,
              title: str = "Incidents per month") -> Markup:
    """Vertical bars, one per (label, count); every bar has a hover title."""
    if not points:
        return Markup('<p class="muted">No dated incidents yet.</p>')
    pad_l, pad_b, pad_t = 34, 22, 8
    top = max(n for _, n in points) or 1
    inner_w, inner_h = width - pad_l - 4, height - pad_b - pad_t
    bw = inner_w / len(points)
    parts = [f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="100%" '
             f'aria-label="{escape(title)}"><title>{escape(title)}</title>',
             f'<line x1="{pad_l}" y1="{pad_t + inner_h}" x2="{width - 4}" y2="{pad_t + inner_h}" class="axis"/>',
             f'<text x="{pad_l - 4}" y="{pad_t + 8}" text-anchor="end" class="tick">{top}</text>',
             f'<text x="{pad_l - 4}" y="{pad_t + inner_h}" text-anchor="end" class="tick">0</text>']
    every = max(1, len(points) // 8)
    for k, (label, n) in enumerate(points):
        h = inner_h * n / top
        x = pad_l + k * bw
        parts.append(f'<rect class="bar" x="{x + 0.5:.1f}" y="{pad_t + inner_h - h:.1f}" '
                     f'width="{max(bw - 1, 1):.1f}" height="{h:.1f}"><title>{escape(label)}: {n}</title></rect>')
        if k % every == 0:
            parts.append(f'<text x="{x:.1f}" y="{height - 6}" class="tick">{escape(label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def number(value: float | None) -> str:
    """1500.0 -> '1,500'; 2.5 -> '2.5'; None -> '—'."""
    if value is None:
        return "—"
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")


def compact(value: float) -> str:
    """A short axis label: 1,500 -> 1.5k, 3,000,000,000 -> 3B."""
    for div, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= div:
            return f"{value / div:.3g}{suffix}"
    return f"{value:.3g}"


def _period_key(period: str) -> float:
    """A sortable number for YYYY, YYYY-MM, YYYY-MM-DD or YYYY/YYYY (first year)."""
    p = (period or "").split("/")[0]
    try:
        y = int(p[:4])
    except ValueError:
        return float("nan")
    m = int(p[5:7]) if len(p) >= 7 and p[5:7].isdigit() else 1
    return y + (m - 1) / 12


def series_chart(series: dict[str, list[dict[str, Any]]], *, width: int = 760, height: int = 220,
                 link: Any = None) -> Markup:
    """One line per claimant over time; each point is a link (``link(point) -> url``) to
    the sentence that states it. Points without a value or a period are skipped."""
    pts = [(name, p, _period_key(p["period"])) for name, ps in series.items() for p in ps
           if p["value"] is not None and p["period"]]
    pts = [x for x in pts if x[2] == x[2]]  # drop NaN keys
    if not pts:
        return Markup('<p class="muted">No dated values to plot.</p>')
    xs = [x[2] for x in pts]
    ys = [x[1]["value"] for x in pts]
    x0, x1 = min(xs), max(xs)
    y1 = max(ys) or 1.0
    if x1 == x0:
        x0, x1 = x0 - 1, x1 + 1
    pad_l, pad_r, pad_t, pad_b = 60, 10, 10, 24
    iw, ih = width - pad_l - pad_r, height - pad_t - pad_b

    def px(x: float) -> float:
        return pad_l + iw * (x - x0) / (x1 - x0)

    def py(y: float) -> float:
        return pad_t + ih - ih * y / y1

    parts = [f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="100%">',
             f'<line x1="{pad_l}" y1="{pad_t + ih}" x2="{width - pad_r}" y2="{pad_t + ih}" class="axis"/>',
             f'<text x="{pad_l - 4}" y="{pad_t + 8}" text-anchor="end" class="tick">{compact(y1)}</text>',
             f'<text x="{pad_l - 4}" y="{pad_t + ih}" text-anchor="end" class="tick">0</text>',
             f'<text x="{pad_l}" y="{height - 6}" class="tick">{int(x0)}</text>',
             f'<text x="{width - pad_r}" y="{height - 6}" text-anchor="end" class="tick">{int(x1)}</text>']
    for k, name in enumerate(series):
        color = PALETTE[k % len(PALETTE)]
        mine = sorted((x for x in pts if x[0] == name), key=lambda x: x[2])
        if len(mine) > 1:
            path = " ".join(f"{px(x[2]):.1f},{py(x[1]['value']):.1f}" for x in mine)
            parts.append(f'<polyline fill="none" stroke="{color}" stroke-width="2" points="{path}"/>')
        for _, p, xk in mine:
            tip = f"{name}: {number(p['value'])} {p.get('unit') or ''} ({p['period']})"
            dot = (f'<circle cx="{px(xk):.1f}" cy="{py(p["value"]):.1f}" r="5" fill="{color}">'
                   f'<title>{escape(tip)}</title></circle>')
            url = link(p) if link else None
            parts.append(f'<a href="{escape(url)}">{dot}</a>' if url else dot)
    parts.append("</svg>")
    return Markup("".join(parts))
