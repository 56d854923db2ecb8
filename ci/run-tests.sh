#!/usr/bin/env bash
# The same test run CI does; see .ci/run.
exec "$(dirname "$0")/../.ci/run" "$@"
