"""Colour emphasis written in the source (``[文字]{style="color:#c00000"}``): read once, then kept by each
edition in its own way — a character style in Word, a colour that keeps its contrast in both of the web
edition's schemes. Contrast is WCAG 2's."""

from __future__ import annotations

import colorsys
from dataclasses import dataclass

import tinycss2
import tinycss2.color3

from jpub.pandoc_ast import Attr


@dataclass(frozen=True)
class Colour:
    red: float  # 0–1
    green: float
    blue: float

    @classmethod
    def parse(cls, value: str) -> Colour | None:
        """Any CSS colour (#c00, rgb(…), hsl(…), a keyword); None for what is not one, or is transparent."""
        found = tinycss2.color3.parse_color(value.strip())
        if not isinstance(found, tinycss2.color3.RGBA) or found.alpha == 0:  # None, or currentColor
            return None
        return cls(found.red, found.green, found.blue)

    @property
    def hex(self) -> str:
        return "".join(f"{round(channel * 255):02X}" for channel in (self.red, self.green, self.blue))

    @property
    def luminance(self) -> float:
        def linear(channel: float) -> float:
            return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

        return 0.2126 * linear(self.red) + 0.7152 * linear(self.green) + 0.0722 * linear(self.blue)

    def contrast(self, other: Colour) -> float:
        light, dark = sorted((self.luminance, other.luminance), reverse=True)
        return (light + 0.05) / (dark + 0.05)

    def readable_on(self, ground: Colour, ratio: float = 4.5) -> Colour:
        """This colour, lightened or darkened (same hue and saturation) until it has ``ratio`` on ``ground``."""
        if self.contrast(ground) >= ratio:
            return self
        hue, lightness, saturation = colorsys.rgb_to_hls(self.red, self.green, self.blue)
        toward = 1.0 if ground.luminance < 0.18 else 0.0
        best = Colour(*colorsys.hls_to_rgb(hue, toward, saturation))
        for step in range(1, 101):
            level = lightness + (toward - lightness) * step / 100
            candidate = Colour(*colorsys.hls_to_rgb(hue, level, saturation))
            if candidate.contrast(ground) >= ratio:
                return candidate
        return best


def span_colour(attr: Attr) -> Colour | None:
    """The ``color`` of a pandoc Span's ``style`` attribute, if it sets one."""
    style = next((value for key, value in attr[2] if key == "style"), "")
    if "color" not in style:
        return None
    for item in tinycss2.parse_blocks_contents(style, skip_whitespace=True, skip_comments=True):
        if item.type == "declaration" and item.lower_name == "color":
            return Colour.parse(tinycss2.serialize(item.value))
    return None
