"""Run the fake Stripe server:

``python -m escrow.fake_stripe --host 127.0.0.1 --port 12111 [--webhook-url URL --webhook-secret whsec_]
[--state FILE.json]``
"""

import argparse
import logging
import signal
import sys
from pathlib import Path

from escrow.fake_stripe.events import new_secret
from escrow.fake_stripe.server import make_server


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m escrow.fake_stripe", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=12111)
    parser.add_argument("--webhook-url", help="deliver every event to this URL (like `stripe listen`)")
    parser.add_argument("--webhook-secret", help="its signing secret (whsec_...); one is made up if omitted")
    parser.add_argument(
        "--state", type=Path, help="keep the fake's objects in this JSON file across restarts"
    )
    parser.add_argument("--quiet", action="store_true", help="do not log each request")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    secret = args.webhook_secret
    if args.webhook_url and not secret:
        secret = new_secret()
        print(f"webhook signing secret: {secret}", file=sys.stderr, flush=True)
    server = make_server(
        args.host, args.port, webhook_url=args.webhook_url, webhook_secret=secret, state_path=args.state
    )
    if args.quiet:
        server.RequestHandlerClass.log_message = lambda *args: None  # type: ignore[method-assign]
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    host, port = server.server_address[:2]
    print(f"fake stripe listening on http://{host}:{port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
