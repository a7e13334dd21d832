"""Choropleth of a country's regions (first-level subdivisions) as an SVG string, drawn on the
server, for the country of the office.

The boundaries are geoBoundaries' simplified ADM1 files in `places/data/`, one per country,
named by its ISO 3166-1 alpha-3 code (`tjk_adm1.geojson`; see SOURCES.md). A country without
a file has no map: `has_map()` says so and the caller shows a sentence instead.
longitude and latitude are projected equirectangularly, scaled by the cosine of the
middle latitude, and points closer than 1.2 pixels to the previous one are dropped, so
the picture is a few kilobytes. Each region is a link to the records behind its number and
carries a <title> for the tooltip. The attribution must be shown under any map.
"""

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from pathlib import Path

import pycountry

DATA = Path(__file__).parent / "data"
ATTRIBUTION = ("Boundaries: geoBoundaries (www.geoboundaries.org, CC BY 4.0), "
               "data © OpenStreetMap contributors (ODbL 1.0)")
# Light to dark blues (UN blue in the middle); regions with nothing are grey.
CLASSES = ("#d6eef8", "#99d3ee", "#4db8e4", "#009edb", "#006c9c")
NONE = "#eef1f3"


@dataclass(frozen=True)
class RegionValue:
    code: str  # ISO 3166-2, e.g. KG-C
    name: str
    value: int | None
    value_label: str = ""
    href: str = ""


def boundaries_file(country: str) -> Path | None:
    """The boundaries of the country's regions (ISO 3166-1 alpha-2 code), if Peacebuild has
    them."""
    found = pycountry.countries.get(alpha_2=country.upper()) if len(country) == 2 else None
    path = DATA / f"{found.alpha_3.lower()}_adm1.geojson" if found else None
    return path if path is not None and path.is_file() else None


def has_map(country: str) -> bool:
    return boundaries_file(country) is not None


@lru_cache(maxsize=8)
def _shapes(country: str) -> dict[str, list[list[tuple[float, float]]]]:
    """Region code → its rings of (lon, lat)."""
    path = boundaries_file(country)
    if path is None:
        raise LookupError(f"no boundaries for the country {country!r}")
    data = json.loads(path.read_text(encoding="utf-8"))
    out: dict[str, list[list[tuple[float, float]]]] = {}
    for feature in data["features"]:
        geometry = feature["geometry"]
        polygons = (geometry["coordinates"] if geometry["type"] == "MultiPolygon"
                    else [geometry["coordinates"]])
        out[feature["properties"]["shapeISO"]] = [
            [(float(x), float(y)) for x, y, *_ in ring] for polygon in polygons for ring in polygon
        ]
    return out


@lru_cache(maxsize=8)
def _paths(country: str, width: int) -> tuple[int, dict[str, str]]:
    """The height of the picture and each region's SVG path at this width."""
    shapes = _shapes(country)
    points = [p for rings in shapes.values() for ring in rings for p in ring]
    lon0, lon1 = min(p[0] for p in points), max(p[0] for p in points)
    lat0, lat1 = min(p[1] for p in points), max(p[1] for p in points)
    k = math.cos(math.radians((lat0 + lat1) / 2))
    scale = (width - 4) / ((lon1 - lon0) * k)
    height = int((lat1 - lat0) * scale) + 4
    paths: dict[str, str] = {}
    for code, rings in shapes.items():
        parts = []
        for ring in rings:
            coords: list[tuple[float, float]] = []
            for lon, lat in ring:
                x, y = 2 + (lon - lon0) * k * scale, 2 + (lat1 - lat) * scale
                if not coords or abs(x - coords[-1][0]) + abs(y - coords[-1][1]) >= 1.2:
                    coords.append((x, y))
            if len(coords) >= 3:
                parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in coords) + "Z")
        paths[code] = "".join(parts)
    return height, paths


def colour_for(value: int | None, peak: int) -> str:
    if not value or not peak:
        return NONE
    index = min(int(len(CLASSES) * value / peak), len(CLASSES) - 1) if value < peak else -1
    return CLASSES[index]


def _smallest(paths: dict[str, str]) -> str:
    """The region with the shortest outline (a capital city, like Dushanbe)."""
    return min(paths, key=lambda c: len(paths[c]))


def region_map_svg(values: list[RegionValue], *, country: str, title: str,
                   width: int = 560) -> str:
    """The country's regions coloured by value; each a link with a tooltip. Regions missing
    from `values` are drawn grey without a link. The smallest region (a capital city, small
    at this scale) is drawn last so that it stays on top and clickable. Check `has_map`
    first."""
    height, paths = _paths(country, width)
    by_code = {v.code: v for v in values}
    peak = max((v.value or 0 for v in values), default=0)
    parts = []
    smallest = _smallest(paths)
    for code in sorted(paths, key=lambda c: c == smallest):
        region = by_code.get(code)
        fill = colour_for(region.value if region else None, peak)
        shape = (f'<path d="{paths[code]}" fill="{fill}" stroke="#fff" stroke-width="1.2" '
                 f'data-region="{escape(code)}"/>')
        if region is None:
            parts.append(shape)
            continue
        label = f"{region.name}: {region.value_label or region.value or 0}"
        tip = f"<title>{escape(label)}</title>"
        if region.href:
            parts.append(f'<a href="{escape(region.href, quote=True)}" class="region" '
                         f'aria-label="{escape(label, quote=True)}">{tip}{shape}</a>')
        else:
            parts.append(f'<g class="region">{tip}{shape}</g>')
    # A map of links is a group of links (an image's children are hidden from screen
    # readers); a map is never mirrored for right-to-left languages: north stays up, east
    # stays right.
    role = "group" if any(v.href for v in values) else "img"
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" role="{role}" direction="ltr" '
            f'aria-label="{escape(title, quote=True)}"><title>{escape(title)}</title>'
            f'{"".join(parts)}</svg>')


def message_svg(message: str, *, width: int = 560, rtl: bool = False) -> str:
    """A sentence where the map would be (no boundaries for the country), as an SVG so that
    pages and documents place it like a map; from the right edge when `rtl`."""
    x = width - 2 if rtl else 2
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} 40" width="{width}" '
            f'height="40" role="img" aria-label="{escape(message, quote=True)}" '
            f'direction="{"rtl" if rtl else "ltr"}" '
            f'data-map="none"><text x="{x}" y="24" font-size="14" fill="#4d4d4d">'
            f'{escape(message)}</text></svg>')


def legend(peak: int) -> list[tuple[str, str]]:
    """(colour, "from–to") for each class, for a legend under the map."""
    if not peak:
        return []
    step = peak / len(CLASSES)
    return [(c, f"{math.floor(i * step) + 1}–{math.floor((i + 1) * step)}")
            for i, c in enumerate(CLASSES)]
