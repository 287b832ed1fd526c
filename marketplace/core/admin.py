from django.contrib import admin

from .models import Heartbeat, StoredFile


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    list_display = ["source", "sent_at", "received_at", "worker"]
    list_filter = ["source"]
    date_hierarchy = "received_at"


@admin.register(StoredFile)
class StoredFileAdmin(admin.ModelAdmin):
    list_display = ["original_name", "owner_kind", "content_type", "size", "uploaded_by", "created_at"]
    list_filter = ["owner_kind"]
    raw_id_fields = ["uploaded_by"]
