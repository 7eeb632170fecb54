"""mockcrm's benchmarks (`python -m benchmarks`); method and figures in benchmarks/README.md."""
