"""Each page's counts of "helpful" and "not helpful", for the admin, `make feedback` and `make report`."""

from dataclasses import dataclass

from django.db.models import Count, Q

from feedback.models import Feedback


@dataclass(frozen=True)
class PageCounts:
    page: str
    helpful: int
    not_helpful: int
    comments: int

    @property
    def answered(self):
        return self.helpful + self.not_helpful

    @property
    def share(self):
        """The share of Yes among Yes and No (None before any answer)."""
        return self.helpful / self.answered if self.answered else None

    @property
    def share_text(self):
        return "-" if self.share is None else f"{self.share:.0%}"


def page_counts(queryset=None):
    """[PageCounts] for every page with feedback in `queryset` (every answer kept by default), by address."""
    queryset = Feedback.objects.kept() if queryset is None else queryset
    rows = (
        queryset.order_by()
        .values("page")
        .annotate(
            # Not named after the fields: an annotation would hide the field in the next filter.
            yes=Count("id", filter=Q(helpful=True)),
            no=Count("id", filter=Q(helpful=False)),
            commented=Count("id", filter=~Q(comment="")),
        )
        .order_by("page")
    )
    return [PageCounts(row["page"], row["yes"], row["no"], row["commented"]) for row in rows]
