"""The participant's place of registration copied onto each application (the region's counts and scope read
the applications alone): added empty, filled from the participants (the history rows too), then required."""

import django.db.models.deletion
from django.db import migrations, models

FILL = """
UPDATE {table} SET registration_org_id = (
    SELECT p.registration_org_id FROM exams_participant p WHERE p.id = {table}.participant_id
) WHERE registration_org_id IS NULL
"""


class Migration(migrations.Migration):
    dependencies = [
        ("exams", "0012_participant_personal_data_removed_on"),
        ("orgs", "0004_room_audio_equipped"),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="registration_org",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="orgs.organization",
                verbose_name="место регистрации",
            ),
        ),
        migrations.AddField(
            model_name="historicalapplication",
            name="registration_org",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="orgs.organization",
                verbose_name="место регистрации",
            ),
        ),
        migrations.RunSQL(FILL.format(table="exams_application"), migrations.RunSQL.noop),
        migrations.RunSQL(FILL.format(table="exams_historicalapplication"), migrations.RunSQL.noop),
    ]
