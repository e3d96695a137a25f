import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

COMMENT_MAX_CHARS = 1000


def today():
    return timezone.localdate()


def kept_since():
    """The first date an answer is kept for (the privacy page's promise): older ones are deleted."""
    return today() - datetime.timedelta(days=settings.FEEDBACK_RETENTION_DAYS)


class FeedbackQuerySet(models.QuerySet):
    def kept(self):
        """The answers still within their keeping time. Older ones are deleted by the daily purge_feedback;
        until it has run (or where nothing runs it, as on a laptop) nothing shows them (helper-55)."""
        return self.filter(created__gte=kept_since())


class Feedback(models.Model):
    """One answer to "Was this page helpful?": all that is kept (the privacy page says so).

    No address, browser, time of day or anything else that could tie an answer to a
    person: the date alone. The server's access log does record the post and its thank-you
    page (the page, the time, the address), and the ids follow the order of the posts, so
    whoever holds both could match them: the privacy page says so.
    """

    # Any length: an answer is only taken for a published page, and publishing sets no limit on an address
    # (PostgreSQL refused a 225-character one in a 200-character field, and the patient got a 500).
    page = models.TextField(db_index=True, help_text="The address of the page the answer is about.")
    helpful = models.BooleanField(null=True, help_text="Yes, No, or not answered (a problem reported alone).")
    comment = models.TextField(blank=True, max_length=COMMENT_MAX_CHARS)
    created = models.DateField("date", default=today, db_index=True)

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        verbose_name = "feedback"
        verbose_name_plural = "feedback"
        ordering = ["-created", "-id"]

    def __str__(self):
        answer = {True: "helpful", False: "not helpful", None: "no answer"}[self.helpful]
        return f"{self.page}: {answer} ({self.created:%d %b %Y})"


class RateBucket(models.Model):
    """How many posts one client made in one minute, under a keyed hash (feedback/ratelimit.py).

    The key is random, made when the server starts and never written down, so the
    hash cannot be turned back into an address; a row lives at most two minutes.
    """

    bucket = models.CharField(max_length=80, primary_key=True)  # "<minute>:<hash>"
    minute = models.BigIntegerField(db_index=True)
    count = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.count} posts in minute {self.minute}"
