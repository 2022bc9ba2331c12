"""Verdicts of the Rust safetensors reader (the `safetensors` Python package, whose core is the Rust
crate's `SafeTensors::read_metadata` and `Metadata::validate`) on one small file per header rule.

Run in a virtualenv with `safetensors` and `torch` installed:
    python lib/formats/src/test/python/safetensors_rules.py > lib/formats/src/test/resources/golden/safetensors-rules.json
Each case holds the file (base64) or, for the two 100 MB headers, a recipe the Java test follows
(`padded`: the header `{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}` padded with spaces to
`headerLength` bytes, then 4 data bytes). `rust` is "ok" or the error kind the reader reported, and
`tensors` the names and offsets it kept (for accepted files).
"""
import base64
import json
import os
import re
import struct
import sys
import tempfile

import safetensors
from safetensors import safe_open

F32x4 = b"\x00" * 16


def file(header, data=b"", length=None):
    raw = header.encode("utf-8") if isinstance(header, str) else header
    n = len(raw) if length is None else length
    return struct.pack("<Q", n) + raw + data


def t(dtype="F32", shape=(2, 2), offsets=(0, 16)):
    return '{"dtype":"%s","shape":%s,"data_offsets":[%d,%d]}' % (dtype, json.dumps(list(shape)).replace(" ", ""), offsets[0], offsets[1])


