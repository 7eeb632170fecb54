"""The sandbox dashboard: HTML pages at `/` and `/sandbox/...` over mockcrm's own HTTP API.

The pages are server-rendered skeletons; their data comes from the browser calling the public
API (`/crm/v8/...`) and the admin API (`/__admin/...`) with fetch(), never from Python
shortcuts, so the demo shows exactly what clients get. Every other path keeps answering Zoho's
JSON 404."""

from mockcrm.sandbox.views import bp, is_dashboard_path

__all__ = ["bp", "is_dashboard_path"]
