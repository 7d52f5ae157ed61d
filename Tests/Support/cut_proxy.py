#!/usr/bin/env python3
"""A TCP proxy for tests that can take a server away and bring it back.

Usage: cut_proxy.py TARGET_HOST TARGET_PORT
Prints the loopback port it listens on, then reads commands from standard input, one per line:
  cut   close every proxied connection and refuse new ones (the server seems gone)
  open  accept connections again
and answers "ok cut" / "ok open" once done. It exits when standard input closes.
"""
import socket
import sys
import threading

target = (sys.argv[1], int(sys.argv[2]))
lock = threading.Lock()
pairs = []
state = {"listener": None, "port": 0}


def pump(source, sink):
    try:
        while True:
            data = source.recv(65536)
            if not data:
                break
            sink.sendall(data)
    except OSError:
        pass
    finally:
        for s in (source, sink):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def serve(listener):
    while True:
        try:
            client, _ = listener.accept()
        except OSError:
            return
        try:
            server = socket.create_connection(target)
        except OSError:
            client.close()
            continue
        with lock:
            pairs.append((client, server))
        threading.Thread(target=pump, args=(client, server), daemon=True).start()
        threading.Thread(target=pump, args=(server, client), daemon=True).start()


def listen():
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", state["port"]))
    listener.listen(16)
    state["port"] = listener.getsockname()[1]
    state["listener"] = listener
    threading.Thread(target=serve, args=(listener,), daemon=True).start()


def cut():
    listener = state["listener"]
    state["listener"] = None
    if listener is not None:
        try:
            listener.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        listener.close()
    with lock:
        for client, server in pairs:
            for s in (client, server):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                s.close()
        pairs.clear()


listen()
print(state["port"], flush=True)
for line in sys.stdin:
    word = line.strip()
    if word == "cut":
        cut()
    elif word == "open":
        if state["listener"] is None:
            listen()
    else:
        print("unknown " + word, flush=True)
        continue
    print("ok " + word, flush=True)
cut()
