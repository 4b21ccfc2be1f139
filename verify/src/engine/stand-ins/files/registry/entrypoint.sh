#!/bin/sh
# Entrypoint of the registry:2 stand-in, with the official image's behaviour: a config file as
# the first argument (the default CMD, /etc/docker/registry/config.yml) starts the server,
# `registry serve FILE`; a registry subcommand or option runs `registry` with it; anything
# else runs as given (`docker run registry:2 ls /var/lib/registry`).
set -e

case "$1" in
    *.yaml|*.yml) set -- registry serve "$@" ;;
    serve|garbage-collect|help|-*) set -- registry "$@" ;;
esac

exec "$@"
