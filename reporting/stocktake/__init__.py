"""The annual stocktake: its content as at a moment (from history), its PDF, its open data.

snapshot     the framework as recorded at a moment, read from django-simple-history
suppression  small numbers in breakdowns, never shown publicly
content      what the stocktake says: the one context for the HTML page and the PDF
pdf          the PDF, rendered by WeasyPrint (only ever in the background task)
opendata     the CSV files and their data dictionary
services     starting, rendering, publishing, and starting the next year
"""
