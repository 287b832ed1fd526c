"""A contract's ``organisation`` foreign key points at ``organisations.Organisation``, the model having moved there
from ``accounts``: in Django's state only; the column and its constraint stay as they are."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("contracts", "0004_contract_cancel_reason"),
        ("organisations", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="contract",
                    name="organisation",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="contracts",
                        to="organisations.organisation",
                    ),
                ),
            ],
            database_operations=[],
        )
    ]
