#!/usr/bin/env python3
"""Writes corpus.jsonl: hostile POST /predict and KServe infer requests, and what the service must answer to each.

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

# 12. KServe JSON: a string's bytes are decoded only when read, and invalid UTF-8 there is malformed JSON, not a 500
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
