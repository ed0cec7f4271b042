"""Text normalisation for clinical PDFs: ligatures, publisher glyph defects, dashes and minus signs.

Two levels:

* :func:`normalise_word` fixes one word in isolation (ligatures, "¼" for "=", middle-dot decimals,
  Unicode minus, non-breaking spaces, mathematical italic letters). Its output may differ in length from the input; provenance
  never uses it (excerpts are re-read from the page's characters).
* :func:`fix_context` fixes the joined text where the meaning depends on neighbours, keeping the
  length unchanged so character offsets still map back to words: the OUP defects ("P,0.001" for
  "P<0.001", "55+9" for "55±9") are only repaired in documents that show the OUP signature
  ("¼" used as "=").
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

LIGATURES = {
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\ufb05": "st",
    "\ufb06": "st",
}
_SIMPLE = {
    "\u2212": "-",  # minus sign
    "\u2010": "-",  # hyphen
    "\u2011": "-",  # non-breaking hyphen
    "\u00ad": "",  # soft hyphen
    "\u00a0": " ",
    "\u2009": "",  # thin space inside numbers
    "\u202f": "",
    "\u200b": "",
    "\u00bc": "=",  # OUP font map: "¼" is "="
    "\u2264": "≤",
    "\u2265": "≥",
    "\u2019": "'",
    "\u2018": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2217": "*",
}
_MIDDOT = re.compile(r"(?<=\d)[\u00b7\u2027\u22c5](?=\d)")
_PLUSMINUS_ASCII = re.compile(r"\+\s?/\s?-")


_MATH = re.compile("[\U0001D400-\U0001D7FF]")


def fold_math(text: str) -> str:
    """Mathematical alphanumeric symbols as plain letters and digits ("𝑛 = 21" -> "n = 21",
    "𝑝 < 0.05"); one character for one, so offsets are kept."""
    if not _MATH.search(text):
        return text
    return _MATH.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)), text)


def normalise_word(text: str) -> str:
    """Normalise the glyphs of one word (see module docstring)."""
    out = fold_math(text)
    for k, v in LIGATURES.items():
        if k in out:
            out = out.replace(k, v)
    for k, v in _SIMPLE.items():
        if k in out:
            out = out.replace(k, v)
    if "\u00b7" in out or "\u22c5" in out or "\u2027" in out:
        out = _MIDDOT.sub(".", out)
    if "+/" in out:
        out = _PLUSMINUS_ASCII.sub(lambda m: "±" + " " * (len(m.group(0)) - 1), out)
    return out


def is_oup_mapped(raw_texts: list[str]) -> bool:
    """True when the document uses "¼" for "=" (the OUP font-map defect), seen at least 3 times."""
    n = 0
    for t in raw_texts:
        if "\u00bc" in t:
            n += 1
            if n >= 3:
                return True
    return False


_P_COMMA = re.compile(r"(?<![A-Za-z])(P|p)(\s?),(?=\s?0?\.\d)")
_PLUS_PM = re.compile(r"(?<=\d)(\s?)\+(?=\s?\d)")


def fix_context(text: str, oup: bool) -> str:
    """Length-preserving repairs that need context (OUP "P,0.001" and "55+9")."""
    if not oup:
        return text
    text = _P_COMMA.sub(lambda m: m.group(1) + m.group(2) + "<", text)
    text = _PLUS_PM.sub(lambda m: m.group(1) + "±", text)
    return text


def collapse_ws(text: str) -> str:
    return " ".join(text.split())


def strip_ws(text: str) -> str:
    return "".join(text.split())


# letters NFKD does not decompose into a base letter and a mark
_TRANSLIT = str.maketrans({"ß": "ss", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE",
                           "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "þ": "th", "Þ": "Th", "ı": "i"})


def ascii_text(text: str) -> str:
    """``text`` transliterated to ASCII: NFKD decomposition without its combining marks
    ("étude" -> "etude", "Müller" -> "Muller"); characters with no Latin form are dropped."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_TRANSLIT))
    return decomposed.encode("ascii", "ignore").decode("ascii")


def slug(text: str, max_len: int = 24) -> str:
    s = re.sub(r"[^a-z0-9]+", "_", ascii_text(text).lower()).strip("_")
    return s[:max_len].strip("_") or "arm"


def id_from_name(name: str, max_len: int = 40) -> str:
    """A readable, stable study id from a file name (stem): its ASCII slug, or ``doc_`` and eight
    hex digits of the name's SHA-1 when no letter or digit survives (a name in another script).
    Ids that coincide are made unique where documents are merged (:mod:`extraction.merge`)."""
    s = re.sub(r"[^a-z0-9]+", "_", ascii_text(name).lower()).strip("_")[:max_len].strip("_")
    return s or "doc_" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]
