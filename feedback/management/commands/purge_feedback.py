from django.core.management.base import BaseCommand

from feedback import ratelimit
from feedback.models import Feedback, kept_since


class Command(BaseCommand):
    # It deletes old answers whatever the content holds: a half-finished edit must not keep them longer.
    requires_system_checks = []
    help = (
        "Delete feedback older than FEEDBACK_RETENTION_DAYS (what the privacy page promises). "
        "Run it daily (cron or a systemd timer)."
    )

    def handle(self, *args, **options):
        cutoff = kept_since()
        deleted, _ = Feedback.objects.filter(created__lt=cutoff).delete()
        self.stdout.write(f"Deleted {deleted} answer{'s' if deleted != 1 else ''} from before {cutoff:%d %B %Y}.")
        # The rate limit's counts of minutes gone by: each post clears them, and this clears those of the
        # last minutes before the posts stopped, which had stayed (with their minute) until the next post.
        ratelimit.forget_past_minutes()
