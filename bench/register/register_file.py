"""The register file the benchmarks import."""


def register_csv(owners: list[str], count: int) -> bytes:
    """A register file of `count` risks spread over every category, owner and matrix cell."""
    from risks.columns import COLUMNS

    categories = [
        "strategic",
        "operational",
        "financial",
        "compliance",
        "market",
        "supply-chain",
        "technology",
    ]
    lines = [",".join(COLUMNS)]
    for n in range(count):
        row = {
            "title": f"Risk {n} supplier and cash-flow scenario",
            "cause": "cause",
            "event": "event",
            "consequence": "consequence",
            "category": categories[n % len(categories)],
            "owner": owners[n % len(owners)],
            "likelihood": str(n % 5 + 1),
            "impact": str(n // 5 % 5 + 1),
            "residual_likelihood": str(max(1, n % 5)),
            "residual_impact": str(max(1, n // 5 % 5)),
        }
        lines.append(",".join(row.get(column, "") for column in COLUMNS))
    return ("\n".join(lines) + "\n").encode()
