"""Domain events of hourly billing; higher apps (messaging: live updates, notifications) receive them.

Sent inside the writer's transaction (a receiver stores its work in it or queues it on commit), so
nothing is announced for a write that rolled back.
"""

from django.dispatch import Signal

# Time on a contract changed: contract=, timesheet=, action= ("logged", "edited", "deleted",
# "timer_started", "timer_stopped"), actor=.
time_changed = Signal()
