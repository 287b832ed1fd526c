"""Organisations, members, invitations, API keys, the object-permission tables and talent pools, taken
over from ``accounts`` in Django's state only: the tables exist already (0002 renames them)."""

import django.db.models.deletion
import django.db.models.functions.text
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("accounts", "0009_reputation"),
        ("auth", "0012_alter_user_first_name_max_length"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    # Taken over from the accounts app (its 0011 lets go of them): the tables exist, under their
    # accounts_* names until 0002 renames them.

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Organisation",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("name", models.CharField(max_length=120)),
                        ("slug", models.SlugField(max_length=80, unique=True)),
                        ("website", models.URLField(blank=True)),
                        ("client_fee_bp", models.PositiveIntegerField(blank=True, null=True)),
                        ("freelancer_fee_bp", models.PositiveIntegerField(blank=True, null=True)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "created_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "accounts_organisation",
                        "ordering": ["name"],
                        "permissions": [
                            ("manage_owners", "Add, demote or remove owners"),
                            ("manage_members", "Invite members, change their roles, remove them"),
                            ("manage_settings", "Change the organisation's settings"),
                            ("manage_api_keys", "Create and revoke API keys"),
                            ("manage_pool", "Invite freelancers to the talent pool and end memberships"),
                            ("manage_jobs", "Post and edit jobs"),
                            ("make_offers", "Send offers to freelancers"),
                            ("fund_work", "Fund milestones (hiring managers up to the approval threshold)"),
                            ("approve_payments", "Approve payments above the threshold"),
                            ("view_statements", "See statements and spend"),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="OrganisationAPIKey",
                    fields=[
                        (
                            "id",
                            models.CharField(
                                editable=False, max_length=150, primary_key=True, serialize=False, unique=True
                            ),
                        ),
                        ("prefix", models.CharField(editable=False, max_length=8, unique=True)),
                        ("hashed_key", models.CharField(editable=False, max_length=150)),
                        ("created", models.DateTimeField(auto_now_add=True, db_index=True)),
                        (
                            "name",
                            models.CharField(
                                default=None,
                                help_text="A free-form name for the API key. Need not be unique. 50 characters max.",
                                max_length=50,
                            ),
                        ),
                        (
                            "revoked",
                            models.BooleanField(
                                blank=True,
                                default=False,
                                help_text="If the API key is revoked, clients cannot use it anymore. (This cannot be undone.)",
                            ),
                        ),
                        (
                            "expiry_date",
                            models.DateTimeField(
                                blank=True,
                                help_text="Once API key expires, clients cannot use it anymore.",
                                null=True,
                                verbose_name="Expires",
                            ),
                        ),
                        (
                            "created_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "organisation",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="api_keys",
                                to="organisations.organisation",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "organisation API key",
                        "verbose_name_plural": "API keys",
                        "db_table": "accounts_organisationapikey",
                        "ordering": ("-created",),
                        "abstract": False,
                    },
                ),
                migrations.CreateModel(
                    name="TalentPool",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("name", models.CharField(max_length=120)),
                        ("is_default", models.BooleanField(default=False)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "organisation",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="pools",
                                to="organisations.organisation",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "accounts_talentpool",
                        "ordering": ["-is_default", "name"],
                    },
                ),
                migrations.CreateModel(
                    name="PoolMembership",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "email",
                            models.EmailField(
                                blank=True,
                                help_text="The address the inviter typed, lower-cased.",
                                max_length=254,
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("invited", "Invited"),
                                    ("active", "Active"),
                                    ("declined", "Declined"),
                                    ("ended", "Ended"),
                                ],
                                default="invited",
                                max_length=16,
                            ),
                        ),
                        ("message", models.TextField(blank=True, max_length=2000)),
                        ("invited_at", models.DateTimeField(auto_now_add=True)),
                        ("responded_at", models.DateTimeField(blank=True, null=True)),
                        ("ended_at", models.DateTimeField(blank=True, null=True)),
                        ("end_reason", models.TextField(blank=True)),
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
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="pool_memberships",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "invited_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "pool",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="memberships",
                                to="organisations.talentpool",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "accounts_poolmembership",
                        "ordering": ["-invited_at", "-id"],
                    },
                ),
                migrations.CreateModel(
                    name="Membership",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "role",
                            models.CharField(
                                choices=[
                                    ("owner", "Owner"),
                                    ("admin", "Admin"),
                                    ("hiring_manager", "Hiring manager"),
                                    ("finance", "Finance"),
                                    ("viewer", "Viewer"),
                                ],
                                max_length=16,
                            ),
                        ),
                        ("joined_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="memberships",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "organisation",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="memberships",
                                to="organisations.organisation",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "accounts_membership",
                        "ordering": ["joined_at", "id"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("organisation", "user"), name="accounts_membership_once"
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("role__in", ["owner", "admin", "hiring_manager", "finance", "viewer"])
                                ),
                                name="accounts_membership_role_valid",
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="Invitation",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("email", models.EmailField(max_length=254)),
                        (
                            "role",
                            models.CharField(
                                choices=[
                                    ("owner", "Owner"),
                                    ("admin", "Admin"),
                                    ("hiring_manager", "Hiring manager"),
                                    ("finance", "Finance"),
                                    ("viewer", "Viewer"),
                                ],
                                max_length=16,
                            ),
                        ),
                        ("token_hash", models.CharField(max_length=64, unique=True)),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("pending", "Pending"),
                                    ("accepted", "Accepted"),
                                    ("declined", "Declined"),
                                    ("revoked", "Revoked"),
                                ],
                                default="pending",
                                max_length=16,
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("expires_at", models.DateTimeField()),
                        ("responded_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "accepted_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "invited_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "organisation",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="invitations",
                                to="organisations.organisation",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "accounts_invitation",
                        "ordering": ["-created_at"],
                        "constraints": [
                            models.UniqueConstraint(
                                models.F("organisation"),
                                django.db.models.functions.text.Lower("email"),
                                condition=models.Q(("status", "pending")),
                                name="accounts_invitation_one_pending_per_email",
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="OrganisationGroupObjectPermission",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "content_object",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE, to="organisations.organisation"
                            ),
                        ),
                        (
                            "group",
                            models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to="auth.group"),
                        ),
                        (
                            "permission",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE, to="auth.permission"
                            ),
                        ),
                    ],
                    options={
                        "db_table": "accounts_organisationgroupobjectpermission",
                        "abstract": False,
                        "unique_together": {("group", "permission", "content_object")},
                    },
                ),
                migrations.CreateModel(
                    name="OrganisationUserObjectPermission",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "content_object",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE, to="organisations.organisation"
                            ),
                        ),
                        (
                            "permission",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE, to="auth.permission"
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE, to=settings.AUTH_USER_MODEL
                            ),
                        ),
                    ],
                    options={
                        "db_table": "accounts_organisationuserobjectpermission",
                        "abstract": False,
                        "unique_together": {("user", "permission", "content_object")},
                    },
                ),
                migrations.AddConstraint(
                    model_name="talentpool",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(("is_default", True)),
                        fields=("organisation",),
                        name="accounts_pool_one_default",
                    ),
                ),
                migrations.AddIndex(
                    model_name="poolmembership",
                    index=models.Index(
                        fields=["freelancer", "status"], name="accounts_po_freelan_b6e485_idx"
                    ),
                ),
                migrations.AddIndex(
                    model_name="poolmembership",
                    index=models.Index(fields=["email", "status"], name="accounts_po_email_256d16_idx"),
                ),
                migrations.AddConstraint(
                    model_name="poolmembership",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(("status__in", ["invited", "active"])),
                        fields=("pool", "freelancer"),
                        name="accounts_pool_membership_one_live",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="poolmembership",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(
                            ("status__in", ["invited", "active"]), models.Q(("email", ""), _negated=True)
                        ),
                        fields=("pool", "email"),
                        name="accounts_pool_membership_one_live_email",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="poolmembership",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("email", ""), _negated=True),
                            ("freelancer__isnull", False),
                            _connector="OR",
                        ),
                        name="accounts_pool_membership_someone",
                    ),
                ),
            ],
            database_operations=[],
        )
    ]
