"""Domain events of organisations, sent after commit; higher apps (conversations) receive them."""

from django.dispatch import Signal

# organisation_id=, user_id= — a member joined, left, was removed, or their role changed: what they
# may read and do for the organisation changed with it.
membership_changed = Signal()
