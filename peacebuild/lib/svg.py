"""Charts as SVG strings: bars, horizontal bars, stacked bars, progress bars.

Pure Python, no Django: the page, the DOCX and the PDF embed the same picture. Callers
pass text already translated and numbers already formatted; every text is escaped here.
A bar with an `href` becomes a link (the records behind the number), and its `title`
becomes the tooltip and the accessible name.
"""

from dataclasses import dataclass, field
from html import escape

PALETTE = ("#006c9c", "#009edb", "#7fc8e8", "#f2a541", "#5b6770", "#b5446e", "#2e8540",
           "#c9cdd1")
ACCENT = "#009edb"
INK = "#1d2327"
MUTED = "#5b6770"
FONT = "font-family=\"'Noto Sans','Noto Sans CJK SC',sans-serif\""


def e(text: object) -> str:
    return escape(str(text), quote=True)


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    href: str = ""
    title: str = ""  # tooltip; defaults to "label: value"
    value_label: str = ""  # the value as shown (formatted by the caller)
    colour: str = ""

    @property
    def shown(self) -> str:
        return self.value_label or _plain(self.value)

    @property
    def tooltip(self) -> str:
        return self.title or f"{self.label}: {self.shown}"


@dataclass(frozen=True)
class Stack:
    label: str
    segments: list[Bar] = field(default_factory=list)

    @property
    def total(self) -> float:
        return sum(s.value for s in self.segments)


def _plain(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _link(inner: str, bar: Bar, css: str = "bar") -> str:
    title = f"<title>{e(bar.tooltip)}</title>"
    if bar.href:
        return (f'<a href="{e(bar.href)}" class="{css}" aria-label="{e(bar.tooltip)}">'
                f"{title}{inner}</a>")
    return f'<g class="{css}">{title}{inner}</g>'


def _svg(width: int, height: int, body: str, title: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" role="img" aria-label="{e(title)}" {FONT} '
            f'font-size="12"><title>{e(title)}</title>{body}</svg>')


def bar_chart(bars: list[Bar], *, title: str, width: int = 560, height: int = 220,
              empty: str = "") -> str:
    """Vertical bars, one per label (e.g. quarters), value written above each bar."""
    top, bottom, left, right = 22, 34, 8, 8
    plot_h = height - top - bottom
    if not bars:
        return _svg(width, 60, f'<text x="8" y="30" fill="{MUTED}">{e(empty)}</text>', title)
    peak = max((b.value for b in bars), default=0) or 1
    slot = (width - left - right) / len(bars)
    bar_w = max(min(slot * 0.7, 60), 2)
    parts = [f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" '
             f'stroke="#c9cdd1"/>']
    every = max(1, round(len(bars) / (width / 70)))  # thin out labels when crowded
    for i, bar in enumerate(bars):
        h = plot_h * bar.value / peak
        x = left + i * slot + (slot - bar_w) / 2
        y = top + plot_h - h
        inner = (f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{max(h, 0):.1f}" '
                 f'fill="{bar.colour or ACCENT}"/>'
                 f'<text x="{x + bar_w / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle" '
                 f'fill="{INK}">{e(bar.shown)}</text>')
        parts.append(_link(inner, bar))
        if i % every == 0:
            parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{height - bottom + 16}" '
                         f'text-anchor="middle" fill="{MUTED}">{e(bar.label)}</text>')
    return _svg(width, height, "".join(parts), title)


