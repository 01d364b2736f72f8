"""Writing the traditional-spelling table (`radar_reference/data/hanzi.tsv`) with OpenCC:

    uv run --with opencc==1.4.2 python -m radar_reference.build_hanzi

Converts every character of the CJK Unified Ideographs blocks (extension A and the base
block) alone with OpenCC's standard traditional, Hong Kong and Taiwan configurations and
keeps those that change: one line per simplified character with its three forms. OpenCC
is needed only here; the tagger reads the table (its dictionaries would take some 45 MB
of memory while loaded).
"""

import argparse
import sys
from pathlib import Path

from .hanzi import CONFIGS, DEFAULT_TABLE

BLOCKS = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF))
# A character whose form alone is not the one business news needs: 签 alone is 籤 (a tag, a
# lot), but 签约, 签署, 签订 are 簽約, 簽署, 簽訂.
OVERRIDES = {"签": "簽"}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_TABLE)
    args = parser.parse_args(argv)
    try:
        import opencc  # type: ignore[import-not-found]
    except ImportError:
        sys.exit("needs OpenCC: uv run --with opencc==1.4.2 python -m radar_reference.build_hanzi")
    from importlib.metadata import version

    converters = [opencc.OpenCC(config) for config in CONFIGS]
    lines = []
    for first, last in BLOCKS:
        for point in range(first, last + 1):
            character = chr(point)
            forms = [converter.convert(character) for converter in converters]
            if character in OVERRIDES:
                forms = [OVERRIDES[character]] * len(forms)
            if any(form != character for form in forms) and all(len(f) == 1 for f in forms):
                lines.append("\t".join([character, *forms]))
    header = (
        f"# Simplified character, then its form by OpenCC {version('opencc')} "
        f"({', '.join(CONFIGS)}), each converted alone.\n"
        "# Written by `python -m radar_reference.build_hanzi`; OpenCC: Apache-2.0, "
        "https://github.com/BYVoid/OpenCC\n"
    )
    args.out.write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {args.out}: {len(lines)} characters", file=sys.stderr)


if __name__ == "__main__":
    main()
