"""Phone numbers, after the numbers that only look like them are removed.

Phone numbers: after dates, times, IP addresses, prices and "v1.2.3" versions are removed, a run of
digits joined by spaces, dots, dashes, slashes or brackets is a phone number when it has 10 to 15
digits, or 8+ after a "+", or 7 to 9 when the message also says "call", "phone", "mobile", "number"…
("order number" and the like do not count). Ticket ids ("INV-2025-000417"), UUIDs and map
coordinates are removed first too. Version numbers, order numbers, counts and measurements of
ordinary length stay below these thresholds, and so do labelled identifiers ("tracking number 1Z 999
AA1 01 2345 6784", "serial SN 5501 …") and lists of small numbers ("12, 15, 18, 22"). A number given
in pieces with words between ("646, then 555, and the last part is 0172") counts only beside a clear
phone cue ("my number", "call me").
"""

import re

from .normalise import digits_spelled_out

_NOT_PHONE_RES = [
    re.compile(p, re.I)
    for p in (
        r"(?<![\d.])\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?!\.?\d)",  # 2026-12-06
        r"(?<![\d.])\d{1,2}[-/.]\d{1,2}[-/.](?:\d{4}|\d{2})(?!\.?\d)",  # 12/06/2026, 06.12.26
        r"(?<!\d)20\d{2}[01]\d[0-3]\d(?!\d)",  # 20261206
        r"(?<![\d.])\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?",  # 14:30, 10:15 am
        r"(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?![.\d])",  # 192.168.1.10
        r"\bv\d+(?:\.\d+)+",  # v2.3.1
        r"\b(?:isbn(?:-1[03])?|ean|sku|upc|gtin)\s*[:#]?\s*\d[\d -]{6,20}\d",  # product codes
        r"[$€£¥₹]\s?\d[\d.,]*(?:\s?[km]\b)?",  # $1,500
        r"\d[\d.,]*\s?(?:usd|eur|gbp|chf|cad|aud|inr|dollars?|euros?|pounds?|%)",  # 1500 USD, 12%
        r"(?-i:\b(?!TEL-)[A-Z]{2,6}-\d[\d-]*\d)",  # INV-2025-000417, PROJ-1042: ticket ids
        r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b",  # UUID
        r"(?<![\d.])-?\d{1,3}\.\d{3,}\s*,\s*-?\d{1,3}\.\d{3,}(?![\d.])",  # 52.5200, 13.4050
        # A labelled identifier: "tracking number 1Z 999 AA1 01 2345 6784", "serial SN 5501 2287 3310".
        r"\b(?:tracking|order|invoice|serial|reference|ref|ticket|case|booking|confirmation|parcel|shipment)"
        r"(?:\s+(?:number|no\.?|#|id|code|reference|ref))?(?:\s+is)?"
        r"(?:\s*[:#]?\s*(?:(?-i:[A-Z]{1,3})|[a-z0-9-]*\d[a-z0-9-]*)(?![\w]))+",
        # Labels that name a number only with "number / no. / id": "VAT number GB 123 4567 89".
        r"\b(?:vat|tax|ein|tin|registration|company|licen[cs]e|policy|customer|member(?:ship)?|employee"
        r"|student|product|model|part)\s+(?:number|no\.?|#|id|code)(?:\s+is)?"
        r"(?:\s*[:#]?\s*(?:(?-i:[A-Z]{1,3})|[a-z0-9-]*\d[a-z0-9-]*)(?![\w]))+",
        # A dotted version with a one-digit part: "Chrome 124.0.6367.91", "Build 2024.3.1.14".
        r"(?<![\d.+])\d+(?:\.\d+)*\.\d(?:\.\d+)+(?![\d.])|(?<![\d.+])\d+(?:\.\d+)+\.\d(?![\d.])",
    )
]
_PHONE_RUN_RE = re.compile(r"\+?\(?\d(?:(?:[ \t.\-\u2013\u2014/()]{1,4}|,\s)?\d)*")
_PHONE_CUE_RE = re.compile(
    r"\b(?:call|calls|phone|cell|mobile|tel|telephone|sms|whats\s*app|ring|reach|text\s+me|my\s+no\b)"
    r"|(?<!order\s)(?<!invoice\s)(?<!ticket\s)(?<!build\s)(?<!tracking\s)(?<!reference\s)(?<!ref\s)"
    r"(?<!serial\s)(?<!version\s)(?<!part\s)(?<!model\s)(?<!page\s)(?<!issue\s)(?<!line\s)\bnumber\b",
    re.I,
)


# A number given in pieces with words between ("starts with 646, then 555, and ends 0172"): only
# when the message clearly speaks of a phone, since counts and years also come in groups.
_STRONG_PHONE_CUE_RE = re.compile(
    r"\b(?:my|the|our|his|her)\s+(?:phone|cell|mobile|number|no\.?)(?!\w)"
    r"|\b(?:call|text|ring|phone)\s+me\b|\bwhats\s*app\b",
    re.I,
)
_WORD_SPLIT_PHONE_RE = re.compile(
    r"(?<![\d.])\d{2,4}(?:[\s,;.\-\u2013\u2014]+(?:[a-z']+[\s,;:.\-\u2013\u2014]+){0,6}\d{2,4}){2,}(?![\d.])",
    re.I,
)


def has_phone(text: str) -> bool:
    text = digits_spelled_out(text)
    for pattern in _NOT_PHONE_RES:
        text = pattern.sub(" ", text)
    cue = _PHONE_CUE_RE.search(text) is not None
    for run in _PHONE_RUN_RE.findall(text):
        groups = re.split(r",\s*", run)
        if len(groups) >= 4 and all(re.fullmatch(r"\d{1,2}", group) for group in groups):
            continue  # a list of small numbers: "12, 15, 18, 22, 30, 41"
        digits = sum(char.isdigit() for char in run)
        if 10 <= digits <= 15 or (run.startswith("+") and digits >= 8) or (cue and 7 <= digits <= 15):
            return True
    if _STRONG_PHONE_CUE_RE.search(text):
        for pieces in _WORD_SPLIT_PHONE_RE.findall(text):
            if 10 <= sum(char.isdigit() for char in pieces) <= 12:
                return True
    return False
