"""`python -m actorgraph` runs the CLI."""

from actorgraph.cli import main

main()
