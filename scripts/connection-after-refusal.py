#!/usr/bin/env python3
"""Whether the server keeps a connection after a refusal: on one raw HTTP/1.1 socket, a refused request and a
pipelined prediction right behind it; prints the statuses answered and whether 'Connection: close' was sent.
Usage: scripts/connection-after-refusal.py PORT (a running service with the notebook model on 127.0.0.1)."""
import json
import socket
import sys


def request(method, path, body=None, content_type='application/json'):
    data = body.encode() if body is not None else b''
    head = f"{method} {path} HTTP/1.1\r\nHost: localhost\r\n"
    if body is not None:
        head += f"Content-Type: {content_type}\r\nContent-Length: {len(data)}\r\n"
    return head.encode() + b"\r\n" + data


def main(port):
    prediction = request('POST', '/predict', '{"x":[[[0.1,0.2,0.3]]]}')
    # one sample more than max-samples: refused while streaming, the rest of the body left unread
    too_many = json.dumps({'x': [[[0.1, 0.2, 0.3]]] * 4097})
    cases = {
        '400': request('POST', '/predict', '{"x":[[[0.1,0.2]]]}'),
        '413 (body unread)': request('POST', '/predict', too_many),
        '415': request('POST', '/predict', '{"x":[[[0.1,0.2,0.3]]]}', 'text/plain'),
        '404': request('GET', '/no/such/path'),
        '405': request('PUT', '/predict', '{"x":[[[0.1,0.2,0.3]]]}'),
    }
    for name, refused in cases.items():
        with socket.create_connection(('127.0.0.1', port)) as s:
            s.settimeout(5)
            s.sendall(refused + prediction)
            answers = b''
            try:
                while answers.count(b'HTTP/1.1 ') < 2:
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    answers += chunk
            except socket.timeout:
                pass
        statuses = [line.split(b' ')[1].decode() for line in answers.split(b'\r\n') if line.startswith(b'HTTP/1.1 ')]
        print(f"{name:18} answered on one connection: {statuses}; 'Connection: close' sent: "
              f"{b'connection: close' in answers.lower()}")


if __name__ == '__main__':
    main(int(sys.argv[1]))
