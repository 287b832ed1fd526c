"""The tables take this app's names (``accounts_organisation`` becomes ``organisations_organisation``,
and so on; constraint and index names keep their ``accounts_`` prefix), and the rows that name these
models by app label follow them from ``accounts``: the content types — and so the permissions, the
object-permission grants and admin log entries hanging off them — and the state-change and audit
rows' ``target_type``.

A content type already under ``organisations`` can only be a stale one, made by a ``migrate`` that
stopped between 0001 and this migration; what hangs off it is moved onto the real one, then it goes.
"""

from django.db import migrations
from django.db.models import Exists, OuterRef

MODELS = (
    "organisation",
    "membership",
    "invitation",
    "organisationapikey",
    "organisationuserobjectpermission",
    "organisationgroupobjectpermission",
    "talentpool",
    "poolmembership",
)
GRANTS = {"OrganisationUserObjectPermission": "user", "OrganisationGroupObjectPermission": "group"}


def _merge_stale(apps, stale, kept) -> None:
    """Move the permissions, grants and admin log entries of ``stale`` onto ``kept``; drop ``stale``."""
    Permission = apps.get_model("auth", "Permission")
    for permission in Permission.objects.filter(content_type=stale):
        twin = Permission.objects.filter(content_type=kept, codename=permission.codename).first()
        if twin is None:
            permission.content_type = kept
            permission.save(update_fields=["content_type"])
            continue
        for name, holder in GRANTS.items():
            grants = apps.get_model("organisations", name).objects
            already = grants.filter(
                permission=twin, content_object=OuterRef("content_object"), **{holder: OuterRef(holder)}
            )
            grants.filter(permission=permission).exclude(Exists(already)).update(permission=twin)
    apps.get_model("admin", "LogEntry").objects.filter(content_type=stale).update(content_type=kept)
    stale.delete()


def relabel(apps, schema_editor, *, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        current = ContentType.objects.filter(app_label=old, model=model).first()
        if current is None:
            continue
        stale = ContentType.objects.filter(app_label=new, model=model).first()
        if stale is not None:
            _merge_stale(apps, stale, current)
        current.app_label = new
        current.save(update_fields=["app_label"])
    for name in ("StatusChange", "AuditEntry"):
        rows = apps.get_model("core", name).objects
        for model in MODELS:
            rows.filter(target_type=f"{old}.{model}").update(target_type=f"{new}.{model}")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0011_organisations_move_out"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0003_storedfile"),
        ("organisations", "0001_initial"),
    ]

    operations = [
        *(migrations.AlterModelTable(name=model, table=None) for model in MODELS),
        migrations.RunPython(
            lambda apps, editor: relabel(apps, editor, old="accounts", new="organisations"),
            lambda apps, editor: relabel(apps, editor, old="organisations", new="accounts"),
        ),
    ]
