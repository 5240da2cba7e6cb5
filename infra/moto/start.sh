#!/usr/bin/env bash
# Starts moto_server (DynamoDB and S3 emulator) on 127.0.0.1 for the tests, waits
# until it answers and prints its endpoint (http://127.0.0.1:PORT) on stdout.
#
#   infra/moto/start.sh [PORT]        start (PORT: $MOTO_PORT, else 5055; "auto":
#                                     the first free port from 5055 on)
#   infra/moto/start.sh stop [PORT]   stop the server this script started there
#
#   ep=$(infra/moto/start.sh auto) && QOLDAU_TEST_DYNAMO_ENDPOINT=$ep go test ./... ;
#   infra/moto/start.sh stop "${ep##*:}"
#
# The server's PID and log go to $MOTO_DIR (default: a folder per port under $TMPDIR
# or /tmp, outside the repository).
# moto_server comes from Python's moto package (pip install 'moto[server]'), which
# this script does not install.
set -euo pipefail

cmd=start
if [[ "${1:-}" == "stop" ]]; then
	cmd=stop
	shift
fi
port="${1:-${MOTO_PORT:-5055}}"

# answers: something replies to HTTP on the port (moto answers / with 200).
answers() {
	if command -v curl >/dev/null; then
		curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$1/"
	else
		(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
	fi
}

if [[ "$port" == auto ]]; then
	[[ "$cmd" == stop ]] && { echo "infra/moto/start.sh: stop needs the port" >&2; exit 2; }
	for p in $(seq 5055 5154); do
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			port=$p
			break
		fi
	done
	[[ "$port" == auto ]] && { echo "infra/moto/start.sh: no free port in 5055-5154" >&2; exit 1; }
fi
if ! [[ "$port" =~ ^[0-9]+$ ]]; then
	echo "infra/moto/start.sh: bad port \"$port\"" >&2
	exit 2
fi
dir="${MOTO_DIR:-${TMPDIR:-/tmp}/qoldau-moto-$port}"
pidfile="$dir/moto.pid"
logfile="$dir/moto.log"

stop() {
	if [[ -f "$pidfile" ]]; then
		pid="$(cat "$pidfile")"
		if kill -0 "$pid" 2>/dev/null; then
			kill "$pid" 2>/dev/null || true
			for _ in $(seq 1 50); do
				kill -0 "$pid" 2>/dev/null || break
				sleep 0.1
			done
			kill -9 "$pid" 2>/dev/null || true
		fi
		rm -f "$pidfile"
	fi
}

if [[ "$cmd" == stop ]]; then
	stop
	exit 0
fi

bin="${MOTO_SERVER:-$(command -v moto_server || true)}"
for shim in "${PYENV_ROOT:-$HOME/.pyenv}/shims/moto_server" /root/.pyenv/shims/moto_server; do
	if [[ -z "$bin" && -x "$shim" ]]; then
		bin="$shim"
	fi
done
if [[ -z "$bin" || ! -x "$bin" ]]; then
	echo "infra/moto/start.sh: moto_server not found${bin:+ at $bin}: install Python's moto (pip install 'moto[server]') or set MOTO_SERVER" >&2
	exit 1
fi

if answers "$port"; then
	echo "infra/moto/start.sh: something already listens on 127.0.0.1:$port; stop it or choose another port" >&2
	exit 1
fi

# The Python that has moto runs infra/moto/serve.py: moto's application with one
# request at a time, so racing conditional writes behave as on DynamoDB (see there).
py="${MOTO_PYTHON:-}"
if [[ -z "$py" ]]; then
	for c in python3 "${PYENV_ROOT:-$HOME/.pyenv}/shims/python3" /root/.pyenv/shims/python3; do
		if command -v "$c" >/dev/null && "$c" -c 'import moto.moto_server.werkzeug_app, werkzeug' 2>/dev/null; then
			py="$c"
			break
		fi
	done
fi

mkdir -p "$dir"
stop
if [[ -n "$py" ]]; then
	nohup "$py" "$(dirname "$0")/serve.py" -H 127.0.0.1 -p "$port" >"$logfile" 2>&1 </dev/null &
else
	echo "infra/moto/start.sh: no Python with moto found for serve.py; racing writes may pass together on moto_server" >&2
	nohup "$bin" -H 127.0.0.1 -p "$port" >"$logfile" 2>&1 </dev/null &
fi
echo $! >"$pidfile"

for _ in $(seq 1 300); do
	if answers "$port"; then
		echo "http://127.0.0.1:$port"
		exit 0
	fi
	if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
		echo "infra/moto/start.sh: moto_server exited; its log ($logfile):" >&2
		tail -n 20 "$logfile" >&2 || true
		rm -f "$pidfile"
		exit 1
	fi
	sleep 0.1
done
echo "infra/moto/start.sh: moto_server did not answer on 127.0.0.1:$port within 30 s; log: $logfile" >&2
stop
exit 1
