"""Work.code becomes a foreign key to the issued code record (exams.WorkCode), so a reissued code can no
longer leave a work with a stale copy of the text.

1. Data: every work points at its application's current (not voided) code — works whose copied text went
   stale when a spoiled blank was reissued are repaired here.
2. Schema: the field is renamed ``work_code`` and turned into a one-to-one key to ``WorkCode.code``; the
   column keeps its name and its text (``db_column="code"``), so no row is rewritten. ``Work.code`` stays
   readable as a property (the text, no query).
"""

import django.db.models.deletion
from django.db import migrations, models


def follow_reissued_codes(apps, schema_editor):
    Work = apps.get_model("conduct", "Work")
    WorkCode = apps.get_model("exams", "WorkCode")
    current = dict(WorkCode.objects.filter(voided_at__isnull=True).values_list("application_id", "code"))
    known = set(WorkCode.objects.values_list("code", flat=True))
    for pk, application_id, code in Work.objects.values_list("pk", "application_id", "code").iterator():
        new = current.get(application_id)
        if new and new != code:
            Work.objects.filter(pk=pk).update(code=new)
        elif code not in known:
            raise RuntimeError(f"work {pk}: code {code} was never issued and the application has no current code")


class Migration(migrations.Migration):
    dependencies = [
        ("conduct", "0002_historicalwork_scan_verified_at_and_more"),
        ("exams", "0006_commissionmember_capacity_per_day_and_more"),
    ]

    operations = [
        migrations.RunPython(follow_reissued_codes, migrations.RunPython.noop),
        migrations.RenameField(model_name="work", old_name="code", new_name="work_code"),
        migrations.RenameField(model_name="historicalwork", old_name="code", new_name="work_code"),
        migrations.AlterField(
            model_name="work",
            name="work_code",
            field=models.OneToOneField(
                db_column="code",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="work",
                to="exams.workcode",
                to_field="code",
                verbose_name="код работы",
            ),
        ),
        migrations.AlterField(
            model_name="historicalwork",
            name="work_code",
            field=models.ForeignKey(
                blank=True,
                db_column="code",
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="exams.workcode",
                to_field="code",
                verbose_name="код работы",
            ),
        ),
        migrations.AlterModelOptions(name="work", options={"ordering": ["work_code_id"]}),
    ]
