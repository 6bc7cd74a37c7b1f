"""gunicorn's settings for Tandem, read from the working directory by `gunicorn "webapp:create_app()"`.

The app is preloaded: the master creates it and loads the model and the skills taxonomy once
(`preload`, with the ONNX embedder: its single-threaded session survives a fork, torch's thread
pools don't), then forks the workers, which share those pages. Each worker maps the saved FAISS
files read-only, so the page cache holds one copy for all of them, and keeps its own small delta
in step through the change sequence in the database. The environment can change the few
settings that vary."""

import os

from gunicorn.glogging import Logger

# Workers already fill the cores: torch and FAISS starting a thread per core in each of them
# would only make them fight (set before any worker imports them).
os.environ.setdefault("OMP_NUM_THREADS", "1")

bind = os.environ.get("TANDEM_BIND", "0.0.0.0:8000")
# Ranking is Python work that holds the GIL, so processes, not threads, carry the load: two per
# core with two threads each kept match pages' p95 under load lowest (README, "Load test").
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * (os.cpu_count() or 1))
worker_class = "gthread"
threads = int(os.environ.get("TANDEM_THREADS", "2"))
timeout = 60  # a worker's first ranking may wait for the model to load
graceful_timeout = 30
# Longer than any client or load balancer keeps an idle connection (browsers ~60 s, most load
# balancers 60 s): otherwise a request sent as the server closes the connection is reset.
keepalive = 75
# gunicorn's access log would print check-in tokens from URLs: Tandem writes its own access line.
accesslog = None
errorlog = "-"


class StructuredLogger(Logger):
    """gunicorn's own messages in Tandem's format, with the same masking."""

    def setup(self, cfg):
        super().setup(cfg)
        from webapp.logs import RequestContext, formatter_for

        for handler in (*self.error_log.handlers, *self.access_log.handlers):
            handler.setFormatter(formatter_for(os.environ.get("TANDEM_LOG_FORMAT", "logfmt")))
            handler.addFilter(RequestContext())


logger_class = StructuredLogger


preload_app = True


def when_ready(server):
    """In the master, once the app is loaded and before any worker is forked."""
    from webapp.search.readiness import preload

    app = server.app.wsgi()
    if preload(app):
        server.log.info("model and taxonomy loaded once in the master; workers share them")


def post_worker_init(worker):
    """Load the model and the indexes while the worker starts serving, not on a user's request."""
    from webapp.search.readiness import warm_up_in_background

    warm_up_in_background(worker.wsgi)
