"""Staff surveys and self-assessments in the store: importing, saving, culture over time."""
