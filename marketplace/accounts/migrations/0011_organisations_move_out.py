"""Organisations, members, invitations, API keys, the object-permission tables and talent pools now
belong to the ``organisations`` app (its 0001 takes them over in Django's state, its 0002 renames the
tables). Every foreign key to them from another app has been repointed first."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0010_scorecard_organisation_moved"),
        ("contracts", "0005_organisation_moved"),
        ("jobs", "0007_organisation_moved"),
        ("organisations", "0001_initial"),
        ("reviews", "0002_organisation_moved"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="OrganisationUserObjectPermission"),
                migrations.DeleteModel(name="OrganisationGroupObjectPermission"),
                migrations.DeleteModel(name="OrganisationAPIKey"),
                migrations.DeleteModel(name="Invitation"),
                migrations.DeleteModel(name="Membership"),
                migrations.DeleteModel(name="PoolMembership"),
                migrations.DeleteModel(name="TalentPool"),
                migrations.DeleteModel(name="Organisation"),
            ],
            database_operations=[],
        )
    ]
