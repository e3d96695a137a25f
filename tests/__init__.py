import os


def examples(full):
    """How many examples a property test tries: all of them in `make test`, a third in `make test-fast`
    (QUICK_TESTS=1). Both runs try the same examples each time (derandomize)."""
    return max(1, full // 3) if os.environ.get("QUICK_TESTS") == "1" else full
