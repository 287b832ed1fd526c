"""Files move to the kernel (``core.StoredFile``); each owner links to its files from its own side.

Every ``jobs.Attachment`` row becomes a ``StoredFile`` with the same id (download URLs keep
working) and the same stored path, linked from its job, proposal or milestone submission; then
the old table goes. Milestone submissions are still in this app's state here; the next migration
hands them to ``contracts``, with the link table they get now. A file has one owner: each link
table allows a file once (a unique index the models do not declare). Rolling back copies the
files and their owners back into ``jobs_attachment``, ids kept, so going forward again finds them.
"""

from django.core.management.color import no_style
from django.db import migrations, models

# (link table, its owner column, the owner's column in jobs_attachment)
LINKS = (
    ("jobs_job_attachments", "job_id", "job_id"),
    ("jobs_proposal_attachments", "proposal_id", "proposal_id"),
    ("jobs_milestonesubmission_attachments", "milestonesubmission_id", "submission_id"),
)


def attachments_to_stored_files(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO core_storedfile "
            "(id, owner_kind, file, original_name, content_type, size, uploaded_by_id, created_at) "
            "SELECT id, CASE WHEN job_id IS NOT NULL THEN 'jobs.job' "
            "WHEN proposal_id IS NOT NULL THEN 'jobs.proposal' ELSE 'contracts.milestonesubmission' END, "
            "file, original_name, content_type, size, uploaded_by_id, created_at FROM jobs_attachment"
        )
        for table, column, source in LINKS:
            cursor.execute(
                f"INSERT INTO {table} ({column}, storedfile_id) "  # noqa: S608 - names are constants
                f"SELECT {source}, id FROM jobs_attachment WHERE {source} IS NOT NULL"
            )
        # Rows were inserted with their ids: move the id sequence past them (PostgreSQL).
        for statement in connection.ops.sequence_reset_sql(
            no_style(), [apps.get_model("core", "StoredFile")]
        ):
            cursor.execute(statement)


def stored_files_to_attachments(apps, schema_editor):
    """The way back: the recreated ``jobs_attachment`` gets every linked file again, with its owner."""
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO jobs_attachment "
            "(id, job_id, proposal_id, submission_id, file, original_name, content_type, size, "
            "uploaded_by_id, created_at) "
            "SELECT f.id, j.job_id, p.proposal_id, s.milestonesubmission_id, f.file, f.original_name, "
            "f.content_type, f.size, f.uploaded_by_id, f.created_at FROM core_storedfile f "
            "LEFT JOIN jobs_job_attachments j ON j.storedfile_id = f.id "
            "LEFT JOIN jobs_proposal_attachments p ON p.storedfile_id = f.id "
            "LEFT JOIN jobs_milestonesubmission_attachments s ON s.storedfile_id = f.id "
            "WHERE j.job_id IS NOT NULL OR p.proposal_id IS NOT NULL OR s.milestonesubmission_id IS NOT NULL"
        )
        copied = "SELECT id FROM jobs_attachment"
        for table, _column, _source in LINKS:
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - names are constants
        cursor.execute(f"DELETE FROM core_storedfile WHERE id IN ({copied})")  # noqa: S608
        for statement in connection.ops.sequence_reset_sql(
            no_style(), [apps.get_model("jobs", "Attachment")]
        ):
            cursor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_storedfile"),
        ("jobs", "0002_milestone_money"),
    ]

    operations = [
        migrations.AddField(
            model_name="job",
            name="attachments",
            field=models.ManyToManyField(blank=True, related_name="+", to="core.storedfile"),
        ),
        migrations.AddField(
            model_name="proposal",
            name="attachments",
            field=models.ManyToManyField(blank=True, related_name="+", to="core.storedfile"),
        ),
        migrations.AddField(
            model_name="milestonesubmission",
            name="attachments",
            field=models.ManyToManyField(blank=True, related_name="+", to="core.storedfile"),
        ),
        *(
            migrations.RunSQL(
                f"CREATE UNIQUE INDEX {table}_one_owner ON {table} (storedfile_id)",
                f"DROP INDEX {table}_one_owner",
            )
            for table, _column, _source in LINKS
        ),
        migrations.RunPython(attachments_to_stored_files, stored_files_to_attachments),
        migrations.DeleteModel(name="Attachment"),
    ]
