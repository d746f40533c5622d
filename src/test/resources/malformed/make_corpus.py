#!/usr/bin/env python3
"""Writes corpus.jsonl: hostile POST /predict requests, and binary KServe infer requests, and what the service must
answer to each.

Run from this folder: python3 make_corpus.py. MalformedCorpusTest replays every line against the running server
with the limits below. Every expectation is written here from the API's rules (README, ProblemKind), not recorded
from the service: the first problem in reading order wins, pointers are RFC 6901, 413 for sizes, 400 otherwise.

Line fields: name, method, path, contentType (absent: no header), accept, headers (any others), body (text, sent as
UTF-8) or bodyBase64, padding (trailing spaces appended), status, type (problem slug; absent for 200), pointer
(absent: not checked; null: the problem must have none). KServe requests (path /v2/...) answer {"error": "..."}
instead of problem+json: for them error is a text (or a list of texts) the message must contain (the pointer, when
there is one, as the message's "(at ...)" ending), and a 200 must give model_name and outputs, as JSON or, with
binary outputs, as application/octet-stream with the JSON's length in Inference-Header-Content-Length.
"""
import base64
import json
import math
import struct

# The limits MalformedCorpusTest starts the server with (rnn-serving.limits.*)
MAX_BODY = 64 * 1024
MAX_SAMPLES = 16
MAX_STEPS = 50
MAX_VALUES = 600
INFER = "/v2/models/notebook-simple-rnn/infer"

S0 = [0.1, 0.2, 0.3]
S1 = [0.4, 0.5, 0.6]
ZERO_STATE = [0.0] * 5
cases = []
names = set()


def add(name, body, status, type_=None, pointer=..., content_type="application/json", method="POST",
        path="/predict", accept=None, raw=None, padding=None, headers=None, error=None):
    assert name not in names, name
    names.add(name)
    case = {"name": name, "method": method, "path": path}
    if content_type is not None:
        case["contentType"] = content_type
    if accept is not None:
        case["accept"] = accept
    if headers is not None:
        case["headers"] = headers
    if raw is not None:
        case["bodyBase64"] = base64.b64encode(raw).decode()
    elif body is not None:
        case["body"] = body
    if padding is not None:
        case["padding"] = padding
    case["status"] = status
    if type_ is not None:
        case["type"] = type_
    if pointer is not ...:
        case["pointer"] = pointer
    if error is not None:
        case["error"] = error
    cases.append(case)


def dumps(value):
    return json.dumps(value, ensure_ascii=False)


def base():
    return {"x": [[list(S0), list(S1)]], "lengths": [2], "h0": [list(ZERO_STATE)], "trace": True, "returnState": True}


def with_raw(path, raw):
    """The base body with the value at path replaced by raw JSON text."""
    doc = base()
    target = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = "@@RAW@@"
    return dumps(doc).replace('"@@RAW@@"', raw)


def pointer_of(path):
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


# 1. The base body itself is fine: every other case differs from a 200 by what it tests.
add("valid base body", dumps(base()), 200)
add("valid minimal body", '{"x": [[[0.1, 0.2, 0.3]]]}', 200)
add("valid ragged body", '{"x": [[[1, 2, 3]], [[4, 5, 6], [7, 8, 9]]], "lengths": [1, 2]}', 200)

# 2. Truncations: every strict prefix of a valid body is incomplete JSON.
for text, tag in [(dumps(base()), "base"), ('{"x": [[[1, 2, 3]], [[4, 5, 6], [7, 8, 9]]], "lengths": [1, 2]}', "ragged")]:
    for cut in range(0, len(text), 3 if tag == "base" else 4):
        add(f"truncated {tag} body at byte {cut}", text[:cut], 400, "malformed-json")

# 3. Type swaps: a value of the wrong JSON type where an array, number, integer or boolean belongs.
NON_ARRAYS = {"string": '"0.1"', "null": "null", "true": "true", "number": "1", "object": "{}",
              "object with members": '{"a": [1]}'}
for path in [("x",), ("x", 0), ("x", 0, 1)]:
    for what, raw in NON_ARRAYS.items():
        add(f"{pointer_of(path)} is {what}", with_raw(path, raw), 400, "wrong-type", pointer_of(path))
    add(f"{pointer_of(path)} is an empty array", with_raw(path, "[]"), 400, "wrong-shape", pointer_of(path))
