"""Evidence importers: readers for each file format, validation, redaction and rejects."""
