"""Reading study PDFs, screening them and extracting outcome fields with provenance."""
