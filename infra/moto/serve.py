"""moto_server with one request at a time.

moto's backends are not locked: under moto_server's threaded WSGI server two
conditional writes (or two transactions) racing on one item can both pass their
condition, which real DynamoDB never allows. The store tests race writers on purpose
(one version per number, one chat per invitation), so a loaded machine made them
fail at random. This runs the same application as moto_server, with a lock around
each request: connections are still accepted concurrently, requests are applied one
after another, as atomically as DynamoDB applies a conditional write.

    python3 infra/moto/serve.py [-H HOST] [-p PORT]
"""
import argparse
import threading

from werkzeug.serving import run_simple
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app


def serialised(app):
    lock = threading.Lock()

    def handle(environ, start_response):
        with lock:
            # moto answers with a complete body; read it inside the lock so that no
            # part of the request runs outside it.
            return list(app(environ, start_response))

    return handle


def main():
    p = argparse.ArgumentParser()
    p.add_argument("-H", "--host", default="127.0.0.1")
    p.add_argument("-p", "--port", type=int, default=5055)
    a = p.parse_args()
    app = DomainDispatcherApplication(create_backend_app)
    run_simple(a.host, a.port, serialised(app), threaded=True)


if __name__ == "__main__":
    main()
