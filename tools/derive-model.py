#!/usr/bin/env python3
"""Derives Sluice's copy of the Firehose service model from botocore's service-2.json.

Usage: tools/derive-model.py <path to service-2.json>

Writes server/src/main/resources/io/sluice/api/model/firehose-2015-08-04.json next to this
repository's server module. The derived file keeps what request validation and response
shaping need -- operations (input and output shape) and shapes (type, members and their
target shapes, required members, min/max, pattern, enum, sensitive, list member, map key and
value) -- in the model's own order, and leaves out documentation strings and other prose.

A key the script does not know stops it, so that a new trait in a future model is looked at by
a person instead of being dropped silently.
"""

import json
import os
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
RELATIVE_OUTPUT = "server/src/main/resources/io/sluice/api/model/firehose-2015-08-04.json"
OUTPUT = os.path.join(ROOT, *RELATIVE_OUTPUT.split("/"))

KEPT_SHAPE_KEYS = ["type", "members", "required", "min", "max", "pattern", "enum",
                   "sensitive", "member", "key", "value"]
DROPPED_SHAPE_KEYS = {"documentation", "exception", "fault", "deprecated",
                      "deprecatedMessage"}
KEPT_MEMBER_KEYS = ["shape"]
DROPPED_MEMBER_KEYS = {"documentation", "deprecated", "deprecatedMessage"}
KEPT_OPERATION_KEYS = ["input", "output"]
DROPPED_OPERATION_KEYS = {"name", "http", "errors", "documentation", "deprecated",
                          "deprecatedMessage"}


def fail(message):
    sys.exit("derive-model: " + message)


def check_keys(where, mapping, kept, dropped):
    unknown = [key for key in mapping if key not in kept and key not in dropped]
    if unknown:
        fail("%s has unknown keys %s; decide whether Sluice needs them" % (where, unknown))


def derive_reference(where, reference):
    check_keys(where, reference, KEPT_MEMBER_KEYS, DROPPED_MEMBER_KEYS)
    if "shape" not in reference:
        fail("%s names no shape" % where)
    return {"shape": reference["shape"]}


def derive_shape(name, shape):
    check_keys("shape " + name, shape, KEPT_SHAPE_KEYS, DROPPED_SHAPE_KEYS)
    derived = {}
    for key in KEPT_SHAPE_KEYS:
        if key not in shape:
            continue
        value = shape[key]
        if key == "members":
            value = {member: derive_reference("member %s.%s" % (name, member), target)
                     for member, target in value.items()}
        elif key in ("member", "key", "value"):
            value = derive_reference("%s of shape %s" % (key, name), value)
        derived[key] = value
    return derived


def derive_operation(name, operation):
    check_keys("operation " + name, operation, KEPT_OPERATION_KEYS, DROPPED_OPERATION_KEYS)
    derived = {}
    for key in KEPT_OPERATION_KEYS:
        if key not in operation:
            fail("operation %s has no %s shape" % (name, key))
        derived[key] = operation[key]["shape"]
    return derived


def main(argv):
    if len(argv) != 2:
        fail("usage: tools/derive-model.py <path to service-2.json>")
    with open(argv[1], encoding="utf-8") as source:
        model = json.load(source)
    derived = {
        "operations": {name: derive_operation(name, operation)
                       for name, operation in model["operations"].items()},
        "shapes": {name: derive_shape(name, shape)
                   for name, shape in model["shapes"].items()},
    }
    os.makedirs(os.path.dirname(OUTPUT), exist_ok=True)
    with open(OUTPUT, "w", encoding="utf-8", newline="\n") as target:
        json.dump(derived, target, indent=2, ensure_ascii=False)
        target.write("\n")
    print("derive-model: wrote %d operations and %d shapes to %s"
          % (len(derived["operations"]), len(derived["shapes"]), RELATIVE_OUTPUT))


if __name__ == "__main__":
    main(sys.argv)
