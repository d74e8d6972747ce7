from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Reviews"

    def ready(self) -> None:
        # The action and plan pages belong to `actions`, a lower layer: this app adds its sections to them, and
        # puts the board's decisions on each action's timeline.
        from . import sections, timeline  # noqa: F401

        sections.register()
