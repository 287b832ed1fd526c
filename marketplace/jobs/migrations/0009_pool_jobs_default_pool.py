"""Existing pool-only jobs name their organisation's default pool (the pool whose members saw them
until several pools per organisation arrived)."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def name_default_pools(apps, schema_editor):
    Job = apps.get_model("jobs", "Job")
    TalentPool = apps.get_model("organisations", "TalentPool")
    default = TalentPool.objects.filter(organisation_id=OuterRef("organisation_id"), is_default=True)
    Job.objects.filter(visibility="pool", pool__isnull=True, organisation__isnull=False).update(
        pool=Subquery(default.values("pk")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("jobs", "0008_job_pool"),
        ("organisations", "0003_pool_vetting"),
    ]

    operations = [migrations.RunPython(name_default_pools, migrations.RunPython.noop)]
