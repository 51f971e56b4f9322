from django.apps import AppConfig


class FrontdoorConfig(AppConfig):
    name = "frontdoor"
    verbose_name = "Request for support (public)"
