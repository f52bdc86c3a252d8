"""A TCP proxy on loopback that cuts the connection: it forwards to a
server's port until a budget of bytes has gone either way, then closes both
ends of every connection, or (stall) keeps them open and forwards nothing
more (tests/faults/sync_faults.py --fault cut). Small budgets end in the
TLS handshake, most in the middle of a literal."""
import selectors
import socket
import threading


class CutProxy(threading.Thread):
    """Forwards 127.0.0.1:port to the server until `budget` bytes have gone
    either way in all, then closes both ends of every connection."""

    def __init__(self, target, budget=None, stall=False):
        super().__init__(daemon=True)
        self.target, self.budget, self.passed, self.stall = target, budget, 0, stall
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(8)
        self.port = self.listener.getsockname()[1]
        self.stop = False

    def run(self):
        sel = selectors.DefaultSelector()
        sel.register(self.listener, selectors.EVENT_READ, None)
        peers = {}
        while not self.stop:
            for key, _ in sel.select(timeout=0.1):
                if key.data is None:
                    client, _ = self.listener.accept()
                    server = socket.create_connection(("127.0.0.1", self.target))
                    peers[client], peers[server] = server, client
                    sel.register(client, selectors.EVENT_READ, "c")
                    sel.register(server, selectors.EVENT_READ, "s")
                    continue
                src = key.fileobj
                dst = peers.get(src)
                try:
                    data = src.recv(65536)
                except OSError:
                    data = b""
                if not data or dst is None:  # one side closed: so does the other
                    for s in (src, dst):
                        if s is not None and s in peers:
                            sel.unregister(s)
                            peers.pop(s, None)
                            s.close()
                    continue
                if self.budget is not None:
                    room = max(0, self.budget - self.passed)
                    if room == 0:
                        continue  # stalled: swallowed, the connection open and silent
                    data = data[:room]
                try:
                    dst.sendall(data)
                except OSError:
                    pass
                self.passed += len(data)
                if self.budget is not None and self.passed >= self.budget and not self.stall:
                    for s in list(peers):  # the cut: both sides, every connection
                        sel.unregister(s)
                        s.close()
                    peers.clear()
        self.listener.close()
