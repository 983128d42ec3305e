"""Route modules, one per area of the web app."""
