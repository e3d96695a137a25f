"""Patients' feedback: "Was this page helpful?" and "Report a problem", read by editors in the admin.

The only input the public site takes. The form is part of each published page;
its answers (the thank-you page, each refusal) are rendered at publish time too
(articles.publish.site.feedback_answers), so this app only checks, stores and counts.
Nothing on the serving path imports it: ReleaseMiddleware hands it /feedback/ alone.
"""