def hbar_chart(bars: list[Bar], *, title: str, width: int = 560, row: int = 26,
               label_width: int = 170, empty: str = "") -> str:
    """Horizontal bars with labels on the left (categories, sexes): long labels fit."""
    if not bars:
        return _svg(width, 60, f'<text x="8" y="30" fill="{MUTED}">{e(empty)}</text>', title)
    height = row * len(bars) + 8
    peak = max(b.value for b in bars) or 1
    room = width - label_width - 70
    parts = []
    for i, bar in enumerate(bars):
        y = 4 + i * row
        w = room * bar.value / peak
        parts.append(f'<text x="{label_width - 6}" y="{y + row * 0.62:.1f}" text-anchor="end" '
                     f'fill="{INK}">{e(_clip(bar.label, label_width // 7))}</text>')
        inner = (f'<rect x="{label_width}" y="{y + 3}" width="{max(w, 1):.1f}" '
                 f'height="{row - 8}" fill="{bar.colour or PALETTE[i % len(PALETTE)]}"/>'
                 f'<text x="{label_width + w + 5:.1f}" y="{y + row * 0.62:.1f}" '
                 f'fill="{INK}">{e(bar.shown)}</text>')
        parts.append(_link(inner, bar))
    return _svg(width, height, "".join(parts), title)


def stacked_bars(stacks: list[Stack], *, title: str, legend: list[tuple[str, str]],
                 width: int = 560, row: int = 26, label_width: int = 170,
                 empty: str = "") -> str:
    """One horizontal bar per row, split into coloured segments; legend is (label, colour)."""
    if not stacks:
        return _svg(width, 60, f'<text x="8" y="30" fill="{MUTED}">{e(empty)}</text>', title)
    peak = max(s.total for s in stacks) or 1
    room = width - label_width - 70
    parts = []
    for i, stack in enumerate(stacks):
        y = 4 + i * row
        parts.append(f'<text x="{label_width - 6}" y="{y + row * 0.62:.1f}" text-anchor="end" '
                     f'fill="{INK}">{e(_clip(stack.label, label_width // 7))}</text>')
        x = float(label_width)
        for seg in stack.segments:
            w = room * seg.value / peak
            parts.append(_link(f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" '
                               f'height="{row - 8}" fill="{seg.colour or ACCENT}"/>', seg))
            x += w
        parts.append(f'<text x="{x + 5:.1f}" y="{y + row * 0.62:.1f}" fill="{INK}">'
                     f'{e(_plain(stack.total))}</text>')
    ly = 8 + len(stacks) * row
    lx = float(label_width)
    for label, colour in legend:
        parts.append(f'<rect x="{lx:.1f}" y="{ly}" width="10" height="10" fill="{colour}"/>'
                     f'<text x="{lx + 14:.1f}" y="{ly + 9}" fill="{MUTED}">{e(label)}</text>')
        lx += 24 + 7 * len(label)
    return _svg(width, ly + 16, "".join(parts), title)


def progress_bar(*, value: float | None, target: float | None, baseline: float | None = None,
                 title: str, href: str = "", width: int = 320, height: int = 22,
                 value_label: str = "") -> str:
    """A bar of the actual against the target, with a tick at the baseline and one at the
    target. Without a target the scale is the larger of the actual and the baseline."""
    peak = max(v for v in (value, target, baseline, 1) if v is not None)
    scale = (width - 2) / peak
    parts = [f'<rect x="1" y="4" width="{width - 2}" height="{height - 8}" fill="#eef1f3" '
             f'stroke="#c9cdd1"/>']
    if value is not None:
        met = target is not None and value >= target
        bar = Bar("", value, href=href, title=title, value_label=value_label)
        parts.append(_link(f'<rect x="1" y="4" width="{max(value * scale, 0):.1f}" '
                           f'height="{height - 8}" fill="{"#2e8540" if met else ACCENT}"/>', bar,
                           css="progress"))
    if baseline is not None:
        x = 1 + baseline * scale
        parts.append(f'<line x1="{x:.1f}" y1="1" x2="{x:.1f}" y2="{height - 1}" '
                     f'stroke="{MUTED}" stroke-width="2" stroke-dasharray="3 2"/>')
    if target is not None:
        x = min(1 + target * scale, width - 2)
        parts.append(f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height}" stroke="{INK}" '
                     f'stroke-width="3"/>')
    return _svg(width, height, "".join(parts), title)


def _clip(text: str, chars: int) -> str:
    return text if len(text) <= chars else text[: max(chars - 1, 1)] + "…"
