"""Domain events of jobs, sent after commit; higher apps (notifications) receive them.

State changes of jobs, invitations, proposals and offers are announced by
``marketplace.core.transitions.status_changed`` (sender = the model); these signals announce the
things that are created rather than moved. Each is sent with the new row's id as a keyword.
"""

from django.dispatch import Signal

# job_invitation_id=
job_invitation_sent = Signal()
# proposal_id=
proposal_submitted = Signal()
# offer_id=
offer_sent = Signal()
# job_id=
job_expiring_soon = Signal()