NON_NUMBERS = {"string": '"0.1"', "null": "null", "true": "true", "false": "false", "object": "{}",
               "array": "[]", "nested array": "[0.1]", "unicode string": '"\u00e9\u4e2d\U0001F600"'}
for path in [("x", 0, 1, 2), ("x", 0, 0, 0), ("h0", 0, 2)]:
    for what, raw in NON_NUMBERS.items():
        add(f"{pointer_of(path)} is {what}", with_raw(path, raw), 400, "wrong-type", pointer_of(path))
for what, raw in {"string": '"2"', "null": "null", "true": "true", "object": "{}", "array": "[2]", "fraction": "1.5",
                  "1.0": "1.0", "exponent": "1e0", "NaN": "NaN"}.items():
    add(f"/lengths/0 is {what}", with_raw(("lengths", 0), raw), 400, "wrong-type", "/lengths/0")
for what, raw in {"string": '"2"', "null": "null", "number": "2", "object": "{}", "true": "true"}.items():
    add(f"/lengths is {what}", with_raw(("lengths",), raw), 400, "wrong-type", "/lengths")
for what, raw in {"string": '"zeros"', "null": "null", "number": "0", "true": "true"}.items():
    add(f"/h0 is {what}", with_raw(("h0",), raw), 400, "wrong-type", "/h0")
for what, raw in {"string": '"0"', "null": "null", "number": "0", "object": "{}"}.items():
    add(f"/h0/0 is {what}", with_raw(("h0", 0), raw), 400, "wrong-type", "/h0/0")
for field in ["trace", "returnState"]:
    for what, raw in {"string true": '"true"', "number 1": "1", "number 0": "0", "null": "null", "object": "{}",
                      "array": "[true]"}.items():
        add(f"/{field} is {what}", with_raw((field,), raw), 400, "wrong-type", "/" + field)
for what, raw in {"null": "null", "number": "1", "string": '"{}"', "array": "[]", "true": "true"}.items():
    add(f"body is {what}", raw, 400, "wrong-type", "")

# 4. Numbers: refused with the pointer of the number when not a finite float32, accepted otherwise.
REFUSED = {"NaN": "NaN", "Infinity": "Infinity", "-Infinity": "-Infinity", "1e39": "1e39", "-1e39": "-1e39",
           "1e999": "1e999", "-1e999": "-1e999", "1e308": "1e308", "3.4028236e38": "3.4028236e38",
           "100-digit integer": "1" + "0" * 99}
ACCEPTED = {"3.4028235e38 (float max)": "3.4028235e38", "-3.4028235e38": "-3.4028235e38", "1e-400 (underflows to 0)": "1e-400",
            "4.9e-324": "4.9e-324", "-0.0": "-0.0", "-0": "-0", "integer": "7", "1E5": "1E5", "1e+5": "1e+5",
            "long integer": "123456789012345678901234567890"}
for path in [("x", 0, 1, 2), ("h0", 0, 0)]:
    for what, raw in REFUSED.items():
        add(f"{pointer_of(path)} is {what}", with_raw(path, raw), 400, "invalid-number", pointer_of(path))
    for what, raw in ACCEPTED.items():
        add(f"{pointer_of(path)} is {what}", with_raw(path, raw), 200)
for what, raw in {"101-digit integer": "1" + "0" * 100, "leading zero": "01", "leading dot": ".5", "trailing dot": "1.",
                  "leading plus": "+1", "hex": "0x10", "bare exponent": "1e", "double minus": "--1", "lowercase nan": "nan",
                  "inf": "inf", "Infinity in lowercase": "infinity"}.items():
    add(f"/x/0/1/2 is {what}", with_raw(("x", 0, 1, 2), raw), 400, "malformed-json")
for what, raw, expected in [("0", "0", "invalid-number"), ("-1", "-1", "invalid-number"),
                            ("2^31", "2147483648", "invalid-number"), ("huge", "99999999999999999999", "invalid-number")]:
    add(f"/lengths/0 is {what}", with_raw(("lengths", 0), raw), 400, expected, "/lengths/0")
add("/lengths/0 is 1 (shorter than x)", with_raw(("lengths", 0), "1"), 200)

