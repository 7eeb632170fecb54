"""The emulated Zoho domain: plain Python that takes an Org and returns data or raises ZohoError."""
