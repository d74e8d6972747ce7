from django.apps import AppConfig


class ActionPlanConfig(AppConfig):
    name = "actionplan"
    verbose_name = "Organisations and people"