CASES = [
    ("valid", "a minimal valid file", file('{"a":%s}' % t(), F32x4)),
    ("empty-header-object", "no tensors at all", file('{}')),
    ("metadata-only", "__metadata__ and no tensors", file('{"__metadata__":{"format":"pt"}}')),
    ("file-shorter-than-8", "a file of 7 bytes", b"\x01" * 7),
    ("header-length-past-end", "the length prefix claims more bytes than the file has", file('{"a":%s}' % t(), F32x4, length=10_000)),
    ("header-length-zero", "a header of 0 bytes", file('', b"")),
    ("header-length-huge", "a length prefix of 2^63", struct.pack("<Q", 1 << 63) + b"{}"),
    ("header-limit-short-file", "a length of exactly 100,000,000 in a short file", file('{}', b"", length=100_000_000)),
    ("header-over-limit-short-file", "a length of 100,000,001 in a short file", file('{}', b"", length=100_000_001)),
    ("header-not-utf8", "a header with an invalid UTF-8 byte", file(b'{"\xff":' + t().encode() + b'}', F32x4)),
    ("header-not-json", "a header that is not JSON", file('{"a":', F32x4)),
    ("header-array", "a JSON array instead of an object", file('[]')),
    ("header-trailing-spaces", "padding spaces after the object (what writers do)", file('{"a":%s}      ' % t(), F32x4)),
    ("header-leading-whitespace", "whitespace before the object", file(' \n\t{"a":%s}' % t(), F32x4)),
    ("header-trailing-nul", "NUL bytes after the object", file('{"a":%s}\x00\x00' % t(), F32x4)),
    ("header-trailing-garbage", "text after the object", file('{"a":%s}x' % t(), F32x4)),
    ("header-bom", "a UTF-8 byte order mark before the object", file('\ufeff{"a":%s}' % t(), F32x4)),
    ("header-trailing-comma", "a trailing comma", file('{"a":%s,}' % t(), F32x4)),
    ("header-comment", "a comment", file('{/*c*/"a":%s}' % t(), F32x4)),
    ("shape-float", "shape written as 2.0", file('{"a":{"dtype":"F32","shape":[2.0,2],"data_offsets":[0,16]}}', F32x4)),
    ("shape-exponent", "shape written as 2e0", file('{"a":{"dtype":"F32","shape":[2e0,2],"data_offsets":[0,16]}}', F32x4)),
    ("shape-negative", "a negative dimension", file('{"a":{"dtype":"F32","shape":[-2,-2],"data_offsets":[0,16]}}', F32x4)),
    ("shape-minus-zero", "a dimension written -0", file('{"a":{"dtype":"F32","shape":[-0],"data_offsets":[0,0]}}')),
    ("shape-string", "a dimension written as a string", file('{"a":{"dtype":"F32","shape":["2",2],"data_offsets":[0,16]}}', F32x4)),
    ("shape-leading-zero", "a dimension written 02", file('{"a":{"dtype":"F32","shape":[02,2],"data_offsets":[0,16]}}', F32x4)),
    ("shape-over-u64", "a dimension of 2^64", file('{"a":{"dtype":"F32","shape":[18446744073709551616],"data_offsets":[0,16]}}', F32x4)),
    ("shape-null", "shape null", file('{"a":{"dtype":"F32","shape":null,"data_offsets":[0,4]}}', b"\0" * 4)),
    ("shape-empty", "a scalar (shape [])", file('{"a":{"dtype":"F32","shape":[],"data_offsets":[0,4]}}', b"\0" * 4)),
    ("shape-zero", "a tensor with a zero dimension", file('{"a":{"dtype":"F32","shape":[0,5],"data_offsets":[0,0]}}')),
    ("shape-nine-dims", "nine dimensions", file('{"a":{"dtype":"U8","shape":[1,1,1,1,1,1,1,1,2],"data_offsets":[0,2]}}', b"\0\0")),
    ("offsets-float", "data_offsets written as floats", file('{"a":{"dtype":"F32","shape":[2,2],"data_offsets":[0.0,16.0]}}', F32x4)),
    ("offsets-three", "three data offsets", file('{"a":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16,16]}}', F32x4)),
    ("offsets-one", "one data offset", file('{"a":{"dtype":"F32","shape":[2,2],"data_offsets":[0]}}', F32x4)),
    ("offsets-reversed", "end before begin", file('{"a":{"dtype":"U8","shape":[0],"data_offsets":[4,0]}}', b"\0" * 4)),
    ("offsets-gap", "a gap before the first tensor", file('{"a":{"dtype":"F32","shape":[2,2],"data_offsets":[4,20]}}', b"\0" * 20)),
    ("offsets-overlap", "two tensors that overlap", file('{"a":%s,"b":%s}' % (t(offsets=(0, 16)), t(offsets=(8, 24))), b"\0" * 24)),
    ("offsets-out-of-order-keys", "tensors listed out of offset order", file('{"b":%s,"a":%s}' % (t(offsets=(16, 32)), t(offsets=(0, 16))), b"\0" * 32)),
    ("data-extra-bytes", "bytes after the last tensor", file('{"a":%s}' % t(), F32x4 + b"\0")),
    ("data-truncated", "the data section cut short", file('{"a":%s}' % t(), F32x4[:-1])),
    ("size-mismatch", "shape x dtype differs from the offsets' span", file('{"a":{"dtype":"F32","shape":[2,2],"data_offsets":[0,12]}}', b"\0" * 12)),
    ("size-overflow", "a shape whose element count overflows", file('{"a":{"dtype":"F32","shape":[4294967296,4294967296,4294967296],"data_offsets":[0,16]}}', F32x4)),
    ("dtype-unknown", "an unknown dtype", file('{"a":{"dtype":"F128","shape":[2,2],"data_offsets":[0,16]}}', F32x4)),
    ("dtype-lowercase", "a dtype in lower case", file('{"a":{"dtype":"f32","shape":[2,2],"data_offsets":[0,16]}}', F32x4)),
    ("dtype-number", "a dtype that is a number", file('{"a":{"dtype":4,"shape":[2,2],"data_offsets":[0,16]}}', F32x4)),
    ("dtype-f8-e4m3", "F8_E4M3 (a known 8-bit type)", file('{"a":{"dtype":"F8_E4M3","shape":[4],"data_offsets":[0,4]}}', b"\0" * 4)),
    ("dtype-u16", "U16", file('{"a":{"dtype":"U16","shape":[2],"data_offsets":[0,4]}}', b"\0" * 4)),
    ("dtype-c64", "C64", file('{"a":{"dtype":"C64","shape":[2],"data_offsets":[0,16]}}', F32x4)),
    ("dtype-f4-even", "F4 with an even element count", file('{"a":{"dtype":"F4","shape":[4],"data_offsets":[0,2]}}', b"\0" * 2)),
    ("dtype-f4-odd", "F4 with an odd element count (a partial byte)", file('{"a":{"dtype":"F4","shape":[3],"data_offsets":[0,2]}}', b"\0" * 2)),
    ("field-missing-dtype", "no dtype", file('{"a":{"shape":[2,2],"data_offsets":[0,16]}}', F32x4)),
    ("field-missing-shape", "no shape", file('{"a":{"dtype":"F32","data_offsets":[0,16]}}', F32x4)),
    ("field-missing-offsets", "no data_offsets", file('{"a":{"dtype":"F32","shape":[2,2]}}', F32x4)),
    ("field-unknown", "an unknown field in a tensor", file('{"a":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16],"extra":{"x":[1,2,{"y":null}]}}}', F32x4)),
    ("field-unknown-deep-100", "an unknown field nested 100 levels", file('{"a":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16],"extra":%s}}' % ("[" * 100 + "]" * 100), F32x4)),
    ("field-unknown-deep-126", "an unknown field nested 126 levels", file('{"a":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16],"extra":%s}}' % ("[" * 126 + "]" * 126), F32x4)),
    ("field-unknown-deep-127", "an unknown field nested 127 levels", file('{"a":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16],"extra":%s}}' % ("[" * 127 + "]" * 127), F32x4)),
    ("field-unknown-deep-200", "an unknown field nested 200 levels", file('{"a":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16],"extra":%s}}' % ("[" * 200 + "]" * 200), F32x4)),
    ("field-unknown-huge-number", "an unknown field holding 1e999", file('{"a":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16],"extra":1e999}}', F32x4)),
    ("field-unknown-big-integer", "an unknown field holding a 40-digit integer", file('{"a":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16],"extra":1234567890123456789012345678901234567890}}', F32x4)),
    ("field-unknown-lone-surrogate", "an unknown field holding a lone surrogate escape", file('{"a":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16],"extra":"\\ud800"}}', F32x4)),
    ("field-unknown-bad-escape", "an unknown field holding an invalid escape", file('{"a":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16],"extra":"\\q"}}', F32x4)),
    ("field-duplicate", "dtype given twice in one tensor", file('{"a":{"dtype":"F32","dtype":"F32","shape":[2,2],"data_offsets":[0,16]}}', F32x4)),
    ("tensor-null", "a tensor that is null", file('{"a":null}')),
    ("tensor-array", "a tensor that is an array", file('{"a":[1]}')),
    ("name-empty", "an empty tensor name", file('{"":%s}' % t(), F32x4)),
    ("name-lone-surrogate", "a tensor name with a lone surrogate escape", file('{"a\\ud800":%s}' % t(), F32x4)),
    ("name-lone-low-surrogate", "a tensor name with a lone low surrogate escape", file('{"a\\udc00":%s}' % t(), F32x4)),
    ("name-surrogate-pair", "a tensor name with an escaped surrogate pair", file('{"a\\ud83d\\ude42":%s}' % t(), F32x4)),
    ("name-nul-escape", "a tensor name with an escaped NUL", file('{"a\\u0000":%s}' % t(), F32x4)),
    ("name-raw-control", "a tensor name with a raw control character", file('{"a\x01":%s}' % t(), F32x4)),
    ("name-duplicate-same", "the same tensor twice, identical", file('{"a":%s,"a":%s}' % (t(), t()), F32x4)),
    ("name-duplicate-last-valid", "a name twice; only the second entry tiles the data", file('{"a":%s,"a":%s}' % (t(offsets=(0, 16)) .replace('[2,2]', '[2,2]').replace('"F32"', '"F32"').replace('[0,16]', '[16,32]'), t()), F32x4)),
    ("name-duplicate-first-valid", "a name twice; only the first entry tiles the data", file('{"a":%s,"a":%s}' % (t(), t(offsets=(16, 32))), F32x4)),
    ("name-duplicate-first-malformed", "a name twice; the first entry is not a tensor", file('{"a":5,"a":%s}' % t(), F32x4)),
    ("name-metadata-null", "__metadata__ null", file('{"__metadata__":null,"a":%s}' % t(), F32x4)),
    ("metadata-not-object", "__metadata__ a string", file('{"__metadata__":"pt","a":%s}' % t(), F32x4)),
    ("metadata-number-value", "__metadata__ with a number value", file('{"__metadata__":{"format":1},"a":%s}' % t(), F32x4)),
    ("metadata-null-value", "__metadata__ with a null value", file('{"__metadata__":{"format":null},"a":%s}' % t(), F32x4)),
    ("metadata-object-value", "__metadata__ with an object value", file('{"__metadata__":{"format":{"x":"y"}},"a":%s}' % t(), F32x4)),
    ("metadata-duplicate", "__metadata__ given twice", file('{"__metadata__":{"a":"1"},"__metadata__":{"b":"2"},"a":%s}' % t(), F32x4)),
    ("metadata-duplicate-key", "a key given twice inside __metadata__", file('{"__metadata__":{"k":"1","k":"2"},"a":%s}' % t(), F32x4)),
    ("metadata-lone-surrogate", "__metadata__ with a lone surrogate escape", file('{"__metadata__":{"k":"\\ud800"},"a":%s}' % t(), F32x4)),
    ("tensor-as-array", "a tensor written as the array [dtype, shape, data_offsets]", file('{"a":["F32",[2,2],[0,16]]}', F32x4)),
    ("tensor-as-short-array", "a tensor written as an array of two", file('{"a":["F32",[2,2]]}', F32x4)),
    ("tensor-as-long-array", "a tensor written as an array of four", file('{"a":["F32",[2,2],[0,16],1]}', F32x4)),
    ("dtype-as-map", "a dtype written as {\"F32\": null}", file('{"a":{"dtype":{"F32":null},"shape":[2,2],"data_offsets":[0,16]}}', F32x4)),
    ("dtype-as-map-value", "a dtype written as {\"F32\": 1}", file('{"a":{"dtype":{"F32":1},"shape":[2,2],"data_offsets":[0,16]}}', F32x4)),
    ("offsets-as-object", "data_offsets written as an object", file('{"a":{"dtype":"F32","shape":[2,2],"data_offsets":{"0":0,"1":16}}}', F32x4)),
    ("field-unknown-deep-124", "an unknown field nested 124 levels", file('{"a":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16],"extra":%s}}' % ("[" * 124 + "]" * 124), F32x4)),
    ("field-unknown-deep-125", "an unknown field nested 125 levels", file('{"a":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16],"extra":%s}}' % ("[" * 125 + "]" * 125), F32x4)),
    ("field-unknown-deep-objects-125", "an unknown field nested 125 objects", file('{"a":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16],"extra":%s}}' % ('{"k":' * 125 + "0" + "}" * 125), F32x4)),
    ("field-unknown-float-max", "an unknown field holding 1.7976931348623157e308", file('{"a":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16],"extra":1.7976931348623157e308}}', F32x4)),
    ("field-unknown-float-tiny", "an unknown field holding 1e-400", file('{"a":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16],"extra":1e-400}}', F32x4)),
    ("field-unknown-long-integer", "an unknown field holding a 400-digit integer", file('{"a":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16],"extra":%s}}' % ("9" * 400), F32x4)),
    ("field-unknown-huge-neg-integer", "an unknown field holding a 400-digit negative integer", file('{"a":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16],"extra":-%s}}' % ("9" * 400), F32x4)),
    ("field-unknown-fraction-overflow", "an unknown field holding 400 digits then .5", file('{"a":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16],"extra":%s.5}}' % ("9" * 400), F32x4)),
    ("metadata-empty", "__metadata__ {}", file('{"__metadata__":{},"a":%s}' % t(), F32x4)),
    ("metadata-last", "__metadata__ after the tensors", file('{"a":%s,"__metadata__":{"k":"v"}}' % t(), F32x4)),
    ("name-escaped-duplicate", "a and \\u0061 (the same name)", file('{"a":%s,"\\u0061":%s}' % (t(offsets=(16, 32)), t()), F32x4)),
    ("name-metadata-escaped", "__metadata__ written with an escape", file('{"__metadat\\u0061__":{"k":"v"},"a":%s}' % t(), F32x4)),
    ("shape-u64-max-times-zero", "a dimension of 2^64-1 next to a 0", file('{"a":{"dtype":"F32","shape":[0,18446744073709551615],"data_offsets":[0,0]}}')),
    ("shape-overflow-before-zero", "2^63 x 2 x 0: the product overflows before the 0", file('{"a":{"dtype":"F32","shape":[9223372036854775808,2,0],"data_offsets":[0,0]}}')),
    ("shape-bits-overflow", "an element count that fits but whose bits do not", file('{"a":{"dtype":"F64","shape":[4611686018427387904],"data_offsets":[0,16]}}', F32x4)),
    ("offsets-u64-max", "an offset of 2^64-1", file('{"a":{"dtype":"U8","shape":[0],"data_offsets":[0,0]},"b":{"dtype":"U8","shape":[1],"data_offsets":[0,18446744073709551615]}}', b"\0")),
    ("zero-size-twice", "two zero-size tensors at one offset", file('{"a":{"dtype":"F32","shape":[0],"data_offsets":[0,0]},"b":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}}')),
]

