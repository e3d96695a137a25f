"""The whole site as a visitor meets it: in Chromium, the HTML checker, and a crawl."""
