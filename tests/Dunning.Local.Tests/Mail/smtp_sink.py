"""A real SMTP server for the mail tests (Debian's python3-aiosmtpd), on 127.0.0.1.

Every accepted message is written whole, as received, to --folder as <n>.eml (tmp file, then rename).
The tests steer it with two files in that folder:
  refuse  -- a number N: the next N messages are answered "451 4.3.0 try again later" at DATA
  (any RCPT TO address starting with "nobody@" is refused with "550 5.1.1 no such user")
It prints "ready <port>" once it listens, and runs until killed.
"""
import argparse
import os
import sys
import time

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, folder):
        self.folder = folder
        self.count = 0

    def take_refusal(self):
        path = os.path.join(self.folder, "refuse")
        try:
            with open(path) as f:
                left = int(f.read().strip() or "0")
        except FileNotFoundError:
            return False
        if left <= 0:
            return False
        with open(path + ".tmp", "w") as f:
            f.write(str(left - 1))
        os.replace(path + ".tmp", path)
        return True

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower().startswith("nobody@"):
            return "550 5.1.1 <%s>: no such user" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.take_refusal():
            return "451 4.3.0 try again later"
        self.count += 1
        name = "%d-%06d" % (time.time_ns(), self.count)
        tmp = os.path.join(self.folder, name + ".part")
        with open(tmp, "wb") as f:
            f.write(envelope.original_content or envelope.content)
        os.replace(tmp, os.path.join(self.folder, name + ".eml"))
        return "250 2.0.0 accepted"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--folder", required=True)
    args = parser.parse_args()
    os.makedirs(args.folder, exist_ok=True)
    controller = Controller(Sink(args.folder), hostname="127.0.0.1", port=args.port)
    controller.start()
    print("ready %d" % args.port, flush=True)
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


if __name__ == "__main__":
    sys.exit(main())
