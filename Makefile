# tiaojie — top-level wrapper around Meson/Ninja, npm and the test runners.
#   make run    install what is missing, build, create the demo database, serve
#   make test   install what is missing, build with ASan+UBSan, run every test suite
PORT ?= 8080
DB   ?= var/tiaojie.db
REL  := build/release
SAN  := build/asan

.PHONY: all setup build web run test test-unit test-api test-browser bench clean format

all: build

setup:
	@scripts/setup.sh

$(REL)/build.ninja:
	meson setup $(REL) --buildtype=debugoptimized -Dwerror=true

$(SAN)/build.ninja:
	meson setup $(SAN) --buildtype=debug -Dwerror=true -Db_sanitize=address,undefined -Db_lundef=false

build: setup $(REL)/build.ninja
	ninja -C $(REL)

web: setup
	cd web && npm run build --silent

run: build web
	@mkdir -p var
	@if [ ! -f "$(DB)" ]; then $(REL)/tiaojie init --demo --db "$(DB)"; fi
	@$(REL)/tiaojie demo-accounts --db "$(DB)"
	@echo "tiaojie: http://127.0.0.1:$(PORT)/"
	$(REL)/tiaojie serve --db "$(DB)" --listen 127.0.0.1:$(PORT) --web web/dist

test: setup $(SAN)/build.ninja web
	ninja -C $(SAN)
	$(MAKE) --no-print-directory test-unit test-api test-browser

test-unit:
	meson test -C $(SAN) --print-errorlogs

test-api:
	TIAOJIE_BIN=$(CURDIR)/$(SAN)/tiaojie node --test --test-concurrency=1 tests/api/

test-browser:
	TIAOJIE_BIN=$(CURDIR)/$(SAN)/tiaojie node --test --test-concurrency=1 tests/browser/

bench: build
	bench/run.sh

format:
	clang-format -i $$(git ls-files '*.c' '*.h' ':!third_party')

clean:
	rm -rf build web/dist
