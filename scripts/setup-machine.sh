#!/usr/bin/env bash
# What `npm test` needs from the machine beyond npm packages, installed from Debian's packages (run as root, once):
#   - Chromium and its headless shell (the Playwright suite's browser; a downloaded browser cannot run here);
#   - PostgreSQL 15 with pgvector, for the `workers-pg` test lane. Debian 12 has no pgvector binary package, so
#     its Debian source package is built against the installed server (portable flags, ~20 s).
# Every step is skipped when its result is already there.
set -euo pipefail

PG_BIN=/usr/lib/postgresql/15/bin
apt_updated=
apt_install() {
  [ -n "$apt_updated" ] || { apt-get update -qq; apt_updated=1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

command -v chromium >/dev/null 2>&1 || apt_install chromium
command -v chromium-headless-shell >/dev/null 2>&1 || apt_install chromium-headless-shell

[ -x "$PG_BIN/pg_ctl" ] || apt_install postgresql-15 postgresql-contrib

if [ ! -f "$("$PG_BIN/pg_config" --sharedir 2>/dev/null || echo /nonexistent)/extension/vector.control" ]; then
  # Source packages come from the same mirror as the machine's binary ones.
  mirror=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)
  [ -n "$mirror" ] || mirror=$(awk '$1 == "deb" { print $2; exit }' /etc/apt/sources.list)
  if ! grep -rqs '^Types: deb-src' /etc/apt/sources.list.d/; then
    printf 'Types: deb-src\nURIs: %s\nSuites: bookworm trixie\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' "$mirror" \
      > /etc/apt/sources.list.d/edge-shop-src.sources
    apt_updated=
  fi
  apt_install postgresql-server-dev-15 make gcc
  work=$(mktemp -d)
  (
    cd "$work"
    apt-get source --download-only pgvector >/dev/null 2>&1
    tar xzf pgvector_*.orig.tar.gz
    cd pgvector-*/
    # OPTFLAGS="" leaves out -march=native, so the build runs on any CI machine.
    make -s PG_CONFIG="$PG_BIN/pg_config" OPTFLAGS="" >/dev/null
    make -s PG_CONFIG="$PG_BIN/pg_config" install >/dev/null
  )
  rm -rf "$work"
fi
echo "machine ready: chromium $(chromium --version 2>/dev/null | awk '{print $2}') + headless shell, PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') + pgvector"
