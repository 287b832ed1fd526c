"""Rows that name these models by their app label follow them from ``jobs`` to ``contracts``: the
content types (and so their permissions) and the state-change and audit rows' ``target_type``."""

from django.db import migrations

MODELS = ("contract", "milestone", "milestonesubmission")


def relabel(apps, schema_editor, *, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if ContentType.objects.filter(app_label=new, model=model).exists():
            ContentType.objects.filter(app_label=old, model=model).delete()
        else:
            ContentType.objects.filter(app_label=old, model=model).update(app_label=new)
    for name in ("StatusChange", "AuditEntry"):
        rows = apps.get_model("core", name).objects
        for model in MODELS:
            rows.filter(target_type=f"{old}.{model}").update(target_type=f"{new}.{model}")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("contracts", "0001_initial"),
        ("core", "0003_storedfile"),
        ("jobs", "0004_contracts_move_out"),
    ]

    operations = [
        migrations.RunPython(
            lambda apps, editor: relabel(apps, editor, old="jobs", new="contracts"),
            lambda apps, editor: relabel(apps, editor, old="contracts", new="jobs"),
        )
    ]
