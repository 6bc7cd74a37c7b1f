"""Server-time benchmarks of the web app's heaviest pages, run through the full Flask stack
in-process. Outside the app package: they are tools for measuring it, not part of it (the
matching library's own benchmarks are `matching.bench*`)."""
