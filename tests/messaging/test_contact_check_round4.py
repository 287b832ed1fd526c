"""The off-platform contact check measured on the round-4 blind fixture (issue 15).

The fixture was written without seeing the detector or the earlier sets (see its docstring). The test
prints a report - detection rate, false-positive rate, per-category counts, and every miss and false
positive - and holds the detector to the issue's targets: detection >= 90 %, false positives <= 5 %.
Run with ``-s`` (or read the failure message) to see the report.
"""

from collections import Counter
from functools import cache

from messaging.contact_check import contact_findings
from tests.messaging.fixtures.contact_messages_round4 import CONTACT_ROUND4, INNOCENT_ROUND4

DETECTION_TARGET = 0.90
FALSE_POSITIVE_LIMIT = 0.05


def _flagged(text: str) -> bool:
    return bool(contact_findings(text))


@cache
def _evaluation() -> tuple[list[tuple[str, str]], list[tuple[str, str]], str]:
    """Run the detector once over both sets; return (misses, false positives, printable report)."""
    misses = [(kind, text) for kind, text in CONTACT_ROUND4 if not _flagged(text)]
    false_positives = [(kind, text) for kind, text in INNOCENT_ROUND4 if _flagged(text)]
    detection = 1 - len(misses) / len(CONTACT_ROUND4)
    fp_rate = len(false_positives) / len(INNOCENT_ROUND4)

    def by_category(rows, failed, *, count_failed):
        total = Counter(kind.split(":", 1)[0] for kind, _ in rows)
        bad = Counter(kind.split(":", 1)[0] for kind, _ in failed)
        shown = {cat: bad[cat] if count_failed else total[cat] - bad[cat] for cat in total}
        return ", ".join(f"{cat} {shown[cat]}/{total[cat]}" for cat in sorted(total))

    lines = [
        "contact check, round-4 blind fixture",
        f"  detection rate:      {detection:6.1%}  ({len(CONTACT_ROUND4) - len(misses)}/{len(CONTACT_ROUND4)}"
        f" flagged; target >= {DETECTION_TARGET:.0%})",
        f"  false-positive rate: {fp_rate:6.1%}  ({len(false_positives)}/{len(INNOCENT_ROUND4)}"
        f" flagged; limit <= {FALSE_POSITIVE_LIMIT:.0%})",
        f"  detected by category:       {by_category(CONTACT_ROUND4, misses, count_failed=False)}",
        f"  false positives by category: {by_category(INNOCENT_ROUND4, false_positives, count_failed=True)}",
        f"  misses ({len(misses)}):",
        *(f"    MISS {kind}: {text!r}" for kind, text in misses),
        f"  false positives ({len(false_positives)}):",
        *(
            f"    FALSE POSITIVE {kind}: {text!r} -> {contact_findings(text)!r}"
            for kind, text in false_positives
        ),
    ]
    return misses, false_positives, "\n".join(lines)


def test_round4_sets_are_large_unique_and_kinded():
    for rows in (CONTACT_ROUND4, INNOCENT_ROUND4):
        assert len(rows) >= 60
        for kind, text in rows:
            category, _, detail = kind.partition(":")
            assert category, kind
            assert detail, kind
            assert text.strip(), kind
    texts = [" ".join(text.split()).casefold() for _, text in CONTACT_ROUND4 + INNOCENT_ROUND4]
    duplicates = [text for text, count in Counter(texts).items() if count > 1]
    assert not duplicates
    kinds = [kind for kind, _ in CONTACT_ROUND4 + INNOCENT_ROUND4]
    assert len(set(kinds)) == len(kinds), [kind for kind, count in Counter(kinds).items() if count > 1]


def test_round4_report():
    _, _, report = _evaluation()
    print()
    print(report)


def test_round4_detection_rate():
    misses, _, report = _evaluation()
    detection = 1 - len(misses) / len(CONTACT_ROUND4)
    print(report)
    assert detection >= DETECTION_TARGET, report


def test_round4_false_positive_rate():
    _, false_positives, report = _evaluation()
    fp_rate = len(false_positives) / len(INNOCENT_ROUND4)
    print(report)
    assert fp_rate <= FALSE_POSITIVE_LIMIT, report
