"""Domain events of organisations, sent after commit; higher apps (jobs, messaging) receive them.

Moves of a pool membership or an override are announced by ``core.transitions.status_changed``
(sender = the model); these name the ones other apps act on, and the things that are not moves."""

from django.dispatch import Signal

# organisation_id=, user_id= — a member joined, left, was removed, or their role changed: what they
# may read and do for the organisation changed with it.
membership_changed = Signal()

# membership_id= — someone was invited to a pool (the worker is told if the invitation names them).
pool_member_invited = Signal()

# membership_id=, pool_id=, worker_id=, reason= — a pool member was suspended / removed (by a
# manager or by the rules): jobs withdraws their open offers on that pool's jobs. Relayed from
# ``status_changed`` by ``receivers``, so every path that moves a membership sends them.
pool_membership_suspended = Signal()
pool_membership_removed = Signal()

# membership_id=, reason= — the pool's "flag" expiry action marked an active member.
pool_member_flagged = Signal()

# membership_id=, subject=, days_before=, days_left=, ends_on= (date), what= (text) — a reminder
# before a passing credential or a granted override lapses (``services.expiry``), sent once.
pool_expiry_reminder = Signal()

# override_id= — a worker asked for an override (of the pool or of one job).
pool_override_requested = Signal()

# credential_id= — a worker uploaded a credential for an organisation (its reviewers are told).
pool_credential_uploaded = Signal()
