#!/usr/bin/env python3
"""A TCP relay that cuts every connection each time the bytes sent upstream pass another multiple of
N (issue 7 benchmark: the bad network a source's upload goes through). Python 3 standard library
only; the shell twin of src/test/java/dev/postern/testing/CuttingRelay.java.

Usage:
  bench/cutting-relay.py --target 127.0.0.1:PORT [--listen 0] [--cut-every BYTES]
                         [--server-close rst|fin] [--port-file FILE] [--stats FILE]

  --target HOST:PORT  where connections are relayed to (the Postern source listener)
  --listen PORT       port to listen on, on 127.0.0.1 only (default 0: a free one)
  --cut-every BYTES   cut when the client-to-server bytes, summed over all connections, pass each
                      multiple of BYTES (default 0: never). At a cut the relay forwards the bytes
                      up to the boundary, drops the rest of what it read, and closes BOTH sockets of
                      every open connection with SO_LINGER 0, so each side sees a reset (a Tor
                      circuit that dies), not an orderly end. New connections are accepted as usual.
  --server-close M    how the server's side of a cut connection ends (the client's side is always
                      reset): "rst" (default) resets it too, so whatever is still in the server's
                      socket receive buffer is discarded by its kernel, the worst case; "fin"
                      delivers what the relay already forwarded and then ends the stream in order,
                      which is what the service-side tor daemon does when a circuit dies (it closes
                      the stream to the local server after writing what it had received).
  --port-file FILE    the listening port is written there once it listens
  --stats FILE        JSON written every 0.5 s and at exit: upstream (bytes read from clients,
                      including what a cut dropped), forwarded_upstream, downstream, cuts,
                      connections (accepted so far), open (connections open now)

One thread, non-blocking sockets and a selector: a cut closes sockets from the thread that owns
them, so the reset is sent at once (a socket closed under another thread's blocking recv is not).
Reads are 64 KiB and a direction is read only after its previous chunk was written, so at most
64 KiB per direction is in the relay when it cuts. Stop it with SIGTERM or SIGINT.
"""
import argparse
import json
import os
import selectors
import signal
import socket
import struct
import sys
import time

CHUNK = 64 * 1024


class Pair:
    """One relayed connection: the client's socket and ours to the server."""

    def __init__(self, client, server):
        self.client = client
        self.server = server
        # bytes waiting to be written TO that socket
        self.pending = {client: b"", server: b""}
        # the peer of this socket sent its end (EOF read from it)
        self.eof = {client: False, server: False}
        self.registered = {client: 0, server: 0}
        # cut with --server-close fin: the client's socket is gone, the server's drains and ends
        self.client_dead = False

    def peer(self, sock):
        return self.server if sock is self.client else self.client


