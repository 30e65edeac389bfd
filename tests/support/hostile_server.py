"""A server that answers like no auth server should: the browser tests' hostile replies.

Each reply is chosen by the first path segment, whatever the rest of the path (so a strategy with
`baseUrl = URL + "/deep-unknown"` gets it from every endpoint):

  /deep-unknown   200, a usable token and redirect-session reply plus a member nested 100,000 deep
  /deep-known     200, `access_token` itself nested 100,000 deep
  /deep-error     400, a Wix error whose `data` (opaque JSON) is nested 100,000 deep
  /huge           200, a usable token reply padded to 16 MiB, sent chunked (no Content-Length):
                  only the size limit stops the client from using it
  /huge-declared  the same, announced by Content-Length

Answers CORS for any origin, as the real Wix APIs do.
Usage: hostile_server.py  (prints "http://127.0.0.1:PORT/" once listening)
"""
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DEPTH = 100_000
DEEP = "[" * DEPTH + "]" * DEPTH
CHUNK = b"a" * 65536
CHUNKS = 256  # 16 MiB of padding
HUGE_HEAD = b'{"access_token":"A","token_type":"Bearer","expires_in":14400,"refresh_token":"R","pad":"'
HUGE_TAIL = b'"}'

BODIES = {
    "deep-unknown": (200, '{"access_token":"A","token_type":"Bearer","expires_in":14400,"refresh_token":"R",'
                          '"redirectSession":{"id":"s","fullUrl":"https://www.wix.com/oauth/login",'
                          '"urlDetails":{"endpoint":"https://www.wix.com/oauth/login","searchParams":{}}},"junk":' + DEEP + "}"),
    "deep-known": (200, '{"access_token":' + DEEP + ',"token_type":"Bearer","expires_in":14400}'),
    "deep-error": (400, '{"message":"bad","details":{"applicationError":{"code":"X","description":"d","data":'
                        + DEEP + "}}}"),
}


class Hostile(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def cors(self):
        self.send_header("Access-Control-Allow-Origin", self.headers.get("Origin") or "*")
        self.send_header("Access-Control-Allow-Headers", self.headers.get("Access-Control-Request-Headers") or "*")
        self.send_header("Access-Control-Allow-Methods", "GET, POST")

    def do_OPTIONS(self):
        self.send_response(204)
        self.cors()
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):
        self.answer()

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        self.answer()

    def answer(self):
        mode = self.path.strip("/").split("/")[0]
        try:
            if mode in BODIES:
                status, text = BODIES[mode]
                body = text.encode()
                self.send_response(status)
                self.cors()
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            elif mode in ("huge", "huge-declared"):
                self.send_response(200)
                self.cors()
                self.send_header("Content-Type", "application/json")
                chunked = mode == "huge"
                if chunked:
                    self.send_header("Transfer-Encoding", "chunked")
                else:
                    self.send_header("Content-Length", str(len(HUGE_HEAD) + CHUNKS * len(CHUNK) + len(HUGE_TAIL)))
                self.end_headers()
                for part in [HUGE_HEAD] + [CHUNK] * CHUNKS + [HUGE_TAIL]:
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part) if chunked else part)
                if chunked:
                    self.wfile.write(b"0\r\n\r\n")
            else:
                self.send_response(404)
                self.cors()
                self.send_header("Content-Length", "0")
                self.end_headers()
        except (BrokenPipeError, ConnectionResetError):
            # The client stopped reading, as it should.
            self.close_connection = True


server = ThreadingHTTPServer(("127.0.0.1", 0), Hostile)
print("http://127.0.0.1:%d/" % server.server_address[1], flush=True)
server.serve_forever()
