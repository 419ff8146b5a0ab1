"""The `courtlake` console script (placeholder until subcommands land)."""


def main() -> int:
    return 0
