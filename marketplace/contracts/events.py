"""Domain events of contracts, sent after commit; higher apps (notifications) receive them.

State changes of contracts and milestones are announced by ``marketplace.core.transitions.
status_changed`` (sender = the model); these signals announce what is created rather than moved.
"""

from django.dispatch import Signal

# contract_id=
contract_started = Signal()
