from django.contrib import admin

from .models import Heartbeat


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    list_display = ["source", "sent_at", "received_at", "worker"]
    list_filter = ["source"]
    date_hierarchy = "received_at"
