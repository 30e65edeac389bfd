"""A reverse proxy that adds permissive CORS headers in front of an emulator.

It stands for the real Wix, whose APIs answer any origin's CORS requests while each OAuth app
allows only its own origins for web_message: the emulator behind it does NOT allow the test page's
origin, so direct login must fail fast (`Allowed_domains_fetch_failed`, typed `redirect_uri_not_allowed`).
Upstream gets its own Host (the emulator answers only the Host names it serves); the login page's
URL it returns is on its site host, which the browser loads directly, as it would the live site.

Usage: cors_proxy.py UPSTREAM_URL  (prints "http://127.0.0.1:PORT/" once listening)
"""
import http.client
import sys
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

UPSTREAM = urllib.parse.urlsplit(sys.argv[1])
HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "access-control-allow-origin",
       "access-control-allow-credentials", "access-control-expose-headers", "vary"}


class Proxy(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def cors(self):
        origin = self.headers.get("Origin")
        if origin:
            self.send_header("Access-Control-Allow-Origin", origin)
            self.send_header("Access-Control-Allow-Credentials", "true")
            self.send_header("Access-Control-Expose-Headers", "x-wix-request-id")
            self.send_header("Vary", "Origin")

    def do_OPTIONS(self):
        self.send_response(204)
        self.cors()
        self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
        self.send_header("Access-Control-Allow-Headers", self.headers.get("Access-Control-Request-Headers", "*"))
        self.send_header("Content-Length", "0")
        self.end_headers()

    def forward(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        conn = http.client.HTTPConnection(UPSTREAM.hostname, UPSTREAM.port, timeout=30)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("connection", "origin", "host")}
        headers["Host"] = UPSTREAM.netloc
        conn.request(self.command, self.path, body=body, headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        self.send_response(resp.status)
        for k, v in resp.getheaders():
            if k.lower() not in HOP:
                self.send_header(k, v)
        self.cors()
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        conn.close()

    do_GET = forward
    do_POST = forward


server = ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
print("http://127.0.0.1:%d" % server.server_address[1], flush=True)
server.serve_forever()
