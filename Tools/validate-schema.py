#!/usr/bin/env python3
"""Validates documents against a JSON Schema with the `jsonschema` package (installed by `make setup`).

Usage: validate-schema.py SCHEMA DOCUMENTS
  SCHEMA     a JSON Schema file (draft 2020-12)
  DOCUMENTS  a JSON file: a list of {"name": str, "document": any, "partial": bool, "def": str?}
             `partial` documents are fragments (a documentation snippet): `required` lists are
             ignored at the level validated, every other rule applies. With `def`, the document
             is validated against that entry of the schema's `$defs` (an intent fragment), not
             the whole schema.
Prints one JSON object per line: {"name": ..., "valid": bool, "errors": [message, ...]}.
Exit status: 0 when it ran (whatever the results), 2 when jsonschema is missing or a file is unreadable.
"""
import copy
import json
import sys

try:
    import jsonschema
except ImportError:
    print("validate-schema.py: the Python package jsonschema is not installed; run `make setup`", file=sys.stderr)
    sys.exit(2)


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        with open(sys.argv[1], encoding="utf-8") as f:
            schema = json.load(f)
        with open(sys.argv[2], encoding="utf-8") as f:
            documents = json.load(f)
    except (OSError, ValueError) as error:
        print(f"validate-schema.py: {error}", file=sys.stderr)
        return 2
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    full = cls(schema)
    fragment_schema = copy.deepcopy(schema)
    fragment_schema.pop("required", None)
    fragment = cls(fragment_schema)

    def validator_for_def(name):
        target = copy.deepcopy(schema["$defs"][name])
        target.pop("required", None)
        target["$defs"] = schema["$defs"]
        return cls(target)

    for item in documents:
        if item.get("def"):
            validator = validator_for_def(item["def"])
        else:
            validator = fragment if item.get("partial") else full
        errors = sorted(validator.iter_errors(item["document"]), key=lambda e: list(e.absolute_path))
        messages = ["/".join(str(p) for p in e.absolute_path) + ": " + e.message for e in errors]
        print(json.dumps({"name": item["name"], "valid": not messages, "errors": messages}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
