"""Text for the SQLite backend: words, typo candidates, FTS5 query expressions, highlight markup.

User text never reaches FTS5's query syntax: it is cut into words (letters and digits only) and
every word goes in as a double-quoted string, so quotes, ``NEAR``, ``*``, ``-``, ``:`` and
parentheses in it are plain separators and a query cannot fail to parse.
"""

import html
import re
import unicodedata
from collections.abc import Iterable

# FTS5 tokenizers: the same unicode61 word rules, English stemming for full text only.
FULL_TEXT_TOKENIZER = "porter unicode61 remove_diacritics 2"
PREFIX_TOKENIZER = "unicode61 remove_diacritics 2"

# Lucene's English stop words, which the Elasticsearch and PostgreSQL backends drop from queries too.
STOP_WORDS = frozenset(
    "a an and are as at be but by for if in into is it no not of on or such that the their then "  # noqa: SIM905
    "there these they this to was will with".split()
)
FUZZY_MIN_LENGTH = 5  # a query word this long also matches indexed words one edit away
MAX_QUERY_WORDS = 32
MAX_CANDIDATES = 40

# Highlight markers: control characters stripped from indexed text, so they mark matches only.
MARK_OPEN, MARK_CLOSE = "\x01", "\x02"
_MARKERS = {ord(MARK_OPEN): " ", ord(MARK_CLOSE): " "}
_WORD = re.compile(r"[^\W_]+")


def fold(word: str) -> str:
    """A word without diacritics, as unicode61's remove_diacritics folds it."""
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFD", word)
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))


def words(text: str) -> list[str]:
    """The lower-case words of ``text`` without diacritics (letters and digits; anything else
    separates)."""
    return [fold(word) for word in _WORD.findall(text.casefold())]


def clean(text: str) -> str:
    """Text as it is indexed: without the highlight marker characters."""
    return text.translate(_MARKERS)


def query_words(text: str) -> list[str]:
    """The words a full-text query searches for: stop words dropped, each word once, in order."""
    seen: dict[str, None] = {}
    for word in words(text):
        if word not in STOP_WORDS:
            seen.setdefault(word)
    return list(seen)[:MAX_QUERY_WORDS]


def within_one_edit(a: str, b: str) -> bool:
    """Levenshtein distance at most 1 (one insertion, deletion or substitution)."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :]
    return a[i:] == b[i + 1 :]


def candidate_bounds(word: str) -> tuple[str, str]:
    """A prefix and a reversed suffix of ``word``, one of which every word one edit away shares.

    With the edit at position i, ``word[:i]`` and ``word[i+1:]`` survive; taking k = len // 2,
    either i >= k (the prefix ``word[:k]`` survives) or i < k (the suffix ``word[k+1:]`` does).
    """
    k = len(word) // 2
    return word[:k], word[k + 1 :][::-1]


def typo_matches(word: str, candidates: Iterable[str]) -> list[str]:
    """Those of ``candidates`` one edit from ``word`` (other than ``word``), at most MAX_CANDIDATES."""
    found = sorted({c for c in candidates if c != word and within_one_edit(word, c)})
    return found[:MAX_CANDIDATES]


def _quoted(word: str) -> str:
    # Words hold letters and digits only; doubling quotes keeps this safe for any string anyway.
    return '"' + word.replace('"', '""') + '"'


def match_expression(alternatives: list[list[str]]) -> str:
    """Every group must match; a group matches by any of its words (the word and its typo twins)."""
    groups = ("(" + " OR ".join(_quoted(word) for word in group) + ")" for group in alternatives)
    return " AND ".join(groups)


def prefix_expression(column: str, prefix: str) -> str | None:
    """Documents whose ``column`` has words starting with each word of ``prefix``; None if it has none."""
    parts = words(prefix)[:MAX_QUERY_WORDS]
    if not parts:
        return None
    return f"{column} : (" + " AND ".join(_quoted(part) + " *" for part in parts) + ")"


def bindable(values) -> list[str]:
    """Values as SQLite can take them: a lone surrogate (valid in a str, not in UTF-8) turns into
    replacement characters, which match nothing stored, rather than an encoding error."""
    return sorted({value.encode("utf-8", "surrogatepass").decode("utf-8", "replace") for value in values})


def marked_html(fragment: str) -> str:
    """A fragment from snippet() with the markers: escaped text with ``<mark>`` around matches only."""
    return html.escape(fragment).replace(MARK_OPEN, "<mark>").replace(MARK_CLOSE, "</mark>")
