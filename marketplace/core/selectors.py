from .models import Heartbeat

RECENT_HEARTBEATS = 10


def heartbeats_recent() -> list[Heartbeat]:
    return list(Heartbeat.objects.order_by("-received_at")[:RECENT_HEARTBEATS])
