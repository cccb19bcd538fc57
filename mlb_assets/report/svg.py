"""Charts as plain SVG text: line charts over dates (equity curves), reliability diagrams and
histograms, with axes, tick labels and a legend. Pure string building, no plotting library,
so the same chart goes into a self-contained HTML page and, small enough, into Dagster's UI.

Dagster shows a markdown metadata value inline only below 1,000 characters (longer ones hide
behind "[Show Markdown]"), so `markdown_image` draws a chart with fewer points (and fewer
ticks) until its markdown fits; the report draws every point.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

# Named colours: a '#' costs three characters in a data URI.
COLORS = ("royalblue", "orangered", "seagreen", "purple")
# Dagster renders markdown inline below this many characters (its metadata table).
INLINE_MARKDOWN_LIMIT = 1000


@dataclass(frozen=True)
class Frame:
    """A chart drawn in small logical units (120 across) and shown at `width` x `height`
    pixels through its viewBox: coordinates stay two or three digits long, which keeps a
    chart short enough for Dagster's inline markdown. Margins and text are given in pixels;
    `decimals` is the coordinates' precision."""

    width: int
    height: int
    decimals: int = 0
    units: int = 120
    margins: tuple[int, int, int, int] = (46, 22, 26, 40)  # left, right, top, bottom (px)
    font_px: int = 13

    @property
    def scale(self) -> float:  # pixels per unit
        return self.width / self.units

    @property
    def tall(self) -> float:  # the picture's height in units
        return self.height / self.scale

    def px(self, pixels: float) -> float:
        return pixels / self.scale

    @property
    def x0(self) -> float:
        return self.px(self.margins[0])

    @property
    def x1(self) -> float:
        return self.units - self.px(self.margins[1])

    @property
    def y0(self) -> float:  # the bottom of the plot area
        return self.tall - self.px(self.margins[3])

    @property
    def y1(self) -> float:
        return self.px(self.margins[2])

    def at(self, value: float, decimals: int | None = None) -> str:
        """A coordinate as short as its precision allows."""
        text = f"{value:.{self.decimals if decimals is None else decimals}f}"
        text = text.rstrip("0").rstrip(".") if "." in text else text
        if text.startswith(("0.", "-0.")):
            text = text.replace("0.", ".", 1)
        return "0" if text in ("-0", "") else text

    def x(self, share: float) -> str:
        return self.at(self.x0 + share * (self.x1 - self.x0))

    def y(self, share: float) -> str:
        return self.at(self.y0 - share * (self.y0 - self.y1))


