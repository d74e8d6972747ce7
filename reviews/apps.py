from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Reviews"

    def ready(self) -> None:
        # The action and plan pages belong to `actions`, a lower layer: this app adds its sections to them.
        from . import sections

        sections.register()
