"""What the scripted servers of the fault tests share (hostile_imap.py,
hostile_pop3.py, hostile_smtp.py): a TLS listener on a free loopback port
written to a file, one thread per session, and a line-and-literal reader
over the session's socket. Each server is one process, started and stopped
by its test by PID."""
import argparse
import os
import socket
import ssl
import threading
import time


class Connection:
    """Reads CRLF lines and byte counts off a socket; writes whole, or in
    pieces of `piece` bytes with `pause` seconds between them."""

    def __init__(self, conn):
        self.c, self.buf = conn, b""

    def write(self, data, piece=0, pause=0.0):
        if isinstance(data, str):
            data = data.encode("utf-8", "surrogateescape")
        if not piece:
            self.c.sendall(data)
            return
        for i in range(0, len(data), piece):
            self.c.sendall(data[i:i + piece])
            time.sleep(pause)

    def _fill(self):
        chunk = self.c.recv(65536)
        if not chunk:
            raise EOFError
        self.buf += chunk

    def line(self):
        while b"\r\n" not in self.buf:
            self._fill()
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line.decode("utf-8", "replace")

    def literal(self, n):
        while len(self.buf) < n:
            self._fill()
        data, self.buf = self.buf[:n], self.buf[n:]
        return data


def arguments(description, *extra):
    """--cert --key --scenario --port-file, and `extra` (flag names) as
    required string options."""
    ap = argparse.ArgumentParser(description=description)
    for name in ("--cert", "--key", "--scenario", "--port-file") + extra:
        ap.add_argument(name, required=True)
    return ap.parse_args()


def serve(args, session):
    """Listens on 127.0.0.1 with TLS; for every connection calls
    session(tls_socket, number) (number counts sessions from 0) on a thread
    of its own, whose run() ends the session; until the process is killed."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(args.cert, args.key)
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    with open(args.port_file + ".tmp", "w") as f:
        f.write(str(listener.getsockname()[1]))
    os.rename(args.port_file + ".tmp", args.port_file)
    number = 0
    while True:
        raw, _ = listener.accept()
        try:
            conn = context.wrap_socket(raw, server_side=True)
        except (ssl.SSLError, OSError):
            raw.close()
            continue

        def run(c=conn, n=number):
            try:
                session(c, n).run()
            except (EOFError, OSError, ssl.SSLError, ValueError, IndexError):
                pass  # the scenario hung up, or the client did
            finally:
                try:
                    c.close()
                except OSError:
                    pass
        number += 1
        threading.Thread(target=run, daemon=True).start()
