"""Undoing the disguises before anything is matched.

Unicode look-alikes are folded (NFKC: a full-width at sign becomes "@"; Cyrillic or Greek letters
inside a word with Latin ones, as in a spoofed "gmail", become their Latin twins), "(at)", "[at]",
"{at}", "-at-" become "@" and "(dot)", "[dot]", " dot ", "[.]" become "."; "underscore" becomes "_"
between two words and "dollar sign" "$" before one; letters typed one by one ("j o h n", also with
their dots and at sign typed apart: "m a r c o . r @ l i b e r o . i t") are joined; spaced dots
("icloud . com") are closed; number words become digits ("five five five", "twelve thirty four",
"5five5", "double seven") in ``digits_spelled_out``, which only the phone check uses. The bare word
"at" is left alone here: it only counts inside an address-shaped match (see ``emails``).
"""

import re
import unicodedata

from .vocabulary import TLD_RE, listed, words

_DIGIT_WORDS = {
    "zero": "0",
    "oh": "0",
    "nought": "0",
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "ten": "10",
    "eleven": "11",
    "twelve": "12",
    "thirteen": "13",
    "fourteen": "14",
    "fifteen": "15",
    "sixteen": "16",
    "seventeen": "17",
    "eighteen": "18",
    "nineteen": "19",
}
_TENS = {
    "twenty": "2",
    "thirty": "3",
    "forty": "4",
    "fifty": "5",
    "sixty": "6",
    "seventy": "7",
    "eighty": "8",
    "ninety": "9",
}
_UNITS = listed("one two three four five six seven eight nine")

_AT_RE = re.compile(r"\s*(?:\(\s*at\s*\)|\[\s*at\s*\]|\{\s*at\s*\}|<\s*at\s*>|(?<=\w)-at-(?=\w))\s*", re.I)
_DOT_RE = re.compile(
    r"\s*(?:\(\s*dot\s*\)|\[\s*dot\s*\]|\{\s*dot\s*\}|<\s*dot\s*>|\[\.\]|\(\.\)|\{\.\}"
    r"|(?<=\w)-dot-(?=\w)|(?<=\w)\s+dot\s+(?=\w))\s*",
    re.I,
)
# Three or more single letters or digits typed apart, with the dots and at signs between them typed
# apart too: "j o h n", "5 5 5 1", "m a r c o . r @ l i b e r o . i t".
_SPACED_CHARS_RE = re.compile(r"(?<![\w.@])\w(?:[ \t](?:[.@][ \t])?\w){2,}(?!\w)")
# Symbols spelled out inside a handle: "jake underscore miller", "dollar sign jakem22".
_UNDERSCORE_RE = re.compile(r"(?<=\w)[ \t]+under[ \t]?score[ \t]+(?=\w)", re.I)
_DOLLAR_SIGN_RE = re.compile(r"\bdollar[ \t]*sign[ \t]+(?=[a-z])", re.I)
_SPACED_DOT_RE = re.compile(r"(?<=\w)[ \t]+\.[ \t]*(?=\w)|(?<=\w)\.[ \t]+(?=(?:" + TLD_RE + r")\b)")
_TENS_UNIT_RE = re.compile(rf"\b({words(list(_TENS))})(?:[\s-]+({words(_UNITS)}))?\b", re.I)
_DOUBLE_RE = re.compile(rf"\b(double|triple)[\s-]+({words(list(_DIGIT_WORDS))}|\d)\b", re.I)
_NUMBER_TOKEN_RE = re.compile(rf"(?:\d|{words(list(_DIGIT_WORDS))})+", re.I)
_TOKEN_RE = re.compile(r"[A-Za-z0-9]+")

# Cyrillic and Greek letters that look like Latin ones ("gmail" typed with a Cyrillic "a"). NFKC keeps
# them apart, so they are folded by hand — only inside a word that also has Latin letters, which is
# how a spoofed address looks; a message written in Russian or Greek is left alone.
_LOOK_ALIKES = str.maketrans(
    "\u0430\u0435\u043e\u0440\u0441\u0443\u0445\u0456\u0458\u0455\u0501\u04cf\u043a\u0432\u043d\u043c\u0442"
    "\u0410\u0412\u0415\u041a\u041c\u041d\u041e\u0420\u0421\u0422\u0425\u0406\u0408\u0405"
    "\u03b1\u03bf\u03b9\u03ba\u03bd\u03c1\u03c4\u03c5\u03c7"
    "\u0391\u0392\u0395\u0396\u0397\u0399\u039a\u039c\u039d\u039f\u03a1\u03a4\u03a5\u03a7",
    "aeopcyxijsdlkbhmtABEKMHOPCTXIJSaoikvptuxABEZHIKMNOPTYX",
)
_MIXED_SCRIPT_WORD_RE = re.compile(r"\S*[A-Za-z]\S*")


def _tens(match: re.Match) -> str:
    unit = match.group(2)
    return _TENS[match.group(1).lower()] + (_DIGIT_WORDS[unit.lower()] if unit else "0")


def _double(match: re.Match) -> str:
    digit = match.group(2).lower()
    digit = _DIGIT_WORDS.get(digit, digit)
    return digit * (2 if match.group(1).lower() == "double" else 3)


def _number_token(match: re.Match) -> str:
    token = match.group(0)
    if token.isdigit() or not _NUMBER_TOKEN_RE.fullmatch(token):
        return token
    return re.sub(
        words(list(_DIGIT_WORDS)), lambda word: _DIGIT_WORDS[word.group(0).lower()], token, flags=re.I
    )


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = _MIXED_SCRIPT_WORD_RE.sub(lambda word: word.group(0).translate(_LOOK_ALIKES), text)
    text = re.sub(r"\bhxxp(s?)\b", r"http\1", text, flags=re.I)
    text = _AT_RE.sub("@", text)
    text = _DOT_RE.sub(".", text)
    text = _UNDERSCORE_RE.sub("_", text)
    text = _DOLLAR_SIGN_RE.sub("$", text)
    text = _SPACED_CHARS_RE.sub(lambda m: re.sub(r"[ \t]", "", m.group(0)), text)
    text = _SPACED_DOT_RE.sub(".", text)
    text = re.sub(r"[ \t]*@[ \t]*", "@", text)
    return text


def digits_spelled_out(text: str) -> str:
    text = _DOUBLE_RE.sub(_double, text)
    text = _TENS_UNIT_RE.sub(_tens, text)
    return _TOKEN_RE.sub(_number_token, text)
