from django.conf import settings
from django.core.management.base import BaseCommand

EMAIL_BACKENDS = {
    "django.core.mail.backends.filebased.EmailBackend": lambda: f"written as files into {settings.EMAIL_FILE_PATH}/",
    "django.core.mail.backends.console.EmailBackend": lambda: "printed on this console",
    "django.core.mail.backends.smtp.EmailBackend": lambda: f"sent through {settings.EMAIL_HOST}:{settings.EMAIL_PORT}",
    "django.core.mail.backends.locmem.EmailBackend": lambda: "kept in memory (not sent)",
    "django.core.mail.backends.dummy.EmailBackend": lambda: "thrown away",
}
TEXT_BACKENDS = {
    "file": lambda: f"written as files into {settings.MESSAGES_DIR / 'texts'}/",
    "console": lambda: "printed on this console",
    "notify": lambda: "sent through GOV.UK Notify",
}


class Command(BaseCommand):
    help = "Say where the service's emails and text messages go (EMAIL_URL, SMS_BACKEND)."

    def handle(self, *args, **options):
        email = EMAIL_BACKENDS.get(settings.EMAIL_BACKEND, lambda: f"sent by {settings.EMAIL_BACKEND}")()
        self.stdout.write(f"Emails are {email}; text messages are {TEXT_BACKENDS[settings.SMS_BACKEND]()}.")
