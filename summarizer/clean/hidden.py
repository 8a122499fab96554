"""What a reader of an HTML page cannot see, decided the way a browser would from what
the page itself carries: attributes, inline styles, and simple class and id rules in
its own `<style>` blocks (linked stylesheets are not fetched).

Invisible text is the easiest prompt-injection channel, so it goes. Two kinds of
hidden block stay, because a reader does see them: a tab or accordion panel that a
control on the page opens (`role="tabpanel"`, or the target of an `aria-controls`),
and a block holding most of the page's text (an anti-flicker class on `<html>`, a
story rendered into a collapsed container).
"""

from __future__ import annotations

import re

from lxml import etree

from ..words import count_words

# Hidden by a state a click can change: a panel behind a tab or an accordion.
_SOFT = {"hidden attribute", "aria-hidden", "display:none", "visibility:hidden", "collapsed to zero height"}
_COLORS = {
    "white": (255, 255, 255),
    "black": (0, 0, 0),
    "silver": (192, 192, 192),
    "gray": (128, 128, 128),
    "grey": (128, 128, 128),
    "red": (255, 0, 0),
    "green": (0, 128, 0),
    "blue": (0, 0, 255),
    "yellow": (255, 255, 0),
    "whitesmoke": (245, 245, 245),
    "snow": (255, 250, 250),
    "ivory": (255, 255, 240),
}
_PAGE_BACKGROUND = (255, 255, 255)
_MEDIA = re.compile(r"@[\w-]+[^{;]*\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}")
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_SIMPLE_SELECTOR = re.compile(r"^(?P<tag>[a-z][\w-]*)?(?P<rest>(?:[.#][\w-]+)*)$", re.I)
_LENGTH = re.compile(r"^(-?\d*\.?\d+)\s*(px|em|rem|%|vw|vh|pt)?")
_OFFSCREEN_PROPS = ("left", "top", "right", "margin-left", "margin-top", "text-indent")


class Visibility:
    """Answers, element by element, whether a reader can see it."""

    def __init__(self, tree: etree._Element) -> None:
        self._rules = _stylesheet_rules(tree)
        self._controlled = {
            target for e in tree.iter() if isinstance(e.tag, str) for target in (e.get("aria-controls") or "").split()
        }
        self.page_words = count_words(tree.text_content())
        """Words a reader could see if nothing were hidden; set again once scripts are gone."""

    def hidden(self, element: etree._Element) -> str | None:
        """Why a reader cannot see `element`, or None when they can."""
        if element.get("hidden") is not None:
            return "hidden attribute"
        if (element.get("aria-hidden") or "").strip().lower() == "true":
            return "aria-hidden"
        style = {**self._matching_rules(element), **_declarations(element.get("style") or "")}
        return _hiding(style) or self._same_colour(element, style)

    def revealable(self, element: etree._Element, why: str, words: int) -> str | None:
        """Why a hidden element is kept all the same, or None."""
        if why in _SOFT and (element.get("role") == "tabpanel" or element.get("id") in self._controlled):
            return f"kept hidden tab or accordion panel ({why}): a control on the page reveals it"
        if words >= 40 and words * 2 >= self.page_words:
            return f"kept hidden block ({why}): it holds most of the page's text"
        return None

    def _matching_rules(self, element: etree._Element) -> dict[str, str]:
        if not self._rules:
            return {}
        classes = set((element.get("class") or "").split())
        ident = element.get("id")
        found: dict[str, str] = {}
        for tag, wanted_classes, wanted_id, declarations in self._rules:
            if (
                (tag is None or tag == element.tag)
                and wanted_classes <= classes
                and (wanted_id is None or wanted_id == ident)
            ):
                found.update(declarations)
        return found

    def _same_colour(self, element: etree._Element, style: dict[str, str]) -> str | None:
        colour = _colour(style.get("color") or (element.get("color") if element.tag == "font" else None))
        if colour is None:
            return None
        if colour == "transparent":
            return "transparent text"
        background = _background(element)
        if max(abs(a - b) for a, b in zip(colour, background, strict=True)) <= 24:
            return "text the colour of its background"
        return None


def _declarations(style: str) -> dict[str, str]:
    found = {}
    for part in style.split(";"):
        name, _, value = part.partition(":")
        if value.strip():
            found[name.strip().lower()] = value.replace("!important", "").strip().lower()
    return found


