from django.apps import AppConfig


class StatementsConfig(AppConfig):
    name = "marketplace.statements"
    label = "statements"
    verbose_name = "Statements"
