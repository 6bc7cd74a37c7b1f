"""The load test: `make loadtest` (see README, "Load test"). prepare.py sets up a scratch
PostgreSQL database, locustfile.py is what the simulated users do, run.py starts gunicorn,
drives Locust headless on loopback for a bounded time and prints the figures."""
