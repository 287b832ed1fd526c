"""Contracts, milestones and submissions now belong to the ``contracts`` app (its 0001 takes them
over in Django's state). The tables stay where they are, under their ``jobs_*`` names."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("contracts", "0001_initial"),
        ("jobs", "0003_files_in_kernel"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="MilestoneSubmission"),
                migrations.DeleteModel(name="Milestone"),
                migrations.DeleteModel(name="Contract"),
            ],
            database_operations=[],
        )
    ]
