"""Flask blueprints: parse HTTP, call crm, render the envelope. No business rules here."""
