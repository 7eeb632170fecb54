"""Machinery that knows nothing of Zoho resources: errors, ids, clock, store, auth, pagination."""
