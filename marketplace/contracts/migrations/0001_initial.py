import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("accounts", "0004_organisation_fee_overrides"),
        ("core", "0003_storedfile"),
        ("escrow", "0002_ledger_guards"),
        ("jobs", "0003_files_in_kernel"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    # Taken over from the jobs app (its 0004 lets go of them): the tables exist, under their jobs_* names.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Contract",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("title", models.CharField(max_length=120)),
                        (
                            "budget_type",
                            models.CharField(
                                choices=[("fixed", "Fixed price"), ("hourly", "Hourly")], max_length=8
                            ),
                        ),
                        ("currency", models.CharField(max_length=3)),
                        ("amount_minor", models.PositiveBigIntegerField()),
                        ("weekly_hour_cap", models.PositiveSmallIntegerField(blank=True, null=True)),
                        ("client_fee_bp", models.PositiveIntegerField()),
                        ("freelancer_fee_bp", models.PositiveIntegerField()),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("active", "Active"),
                                    ("completed", "Completed"),
                                    ("cancelled", "Cancelled"),
                                ],
                                default="active",
                                max_length=12,
                            ),
                        ),
                        ("started_at", models.DateTimeField(auto_now_add=True)),
                        ("ended_at", models.DateTimeField(blank=True, null=True)),
                        ("end_reason", models.TextField(blank=True, max_length=2000)),
                        (
                            "client",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="contracts_as_client",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "ended_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "freelancer",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="contracts_as_freelancer",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "job",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="contracts",
                                to="jobs.job",
                            ),
                        ),
                        (
                            "offer",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="contract",
                                to="jobs.offer",
                            ),
                        ),
                        (
                            "organisation",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="contracts",
                                to="accounts.organisation",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "jobs_contract",
                        "ordering": ["-started_at", "-id"],
                    },
                ),
                migrations.CreateModel(
                    name="Milestone",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("position", models.PositiveSmallIntegerField()),
                        ("title", models.CharField(max_length=120)),
                        ("amount_minor", models.PositiveBigIntegerField()),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("pending", "Awaiting funding"),
                                    ("funded", "Funded"),
                                    ("submitted", "Submitted for approval"),
                                    ("revision", "Changes requested"),
                                    ("approved", "Approved, release waiting"),
                                    ("released", "Paid"),
                                    ("refunded", "Refunded"),
                                    ("cancelled", "Cancelled"),
                                ],
                                default="pending",
                                max_length=16,
                            ),
                        ),
                        ("funded_at", models.DateTimeField(blank=True, null=True)),
                        ("submitted_at", models.DateTimeField(blank=True, null=True)),
                        ("auto_approve_at", models.DateTimeField(blank=True, null=True)),
                        ("approved_at", models.DateTimeField(blank=True, null=True)),
                        ("released_at", models.DateTimeField(blank=True, null=True)),
                        ("refund_due_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "contract",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="milestones",
                                to="contracts.contract",
                            ),
                        ),
                        (
                            "hold",
                            models.OneToOneField(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="milestone",
                                to="escrow.hold",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "jobs_milestone",
                        "ordering": ["contract", "position"],
                    },
                ),
                migrations.CreateModel(
                    name="MilestoneSubmission",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("message", models.TextField(max_length=5000)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("revision_message", models.TextField(blank=True, max_length=5000)),
                        ("revision_requested_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "attachments",
                            models.ManyToManyField(blank=True, related_name="+", to="core.storedfile"),
                        ),
                        (
                            "milestone",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="submissions",
                                to="contracts.milestone",
                            ),
                        ),
                        (
                            "revision_requested_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "submitted_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "jobs_milestonesubmission",
                        "ordering": ["milestone", "created_at", "id"],
                    },
                ),
                migrations.AddIndex(
                    model_name="contract",
                    index=models.Index(
                        fields=["client", "-started_at"], name="jobs_contra_client__52e900_idx"
                    ),
                ),
                migrations.AddIndex(
                    model_name="contract",
                    index=models.Index(
                        fields=["freelancer", "-started_at"], name="jobs_contra_freelan_399205_idx"
                    ),
                ),
                migrations.AddIndex(
                    model_name="milestone",
                    index=models.Index(
                        fields=["status", "auto_approve_at"], name="jobs_milest_status_ccb470_idx"
                    ),
                ),
                migrations.AddIndex(
                    model_name="milestone",
                    index=models.Index(
                        fields=["status", "refund_due_at"], name="jobs_milest_status_7fb37b_idx"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="milestone",
                    constraint=models.UniqueConstraint(
                        fields=("contract", "position"), name="jobs_milestone_position_once"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="milestone",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("amount_minor__gt", 0)), name="jobs_milestone_amount_positive"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="milestone",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("status__in", ["pending", "cancelled"]), ("hold__isnull", False), _connector="OR"
                        ),
                        name="jobs_milestone_money_has_a_hold",
                    ),
                ),
            ],
            database_operations=[],
        )
    ]