# 5. Syntax: what a lenient parser might take but JSON does not.
for what, body in {
        "single quotes": "{'x': [[[0.1, 0.2, 0.3]]]}",
        "unquoted key": '{x: [[[0.1, 0.2, 0.3]]]}',
        "trailing comma in array": '{"x": [[[0.1, 0.2, 0.3,]]]}',
        "trailing comma in object": '{"x": [[[0.1, 0.2, 0.3]]],}',
        "missing comma": '{"x": [[[0.1 0.2, 0.3]]]}',
        "missing colon": '{"x" [[[0.1, 0.2, 0.3]]]}',
        "block comment": '{/* c */ "x": [[[0.1, 0.2, 0.3]]]}',
        "line comment": '{"x": [[[0.1, 0.2, 0.3]]] // c\n}',
        "hash comment": '# c\n{"x": [[[0.1, 0.2, 0.3]]]}',
        "unescaped control character in key": '{"x\u0001": 1}',
        "bad escape in key": '{"\\q": 1}',
        "mismatched brackets": '{"x": [[[0.1, 0.2, 0.3]}]}',
        "extra closing bracket": '{"x": [[[0.1, 0.2, 0.3]]]]}',
        "second value": '{"x": [[[0.1, 0.2, 0.3]]]} {}',
        "trailing garbage": '{"x": [[[0.1, 0.2, 0.3]]]}x',
        "trailing brace": '{"x": [[[0.1, 0.2, 0.3]]]}}',
        "garbage": "hello",
        "xml": "<x>0.1</x>",
        "yaml": "x: [[[0.1, 0.2, 0.3]]]",
        "only whitespace": "   \n\t ",
        "key longer than 1024 chars": '{"' + "k" * 1100 + '": 1}',
}.items():
    pointer = "" if what in ("second value", "trailing garbage", "trailing brace") else ...
    add(f"syntax: {what}", body, 400, "malformed-json", pointer)

# 6. Fields: unknown, duplicated, missing; names escaped in the pointer.
X = '"x": [[[0.1, 0.2, 0.3]]]'
for name in ["y", "X", "x ", "", "inputs", "instances", "__proto__", "trace2", "\u0445", "\u1e8b", "a/b", "a~b", "~1",
             "h0 ", "length", "\u0000x"]:
    escaped = name.replace("~", "~0").replace("/", "~1")
    key = json.dumps(name)
    add(f"unknown field {key} after x", "{" + X + ", " + key + ": 1}", 400, "unknown-field", "/" + escaped)
add("unknown field before x", '{"inputs": [[[0.1, 0.2, 0.3]]], ' + X + "}", 400, "unknown-field", "/inputs")
add("unknown field in an escaped key", '{' + X + ', "\\u0078\\u0079": 1}', 400, "unknown-field", "/xy")
add("escaped x is x", '{"\\u0078": [[[0.1, 0.2, 0.3]]]}', 200)
for field, value in [("x", "[[[0.1, 0.2, 0.3]]]"), ("lengths", "[1]"), ("h0", "[[0, 0, 0, 0, 0]]"), ("trace", "true"),
                     ("returnState", "false")]:
    first = "" if field == "x" else X + ", "
    add(f"duplicate field {field}", "{" + first + f'"{field}": {value}, "{field}": {value}' + "}", 400,
        "duplicate-field", "/" + field)
add("duplicate layer in h0", "{" + X + ', "h0": {"simple_rnn": [[0,0,0,0,0]], "simple_rnn": [[0,0,0,0,0]]}}', 400,
    "duplicate-field", "/h0/simple_rnn")
add("duplicate x after an escaped x", '{"\\u0078": [[[0.1, 0.2, 0.3]]], ' + X + "}", 400, "duplicate-field", "/x")
add("empty object", "{}", 400, "missing-field", "/x")
add("no x but other fields", '{"trace": true, "lengths": [1]}', 400, "missing-field", "/x")

# 7. Shapes: D must be 3; lengths and h0 must fit x and the model (N×5).
for d in [1, 2, 4, 10]:
    add(f"timestep of {d} features", '{"x": [[' + dumps([0.5] * d) + "]]}", 400, "wrong-shape", "/x/0/0")
