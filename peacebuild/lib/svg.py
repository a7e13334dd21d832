"""Charts as SVG strings: bars, horizontal bars, stacked bars, progress bars.

Pure Python, no Django: the page, the DOCX and the PDF embed the same picture. Callers
pass text already translated and numbers already formatted; every text is escaped here.
A bar with an `href` becomes a link (the records behind the number), and its `title`
becomes the tooltip and the accessible name.

Right to left (`rtl=True`, for an Arabic page): the picture is mirrored, so that time runs
from right to left and labels stand on the right of their bars. The root carries an
explicit `direction`, so a picture never takes its text direction from the page around it
(inside an Arabic page, "end" would otherwise mean "left"); numbers, quarters and
symbols are written with `direction="ltr"` so that "2003-Q3" or "S/2004/331" never
reorder. A chart whose bars are links is a group of links (`role="group"`), not an image:
an image's children are hidden from screen readers.
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


@dataclass(frozen=True)
class Frame:
    """Where things go on a picture `width` wide: x as drawn for left to right, mirrored
    for right to left."""

    width: float
    rtl: bool = False

    def x(self, x: float) -> float:
        return self.width - x if self.rtl else x

    def box(self, x: float, w: float) -> float:
        """The left edge of a box drawn from x to x + w left to right."""
        return self.width - x - w if self.rtl else x

    def text(self, x: float, y: float, content: str, *, anchor: str = "start",
             fill: str = INK, ltr: bool = False) -> str:
        """A text at x (in left-to-right terms) anchored by its start, middle or end.
        `ltr`: numbers, codes and symbols, kept left to right inside a mirrored picture."""
        attrs = ""
        if ltr and self.rtl:
            # In an ltr text element "start" is the left: the mirror of rtl's "end".
            anchor = {"start": "end", "end": "start"}.get(anchor, anchor)
            attrs = ' direction="ltr"'
        if anchor != "start":
            attrs += f' text-anchor="{anchor}"'
        return (f'<text x="{self.x(x):.1f}" y="{y:.1f}"{attrs} fill="{fill}">'
                f"{e(content)}</text>")


def _svg(width: int, height: int, body: str, title: str, *, rtl: bool = False,
         links: bool = False) -> str:
    role = "group" if links else "img"
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" role="{role}" aria-label="{e(title)}" '
            f'direction="{"rtl" if rtl else "ltr"}" {FONT} '
            f'font-size="12"><title>{e(title)}</title>{body}</svg>')


def _empty(width: int, title: str, empty: str, rtl: bool) -> str:
    return _svg(width, 60, Frame(width, rtl).text(8, 30, empty, fill=MUTED), title, rtl=rtl)


def bar_chart(bars: list[Bar], *, title: str, width: int = 560, height: int = 220,
              empty: str = "", rtl: bool = False) -> str:
    """Vertical bars, one per label (e.g. quarters), value written above each bar; the
    first bar on the right when `rtl`."""
    top, bottom, left, right = 22, 34, 8, 8
    plot_h = height - top - bottom
    if not bars:
        return _empty(width, title, empty, rtl)
    f = Frame(width, rtl)
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
        inner = (f'<rect x="{f.box(x, bar_w):.1f}" y="{y:.1f}" width="{bar_w:.1f}" '
                 f'height="{max(h, 0):.1f}" fill="{bar.colour or ACCENT}"/>'
                 + f.text(x + bar_w / 2, y - 4, bar.shown, anchor="middle", ltr=True))
        parts.append(_link(inner, bar))
        if i % every == 0:
            parts.append(f.text(x + bar_w / 2, height - bottom + 16, bar.label,
                                anchor="middle", fill=MUTED, ltr=True))
    return _svg(width, height, "".join(parts), title, rtl=rtl,
                links=any(b.href for b in bars))


def hbar_chart(bars: list[Bar], *, title: str, width: int = 560, row: int = 26,
               label_width: int = 170, empty: str = "", rtl: bool = False) -> str:
    """Horizontal bars with labels before them (categories, sexes): long labels fit."""
    if not bars:
        return _empty(width, title, empty, rtl)
    f = Frame(width, rtl)
    height = row * len(bars) + 8
    peak = max(b.value for b in bars) or 1
    room = width - label_width - 70
    parts = []
    for i, bar in enumerate(bars):
        y = 4 + i * row
        w = room * bar.value / peak
        parts.append(f.text(label_width - 6, y + row * 0.62,
                            _clip(bar.label, label_width // 7), anchor="end"))
        inner = (f'<rect x="{f.box(label_width, max(w, 1)):.1f}" y="{y + 3}" '
                 f'width="{max(w, 1):.1f}" height="{row - 8}" '
                 f'fill="{bar.colour or PALETTE[i % len(PALETTE)]}"/>'
                 + f.text(label_width + w + 5, y + row * 0.62, bar.shown, ltr=True))
        parts.append(_link(inner, bar))
    return _svg(width, height, "".join(parts), title, rtl=rtl,
                links=any(b.href for b in bars))


def stacked_bars(stacks: list[Stack], *, title: str, legend: list[tuple[str, str]],
                 width: int = 560, row: int = 26, label_width: int = 170,
                 empty: str = "", rtl: bool = False) -> str:
    """One horizontal bar per row, split into coloured segments; legend is (label, colour)."""
    if not stacks:
        return _empty(width, title, empty, rtl)
    f = Frame(width, rtl)
    peak = max(s.total for s in stacks) or 1
    room = width - label_width - 70
    parts = []
    for i, stack in enumerate(stacks):
        y = 4 + i * row
        parts.append(f.text(label_width - 6, y + row * 0.62,
                            _clip(stack.label, label_width // 7), anchor="end"))
        x = float(label_width)
        for seg in stack.segments:
            w = room * seg.value / peak
            parts.append(_link(f'<rect x="{f.box(x, w):.1f}" y="{y + 3}" width="{w:.1f}" '
                               f'height="{row - 8}" fill="{seg.colour or ACCENT}"/>', seg))
            x += w
        parts.append(f.text(x + 5, y + row * 0.62, _plain(stack.total), ltr=True))
    ly = 8 + len(stacks) * row
    lx = float(label_width)
    for label, colour in legend:
        parts.append(f'<rect x="{f.box(lx, 10):.1f}" y="{ly}" width="10" height="10" '
                     f'fill="{colour}"/>' + f.text(lx + 14, ly + 9, label, fill=MUTED))
        lx += 24 + 7 * len(label)
    links = any(seg.href for st in stacks for seg in st.segments)
    return _svg(width, ly + 16, "".join(parts), title, rtl=rtl, links=links)


def progress_bar(*, value: float | None, target: float | None, baseline: float | None = None,
                 title: str, href: str = "", width: int = 320, height: int = 22,
                 value_label: str = "", rtl: bool = False) -> str:
    """A bar of the actual against the target, with a tick at the baseline and one at the
    target. Without a target the scale is the larger of the actual and the baseline.
    Filled from the right when `rtl`."""
    f = Frame(width, rtl)
    peak = max(v for v in (value, target, baseline, 1) if v is not None)
    scale = (width - 2) / peak
    parts = [f'<rect x="1" y="4" width="{width - 2}" height="{height - 8}" fill="#eef1f3" '
             f'stroke="#c9cdd1"/>']
    if value is not None:
        met = target is not None and value >= target
        bar = Bar("", value, href=href, title=title, value_label=value_label)
        w = max(value * scale, 0)
        parts.append(_link(f'<rect x="{f.box(1, w):.1f}" y="4" width="{w:.1f}" '
                           f'height="{height - 8}" fill="{"#2e8540" if met else ACCENT}"/>', bar,
                           css="progress"))
    if baseline is not None:
        x = f.x(1 + baseline * scale)
        parts.append(f'<line x1="{x:.1f}" y1="1" x2="{x:.1f}" y2="{height - 1}" '
                     f'stroke="{MUTED}" stroke-width="2" stroke-dasharray="3 2"/>')
    if target is not None:
        x = f.x(min(1 + target * scale, width - 2))
        parts.append(f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height}" stroke="{INK}" '
                     f'stroke-width="3"/>')
    return _svg(width, height, "".join(parts), title, rtl=rtl, links=bool(href))


def _clip(text: str, chars: int) -> str:
    return text if len(text) <= chars else text[: max(chars - 1, 1)] + "…"
