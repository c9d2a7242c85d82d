"""Build time against the number of articles, log-log, as a small hand-written SVG.

Usage: plot.py [SWEEP_JSON] [OUT_SVG]   (defaults: results/sweep.json, docs/bench-sweep.svg)

``bench_build.py --sweep`` calls ``write_plot`` itself; this redraws from its JSON.
"""

from __future__ import annotations

import json
import math
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
DEFAULT_JSON = HERE / "results" / "sweep.json"
DEFAULT_SVG = HERE.parent / "docs" / "bench-sweep.svg"
WIDTH, HEIGHT = 800, 430
LEFT, RIGHT, TOP, BOTTOM = 70, 270, 62, 58  # margins around the plotting area
VERSION = re.compile(r"\bv?(\d+\.\d+(?:\.\d+)?)")
FONT = "system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif"


@dataclass(frozen=True)
class Series:
    variant: str  # as named in the sweep JSON
    label: str
    colour: str
    dashes: str = ""


SERIES = (
    Series("ours CLI clean", "peru-digest", "#1d4ed8"),
    Series("ours CLI clean --no-search", "peru-digest --no-search", "#1d4ed8", "6 4"),
    Series("hugo clean", "Hugo", "#c2255c"),
    Series("pelican clean", "Pelican", "#2b8a3e"),
)


@dataclass(frozen=True)
class Axes:
    """Log-scale mapping of (N, seconds) to SVG coordinates."""

    x_low: float
    x_high: float
    y_low: float
    y_high: float

    def x(self, n: float) -> float:
        share = (math.log10(n) - self.x_low) / (self.x_high - self.x_low)
        return LEFT + share * (WIDTH - LEFT - RIGHT)

    def y(self, seconds: float) -> float:
        share = (math.log10(seconds) - self.y_low) / (self.y_high - self.y_low)
        return HEIGHT - BOTTOM - share * (HEIGHT - TOP - BOTTOM)


def points(sweep: dict[str, Any], variant: str) -> list[tuple[int, float]]:
    """(N, median wall seconds) of one variant, for each N it was measured at."""
    found = []
    for n in sweep["sizes"]:
        entry = sweep["results"].get(str(n), {}).get("variants", {}).get(variant)
        if entry and entry.get("median_wall_s"):
            found.append((int(n), float(entry["median_wall_s"])))
    return found


def axes_for(sweep: dict[str, Any]) -> Axes:
    sizes = [int(n) for n in sweep["sizes"]]
    times = [t for series in SERIES for _, t in points(sweep, series.variant)] or [1.0]
    pad = 0.15
    return Axes(
        math.log10(min(sizes)) - pad,
        math.log10(max(sizes)) + pad,
        math.floor(math.log10(min(times))),
        math.ceil(math.log10(max(times))),
    )


def seconds_label(seconds: float) -> str:
    return f"{seconds:,g} s"


def grid(axes: Axes, sizes: list[int]) -> list[str]:
    """Decade lines (labelled) and 2×, 5× lines for time; a line at each N."""
    parts = []
    right = WIDTH - RIGHT
    for decade in range(int(axes.y_low), int(axes.y_high) + 1):
        for factor in (1, 2, 5):
            seconds = factor * 10.0**decade
            if math.log10(seconds) > axes.y_high + 1e-9:
                continue
            y = axes.y(seconds)
            strong = factor == 1
            parts.append(
                f'<line x1="{LEFT}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" '
                f'stroke="{"#c8ccd2" if strong else "#eceef1"}" stroke-width="1"/>'
            )
            if strong:
                parts.append(
                    f'<text x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end" '
                    f'font-size="12" fill="#444">{seconds_label(seconds)}</text>'
                )
    for n in sizes:
        x = axes.x(n)
        parts.append(
            f'<line x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{HEIGHT - BOTTOM}" '
            f'stroke="#eceef1" stroke-width="1"/>'
            f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle" '
            f'font-size="12" fill="#444">{n:,}</text>'
        )
    return parts


