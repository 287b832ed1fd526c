"""Held-out measurement of the off-platform contact check.

The detector's own fixture was written by the detector's author while tuning it, so its score is not
independent. This set was written blind (see the fixture's docstring) and gives the honest estimate:
detection rate on disguised contacts and false-positive rate on innocent messages, with every miss
and every false positive printed (run pytest with -s to see them).
"""

from collections import Counter

from messaging.contact_check import contact_findings
from tests.messaging.fixtures.contact_messages_heldout import BORDERLINE, CONTACT, INNOCENT

DETECTION_TARGET = 0.90
FALSE_POSITIVE_LIMIT = 0.05


def _category(kind: str) -> str:
    return kind.split(":", 1)[0]


def _per_category(entries, flagged_texts) -> str:
    totals = Counter(_category(kind) for kind, _ in entries)
    hits = Counter(_category(kind) for kind, text in entries if text in flagged_texts)
    return ", ".join(f"{name} {hits[name]}/{totals[name]}" for name in sorted(totals))


def test_heldout_set_is_large_and_unambiguous():
    texts = [text for _, text in CONTACT + INNOCENT + BORDERLINE]
    assert len(CONTACT) >= 70
    assert len(INNOCENT) >= 70
    assert len(texts) == len(set(texts)), "a message appears twice or in two classes"
    assert all(":" in kind for kind, _ in CONTACT + INNOCENT + BORDERLINE)


def test_heldout_detection_and_false_positive_rates():
    flagged = {text for _, text in CONTACT + INNOCENT + BORDERLINE if contact_findings(text)}
    misses = [(kind, text) for kind, text in CONTACT if text not in flagged]
    false_positives = [(kind, text, contact_findings(text)) for kind, text in INNOCENT if text in flagged]
    detection = 1 - len(misses) / len(CONTACT)
    false_positive_rate = len(false_positives) / len(INNOCENT)

    print(f"\nheld-out detection: {len(CONTACT) - len(misses)}/{len(CONTACT)} = {detection:.1%}")
    print(f"  per category: {_per_category(CONTACT, flagged)}")
    for kind, text in misses:
        print(f"  MISS [{kind}] {text!r}")
    print(f"held-out false positives: {len(false_positives)}/{len(INNOCENT)} = {false_positive_rate:.1%}")
    print(f"  per category: {_per_category(INNOCENT, flagged)}")
    for kind, text, findings in false_positives:
        print(f"  FALSE POSITIVE [{kind}] {text!r} -> {findings}")
    print("borderline (not scored):")
    for kind, text in BORDERLINE:
        print(f"  {'flagged' if text in flagged else 'passed '} [{kind}] {text!r}")

    summary = (
        f"detection {detection:.1%} (target >= {DETECTION_TARGET:.0%}), "
        f"false positives {false_positive_rate:.1%} (limit <= {FALSE_POSITIVE_LIMIT:.0%})"
    )
    assert detection >= DETECTION_TARGET, summary
    assert false_positive_rate <= FALSE_POSITIVE_LIMIT, summary
