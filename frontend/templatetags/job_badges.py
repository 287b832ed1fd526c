"""Status badges and state checks for job, proposal, offer and contract templates.

``{{ job.status|tone }}`` → the badge modifier for a status; ``{% if proposal|can_move:"shortlisted" %}``
→ whether the model's transition table allows that move from the current status (pages use it
only to show or hide a control; the services decide)."""

from django import template

register = template.Library()

TONES = {
    "success": {
        "open",
        "active",
        "accepted",
        "hired",
        "completed",
        "shortlisted",
        "proposed",
        "released",
        "funded",
    },
    "info": {"draft", "sent", "submitted", "offered", "approved"},
    "warning": {"expired", "cancelled", "revision", "refunded"},
    "error": {"declined"},
}
TONE_OF = {status: tone for tone, statuses in TONES.items() for status in statuses}


@register.filter
def tone(status: str) -> str:
    """``badge--<tone>`` for a status; neutral (no modifier) for closed, archived, withdrawn…"""
    found = TONE_OF.get(status)
    return f"badge--{found}" if found else ""


@register.filter
def can_move(obj, to: str) -> bool:
    return to in type(obj).TRANSITIONS.get(obj.status, ())


@register.filter
def short_label(label: str) -> str:
    """A choice label's first part: “Invite-only — only freelancers you invite” → “Invite-only”."""
    return str(label).split(" — ", 1)[0]