add("one short timestep in a later sample",
    '{"x": [[[1,2,3]], [[1,2,3], [1,2,3], [1,2,3], [1,2], [1,2,3]]]}', 400, "wrong-shape", "/x/1/3")
add("empty sample after a good one", '{"x": [[[1,2,3]], []]}', 400, "wrong-shape", "/x/1")
add("x as N×D without the time axis", '{"x": [[0.1, 0.2, 0.3]]}', 400, "wrong-type", "/x/0/0")
add("x with an extra axis", '{"x": [[[[0.1, 0.2, 0.3]]]]}', 400, "wrong-type", "/x/0/0/0")
add("lengths has more entries than x", with_raw(("lengths",), "[2, 2]"), 400, "wrong-shape", "/lengths")
add("lengths is empty", with_raw(("lengths",), "[]"), 400, "wrong-shape", "/lengths")
add("lengths longer than its sample", with_raw(("lengths",), "[3]"), 400, "wrong-shape", "/lengths/0")
add("lengths second sample too long", '{"x": [[[1,2,3]], [[1,2,3]]], "lengths": [1, 2]}', 400, "wrong-shape",
    "/lengths/1")
add("h0 with 4 units", with_raw(("h0",), "[[0, 0, 0, 0]]"), 400, "wrong-shape", "/h0")
add("h0 with 6 units", with_raw(("h0",), "[[0, 0, 0, 0, 0, 0]]"), 400, "wrong-shape", "/h0")
add("h0 with two rows for one sample", with_raw(("h0",), "[[0,0,0,0,0], [0,0,0,0,0]]"), 400, "wrong-shape", "/h0")
add("h0 with no rows", with_raw(("h0",), "[]"), 400, "wrong-shape", "/h0")
add("h0 with an empty row", with_raw(("h0",), "[[]]"), 400, "wrong-shape", "/h0")
add("h0 rows of different lengths", '{"x": [[[1,2,3]], [[1,2,3]]], "h0": [[0,0,0,0,0], [0,0,0,0]]}', 400,
    "wrong-shape", "/h0/1")
add("h0 for an unknown layer", "{" + X + ', "h0": {"lstm": [[0,0,0,0,0]]}}', 400, "wrong-shape", "/h0/lstm")
add("h0 for the layer by name", "{" + X + ', "h0": {"simple_rnn": [[0,0,0,0,0]]}}', 200)
add("h0 for the layer by name with the wrong shape", "{" + X + ', "h0": {"simple_rnn": [[0,0,0]]}}', 400,
    "wrong-shape", "/h0/simple_rnn")
add("h0 as an empty object starts from zeros", "{" + X + ', "h0": {}}', 200)
add("h0 before x is checked once x is read", '{"h0": [[0,0,0,0,0], [0,0,0,0,0]], ' + X + "}", 400, "wrong-shape", "/h0")

# 8. Nesting: far past the depth limit (32), refused at the first place that should have held a number.
for depth in [40, 1000, 20000]:
    add(f"x nested {depth} deep", '{"x": ' + "[" * depth + "]" * depth + "}", 400, "wrong-type", "/x/0/0/0")
add("body nested 1000 deep in arrays", "[" * 1000 + "]" * 1000, 400, "wrong-type", "")
add("body nested 1000 deep in objects, never closed", '{"a": ' * 1000, 400, "unknown-field", "/a")
add("h0 nested 1000 deep", "{" + X + ', "h0": ' + "[" * 1000 + "]" * 1000 + "}", 400, "wrong-type", "/h0/0/0")

# 9. Limits: N ≤ 16, T ≤ 50, N×T×D ≤ 600, body ≤ 64 KiB; a batch past one is 413 once the reader passes it.
def x_of(samples, steps):
    return '{"x": ' + dumps([[[0.25, -0.5, 1.0]] * steps] * samples) + "}"

add("N at the limit", x_of(MAX_SAMPLES, 1), 200)
add("N one past the limit", x_of(MAX_SAMPLES + 1, 1), 413, "batch-too-large", "/x")
add("N far past the limit", x_of(200, 1), 413, "batch-too-large", "/x")
add("T at the limit", x_of(1, MAX_STEPS), 200)
add("T one past the limit", x_of(1, MAX_STEPS + 1), 413, "batch-too-large", "/x")
add("T far past the limit", x_of(1, 1000), 413, "batch-too-large", "/x")
add("N×T×D at the limit", x_of(4, 50), 200)
add("N×T×D one sample past the limit", x_of(5, 41), 413, "batch-too-large", "/x")
add("h0 with more rows than N may have", "{" + X + ', "h0": ' + dumps([ZERO_STATE] * (MAX_SAMPLES + 1)) + "}", 413,
    "batch-too-large")
