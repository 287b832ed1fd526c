"""A client scorecard's ``organisation`` points at ``organisations.Organisation``, the model having
moved there: in Django's state only; the column and its constraint stay as they are."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0009_reputation"),
        ("organisations", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="clientscorecard",
                    name="organisation",
                    field=models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="client_scorecard",
                        to="organisations.organisation",
                    ),
                ),
            ],
            database_operations=[],
        )
    ]
