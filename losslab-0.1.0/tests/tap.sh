# tap.sh -- TAP helpers for the shell tests (sourced, not run).
#
#   ok COND-EXIT-STATUS "name"      report one result
#   diag "text"                    a "# text" line
#   done_testing                   print the trailing plan
# $LOSSLAB is the program under test (set by `make check`).

tap_n=0
: "${LOSSLAB:=${top_builddir:-.}/src/losslab}"
: "${top_srcdir:=.}"

ok() {
	tap_n=$((tap_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $tap_n - $2"
	else
		echo "not ok $tap_n - $2"
	fi
}

diag() {
	printf '%s\n' "$@" | sed 's/^/# /'
}

done_testing() {
	echo "1..$tap_n"
}