add("lengths with more entries than N may have", "{" + X + ', "lengths": ' + dumps([1] * (MAX_SAMPLES + 1)) + "}", 413,
    "batch-too-large")
add("body past the byte limit (declared length)", '{"x": [[[0.1, 0.2, 0.3]]]}', 413, "body-too-large", None,
    padding=MAX_BODY)
add("body at the byte limit", '{"x": [[[0.1, 0.2, 0.3]]]}', 200, padding=MAX_BODY - len('{"x": [[[0.1, 0.2, 0.3]]]}'))
add("a 70 KB string in an unknown field", '{"pad": "' + "a" * 70000 + '"}', 413, "body-too-large", None)

# 10. Encodings and bytes.
add("UTF-8 byte order mark", None, 200, raw=b"\xef\xbb\xbf" + b'{"x": [[[0.1, 0.2, 0.3]]]}')
add("UTF-16LE body", None, 200, raw='{"x": [[[0.1, 0.2, 0.3]]]}'.encode("utf-16-le"))
add("invalid UTF-8 in a key", None, 400, "malformed-json", raw=b'{"x": [[[0.1, 0.2, 0.3]]], "\xff\xfe": 1}')
# a string where a boolean belongs is refused for its type before its bytes are decoded: first problem first
add("invalid UTF-8 in a string value", None, 400, "wrong-type", "/trace",
    raw=b'{"x": [[[0.1, 0.2, 0.3]]], "trace": "\xc3"}')
# Jackson decodes the overlong form of "/" leniently; the name is then refused as unknown, with its pointer escaped
add("overlong UTF-8 encoding of a slash", None, 400, "unknown-field", "/~1",
    raw=b'{"x": [[[0.1, 0.2, 0.3]]], "\xc0\xaf": 1}')
add("NUL bytes", None, 400, "malformed-json", raw=b"\x00\x00\x00\x00")
add("binary garbage", None, 400, "malformed-json", raw=bytes(range(0x80, 0x100)))
add("lone surrogate escape in trace", "{" + X + ', "trace": "\\ud800"}', 400, "wrong-type", "/trace")
add("emoji key", "{" + X + ', "\U0001F600": 1}', 400, "unknown-field", "/\U0001F600")
add("empty body", "", 400, "malformed-json", "")

# 11. Media types, methods and paths.
VALID = '{"x": [[[0.1, 0.2, 0.3]]]}'
for ct in ["text/plain", "application/x-www-form-urlencoded", "application/xml", "application/problem+json",
           "multipart/form-data; boundary=b", "application/octet-stream", "text/json", "application/jsonx"]:
    add(f"content type {ct}", VALID, 415, "unsupported-media-type", None, content_type=ct)
add("no content type", VALID, 415, "unsupported-media-type", None, content_type=None)
for ct in ["application/json; charset=utf-8", "APPLICATION/JSON", "application/json;charset=ISO-8859-1"]:
    add(f"content type {ct}", VALID, 200, content_type=ct)
for accept in ["text/html", "application/xml", "text/plain"]:
    add(f"accept {accept}", VALID, 406, "not-acceptable", None, accept=accept)
add("accept anything", VALID, 200, accept="*/*")
for method in ["GET", "PUT", "DELETE", "PATCH"]:
    add(f"{method} /predict", VALID if method != "GET" else None, 405, "method-not-allowed", None, method=method,
        content_type="application/json" if method != "GET" else None)
# (/v1/** and /v2/** belong to TF Serving and KServe, which answer in their protocols' own error form)
for path in ["/predict/", "/Predict", "/predict/x", "/predictions", "/api/predict"]:
    add(f"POST {path}", VALID, 404, "not-found", None, path=path)

