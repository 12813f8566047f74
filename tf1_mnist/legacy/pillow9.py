"""Pillow 9's text sizes, removed in Pillow 10, for ``run``: ``ImageDraw.textsize``,
``multiline_textsize`` and the fonts' ``getsize``, as Pillow 9.5 computed them, from
the bounding boxes Pillow gives today. (``Image.ANTIALIAS`` and the other removed
filter names are rows of ``homes.py``.)
"""


def getsize(self, text, direction=None, features=None, language=None, stroke_width=0):
    """A font's ``getsize(text)``: (width, height) from the origin, as Pillow 9 gave it
    (the right and bottom of the text's box drawn at (0, 0), the stroke counted twice
    as there: its box starts a stroke's width before the origin)."""
    if stroke_width:
        box = self.getbbox(text, direction=direction, features=features,
                           language=language, stroke_width=stroke_width)
    elif direction or features or language:
        box = self.getbbox(text, direction=direction, features=features, language=language)
    else:
        box = self.getbbox(text)  # a bitmap font's getbbox takes the text alone
    return box[2] + stroke_width, box[3] + stroke_width


def textsize(self, text, font=None, spacing=4, direction=None, features=None,
             language=None, stroke_width=0):
    """``ImageDraw.textsize``: the font's ``getsize`` (the draw's font by default); a
    text of several lines is ``multiline_textsize``."""
    if _lines(text) is not None:
        return multiline_textsize(self, text, font, spacing, direction, features, language,
                                  stroke_width)
    if font is None:
        font = self.getfont()
    return getsize(font, text, direction, features, language, stroke_width)


def multiline_textsize(self, text, font=None, spacing=4, direction=None, features=None,
                       language=None, stroke_width=0):
    """``ImageDraw.multiline_textsize``: the widest line, and each line the height of
    'A' plus ``spacing`` (less one ``spacing``)."""
    lines = _lines(text) or [text]
    line_spacing = textsize(self, "A", font=font, stroke_width=stroke_width)[1] + spacing
    width = max(textsize(self, line, font, spacing, direction, features, language,
                         stroke_width)[0] for line in lines)
    return width, len(lines) * line_spacing - spacing


def _lines(text):
    """The lines of a text of more than one (str or bytes), else None."""
    newline = b"\n" if isinstance(text, bytes) else "\n"
    return text.split(newline) if newline in text else None
