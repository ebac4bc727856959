# The two commands a new user needs; each installs what is missing first.
.PHONY: run test bench

## Build the portal (release) and serve it with the reference backend and demo data on http://127.0.0.1:8080
run:
	./scripts/run.sh

## Run every test layer; ends with "summary: N passed, M failed"
test:
	./scripts/test.sh

## Build release and print size and speed figures beside their budgets
bench:
	./scripts/bench.sh
