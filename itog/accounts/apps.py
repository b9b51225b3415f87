from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "itog.accounts"
    label = "accounts"
    verbose_name = "Пользователи и роли"
