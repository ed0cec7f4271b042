"""Publication-ready figures and tables from pooled results."""