# 12. KServe binary tensor data: Inference-Header-Content-Length bytes of JSON, then each binary_data_size input's
# bytes, little-endian, in the order of the inputs. Declared lengths here (the chunked cases are in
# KServeBinaryDataTest); every refusal is 400 but for sizes past the limits, 413.
HEADER = "Inference-Header-Content-Length"
PACK = {"FP32": "f", "FP64": "d", "INT32": "i", "INT64": "q"}
SIZE = {"FP32": 4, "FP64": 8, "INT32": 4, "INT64": 8}
X6 = [0.25, -0.5, 1.0, 0.75, 0.125, -1.5]


def tensor(name, shape, datatype, size=None, data=None, **parameters):
    t = {"name": name, "shape": shape, "datatype": datatype}
    if size is not None:
        parameters["binary_data_size"] = size
    if parameters:
        t["parameters"] = parameters
    if data is not None:
        t["data"] = data
    return t


def pack(datatype, values):
    return struct.pack(f"<{len(values)}{PACK[datatype]}", *values)


def binary(name, request, payload, status, error=None, header_value=None, extra=b"", padding=None):
    """A binary request: the JSON of request, then payload and extra; the header its JSON's length unless given."""
    head = json.dumps(request).encode()
    value = str(len(head)) if header_value is None else header_value
    add(f"binary: {name}", None, status, path=INFER, content_type="application/octet-stream",
        headers={HEADER: value}, raw=head + payload + extra, error=error, padding=padding)


def x_request(datatype="FP32", size=24, shape=(1, 2, 3), data=None, **request):
    return dict(inputs=[tensor("x", list(shape), datatype, size, data)], **request)


binary("FP32 x", x_request(), pack("FP32", X6), 200)
binary("FP64 x", x_request("FP64", 48), pack("FP64", X6), 200)
binary("FP32 x with binary outputs", x_request(parameters={"binary_data_output": True},
                                                 outputs=[{"name": "yhat"}, {"name": "state"}]), pack("FP32", X6), 200)
binary("x, lengths and h0 all binary, h0 first",
       {"inputs": [tensor("h0", [2, 5], "FP64", 80), tensor("x", [2, 3, 3], "FP32", 72),
                   tensor("lengths", [2], "INT32", 8)]},
       pack("FP64", [0.1] * 10) + pack("FP32", [0.5] * 18) + pack("INT32", [3, 2]), 200)
binary("binary x with JSON lengths", {"inputs": [tensor("x", [2, 1, 3], "FP32", 24),
                                                 tensor("lengths", [2], "INT64", data=[1, 1])]}, pack("FP32", X6), 200)
binary("the header with every tensor in JSON", x_request(size=None, data=X6), b"", 200)
binary("float max and min are finite", x_request(), pack("FP32", [3.4028234663852886e38, -3.4028234663852886e38,
                                                                   1e-45, -0.0, 0, 1]), 200)
binary("other input parameters are ignored", {"inputs": [tensor("x", [1, 2, 3], "FP32", 24, note="hi")]},
       pack("FP32", X6), 200)

# the header itself: a non-negative integer no larger than the body
for what, value in {"a word": "abc", "negative": "-1", "a fraction": "1.5", "empty": "", "hex": "0x10",
                    "exponent": "1e2", "leading plus": "+5", "two numbers": "12, 12"}.items():
    binary(f"header is {what}", x_request(), pack("FP32", X6), 400, header_value=value,
           error=f"the header {HEADER} is '{value}'; it must be a non-negative integer")
body_length = len(json.dumps(x_request()).encode()) + 24
binary("header larger than the body", x_request(), pack("FP32", X6), 400, header_value=str(body_length + 1),
       error=f"gives {body_length + 1} bytes of JSON, but the whole body is {body_length} bytes")
binary("header of 30 digits", x_request(), pack("FP32", X6), 400, header_value="9" * 30, error="but the whole body is")
binary("header of 0", x_request(), pack("FP32", X6), 400, header_value="0",
       error="the JSON is the first 0 bytes of the body")
binary("header cutting the JSON short", x_request(), pack("FP32", X6), 400,
       header_value=str(len(json.dumps(x_request())) - 2), error="bytes of the body, as " + HEADER + " gives")
binary("header running into the binary data", x_request(), pack("FP32", X6), 400,
       header_value=str(len(json.dumps(x_request())) + 4), error="bytes of the body, as " + HEADER + " gives")

