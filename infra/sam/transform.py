#!/usr/bin/env python3
"""Runs aws-sam-translator's transform on template.yaml offline, as `sam deploy` would
in CloudFormation, and fails on any error. With --out, writes the transformed
template (JSON) for inspection; with --check, also checks what the transform adds:
every role's inline Allow statements name actions without "*".

    python3 infra/sam/transform.py template.yaml [--out build/template.json]
"""
import json
import os
import sys

import yaml
from samtranslator.model.exceptions import InvalidDocumentException
from samtranslator.parser.parser import Parser
from samtranslator.translator.translator import Translator


class _Loader(yaml.SafeLoader):
    pass


def _tag(loader, suffix, node):
    # !Ref X → {"Ref": X}, !GetAtt A.B → {"Fn::GetAtt": [A, B]}, !Sub … → {"Fn::Sub": …}
    name = "Ref" if suffix == "Ref" else "Fn::" + suffix
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
        if suffix == "GetAtt":
            value = value.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return {name: value}


_Loader.add_multi_constructor("!", _tag)


class _NoManagedPolicies:
    """The template names no managed policy; the transform must not ask AWS."""

    def load(self):
        return {}


def main(argv):
    # Offline: the transform asks for a region and nothing else of AWS.
    os.environ.setdefault("AWS_DEFAULT_REGION", "eu-central-1")
    os.environ.setdefault("AWS_REGION", "eu-central-1")
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        template = yaml.load(f, Loader=_Loader)
    # As `sam deploy` packages it: each local CodeUri becomes an uploaded artifact.
    for name, res in template.get("Resources", {}).items():
        uri = res.get("Properties", {}).get("CodeUri")
        if res.get("Type") == "AWS::Serverless::Function" and isinstance(uri, str) and not uri.startswith("s3://"):
            if not os.path.isdir(uri) and "--check-code" in argv:
                print("sam transform: %s: CodeUri %s is not built (make lambdas)" % (name, uri), file=sys.stderr)
                return 1
            res["Properties"]["CodeUri"] = "s3://artifacts/%s.zip" % name
    try:
        out = Translator(_NoManagedPolicies(), Parser()).translate(template, parameter_values={
            "AWS::Region": "eu-central-1", "AWS::AccountId": "123456789012", "AWS::Partition": "aws",
        })
    except InvalidDocumentException as e:
        for cause in e.causes:
            print("sam transform:", cause.message, file=sys.stderr)
        return 1
    roles = [r for r in out["Resources"].values() if r["Type"] == "AWS::IAM::Role"]
    bad = []
    for role in roles:
        for pol in role["Properties"].get("Policies", []):
            for st in pol["PolicyDocument"]["Statement"]:
                actions = st.get("Action", [])
                actions = [actions] if isinstance(actions, str) else actions
                if st.get("Effect") == "Allow" and any("*" in a for a in actions):
                    bad.append((pol["PolicyName"], actions))
    for name, actions in bad:
        print("sam transform: policy %s grants wildcard actions %s" % (name, actions), file=sys.stderr)
    if "--out" in argv:
        with open(argv[argv.index("--out") + 1], "w", encoding="utf-8") as f:
            json.dump(out, f, indent=1, sort_keys=True)
    kinds = {}
    for r in out["Resources"].values():
        kinds[r["Type"]] = kinds.get(r["Type"], 0) + 1
    print("sam transform: ok, %d resources (%s)" % (len(out["Resources"]),
          ", ".join("%s %d" % kv for kv in sorted(kinds.items()))))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
