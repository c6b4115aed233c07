"""Share cards: a 1200x630 PNG per original page with its title, for Open Graph and Twitter.

Drawn with Pillow and the bundled Roboto (templates/cards/, Apache 2.0), in Material's indigo:
the title in its language on the primary colour, the site name on a darker band. A card is
cached in build/cards/ under a key of everything that decides its pixels (text, style, fonts,
Pillow), so an unchanged page never redraws; each build copies the cached files to the pages'
card paths (structure.card). The card records the title it shows in an iTXt `Title` chunk.
Variant and fallback pages point to their original's card (variants.py writes the path).
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
from dataclasses import asdict, dataclass
from pathlib import Path

import PIL
from PIL import Image, ImageDraw, ImageFont
from PIL.PngImagePlugin import PngInfo

from guidegen.errors import GuidegenError
from guidegen.model import Content
from guidegen.project import Project
from guidegen.structure import Page, Version, card, is_original
from guidegen.write import reuse_file, write_atomic

log = logging.getLogger(__name__)

SIZE = (1200, 630)
"""Open Graph's recommended size; Twitter's summary_large_image takes it as it is."""
LEVELS = 16
"""Shades of antialiasing between a background and white: the card is a 33-colour palette."""
ACCENT = 2 * LEVELS
"""Palette index of the accent bar above the title."""
SHADES = [round(v * (LEVELS - 1) / 255) for v in range(256)]
"""Text coverage (0-255) to a shade index over the main background."""
BAND_SHADES = [LEVELS + shade for shade in range(LEVELS)] + [0] * (256 - LEVELS)
"""A shade index over the main background to the same shade over the band."""
COMPRESSION = 3
"""zlib level of the PNG: 2.3 ms and 18 kB a card, against 5.8 ms and 14 kB at the default 6."""


@dataclass(frozen=True)
class Style:
    """Everything that decides how a card looks, apart from its text."""

    background: tuple[int, int, int] = (63, 81, 181)
    """Material indigo 500, the site's primary colour."""
    band: tuple[int, int, int] = (48, 63, 159)
    """Material indigo 700, behind the site name."""
    accent: tuple[int, int, int] = (197, 202, 233)
    """Material indigo 100, the bar above the title."""
    title_font: str = "Roboto-Bold.ttf"
    name_font: str = "Roboto-Regular.ttf"
    title_sizes: tuple[int, ...] = (76, 68, 60, 52, 46)
    """Largest first: the first size at which the title fits in max_lines is used."""
    max_lines: int = 4
    line_height: float = 1.2
    name_size: int = 36
    name_shade: int = 225
    """The site name is slightly less than white (0-255)."""
    margin: int = 80
    band_top: int = 516
    bar: tuple[int, int] = (96, 8)
    """Width and height of the accent bar, drawn 28 px above the title."""


STYLE = Style()


class Fonts:
    """The bundled fonts of one build, loaded once per size."""

    def __init__(self, folder: Path, style: Style) -> None:
        """Find the fonts in folder and fingerprint them (their bytes are part of card keys)."""
        self.folder = folder
        self.loaded: dict[tuple[str, int], ImageFont.FreeTypeFont] = {}
        digest = hashlib.sha256()
        for name in (style.title_font, style.name_font):
            try:
                digest.update((folder / name).read_bytes())
            except OSError as error:
                raise GuidegenError(
                    f"cards: cannot read the font {folder / name} ({error.strerror}); "
                    "restore templates/cards/ from the repository"
                ) from None
        self.digest = digest.hexdigest()

    def get(self, name: str, size: int) -> ImageFont.FreeTypeFont:
        """Return a font at a size (basic layout: Latin text needs no shaping library)."""
        if (name, size) not in self.loaded:
            self.loaded[name, size] = ImageFont.truetype(
                str(self.folder / name), size, layout_engine=ImageFont.Layout.BASIC
            )
        return self.loaded[name, size]


def wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Break text into lines no wider than width, between words (a longer word stands alone)."""
    lines: list[str] = []
    for word in text.split():
        if lines and font.getlength(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def shorten(lines: list[str], font: ImageFont.FreeTypeFont, width: int, count: int) -> list[str]:
    """Keep the first count lines; end the last with an ellipsis that fits."""
    kept = lines[:count]
    words = kept[-1].split()
    while len(words) > 1 and font.getlength(" ".join(words) + " …") > width:
        words.pop()
    kept[-1] = " ".join(words) + " …"
    return kept


def fit_title(title: str, fonts: Fonts, style: Style) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """Return the largest title font at which the title fits, and its lines."""
    width = SIZE[0] - 2 * style.margin
    for size in style.title_sizes:
        font = fonts.get(style.title_font, size)
        lines = wrap(title, font, width)
        if len(lines) <= style.max_lines:
            return font, lines
    return font, shorten(lines, font, width, style.max_lines)


def palette(style: Style) -> list[int]:
    """Return the card's palette: shades from each background to white, then the accent."""
    colours = []
    for base in (style.background, style.band):
        for level in range(LEVELS):
            colours += [round(c + (255 - c) * level / (LEVELS - 1)) for c in base]
    return colours + list(style.accent)


def draw(title: str, site_name: str, lang: str, fonts: Fonts, style: Style = STYLE) -> bytes:
    """Draw a card: the title on indigo, the site name on the band below; return PNG bytes.

    Text is drawn as coverage on a grey image, which becomes palette indices (a shade of
    white over the background it sits on), so the PNG stays small and quick to write.
    """
    width, height = SIZE
    coverage = Image.new("L", SIZE, 0)
    pen = ImageDraw.Draw(coverage)
    font, lines = fit_title(title, fonts, style)
    step = round(font.size * style.line_height)
    top = (style.band_top - step * len(lines)) // 2 + style.bar[1]
    for number, line in enumerate(lines):
        pen.text((style.margin, top + number * step), line, font=font, fill=255)
    if site_name != title:
        name = fonts.get(style.name_font, style.name_size)
        middle = (style.band_top + height) // 2
        pen.text((style.margin, middle), site_name, font=name, fill=style.name_shade, anchor="lm")
    card_image = coverage.point(SHADES)
    band = card_image.crop((0, style.band_top, width, height)).point(BAND_SHADES)
    card_image.paste(band, (0, style.band_top))
    bar_top = top - 28 - style.bar[1]
    bar = (style.margin, bar_top, style.margin + style.bar[0] - 1, bar_top + style.bar[1] - 1)
    ImageDraw.Draw(card_image).rectangle(bar, fill=ACCENT)
    card_image.putpalette(palette(style))
    info = PngInfo()
    info.add_itxt("Title", title, lang=lang)
    out = io.BytesIO()
    card_image.save(out, "PNG", pnginfo=info, compress_level=COMPRESSION)
    return out.getvalue()


def _sha256(parts: list[object]) -> str:
    """Return the hex digest of a JSON list."""
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode("utf-8")).hexdigest()


def card_key(title: str, site_name: str, lang: str, drawing: str) -> str:
    """Return the cache key of a card: a hash of everything that decides its bytes (drawing:
    the digest of the style, the fonts and Pillow, taken once a build)."""
    return _sha256([title, site_name, lang, drawing])[:32]


def write_cards(project: Project, content: Content, pages: list[Page], site_dir: Path) -> list[str]:
    """Put the card of every original page into the site, drawing only new ones; return their
    paths. Cached cards no page uses any more are removed."""
    fonts = Fonts(project.templates_dir / "cards", STYLE)
    drawing = _sha256([asdict(STYLE), fonts.digest, PIL.__version__])
    cache = project.build_dir / "cards"
    cache.mkdir(parents=True, exist_ok=True)
    used: set[str] = set()
    drawn, written = 0, []
    for page in pages:
        if not is_original(page, Version(page.lang, False)):
            continue
        site_name = content.site.languages[page.lang].site_name
        cached = cache / f"{card_key(page.title, site_name, page.lang, drawing)}.png"
        if not cached.is_file():
            write_atomic(cached, draw(page.title, site_name, page.lang, fonts))
            drawn += 1
        reuse_file(cached, site_dir / card(page))
        written.append(card(page))
        used.add(cached.name)
    for stale in cache.glob("*.png"):
        if stale.name not in used:
            stale.unlink()
    log.debug("cards: %d drawn, %d reused", drawn, len(used) - drawn)
    return written