# binary_data_size: an integer, exactly the shape's values times the datatype's size, instead of data
for wrong in [0, 20, 23, 25, 48]:
    binary(f"binary_data_size {wrong} for 24 bytes", x_request(size=wrong), pack("FP32", X6)[:wrong], 400,
           error=f"has binary_data_size {wrong} but its shape [1, 2, 3] of FP32 takes 24 bytes (6 values of 4 bytes) "
                 "(at /inputs/0/parameters/binary_data_size)")
for what, value in {"a string": "24", "negative": -24, "a fraction": 24.5, "null": None, "true": True}.items():
    request = x_request()
    request["inputs"][0]["parameters"]["binary_data_size"] = value
    binary(f"binary_data_size is {what}", request, pack("FP32", X6), 400,
           error="expected a non-negative integer, found")
binary("parameters is an array", {"inputs": [{"name": "x", "shape": [1, 2, 3], "datatype": "FP32",
                                              "parameters": [24]}]}, pack("FP32", X6), 400,
       error="parameters must be an object, found an array (at /inputs/0/parameters)")
binary("both data and binary_data_size", x_request(data=X6), pack("FP32", X6), 400,
       error="input 'x' has both data and parameters.binary_data_size; give one of them "
             "(at /inputs/0/parameters/binary_data_size)")
binary("neither data nor binary_data_size", x_request(size=None), b"", 400, error="(at /inputs/0/data)")
add("binary: binary_data_size without the header", json.dumps(x_request()), 400, path=INFER,
    error="parameters.binary_data_size, with the header " + HEADER + ") (at /inputs/0/data)")
add("binary: data and binary_data_size without the header are read as JSON",
    json.dumps(x_request(data=X6)), 200, path=INFER)

# the bytes: exactly what the binary_data_size values add up to
binary("one byte missing", x_request(), pack("FP32", X6)[:-1], 400, error="1 byte is missing")
binary("the whole tensor missing", x_request(), b"", 400, error="24 bytes are missing")
binary("one byte left over", x_request(), pack("FP32", X6), 400, extra=b"\0", error="1 byte is left over")
binary("a second tensor's worth left over", x_request(), pack("FP32", X6), 400, extra=pack("FP32", X6),
       error="24 bytes are left over after the last tensor")
binary("second tensor short", {"inputs": [tensor("x", [2, 1, 3], "FP32", 24), tensor("lengths", [2], "INT64", 16)]},
       pack("FP32", X6) + pack("INT64", [1]), 400, error="8 bytes are missing")
binary("tensors in the order of the names, not of the inputs",
       {"inputs": [tensor("lengths", [2], "INT32", 8), tensor("x", [2, 1, 3], "FP32", 24)]},
       pack("FP32", X6) + pack("INT32", [1, 1]), 400,
       error="sample 0 has length 1048576000; it must be 1 to 1, its timesteps in x (at /inputs/0/data/0)")

# values: finite and within float range, as in JSON
for what, value, datatype in [("NaN", math.nan, "FP32"), ("Infinity", math.inf, "FP32"),
                              ("-Infinity", -math.inf, "FP32"), ("NaN", math.nan, "FP64"),
                              ("1e39", 1e39, "FP64"), ("-1e300", -1e300, "FP64")]:
    values = list(X6)
    values[3] = value
    binary(f"{datatype} {what}", x_request(datatype, 6 * SIZE[datatype]), pack(datatype, values), 400,
           error=f"input 'x', value 3 (byte {3 * SIZE[datatype]} of its binary data): ")
binary("h0 FP32 NaN", {"inputs": [tensor("x", [1, 2, 3], "FP32", 24), tensor("h0", [1, 5], "FP32", 20)]},
       pack("FP32", X6) + pack("FP32", [0, 0, math.nan, 0, 0]), 400,
       error="input 'h0', value 2 (byte 8 of its binary data): NaN is not allowed")

# datatypes: FP32, FP64, INT32, INT64 as binary; each input still its own datatypes
for datatype in ["FP16", "BF16", "BYTES", "BOOL", "UINT8", "INT8", "UINT64", "fp32"]:
    binary(f"x as {datatype}", x_request(datatype, 12), b"\0" * 12, 400,
           error=f"input 'x' has datatype {datatype}, which is not read as binary data here; binary inputs are "
                 "FP32, FP64, INT32 or INT64 (at /inputs/0/datatype)")