class Relay:
    def __init__(self, target, listen_port, cut_every, stats_path, server_close="rst"):
        self.target = target
        self.server_close = server_close
        self.cut_every = cut_every
        self.next_cut = cut_every if cut_every > 0 else None
        self.stats_path = stats_path
        self.sel = selectors.DefaultSelector()
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", listen_port))
        self.listener.listen(256)
        self.listener.setblocking(False)
        self.sel.register(self.listener, selectors.EVENT_READ, None)
        self.pairs = set()
        self.upstream = 0
        self.forwarded_upstream = 0
        self.downstream = 0
        self.cuts = 0
        self.connections = 0
        self.running = True

    @property
    def port(self):
        return self.listener.getsockname()[1]

    def stats(self):
        return {"upstream": self.upstream, "forwarded_upstream": self.forwarded_upstream,
                "downstream": self.downstream, "cuts": self.cuts, "connections": self.connections,
                "open": len(self.pairs), "cut_every": self.cut_every, "server_close": self.server_close}

    def write_stats(self):
        if not self.stats_path:
            return
        tmp = self.stats_path + ".tmp"
        with open(tmp, "w") as f:
            json.dump(self.stats(), f)
        os.replace(tmp, self.stats_path)

    def interest(self, pair, sock):
        if pair.client_dead and sock is pair.client:
            return
        events = 0
        if not pair.eof[sock] and not pair.pending[pair.peer(sock)]:
            events |= selectors.EVENT_READ
        if pair.pending[sock]:
            events |= selectors.EVENT_WRITE
        old = pair.registered[sock]
        if events == old:
            return
        if old == 0:
            self.sel.register(sock, events, pair)
        elif events == 0:
            self.sel.unregister(sock)
        else:
            self.sel.modify(sock, events, pair)
        pair.registered[sock] = events

    def accept(self):
        try:
            client, _ = self.listener.accept()
        except (BlockingIOError, InterruptedError):
            return
        server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            server.connect(self.target)
        except OSError:
            reset(client)
            server.close()
            return
        for s in (client, server):
            s.setblocking(False)
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if SERVER_SNDBUF:
            server.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, SERVER_SNDBUF)
        pair = Pair(client, server)
        self.pairs.add(pair)
        self.connections += 1
        self.interest(pair, client)
        self.interest(pair, server)

    def close_pair(self, pair, hard):
        for s in (pair.client, pair.server):
            if pair.client_dead and s is pair.client:
                continue
            if pair.registered[s]:
                self.sel.unregister(s)
                pair.registered[s] = 0
            if hard:
                reset(s)
            else:
                s.close()
        self.pairs.discard(pair)

    def cut(self):
        self.cuts += 1
        for pair in list(self.pairs):
            if self.server_close == "rst":
                self.close_pair(pair, hard=True)
            elif not pair.client_dead:
                self.kill_client_side(pair)

    def kill_client_side(self, pair):
        """Resets the client's socket; the server's gets what was forwarded, then an orderly end."""
        if pair.registered[pair.client]:
            self.sel.unregister(pair.client)
            pair.registered[pair.client] = 0
        reset(pair.client)
        pair.client_dead = True
        pair.pending[pair.client] = b""
        pair.eof[pair.client] = True
        if not pair.pending[pair.server]:
            try:
                pair.server.shutdown(socket.SHUT_WR)
            except OSError:
                pass
        self.interest(pair, pair.server)

    def flush(self, pair, sock):
        data = pair.pending[sock]
        try:
            n = sock.send(data)
        except (BlockingIOError, InterruptedError):
            return True
        except OSError:
            self.close_pair(pair, hard=True)
            return False
        pair.pending[sock] = data[n:]
        if sock is pair.server:
            self.forwarded_upstream += n
        if not pair.pending[sock] and pair.eof[pair.peer(sock)]:
            try:
                sock.shutdown(socket.SHUT_WR)
            except OSError:
                pass
        return True

    def readable(self, pair, sock):
        if pair.pending[pair.peer(sock)]:
            return  # a stale readiness: the last chunk of this direction is still being written
        try:
            data = sock.recv(CHUNK)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            self.close_pair(pair, hard=True)
            return
        peer = pair.peer(sock)
        if pair.client_dead:
            # only the server's socket is left: drain it until the server ends it
            if not data:
                self.close_pair(pair, hard=False)
            else:
                self.downstream += len(data)
            return
        if not data:
            pair.eof[sock] = True
            if not pair.pending[peer]:
                try:
                    peer.shutdown(socket.SHUT_WR)
                except OSError:
                    pass
            if pair.eof[pair.client] and pair.eof[pair.server]:
                self.close_pair(pair, hard=False)
                return
            self.interest(pair, sock)
            return
        if sock is pair.client:
            before = self.upstream
            self.upstream += len(data)
            if self.next_cut is not None and self.upstream >= self.next_cut:
                keep = self.next_cut - before
                while self.next_cut <= self.upstream:
                    self.next_cut += self.cut_every
                pair.pending[peer] = data[:keep]
                self.flush(pair, peer)
                self.cut()
                return
        else:
            self.downstream += len(data)
        pair.pending[peer] = data
        if not self.flush(pair, peer):
            return
        self.interest(pair, sock)
        self.interest(pair, peer)

    def writable(self, pair, sock):
        if not self.flush(pair, sock):
            return
        if pair.client_dead:
            self.interest(pair, sock)
            return
        self.interest(pair, sock)
        self.interest(pair, pair.peer(sock))

    def run(self):
        last_stats = 0.0
        while self.running:
            for key, mask in self.sel.select(0.5):
                if key.data is None:
                    self.accept()
                    continue
                pair = key.data
                sock = key.fileobj
                if pair not in self.pairs or (pair.client_dead and sock is pair.client):
                    continue
                if mask & selectors.EVENT_WRITE:
                    self.writable(pair, sock)
                if pair in self.pairs and mask & selectors.EVENT_READ and pair.registered.get(sock, 0):
                    self.readable(pair, sock)
            now = time.monotonic()
            if now - last_stats >= 0.5:
                self.write_stats()
                last_stats = now
        self.write_stats()


# RELAY_SNDBUF: bytes the relay may have queued towards the server (0: the kernel's autotuning).
SERVER_SNDBUF = int(os.environ.get("RELAY_SNDBUF", "0"))


def reset(sock):
    """Close with SO_LINGER 0: the peer sees a reset, not an orderly end."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
    sock.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--target", required=True)
    ap.add_argument("--listen", type=int, default=0)
    ap.add_argument("--cut-every", type=int, default=0)
    ap.add_argument("--server-close", choices=("rst", "fin"), default="rst")
    ap.add_argument("--port-file")
    ap.add_argument("--stats")
    a = ap.parse_args()
    host, _, port = a.target.rpartition(":")
    relay = Relay((host or "127.0.0.1", int(port)), a.listen, a.cut_every, a.stats, a.server_close)

    def stop(*_):
        relay.running = False

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if a.port_file:
        with open(a.port_file + ".tmp", "w") as f:
            f.write(str(relay.port))
        os.replace(a.port_file + ".tmp", a.port_file)
    print(f"relay 127.0.0.1:{relay.port} -> {a.target}, cut every {a.cut_every or 'never'} bytes,"
          f" server side closed with {a.server_close}", flush=True)
    relay.run()
    print(json.dumps(relay.stats()), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
