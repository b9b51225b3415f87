"""The application's place of registration becomes required once 0013 filled it (a migration of its own: on
PostgreSQL the fill's deferred foreign-key checks must be done before the column is altered)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("exams", "0013_application_registration_org")]

    operations = [
        migrations.AlterField(
            model_name="application",
            name="registration_org",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="orgs.organization",
                verbose_name="место регистрации",
            ),
        ),
    ]
