"""The ``organisation`` foreign keys of jobs, job templates and offers point at ``organisations.Organisation``, the model having moved there
from ``accounts``: in Django's state only; the column and its constraint stay as they are."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("jobs", "0006_invitation_withdrawn"),
        ("organisations", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="job",
                    name="organisation",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="jobs",
                        to="organisations.organisation",
                    ),
                ),
                migrations.AlterField(
                    model_name="jobtemplate",
                    name="organisation",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="job_templates",
                        to="organisations.organisation",
                    ),
                ),
                migrations.AlterField(
                    model_name="offer",
                    name="organisation",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="offers",
                        to="organisations.organisation",
                    ),
                ),
            ],
            database_operations=[],
        )
    ]