def _number(value: float) -> str:
    """Tick text: as short as the value allows (0.5 -> .5, -2.0 -> -2)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    if text.startswith(("0.", "-0.")):
        text = text.replace("0.", ".", 1)
    return "0" if text in ("-0", "") else text


def nice_ticks(low: float, high: float, count: int) -> list[float]:
    """About `count` round tick values covering [low, high] (steps of 1, 2, 2.5 or 5 x 10^n)."""
    if not np.isfinite(low) or not np.isfinite(high):
        return [0.0, 1.0]
    if high - low < 1e-9:
        low, high = low - 1.0, high + 1.0
    raw = (high - low) / max(count - 1, 1)
    power = 10 ** np.floor(np.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    value = np.floor(low / step) * step
    ticks = []
    while value < high + step * 0.999:
        ticks.append(round(float(value), 10))
        value += step
    return ticks


def _open(frame: Frame, title: str) -> list[str]:
    """The picture, its font and stroke in pixels whatever the scale, and its title (top
    left, above the y axis: it names what the y axis counts)."""
    f = frame
    return [
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{f.width}' height='{f.height}' "
        f"viewBox='0 0 {f.units} {f.at(f.tall, 1)}' font-size='{f.at(f.px(f.font_px), 1)}' "
        f"stroke-width='{f.at(f.px(1), 2)}'>",
        f"<text x='{f.at(f.px(4))}' y='{f.at(f.px(15))}'>{title}</text>",
    ]


def _axes(
    frame: Frame,
    x_ticks: Sequence[tuple[float, str]],
    y_ticks: Sequence[tuple[float, str]],
    x_title: str,
) -> list[str]:
    """Both axes with tick marks and labels (a tick with empty text is a mark only);
    positions are shares of the plot area."""
    f = frame
    tick = f.at(f.px(5), 1)
    left, bottom = f.at(f.x0), f.at(f.y0)
    marks = "".join(f"M{f.x(s)} {bottom}v{tick}" for s, _ in x_ticks) + "".join(
        f"M{left} {f.y(s)}h-{tick}" for s, _ in y_ticks
    )
    x_labels = "".join(f"<tspan x='{f.x(s)}'>{text}</tspan>" for s, text in x_ticks if text)
    label_x, lift = f.at(f.x0 - f.px(7)), f.px(4)
    y_labels = "".join(
        f"<tspan x='{label_x}' y='{f.at(float(f.y(s)) + lift)}'>{text}</tspan>"
        for s, text in y_ticks
        if text
    )
    title = (
        [
            f"<text text-anchor='middle' x='{f.at((f.x0 + f.x1) / 2)}' "
            f"y='{f.at(f.tall - f.px(5))}'>{x_title}</text>"
        ]
        if x_title
        else []
    )
    return [
        f"<path d='M{left} {f.at(f.y1)}V{bottom}H{f.at(f.x1)}{marks}' fill='none' "
        "stroke='dimgray'/>",
        f"<text text-anchor='middle' y='{f.at(f.y0 + f.px(18))}'>{x_labels}</text>",
        f"<text text-anchor='end'>{y_labels}</text>",
        *title,
    ]


def _legend(frame: Frame, names: Sequence[str]) -> list[str]:
    """Series names top right, each in its line's colour."""
    parts, x = [], frame.x1
    for index, name in reversed(list(enumerate(names))):
        parts.append(
            f"<text x='{frame.at(x)}' y='{frame.at(frame.px(15))}' text-anchor='end' "
            f"fill='{COLORS[index % len(COLORS)]}'>{name}</text>"
        )
        x -= frame.px(7.5 * len(name) + 14)
    return parts


def _polylines(frame: Frame, lines: Sequence[Sequence[tuple[str, str]]]) -> str:
    """Every series' line in one group that carries the shared attributes once."""
    inner = "".join(
        f"<polyline points='{' '.join(f'{x},{y}' for x, y in points)}' "
        f"stroke='{COLORS[index % len(COLORS)]}'/>"
        for index, points in enumerate(lines)
    )
    return f"<g fill='none' stroke-width='{frame.at(frame.px(2), 2)}'>{inner}</g>"


def _spread(count: int, wanted: int) -> list[int]:
    """`wanted` indexes spread evenly over range(count), first and last included."""
    if count <= wanted:
        return list(range(count))
    return sorted({round(i * (count - 1) / (wanted - 1)) for i in range(wanted)})


def line_chart(
    series: Mapping[str, Sequence[float]],
    labels: Sequence[str],
    *,
    title: str,
    x_title: str,
    width: int = 720,
    height: int = 320,
    decimals: int = 1,
    max_points: int | None = None,
    x_tick_count: int = 6,
    y_tick_count: int = 5,
    legend: bool = True,
) -> str:
    """One line per series over the shared x labels (e.g. dates), with a zero line when the
    values cross it; NaN points are left out. Without a legend the title names the line."""
    frame = Frame(width, height, decimals)
    count = len(labels)
    keep = _spread(count, max_points) if max_points else list(range(count))
    values = np.array([list(v) for v in series.values()], dtype="float64").reshape(-1, count)
    finite = values[np.isfinite(values)]
    low = min(0.0, float(finite.min())) if finite.size else 0.0
    high = max(0.0, float(finite.max())) if finite.size else 1.0
    ticks = nice_ticks(low, high, y_tick_count)
    bottom, top = ticks[0], ticks[-1]

    def share_x(i: int) -> float:
        return i / max(count - 1, 1)

    def share_y(v: float) -> float:
        return (v - bottom) / (top - bottom)

    parts = _open(frame, title)
    parts += _axes(
        frame,
        [(share_x(i), labels[i]) for i in _spread(count, x_tick_count)] if count else [],
        [(share_y(t), _number(t)) for t in ticks],
        x_title,
    )
    if bottom < 0 < top:
        zero = frame.y(share_y(0))
        parts.append(
            f"<path d='M{frame.at(frame.x0)} {zero}H{frame.at(frame.x1)}' stroke='silver'/>"
        )
    parts.append(
        _polylines(
            frame,
            [
                [
                    (frame.x(share_x(i)), frame.y(share_y(row[i])))
                    for i in keep
                    if np.isfinite(row[i])
                ]
                for row in values
            ],
        )
    )
    parts += _legend(frame, list(series)) if legend else []
    parts.append("</svg>")
    return "".join(parts)


