"""Series colours derived from a brand's accent, so a branded chart keeps every series apart.

The key series takes the accent; the others take its complement and neighbouring hues. Every colour
is darkened until it stands out from the white background (WCAG's 3:1 for graphics), and a colour
too close to one already taken (CIE76 distance under MIN_DISTANCE) is replaced by the next
candidate, so two series never look alike, whatever the accent (grey, yellow, near-white, black).
"""

from __future__ import annotations

import colorsys
import re

MIN_CONTRAST = 3.0  # against white: WCAG 2.1 SC 1.4.11, non-text contrast
MIN_DISTANCE = 25.0  # CIE76 delta E between any two series: clearly different colours
WHITE = "#ffffff"
_FALLBACKS = ("#2a6f97", "#e76f51", "#2a9d8f", "#8d5a97", "#b5651d", "#4f5d75")  # when hues alone fall short


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


def series_palette(accent: str, count: int) -> list[str]:
    """`count` colours for a chart's series: the (legible) accent first, then colours that differ from
    every one before by MIN_DISTANCE and stand out from white."""
    hue, lightness, saturation = colorsys.rgb_to_hls(*_rgb(accent))
    saturation = max(saturation, 0.55)  # a grey accent still gets coloured companions
    lightness = min(max(lightness, 0.35), 0.5)
    rotations = (0.5, 0.15, -0.15, 0.33, -0.33, 0.08, -0.08)
    candidates = [_hex(colorsys.hls_to_rgb((hue + turn) % 1, lightness, saturation)) for turn in rotations]
    palette = [legible(accent)]
    for candidate in (*candidates, *_FALLBACKS):
        if len(palette) == count:
            break
        colour = legible(candidate)
        if all(distance(colour, taken) >= MIN_DISTANCE for taken in palette):
            palette.append(colour)
    return palette