binary("x as INT32", x_request("INT32", 24), pack("INT32", [1] * 6), 400,
       error="input 'x' has datatype INT32; it must be FP32 or FP64 (at /inputs/0/datatype)")
binary("lengths as FP32", {"inputs": [tensor("x", [2, 1, 3], "FP32", 24), tensor("lengths", [2], "FP32", 8)]},
       pack("FP32", X6) + pack("FP32", [1, 1]), 400, error="it must be INT32 or INT64 (at /inputs/1/datatype)")
binary("lengths of 0", {"inputs": [tensor("x", [2, 1, 3], "FP32", 24), tensor("lengths", [2], "INT32", 8)]},
       pack("FP32", X6) + pack("INT32", [1, 0]), 400, error="(at /inputs/1/data/1)")
binary("h0 of the wrong shape", {"inputs": [tensor("x", [1, 2, 3], "FP32", 24), tensor("h0", [1, 4], "FP32", 16)]},
       pack("FP32", X6) + pack("FP32", [0] * 4), 400, error="the initial state of simple_rnn is 1×4 but must be 1×5 (samples × units)")
binary("x of 4 features", x_request(size=32, shape=(1, 2, 4)), pack("FP32", [0] * 8), 400,
       error="the model takes [N, T, 3]: N samples of T steps of 3 features (at /inputs/0/shape)")

# output parameters: booleans
binary("binary_data_output is a string", x_request(parameters={"binary_data_output": "true"}), pack("FP32", X6),
       400, error="expected true or false, found a string (at /parameters/binary_data_output)")
binary("binary_data is a number", x_request(outputs=[{"name": "yhat", "parameters": {"binary_data": 1}}]),
       pack("FP32", X6), 400, error="(at /outputs/0/parameters/binary_data)")

# limits: N ≤ 16, T ≤ 50, N×T×D ≤ 600, body ≤ 64 KiB, as for JSON
binary("N×T×D past the limit", x_request(size=4 * 201 * 3, shape=(201, 1, 3)), b"\0" * (4 * 201 * 3), 413,
       error="has shape [201, 1, 3], more than 600 numbers, the limit (at /inputs/0/shape)")
binary("N past the limit", x_request(size=4 * 17 * 3, shape=(17, 1, 3)), b"\0" * (4 * 17 * 3), 413,
       error="the batch has 17 samples; the limit is 16 (at /inputs/0/shape)")
binary("T past the limit", x_request(size=4 * 51 * 3, shape=(1, 51, 3)), b"\0" * (4 * 51 * 3), 413,
       error="a sequence has 51 steps; the limit is 50 (at /inputs/0/shape)")
binary("shape whose product overflows a long", x_request(size=24, shape=(2147483647, 2147483647, 2147483647, 3)),
       pack("FP32", X6), 413, error="more than 600 numbers, the limit (at /inputs/0/shape)")
binary("body past the byte limit (declared length)", x_request(), pack("FP32", X6), 413, padding=MAX_BODY,
       error="; the limit is 65536")

# 13. KServe JSON: a string's bytes are decoded only when read, and invalid UTF-8 there is malformed JSON, not a 500
add("kserve: invalid UTF-8 in an input name", None, 400, path=INFER,
    raw=b'{"inputs": [{"name": "x\xc3", "shape": [1, 1, 3], "datatype": "FP32", "data": [1, 2, 3]}]}',
    error=["the body is not valid JSON: Invalid UTF-8", "(at /inputs/0/name)"])
add("kserve: invalid UTF-8 in a requested output", None, 400, path=INFER,
    raw=b'{"inputs": [{"name": "x", "shape": [1, 1, 3], "datatype": "FP32", "data": [1, 2, 3]}], '
        b'"outputs": [{"name": "\xe2\x82yhat"}]}', error=["the body is not valid JSON: Invalid UTF-8",
                                                          "(at /outputs/0/name)"])

with open("corpus.jsonl", "w", encoding="utf-8") as out:
    for case in cases:
        out.write(json.dumps(case, ensure_ascii=False) + "\n")
print(len(cases), "cases;", sum(1 for c in cases if c["status"] >= 400), "refused")