def _hiding(style: dict[str, str]) -> str | None:
    if style.get("display") == "none":
        return "display:none"
    if style.get("visibility") in ("hidden", "collapse"):
        return "visibility:hidden"
    if _number(style.get("opacity")) == 0:
        return "opacity:0"
    if _number(style.get("font-size")) == 0:
        return "font-size:0"
    if "scale(0" in style.get("transform", ""):
        return "scaled to nothing"
    for prop in _OFFSCREEN_PROPS:
        if _far_negative(style.get(prop)):
            return "positioned off-screen"
    clip = style.get("clip", "")
    if clip.startswith("rect(") and all(n <= 1 for n in map(float, re.findall(r"\d*\.?\d+", clip) or ["1"])):
        return "clipped to nothing"
    if re.match(r"inset\(\s*(?:50|100)%", style.get("clip-path", "")) or style.get("clip-path") == "circle(0)":
        return "clipped to nothing"
    if style.get("overflow") == "hidden" and any(_number(style.get(p)) == 0 for p in ("height", "max-height", "width")):
        return "collapsed to zero height"
    return None


def _number(value: str | None) -> float | None:
    match = _LENGTH.match(value or "")
    return float(match.group(1)) if match else None


def _far_negative(value: str | None) -> bool:
    match = _LENGTH.match(value or "")
    if not match:
        return False
    number, unit = float(match.group(1)), match.group(2) or "px"
    return number <= (-999 if unit in ("px", "pt") else -50)


def _colour(value: str | None) -> tuple[int, int, int] | str | None:
    if not value:
        return None
    value = value.strip().lower()
    if value == "transparent":
        return "transparent"
    if value in _COLORS:
        return _COLORS[value]
    hex_match = re.fullmatch(r"#([0-9a-f]{3,8})", value)
    if hex_match:
        digits = hex_match.group(1)
        if len(digits) in (3, 4):
            digits = "".join(c * 2 for c in digits[:3])
        if len(digits) == 8 and digits[6:] == "00":
            return "transparent"
        return (int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16))
    rgb = re.fullmatch(r"rgba?\(([^)]*)\)", value)
    if rgb:
        parts = [p for p in re.split(r"[\s,/]+", rgb.group(1)) if p]
        try:
            if len(parts) == 4 and float(parts[3].rstrip("%")) == 0:
                return "transparent"
            r, g, b = (round(float(p.rstrip("%")) * (2.55 if p.endswith("%") else 1)) for p in parts[:3])
        except ValueError:
            return None
        return (r, g, b)
    return None


def _background(element: etree._Element) -> tuple[int, int, int]:
    """The nearest background colour set on the element or an ancestor; else white."""
    for node in [element, *element.iterancestors()]:
        style = _declarations(node.get("style") or "")
        for value in (style.get("background-color"), style.get("background"), node.get("bgcolor")):
            for token in (value or "").split():
                colour = _colour(token)
                if isinstance(colour, tuple):
                    return colour
    return _PAGE_BACKGROUND


def _stylesheet_rules(tree: etree._Element) -> list[tuple[str | None, frozenset[str], str | None, dict[str, str]]]:
    """Rules of the page's own <style> blocks that hide, for simple selectors only
    (`.sr-only`, `#promo`, `div.hidden`); media queries are left out, since they may
    apply to print or another screen size."""
    rules = []
    for style in tree.iter("style"):
        css = re.sub(r"/\*.*?\*/", "", style.text or "", flags=re.S)
        for selectors, body in _RULE.findall(_MEDIA.sub("", css)):
            declarations = _declarations(body)
            if _hiding(declarations) is None:
                continue
            for selector in selectors.split(","):
                match = _SIMPLE_SELECTOR.match(selector.strip())
                if not match or not selector.strip():
                    continue
                parts = re.findall(r"([.#])([\w-]+)", match.group("rest"))
                classes = frozenset(name for kind, name in parts if kind == ".")
                ids = [name for kind, name in parts if kind == "#"]
                tag = match.group("tag").lower() if match.group("tag") else None
                if tag is None and not classes and not ids:
                    continue
                rules.append((tag, classes, ids[0] if ids else None, declarations))
    return rules
