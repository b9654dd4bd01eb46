"""The colours of every chart: one fixed palette for the series a reader meets on every page, in the deck and
the report (the measures, each platform, each tier, verdicts and changes), and colours derived from a brand's
accent where branding applies: the accent (made legible on white) colours titles, bands and headline
numbers, never a data series.

The fixed colours come from Okabe & Ito's and Paul Tol's colour-blind safe sets; a test checks that any two of
a group stay apart for normal vision and under simulated protanopia, deuteranopia and tritanopia
(Machado et al. 2009, `simulate`).
`legible` darkens an accent until it stands out from the white background (WCAG's 3:1 for graphics);
`distance` (CIE76) tells whether two colours read as different ones.
"""

from __future__ import annotations

import colorsys
import re

MIN_CONTRAST = 3.0  # against white: WCAG 2.1 SC 1.4.11, non-text contrast
MIN_DISTANCE = 25.0  # CIE76 delta E between any two series: clearly different colours
WHITE = "#ffffff"


MEASURE_COLOURS = {"creators": "#0072B2", "followers": "#009E73", "reach": "#009E73",  # reach is an audience too
                   "expected_engagements": "#D55E00", "fees": "#882255",
                   "planned": "#BBBBBB"}  # a campaign's fees, and what a plan forecast next to what was delivered
PLATFORM_COLOURS = {"instagram": "#AA3377", "tiktok": "#33BBEE", "youtube": "#EE7733", "facebook": "#332288",
                    "x": "#222222", "other": "#BBBBBB"}
TIER_COLOURS = {"nano": "#9ecae1", "micro": "#4292c6", "mid": "#08519c", "macro": "#fd8d3c", "mega": "#a63603"}
VERDICT_COLOURS = {"below": "#D55E00", "within": "#999999", "above": "#0072B2", "no data": "#dddddd",
                   "no norm": "#cccccc"}
CHANGE_COLOURS = {"new": "#009E73", "dropped": "#555555", "up": "#0072B2", "same": "#dddddd", "down": "#D55E00"}
NORM_BAND = "rgba(0,114,178,0.14)"  # the norm bands behind the points: Okabe-Ito blue, faint
NORM_BAND_KEY = "rgba(0,114,178,0.35)"
INK = "#222222"  # frontier rings and lines, text on charts
GROUPS = {"measures": MEASURE_COLOURS, "platforms": PLATFORM_COLOURS, "tiers": TIER_COLOURS,
          "verdicts": VERDICT_COLOURS, "changes": CHANGE_COLOURS}

_DEFICIENCIES = {  # Machado, Oliveira & Fernandes 2009, severity 1, on linear RGB
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216), (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.011820, 0.042940, 0.968881)),
    "tritanopia": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602), (0.004733, 0.691367, 0.303900)),
}
DEFICIENCIES = tuple(_DEFICIENCIES)


def simulate(colour: str, deficiency: str) -> str:
    """How `colour` looks to a viewer with the colour-vision deficiency (one of DEFICIENCIES)."""
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in _rgb(colour)]
    seen = [min(max(sum(m * v for m, v in zip(row, linear, strict=True)), 0), 1) for row in _DEFICIENCIES[deficiency]]
    return _hex([12.92 * v if v <= 0.0031308 else 1.055 * v ** (1 / 2.4) - 0.055 for v in seen])


def _rgb(colour: str) -> tuple[float, float, float]:
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", colour):
        raise ValueError(f"not a #rrggbb colour: {colour!r}")
    return tuple(int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(min(max(c, 0), 1) * 255):02x}" for c in rgb)


def _luminance(colour: str) -> float:
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in _rgb(colour)]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str = WHITE) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _lab(colour: str) -> tuple[float, float, float]:
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in _rgb(colour)]
    x = (0.4124 * linear[0] + 0.3576 * linear[1] + 0.1805 * linear[2]) / 0.95047
    y = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    z = (0.0193 * linear[0] + 0.1192 * linear[1] + 0.9505 * linear[2]) / 1.08883
    f = [t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116 for t in (x, y, z)]
    return 116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])


def distance(a: str, b: str) -> float:
    """CIE76 colour difference (about 2.3 is just noticeable; 25 and more reads as another colour)."""
    return sum((p - q) ** 2 for p, q in zip(_lab(a), _lab(b), strict=True)) ** 0.5


def legible(colour: str) -> str:
    """The colour, darkened in steps of lightness until it has MIN_CONTRAST against white."""
    hue, lightness, saturation = colorsys.rgb_to_hls(*_rgb(colour))
    while contrast(colour) < MIN_CONTRAST and lightness > 0:
        lightness = max(lightness - 0.04, 0)
        colour = _hex(colorsys.hls_to_rgb(hue, lightness, saturation))
    return colour


def translucent(colour: str, alpha: float) -> str:
    """'#0072B2', 0.6 -> 'rgba(0,114,178,0.6)': a fixed colour seen through (Sankey links, bands)."""
    red, green, blue = (round(c * 255) for c in _rgb(colour))
    return f"rgba({red},{green},{blue},{alpha})"
