#!/usr/bin/env python3
"""Copy scalelens_gateway::metric_catalogue::STATS_TAGS into the recipes' `# STATS_TAGS_BEGIN/END` blocks.

Run from the repository root after changing the regexes in gateway/src/metric_catalogue.rs;
tests/tests/gateway_envoy.rs (`stats_tags_of_every_recipe_match_core`) fails until you do.
"""
import re

src = open("gateway/src/metric_catalogue.rs").read()
block = src[src.index("pub const STATS_TAGS"):]
block = block[: block.index("];")]
pairs = re.findall(r'\(\s*"([a-z]+)",\s*r"([^"]+)",?\s*\)', block)
FILES = [
    ("plugin/envoy.yaml", "  "),
    ("plugin/deploy/istio-wasmplugin.yaml", "            "),
    ("plugin/deploy/envoy-gateway.yaml", "        "),
]
for path, indent in FILES:
    text = open(path).read()
    begin = text.index("# STATS_TAGS_BEGIN")
    end = text.index("# STATS_TAGS_END")
    lines = [
        f"{indent}- tag_name: {name}\n{indent}  regex: '{rx.replace(chr(39), chr(39) * 2)}'"
        for name, rx in pairs
    ]
    text = text[:begin] + "# STATS_TAGS_BEGIN\n" + "\n".join(lines) + "\n" + indent + text[end:]
    open(path, "w").write(text)
    print(f"{path}: {len(pairs)} tags")
