"""LaTeX as MathML that is safe to insert into a page.

latex2mathml builds a tree and then un-escapes the whole serialization, so `\\text{<img ...>}`
comes out as a live HTML element inside <mtext>, and `\\href`, `\\style` as attributes. Here
the same tree is written out again from MathML elements and presentation attributes only,
with every text escaped; what latex2mathml itself writes (its symbols as character references,
its elements and attributes) comes out byte for byte as before.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element
from xml.sax.saxutils import escape

from latex2mathml.converter import convert_to_element

ELEMENTS = frozenset(
    "math mrow mi mn mo ms mtext mspace msub msup msubsup mfrac msqrt mroot mstyle mpadded "
    "mphantom menclose merror mover munder munderover mtable mtr mtd mlabeledtr mmultiscripts "
    "mprescripts none semantics".split()
)
ATTRIBUTES = frozenset(
    "display mathvariant mathcolor mathbackground mathsize displaystyle scriptlevel stretchy "
    "fence separator largeop movablelimits accent accentunder form lspace rspace minsize "
    "maxsize symmetric linethickness columnalign columnlines columnspacing rowalign rowlines "
    "rowspacing frame framespacing equalrows equalcolumns width height depth voffset notation "
    "linebreak columnspan rowspan align".split()
)
NAMESPACE = "http://www.w3.org/1998/Math/MathML"
# latex2mathml writes symbols into its text as character references: they stay references
_REFERENCE = re.compile(r"&amp;(#(?:x[0-9a-fA-F]+|[0-9]+);)")


def to_mathml(latex: str) -> str:
    """The MathML of a LaTeX formula, from whitelisted elements and attributes only."""
    out: list[str] = []
    _write(convert_to_element(latex), out)
    return "".join(out)


def _text(s: str | None) -> str:
    return _REFERENCE.sub(r"&\1", escape(s)) if s else ""


def _write(e: Element, out: list[str]) -> None:
    tag = e.tag if e.tag in ELEMENTS else "mrow"  # an unknown element keeps only its content
    attrs = "".join(
        f' {k}="{escape(v, {chr(34): "&quot;"})}"' for k, v in e.attrib.items() if k in ATTRIBUTES
    )
    if tag == "math":
        attrs = f' xmlns="{NAMESPACE}"' + attrs
    if e.text or len(e):
        out.append(f"<{tag}{attrs}>{_text(e.text)}")
        for child in e:
            _write(child, out)
        out.append(f"</{tag}>")
    else:
        out.append(f"<{tag}{attrs} />")
    out.append(_text(e.tail))