def reliability_chart(
    curves: Mapping[str, tuple[Sequence[float], Sequence[float]]],
    *,
    title: str = "observed over-rate",
    width: int = 480,
    height: int = 400,
    decimals: int = 0,
    tick_count: int = 6,
    label_every: int = 1,
    dots: bool = True,
    legend: bool = True,
) -> str:
    """Observed against predicted probability, one line per system (its deciles); the dashed
    diagonal is perfect calibration. Both axes run 0 to 1, a tick mark every
    1/(tick_count - 1), labelled every `label_every` marks."""
    frame = Frame(width, height, decimals)
    ticks = [
        (i / (tick_count - 1), _number(i / (tick_count - 1)) if i % label_every == 0 else "")
        for i in range(tick_count)
    ]
    parts = _open(frame, title)
    parts += _axes(frame, ticks, ticks, "predicted P(over); dashed: calibrated")
    parts.append(
        f"<path d='M{frame.x(0)} {frame.y(0)}L{frame.x(1)} {frame.y(1)}' stroke='gray' "
        f"stroke-dasharray='{frame.at(frame.px(4), 1)}'/>"
    )
    lines = [
        [(frame.x(p), frame.y(o)) for p, o in zip(predicted, observed, strict=True)]
        for predicted, observed in curves.values()
    ]
    parts.append(_polylines(frame, lines))
    if dots:
        radius = frame.at(frame.px(3), 1)
        parts += [
            f"<circle cx='{x}' cy='{y}' r='{radius}' fill='{COLORS[index % len(COLORS)]}'/>"
            for index, points in enumerate(lines)
            for x, y in points
        ]
    parts += _legend(frame, list(curves)) if legend else []
    parts.append("</svg>")
    return "".join(parts)


def histogram(
    groups: Mapping[str, Sequence[float]],
    *,
    title: str,
    x_title: str,
    bins: int = 12,
    width: int = 720,
    height: int = 300,
) -> str:
    """Counts per bin, the groups' bars side by side within each bin."""
    frame = Frame(width, height, decimals=2)
    arrays = [np.asarray(v, dtype="float64") for v in groups.values()]
    arrays = [a[np.isfinite(a)] for a in arrays]
    every = np.concatenate(arrays) if arrays else np.array([])
    low, high = (float(every.min()), float(every.max())) if every.size else (0.0, 1.0)
    if high - low < 1e-9:
        low, high = low - 0.5, high + 0.5
    edges = np.linspace(low, high, bins + 1)
    counts = [np.histogram(a, bins=edges)[0] for a in arrays]
    y_ticks = nice_ticks(0.0, float(max((c.max() for c in counts), default=1)), 5)
    parts = _open(frame, title)
    parts += _axes(
        frame,
        [(i / bins, _number(edges[i])) for i in _spread(bins + 1, 7)],
        [(t / y_ticks[-1], _number(t)) for t in y_ticks],
        x_title,
    )
    slot = (frame.x1 - frame.x0) / bins
    bar = slot / max(len(counts), 1)
    for index, row in enumerate(counts):
        color = COLORS[index % len(COLORS)]
        for b, n in enumerate(row):
            if n:
                top = float(frame.y(n / y_ticks[-1]))
                parts.append(
                    f"<rect x='{frame.at(frame.x0 + b * slot + index * bar)}' "
                    f"y='{frame.at(top)}' width='{frame.at(bar * 0.9)}' "
                    f"height='{frame.at(frame.y0 - top)}' fill='{color}'/>"
                )
    parts += _legend(frame, list(groups))
    parts.append("</svg>")
    return "".join(parts)


def markdown_image(svg: str, alt: str) -> str:
    """An SVG as a markdown image (a data URI in a pointy destination: spaces may stay;
    brackets are escaped, '#' percent-encoded)."""
    escaped = svg.replace("<", "\\<").replace(">", "\\>").replace("#", "%23")
    return f"![{alt}](<data:image/svg+xml;utf8,{escaped}>)"