PADDED = [
    ("header-limit-full", "a header of exactly 100,000,000 bytes (spaces after the JSON)", 100_000_000),
    ("header-over-limit-full", "a header of 100,000,001 bytes", 100_000_001),
]
PADDED_JSON = '{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}'


# the Display text of each SafeTensorError kind (safetensors/src/tensor.rs) -> the kind
KINDS = [
    ("header too small", "HeaderTooSmall"),
    ("invalid header length", "InvalidHeaderLength"),
    ("header too large", "HeaderTooLarge"),
    ("invalid UTF-8 in header", "InvalidHeader"),
    ("invalid JSON in header", "InvalidHeaderDeserialization"),
    ("invalid offset for tensor", "InvalidOffset"),
    ("incomplete metadata", "MetadataIncompleteBuffer"),
    ("invalid shape, data type, or offset", "TensorInvalidInfo"),
    ("overflow computing buffer size", "ValidationOverflow"),
    ("byte boundary", "MisalignedSlice"),
]


def verdict(raw):
    with tempfile.NamedTemporaryFile(suffix=".safetensors", delete=False) as f:
        f.write(raw)
        path = f.name
    try:
        with safe_open(path, framework="pt") as st:
            tensors = {k: list(st.get_slice(k).get_shape()) for k in st.keys()}
            meta = st.metadata()
        # the same bytes through deserialize (the in-memory path) must agree
        safetensors.deserialize(raw)
        return {"rust": "ok", "tensors": tensors, "metadata": meta}
    except Exception as e:  # SafetensorError carries the Rust error's Debug form
        message = str(e)
        kind = next((k for phrase, k in KINDS if phrase in message), "unknown")
        return {"rust": kind, "message": message[:300]}
    finally:
        os.unlink(path)


def main():
    out = []
    for name, about, raw in CASES:
        entry = {"name": name, "about": about, "file": base64.b64encode(raw).decode()}
        entry.update(verdict(raw))
        out.append(entry)
    for name, about, length in PADDED:
        header = PADDED_JSON + " " * (length - len(PADDED_JSON))
        raw = struct.pack("<Q", length) + header.encode() + b"\0" * 4
        entry = {"name": name, "about": about, "padded": {"headerLength": length}}
        entry.update(verdict(raw))
        out.append(entry)
    json.dump({"generator": "lib/formats/src/test/python/safetensors_rules.py", "safetensors": safetensors.__version__, "cases": out},
              sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
