"""mockcrm/server.py's listening socket (serving through it runs in tests/e2e/test_cli.py)."""

from __future__ import annotations

import errno
import socket

import pytest

from mockcrm import server


def test_the_socket_listens_on_the_port_picked_for_port_0():
    sock = server.bind("127.0.0.1", 0)
    try:
        host, port = sock.getsockname()[:2]
        assert host == "127.0.0.1" and port > 0
        with socket.create_connection((host, port), timeout=5):
            pass  # accepted into the backlog: it listens
    finally:
        sock.close()


def test_answers_are_not_held_for_the_client_s_ack():
    """TCP_NODELAY on the listener, which accepted connections inherit (a 40 ms stall per
    answer otherwise, under keep-alive)."""
    sock = server.bind("127.0.0.1", 0)
    try:
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
        assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR) == 1
        # Never shared with another server (granian's own binding sets SO_REUSEPORT).
        assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT) == 0
    finally:
        sock.close()


def test_a_taken_port_raises_address_in_use():
    first = server.bind("127.0.0.1", 0)
    try:
        with pytest.raises(OSError) as raised:
            server.bind("127.0.0.1", first.getsockname()[1])
        assert raised.value.errno == errno.EADDRINUSE
    finally:
        first.close()


def test_a_host_name_resolves():
    sock = server.bind("localhost", 0)
    try:
        assert sock.family in (socket.AF_INET, socket.AF_INET6)
        assert sock.getsockname()[1] > 0
    finally:
        sock.close()
