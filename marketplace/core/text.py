"""Characters refused in what people type: C0/C1 control characters and the bidirectional overrides.

A title or name is shown to other people; a right-to-left override (U+202E) makes
``invoice\u202efdp.exe`` read as ``invoiceexe.pdf``, and control characters break layouts, logs and
CSV exports. Titles and names are one line, so newlines and tabs are refused there too;
``validate_multiline_text`` allows them for text that has lines.
"""

import re

from django.core.exceptions import ValidationError

CODE = "control_characters"
# Bidi embeddings and overrides (U+202A to U+202E) and isolates (U+2066 to U+2069).
_BIDI = "\u202a-\u202e\u2066-\u2069"
_SINGLE_LINE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}]")
_MULTILINE = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_BIDI}]")


def _refuse(pattern: re.Pattern, value) -> None:
    if isinstance(value, str) and (found := pattern.search(value)):
        raise ValidationError(
            "Remove the invisible control character (U+%(char)04X).",
            code=CODE,
            params={"char": ord(found.group())},
        )


def validate_single_line_text(value) -> None:
    """For titles and names: no control characters (newline and tab included), no bidi overrides."""
    _refuse(_SINGLE_LINE, value)


def validate_multiline_text(value) -> None:
    """For text with lines: newline, carriage return and tab allowed; other controls and bidi not."""
    _refuse(_MULTILINE, value)
