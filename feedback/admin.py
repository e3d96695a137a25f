"""The editors' view of feedback: read, filter, count, export; never edit what a patient wrote."""

import csv

from django.contrib import admin
from django.contrib.admin.views.main import ERROR_FLAG
from django.http import HttpResponse, HttpResponseRedirect
from django.utils import timezone

from feedback.models import Feedback
from feedback.summary import page_counts

# A spreadsheet runs a cell that starts with one of these as a formula ("CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """The cell as text a spreadsheet shows and never runs: a leading ' before a formula character."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


@admin.action(description="Export the selected feedback as CSV")
def export_csv(modeladmin, request, queryset):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="feedback-{timezone.localdate():%Y-%m-%d}.csv"'
    writer = csv.writer(response)
    writer.writerow(["date", "page", "helpful", "comment"])
    for item in queryset.order_by("created", "id"):
        helpful = {True: "yes", False: "no", None: ""}[item.helpful]
        writer.writerow([spreadsheet_safe(value) for value in (item.created, item.page, helpful, item.comment)])
    return response


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    # The comment is shown as text: Django escapes every field in the list and the form.
    list_display = ["created", "page", "helpful", "comment"]
    list_filter = ["page", ("created", admin.DateFieldListFilter), "helpful"]
    date_hierarchy = "created"
    search_fields = ["comment"]
    actions = [export_csv]
    readonly_fields = ["page", "helpful", "comment", "created"]
    list_per_page = 50

    def get_queryset(self, request):
        return super().get_queryset(request).kept()  # none past the keeping time, purged or not yet

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        # What Django's list cannot take becomes its own "?e=1" (lookup error) page, not a 500: a year past
        # 9999 (OverflowError), a NUL or a regular expression, which PostgreSQL refuses in a query (helpers 55, 57).
        lookup_error = HttpResponseRedirect(f"{request.path}?{ERROR_FLAG}=1")
        nul = any("\x00" in value for _, values in request.GET.lists() for value in values)
        if nul or any(name.endswith(("__regex", "__iregex")) for name in request.GET):
            return lookup_error
        try:
            response = super().changelist_view(request, extra_context)
        except OverflowError:
            return lookup_error
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            # Each page's counts, for what the filters select.
            response.context_data["page_counts"] = page_counts(changelist.queryset)
        return response
