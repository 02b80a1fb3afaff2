# progress.sh - sourced by the build scripts: run a long, quiet build step
# with its output in a log, and say how far it has got every
# NICRIG_PROGRESS_SECS seconds (default 30), so that a 10-minute kernel build
# does not look like a hang.
#
#   run_with_progress LABEL LOG COUNTER COMMAND...
#
# COUNTER is a function that prints a short "how far" phrase for LOG (for
# example "812 of about 2450 objects").  Returns COMMAND's exit status.
# The monitor polls once a second, so it ends within a second of the
# command and holds no pipe open after it.  With NICRIG_STEP_LOG set, each
# step appends "SECONDS LABEL" to that file (`make run` prints them at the end).

progress_clock() {
	# progress_clock SECONDS -> M:SS
	printf '%d:%02d' $(($1 / 60)) $(($1 % 60))
}

run_with_progress() {
	_p_label=$1
	_p_log=$2
	_p_counter=$3
	shift 3
	_p_every=${NICRIG_PROGRESS_SECS:-30}
	_p_start=$(date +%s)
	"$@" >"$_p_log" 2>&1 &
	_p_pid=$!
	(
		n=0
		while kill -0 "$_p_pid" 2>/dev/null; do
			sleep 1
			n=$((n + 1))
			if [ "$n" -ge "$_p_every" ]; then
				n=0
				now=$(date +%s)
				kill -0 "$_p_pid" 2>/dev/null &&
					echo "  ...     $_p_label: $($_p_counter "$_p_log"), $(progress_clock $((now - _p_start))) elapsed"
			fi
		done
	) &
	_p_mon=$!
	_p_rc=0
	wait "$_p_pid" || _p_rc=$?
	_p_secs=$(($(date +%s) - _p_start))
	wait "$_p_mon" 2>/dev/null || true
	[ "$_p_rc" -ne 0 ] || echo "  DONE    $_p_label in $(progress_clock "$_p_secs")"
	[ -z "${NICRIG_STEP_LOG:-}" ] || echo "$_p_secs $_p_label" >> "$NICRIG_STEP_LOG"
	return "$_p_rc"
}
