#!/usr/bin/env python3
"""Turns a JSON KServe v2 infer request into a body of the binary tensor data extension, and such a response back.

    python3 scripts/kserve_binary.py encode REQUEST.json BODY.bin [--binary-outputs]
        Writes BODY.bin: the request's JSON, each input's data replaced by parameters.binary_data_size, then each
        input's values packed little-endian by its datatype. Prints the JSON's length, the value of the header
        Inference-Header-Content-Length. --binary-outputs asks for every output as binary data too.
    python3 scripts/kserve_binary.py decode ANSWER.bin JSON_LENGTH
        Prints the response's JSON with the data of each binary output unpacked from the bytes after it; FP32 values
        as the shortest text that reads back as the same float32, as the service writes them in JSON.

Standard library only (docs/protocols.md uses it with curl).
"""
import argparse
import json
import struct
import sys

FORMATS = {"FP32": "f", "FP64": "d", "INT32": "i", "INT64": "q"}


def flatten(data):
    if isinstance(data, list):
        return [value for item in data for value in flatten(item)]
    return [data]


def encode(request_path, body_path, binary_outputs):
    with open(request_path, encoding="utf-8") as f:
        request = json.load(f)
    payload = b""
    for tensor in request["inputs"]:
        values = flatten(tensor.pop("data"))
        packed = struct.pack(f"<{len(values)}{FORMATS[tensor['datatype']]}", *values)
        tensor.setdefault("parameters", {})["binary_data_size"] = len(packed)
        payload += packed
    if binary_outputs:
        request.setdefault("parameters", {})["binary_data_output"] = True
    header = json.dumps(request, separators=(",", ":")).encode("utf-8")
    with open(body_path, "wb") as f:
        f.write(header + payload)
    print(len(header))


def shortest_float32(value):
    """The float32 value as the double of its shortest decimal, so that json prints 0.2340779, not 0.23407790064811707."""
    for digits in range(1, 10):
        text = "%.*g" % (digits, value)
        if struct.unpack("<f", struct.pack("<f", float(text)))[0] == value:
            return float(text)
    return value


def decode(answer_path, json_length):
    with open(answer_path, "rb") as f:
        body = f.read()
    response = json.loads(body[:json_length])
    at = json_length
    for tensor in response["outputs"]:
        size = tensor.get("parameters", {}).get("binary_data_size")
        if size is not None:
            code = FORMATS[tensor["datatype"]]
            values = struct.unpack(f"<{size // struct.calcsize(code)}{code}", body[at:at + size])
            tensor["data"] = [shortest_float32(v) for v in values] if code == "f" else list(values)
            at += size
    if at != len(body):
        sys.exit(f"{len(body) - at} bytes left over after the last output")
    print(json.dumps(response, separators=(",", ":")))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    encoding = commands.add_parser("encode")
    encoding.add_argument("request")
    encoding.add_argument("body")
    encoding.add_argument("--binary-outputs", action="store_true")
    decoding = commands.add_parser("decode")
    decoding.add_argument("answer")
    decoding.add_argument("json_length", type=int)
    args = parser.parse_args()
    if args.command == "encode":
        encode(args.request, args.body, args.binary_outputs)
    else:
        decode(args.answer, args.json_length)


if __name__ == "__main__":
    main()