def line(axes: Axes, series: Series, found: list[tuple[int, float]]) -> list[str]:
    coordinates = " ".join(f"{axes.x(n):.1f},{axes.y(t):.1f}" for n, t in found)
    dash = f' stroke-dasharray="{series.dashes}"' if series.dashes else ""
    parts = [
        f'<polyline points="{coordinates}" fill="none" stroke="{series.colour}" '
        f'stroke-width="2.2"{dash}/>'
    ]
    parts += [
        f'<circle cx="{axes.x(n):.1f}" cy="{axes.y(t):.1f}" r="3.6" fill="{series.colour}"/>'
        for n, t in found
    ]
    return parts


def short(seconds: float) -> str:
    """Three significant figures, trailing zeros kept: 1.00, 12.3, 456."""
    return f"{seconds:.{max(0, 2 - math.floor(math.log10(seconds)))}f}" if seconds > 0 else "0"


def legend(sweep: dict[str, Any], shown: list[tuple[Series, list[tuple[int, float]]]]) -> list[str]:
    """Each series with its median times at every N, to the right of the plot."""
    x, y = WIDTH - RIGHT + 22, TOP + 8
    sizes = " · ".join(f"{int(n):,}" for n in sweep["sizes"])
    parts = [
        f'<text x="{x}" y="{y - 10}" font-size="11" fill="#666">median seconds at</text>',
        f'<text x="{x}" y="{y + 4}" font-size="11" fill="#666">N = {escape(sizes)}</text>',
    ]
    y += 30
    for series, found in shown:
        dash = f' stroke-dasharray="{series.dashes}"' if series.dashes else ""
        times = " · ".join(short(t) for _, t in found) + " s"
        parts.append(
            f'<line x1="{x}" y1="{y}" x2="{x + 26}" y2="{y}" stroke="{series.colour}" '
            f'stroke-width="2.2"{dash}/>'
            f'<text x="{x + 34}" y="{y + 4}" font-size="13" fill="#222">'
            f"{escape(peer_label(sweep, series))}</text>"
            f'<text x="{x + 34}" y="{y + 21}" font-size="11" fill="#666">{escape(times)}</text>'
        )
        y += 46
    return parts


def peer_label(sweep: dict[str, Any], series: Series) -> str:
    """The label, with the peer's version where the context has it (hugo, pelican)."""
    match = VERSION.search(sweep.get("context", {}).get(series.label.lower()) or "")
    return f"{series.label} {match.group(1)}" if match else series.label


def svg(sweep: dict[str, Any]) -> str:
    sizes = [int(n) for n in sweep["sizes"]]
    axes = axes_for(sweep)
    shown = [(s, found) for s in SERIES if (found := points(sweep, s.variant))]
    runs, context = sweep.get("runs", "?"), sweep.get("context", {})
    subtitle = (
        f"clean builds, median of {runs} run{'s' if runs != 1 else ''}; "
        f"{context.get('cpus', '?')}-core machine; peru-digest "
        f"{(context.get('commit') or '?')[:7]}; log–log"
    )
    body = [
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#fff"/>',
        f'<text x="{LEFT}" y="26" font-size="16" font-weight="600" fill="#111">'
        "Build time against number of articles</text>",
        f'<text x="{LEFT}" y="45" font-size="12" fill="#555">{escape(subtitle)}</text>',
        *grid(axes, sizes),
        f'<text x="{(LEFT + WIDTH - RIGHT) / 2:.0f}" y="{HEIGHT - 14}" text-anchor="middle" '
        'font-size="12" fill="#444">articles</text>',
        *(part for series, found in shown for part in line(axes, series, found)),
        *legend(sweep, shown),
    ]
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="{FONT}">\n' + "\n".join(body) + "\n</svg>\n"
    )


def write_plot(sweep: dict[str, Any], path: Path = DEFAULT_SVG) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(svg(sweep), encoding="utf-8")
    return path


def main(argv: list[str]) -> int:
    source = Path(argv[0]) if argv else DEFAULT_JSON
    target = Path(argv[1]) if len(argv) > 1 else DEFAULT_SVG
    print(f"wrote {write_plot(json.loads(source.read_text(encoding='utf-8')), target)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
