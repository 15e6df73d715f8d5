"""gunicorn settings for the Procfile and `quizapp up`.

gthread workers: pages are short CPU work plus database waits; threads keep
waits from blocking a 2-core machine (bench/web.py measures the choice).
$PORT and $WEB_CONCURRENCY are honoured by gunicorn itself.
"""

import os

worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
